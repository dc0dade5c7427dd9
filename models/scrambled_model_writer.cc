#include "models/scrambled_model_writer.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace ember::models {
namespace {

constexpr double kInt8WeightM2 = 127.0 * 128.0 / 3.0;  // E[w^2], w uniform in [-127, 127]
constexpr int32_t kTimeWeightLimit = 512;              // SVDF int16 time weights
constexpr double kTimeWeightM2 = 512.0 * 513.0 / 3.0;
constexpr double kReluShift = 0.3;      // bias mean, in sigmas
constexpr double kReluVar = 0.467;      // Var[max(0,z)]/sigma^2, z~N(.3s,s)
constexpr double kStateSigma = 1500.0;  // SVDF state spread, int16 steps

bool IsRelu(EmberActivation a) {
  return a == kEmberActRelu || a == kEmberActRelu6 || a == kEmberActReluN1To1;
}

int32_t OutSize(int32_t in, int32_t kernel, int32_t stride, EmberPadding padding) {
  if (padding == kEmberPaddingSame) return (in + stride - 1) / stride;
  return (in - kernel + stride) / stride;
}

double OutputVar(EmberActivation act, double sigma) {
  return IsRelu(act) ? kReluVar * sigma * sigma : sigma * sigma;
}

double Mu(EmberActivation act, double sigma) { return IsRelu(act) ? kReluShift * sigma : 0.0; }

}  // namespace

ScrambledModelWriter::ScrambledModelWriter(uint64_t seed, std::string description) : rng_(seed) {
  builder_.set_description(std::move(description));
}

Activation ScrambledModelWriter::AddActivation(const std::string& name, TensorType type,
                                               std::vector<int32_t> shape, float scale,
                                               int32_t zero_point, double var) {
  Activation a;
  a.tensor = builder_.AddTensor(name, type, shape, Quantization::PerTensor(scale, zero_point));
  a.type = type;
  a.shape = std::move(shape);
  a.scale = scale;
  a.zero_point = zero_point;
  a.var = var;
  return a;
}

Activation ScrambledModelWriter::Input(std::string name, TensorType type,
                                       std::vector<int32_t> shape, float scale, int32_t zero_point,
                                       double var) {
  return AddActivation(name, type, std::move(shape), scale, zero_point, var);
}

std::vector<int8_t> ScrambledModelWriter::CenteredInt8(size_t rows, size_t row_length,
                                                       size_t stride) {
  std::vector<int8_t> v(rows * row_length);
  std::vector<int64_t> row(row_length);
  for (size_t r = 0; r < rows; ++r) {
    int64_t sum = 0;
    for (int64_t& x : row) sum += (x = rng_.UniformInt(-127, 127));
    if (row_length < 2) sum = 0;  // a single weight is not centered
    // Remove the row mean (rounded to nearest), so the row sums to about zero.
    const int64_t n = static_cast<int64_t>(row_length);
    const int64_t mean = (sum >= 0 ? sum + n / 2 : sum - n / 2) / n;
    for (size_t k = 0; k < row_length; ++k) {
      const int64_t x = std::min<int64_t>(127, std::max<int64_t>(-127, row[k] - mean));
      const size_t at = stride == 1 ? r * row_length + k : k * stride + r;
      v[at] = static_cast<int8_t>(x);
    }
  }
  return v;
}

std::vector<float> ScrambledModelWriter::VaryScales(double base, size_t count) {
  std::vector<float> s(count);
  for (float& x : s) x = static_cast<float>(base * (0.8 + 0.4 * rng_.Uniform01()));
  return s;
}

int32_t ScrambledModelWriter::AddBias(const std::string& name, size_t count, float in_scale,
                                      const std::vector<float>& w_scales, float out_scale,
                                      double mu, double jitter) {
  std::vector<int32_t> values(count);
  std::vector<float> scales(w_scales.size());
  for (size_t c = 0; c < w_scales.size(); ++c) {
    scales[c] = static_cast<float>(static_cast<double>(in_scale) * w_scales[c]);
  }
  for (size_t c = 0; c < count; ++c) {
    const double shift = mu + jitter * (2.0 * rng_.Uniform01() - 1.0);  // output steps
    const double bias_scale = scales[scales.size() == 1 ? 0 : c];
    values[c] = static_cast<int32_t>(std::lround(shift * out_scale / bias_scale));
  }
  Quantization q = scales.size() == 1 ? Quantization::PerTensor(scales[0], 0)
                                      : Quantization::PerChannel(scales, 0);
  return builder_.AddConstTensor(name, TensorType::INT32, {static_cast<int32_t>(count)},
                                 Int32Data(values), q);
}

Activation ScrambledModelWriter::Conv2d(const Activation& in, const ConvSpec& spec) {
  const int32_t in_ch = in.shape[3];
  const int32_t k = spec.kernel_h * spec.kernel_w * in_ch;
  const double base =
      spec.sigma * spec.out_scale / (in.scale * std::sqrt(k * kInt8WeightM2 * in.var));
  const std::vector<float> w_scales = VaryScales(base, spec.out_channels);
  const int32_t w = builder_.AddConstTensor(
      spec.name + "/weights", TensorType::INT8,
      {spec.out_channels, spec.kernel_h, spec.kernel_w, in_ch},
      Int8Data(CenteredInt8(spec.out_channels, k, 1)), Quantization::PerChannel(w_scales, 0));
  const int32_t b =
      AddBias(spec.name + "/bias", spec.out_channels, in.scale, w_scales, spec.out_scale,
              Mu(spec.activation, spec.sigma), kReluShift * spec.sigma);
  Activation out = AddActivation(
      spec.name + "/output", TensorType::INT8,
      {in.shape[0], OutSize(in.shape[1], spec.kernel_h, spec.stride, spec.padding),
       OutSize(in.shape[2], spec.kernel_w, spec.stride, spec.padding), spec.out_channels},
      spec.out_scale, spec.out_zero_point, OutputVar(spec.activation, spec.sigma));
  builder_.AddOperator(BuiltinOperator::CONV_2D, {in.tensor, w, b}, {out.tensor},
                       Conv2dOptions(spec.padding, spec.stride, spec.stride, spec.activation),
                       spec.version);
  return out;
}

Activation ScrambledModelWriter::DepthwiseConv2d(const Activation& in, const ConvSpec& spec) {
  const int32_t multiplier = spec.out_channels;
  const int32_t out_ch = in.shape[3] * multiplier;
  const int32_t k = spec.kernel_h * spec.kernel_w;
  const double base =
      spec.sigma * spec.out_scale / (in.scale * std::sqrt(k * kInt8WeightM2 * in.var));
  const std::vector<float> w_scales = VaryScales(base, out_ch);
  const int32_t w = builder_.AddConstTensor(
      spec.name + "/depthwise_weights", TensorType::INT8, {1, spec.kernel_h, spec.kernel_w, out_ch},
      Int8Data(CenteredInt8(out_ch, k, out_ch)), Quantization::PerChannel(w_scales, 3));
  const int32_t b = AddBias(spec.name + "/bias", out_ch, in.scale, w_scales, spec.out_scale,
                            Mu(spec.activation, spec.sigma), kReluShift * spec.sigma);
  Activation out =
      AddActivation(spec.name + "/output", TensorType::INT8,
                    {in.shape[0], OutSize(in.shape[1], spec.kernel_h, spec.stride, spec.padding),
                     OutSize(in.shape[2], spec.kernel_w, spec.stride, spec.padding), out_ch},
                    spec.out_scale, spec.out_zero_point, OutputVar(spec.activation, spec.sigma));
  builder_.AddOperator(
      BuiltinOperator::DEPTHWISE_CONV_2D, {in.tensor, w, b}, {out.tensor},
      DepthwiseConv2dOptions(spec.padding, spec.stride, spec.stride, multiplier, spec.activation),
      spec.version);
  return out;
}

Activation ScrambledModelWriter::FullyConnected(const Activation& in,
                                                const FullyConnectedSpec& spec) {
  int32_t elements = 1;
  for (int32_t d : in.shape) elements *= d;
  // Features: everything but the batch dimension (a [1, H, W, C] input is flattened).
  const int32_t features = elements / in.shape[0];
  const int32_t batch = in.shape[0];
  const double base =
      spec.sigma * spec.out_scale / (in.scale * std::sqrt(features * kInt8WeightM2 * in.var));
  const std::vector<float> w_scale = VaryScales(base, 1);
  const int32_t w = builder_.AddConstTensor(
      spec.name + "/weights", TensorType::INT8, {spec.units, features},
      Int8Data(CenteredInt8(spec.units, features, 1)), Quantization::PerTensor(w_scale[0], 0));
  const int32_t b = AddBias(spec.name + "/bias", spec.units, in.scale, w_scale, spec.out_scale,
                            Mu(spec.activation, spec.sigma), 0.3 * spec.sigma);
  Activation out =
      AddActivation(spec.name + "/output", TensorType::INT8, {batch, spec.units}, spec.out_scale,
                    spec.out_zero_point, OutputVar(spec.activation, spec.sigma));
  builder_.AddOperator(BuiltinOperator::FULLY_CONNECTED, {in.tensor, w, b}, {out.tensor},
                       FullyConnectedOptions(spec.activation), spec.version);
  return out;
}

Activation ScrambledModelWriter::Svdf(const Activation& in, const SvdfSpec& spec) {
  const int32_t batch = in.shape[0];
  const int32_t input_size = in.shape[1];
  const int32_t units = spec.num_filters / spec.rank;
  // Feature stage: input x feature weights -> int16 state with spread kStateSigma.
  const double wf_scale =
      kStateSigma * spec.state_scale / (in.scale * std::sqrt(input_size * kInt8WeightM2 * in.var));
  const int32_t wf = builder_.AddConstTensor(
      spec.name + "/weights_feature", TensorType::INT8, {spec.num_filters, input_size},
      Int8Data(CenteredInt8(spec.num_filters, input_size, 1)),
      Quantization::PerTensor(static_cast<float>(wf_scale), 0));
  // Time stage: state x time weights over the memory. The state fills one column per
  // invoke, so the sum has between 1 and memory_size terms; sqrt(memory_size) terms is
  // the geometric middle used for the scale.
  const double terms = std::sqrt(static_cast<double>(spec.memory_size));
  const double acc_sigma = std::sqrt(terms * kStateSigma * kStateSigma * kTimeWeightM2);
  const float wt_scale =
      static_cast<float>(spec.sigma * spec.out_scale / (spec.state_scale * acc_sigma));
  std::vector<int16_t> wt(static_cast<size_t>(spec.num_filters) * spec.memory_size);
  for (int16_t& x : wt) {
    x = static_cast<int16_t>(rng_.UniformInt(-kTimeWeightLimit, kTimeWeightLimit));
  }
  const int32_t wt_tensor = builder_.AddConstTensor(
      spec.name + "/weights_time", TensorType::INT16, {spec.num_filters, spec.memory_size},
      Int16Data(wt), Quantization::PerTensor(wt_scale, 0));
  const int32_t b = AddBias(spec.name + "/bias", units, spec.state_scale, {wt_scale},
                            spec.out_scale, Mu(spec.activation, spec.sigma), 0.3 * spec.sigma);
  const int32_t state = builder_.AddVariableTensor(spec.name + "/state", TensorType::INT16,
                                                   {batch, spec.num_filters * spec.memory_size},
                                                   Quantization::PerTensor(spec.state_scale, 0));
  Activation out =
      AddActivation(spec.name + "/output", TensorType::INT8, {batch, units}, spec.out_scale,
                    spec.out_zero_point, OutputVar(spec.activation, spec.sigma));
  builder_.AddOperator(BuiltinOperator::SVDF, {in.tensor, wf, wt_tensor, b, state}, {out.tensor},
                       SvdfOptions(spec.rank, spec.activation), spec.version);
  return out;
}

Activation ScrambledModelWriter::Pool2d(BuiltinOperator op, const Activation& in,
                                        const std::string& name, int32_t filter, int32_t stride,
                                        EmberPadding padding, int32_t version) {
  Activation out = AddActivation(name + "/output", in.type,
                                 {in.shape[0], OutSize(in.shape[1], filter, stride, padding),
                                  OutSize(in.shape[2], filter, stride, padding), in.shape[3]},
                                 in.scale, in.zero_point,
                                 // Averaging filter^2 roughly independent values divides
                                 // the variance by filter^2; the maximum keeps it.
                                 op == BuiltinOperator::AVERAGE_POOL_2D
                                     ? in.var / (static_cast<double>(filter) * filter)
                                     : in.var);
  builder_.AddOperator(op, {in.tensor}, {out.tensor},
                       Pool2dOptions(padding, stride, stride, filter, filter), version);
  return out;
}

Activation ScrambledModelWriter::Reshape(const Activation& in, const std::string& name,
                                         std::vector<int32_t> new_shape, int32_t version) {
  const int32_t shape =
      builder_.AddConstTensor(name + "/shape", TensorType::INT32,
                              {static_cast<int32_t>(new_shape.size())}, Int32Data(new_shape));
  Activation out =
      AddActivation(name + "/output", in.type, new_shape, in.scale, in.zero_point, in.var);
  builder_.AddOperator(BuiltinOperator::RESHAPE, {in.tensor, shape}, {out.tensor},
                       ReshapeOptions(new_shape), version);
  return out;
}

Activation ScrambledModelWriter::Softmax(const Activation& in, const std::string& name,
                                         TensorType out_type, float out_scale,
                                         int32_t out_zero_point, int32_t version) {
  Activation out =
      AddActivation(name + "/output", out_type, in.shape, out_scale, out_zero_point, 0.0);
  builder_.AddOperator(BuiltinOperator::SOFTMAX, {in.tensor}, {out.tensor}, SoftmaxOptions(1.0f),
                       version);
  return out;
}

Activation ScrambledModelWriter::Quantize(const Activation& in, const std::string& name,
                                          TensorType out_type, float out_scale,
                                          int32_t out_zero_point, double out_var, int32_t version) {
  Activation out =
      AddActivation(name + "/output", out_type, in.shape, out_scale, out_zero_point, out_var);
  builder_.AddOperator(BuiltinOperator::QUANTIZE, {in.tensor}, {out.tensor}, std::monostate{},
                       version);
  return out;
}

Status ScrambledModelWriter::Finish(const Activation& input, const Activation& output,
                                    std::vector<uint8_t>* out) {
  builder_.SetInputs({input.tensor});
  builder_.SetOutputs({output.tensor});
  return builder_.Build(out);
}

}  // namespace ember::models
