#include "models/op_options_writer.h"

#include <string>
#include <vector>

namespace ember::models {
namespace {

using schema::BuiltinOperator;
using schema::BuiltinOptions;

Status ToPadding(EmberPadding p, schema::Padding* out) {
  if (p != kEmberPaddingSame && p != kEmberPaddingValid) {
    return Status::Error("invalid padding value " + std::to_string(static_cast<int>(p)));
  }
  *out = static_cast<schema::Padding>(p);
  return Status::Ok();
}

Status ToActivation(EmberActivation a, schema::ActivationFunctionType* out) {
  if (static_cast<int>(a) < kEmberActNone || static_cast<int>(a) > kEmberActSignBit) {
    return Status::Error("invalid fused activation value " + std::to_string(static_cast<int>(a)));
  }
  *out = static_cast<schema::ActivationFunctionType>(a);
  return Status::Ok();
}

bool OpIsOneOf(BuiltinOperator op, std::initializer_list<BuiltinOperator> ops) {
  for (BuiltinOperator o : ops) {
    if (o == op) return true;
  }
  return false;
}

// Each visitor overload checks the op, converts the enums and writes one table.
struct Writer {
  flatbuffers::FlatBufferBuilder& fbb;
  BuiltinOperator op;
  WrittenOptions* out;

  Status Expect(std::initializer_list<BuiltinOperator> ops, const char* what) {
    if (OpIsOneOf(op, ops)) return Status::Ok();
    return Status::Error(std::string(what) + " options given to op " +
                         schema::EnumNameBuiltinOperator(op));
  }
  Status Set(BuiltinOptions type, flatbuffers::Offset<void> table) {
    out->type = type;
    out->table = table;
    return Status::Ok();
  }

  Status operator()(const std::monostate&) { return Set(BuiltinOptions::NONE, 0); }

  Status operator()(const EmberConvParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::CONV_2D}, "Conv2D"));
    schema::Padding pad;
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToPadding(p.padding, &pad));
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(BuiltinOptions::Conv2DOptions,
               schema::CreateConv2DOptions(fbb, pad, p.stride_w, p.stride_h, act, p.dilation_w,
                                           p.dilation_h)
                   .Union());
  }
  Status operator()(const EmberDepthwiseConvParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::DEPTHWISE_CONV_2D}, "DepthwiseConv2D"));
    schema::Padding pad;
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToPadding(p.padding, &pad));
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(
        BuiltinOptions::DepthwiseConv2DOptions,
        schema::CreateDepthwiseConv2DOptions(fbb, pad, p.stride_w, p.stride_h, p.depth_multiplier,
                                             act, p.dilation_w, p.dilation_h)
            .Union());
  }
  Status operator()(const EmberPoolParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::AVERAGE_POOL_2D,
                                         BuiltinOperator::MAX_POOL_2D, BuiltinOperator::L2_POOL_2D},
                                        "Pool2D"));
    schema::Padding pad;
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToPadding(p.padding, &pad));
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(
        BuiltinOptions::Pool2DOptions,
        schema::CreatePool2DOptions(fbb, pad, p.stride_w, p.stride_h, p.filter_w, p.filter_h, act)
            .Union());
  }
  Status operator()(const EmberFullyConnectedParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::FULLY_CONNECTED}, "FullyConnected"));
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    if (p.weights_format > 1) {
      return Status::Error("invalid FullyConnected weights_format " +
                           std::to_string(p.weights_format));
    }
    return Set(
        BuiltinOptions::FullyConnectedOptions,
        schema::CreateFullyConnectedOptions(
            fbb, act, static_cast<schema::FullyConnectedOptionsWeightsFormat>(p.weights_format),
            p.keep_num_dims != 0)
            .Union());
  }
  Status operator()(const EmberSoftmaxParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::SOFTMAX}, "Softmax"));
    return Set(BuiltinOptions::SoftmaxOptions, schema::CreateSoftmaxOptions(fbb, p.beta).Union());
  }
  Status operator()(const EmberSvdfParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::SVDF}, "SVDF"));
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(BuiltinOptions::SVDFOptions, schema::CreateSVDFOptions(fbb, p.rank, act).Union());
  }
  Status operator()(const EmberConcatenationParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::CONCATENATION}, "Concatenation"));
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(BuiltinOptions::ConcatenationOptions,
               schema::CreateConcatenationOptions(fbb, p.axis, act).Union());
  }
  Status operator()(const EmberAddSubParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::ADD, BuiltinOperator::SUB}, "Add/Sub"));
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    if (op == BuiltinOperator::ADD) {
      return Set(BuiltinOptions::AddOptions,
                 schema::CreateAddOptions(fbb, act, p.pot_scale_int16 != 0).Union());
    }
    return Set(BuiltinOptions::SubOptions,
               schema::CreateSubOptions(fbb, act, p.pot_scale_int16 != 0).Union());
  }
  Status operator()(const EmberMulParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::MUL}, "Mul"));
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(BuiltinOptions::MulOptions, schema::CreateMulOptions(fbb, act).Union());
  }
  Status operator()(const EmberReshapeParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::RESHAPE}, "Reshape"));
    if (p.num_dims < 0 || p.num_dims > EMBER_MAX_RESHAPE_DIMS) {
      return Status::Error("Reshape new_shape has " + std::to_string(p.num_dims) +
                           " dims; at most " + std::to_string(EMBER_MAX_RESHAPE_DIMS) +
                           " are supported");
    }
    flatbuffers::Offset<flatbuffers::Vector<int32_t>> shape = 0;
    if (p.num_dims > 0) shape = fbb.CreateVector(p.shape, static_cast<size_t>(p.num_dims));
    return Set(BuiltinOptions::ReshapeOptions, schema::CreateReshapeOptions(fbb, shape).Union());
  }
  Status operator()(const EmberReducerParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(
        Expect({BuiltinOperator::MEAN, BuiltinOperator::SUM, BuiltinOperator::REDUCE_MAX,
                BuiltinOperator::REDUCE_MIN, BuiltinOperator::REDUCE_PROD},
               "Reducer"));
    return Set(BuiltinOptions::ReducerOptions,
               schema::CreateReducerOptions(fbb, p.keep_dims != 0).Union());
  }
  Status operator()(const EmberStridedSliceParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::STRIDED_SLICE}, "StridedSlice"));
    return Set(BuiltinOptions::StridedSliceOptions,
               schema::CreateStridedSliceOptions(fbb, p.begin_mask, p.end_mask, p.ellipsis_mask,
                                                 p.new_axis_mask, p.shrink_axis_mask, p.offset != 0)
                   .Union());
  }
  Status operator()(const EmberTransposeConvParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::TRANSPOSE_CONV}, "TransposeConv"));
    schema::Padding pad;
    schema::ActivationFunctionType act;
    EMBER_MODELS_RETURN_IF_ERROR(ToPadding(p.padding, &pad));
    EMBER_MODELS_RETURN_IF_ERROR(ToActivation(p.activation, &act));
    return Set(BuiltinOptions::TransposeConvOptions,
               schema::CreateTransposeConvOptions(fbb, pad, p.stride_w, p.stride_h, act).Union());
  }
  Status operator()(const EmberLeakyReluParams& p) {
    EMBER_MODELS_RETURN_IF_ERROR(Expect({BuiltinOperator::LEAKY_RELU}, "LeakyRelu"));
    return Set(BuiltinOptions::LeakyReluOptions,
               schema::CreateLeakyReluOptions(fbb, p.alpha).Union());
  }
};

}  // namespace

Status WriteBuiltinOptions(flatbuffers::FlatBufferBuilder& fbb, schema::BuiltinOperator op,
                           const OpOptions& options, WrittenOptions* out) {
  *out = WrittenOptions{};
  return std::visit(Writer{fbb, op, out}, options);
}

}  // namespace ember::models
