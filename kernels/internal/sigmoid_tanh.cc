// See kernels/internal/sigmoid_tanh.h.
#include "kernels/internal/sigmoid_tanh.h"

#include <math.h>

#include "kernels/internal/fixed_point.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"

namespace ember::kernels {
namespace {

// 65536 * sigmoid(i / 24) for i = 0..255 in unsigned 0.16 format: the values published
// with TensorFlow Lite's reference kernels (tuned for linear interpolation, so a few
// entries differ by one count from plain rounding). Required for bit-exactness.
constexpr uint16_t kSigmoidTable[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

constexpr int kInt8InputIntegerBits = 4;

// gemmlowp's logistic for a Q4 input, result in Q0.
int32_t LogisticQ4(int32_t x) {
  using namespace fixed_point;  // NOLINT
  if (x == 0) return 1 << 30;
  const int32_t abs_x = x > 0 ? x : -x;
  const int32_t e = ExpOnNegativeValues(-abs_x, kInt8InputIntegerBits);  // exp(-|x|)
  const int32_t positive = OneOverOnePlusXForXIn01(e);
  return x > 0 ? positive
               : static_cast<int32_t>(static_cast<uint32_t>(kQ0One) -
                                      static_cast<uint32_t>(positive));
}

// gemmlowp's one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a), a in Q0.
int32_t OneMinusXOverOnePlusX(int32_t a) {
  using namespace fixed_point;  // NOLINT
  const int32_t half_denominator = RoundingHalfSum(a, kQ0One);
  const int32_t k48Over17 = 1515870810;     // Q2
  const int32_t kNeg32Over17 = -1010580540;  // Q2
  const int32_t q2_one = 1 << 29;
  int32_t x = k48Over17 + Mul(half_denominator, kNeg32Over17);
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus = q2_one - Mul(half_denominator, x);
    x = x + Rescale(Mul(x, one_minus), 4, 2);
  }
  return Rescale(x - q2_one, 2, 0);
}

// gemmlowp's tanh for a Q4 input, result in Q0.
int32_t TanhQ4(int32_t x) {
  using namespace fixed_point;  // NOLINT
  if (x == 0) return 0;
  const int32_t neg_abs = x < 0 ? x : -x;
  // -|x| * 2 reinterpreted as Q5 (same raw value).
  const int32_t e = ExpOnNegativeValues(neg_abs, kInt8InputIntegerBits + 1);
  const int32_t t = OneMinusXOverOnePlusX(e);  // tanh(|x|)
  return x < 0 ? -t : t;
}

bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2_result = static_cast<int>(rounded);
  return fabsf(x_log2 - rounded) < 1e-3f;
}

// Input in the table's fixed point: Q3.12 scaled by 3.
inline int32_t Int16TableInput(const SigmoidTanhParams& p, int16_t q) {
  if (p.input_multiplier == 0) return static_cast<int32_t>(q) * (3 << p.input_shift);
  const int32_t round = p.input_shift > 0 ? (1 << (p.input_shift - 1)) : 0;
  return (static_cast<int32_t>(q) * p.input_multiplier + round) >> p.input_shift;
}

}  // namespace

EmberStatus PrepareSigmoidTanh(EmberContext* ctx, const EmberTensor* in, const EmberTensor* out,
                               bool is_tanh, const char* name, SigmoidTanhParams* p) {
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "%s: input %s and output %s types differ", name,
                     TypeName(in->type), TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx, ElementCount(in) == ElementCount(out),
                     "%s: input and output element counts differ", name);
  p->count = ElementCount(in);
  p->type = in->type;
  p->input_multiplier = 0;
  p->input_shift = 0;
  p->input_radius = 0;
  p->input_zero_point = 0;
  if (in->type == kEmberFloat32) return kEmberOk;
  EMBER_KERNEL_CHECK(ctx, in->type == kEmberInt8 || in->type == kEmberInt16,
                     "%s: unsupported type %s (float32, int8 and int16 are supported)", name,
                     TypeName(in->type));
  EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1 &&
                              in->quant.scale > 0.f && out->quant.scale > 0.f,
                     "%s: input and output need per-tensor quantization", name);
  if (in->type == kEmberInt8) {
    const double expected_scale = is_tanh ? 1.0 / 128 : 1.0 / 256;
    const int32_t expected_zp = is_tanh ? 0 : -128;
    EMBER_KERNEL_CHECK(ctx,
                       out->quant.zero_point == expected_zp &&
                           fabs(static_cast<double>(out->quant.scale) - expected_scale) <
                               expected_scale * 1e-6,
                       "%s: int8 output must have scale 1/%d and zero point %d", name,
                       is_tanh ? 128 : 256, static_cast<int>(expected_zp));
    const double m = static_cast<double>(in->quant.scale) *
                     static_cast<double>(1 << (31 - kInt8InputIntegerBits));
    int exponent = 0;
    const double q = frexp(m, &exponent);
    p->input_multiplier = static_cast<int32_t>(round(q * static_cast<double>(1ll << 31)));
    p->input_shift = exponent;
    EMBER_KERNEL_CHECK(ctx, exponent <= 30, "%s: input scale %f too large", name,
                       static_cast<double>(in->quant.scale));
    p->input_radius = CalculateInputRadius(kInt8InputIntegerBits, exponent, 31);
    p->input_zero_point = in->quant.zero_point;
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, in->quant.zero_point == 0 && out->quant.zero_point == 0,
                     "%s: int16 tensors must have zero point 0", name);
  int out_log2 = 0;
  EMBER_KERNEL_CHECK(ctx, CheckedLog2(out->quant.scale, &out_log2) && out_log2 == -15,
                     "%s: int16 output scale must be 2^-15", name);
  int in_log2 = 0;
  bool pot = CheckedLog2(in->quant.scale, &in_log2);
  int shift = (15 - 3) + in_log2;
  pot = pot && (shift == 0 || shift == 1);
  if (pot) {
    p->input_shift = shift;
    return kEmberOk;
  }
  double multiplier = static_cast<double>(in->quant.scale) * 4096.0 * 3.0;
  shift = 0;
  while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    multiplier *= 2.0;
  }
  EMBER_KERNEL_CHECK(ctx, multiplier <= 32767.0 && multiplier >= 1.0,
                     "%s: int16 input scale %f out of the supported range", name,
                     static_cast<double>(in->quant.scale));
  p->input_multiplier = static_cast<int32_t>(multiplier);
  p->input_shift = shift;
  return kEmberOk;
}

void* SigmoidTanhInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(SigmoidTanhParams));
}

EmberStatus SigmoidTanhNodePrepare(EmberContext* ctx, EmberNode* node, const SigmoidTanhOp& op) {
  auto* p = static_cast<SigmoidTanhParams*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, p != nullptr, "%s: out of arena memory for op data", op.name);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "%s: expected 1 input and 1 output", op.name);
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && out, "%s: missing input or output tensor", op.name);
  return PrepareSigmoidTanh(ctx, in, out, op.is_tanh, op.name, p);
}

void LogisticInt8(const SigmoidTanhParams& p, const int8_t* in, int8_t* out) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t v = static_cast<int32_t>(in[i]) - p.input_zero_point;
    if (v <= -p.input_radius) {
      out[i] = -128;
    } else if (v >= p.input_radius) {
      out[i] = 127;
    } else {
      const int32_t x = MultiplyByQuantizedMultiplier(v, p.input_multiplier, p.input_shift);
      const int32_t y = RoundingDivideByPOT(LogisticQ4(x), 31 - 8) - 128;
      out[i] = static_cast<int8_t>(Clamp32(y, -128, 127));
    }
  }
}

void TanhInt8(const SigmoidTanhParams& p, const int8_t* in, int8_t* out) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t v = static_cast<int32_t>(in[i]) - p.input_zero_point;
    if (v <= -p.input_radius) {
      out[i] = -128;
    } else if (v >= p.input_radius) {
      out[i] = 127;
    } else {
      const int32_t x = MultiplyByQuantizedMultiplier(v, p.input_multiplier, p.input_shift);
      const int32_t y = RoundingDivideByPOT(TanhQ4(x), 31 - 7);
      out[i] = static_cast<int8_t>(Clamp32(y, -128, 127));
    }
  }
}

void LogisticInt16(const SigmoidTanhParams& p, const int16_t* in, int16_t* out) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t x = Int16TableInput(p, in[i]);
    const uint32_t ax = static_cast<uint32_t>(x < 0 ? -x : x);
    const uint32_t uh = ax >> 9;
    uint32_t r;
    if (uh >= 255) {
      r = 0x7FFFu << 10;
    } else {
      const uint32_t ua = kSigmoidTable[uh];
      const uint32_t ub = kSigmoidTable[uh + 1];
      r = (ua << 9) + (ax & 0x1FFu) * (ub - ua);
    }
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    out[i] = static_cast<int16_t>(r >> 10);
  }
}

void TanhInt16(const SigmoidTanhParams& p, const int16_t* in, int16_t* out) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t x = Int16TableInput(p, in[i]);
    const uint32_t ax = static_cast<uint32_t>(x < 0 ? -x : x);
    const uint32_t uh = ax >> 8;
    int32_t r;
    if (uh >= 255) {
      r = 0xFFFF << 8;
    } else {
      const uint32_t ua = kSigmoidTable[uh];
      const uint32_t ub = kSigmoidTable[uh + 1];
      r = static_cast<int32_t>((ua << 8) + (ax & 0xFFu) * (ub - ua));
    }
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    out[i] = static_cast<int16_t>(r >> 8);
  }
}

}  // namespace ember::kernels
