// The benchmark firmware: runs the model the host placed in the model slot
// (bench/model_slot.h) and reports through the line protocol (bench/protocol.h).
//
//   0. The kernel variant comes from the slot's flags (EMBER_MODEL_SLOT_OPTIMIZED): the
//      reference kernels, or KernelVariants::kOptimized (the DSP-extension kernels on
//      cores that have it, Cortex-M4/M7; the reference kernels on Cortex-M0+/M3). Both sets
//      are linked into the one ELF; the "@ember variant" line says which set ran.
//   1. AllocateTensors() (not timed); the arena is everything the linker left in RAM
//      (__ember_arena_start .. __ember_arena_end, boards/common/sections.ld).
//   2. One timed Invoke(): the runtime's profiler reads the cycle counter (DWT CYCCNT, or
//      SysTick on Cortex-M0+, boards/common/cycle_counter.h) around the whole Invoke and
//      around each op. Reported: per-op start/end relative to Invoke's start, MACs, the
//      kernel's invoke address (for the simulator's symbol cross-check), the total, the
//      arena breakdown and the output tensors.
//   3. With EMBER_MODEL_SLOT_CHECKSUMS: variable tensors are reset, the inputs copied
//      again and a second Invoke() runs with an op observer that reports each op's output
//      checksum (FNV-1a, bench/checksum.h). The observer never runs inside the timed
//      Invoke, so the checksums cost no measured cycles.
// Exit status 0 on success; on any failure an "@ember error" line and status 1.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bench/checksum.h"
#include "bench/firmware/line_writer.h"
#include "bench/model_slot.h"
#include "bench/protocol_version.h"
#include "boards/common/cycle_counter.h"
#include "boards/common/memory_usage.h"
#include "kernels/all_ops_resolver.h"
#include "kernels/internal/isa.h"
#include "runtime/interpreter.h"
#include "runtime/log.h"

extern "C" {
extern const uint8_t __flash_used_end[];
extern uint8_t __ember_arena_start[];
extern uint8_t __ember_arena_end[];
}

namespace {

using ember::bench::LineWriter;

// Enough for the paper's models (VWW has 31 ops) and the per-kernel test models.
constexpr size_t kMaxOps = 128;

uint32_t ReadCycles() { return ember::boards::CycleCounterRead(); }

__attribute__((noinline)) void EmptyKernel() { __asm volatile("" ::: "memory"); }
void (*volatile g_empty_kernel)() = &EmptyKernel;

// The runtime's error messages reach the host as "@ember log" lines (e.g. "arena too
// small: ..." tells the host that the model does not fit this board's RAM).
void LogToHost(const char* message) {
  LineWriter w;
  w.Str("@ember log ");
  for (const char* p = message; *p != '\0'; ++p) {
    const char c[2] = {*p == '\n' ? ' ' : *p, '\0'};
    w.Str(c);
  }
  w.End();
}

int Fail(const char* what) {
  LineWriter w;
  w.Str("@ember error ").Str(what).End();
  return 1;
}

const EmberModelSlot* FindSlot() {
  uintptr_t p = reinterpret_cast<uintptr_t>(__flash_used_end);
  p = (p + EMBER_MODEL_SLOT_ALIGN - 1) & ~uintptr_t{EMBER_MODEL_SLOT_ALIGN - 1};
  return reinterpret_cast<const EmberModelSlot*>(p);
}

bool CopyInputs(const EmberModelSlot* slot, ember::rt::Interpreter& interpreter) {
  if (slot->num_inputs != interpreter.inputs_size()) return false;
  const uint8_t* base = reinterpret_cast<const uint8_t*>(slot);
  for (uint32_t i = 0; i < slot->num_inputs; ++i) {
    EmberTensor* t = interpreter.input(i);
    if (t == nullptr || t->bytes != slot->inputs[i].bytes) return false;
    memcpy(t->data, base + slot->inputs[i].offset, t->bytes);
  }
  return true;
}

// The invoke function of the registration the op resolved to (matched by op name).
uint32_t InvokeAddress(const ember::rt::OpResolverInterface& resolver, const char* op_name) {
  for (size_t i = 0; i < resolver.size(); ++i) {
    const EmberRegistration& r = resolver.at(i);
    if (r.name != nullptr && strcmp(r.name, op_name) == 0) {
      return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(r.invoke));
    }
  }
  return 0;
}

void ReportChecksum(void* /*user*/, const ember::rt::OpObservation& obs) {
  uint32_t h = EMBER_FNV1A_INIT;
  uint32_t bytes = 0;
  for (int32_t j = 0; j < obs.node->num_outputs; ++j) {
    const EmberEvalTensor* t = obs.output(j);
    if (t == nullptr || t->data == nullptr) continue;
    const uint32_t n = ember::rt::TensorBytes(*t);
    h = EmberFnv1aUpdate(h, t->data, n);
    bytes += n;
  }
  LineWriter w;
  w.Str("@ember event ").Dec(static_cast<uint64_t>(obs.op_index)).Str(" ").Str(obs.op_name);
  w.Str(" ").Dec(bytes).Str(" ").Hex32(h).End();
}

int Run() {
  ember::boards::CycleCounterEnable();
  ember::rt::SetLogHandler(&LogToHost);
  LineWriter w;
  w.Str("@ember begin ").Dec(EMBER_BENCH_PROTOCOL_VERSION).End();

  const EmberModelSlot* slot = FindSlot();
  if (slot->magic != EMBER_MODEL_SLOT_MAGIC) return Fail("no model in the model slot");
  if (slot->version != EMBER_MODEL_SLOT_VERSION) return Fail("model slot version mismatch");
  if (slot->num_inputs > EMBER_MODEL_SLOT_MAX_INPUTS) return Fail("too many inputs in slot");
  const uint8_t* model = reinterpret_cast<const uint8_t*>(slot) + slot->model_offset;

  const bool optimized = (slot->flags & EMBER_MODEL_SLOT_OPTIMIZED) != 0;
#if EMBER_BENCH_BENCHMARK_OPS_ONLY
  // Small-flash boards (boards/board_list.cmake): only the ops of the benchmark models
  // (VWW, hotword, conv_ref), reference kernels (such boards have no DSP extension, where
  // the optimized variant is the reference one). Other models' ops are reported by the
  // runtime as not registered in the resolver.
  static ember::kernels::MicroOpResolver<9> resolver;
  if (resolver.AddConv2d() != kEmberOk || resolver.AddDepthwiseConv2d() != kEmberOk ||
      resolver.AddAveragePool2d() != kEmberOk || resolver.AddMaxPool2d() != kEmberOk ||
      resolver.AddReshape() != kEmberOk || resolver.AddSoftmax() != kEmberOk ||
      resolver.AddFullyConnected() != kEmberOk || resolver.AddSvdf() != kEmberOk ||
      resolver.AddQuantize() != kEmberOk) {
    return Fail("adding the benchmark ops failed");
  }
  const bool dsp = false;
#else
  static ember::kernels::MicroOpResolver<ember::kernels::kAllOpsCount> resolver;
  if (ember::kernels::AddAllOps(resolver, optimized ? ember::kernels::KernelVariants::kOptimized
                                                    : ember::kernels::KernelVariants::kReference) !=
      kEmberOk) {
    return Fail("AddAllOps failed");
  }
  const bool dsp = optimized && ember::kernels::isa::kHaveDsp;
#endif
  w.Str("@ember variant ").Str(optimized ? "optimized" : "reference").Str(" ");
  w.Str(dsp ? "dsp" : "reference").End();
  static ember::rt::FixedProfiler<kMaxOps + 1> profiler(&ReadCycles);

  // The profiler's own cost: an event around an empty function called through a pointer,
  // as the interpreter calls a kernel. This is what an op's profiled cycles contain on top
  // of the kernel itself.
  {
    const int32_t h = profiler.BeginEvent("empty", 0);
    g_empty_kernel();
    profiler.EndEvent(h);
    w.Str("@ember timer ").Dec(profiler.event(0).ticks()).End();
    profiler.ClearEvents();
  }

  const size_t arena_bytes = static_cast<size_t>(__ember_arena_end - __ember_arena_start);
  static ember::rt::Interpreter interpreter(model, slot->model_bytes, resolver, __ember_arena_start,
                                            arena_bytes, &profiler);
  if (interpreter.AllocateTensors() != kEmberOk) return Fail("AllocateTensors failed");
  if (interpreter.operators_size() > kMaxOps) return Fail("model has too many ops");
  const ember::rt::ArenaUsage& usage = interpreter.arena_usage();
  w.Str("@ember arena ").Dec(usage.persistent).Str(" ").Dec(usage.nonpersistent).Str(" ");
  w.Dec(usage.total).Str(" ").Dec(usage.nonpersistent_reusing_inputs).Str(" ");
  w.Dec(usage.total_reusing_inputs).End();
  if (!CopyInputs(slot, interpreter)) return Fail("slot inputs do not match the model's inputs");

  profiler.ClearEvents();
  if (interpreter.Invoke() != kEmberOk) return Fail("Invoke failed");
  if (profiler.dropped_events() != 0) return Fail("profiler dropped events");

  // The Invoke event is the one with op_index -1.
  uint64_t invoke_begin = 0, invoke_end = 0;
  bool have_invoke = false;
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    const ember::rt::ProfileEvent& e = profiler.event(i);
    if (e.op_index < 0) {
      invoke_begin = e.begin;
      invoke_end = e.end;
      have_invoke = true;
    }
  }
  if (!have_invoke) return Fail("profiler recorded no Invoke event");
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    const ember::rt::ProfileEvent& e = profiler.event(i);
    if (e.op_index < 0) continue;
    const size_t op = static_cast<size_t>(e.op_index);
    w.Str("@ember op ").Dec(op).Str(" ").Str(e.tag).Str(" ").Dec(e.begin - invoke_begin);
    w.Str(" ").Dec(e.end - invoke_begin).Str(" ").Dec(interpreter.op_macs(op)).Str(" ");
    w.Hex32(InvokeAddress(resolver, interpreter.op_name(op))).End();
  }
  w.Str("@ember invoke ").Dec(invoke_end - invoke_begin).End();
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    const EmberTensor* t = interpreter.output(i);
    if (t == nullptr) return Fail("missing output tensor");
    w.Str("@ember output ").Dec(i).Str(" ").HexBytes(t->data, t->bytes).End();
  }

  if ((slot->flags & EMBER_MODEL_SLOT_CHECKSUMS) != 0) {
    if (interpreter.ResetVariableTensors() != kEmberOk) return Fail("ResetVariableTensors failed");
    if (!CopyInputs(slot, interpreter)) return Fail("slot inputs do not match the model");
    interpreter.SetOpObserver(&ReportChecksum, nullptr);
    if (interpreter.Invoke() != kEmberOk) return Fail("checksum Invoke failed");
    interpreter.SetOpObserver(nullptr, nullptr);
  }
  // A stack that used its whole region has most likely overflowed into the memory below
  // it (boards/common/memory_usage.h): results are not trusted, reported as an error.
  if (EmberStackUsedBytes() >= EmberStackSizeBytes()) {
    return Fail("the stack overflowed its region (the board's stack is too small for this "
                "model's kernels)");
  }
  w.Str("@ember end").End();
  return 0;
}

}  // namespace

int main() { return Run(); }
