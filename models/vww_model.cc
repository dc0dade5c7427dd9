// The VWW benchmark architecture: MobileNet v1 with width multiplier 0.25 on a 96x96
// grayscale image, laid out exactly as person_detect.tflite (layer shapes, strides,
// SAME padding, ReLU6, per-channel int8 weights with int32 biases, op versions and
// activation quantization), with scrambled weights.
#include <cstdint>

#include "models/benchmark_models.h"
#include "models/scrambled_model_writer.h"

namespace ember::models {
namespace {

constexpr uint64_t kSeed = 0x7677772D6D6F6465ull;  // "vww-mode"
constexpr float kRelu6Scale = 0.023529f;           // 6 / 255: ReLU6 outputs, zero point -128
constexpr float kLastBlockScale = 0.018609f;       // block 13 and the average pool
constexpr float kLogitsScale = 0.012519f;          // logits, zero point -1
constexpr int32_t kDepthwiseVersion = 3;
constexpr int32_t kConvVersion = 2;

// One depthwise-separable block: 3x3 depthwise (stride) then 1x1 pointwise conv.
struct Block {
  int32_t stride;
  int32_t out_channels;
};
// Blocks 1..13 of MobileNet v1 0.25 (channels 16 ... 256).
constexpr Block kBlocks[] = {{1, 16},  {2, 32},  {1, 32},  {2, 64},  {1, 64},  {2, 128}, {1, 128},
                             {1, 128}, {1, 128}, {1, 128}, {1, 128}, {2, 256}, {1, 256}};

}  // namespace

Status BuildVwwModel(std::vector<uint8_t>* out) {
  ScrambledModelWriter w(kSeed, "ember generated VWW (MobileNet v1 0.25, scrambled weights)");
  // Input: the grayscale pixels copied unchanged into int8 (scale 1/127.5, zero point -1),
  // so q is spread over all 256 values: variance ~ 256^2 / 12.
  const Activation input =
      w.Input("input", TensorType::INT8, {1, 96, 96, 1}, 0.007843f, -1, 5461.0);
  // Layer 0: the first 3x3 stride-2 convolution, written (as in the real model) as a
  // depthwise convolution with depth multiplier 8 on the single input channel.
  ConvSpec first;
  first.name = "conv_0";
  first.out_channels = 8;  // depth multiplier
  first.kernel_h = first.kernel_w = 3;
  first.stride = 2;
  first.activation = kEmberActRelu6;
  first.out_scale = kRelu6Scale;
  first.out_zero_point = -128;
  first.version = kDepthwiseVersion;
  Activation x = w.DepthwiseConv2d(input, first);

  int index = 1;
  for (const Block& block : kBlocks) {
    const bool last = index == 13;
    ConvSpec dw = first;
    dw.name = "block_" + std::to_string(index) + "/depthwise";
    dw.out_channels = 1;
    dw.stride = block.stride;
    x = w.DepthwiseConv2d(x, dw);
    ConvSpec pw;
    pw.name = "block_" + std::to_string(index) + "/pointwise";
    pw.out_channels = block.out_channels;
    pw.activation = kEmberActRelu6;
    pw.out_scale = last ? kLastBlockScale : kRelu6Scale;
    pw.out_zero_point = -128;
    pw.version = kConvVersion;
    x = w.Conv2d(x, pw);
    ++index;
  }
  x = w.Pool2d(BuiltinOperator::AVERAGE_POOL_2D, x, "avg_pool", 3, 2, kEmberPaddingValid, 2);
  ConvSpec logits;
  logits.name = "logits";
  logits.out_channels = 2;
  logits.out_scale = kLogitsScale;
  logits.out_zero_point = -1;
  logits.version = kConvVersion;
  // The pooled features vary less between images than their variance estimate says
  // (neighbouring positions are correlated), so the logits get a wider target spread;
  // 120 steps gives clearly image-dependent probabilities without saturating.
  logits.sigma = 120.0;
  x = w.Conv2d(x, logits);
  x = w.Reshape(x, "squeeze", {1, 2}, 1);
  const Activation output = w.Softmax(x, "predictions", TensorType::INT8, 1.0f / 256.0f, -128, 2);
  return w.Finish(input, output, out);
}

}  // namespace ember::models
