// The hotword benchmark architecture, laid out as keyword_scrambled.tflite: an int16
// feature vector quantized to int8, seven rank-1 SVDF layers (int8 feature weights,
// int16 time weights and state) with fully connected bottlenecks, an int8 -> int16
// softmax and a final int16 -> int32 requantization. Activation and state scales follow
// the real model's; all weights are scrambled.
#include <cstdint>

#include "models/benchmark_models.h"
#include "models/scrambled_model_writer.h"

namespace ember::models {
namespace {

constexpr uint64_t kSeed = 0x686F74776F72642Dull;  // "hotword-"
constexpr int32_t kSvdfVersion = 3;
constexpr int32_t kFullyConnectedVersion = 4;

struct SvdfLayer {
  int32_t filters;
  int32_t memory;
  float state_scale;
  float out_scale;  // ReLU output, zero point -128
};
struct FcLayer {
  int32_t units;
  float out_scale;
  int32_t out_zero_point;
};

// Layer i: SVDF kSvdf[i], followed by FULLY_CONNECTED kFc[i] for i < 4.
constexpr SvdfLayer kSvdf[] = {{64, 8, 0.00437f, 0.236183f},   {64, 8, 0.001837f, 0.131418f},
                               {64, 8, 0.001433f, 0.075163f},  {64, 8, 0.000541f, 0.040516f},
                               {32, 32, 0.000503f, 0.079785f}, {32, 32, 0.000514f, 0.065139f},
                               {32, 32, 0.000659f, 0.09586f}};
constexpr FcLayer kFc[] = {
    {16, 0.434007f, -7}, {16, 0.215942f, -8}, {16, 0.142925f, -13}, {16, 0.076717f, -2}};
constexpr FcLayer kLogits = {2, 0.069963f, 2};

}  // namespace

Status BuildHotwordModel(std::vector<uint8_t>* out) {
  ScrambledModelWriter w(kSeed, "ember generated hotword (SVDF keyword model, scrambled weights)");
  const Activation input = w.Input("input", TensorType::INT16, {1, 96}, 0.000625f, 0, 0.0);
  // int16 features -> int8 in [0, 15.1]; about half the values are clipped at 0, the
  // rest spread over the range: mean ~ 64 steps, E[x^2] ~ 10837, variance ~ 6741.
  Activation x = w.Quantize(input, "quantize_input", TensorType::INT8, 0.059208f, -128, 6741.0, 1);
  for (int i = 0; i < 7; ++i) {
    SvdfSpec s;
    s.name = "svdf_" + std::to_string(i);
    s.num_filters = kSvdf[i].filters;
    s.memory_size = kSvdf[i].memory;
    s.rank = 1;
    s.state_scale = kSvdf[i].state_scale;
    s.activation = kEmberActRelu;
    s.out_scale = kSvdf[i].out_scale;
    s.out_zero_point = -128;
    s.version = kSvdfVersion;
    x = w.Svdf(x, s);
    if (i < 4) {
      FullyConnectedSpec fc;
      fc.name = "fc_" + std::to_string(i);
      fc.units = kFc[i].units;
      fc.out_scale = kFc[i].out_scale;
      fc.out_zero_point = kFc[i].out_zero_point;
      fc.version = kFullyConnectedVersion;
      x = w.FullyConnected(x, fc);
    }
  }
  FullyConnectedSpec logits;
  logits.name = "logits";
  logits.units = kLogits.units;
  logits.out_scale = kLogits.out_scale;
  logits.out_zero_point = kLogits.out_zero_point;
  logits.version = kFullyConnectedVersion;
  x = w.FullyConnected(x, logits);
  // Softmax to int16 (TensorFlow Lite's int16 softmax output: scale 1/65536, zero point
  // -32768), then requantized to int32 with scale 1/32768.
  x = w.Softmax(x, "softmax", TensorType::INT16, 1.0f / 65536.0f, -32768, 2);
  const Activation output =
      w.Quantize(x, "quantize_output", TensorType::INT32, 1.0f / 32768.0f, 0, 0.0, 1);
  return w.Finish(input, output, out);
}

}  // namespace ember::models
