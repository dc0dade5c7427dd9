// AVERAGE_POOL_2D reference kernels, bit-exact with TensorFlow Lite's reference.
//   float: sum of the in-image taps in window order / their count, then activation clamp.
//   int8/int16: int32 sum of the in-image taps, divided by the count rounding halves away
//   from zero ((sum +- count/2) / count, truncating), then activation clamp.
#include "kernels/internal/op_checks.h"
#include "kernels/pool_common.h"
#include "kernels/registrations.h"

namespace ember::kernels {

// Calls fn(b, oy, ox, y_start, y_end, x_start, x_end, in_y0, in_x0) for each output pixel,
// with the window clipped to the image (filter-relative [start, end)).
template <typename Fn>
inline void ForEachPoolWindow(const PoolOpData& d, Fn fn) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      const int32_t fy0 = iy0 < 0 ? -iy0 : 0;
      const int32_t fy1 = d.filter_h < d.in_h - iy0 ? d.filter_h : d.in_h - iy0;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
        const int32_t fx1 = d.filter_w < d.in_w - ix0 ? d.filter_w : d.in_w - ix0;
        fn(b, oy, ox, fy0, fy1, fx0, fx1, iy0, ix0);
      }
    }
  }
}

void AveragePool2dEvalFloatReference(const PoolOpData& d, const float* input, float* output) {
  ForEachPoolWindow(d, [&](int32_t b, int32_t oy, int32_t ox, int32_t fy0, int32_t fy1, int32_t fx0,
                           int32_t fx1, int32_t iy0, int32_t ix0) {
    for (int32_t c = 0; c < d.channels; ++c) {
      float total = 0.0f;
      float count = 0.0f;
      for (int32_t fy = fy0; fy < fy1; ++fy) {
        for (int32_t fx = fx0; fx < fx1; ++fx) {
          total += input[((b * d.in_h + iy0 + fy) * d.in_w + ix0 + fx) * d.channels + c];
          count += 1.0f;
        }
      }
      // count >= 1: Prepare guarantees every window overlaps the image.
      output[((b * d.out_h + oy) * d.out_w + ox) * d.channels + c] =
          ClampF(total / count, d.act_min_f, d.act_max_f);
    }
  });
}

template <typename T>
void AveragePool2dEvalIntReference(const PoolOpData& d, const T* input, T* output) {
  ForEachPoolWindow(d, [&](int32_t b, int32_t oy, int32_t ox, int32_t fy0, int32_t fy1, int32_t fx0,
                           int32_t fx1, int32_t iy0, int32_t ix0) {
    for (int32_t c = 0; c < d.channels; ++c) {
      int32_t acc = 0;
      int32_t count = 0;
      for (int32_t fy = fy0; fy < fy1; ++fy) {
        for (int32_t fx = fx0; fx < fx1; ++fx) {
          acc += input[((b * d.in_h + iy0 + fy) * d.in_w + ix0 + fx) * d.channels + c];
          ++count;
        }
      }
      acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
      output[((b * d.out_h + oy) * d.out_w + ox) * d.channels + c] =
          static_cast<T>(Clamp32(acc, d.act_min, d.act_max));
    }
  });
}

void AveragePool2dEvalS8Reference(const PoolOpData& d, const int8_t* input, int8_t* output) {
  AveragePool2dEvalIntReference<int8_t>(d, input, output);
}
void AveragePool2dEvalS16Reference(const PoolOpData& d, const int16_t* input, int16_t* output) {
  AveragePool2dEvalIntReference<int16_t>(d, input, output);
}

namespace {

EmberStatus AveragePoolPrepare(EmberContext* ctx, EmberNode* node) {
  return PoolPrepare(ctx, node, "AVERAGE_POOL_2D");
}

constexpr PoolOp kAveragePool{"AVERAGE_POOL_2D", &AveragePool2dEvalFloatReference,
                              &AveragePool2dEvalS8Reference, &AveragePool2dEvalS16Reference};

}  // namespace

EmberRegistration RegisterAveragePool2d() {
  EmberRegistration r{};
  r.name = "AVERAGE_POOL_2D";
  r.builtin_code = kEmberOpAveragePool2d;
  r.variant = "reference";
  r.init = PoolInit;
  r.prepare = AveragePoolPrepare;
  r.invoke = PoolInvoke<kAveragePool>;
  return r;
}

}  // namespace ember::kernels
