#include "models/op_options.h"

namespace ember::models {

EmberConvParams Conv2dOptions(EmberPadding padding, int32_t stride_w, int32_t stride_h,
                              EmberActivation activation, int32_t dilation_w, int32_t dilation_h) {
  EmberConvParams p{};
  p.padding = padding;
  p.stride_w = stride_w;
  p.stride_h = stride_h;
  p.dilation_w = dilation_w;
  p.dilation_h = dilation_h;
  p.activation = activation;
  return p;
}

EmberDepthwiseConvParams DepthwiseConv2dOptions(EmberPadding padding, int32_t stride_w,
                                                int32_t stride_h, int32_t depth_multiplier,
                                                EmberActivation activation, int32_t dilation_w,
                                                int32_t dilation_h) {
  EmberDepthwiseConvParams p{};
  p.padding = padding;
  p.stride_w = stride_w;
  p.stride_h = stride_h;
  p.dilation_w = dilation_w;
  p.dilation_h = dilation_h;
  p.depth_multiplier = depth_multiplier;
  p.activation = activation;
  return p;
}

EmberPoolParams Pool2dOptions(EmberPadding padding, int32_t stride_w, int32_t stride_h,
                              int32_t filter_w, int32_t filter_h, EmberActivation activation) {
  EmberPoolParams p{};
  p.padding = padding;
  p.stride_w = stride_w;
  p.stride_h = stride_h;
  p.filter_w = filter_w;
  p.filter_h = filter_h;
  p.activation = activation;
  return p;
}

EmberFullyConnectedParams FullyConnectedOptions(EmberActivation activation, bool keep_num_dims) {
  EmberFullyConnectedParams p{};
  p.activation = activation;
  p.keep_num_dims = keep_num_dims ? 1 : 0;
  p.weights_format = 0;
  return p;
}

EmberSoftmaxParams SoftmaxOptions(float beta) { return EmberSoftmaxParams{beta}; }

EmberSvdfParams SvdfOptions(int32_t rank, EmberActivation activation) {
  EmberSvdfParams p{};
  p.rank = rank;
  p.activation = activation;
  return p;
}

EmberConcatenationParams ConcatenationOptions(int32_t axis, EmberActivation activation) {
  EmberConcatenationParams p{};
  p.axis = axis;
  p.activation = activation;
  return p;
}

EmberAddSubParams AddSubOptions(EmberActivation activation, bool pot_scale_int16) {
  EmberAddSubParams p{};
  p.activation = activation;
  p.pot_scale_int16 = pot_scale_int16 ? 1 : 0;
  return p;
}

EmberMulParams MulOptions(EmberActivation activation) { return EmberMulParams{activation}; }

EmberReshapeParams ReshapeOptions(const std::vector<int32_t>& new_shape) {
  EmberReshapeParams p{};
  p.num_dims = static_cast<int32_t>(new_shape.size());
  for (size_t i = 0; i < new_shape.size() && i < EMBER_MAX_RESHAPE_DIMS; ++i) {
    p.shape[i] = new_shape[i];
  }
  return p;
}

EmberReducerParams ReducerOptions(bool keep_dims) {
  return EmberReducerParams{static_cast<uint8_t>(keep_dims ? 1 : 0)};
}

EmberStridedSliceParams StridedSliceOptions(int32_t begin_mask, int32_t end_mask,
                                            int32_t ellipsis_mask, int32_t new_axis_mask,
                                            int32_t shrink_axis_mask, bool offset) {
  EmberStridedSliceParams p{};
  p.begin_mask = begin_mask;
  p.end_mask = end_mask;
  p.ellipsis_mask = ellipsis_mask;
  p.new_axis_mask = new_axis_mask;
  p.shrink_axis_mask = shrink_axis_mask;
  p.offset = offset ? 1 : 0;
  return p;
}

EmberTransposeConvParams TransposeConvOptions(EmberPadding padding, int32_t stride_w,
                                              int32_t stride_h, EmberActivation activation) {
  EmberTransposeConvParams p{};
  p.padding = padding;
  p.stride_w = stride_w;
  p.stride_h = stride_h;
  p.activation = activation;
  return p;
}

EmberLeakyReluParams LeakyReluOptions(float alpha) { return EmberLeakyReluParams{alpha}; }

}  // namespace ember::models
