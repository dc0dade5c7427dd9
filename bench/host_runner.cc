// Host golden runner (host_runner.h).
#include "bench/host_runner.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "bench/checksum.h"
#include "kernels/all_ops_resolver.h"
#include "runtime/interpreter.h"
#include "runtime/log.h"

namespace ember::bench {
namespace {

// The runtime's log handler is a plain function pointer: collect into a static string
// for the duration of one run (the bench command runs models one after another).
std::string* g_log = nullptr;
void CollectLog(const char* message) {
  if (g_log != nullptr) {
    if (!g_log->empty()) *g_log += "; ";
    *g_log += message;
  }
}

struct ObserverState {
  RunResult* out;
};

void Observe(void* user, const rt::OpObservation& obs) {
  auto* st = static_cast<ObserverState*>(user);
  OpProfile op;
  op.index = obs.op_index;
  op.name = obs.op_name;
  uint32_t h = EMBER_FNV1A_INIT;
  for (int32_t j = 0; j < obs.node->num_outputs; ++j) {
    const EmberEvalTensor* t = obs.output(j);
    if (t == nullptr || t->data == nullptr) continue;
    const uint32_t n = rt::TensorBytes(*t);
    h = EmberFnv1aUpdate(h, t->data, n);
    op.output_bytes += n;
  }
  op.checksum = h;
  op.has_checksum = true;
  op.macs = obs.interpreter->op_macs(static_cast<size_t>(obs.op_index));
  st->out->ops.push_back(op);
}

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

}  // namespace

std::vector<uint8_t> PatternBytes(size_t bytes) {
  std::vector<uint8_t> v(bytes);
  for (size_t i = 0; i < bytes; ++i) v[i] = static_cast<uint8_t>((i * 7 + 3) % 256);
  return v;
}

void RunOnHost(const std::vector<uint8_t>& model, const HostRunOptions& options, RunResult* out,
               std::vector<std::vector<uint8_t>>* inputs_used) {
  *out = RunResult{};
  inputs_used->clear();
  std::string log;
  g_log = &log;
  rt::LogHandler previous = rt::SetLogHandler(&CollectLog);
  auto finish = [&](const std::string& error) {
    rt::SetLogHandler(previous);
    g_log = nullptr;
    out->ok = error.empty();
    out->error = error;
    if (!error.empty() && !log.empty()) out->error += " (runtime: " + log + ")";
  };

  // The interpreter reads the model in place: give it 16-byte aligned copies.
  const size_t model_alloc = (model.size() + 15) / 16 * 16;
  std::unique_ptr<uint8_t, FreeDeleter> model_copy(
      static_cast<uint8_t*>(std::aligned_alloc(16, model_alloc == 0 ? 16 : model_alloc)));
  const size_t arena_alloc = (options.arena_bytes + 15) / 16 * 16;
  std::unique_ptr<uint8_t, FreeDeleter> arena(
      static_cast<uint8_t*>(std::aligned_alloc(16, arena_alloc)));
  if (!model_copy || !arena) return finish("out of host memory");
  if (!model.empty()) std::memcpy(model_copy.get(), model.data(), model.size());

  kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  if (kernels::AddAllOps(resolver) != kEmberOk) return finish("AddAllOps failed");
  rt::Interpreter interpreter(model_copy.get(), model.size(), resolver, arena.get(), arena_alloc);
  if (interpreter.AllocateTensors() != kEmberOk) return finish("AllocateTensors failed");
  const rt::ArenaUsage& usage = interpreter.arena_usage();
  out->arena.persistent = usage.persistent;
  out->arena.nonpersistent = usage.nonpersistent;
  out->arena.total = usage.total;

  if (!options.inputs.empty() && options.inputs.size() != interpreter.inputs_size()) {
    return finish("model has " + std::to_string(interpreter.inputs_size()) + " inputs, " +
                  std::to_string(options.inputs.size()) + " given");
  }
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    EmberTensor* t = interpreter.input(i);
    if (t == nullptr) return finish("no input tensor " + std::to_string(i));
    std::vector<uint8_t> bytes =
        options.inputs.empty() ? PatternBytes(t->bytes) : options.inputs[i];
    if (bytes.size() != t->bytes) {
      return finish("input " + std::to_string(i) + " needs " + std::to_string(t->bytes) +
                    " bytes, " + std::to_string(bytes.size()) + " given");
    }
    std::memcpy(t->data, bytes.data(), bytes.size());
    inputs_used->push_back(std::move(bytes));
  }

  ObserverState st{out};
  interpreter.SetOpObserver(&Observe, &st);
  if (interpreter.Invoke() != kEmberOk) return finish("Invoke failed");
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    const EmberTensor* t = interpreter.output(i);
    if (t == nullptr) return finish("no output tensor " + std::to_string(i));
    TensorBytes tb;
    tb.index = static_cast<int32_t>(i);
    const uint8_t* p = static_cast<const uint8_t*>(t->data);
    tb.bytes.assign(p, p + t->bytes);
    out->outputs.push_back(std::move(tb));
  }
  finish("");
}

}  // namespace ember::bench
