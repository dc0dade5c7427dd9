// Whole-model host benchmarks (Google Benchmark): one Invoke() of each benchmark model
// through the interpreter, per kernel variant.
//
//   BM_Model/<model>/<source>/<variant>
//     model    vww, hotword, conv_ref (the paper's benchmarks) and the hello_world models
//     source   real      ../shared/models/<file> (EMBER_MODELS_DIR), when present
//              generated the model builder's model of the same architecture
//     variant  reference | optimized (KernelVariants::kOptimized: DSP kernels where the
//              host build has them, the reference ones otherwise; both are bit-exact)
//
// Counters: MAC/s (the interpreter's per-op MAC counts summed) and the arena bytes used.
// Setup (loading, AllocateTensors) is outside the timed loop, as in the paper's tables.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "kernels/all_ops_resolver.h"
#include "models/benchmark_models.h"
#include "runtime/interpreter.h"

#ifndef EMBER_MODELS_DIR
#define EMBER_MODELS_DIR ""
#endif

namespace ember::bench {
namespace {

using kernels::KernelVariants;

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return !out->empty();
}

// Deterministic input: a byte pattern over the whole input buffer (the same for every run).
void FillInput(EmberTensor* t) {
  auto* bytes = static_cast<uint8_t*>(t->data);
  uint32_t state = 0x12345678u;
  for (size_t i = 0; i < t->bytes; ++i) {
    state = state * 1664525u + 1013904223u;
    bytes[i] = static_cast<uint8_t>(state >> 24);
  }
  if (t->type == kEmberFloat32) {  // keep floats finite: values in [-1, 1)
    auto* f = static_cast<float*>(t->data);
    for (size_t i = 0; i < t->bytes / sizeof(float); ++i) {
      f[i] = static_cast<float>(static_cast<int32_t>(i % 200) - 100) / 100.0f;
    }
  }
}

void RunModel(benchmark::State& state, const std::vector<uint8_t>& model,
              KernelVariants variant) {
  kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  if (kernels::AddAllOps(resolver, variant) != kEmberOk) {
    state.SkipWithError("AddAllOps failed");
    return;
  }
  constexpr size_t kArenaBytes = 512 * 1024;
  auto arena = std::make_unique<uint8_t[]>(kArenaBytes + 16);
  auto* aligned = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(arena.get()) + 15) & ~static_cast<uintptr_t>(15));
  rt::Interpreter interpreter(model.data(), model.size(), resolver, aligned, kArenaBytes);
  if (interpreter.AllocateTensors() != kEmberOk) {
    state.SkipWithError("AllocateTensors failed (see the log)");
    return;
  }
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) FillInput(interpreter.input(i));
  uint64_t macs = 0;
  for (size_t i = 0; i < interpreter.operators_size(); ++i) macs += interpreter.op_macs(i);
  for (auto _ : state) {
    if (interpreter.Invoke() != kEmberOk) {
      state.SkipWithError("Invoke failed (see the log)");
      return;
    }
    benchmark::ClobberMemory();
  }
  if (macs > 0) {
    state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(macs),
                                                 benchmark::Counter::kIsIterationInvariantRate);
  }
  state.counters["arena_bytes"] = static_cast<double>(interpreter.arena_used_bytes());
  state.counters["ops"] = static_cast<double>(interpreter.operators_size());
}

struct ModelEntry {
  const char* name;       // benchmark name part
  const char* real_file;  // file in EMBER_MODELS_DIR, or nullptr
  const char* generated;  // BuildBenchmarkModel name, or nullptr
};

constexpr ModelEntry kModels[] = {
    {"vww", "person_detect.tflite", "vww"},
    {"hotword", "keyword_scrambled.tflite", "hotword"},
    {"conv_ref", nullptr, "conv_ref"},
    {"micro_speech", "micro_speech_quantized.tflite", nullptr},
    {"hello_world_int8", "hello_world_int8.tflite", nullptr},
    {"hello_world_float", "hello_world_float.tflite", nullptr},
};

// Registers every (model, source, variant) that can be built on this machine. The model
// bytes live as long as the program (shared_ptr captured by the benchmark lambda).
bool RegisterModelBenchmarks() {
  const std::string dir = EMBER_MODELS_DIR;
  for (const ModelEntry& m : kModels) {
    for (int source = 0; source < 2; ++source) {
      auto bytes = std::make_shared<std::vector<uint8_t>>();
      std::string source_name;
      if (source == 0) {
        if (m.real_file == nullptr || dir.empty() || !ReadFile(dir + "/" + m.real_file, bytes.get())) {
          continue;  // real model absent: the generated one still runs
        }
        source_name = "real";
      } else {
        if (m.generated == nullptr || !models::BuildBenchmarkModel(m.generated, bytes.get()).ok()) {
          continue;
        }
        source_name = "generated";
      }
      for (KernelVariants v : {KernelVariants::kReference, KernelVariants::kOptimized}) {
        const std::string name = std::string("BM_Model/") + m.name + "/" + source_name + "/" +
                                 (v == KernelVariants::kReference ? "reference" : "optimized");
        benchmark::RegisterBenchmark(name.c_str(), [bytes, v](benchmark::State& state) {
          RunModel(state, *bytes, v);
        })->Unit(benchmark::kMicrosecond);
      }
    }
  }
  return true;
}

const bool g_registered = RegisterModelBenchmarks();

}  // namespace
}  // namespace ember::bench
