// Builtin options of an operator, for ModelBuilder::AddOperator.
//
// The options are the same plain C structs the runtime hands to kernels
// (runtime/builtin_params.h), so a test writes exactly the parameters a kernel will
// read back. std::monostate = no options table (valid for every op; ops without
// options, such as QUANTIZE or RELU, always use it). The builder checks that the
// struct belongs to the op: EmberPoolParams for AVERAGE_POOL_2D / MAX_POOL_2D,
// EmberAddSubParams for ADD / SUB, EmberReducerParams for MEAN, and so on.
#ifndef EMBER_MODELS_OP_OPTIONS_H_
#define EMBER_MODELS_OP_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "runtime/builtin_params.h"

namespace ember::models {

using OpOptions =
    std::variant<std::monostate, EmberConvParams, EmberDepthwiseConvParams, EmberPoolParams,
                 EmberFullyConnectedParams, EmberSoftmaxParams, EmberSvdfParams,
                 EmberConcatenationParams, EmberAddSubParams, EmberMulParams, EmberReshapeParams,
                 EmberReducerParams, EmberStridedSliceParams, EmberTransposeConvParams,
                 EmberLeakyReluParams>;

// Convenience constructors with TensorFlow Lite's defaults for the trailing fields.
EmberConvParams Conv2dOptions(EmberPadding padding, int32_t stride_w, int32_t stride_h,
                              EmberActivation activation = kEmberActNone, int32_t dilation_w = 1,
                              int32_t dilation_h = 1);
EmberDepthwiseConvParams DepthwiseConv2dOptions(EmberPadding padding, int32_t stride_w,
                                                int32_t stride_h, int32_t depth_multiplier,
                                                EmberActivation activation = kEmberActNone,
                                                int32_t dilation_w = 1, int32_t dilation_h = 1);
EmberPoolParams Pool2dOptions(EmberPadding padding, int32_t stride_w, int32_t stride_h,
                              int32_t filter_w, int32_t filter_h,
                              EmberActivation activation = kEmberActNone);
EmberFullyConnectedParams FullyConnectedOptions(EmberActivation activation = kEmberActNone,
                                                bool keep_num_dims = false);
EmberSoftmaxParams SoftmaxOptions(float beta = 1.0f);
EmberSvdfParams SvdfOptions(int32_t rank, EmberActivation activation = kEmberActNone);
EmberConcatenationParams ConcatenationOptions(int32_t axis,
                                              EmberActivation activation = kEmberActNone);
EmberAddSubParams AddSubOptions(EmberActivation activation = kEmberActNone,
                                bool pot_scale_int16 = true);
EmberMulParams MulOptions(EmberActivation activation = kEmberActNone);
// More than EMBER_MAX_RESHAPE_DIMS entries is reported as an error by Build().
EmberReshapeParams ReshapeOptions(const std::vector<int32_t>& new_shape);
EmberReducerParams ReducerOptions(bool keep_dims);
EmberStridedSliceParams StridedSliceOptions(int32_t begin_mask, int32_t end_mask,
                                            int32_t ellipsis_mask = 0, int32_t new_axis_mask = 0,
                                            int32_t shrink_axis_mask = 0, bool offset = false);
EmberTransposeConvParams TransposeConvOptions(EmberPadding padding, int32_t stride_w,
                                              int32_t stride_h,
                                              EmberActivation activation = kEmberActNone);
EmberLeakyReluParams LeakyReluOptions(float alpha);

}  // namespace ember::models

#endif  // EMBER_MODELS_OP_OPTIONS_H_
