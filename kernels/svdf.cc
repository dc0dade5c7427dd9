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

// Value ranges: input int8, weights_feature int8, weights_time int16, state int16,
// bias int32, output int8. scratch/out_acc int32 (wrapping sums as in the reference).
void SvdfEvalInt8(const SvdfOpData& d, const int8_t* input, const int8_t* wf,
                  const int16_t* wt, const int32_t* bias, int16_t* state, int32_t* scratch,
                  int32_t* out_acc, int8_t* output) {
  const int32_t n_mem = d.memory_size;
  ShiftStateLeft(state, d.batch * d.num_filters * n_mem);
  for (int32_t b = 0; b < d.batch; ++b) {
    const int8_t* x = input + b * d.input_size;
    int16_t* newest = state + b * d.num_filters * n_mem + (n_mem - 1);
    for (int32_t f = 0; f < d.num_filters; ++f) {
      const int8_t* w = wf + f * d.input_size;
      int32_t acc = 0;  // |acc| <= input_size * 128 * 255
      for (int32_t i = 0; i < d.input_size; ++i) {
        acc += static_cast<int32_t>(w[i]) * (static_cast<int32_t>(x[i]) - d.input_zero_point);
      }
      acc = MultiplyByQuantizedMultiplier(acc, d.scale_1_multiplier, d.scale_1_shift);
      newest[f * n_mem] = static_cast<int16_t>(Clamp32(acc, INT16_MIN, INT16_MAX));
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    const int16_t* s = state + b * d.num_filters * n_mem;
    for (int32_t f = 0; f < d.num_filters; ++f) {
      uint32_t acc = 0;  // int32 with wrap-around
      for (int32_t m = 0; m < n_mem; ++m) {
        acc += static_cast<uint32_t>(static_cast<int32_t>(wt[f * n_mem + m]) *
                                     static_cast<int32_t>(s[f * n_mem + m]));
      }
      scratch[b * d.num_filters + f] = static_cast<int32_t>(acc);
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    const int32_t* s = scratch + b * d.num_filters;
    for (int32_t u = 0; u < d.num_units; ++u) {
      uint32_t acc = bias != nullptr ? static_cast<uint32_t>(bias[u]) : 0u;
      for (int32_t r = 0; r < d.rank; ++r) acc += static_cast<uint32_t>(s[u * d.rank + r]);
      out_acc[b * d.num_units + u] = static_cast<int32_t>(acc);
    }
  }
  for (int32_t i = 0; i < d.batch * d.num_units; ++i) {
    const int32_t scaled =
        MultiplyByQuantizedMultiplier(out_acc[i], d.scale_2_multiplier, d.scale_2_shift) +
        d.output_zero_point;
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
