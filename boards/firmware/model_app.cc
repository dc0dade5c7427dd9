#include "boards/firmware/model_app.h"

#include <stdio.h>
#include <string.h>

#include "runtime/interpreter.h"
#include "runtime/log.h"

namespace ember::boards {
namespace {

// Enough for every op of the benchmark models (VWW: 31 ops) plus the Invoke event; more
// ops are counted as dropped events. Static (24 bytes each): not on the small stacks.
constexpr size_t kMaxProfileEvents = 48;
rt::ProfileEvent g_events[kMaxProfileEvents];

// Decimal text of a 64-bit value (newlib-nano's printf has no %llu).
struct U64Text {
  char text[21];
};
U64Text U64(uint64_t value) {
  U64Text out;
  char digits[21];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = 0; i < n; ++i) out.text[i] = digits[n - 1 - i];
  out.text[n] = '\0';
  return out;
}

bool g_arena_too_small = false;

void PrintLog(const char* message) {
  // The runtime's arena failures all start with this (runtime/interpreter.cc).
  if (strncmp(message, "arena too small", 15) == 0) g_arena_too_small = true;
  printf("ember: %s\n", message);
}

int Fail(const char* what) {
  printf("@ember error %s\n", what);
  fflush(stdout);
  return 1;
}

const char* TypeName(EmberType type) {
  switch (type) {
    case kEmberFloat32: return "float32";
    case kEmberInt32: return "int32";
    case kEmberUInt8: return "uint8";
    case kEmberInt64: return "int64";
    case kEmberBool: return "bool";
    case kEmberInt16: return "int16";
    case kEmberInt8: return "int8";
    default: return "other";
  }
}

void PrintShape(const EmberTensor& t) {
  printf("[");
  for (int32_t d = 0; d < t.num_dims; ++d) printf(d == 0 ? "%ld" : ",%ld", static_cast<long>(t.dims[d]));
  printf("]");
}

// The address of the kernel's invoke function registered under the op's name (for the
// emulator's symbol-based cross-check); 0 when not found.
uintptr_t InvokeAddress(const rt::OpResolverInterface& resolver, const char* op_name) {
  for (size_t i = 0; i < resolver.size(); ++i) {
    const EmberRegistration& r = resolver.at(i);
    if (r.name != nullptr && op_name != nullptr && strcmp(r.name, op_name) == 0) {
      return reinterpret_cast<uintptr_t>(r.invoke);
    }
  }
  return 0;
}

[[nodiscard]] bool FillInputs(rt::Interpreter& interpreter, const ModelAppConfig& config) {
  size_t total = 0;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    const EmberTensor* t = interpreter.input(i);
    if (t == nullptr) return false;
    total += t->bytes;
  }
  if (config.input == nullptr) {
    for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
      EmberTensor* t = interpreter.input(i);
      FillPattern(static_cast<uint8_t*>(t->data), t->bytes);
    }
    printf("input: pattern (byte i = (i*7+3) mod 256), %lu bytes\n",
           static_cast<unsigned long>(total));
    return true;
  }
  if (config.input_bytes != total) {
    printf("ember: the input has %lu bytes but the model's inputs take %lu\n",
           static_cast<unsigned long>(config.input_bytes), static_cast<unsigned long>(total));
    return false;
  }
  size_t offset = 0;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    EmberTensor* t = interpreter.input(i);
    memcpy(t->data, config.input + offset, t->bytes);
    offset += t->bytes;
  }
  printf("input: %lu bytes from the input file\n", static_cast<unsigned long>(total));
  return true;
}

void PrintProfile(const rt::Interpreter& interpreter, const rt::Profiler& profiler,
                  const ModelAppConfig& config) {
  uint64_t invoke_begin = 0;
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    if (profiler.event(i).op_index < 0) invoke_begin = profiler.event(i).begin;
  }
  const uint64_t total = profiler.TotalTicks();
  const uint64_t ops = profiler.OpTicks();
  printf("profile (%s, %s):\n", config.tick_unit, config.tick_source);
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    const rt::ProfileEvent& e = profiler.event(i);
    if (e.op_index < 0) continue;
    const uint64_t macs = interpreter.op_macs(static_cast<size_t>(e.op_index));
    printf("  op %3ld %-20s %12s %s  %10s MACs\n", static_cast<long>(e.op_index), e.tag,
           U64(e.ticks()).text, config.tick_unit, U64(macs).text);
    printf("@ember op %ld %s %s %s %s %lx\n", static_cast<long>(e.op_index), e.tag,
           U64(e.begin - invoke_begin).text, U64(e.end - invoke_begin).text, U64(macs).text,
           static_cast<unsigned long>(InvokeAddress(*config.resolver, e.tag)));
  }
  printf("  ops total %s, invoke %s, interpreter overhead %s %s\n", U64(ops).text,
         U64(total).text, U64(total - ops).text, config.tick_unit);
  if (profiler.dropped_events() != 0) {
    printf("ember: %lu profile events dropped (capacity %lu)\n",
           static_cast<unsigned long>(profiler.dropped_events()),
           static_cast<unsigned long>(profiler.capacity()));
  }
  printf("@ember invoke %s\n", U64(total).text);
}

void PrintOutputs(rt::Interpreter& interpreter) {
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    const EmberTensor* t = interpreter.output(i);
    if (t == nullptr) continue;
    printf("output %lu: %s ", static_cast<unsigned long>(i), TypeName(t->type));
    PrintShape(*t);
    printf(" %lu bytes\n", static_cast<unsigned long>(t->bytes));
    printf("@ember output %lu ", static_cast<unsigned long>(i));
    const uint8_t* data = static_cast<const uint8_t*>(t->data);
    for (uint32_t b = 0; b < t->bytes; ++b) printf("%02x", data[b]);
    printf("\n");
  }
}

}  // namespace

void FillPattern(uint8_t* data, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>((i * 7 + 3) % 256);
}

int RunModelApp(const ModelAppConfig& config) {
  rt::SetLogHandler(&PrintLog);
  printf("ember firmware: model %s (%lu bytes) on %s, arena %lu bytes at %p\n",
         config.model_name, static_cast<unsigned long>(config.model_bytes), config.board,
         static_cast<unsigned long>(config.arena_bytes), static_cast<void*>(config.arena));
  printf("@ember begin 1\n");
  if (config.resolver == nullptr || config.model == nullptr || config.arena == nullptr) {
    return Fail("firmware misconfigured: no model, resolver or arena");
  }

  rt::Profiler profiler = config.ticks32 != nullptr
                              ? rt::Profiler(config.ticks32, g_events, kMaxProfileEvents)
                              : rt::Profiler(config.ticks64, g_events, kMaxProfileEvents);
  rt::Interpreter interpreter(config.model, config.model_bytes, *config.resolver, config.arena,
                              config.arena_bytes, &profiler);
  g_arena_too_small = false;
  if (interpreter.AllocateTensors() != kEmberOk) {
    if (g_arena_too_small || interpreter.arena_usage().minimal_arena > config.arena_bytes) {
      printf("@ember error does not fit: the model needs a larger arena than the %lu bytes "
             "of RAM left on %s\n",
             static_cast<unsigned long>(config.arena_bytes), config.board);
      fflush(stdout);
      return kModelAppDoesNotFit;
    }
    return Fail("AllocateTensors failed");
  }

  const rt::ArenaUsage& usage = interpreter.arena_usage();
  printf("arena: %lu bytes used of %lu (persistent %lu, nonpersistent %lu; smallest "
         "working arena %lu)\n",
         static_cast<unsigned long>(usage.total), static_cast<unsigned long>(config.arena_bytes),
         static_cast<unsigned long>(usage.persistent),
         static_cast<unsigned long>(usage.nonpersistent),
         static_cast<unsigned long>(usage.minimal_arena));
  printf("arena persistent: tensor metadata %lu, op data %lu (kernels %lu), variable tensors "
         "%lu\n",
         static_cast<unsigned long>(usage.tensor_metadata),
         static_cast<unsigned long>(usage.op_data),
         static_cast<unsigned long>(usage.kernel_op_data),
         static_cast<unsigned long>(usage.variable_tensor_data));
  printf("@ember arena %lu %lu %lu\n", static_cast<unsigned long>(usage.persistent),
         static_cast<unsigned long>(usage.nonpersistent),
         static_cast<unsigned long>(usage.total));

  if (!FillInputs(interpreter, config)) return Fail("cannot fill the model's inputs");

  const uint64_t t0 = profiler.Now();
  const uint64_t t1 = profiler.Now();
  printf("@ember timer %s\n", U64(t1 - t0).text);

  profiler.ClearEvents();
  if (interpreter.Invoke() != kEmberOk) return Fail("Invoke failed");
  PrintProfile(interpreter, profiler, config);
  PrintOutputs(interpreter);
  if (config.report_memory != nullptr && !config.report_memory()) {
    return Fail("the stack overflowed its region (see the memory line)");
  }
  printf("@ember end\n");
  fflush(stdout);
  return 0;
}

}  // namespace ember::boards
