/* Builtin op codes and the options of each op, as plain C structs. The model reader
 * (runtime/) parses an operator's FlatBuffers BuiltinOptions into one of these and
 * hands it to the kernel as node->builtin_data; kernels never see FlatBuffers.
 * Enum values are TensorFlow Lite's (BuiltinOperator, Padding, ActivationFunctionType). */
#ifndef EMBER_RUNTIME_BUILTIN_PARAMS_H_
#define EMBER_RUNTIME_BUILTIN_PARAMS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The BuiltinOperator values ember has kernels for (TensorFlow Lite's numbering). */
typedef enum EmberBuiltinOp {
  kEmberOpAdd = 0,
  kEmberOpAveragePool2d = 1,
  kEmberOpConcatenation = 2,
  kEmberOpConv2d = 3,
  kEmberOpDepthwiseConv2d = 4,
  kEmberOpDequantize = 6,
  kEmberOpFullyConnected = 9,
  kEmberOpLogistic = 14,
  kEmberOpMaxPool2d = 17,
  kEmberOpMul = 18,
  kEmberOpRelu = 19,
  kEmberOpRelu6 = 21,
  kEmberOpReshape = 22,
  kEmberOpSoftmax = 25,
  kEmberOpSvdf = 27,
  kEmberOpTanh = 28,
  kEmberOpPad = 34,
  kEmberOpTranspose = 39,
  kEmberOpMean = 40,
  kEmberOpSub = 41,
  kEmberOpStridedSlice = 45,
  kEmberOpTransposeConv = 67,
  kEmberOpLeakyRelu = 98,
  kEmberOpQuantize = 114,
} EmberBuiltinOp;

typedef enum EmberPadding { kEmberPaddingSame = 0, kEmberPaddingValid = 1 } EmberPadding;

typedef enum EmberActivation {
  kEmberActNone = 0,
  kEmberActRelu = 1,
  kEmberActReluN1To1 = 2,
  kEmberActRelu6 = 3,
  kEmberActTanh = 4,
  kEmberActSignBit = 5,
} EmberActivation;

typedef struct EmberConvParams {          /* CONV_2D */
  EmberPadding padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;         /* >= 1 */
  EmberActivation activation;
} EmberConvParams;

typedef struct EmberDepthwiseConvParams { /* DEPTHWISE_CONV_2D */
  EmberPadding padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t depth_multiplier;
  EmberActivation activation;
} EmberDepthwiseConvParams;

typedef struct EmberPoolParams {          /* AVERAGE_POOL_2D, MAX_POOL_2D */
  EmberPadding padding;
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  EmberActivation activation;
} EmberPoolParams;

typedef struct EmberFullyConnectedParams { /* FULLY_CONNECTED */
  EmberActivation activation;
  uint8_t keep_num_dims;
  uint8_t weights_format;                  /* 0 = DEFAULT; others are rejected */
} EmberFullyConnectedParams;

typedef struct EmberSoftmaxParams { float beta; } EmberSoftmaxParams;

typedef struct EmberSvdfParams {           /* SVDF */
  int32_t rank;
  EmberActivation activation;
} EmberSvdfParams;

typedef struct EmberConcatenationParams {  /* CONCATENATION */
  int32_t axis;
  EmberActivation activation;
} EmberConcatenationParams;

typedef struct EmberAddSubParams {         /* ADD, SUB */
  EmberActivation activation;
  uint8_t pot_scale_int16;                 /* schema default: 1 */
} EmberAddSubParams;

typedef struct EmberMulParams { EmberActivation activation; } EmberMulParams;

#define EMBER_MAX_RESHAPE_DIMS 8
typedef struct EmberReshapeParams {        /* RESHAPE (new_shape option; may be absent) */
  int32_t num_dims;                        /* 0 when the option is absent */
  int32_t shape[EMBER_MAX_RESHAPE_DIMS];
} EmberReshapeParams;

typedef struct EmberReducerParams { uint8_t keep_dims; } EmberReducerParams; /* MEAN */

typedef struct EmberStridedSliceParams {   /* STRIDED_SLICE */
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
  uint8_t offset;
} EmberStridedSliceParams;

typedef struct EmberTransposeConvParams {  /* TRANSPOSE_CONV */
  EmberPadding padding;
  int32_t stride_w, stride_h;
  EmberActivation activation;
} EmberTransposeConvParams;

typedef struct EmberLeakyReluParams { float alpha; } EmberLeakyReluParams;

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* EMBER_RUNTIME_BUILTIN_PARAMS_H_ */
