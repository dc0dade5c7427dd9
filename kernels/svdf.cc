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
// Scratch: float: batch * num_filters floats; int8: batch * num_filters int32 (time
// products) + batch * num_units int32 (output accumulators).
#include <string.h>

#include "kernels/conv_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kInput = 0;
constexpr int32_t kWeightsFeature = 1;
constexpr int32_t kWeightsTime = 2;
constexpr int32_t kBias = 3;
constexpr int32_t kState = 4;

struct SvdfOpData {
  int32_t batch;
  int32_t input_size;
  int32_t num_filters;
  int32_t num_units;
  int32_t memory_size;
  int32_t rank;
  EmberActivation activation;
  float act_min, act_max;             // float path
  int32_t scale_1_multiplier;         // M1 (int8 path)
  int scale_1_shift;
  int32_t scale_2_multiplier;         // M2 (int8 path)
  int scale_2_shift;
  int32_t input_zero_point;           // [-128, 127]
  int32_t output_zero_point;          // [-128, 127]
  int32_t scratch_index;              // time products
  int32_t output_scratch_index;       // int8 output accumulators (-1 for float)
};

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

  data->batch = batch;
  data->input_size = input_size;
  data->num_filters = num_filters;
  data->num_units = num_units;
  data->memory_size = memory_size;
  data->rank = params->rank;
  data->activation = params->activation;
  data->output_scratch_index = -1;
  const size_t time_elems = static_cast<size_t>(batch) * static_cast<size_t>(num_filters);

  if (input->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx,
                       wf->type == kEmberFloat32 && wt->type == kEmberFloat32 &&
                           state->type == kEmberFloat32 && output->type == kEmberFloat32 &&
                           (bias == nullptr || bias->type == kEmberFloat32),
                       "SVDF: float32 input needs float32 weights, bias, state and output");
    EMBER_KERNEL_CHECK(
        ctx, CalculateActivationRangeFloat(params->activation, &data->act_min, &data->act_max) ==
                 kEmberOk,
        "SVDF: unsupported fused activation %s", ActivationName(params->activation));
    return ctx->RequestScratch(ctx, time_elems * sizeof(float), &data->scratch_index);
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
  if (bias != nullptr && bias->quant.num_channels >= 1) {
    const double expected = static_cast<double>(state->quant.scale * wt->quant.scale);
    const double diff = static_cast<double>(bias->quant.scale) - expected;
    EMBER_KERNEL_CHECK(ctx, diff < 1e-5 && diff > -1e-5,
                       "SVDF: bias scale %f must equal state scale * weights_time scale %f",
                       static_cast<double>(bias->quant.scale), expected);
  }
  // The products are formed in float, as the reference does, then widened.
  const double scale_1 =
      static_cast<double>(input->quant.scale * wf->quant.scale / state->quant.scale);
  const double scale_2 =
      static_cast<double>(state->quant.scale * wt->quant.scale / output->quant.scale);
  QuantizeMultiplier(scale_1, &data->scale_1_multiplier, &data->scale_1_shift);
  QuantizeMultiplier(scale_2, &data->scale_2_multiplier, &data->scale_2_shift);
  data->input_zero_point = input->quant.zero_point;
  data->output_zero_point = output->quant.zero_point;
  if (ctx->RequestScratch(ctx, time_elems * sizeof(int32_t), &data->scratch_index) != kEmberOk) {
    return kEmberError;
  }
  const size_t out_elems = static_cast<size_t>(batch) * static_cast<size_t>(num_units);
  return ctx->RequestScratch(ctx, out_elems * sizeof(int32_t), &data->output_scratch_index);
}

// Step 1: drop the oldest element (the state is one flat buffer, as in the reference).
template <typename T>
void ShiftStateLeft(T* state, int32_t count) {
  for (int32_t i = 0; i + 1 < count; ++i) state[i] = state[i + 1];
}

EmberStatus SvdfEvalFloat(const SvdfOpData& d, const float* input, const float* wf,
                          const float* wt, const float* bias, float* state, float* scratch,
                          float* output) {
  const int32_t n_mem = d.memory_size;
  ShiftStateLeft(state, d.batch * d.num_filters * n_mem);
  for (int32_t b = 0; b < d.batch; ++b) {
    const float* x = input + b * d.input_size;
    float* newest = state + b * d.num_filters * n_mem + (n_mem - 1);
    for (int32_t f = 0; f < d.num_filters; ++f) {
      const float* w = wf + f * d.input_size;
      float acc = 0.f;
      for (int32_t i = 0; i < d.input_size; ++i) acc += w[i] * x[i];
      newest[f * n_mem] = acc;
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    const float* s = state + b * d.num_filters * n_mem;
    for (int32_t f = 0; f < d.num_filters; ++f) {
      float acc = 0.f;
      for (int32_t m = 0; m < n_mem; ++m) acc += wt[f * n_mem + m] * s[f * n_mem + m];
      scratch[b * d.num_filters + f] = acc;
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    float* out = output + b * d.num_units;
    const float* s = scratch + b * d.num_filters;
    for (int32_t u = 0; u < d.num_units; ++u) {
      float acc = bias != nullptr ? bias[u] : 0.f;
      for (int32_t r = 0; r < d.rank; ++r) acc += s[u * d.rank + r];
      out[u] = ClampF(acc, d.act_min, d.act_max);
    }
  }
  return kEmberOk;
}

// The time products on int16 pairs in 32-bit words (little-endian): where unaligned word
// accesses and 16-bit multiply-accumulates are cheap (Cortex-M4/M7 with the DSP extension)
// and on hosts; element by element elsewhere.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (!defined(__arm__) || defined(__ARM_FEATURE_DSP))
constexpr bool kSvdfWordPairs = true;
#else
constexpr bool kSvdfWordPairs = false;
#endif

// Input values per stack chunk of the int8 feature matmul.
constexpr int32_t kFeatureChunk = 64;  // 256 bytes of stack

// Value ranges: input int8, weights_feature int8, weights_time int16, state int16,
// bias int32, output int8. scratch/out_acc int32 (wrapping sums as in the reference).
//
// Same arithmetic as the reference steps 1-4, reorganised for speed:
//  - step 2 first, into scratch (four filters per pass share each input load);
//  - steps 1 and 3 fused per filter row: each state value is loaded once, stored one slot
//    to the left and multiplied with its time weight, then the new activation goes into
//    the newest slot. Shifting the flat buffer moves row f + 1's oldest value into row f's
//    newest slot, which step 2 overwrites anyway, so the per-row shift leaves the state
//    exactly as the flat shift does.
void SvdfEvalInt8(const SvdfOpData& d, const int8_t* input, const int8_t* wf,
                  const int16_t* wt, const int32_t* bias, int16_t* state, int32_t* scratch,
                  int32_t* out_acc, int8_t* output) {
  const int32_t batch = d.batch;
  const int32_t input_size = d.input_size;
  const int32_t num_filters = d.num_filters;
  const int32_t num_units = d.num_units;
  const int32_t rank = d.rank;
  const int32_t n_mem = d.memory_size;
  const int32_t zp = d.input_zero_point;
  // The scales are positive, so the multipliers are >= 0 (conv_internal::Requant).
  const conv_internal::Requant q1(d.scale_1_multiplier, d.scale_1_shift);
  for (int32_t b = 0; b < batch; ++b) {
    const int8_t* const x = input + b * input_size;
    int32_t* const act = scratch + b * num_filters;
    for (int32_t f = 0; f < num_filters; ++f) act[f] = 0;
    // The input minus its zero point, a chunk at a time on the stack.
    for (int32_t i0 = 0; i0 < input_size; i0 += kFeatureChunk) {
      const int32_t n = input_size - i0 < kFeatureChunk ? input_size - i0 : kFeatureChunk;
      int32_t xz[kFeatureChunk];
      for (int32_t i = 0; i < n; ++i) xz[i] = static_cast<int32_t>(x[i0 + i]) - zp;
      const int32_t* const xz_end = xz + n;
      int32_t f = 0;
      for (; f + 4 <= num_filters; f += 4) {
        const int8_t* w0 = wf + f * input_size + i0;
        const int8_t* w1 = w0 + input_size;
        const int8_t* w2 = w1 + input_size;
        const int8_t* w3 = w2 + input_size;
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;  // |acc| <= input_size * 128 * 255
        for (const int32_t* v = xz; v != xz_end; ++v) {
          const int32_t xv = *v;
          a0 += static_cast<int32_t>(*w0++) * xv;
          a1 += static_cast<int32_t>(*w1++) * xv;
          a2 += static_cast<int32_t>(*w2++) * xv;
          a3 += static_cast<int32_t>(*w3++) * xv;
        }
        act[f] += a0;
        act[f + 1] += a1;
        act[f + 2] += a2;
        act[f + 3] += a3;
      }
      for (; f < num_filters; ++f) {
        const int8_t* w = wf + f * input_size + i0;
        int32_t acc = 0;
        for (int32_t i = 0; i < n; ++i) acc += static_cast<int32_t>(w[i]) * xz[i];
        act[f] += acc;
      }
    }
    for (int32_t f = 0; f < num_filters; ++f) {
      act[f] = Clamp32(q1.Apply(act[f]), INT16_MIN, INT16_MAX);
    }
    int16_t* s = state + b * num_filters * n_mem;
    const int16_t* w = wt;
    for (int32_t f = 0; f < num_filters; ++f) {
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
      const int32_t newest = act[f];
      if (kSvdfWordPairs && m + 2 == n_mem) {
        // Last pair: the oldest-but-one value moves to n - 2, the new activation to n - 1.
        const int32_t v = s[m + 1];
        const uint32_t pair = (static_cast<uint32_t>(v) & 0xFFFFu) |
                              (static_cast<uint32_t>(newest) << 16);
        memcpy(s + m, &pair, sizeof(pair));
        uint32_t wv;
        memcpy(&wv, w + m, sizeof(wv));
        acc += static_cast<uint32_t>(v * static_cast<int16_t>(wv));
        acc += static_cast<uint32_t>(newest * (static_cast<int32_t>(wv) >> 16));
      } else {
        for (; m + 1 < n_mem; ++m) {
          const int32_t v = s[m + 1];
          s[m] = static_cast<int16_t>(v);
          acc += static_cast<uint32_t>(static_cast<int32_t>(w[m]) * v);
        }
        s[n_mem - 1] = static_cast<int16_t>(newest);
        acc += static_cast<uint32_t>(static_cast<int32_t>(w[n_mem - 1]) * newest);
      }
      act[f] = static_cast<int32_t>(acc);
      s += n_mem;
      w += n_mem;
    }
  }
  const conv_internal::Requant q2(d.scale_2_multiplier, d.scale_2_shift);
  const int32_t out_zp = d.output_zero_point;
  for (int32_t b = 0; b < batch; ++b) {
    const int32_t* const t = scratch + b * num_filters;
    for (int32_t u = 0; u < num_units; ++u) {
      uint32_t acc = bias != nullptr ? static_cast<uint32_t>(bias[u]) : 0u;
      for (int32_t r = 0; r < rank; ++r) acc += static_cast<uint32_t>(t[u * rank + r]);
      out_acc[b * num_units + u] = static_cast<int32_t>(acc);
    }
  }
  for (int32_t i = 0; i < batch * num_units; ++i) {
    const int32_t scaled = q2.Apply(out_acc[i]) + out_zp;
    output[i] = static_cast<int8_t>(Clamp32(scaled, -128, 127));
  }
}

EmberStatus SvdfInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const SvdfOpData*>(node->user_data);
  const EmberTensor* input = NodeInput(ctx, node, kInput);
  const EmberTensor* wf = NodeInput(ctx, node, kWeightsFeature);
  const EmberTensor* wt = NodeInput(ctx, node, kWeightsTime);
  const EmberTensor* bias = NodeInput(ctx, node, kBias);
  EmberTensor* state = NodeInput(ctx, node, kState);
  EmberTensor* output = NodeOutput(ctx, node, 0);
  void* scratch = ctx->GetScratch(ctx, d.scratch_index);
  EMBER_KERNEL_CHECK(ctx, scratch != nullptr, "SVDF: scratch buffer missing");
  if (input->type == kEmberFloat32) {
    return SvdfEvalFloat(d, TensorData<float>(input), TensorData<float>(wf),
                         TensorData<float>(wt), bias ? TensorData<float>(bias) : nullptr,
                         TensorData<float>(state), static_cast<float*>(scratch),
                         TensorData<float>(output));
  }
  void* out_scratch = ctx->GetScratch(ctx, d.output_scratch_index);
  EMBER_KERNEL_CHECK(ctx, out_scratch != nullptr, "SVDF: scratch buffer missing");
  SvdfEvalInt8(d, TensorData<int8_t>(input), TensorData<int8_t>(wf), TensorData<int16_t>(wt),
               bias ? TensorData<int32_t>(bias) : nullptr, TensorData<int16_t>(state),
               static_cast<int32_t*>(scratch), static_cast<int32_t*>(out_scratch),
               TensorData<int8_t>(output));
  return kEmberOk;
}

uint64_t SvdfCountMacs(const EmberContext* /*ctx*/, const EmberNode* node) {
  const auto* d = static_cast<const SvdfOpData*>(node->user_data);
  if (d == nullptr) return 0;
  return static_cast<uint64_t>(d->batch) * static_cast<uint64_t>(d->num_filters) *
         static_cast<uint64_t>(d->input_size + d->memory_size);
}

}  // namespace

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
