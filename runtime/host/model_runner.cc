#include "runtime/host/model_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "runtime/host/model_file.h"
#include "runtime/host/steady_clock_ticks.h"
#include "runtime/interpreter.h"
#include "runtime/log.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

namespace ember::rt::host {
namespace {

constexpr size_t kDefaultArena = 8 << 20;
constexpr size_t kMaxProfileEvents = 4096;

// Collects the runtime's messages during one run (the hook is a plain function).
std::string* g_messages = nullptr;
void Collect(const char* message) {
  if (g_messages == nullptr) return;
  if (!g_messages->empty()) g_messages->push_back('\n');
  g_messages->append(message);
}

class ScopedCapture {
 public:
  explicit ScopedCapture(std::string* sink) : previous_(SetLogHandler(&Collect)) {
    g_messages = sink;
  }
  ~ScopedCapture() {
    SetLogHandler(previous_);
    g_messages = nullptr;
  }

 private:
  LogHandler previous_;
};

#if defined(EMBER_HAVE_KERNELS)
using Resolver = kernels::MicroOpResolver<kernels::kAllOpsCount>;
#else
using Resolver = OpResolver<1>;
#endif

bool MakeResolver(Resolver* resolver, std::string* error) {
#if defined(EMBER_HAVE_KERNELS)
  if (kernels::AddAllOps(*resolver) != kEmberOk) {
    *error = "could not register ember's ops in the resolver";
    return false;
  }
#else
  (void)resolver;
  (void)error;
#endif
  return true;
}

double ElementValue(const EmberTensor& t, size_t i) {
  const uint8_t* p = static_cast<const uint8_t*>(t.data);
  switch (t.type) {
    case kEmberFloat32: {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      return v;
    }
    case kEmberInt32: {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      return v;
    }
    case kEmberInt16: {
      int16_t v;
      std::memcpy(&v, p + 2 * i, 2);
      return v;
    }
    case kEmberInt8:
      return static_cast<int8_t>(p[i]);
    case kEmberUInt8:
      return p[i];
    case kEmberBool:
      return p[i] != 0;
    case kEmberInt64: {
      int64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      return static_cast<double>(v);
    }
    default:
      return 0;
  }
}

size_t ElementBytes(EmberType type) {
  switch (type) {
    case kEmberFloat32:
    case kEmberInt32:
      return 4;
    case kEmberInt16:
      return 2;
    case kEmberInt64:
      return 8;
    default:
      return 1;
  }
}

TensorResult Describe(const EmberTensor& t, const char* name) {
  TensorResult r;
  r.name = name != nullptr ? name : "";
  r.type = t.type;
  r.shape.assign(t.dims, t.dims + t.num_dims);
  r.num_channels = t.quant.num_channels;
  r.scale = t.quant.scale;
  r.zero_point = t.quant.zero_point;
  const uint8_t* p = static_cast<const uint8_t*>(t.data);
  r.bytes.assign(p, p + t.bytes);
  size_t n = t.bytes / ElementBytes(t.type);
  for (size_t i = 0; i < n; ++i) {
    double v = ElementValue(t, i);
    r.values.push_back(v);
    r.real.push_back(t.quant.num_channels == 1 ? t.quant.scale * (v - t.quant.zero_point) : v);
  }
  return r;
}

bool FillInputs(const RunOptions& options, Interpreter& interpreter, std::string* error) {
  AlignedBuffer file;
  size_t total = 0;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) total += interpreter.input(i)->bytes;
  if (options.input == InputSource::kFile) {
    if (!LoadFile(options.input_path, &file, error)) return false;
    if (file.size() != total) {
      *error = "input file '" + options.input_path + "' has " + std::to_string(file.size()) +
               " bytes; the model's inputs need exactly " + std::to_string(total);
      return false;
    }
  }
  size_t offset = 0;
  for (size_t k = 0; k < interpreter.inputs_size(); ++k) {
    EmberTensor* t = interpreter.input(k);
    uint8_t* p = static_cast<uint8_t*>(t->data);
    switch (options.input) {
      case InputSource::kZeros:
        std::memset(p, 0, t->bytes);
        break;
      case InputSource::kPattern:
        for (size_t i = 0; i < t->bytes; ++i) p[i] = static_cast<uint8_t>((i * 7 + 3) % 256);
        break;
      case InputSource::kFile:
        std::memcpy(p, file.data() + offset, t->bytes);
        break;
      case InputSource::kValues: {
        size_t n = t->bytes / ElementBytes(t->type);
        if (k == 0 && options.values.size() != n) {
          *error = "--values gave " + std::to_string(options.values.size()) +
                   " values; input 0 has " + std::to_string(n) + " elements";
          return false;
        }
        std::memset(p, 0, t->bytes);
        if (k != 0) break;
        for (size_t i = 0; i < n; ++i) {
          double v = options.values[i];
          if (t->quant.num_channels >= 1 && t->type != kEmberFloat32) {
            v = std::round(v / t->quant.scale) + t->quant.zero_point;
          }
          switch (t->type) {
            case kEmberFloat32: {
              float f = static_cast<float>(v);
              std::memcpy(p + 4 * i, &f, 4);
              break;
            }
            case kEmberInt8:
              p[i] = static_cast<uint8_t>(static_cast<int8_t>(std::fmin(127, std::fmax(-128, v))));
              break;
            case kEmberUInt8:
              p[i] = static_cast<uint8_t>(std::fmin(255, std::fmax(0, v)));
              break;
            case kEmberInt16: {
              int16_t s = static_cast<int16_t>(std::fmin(32767, std::fmax(-32768, v)));
              std::memcpy(p + 2 * i, &s, 2);
              break;
            }
            case kEmberInt32: {
              int32_t s = static_cast<int32_t>(v);
              std::memcpy(p + 4 * i, &s, 4);
              break;
            }
            default:
              *error = std::string("--values: input type ") + TypeName(t->type) + " unsupported";
              return false;
          }
        }
        break;
      }
    }
    offset += t->bytes;
  }
  return true;
}

// AllocateTensors() alone with an arena of exactly `bytes`.
EmberStatus Configure(const RunOptions& options, Interpreter& interpreter) {
  if (interpreter.SetKeepInputsLive(!options.reuse_inputs) != kEmberOk) return kEmberError;
  return interpreter.SetPlanner(options.linear_planner ? PlannerKind::kLinear
                                                       : PlannerKind::kGreedy);
}

// persistent_bytes > 0: a separate persistent arena of that size.
bool AllocatesWith(const AlignedBuffer& model, const Resolver& resolver, size_t bytes,
                   size_t persistent_bytes, const RunOptions& options) {
  AlignedBuffer arena(bytes == 0 ? 1 : bytes);
  if (persistent_bytes == 0) {
    Interpreter probe(model.data(), model.size(), resolver, arena.data(), bytes);
    return Configure(options, probe) == kEmberOk && probe.AllocateTensors() == kEmberOk;
  }
  AlignedBuffer persistent(persistent_bytes);
  Interpreter probe(model.data(), model.size(), resolver, arena.data(), bytes, persistent.data(),
                    persistent_bytes);
  return Configure(options, probe) == kEmberOk && probe.AllocateTensors() == kEmberOk;
}

}  // namespace

const char* TypeName(EmberType type) {
  switch (type) {
    case kEmberFloat32:
      return "float32";
    case kEmberInt32:
      return "int32";
    case kEmberUInt8:
      return "uint8";
    case kEmberInt64:
      return "int64";
    case kEmberBool:
      return "bool";
    case kEmberInt16:
      return "int16";
    case kEmberInt8:
      return "int8";
    default:
      return "unsupported";
  }
}

bool RunModel(const RunOptions& options, RunResult* result, std::string* error) {
  AlignedBuffer model;
  if (!LoadFile(options.model_path, &model, error)) return false;
  auto resolver = std::make_unique<Resolver>();
  if (!MakeResolver(resolver.get(), error)) return false;

  std::string messages;
  ScopedCapture capture(&messages);
  auto fail = [&](const std::string& what) {
    *error = what + (messages.empty() ? "" : ":\n" + messages);
    return false;
  };
  result->arena_bytes = options.arena_bytes != 0 ? options.arena_bytes : kDefaultArena;
  AlignedBuffer arena(result->arena_bytes);
  const size_t persistent_bytes = options.persistent_arena_bytes;
  AlignedBuffer persistent(persistent_bytes == 0 ? 1 : persistent_bytes);
  std::vector<ProfileEvent> events(kMaxProfileEvents);
  Profiler profiler(&SteadyClockNanos, events.data(), events.size());
  std::unique_ptr<Interpreter> owned =
      persistent_bytes == 0
          ? std::make_unique<Interpreter>(model.data(), model.size(), *resolver, arena.data(),
                                          result->arena_bytes, &profiler)
          : std::make_unique<Interpreter>(model.data(), model.size(), *resolver, arena.data(),
                                          result->arena_bytes, persistent.data(),
                                          persistent_bytes, &profiler);
  Interpreter& interpreter = *owned;
  if (Configure(options, interpreter) != kEmberOk || interpreter.AllocateTensors() != kEmberOk) {
    return fail("AllocateTensors() failed");
  }
  if (!FillInputs(options, interpreter, error)) return false;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    result->inputs.push_back(Describe(*interpreter.input(i),
                                            interpreter.tensor_name(static_cast<size_t>(
                                                interpreter.input_tensor_index(i)))));
  }
  for (int r = 0; r < std::max(1, options.repeat); ++r) {
    if (interpreter.Invoke() != kEmberOk) return fail("Invoke() failed");
  }
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    result->outputs.push_back(Describe(*interpreter.output(i),
                                             interpreter.tensor_name(static_cast<size_t>(
                                                 interpreter.output_tensor_index(i)))));
  }
  result->usage = interpreter.arena_usage();
  result->minimal_arena = interpreter.minimal_arena_bytes();
  result->minimal_persistent_arena = interpreter.minimal_persistent_arena_bytes();
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    const ProfileEvent& e = profiler.event(i);
    if (e.op_index < 0) continue;
    result->ops.push_back(OpProfile{e.op_index, e.tag, e.ticks(),
                                    interpreter.op_macs(static_cast<size_t>(e.op_index))});
  }
  result->total_nanos = profiler.TotalTicks();
  result->op_nanos = profiler.OpTicks();
  // The smallest arena is checked, not just computed: it works, one byte less fails.
  messages.clear();
  const size_t np = result->minimal_arena, p = result->minimal_persistent_arena;
  result->minimal_verified = AllocatesWith(model, *resolver, np, p, options) &&
                             !AllocatesWith(model, *resolver, np - 1, p, options) &&
                             (p == 0 || !AllocatesWith(model, *resolver, np, p - 1, options));
  return true;
}

}  // namespace ember::rt::host
