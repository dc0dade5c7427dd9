// Implementation of kernels/internal/quant_util.h (see there for the semantics).
#include "kernels/internal/quant_util.h"

#include <float.h>
#include <math.h>

namespace ember::kernels {

double RoundHalfAway(double x) { return round(x); }
float RoundHalfAwayF(float x) { return roundf(x); }

void QuantizeMultiplier(double double_multiplier, int32_t* quantized_multiplier,
                        int* shift) {
  if (double_multiplier == 0.0) {
    *quantized_multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = frexp(double_multiplier, &exponent);  // |q| in [0.5, 1)
  int64_t q_fixed = static_cast<int64_t>(RoundHalfAway(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // rounding reached 1.0: renormalize
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {  // every bit would be shifted out: flush to zero
    exponent = 0;
    q_fixed = 0;
  }
  *quantized_multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

bool QuantizeMultiplierSmallerThanOneExp(double double_multiplier,
                                         int32_t* quantized_multiplier, int* left_shift) {
  *quantized_multiplier = 0;
  *left_shift = 0;
  if (!(double_multiplier < 1.0) || !(double_multiplier > 0.0)) return false;
  int shift = 0;
  QuantizeMultiplier(double_multiplier, quantized_multiplier, &shift);
  if (shift > 0) return false;
  *left_shift = shift;
  return true;
}

bool QuantizeMultiplierGreaterThanOne(double double_multiplier,
                                      int32_t* quantized_multiplier, int* left_shift) {
  *quantized_multiplier = 0;
  *left_shift = 0;
  if (!(double_multiplier > 1.0)) return false;
  QuantizeMultiplier(double_multiplier, quantized_multiplier, left_shift);
  return *left_shift >= 0;
}

bool PreprocessSoftmaxScaling(double beta, double input_scale, int input_integer_bits,
                              int32_t* quantized_multiplier, int* left_shift) {
  double m = beta * input_scale * static_cast<double>(1 << (31 - input_integer_bits));
  const double cap = static_cast<double>(int64_t{1} << 31) - 1.0;
  if (m > cap) m = cap;
  return QuantizeMultiplierGreaterThanOne(m, quantized_multiplier, left_shift);
}

int CalculateInputRadius(int input_integer_bits, int input_left_shift,
                         int total_signed_bits) {
  const double max_input_rescaled =
      1.0 * ((1 << input_integer_bits) - 1) *
      static_cast<double>(int64_t{1} << (total_signed_bits - input_integer_bits)) /
      static_cast<double>(int64_t{1} << input_left_shift);
  return static_cast<int>(floor(max_input_rescaled));
}

bool TypeRange(EmberType type, int32_t* min, int32_t* max) {
  switch (type) {
    case kEmberInt8: *min = -128; *max = 127; return true;
    case kEmberUInt8: *min = 0; *max = 255; return true;
    case kEmberInt16: *min = -32768; *max = 32767; return true;
    case kEmberInt32: *min = INT32_MIN; *max = INT32_MAX; return true;
    default: return false;
  }
}

EmberStatus CalculateActivationRangeQuantized(EmberActivation activation, EmberType type,
                                              float scale, int32_t zero_point,
                                              int32_t* act_min, int32_t* act_max) {
  int32_t qmin = 0;
  int32_t qmax = 0;
  if (!TypeRange(type, &qmin, &qmax) || !(scale > 0.0f)) return kEmberError;
  auto quantize = [scale, zero_point](float f) {
    return zero_point + static_cast<int32_t>(RoundHalfAwayF(f / scale));
  };
  auto max32 = [](int32_t a, int32_t b) { return a > b ? a : b; };
  auto min32 = [](int32_t a, int32_t b) { return a < b ? a : b; };
  switch (activation) {
    case kEmberActNone: *act_min = qmin; *act_max = qmax; return kEmberOk;
    case kEmberActRelu:
      *act_min = max32(qmin, quantize(0.0f));
      *act_max = qmax;
      return kEmberOk;
    case kEmberActRelu6:
      *act_min = max32(qmin, quantize(0.0f));
      *act_max = min32(qmax, quantize(6.0f));
      return kEmberOk;
    case kEmberActReluN1To1:
      *act_min = max32(qmin, quantize(-1.0f));
      *act_max = min32(qmax, quantize(1.0f));
      return kEmberOk;
    default: return kEmberError;
  }
}

EmberStatus CalculateActivationRangeFloat(EmberActivation activation, float* act_min,
                                          float* act_max) {
  switch (activation) {
    case kEmberActNone: *act_min = -FLT_MAX; *act_max = FLT_MAX; return kEmberOk;
    case kEmberActRelu: *act_min = 0.0f; *act_max = FLT_MAX; return kEmberOk;
    case kEmberActRelu6: *act_min = 0.0f; *act_max = 6.0f; return kEmberOk;
    case kEmberActReluN1To1: *act_min = -1.0f; *act_max = 1.0f; return kEmberOk;
    default: return kEmberError;
  }
}

const char* ActivationName(EmberActivation activation) {
  switch (activation) {
    case kEmberActNone: return "NONE";
    case kEmberActRelu: return "RELU";
    case kEmberActReluN1To1: return "RELU_N1_TO_1";
    case kEmberActRelu6: return "RELU6";
    case kEmberActTanh: return "TANH";
    case kEmberActSignBit: return "SIGN_BIT";
  }
  return "UNKNOWN";
}

const char* TypeName(EmberType type) {
  switch (type) {
    case kEmberFloat32: return "FLOAT32";
    case kEmberFloat16: return "FLOAT16";
    case kEmberInt32: return "INT32";
    case kEmberUInt8: return "UINT8";
    case kEmberInt64: return "INT64";
    case kEmberString: return "STRING";
    case kEmberBool: return "BOOL";
    case kEmberInt16: return "INT16";
    case kEmberComplex64: return "COMPLEX64";
    case kEmberInt8: return "INT8";
    case kEmberFloat64: return "FLOAT64";
  }
  return "UNKNOWN";
}

uint32_t TypeSize(EmberType type) {
  switch (type) {
    case kEmberFloat32: case kEmberInt32: return 4;
    case kEmberFloat16: case kEmberInt16: return 2;
    case kEmberUInt8: case kEmberInt8: case kEmberBool: return 1;
    case kEmberInt64: case kEmberFloat64: case kEmberComplex64: return 8;
    default: return 0;
  }
}

int32_t ElementCount(const EmberTensor* t) {
  int32_t n = 1;
  for (int32_t i = 0; i < t->num_dims; ++i) n *= t->dims[i];
  return n;
}

int32_t ElementCount(const EmberEvalTensor* t) {
  int32_t n = 1;
  for (int32_t i = 0; i < t->num_dims; ++i) n *= t->dims[i];
  return n;
}

uint32_t TensorBytes(const EmberEvalTensor* t) {
  return static_cast<uint32_t>(ElementCount(t)) * TypeSize(static_cast<EmberType>(t->type));
}

int32_t ElementCountSkipDim(const EmberTensor* t, int32_t skip_dim) {
  int32_t n = 1;
  for (int32_t i = 0; i < t->num_dims; ++i) {
    if (i != skip_dim) n *= t->dims[i];
  }
  return n;
}

bool SameShape(const EmberTensor* a, const EmberTensor* b) {
  if (a->num_dims != b->num_dims) return false;
  for (int32_t i = 0; i < a->num_dims; ++i) {
    if (a->dims[i] != b->dims[i]) return false;
  }
  return true;
}

int32_t ComputeOutSize(EmberPadding padding, int32_t in_size, int32_t filter_size,
                       int32_t stride, int32_t dilation) {
  if (stride <= 0) return 0;
  const int32_t effective_filter = (filter_size - 1) * dilation + 1;
  switch (padding) {
    case kEmberPaddingSame: return (in_size + stride - 1) / stride;
    case kEmberPaddingValid: return (in_size + stride - effective_filter) / stride;
  }
  return 0;
}

int32_t ComputePaddingWithOffset(int32_t stride, int32_t dilation, int32_t in_size,
                                 int32_t filter_size, int32_t out_size, int32_t* offset) {
  const int32_t effective_filter = (filter_size - 1) * dilation + 1;
  int32_t total = (out_size - 1) * stride + effective_filter - in_size;
  total = total > 0 ? total : 0;
  *offset = total % 2;
  return total / 2;
}

PaddingValues ComputePaddingHeightWidth(int32_t stride_h, int32_t stride_w,
                                        int32_t dilation_h, int32_t dilation_w,
                                        int32_t in_h, int32_t in_w, int32_t filter_h,
                                        int32_t filter_w, EmberPadding padding,
                                        int32_t* out_h, int32_t* out_w) {
  *out_w = ComputeOutSize(padding, in_w, filter_w, stride_w, dilation_w);
  *out_h = ComputeOutSize(padding, in_h, filter_h, stride_h, dilation_h);
  PaddingValues p{};
  p.height =
      ComputePaddingWithOffset(stride_h, dilation_h, in_h, filter_h, *out_h, &p.height_offset);
  p.width =
      ComputePaddingWithOffset(stride_w, dilation_w, in_w, filter_w, *out_w, &p.width_offset);
  return p;
}

void ComputePerChannelMultipliers(float input_scale, const EmberQuantization& filter_q,
                                  float output_scale, int32_t num_channels,
                                  int32_t* multipliers, int8_t* shifts) {
  for (int32_t c = 0; c < num_channels; ++c) {
    const double filter_scale = static_cast<double>(ChannelScale(filter_q, c));
    const double effective = static_cast<double>(input_scale) * filter_scale /
                             static_cast<double>(output_scale);
    int shift = 0;
    QuantizeMultiplier(effective, &multipliers[c], &shift);
    shifts[c] = static_cast<int8_t>(shift < -128 ? -128 : (shift > 127 ? 127 : shift));
  }
}

void ComputeProductScaleMultiplier(float input_scale, float filter_scale,
                                   float output_scale, int32_t* multiplier, int* shift) {
  const float product = input_scale * filter_scale;  // float product, as TFLite
  const double real = static_cast<double>(product) / static_cast<double>(output_scale);
  QuantizeMultiplier(real, multiplier, shift);
}

}  // namespace ember::kernels
