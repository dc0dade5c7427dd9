// MAX_POOL_2D reference kernels, bit-exact with TensorFlow Lite's reference: the maximum
// of the in-image taps of each window (starting from the type's lowest value), then the
// activation clamp (float: [act_min, act_max]; int8/int16: quantized range).
#include "kernels/internal/op_checks.h"
#include "kernels/pool_common.h"
#include "kernels/registrations.h"

namespace ember::kernels {
namespace {

template <typename T, typename Lim>
void MaxPoolLoops(const PoolOpData& d, const T* input, T* output, T lowest, Lim lo, Lim hi) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      const int32_t fy0 = iy0 < 0 ? -iy0 : 0;
      const int32_t fy1 = d.filter_h < d.in_h - iy0 ? d.filter_h : d.in_h - iy0;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
        const int32_t fx1 = d.filter_w < d.in_w - ix0 ? d.filter_w : d.in_w - ix0;
        for (int32_t c = 0; c < d.channels; ++c) {
          T max = lowest;
          for (int32_t fy = fy0; fy < fy1; ++fy) {
            for (int32_t fx = fx0; fx < fx1; ++fx) {
              const T v = input[((b * d.in_h + iy0 + fy) * d.in_w + ix0 + fx) * d.channels + c];
              if (v > max) max = v;
            }
          }
          if (max < lo) max = static_cast<T>(lo);
          if (max > hi) max = static_cast<T>(hi);
          output[((b * d.out_h + oy) * d.out_w + ox) * d.channels + c] = max;
        }
      }
    }
  }
}

}  // namespace

void MaxPool2dEvalFloatReference(const PoolOpData& d, const float* input, float* output) {
  MaxPoolLoops<float, float>(d, input, output, -3.40282347e+38f, d.act_min_f, d.act_max_f);
}
void MaxPool2dEvalS8Reference(const PoolOpData& d, const int8_t* input, int8_t* output) {
  MaxPoolLoops<int8_t, int32_t>(d, input, output, INT8_MIN, d.act_min, d.act_max);
}
void MaxPool2dEvalS16Reference(const PoolOpData& d, const int16_t* input, int16_t* output) {
  MaxPoolLoops<int16_t, int32_t>(d, input, output, INT16_MIN, d.act_min, d.act_max);
}

namespace {

EmberStatus MaxPoolPrepare(EmberContext* ctx, EmberNode* node) {
  return PoolPrepare(ctx, node, "MAX_POOL_2D");
}

constexpr PoolOp kMaxPool{"MAX_POOL_2D", &MaxPool2dEvalFloatReference, &MaxPool2dEvalS8Reference,
                          &MaxPool2dEvalS16Reference};

}  // namespace

EmberRegistration RegisterMaxPool2d() {
  EmberRegistration r{};
  r.name = "MAX_POOL_2D";
  r.builtin_code = kEmberOpMaxPool2d;
  r.variant = "reference";
  r.init = PoolInit;
  r.prepare = MaxPoolPrepare;
  r.invoke = PoolInvoke<kMaxPool>;
  return r;
}

}  // namespace ember::kernels
