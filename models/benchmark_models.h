// The generated default benchmark models: the architectures of the paper's benchmarks
// with deterministic scrambled weights, so the benchmarks run on a machine without any
// downloaded model. The architecture lives in the generator code (vww_model.cc,
// hotword_model.cc, conv_ref_model.cc); nothing is read from real model files.
//
//   vww      MobileNet v1 0.25 person detector, as person_detect.tflite: int8
//            [1,96,96,1] -> int8 [1,2]; DEPTHWISE_CONV_2D x14, CONV_2D x14 (13 pointwise +
//            logits), AVERAGE_POOL_2D, RESHAPE, SOFTMAX; ReLU6, per-channel weights.
//   hotword  keyword model, as keyword_scrambled.tflite: int16 [1,96] -> int32 [1,2];
//            QUANTIZE, 7 SVDF (int16 state, rank 1) with 5 FULLY_CONNECTED between/after,
//            SOFTMAX (int8 -> int16), QUANTIZE (int16 -> int32).
//   conv_ref the paper's 'convolutional reference' model (Table 2): int8 [1,28,28,1] ->
//            CONV_2D 3x3 VALID ReLU (4 ch) -> CONV_2D 3x3 VALID ReLU (8 ch) ->
//            MAX_POOL_2D 2x2/2 -> FULLY_CONNECTED (10) -> SOFTMAX -> int8 [1,10].
//
// Each Build*Model call returns the same bytes every time, on every host.
#ifndef EMBER_MODELS_BENCHMARK_MODELS_H_
#define EMBER_MODELS_BENCHMARK_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "models/status.h"

namespace ember::models {

Status BuildVwwModel(std::vector<uint8_t>* out);
Status BuildHotwordModel(std::vector<uint8_t>* out);
Status BuildConvRefModel(std::vector<uint8_t>* out);

// The names accepted by BuildBenchmarkModel: "vww", "hotword", "conv_ref".
const std::vector<std::string>& BenchmarkModelNames();
Status BuildBenchmarkModel(const std::string& name, std::vector<uint8_t>* out);

}  // namespace ember::models

#endif  // EMBER_MODELS_BENCHMARK_MODELS_H_
