// SVDF (singular value decomposition filter), bit-exact with TensorFlow Lite (Micro)'s
// reference kernels.
//
// Tensors (TFLite layout):
//   0 input              [batch, input_size]
//   1 weights_feature    [num_filters, input_size]
//   2 weights_time       [num_filters, memory_size]
//   3 bias (optional)    [num_units],  num_units = num_filters / rank
//   4 activation_state   [batch, memory_size * num_filters], variable (persists)
//   output               [batch, num_units]
// The state is laid out as [batch][filter][memory]; element memory_size - 1 of each
// filter row is the newest activation.
//
// One invoke:
//   1. shift the whole state buffer left by one element (the oldest activation of each
//      filter row drops out; the newest slot is overwritten in step 2);
//   2. feature matmul: state[b][f][memory_size - 1] = input[b] . weights_feature[f];
//   3. time: scratch[b][f] = state[b][f][:] . weights_time[f][:];
//   4. output[b][u] = bias[u] + sum_{r < rank} scratch[b][u * rank + r], then activation.
//
// Types:
//   float32: everything float; the fused activation is applied.
//   int8:    input int8 (zero point zp_in), weights_feature int8 (symmetric), weights_time
//            int16, bias int32 (scale = state_scale * weights_time_scale), state int16
//            (symmetric), output int8. Step 2 accumulates sum w * (x - zp_in) in int32 and
//            rescales by M1 = input_scale * wf_scale / state_scale, clamped to int16.
//            Step 3 accumulates int16*int16 products in int32 (wrapping, as the reference),
//            step 4 rescales by M2 = state_scale * wt_scale / output_scale, adds the output
//            zero point and clamps to int8. As in TFLite's integer reference, the fused
//            activation is not applied in the int8 path (the output range of a quantized
//            model already encodes it).
// No scratch buffers: each filter's new activation goes straight into the state and each
// unit's output is summed in a register (the time sums of its rank filters are adjacent).
// Op data: SvdfOpData (kernels/svdf_common.h), shared with the DSP variant.
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "kernels/svdf_common.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kInput = 0;
constexpr int32_t kWeightsFeature = 1;
constexpr int32_t kWeightsTime = 2;
constexpr int32_t kBias = 3;
constexpr int32_t kState = 4;

}  // namespace

void* SvdfInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(SvdfOpData));
}

EmberStatus SvdfPrepare(EmberContext* ctx, EmberNode* node) {
  auto* data = static_cast<SvdfOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, data != nullptr, "SVDF: out of arena memory for op data");
  const auto* params = static_cast<const EmberSvdfParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "SVDF: missing SVDFOptions");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 5 && node->num_outputs == 1,
                     "SVDF: expected 5 inputs and 1 output, got %d and %d",
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, kInput);
  const EmberTensor* wf = NodeInput(ctx, node, kWeightsFeature);
  const EmberTensor* wt = NodeInput(ctx, node, kWeightsTime);
  const EmberTensor* bias = NodeInput(ctx, node, kBias);
  const EmberTensor* state = NodeInput(ctx, node, kState);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && wf && wt && state && output,
                     "SVDF: input, weights_feature, weights_time, state and output are required");
  EMBER_KERNEL_CHECK(ctx, params->rank >= 1, "SVDF: rank must be >= 1, got %d",
                     static_cast<int>(params->rank));
  EMBER_KERNEL_CHECK(ctx, input->num_dims == 2, "SVDF: input must be 2D, got %dD",
                     static_cast<int>(input->num_dims));
  EMBER_KERNEL_CHECK(ctx, wf->num_dims == 2 && wt->num_dims == 2,
                     "SVDF: weights_feature and weights_time must be 2D");
  const int32_t batch = input->dims[0];
  const int32_t input_size = input->dims[1];
  const int32_t num_filters = wf->dims[0];
  const int32_t memory_size = wt->dims[1];
  EMBER_KERNEL_CHECK(ctx, wf->dims[1] == input_size,
                     "SVDF: weights_feature has %d columns, input size is %d",
                     static_cast<int>(wf->dims[1]), static_cast<int>(input_size));
  EMBER_KERNEL_CHECK(ctx, num_filters % params->rank == 0,
                     "SVDF: num_filters %d is not a multiple of rank %d",
                     static_cast<int>(num_filters), static_cast<int>(params->rank));
  const int32_t num_units = num_filters / params->rank;
  EMBER_KERNEL_CHECK(ctx, wt->dims[0] == num_filters,
                     "SVDF: weights_time has %d rows, expected num_filters %d",
                     static_cast<int>(wt->dims[0]), static_cast<int>(num_filters));
  EMBER_KERNEL_CHECK(ctx, memory_size >= 1, "SVDF: memory size must be >= 1");
  if (bias != nullptr) {
    EMBER_KERNEL_CHECK(ctx, bias->num_dims == 1 && bias->dims[0] == num_units,
                       "SVDF: bias must be [%d]", static_cast<int>(num_units));
  }
  EMBER_KERNEL_CHECK(ctx, state->num_dims == 2 && state->dims[0] == batch &&
                              state->dims[1] == memory_size * num_filters,
                     "SVDF: activation state must be [%d, %d]", static_cast<int>(batch),
                     static_cast<int>(memory_size * num_filters));
  EMBER_KERNEL_CHECK(ctx, state->is_variable, "SVDF: activation state must be a variable tensor");
  EMBER_KERNEL_CHECK(ctx, output->num_dims == 2 && output->dims[0] == batch &&
                              output->dims[1] == num_units,
                     "SVDF: output must be [%d, %d]", static_cast<int>(batch),
                     static_cast<int>(num_units));

  EMBER_KERNEL_CHECK(ctx,
                     batch <= INT16_MAX && input_size <= INT16_MAX && num_filters <= INT16_MAX &&
                         memory_size <= INT16_MAX,
                     "SVDF: sizes above 32767 are not supported (batch %d, input %d, filters %d, "
                     "memory %d)",
                     static_cast<int>(batch), static_cast<int>(input_size),
                     static_cast<int>(num_filters), static_cast<int>(memory_size));
  data->batch = static_cast<int16_t>(batch);
  data->input_size = static_cast<int16_t>(input_size);
  data->num_filters = static_cast<int16_t>(num_filters);
  data->memory_size = static_cast<int16_t>(memory_size);
  data->rank = static_cast<int16_t>(params->rank);
  data->activation = static_cast<uint8_t>(params->activation);
  data->shift[0] = data->shift[1] = 0;
  data->input_zero_point = data->output_zero_point = 0;

  if (input->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx,
                       wf->type == kEmberFloat32 && wt->type == kEmberFloat32 &&
                           state->type == kEmberFloat32 && output->type == kEmberFloat32 &&
                           (bias == nullptr || bias->type == kEmberFloat32),
                       "SVDF: float32 input needs float32 weights, bias, state and output");
    EMBER_KERNEL_CHECK(ctx,
                       CalculateActivationRangeFloat(params->activation, &data->act_range[0],
                                                     &data->act_range[1]) == kEmberOk,
                       "SVDF: unsupported fused activation %s", ActivationName(params->activation));
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, input->type == kEmberInt8,
                     "SVDF: unsupported input type %s (float32 and int8 are supported)",
                     TypeName(input->type));
  EMBER_KERNEL_CHECK(ctx,
                     wf->type == kEmberInt8 && wt->type == kEmberInt16 &&
                         state->type == kEmberInt16 && output->type == kEmberInt8 &&
                         (bias == nullptr || bias->type == kEmberInt32),
                     "SVDF: int8 input needs int8 weights_feature, int16 weights_time, int16 "
                     "state, int32 bias and int8 output (got %s, %s, %s, %s)",
                     TypeName(wf->type), TypeName(wt->type), TypeName(state->type),
                     TypeName(output->type));
  EMBER_KERNEL_CHECK(ctx,
                     input->quant.num_channels == 1 && wf->quant.num_channels == 1 &&
                         wt->quant.num_channels == 1 && state->quant.num_channels == 1 &&
                         output->quant.num_channels == 1,
                     "SVDF: int8 tensors must be quantized per tensor");
  EMBER_KERNEL_CHECK(ctx, state->quant.zero_point == 0,
                     "SVDF: the int16 activation state must be symmetric (zero point 0), got %d",
                     static_cast<int>(state->quant.zero_point));
  EMBER_KERNEL_CHECK(ctx, state->quant.scale > 0.f && output->quant.scale > 0.f,
                     "SVDF: state and output scales must be positive");
  EMBER_KERNEL_CHECK(ctx,
                     input->quant.zero_point >= -128 && input->quant.zero_point <= 127 &&
                         output->quant.zero_point >= -128 && output->quant.zero_point <= 127,
                     "SVDF: int8 zero points must lie in [-128, 127] (input %d, output %d)",
                     static_cast<int>(input->quant.zero_point),
                     static_cast<int>(output->quant.zero_point));
  if (bias != nullptr && bias->quant.num_channels >= 1) {
    const double expected = static_cast<double>(state->quant.scale * wt->quant.scale);
    const double diff = static_cast<double>(bias->quant.scale) - expected;
    EMBER_KERNEL_CHECK(ctx, diff < 1e-5 && diff > -1e-5,
                       "SVDF: bias scale %f must equal state scale * weights_time scale %f",
                       static_cast<double>(bias->quant.scale), expected);
  }
  // The products are formed in float, as the reference does, then widened.
  const double scales[2] = {
      static_cast<double>(input->quant.scale * wf->quant.scale / state->quant.scale),
      static_cast<double>(state->quant.scale * wt->quant.scale / output->quant.scale)};
  for (int i = 0; i < 2; ++i) {
    int shift = 0;
    QuantizeMultiplier(scales[i], &data->multiplier[i], &shift);
    EMBER_KERNEL_CHECK(ctx, shift >= -31 && shift <= 30,
                       "SVDF: effective scale %f out of range (shift %d)", scales[i], shift);
    data->shift[i] = static_cast<int8_t>(shift);
  }
  data->input_zero_point = static_cast<int8_t>(input->quant.zero_point);
  data->output_zero_point = static_cast<int8_t>(output->quant.zero_point);
  return kEmberOk;
}

namespace {

// Steps 1 and 3 for one float filter row (see the int8 version below for why a per-row
// shift leaves the state as the flat shift does): returns sum_m wt[m] * s[m] in m order.
float TimeRowFloat(float* s, const float* w, int32_t n_mem, float newest) {
  for (int32_t m = 0; m + 1 < n_mem; ++m) s[m] = s[m + 1];
  s[n_mem - 1] = newest;
  float acc = 0.f;
  for (int32_t m = 0; m < n_mem; ++m) acc += w[m] * s[m];
  return acc;
}

}  // namespace

// Same float operations in the same order as the reference's steps: the feature sum in
// input order, the time sum in memory order, then bias + the rank sums in rank order.
void SvdfEvalFloatReference(const SvdfOpData& d, const float* input, const float* wf,
                            const float* wt, const float* bias, float* state, float* output) {
  const int32_t n_mem = d.memory_size;
  const int32_t input_size = d.input_size;
  const int32_t num_filters = d.num_filters;
  const int32_t rank = d.rank;
  const int32_t num_units = num_filters / rank;
  for (int32_t b = 0; b < d.batch; ++b) {
    const float* x = input + b * input_size;
    float* s = state + b * num_filters * n_mem;
    float* out = output + b * num_units;
    for (int32_t u = 0; u < num_units; ++u) {
      float acc = bias != nullptr ? bias[u] : 0.f;
      for (int32_t r = 0; r < rank; ++r) {
        const int32_t f = u * rank + r;
        const float* w = wf + f * input_size;
        float act = 0.f;
        for (int32_t i = 0; i < input_size; ++i) act += w[i] * x[i];
        acc += TimeRowFloat(s + f * n_mem, wt + f * n_mem, n_mem, act);
      }
      out[u] = ClampF(acc, d.act_range[0], d.act_range[1]);
    }
  }
}

namespace {

// The time products on int16 pairs in 32-bit words (little-endian): where unaligned word
// accesses and 16-bit multiply-accumulates are cheap (Cortex-M4/M7 with the DSP extension)
// and on hosts; element by element elsewhere.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (!defined(__arm__) || defined(__ARM_FEATURE_DSP))
constexpr bool kSvdfWordPairs = true;
#else
constexpr bool kSvdfWordPairs = false;
#endif

// Input values (minus the zero point) the int8 feature matmul keeps on the stack at once.
constexpr int32_t kFeatureChunk = 128;  // 512 bytes of stack

// Steps 1 and 3 fused for one int16 filter row s[0 .. n_mem) with time weights w: each
// state value is loaded once, stored one slot to the left and multiplied with its time
// weight, then `newest` (the filter's new activation, in int16 range) goes into the last
// slot. Returns sum_m w[m] * s[m] (after the shift) in int32 with wrap-around.
// Shifting the flat state buffer moves row f + 1's oldest value into row f's newest slot,
// which the new activation overwrites anyway, so per-row shifts leave the state exactly
// as the reference's flat shift does.
inline uint32_t TimeRowInt16(int16_t* s, const int16_t* w, int32_t n_mem, int32_t newest) {
  uint32_t acc = 0;  // int32 with wrap-around
  int32_t m = 0;
  if (kSvdfWordPairs) {
    // Two state values per 32-bit word: the word at element m + 1 (the new pair m,
    // m + 1) is stored at element m and multiplied with time weights m, m + 1 as
    // halves. Ascending order: each source word is read before a store reaches it.
    for (; m + 2 < n_mem; m += 2) {
      uint32_t v;
      uint32_t wv;
      memcpy(&v, s + m + 1, sizeof(v));
      memcpy(s + m, &v, sizeof(v));
      memcpy(&wv, w + m, sizeof(wv));
      const int32_t v_lo = static_cast<int16_t>(v), w_lo = static_cast<int16_t>(wv);
      const int32_t v_hi = static_cast<int32_t>(v) >> 16;
      const int32_t w_hi = static_cast<int32_t>(wv) >> 16;
      acc += static_cast<uint32_t>(v_lo * w_lo);
      acc += static_cast<uint32_t>(v_hi * w_hi);
    }
    if (m + 2 == n_mem) {
      // Last pair: the oldest-but-one value moves to n - 2, the new activation to n - 1.
      const int32_t v = s[m + 1];
      const uint32_t pair =
          (static_cast<uint32_t>(v) & 0xFFFFu) | (static_cast<uint32_t>(newest) << 16);
      memcpy(s + m, &pair, sizeof(pair));
      uint32_t wv;
      memcpy(&wv, w + m, sizeof(wv));
      acc += static_cast<uint32_t>(v * static_cast<int16_t>(wv));
      acc += static_cast<uint32_t>(newest * (static_cast<int32_t>(wv) >> 16));
      return acc;
    }
  } else {
    for (; m + 2 < n_mem; m += 2) {
      const int32_t v0 = s[m + 1];
      const int32_t v1 = s[m + 2];
      s[m] = static_cast<int16_t>(v0);
      s[m + 1] = static_cast<int16_t>(v1);
      acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v0);
      acc += static_cast<uint32_t>(static_cast<int32_t>(w[m + 1]) * v1);
    }
  }
  for (; m + 1 < n_mem; ++m) {
    const int32_t v = s[m + 1];
    s[m] = static_cast<int16_t>(v);
    acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v);
  }
  s[n_mem - 1] = static_cast<int16_t>(newest);
  acc += static_cast<uint32_t>(static_cast<int32_t>(w[n_mem - 1]) * newest);
  return acc;
}

// Steps 1 and 3 for a filter row whose new activation already sits one element past the
// row (s[n_mem], see FeatureActivations): s[m] = s[m + 1] for m < n_mem, i.e. exactly the
// reference's flat shift over this row, and the time sum of the shifted row (int32, wraps).
inline uint32_t TimeRowNext(int16_t* s, const int16_t* w, int32_t n_mem) {
  uint32_t acc = 0;  // int32 with wrap-around
  int32_t m = 0;
  if (kSvdfWordPairs) {
    // Pairs as words: the word at element m + 1 is stored at element m (ascending order:
    // each source word is read before a store reaches it) and multiplied as halves; two
    // pairs per step (both loaded before either store).
    for (; m + 4 <= n_mem; m += 4) {
      uint32_t v0, v1, w0, w1;
      memcpy(&v0, s + m + 1, sizeof(v0));
      memcpy(&v1, s + m + 3, sizeof(v1));
      memcpy(s + m, &v0, sizeof(v0));
      memcpy(s + m + 2, &v1, sizeof(v1));
      memcpy(&w0, w + m, sizeof(w0));
      memcpy(&w1, w + m + 2, sizeof(w1));
      acc += static_cast<uint32_t>(static_cast<int16_t>(v0) * static_cast<int16_t>(w0));
      acc += static_cast<uint32_t>((static_cast<int32_t>(v0) >> 16) *
                                   (static_cast<int32_t>(w0) >> 16));
      acc += static_cast<uint32_t>(static_cast<int16_t>(v1) * static_cast<int16_t>(w1));
      acc += static_cast<uint32_t>((static_cast<int32_t>(v1) >> 16) *
                                   (static_cast<int32_t>(w1) >> 16));
    }
    for (; m + 2 <= n_mem; m += 2) {
      uint32_t v;
      uint32_t wv;
      memcpy(&v, s + m + 1, sizeof(v));
      memcpy(s + m, &v, sizeof(v));
      memcpy(&wv, w + m, sizeof(wv));
      acc += static_cast<uint32_t>(static_cast<int16_t>(v) * static_cast<int16_t>(wv));
      acc += static_cast<uint32_t>((static_cast<int32_t>(v) >> 16) *
                                   (static_cast<int32_t>(wv) >> 16));
    }
  } else {
    for (; m + 2 <= n_mem; m += 2) {
      const int32_t v0 = s[m + 1];
      const int32_t v1 = s[m + 2];
      s[m] = static_cast<int16_t>(v0);
      s[m + 1] = static_cast<int16_t>(v1);
      acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v0);
      acc += static_cast<uint32_t>(static_cast<int32_t>(w[m + 1]) * v1);
    }
  }
  if (m < n_mem) {
    const int32_t v = s[m + 1];
    s[m] = static_cast<int16_t>(v);
    acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v);
  }
  return acc;
}

// Step 2 for one batch: the feature sums of all filters, scaled to int16 activations.
// Filter f's activation is stored at s[(f + 1) * n_mem], the oldest value of row f + 1:
// the flat shift of step 1 drops that value into row f's newest slot, which the reference
// then overwrites with this activation, so the value is dead and its slot is where the
// shift will pick the activation up (TimeRowInt16 reads one element past its row). The
// very last filter of the state buffer has no such slot: its activation is returned.
// Four filters per pass share each input value minus the zero point (stack chunks).
int32_t FeatureActivations(const int8_t* x, const int8_t* wf, int32_t input_size,
                           int32_t num_filters, int32_t n_mem, int32_t zp,
                           const fixed_multiply::Requantizer& q1, int16_t* s, bool last_batch) {
  const bool one_chunk = input_size <= kFeatureChunk;
  int32_t xz[kFeatureChunk];
  if (one_chunk) {
    for (int32_t i = 0; i < input_size; ++i) xz[i] = static_cast<int32_t>(x[i]) - zp;
  }
  int16_t last = 0;
  int16_t* const end = s + num_filters * n_mem;  // the slot past the buffer (last batch)
  auto store = [&](int32_t f, int32_t acc) {
    int16_t* p = s + (f + 1) * n_mem;
    p = (last_batch && p == end) ? &last : p;
    *p = static_cast<int16_t>(svdf_internal::RequantizeState(acc, q1));
  };
  int32_t f = 0;
  for (; f + 4 <= num_filters; f += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (int32_t i0 = 0; i0 < input_size; i0 += kFeatureChunk) {
      const int32_t n = input_size - i0 < kFeatureChunk ? input_size - i0 : kFeatureChunk;
      if (!one_chunk) {
        for (int32_t i = 0; i < n; ++i) xz[i] = static_cast<int32_t>(x[i0 + i]) - zp;
      }
      const int8_t* w0 = wf + f * input_size + i0;
      const int8_t* w1 = w0 + input_size;
      const int8_t* w2 = w1 + input_size;
      const int8_t* w3 = w2 + input_size;
      // Same sums; the two loop forms compile better on the two kinds of core (post-indexed
      // loads on Armv7E-M, one shared index with register-offset loads on Armv6-M/v7-M).
      if (kSvdfWordPairs) {
        for (const int32_t *v = xz, *const v_end = xz + n; v != v_end; ++v) {
          const int32_t xv = *v;
          a0 += static_cast<int32_t>(*w0++) * xv;
          a1 += static_cast<int32_t>(*w1++) * xv;
          a2 += static_cast<int32_t>(*w2++) * xv;
          a3 += static_cast<int32_t>(*w3++) * xv;
        }
      } else {
        int32_t i = 0;
        for (const int32_t *v = xz, *const v_end = xz + n; v != v_end; ++v, ++i) {
          const int32_t xv = *v;
          a0 += static_cast<int32_t>(w0[i]) * xv;
          a1 += static_cast<int32_t>(w1[i]) * xv;
          a2 += static_cast<int32_t>(w2[i]) * xv;
          a3 += static_cast<int32_t>(w3[i]) * xv;
        }
      }
    }
    store(f, a0);
    store(f + 1, a1);
    store(f + 2, a2);
    store(f + 3, a3);
  }
  for (; f < num_filters; ++f) {
    int32_t acc = 0;
    for (int32_t i0 = 0; i0 < input_size; i0 += kFeatureChunk) {
      const int32_t n = input_size - i0 < kFeatureChunk ? input_size - i0 : kFeatureChunk;
      if (!one_chunk) {
        for (int32_t i = 0; i < n; ++i) xz[i] = static_cast<int32_t>(x[i0 + i]) - zp;
      }
      const int8_t* const wr = wf + f * input_size + i0;
      for (int32_t i = 0; i < n; ++i) acc += static_cast<int32_t>(wr[i]) * xz[i];
    }
    store(f, acc);
  }
  return last;
}

}  // namespace

// Value ranges: input int8, weights_feature int8, weights_time int16, state int16,
// bias int32, output int8; feature sums |acc| <= input_size * 128 * 255 (exact in int32
// for input_size < 2^16), time and unit sums wrap in int32 as in the reference.
//
// Per batch: step 2 (FeatureActivations), then per unit and per filter row steps 1 and 3
// at once (TimeRowInt16, its newest value read from the next row's first slot), the time
// sums into the unit's accumulator, scaled to the int8 output after its rank-th filter.
void SvdfEvalInt8Reference(const SvdfOpData& d, const int8_t* input, const int8_t* wf,
                           const int16_t* wt, const int32_t* bias, int16_t* state,
                           int8_t* output) {
  const int32_t batch = d.batch;
  const int32_t input_size = d.input_size;
  const int32_t num_filters = d.num_filters;
  const int32_t rank = d.rank;
  const int32_t num_units = num_filters / rank;
  const int32_t n_mem = d.memory_size;
  // The scales are positive, so the multipliers are >= 0 (fixed_multiply::Requantizer).
  const fixed_multiply::Requantizer q1(d.multiplier[0], d.shift[0]);
  const fixed_multiply::Requantizer q2(d.multiplier[1], d.shift[1]);
  const int32_t out_zp = d.output_zero_point;
  for (int32_t b = 0; b < batch; ++b) {
    int16_t* s = state + b * num_filters * n_mem;
    const bool last_batch = b == batch - 1;
    const int32_t last_act =
        FeatureActivations(input + b * input_size, wf, input_size, num_filters, n_mem,
                           d.input_zero_point, q1, s, last_batch);
    int8_t* const out = output + b * num_units;
    // Every row but the state buffer's very last finds its activation past its end.
    const int32_t rows = last_batch ? num_filters - 1 : num_filters;
    if (rank == 1) {
      svdf_internal::TimeOutputsRank1(s, wt, bias, out, rows, n_mem, q2, out_zp);
      if (last_batch) {
        const int32_t f = rows;
        uint32_t acc = bias != nullptr ? static_cast<uint32_t>(bias[f]) : 0u;
        acc += TimeRowInt16(s + f * n_mem, wt + f * n_mem, n_mem, last_act);
        out[f] = svdf_internal::RequantizeOutput(acc, q2, out_zp);
      }
      continue;
    }
    uint32_t acc = 0;
    for (int32_t f = 0, r = 0, u = 0; f < num_filters; ++f) {
      if (r == 0) acc = bias != nullptr ? static_cast<uint32_t>(bias[u]) : 0u;
      int16_t* const row = s + f * n_mem;
      const int16_t* const w = wt + f * n_mem;
      acc += f < rows ? TimeRowNext(row, w, n_mem) : TimeRowInt16(row, w, n_mem, last_act);
      if (++r == rank) {
        out[u++] = svdf_internal::RequantizeOutput(acc, q2, out_zp);
        r = 0;
      }
    }
  }
}

namespace svdf_internal {

// Steps 1 and 3 and the output of `rows` rank-1 units whose activations sit past their
// rows (TimeRowNext); a separate function so that its loop has the registers to itself.
void TimeOutputsRank1(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                      int32_t rows, int32_t n_mem, const fixed_multiply::Requantizer& q2,
                      int32_t out_zp) {
  const fixed_multiply::Requantizer q = q2;
  for (int8_t* const out_end = out + rows; out != out_end; ++out) {
    uint32_t acc = bias != nullptr ? static_cast<uint32_t>(*bias++) : 0u;
    acc += TimeRowNext(s, w, n_mem);
    s += n_mem;
    w += n_mem;
    *out = RequantizeOutput(acc, q, out_zp);
  }
}

}  // namespace svdf_internal

namespace {

EmberStatus SvdfInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const SvdfOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, kInput);
  const EmberEvalTensor* wf = EvalInput(ctx, node, kWeightsFeature);
  const EmberEvalTensor* wt = EvalInput(ctx, node, kWeightsTime);
  const EmberEvalTensor* bias = EvalInput(ctx, node, kBias);
  EmberEvalTensor* state = EvalInput(ctx, node, kState);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  if (input->type == kEmberFloat32) {
    SvdfEvalFloatReference(d, TensorData<float>(input), TensorData<float>(wf),
                           TensorData<float>(wt), bias ? TensorData<float>(bias) : nullptr,
                           TensorData<float>(state), TensorData<float>(output));
    return kEmberOk;
  }
  SvdfEvalInt8Reference(d, TensorData<int8_t>(input), TensorData<int8_t>(wf),
                        TensorData<int16_t>(wt), bias ? TensorData<int32_t>(bias) : nullptr,
                        TensorData<int16_t>(state), TensorData<int8_t>(output));
  return kEmberOk;
}

}  // namespace

uint64_t SvdfCountMacs(const EmberContext* /*ctx*/, const EmberNode* node) {
  const auto* d = static_cast<const SvdfOpData*>(node->user_data);
  if (d == nullptr) return 0;
  return static_cast<uint64_t>(d->batch) * static_cast<uint64_t>(d->num_filters) *
         static_cast<uint64_t>(d->input_size + d->memory_size);
}

EmberRegistration RegisterSvdf() {
  EmberRegistration r{};
  r.name = "SVDF";
  r.builtin_code = kEmberOpSvdf;
  r.variant = "reference";
  r.init = &SvdfInit;
  r.prepare = &SvdfPrepare;
  r.invoke = &SvdfInvoke;
  r.free = nullptr;
  r.count_macs = &SvdfCountMacs;
  return r;
}

}  // namespace ember::kernels
