// ScrambledModelWriter: builds int8 benchmark models layer by layer with deterministic
// pseudo-random ("scrambled") weights, choosing every weight scale so that activations
// stay inside their quantized range and outputs are not degenerate.
//
// Scale choice (no calibration data exists, so it is done analytically): weights are
// uniform integers (int8 in [-127, 127], E[w^2] = 127*128/3; SVDF int16 time weights
// in [-512, 512], as in the real keyword model). Each int8 weight row (the weights of
// one output) has its mean removed, so an output responds to how its inputs differ
// rather than to their common level: without this, the 27 ReLU layers of VWW map
// every image to the same output (random ReLU networks drive the correlation of any
// two inputs towards 1). Each activation carries var = the variance of its quantized
// values for typical inputs. For a layer summing K products the accumulator's standard
// deviation is sqrt(K * E[w^2] * var_in), and the weight scale
//   s_w = sigma * s_out / (s_in * sqrt(K * E[w^2] * var_in))
// makes the pre-activation output's standard deviation `sigma` output steps (48 for
// hidden layers). Biases shift each channel by about +0.3 sigma before ReLU/ReLU6, so
// most units stay alive; after ReLU, var_out = 0.467 * sigma^2 (the variance of
// max(0, z) for z ~ N(0.3 sigma, sigma)). Per-channel scales vary by 0.8x-1.2x.
// Only integer PRNG draws, + - * / and sqrt are used, so the bytes are the same on
// every IEEE-754 host.
#ifndef EMBER_MODELS_SCRAMBLED_MODEL_WRITER_H_
#define EMBER_MODELS_SCRAMBLED_MODEL_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "models/model_builder.h"
#include "models/prng.h"

namespace ember::models {

// An activation tensor and its statistics.
struct Activation {
  int32_t tensor = -1;
  TensorType type = TensorType::INT8;
  std::vector<int32_t> shape;
  float scale = 1.0f;
  int32_t zero_point = 0;
  double var = 0.0;  // variance of q for typical inputs (in quantized steps^2)
};

struct ConvSpec {
  std::string name;
  int32_t out_channels = 0;  // CONV_2D: filters; DEPTHWISE_CONV_2D: depth multiplier
  int32_t kernel_h = 1, kernel_w = 1;
  int32_t stride = 1;
  EmberPadding padding = kEmberPaddingSame;
  EmberActivation activation = kEmberActNone;
  float out_scale = 1.0f;
  int32_t out_zero_point = 0;
  int32_t version = 1;
  double sigma = 48.0;  // pre-activation output spread, in output steps
};

struct FullyConnectedSpec {
  std::string name;
  int32_t units = 0;
  EmberActivation activation = kEmberActNone;
  float out_scale = 1.0f;
  int32_t out_zero_point = 0;
  int32_t version = 1;
  double sigma = 40.0;
};

struct SvdfSpec {
  std::string name;
  int32_t num_filters = 0;
  int32_t memory_size = 0;
  int32_t rank = 1;
  float state_scale = 1.0f;  // int16 activation state, zero point 0
  EmberActivation activation = kEmberActRelu;
  float out_scale = 1.0f;
  int32_t out_zero_point = 0;
  int32_t version = 1;
  double sigma = 40.0;
};

class ScrambledModelWriter {
 public:
  ScrambledModelWriter(uint64_t seed, std::string description);

  Activation Input(std::string name, TensorType type, std::vector<int32_t> shape, float scale,
                   int32_t zero_point, double var);
  // CONV_2D with per-channel int8 weights [out, kh, kw, in] (quantized dimension 0)
  // and int32 bias.
  Activation Conv2d(const Activation& in, const ConvSpec& spec);
  // DEPTHWISE_CONV_2D, weights [1, kh, kw, in * multiplier] (quantized dimension 3).
  Activation DepthwiseConv2d(const Activation& in, const ConvSpec& spec);
  // FULLY_CONNECTED with per-tensor int8 weights [units, features]; the input is
  // flattened to [elements / features, features] as TensorFlow Lite does.
  Activation FullyConnected(const Activation& in, const FullyConnectedSpec& spec);
  // SVDF (int8 input/output, int8 feature weights, int16 time weights and state).
  Activation Svdf(const Activation& in, const SvdfSpec& spec);
  // AVERAGE_POOL_2D / MAX_POOL_2D; the output keeps the input's quantization.
  Activation Pool2d(BuiltinOperator op, const Activation& in, const std::string& name,
                    int32_t filter, int32_t stride, EmberPadding padding, int32_t version);
  // RESHAPE with a constant int32 shape input and the new_shape option.
  Activation Reshape(const Activation& in, const std::string& name, std::vector<int32_t> new_shape,
                     int32_t version);
  Activation Softmax(const Activation& in, const std::string& name, TensorType out_type,
                     float out_scale, int32_t out_zero_point, int32_t version);
  // QUANTIZE (requantize or int16 -> int8); out_var is the output's expected variance.
  Activation Quantize(const Activation& in, const std::string& name, TensorType out_type,
                      float out_scale, int32_t out_zero_point, double out_var, int32_t version);

  Status Finish(const Activation& input, const Activation& output, std::vector<uint8_t>* out);

 private:
  Activation AddActivation(const std::string& name, TensorType type, std::vector<int32_t> shape,
                           float scale, int32_t zero_point, double var);
  // rows x row_length int8 weights, uniform in [-127, 127] minus the row's mean (so each
  // output sums over centered inputs). stride 1: rows are contiguous; otherwise element
  // k of row r is at k * stride + r (the depthwise [1, kh, kw, channels] layout).
  std::vector<int8_t> CenteredInt8(size_t rows, size_t row_length, size_t stride);
  // Per-channel weight scales: base * [0.8, 1.2).
  std::vector<float> VaryScales(double base, size_t count);
  // `count` int32 biases (scale in_scale * w_scale) shifting each output by mu +- jitter
  // output steps; per-channel when w_scales has more than one entry.
  int32_t AddBias(const std::string& name, size_t count, float in_scale,
                  const std::vector<float>& w_scales, float out_scale, double mu, double jitter);

  ModelBuilder builder_;
  SplitMix64 rng_;
};

}  // namespace ember::models

#endif  // EMBER_MODELS_SCRAMBLED_MODEL_WRITER_H_
