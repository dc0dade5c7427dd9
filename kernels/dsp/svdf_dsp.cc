// SVDF, DSP-extension variant: shares SvdfOpData and Prepare with the reference
// (kernels/svdf.cc); only the int8 invoke differs. Float runs the reference.
//
// Same arithmetic and state layout as SvdfEvalInt8Reference:
//  - step 2, the feature sums, four filters per pass with dsp::DotS8x4: the input bytes
//    are widened once per four filters with the offset -input_zero_point folded in
//    (SXTAB16), the weights with SXTB16, two SMLADs per four bytes and filter;
//    the activation (M1, SSAT to int16) goes into the dead oldest slot of the next state
//    row, exactly as the reference does (see FeatureActivations in kernels/svdf.cc);
//  - steps 1 and 3 per filter row: the shifted state pairs are loaded as words from one
//    element further on, stored one element to the left and multiplied with the time
//    weight pairs by SMLAD (two int16 x int16 products per instruction);
//  - step 4: bias + the rank time sums, M2, output zero point, SSAT to int8.
// All sums are int32 modulo 2^32 like the reference's (SMLAD's Q flag is not used), so
// the results are bit-identical; tests/kernels/dsp_parity_test.cc and svdf_test.cc check
// outputs and the whole state over several frames.
#include <string.h>

#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"
#include "kernels/svdf_common.h"

namespace ember::kernels {
namespace {

inline uint32_t LoadPair(const int16_t* p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline void StorePair(int16_t* p, uint32_t v) { memcpy(p, &v, sizeof(v)); }

// The new int16 activation from a feature sum (M1, then saturation to int16).
inline int16_t StateActivation(int32_t acc, const dsp::ChannelQuant& q1) {
  const int32_t v = dsp::MultiplyByChannelQuant(acc, q1);
#if EMBER_HAVE_DSP
  return static_cast<int16_t>(__ssat(v, 16));
#else
  return static_cast<int16_t>(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
#endif
}

// Steps 1 and 3 for a row whose new activation sits one element past it (s[n_mem]):
// s[m] = s[m + 1] for m < n_mem, and the time sum of the shifted row (mod 2^32).
// Four elements per step: both source words are loaded before either store (the stores
// only reach elements already read).
inline int32_t TimeRowNextDsp(int16_t* s, const int16_t* w, int32_t n_mem) {
  int32_t acc = 0;
  int32_t m = 0;
  for (; m + 4 <= n_mem; m += 4) {
    const uint32_t v0 = LoadPair(s + m + 1);
    const uint32_t v1 = LoadPair(s + m + 3);
    StorePair(s + m, v0);
    StorePair(s + m + 2, v1);
    acc = dsp::Smlad(v0, LoadPair(w + m), acc);
    acc = dsp::Smlad(v1, LoadPair(w + m + 2), acc);
  }
  for (; m + 2 <= n_mem; m += 2) {
    const uint32_t v = LoadPair(s + m + 1);
    StorePair(s + m, v);
    acc = dsp::Smlad(v, LoadPair(w + m), acc);
  }
  if (m < n_mem) {
    const int32_t v = s[m + 1];
    s[m] = static_cast<int16_t>(v);
    acc = static_cast<int32_t>(static_cast<uint32_t>(acc) +
                               static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v));
  }
  return acc;
}

// The state buffer's very last row (no slot past it): shift, newest value last, time sum.
int32_t TimeRowLast(int16_t* s, const int16_t* w, int32_t n_mem, int16_t newest) {
  for (int32_t m = 0; m + 1 < n_mem; ++m) s[m] = s[m + 1];
  s[n_mem - 1] = newest;
  uint32_t acc = 0;
  for (int32_t m = 0; m < n_mem; ++m) {
    acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * static_cast<int32_t>(s[m]));
  }
  return static_cast<int32_t>(acc);
}

}  // namespace

namespace svdf_internal {

// A separate (not inlined) function so that its loop has the registers to itself.
// Rank-1 units: time sums and outputs of `rows` rows (activations past the rows).
void TimeOutputsRank1Dsp(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                         int32_t rows, int32_t n_mem, const dsp::ChannelQuant& q2,
                         int32_t out_zp) {
  const dsp::ChannelQuant q = q2;
  for (int8_t* const out_end = out + rows; out != out_end; ++out) {
    const int32_t b = bias != nullptr ? *bias++ : 0;
    const int32_t t = TimeRowNextDsp(s, w, n_mem);
    s += n_mem;
    w += n_mem;
    *out = dsp::RequantizeS8FullRange(
        static_cast<int32_t>(static_cast<uint32_t>(b) + static_cast<uint32_t>(t)), q, out_zp);
  }
}

}  // namespace svdf_internal

void SvdfEvalInt8Dsp(const SvdfOpData& d, const int8_t* input, const int8_t* wf,
                     const int16_t* wt, const int32_t* bias, int16_t* state, int8_t* output) {
  const int32_t batch = d.batch;
  const int32_t input_size = d.input_size;
  const int32_t num_filters = d.num_filters;
  const int32_t rank = d.rank;
  const int32_t num_units = num_filters / rank;
  const int32_t n_mem = d.memory_size;
  const int32_t x_off = -static_cast<int32_t>(d.input_zero_point);  // [-127, 128]
  const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multiplier[0], d.shift[0]);
  const dsp::ChannelQuant q2 = dsp::MakeChannelQuant(d.multiplier[1], d.shift[1]);
  const int32_t out_zp = d.output_zero_point;
  for (int32_t b = 0; b < batch; ++b) {
    const int8_t* const x = input + b * input_size;
    int16_t* const s = state + b * num_filters * n_mem;
    const bool last_batch = b == batch - 1;
    // Step 2: activation of filter f into s[(f + 1) * n_mem] (the state buffer's very last
    // filter into `last`).
    int16_t last = 0;
    int16_t* const end = s + num_filters * n_mem;
    auto store = [&](int32_t f, int32_t acc) {
      int16_t* p = s + (f + 1) * n_mem;
      p = (last_batch && p == end) ? &last : p;
      *p = StateActivation(acc, q1);
    };
    int32_t f = 0;
    for (; f + 4 <= num_filters; f += 4) {
      int32_t acc[4] = {0, 0, 0, 0};
      dsp::DotS8x4(x, wf + f * input_size, input_size, input_size, x_off, acc);
      store(f, acc[0]);
      store(f + 1, acc[1]);
      store(f + 2, acc[2]);
      store(f + 3, acc[3]);
    }
    for (; f < num_filters; ++f) {
      store(f, dsp::DotS8Offsets(x, wf + f * input_size, input_size, x_off, 0, 0));
    }
    // Steps 1, 3 and 4.
    int8_t* const out = output + b * num_units;
    const int32_t rows = last_batch ? num_filters - 1 : num_filters;
    if (rank == 1) {
      svdf_internal::TimeOutputsRank1Dsp(s, wt, bias, out, rows, n_mem, q2, out_zp);
      if (last_batch) {
        const int32_t bv = bias != nullptr ? bias[rows] : 0;
        const int32_t t = TimeRowLast(s + rows * n_mem, wt + rows * n_mem, n_mem, last);
        out[rows] = dsp::RequantizeS8FullRange(
            static_cast<int32_t>(static_cast<uint32_t>(bv) + static_cast<uint32_t>(t)), q2,
            out_zp);
      }
      continue;
    }
    uint32_t acc = 0;
    for (int32_t g = 0, r = 0, u = 0; g < num_filters; ++g) {
      if (r == 0) acc = bias != nullptr ? static_cast<uint32_t>(bias[u]) : 0u;
      int16_t* const row = s + g * n_mem;
      const int16_t* const w = wt + g * n_mem;
      const int32_t t =
          g < rows ? TimeRowNextDsp(row, w, n_mem) : TimeRowLast(row, w, n_mem, last);
      acc += static_cast<uint32_t>(t);
      if (++r == rank) {
        out[u++] = dsp::RequantizeS8FullRange(static_cast<int32_t>(acc), q2, out_zp);
        r = 0;
      }
    }
  }
}

namespace {

EmberStatus SvdfInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  if (input->type != kEmberInt8) return RegisterSvdf().invoke(ctx, node);
  const auto& d = *static_cast<const SvdfOpData*>(node->user_data);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 3);
  SvdfEvalInt8Dsp(d, TensorData<int8_t>(input), TensorData<int8_t>(EvalInput(ctx, node, 1)),
                  TensorData<int16_t>(EvalInput(ctx, node, 2)),
                  bias ? TensorData<int32_t>(bias) : nullptr,
                  TensorData<int16_t>(EvalInput(ctx, node, 4)),
                  TensorData<int8_t>(EvalOutput(ctx, node, 0)));
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterSvdfDsp() {
  EmberRegistration r = RegisterSvdf();
  r.variant = "dsp";
  r.invoke = SvdfInvokeDsp;
  return r;
}

}  // namespace ember::kernels
