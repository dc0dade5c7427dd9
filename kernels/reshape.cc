// RESHAPE: copies the input bytes to the output (nothing when the runtime placed both in
// the same memory). Shapes are static, so the output tensor's shape is authoritative;
// Prepare checks that it agrees with the requested shape: the new_shape option when
// present, else the optional shape input tensor (int32, constant or not), each allowing
// one -1 (inferred) dimension. Any element type.
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

// Checks that `shape` (num entries, at most one -1) describes `output`.
EmberStatus CheckRequestedShape(EmberContext* ctx, const int32_t* shape, int32_t num,
                                const EmberTensor* output, int32_t input_count,
                                const char* source) {
  int32_t known = 1;
  int32_t inferred = -1;
  for (int32_t i = 0; i < num; ++i) {
    if (shape[i] == -1) {
      EMBER_KERNEL_CHECK(ctx, inferred < 0, "RESHAPE: %s has more than one -1 dimension", source);
      inferred = i;
    } else {
      EMBER_KERNEL_CHECK(ctx, shape[i] >= 0, "RESHAPE: %s has negative dimension %d", source,
                         static_cast<int>(shape[i]));
      known *= shape[i];
    }
  }
  EMBER_KERNEL_CHECK(ctx, num == output->num_dims,
                     "RESHAPE: %s has %d dimensions but the output has %d", source,
                     static_cast<int>(num), static_cast<int>(output->num_dims));
  for (int32_t i = 0; i < num; ++i) {
    const int32_t want =
        i == inferred ? (known == 0 ? 0 : input_count / known) : shape[i];
    EMBER_KERNEL_CHECK(ctx, output->dims[i] == want,
                       "RESHAPE: output dimension %d is %d but %s asks for %d",
                       static_cast<int>(i), static_cast<int>(output->dims[i]), source,
                       static_cast<int>(want));
  }
  return kEmberOk;
}

EmberStatus ReshapePrepare(EmberContext* ctx, EmberNode* node) {
  EMBER_KERNEL_CHECK(ctx, (node->num_inputs == 1 || node->num_inputs == 2) &&
                              node->num_outputs == 1,
                     "RESHAPE: expected 1 or 2 inputs and 1 output, got %d and %d",
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* shape = NodeInput(ctx, node, 1);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && output, "RESHAPE: input and output are required");
  EMBER_KERNEL_CHECK(ctx, input->type == output->type,
                     "RESHAPE: output type %s differs from input type %s",
                     TypeName(output->type), TypeName(input->type));
  const int32_t count = ElementCount(input);
  EMBER_KERNEL_CHECK(ctx, ElementCount(output) == count && input->bytes == output->bytes,
                     "RESHAPE: output has %d elements, input has %d",
                     static_cast<int>(ElementCount(output)), static_cast<int>(count));
  const auto* params = static_cast<const EmberReshapeParams*>(node->builtin_data);
  if (params != nullptr && params->num_dims > 0) {
    EMBER_KERNEL_CHECK(ctx, params->num_dims <= EMBER_MAX_RESHAPE_DIMS,
                       "RESHAPE: new_shape has too many dimensions (%d)",
                       static_cast<int>(params->num_dims));
    return CheckRequestedShape(ctx, params->shape, params->num_dims, output, count,
                               "the new_shape option");
  }
  if (shape != nullptr && shape->data != nullptr && shape->is_constant) {
    EMBER_KERNEL_CHECK(ctx, shape->type == kEmberInt32,
                       "RESHAPE: shape input must be INT32, got %s", TypeName(shape->type));
    // A 1-D shape tensor (a scalar [] shape tensor of 1 element is treated as 1-D too).
    return CheckRequestedShape(ctx, TensorData<int32_t>(shape), ElementCount(shape), output,
                               count, "the shape input");
  }
  return kEmberOk;  // the output tensor's static shape is the shape
}

EmberStatus ReshapeInvoke(EmberContext* ctx, EmberNode* node) {
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  const uint32_t bytes = TensorBytes(input);
  if (input->data != output->data && bytes > 0) memcpy(output->data, input->data, bytes);
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterReshape() {
  EmberRegistration r{};
  r.name = "RESHAPE";
  r.builtin_code = kEmberOpReshape;
  r.variant = "reference";
  r.prepare = ReshapePrepare;
  r.invoke = ReshapeInvoke;
  return r;
}

}  // namespace ember::kernels
