// The paper's 'convolutional reference' model (TFLM paper, Table 2: two CONV_2D, a
// MAX_POOL_2D, a FULLY_CONNECTED layer and an activation). The paper gives no shapes;
// ours is a small MNIST-sized int8 classifier whose largest pair of live activations
// (26x26x4 + 24x24x8 = 7,312 bytes) is close to the paper's 7.75 kB nonpersistent arena:
//   int8 [1,28,28,1] -> CONV_2D 3x3 VALID ReLU -> [1,26,26,4]
//   -> CONV_2D 3x3 VALID ReLU -> [1,24,24,8] -> MAX_POOL_2D 2x2 stride 2 -> [1,12,12,8]
//   -> FULLY_CONNECTED (1152 -> 10) -> SOFTMAX -> int8 [1,10]
#include <cstdint>

#include "models/benchmark_models.h"
#include "models/scrambled_model_writer.h"

namespace ember::models {

namespace {
constexpr uint64_t kSeed = 0x636F6E765F726566ull;  // "conv_ref"
constexpr float kReluScale = 0.02f;                // ReLU outputs in [0, 5.1], zero point -128
}  // namespace

Status BuildConvRefModel(std::vector<uint8_t>* out) {
  ScrambledModelWriter w(kSeed, "ember generated convolutional reference model (scrambled)");
  // Input: an image in [0, 1] (scale 1/255, zero point -128); q uniform over its 256
  // values: variance ~ 256^2 / 12.
  const Activation input =
      w.Input("input", TensorType::INT8, {1, 28, 28, 1}, 1.0f / 255.0f, -128, 5461.0);
  ConvSpec c1;
  c1.name = "conv_1";
  c1.out_channels = 4;
  c1.kernel_h = c1.kernel_w = 3;
  c1.padding = kEmberPaddingValid;
  c1.activation = kEmberActRelu;
  c1.out_scale = kReluScale;
  c1.out_zero_point = -128;
  c1.version = 3;
  Activation x = w.Conv2d(input, c1);
  ConvSpec c2 = c1;
  c2.name = "conv_2";
  c2.out_channels = 8;
  x = w.Conv2d(x, c2);
  x = w.Pool2d(BuiltinOperator::MAX_POOL_2D, x, "max_pool", 2, 2, kEmberPaddingValid, 2);
  FullyConnectedSpec fc;
  fc.name = "dense";
  fc.units = 10;
  fc.out_scale = 0.1f;
  fc.out_zero_point = 0;
  fc.version = 4;
  // Logits spread of about +-1.2 (12 steps of 0.1): the softmax gives graded
  // probabilities over the 10 classes rather than one near-certain class.
  fc.sigma = 12.0;
  x = w.FullyConnected(x, fc);
  const Activation output = w.Softmax(x, "softmax", TensorType::INT8, 1.0f / 256.0f, -128, 2);
  return w.Finish(input, output, out);
}

}  // namespace ember::models
