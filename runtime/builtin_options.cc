// ModelReader::ParseOptions: an operator's FlatBuffers BuiltinOptions -> the plain
// Ember*Params struct of runtime/builtin_params.h. Absent options take the schema's
// defaults; options of the wrong type for the op are an error.
#include "runtime/builtin_params.h"
#include "runtime/log.h"
#include "runtime/model_reader.h"
#include "runtime/schema/ember_schema_generated.h"

namespace ember::rt {
namespace {

namespace sc = ::ember::schema;

EmberActivation Act(sc::ActivationFunctionType a) { return static_cast<EmberActivation>(a); }
EmberPadding Pad(sc::Padding p) { return static_cast<EmberPadding>(p); }

// Allocates and zero-fills a T (the allocator may return nullptr: arena full, logged).
template <typename T>
T* New(const ParamsAllocator& alloc) {
  T* p = static_cast<T*>(alloc.allocate(alloc.ctx, sizeof(T)));
  if (p != nullptr) *p = T{};
  return p;
}

// The options table of type O when the op carries it (nullptr when absent).
// *wrong = true when the op carries options of another type.
template <typename O>
const O* Options(const sc::Operator* op, sc::BuiltinOptions expected, bool* wrong) {
  sc::BuiltinOptions type = op->builtin_options_type();
  if (type == sc::BuiltinOptions::NONE || op->builtin_options() == nullptr) return nullptr;
  if (type != expected) {
    *wrong = true;
    return nullptr;
  }
  return static_cast<const O*>(op->builtin_options());
}

}  // namespace

EmberStatus ModelReader::ParseOptions(size_t op_index, const OperatorInfo& info,
                                      const ParamsAllocator& alloc, const void** params) const {
  *params = nullptr;
  const sc::Operator* op = subgraph_->operators()->Get(op_index);
  bool wrong = false;
  bool nomem = false;
  using BO = sc::BuiltinOptions;
#define EMBER_OPTIONS(Type) Options<sc::Type>(op, BO::Type, &wrong)
#define EMBER_NEW(var, Type)    \
  Type* var = New<Type>(alloc); \
  if (var == nullptr) {         \
    nomem = true;               \
    break;                      \
  }                             \
  *params = var;

  switch (info.builtin_code) {
    case kEmberOpConv2d: {
      EMBER_NEW(p, EmberConvParams)
      p->stride_w = p->stride_h = p->dilation_w = p->dilation_h = 1;
      if (const auto* o = EMBER_OPTIONS(Conv2DOptions)) {
        p->padding = Pad(o->padding());
        p->stride_w = o->stride_w();
        p->stride_h = o->stride_h();
        p->dilation_w = o->dilation_w_factor();
        p->dilation_h = o->dilation_h_factor();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpDepthwiseConv2d: {
      EMBER_NEW(p, EmberDepthwiseConvParams)
      p->stride_w = p->stride_h = p->dilation_w = p->dilation_h = p->depth_multiplier = 1;
      if (const auto* o = EMBER_OPTIONS(DepthwiseConv2DOptions)) {
        p->padding = Pad(o->padding());
        p->stride_w = o->stride_w();
        p->stride_h = o->stride_h();
        p->dilation_w = o->dilation_w_factor();
        p->dilation_h = o->dilation_h_factor();
        p->depth_multiplier = o->depth_multiplier();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpAveragePool2d:
    case kEmberOpMaxPool2d: {
      EMBER_NEW(p, EmberPoolParams)
      if (const auto* o = EMBER_OPTIONS(Pool2DOptions)) {
        p->padding = Pad(o->padding());
        p->stride_w = o->stride_w();
        p->stride_h = o->stride_h();
        p->filter_w = o->filter_width();
        p->filter_h = o->filter_height();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpFullyConnected: {
      EMBER_NEW(p, EmberFullyConnectedParams)
      if (const auto* o = EMBER_OPTIONS(FullyConnectedOptions)) {
        p->activation = Act(o->fused_activation_function());
        p->keep_num_dims = o->keep_num_dims() ? 1 : 0;
        p->weights_format = static_cast<uint8_t>(o->weights_format());
      }
      break;
    }
    case kEmberOpSoftmax: {
      EMBER_NEW(p, EmberSoftmaxParams)
      if (const auto* o = EMBER_OPTIONS(SoftmaxOptions)) p->beta = o->beta();
      break;
    }
    case kEmberOpSvdf: {
      EMBER_NEW(p, EmberSvdfParams)
      if (const auto* o = EMBER_OPTIONS(SVDFOptions)) {
        p->rank = o->rank();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpConcatenation: {
      EMBER_NEW(p, EmberConcatenationParams)
      if (const auto* o = EMBER_OPTIONS(ConcatenationOptions)) {
        p->axis = o->axis();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpAdd: {
      EMBER_NEW(p, EmberAddSubParams)
      p->pot_scale_int16 = 1;
      if (const auto* o = EMBER_OPTIONS(AddOptions)) {
        p->activation = Act(o->fused_activation_function());
        p->pot_scale_int16 = o->pot_scale_int16() ? 1 : 0;
      }
      break;
    }
    case kEmberOpSub: {
      EMBER_NEW(p, EmberAddSubParams)
      p->pot_scale_int16 = 1;
      if (const auto* o = EMBER_OPTIONS(SubOptions)) {
        p->activation = Act(o->fused_activation_function());
        p->pot_scale_int16 = o->pot_scale_int16() ? 1 : 0;
      }
      break;
    }
    case kEmberOpMul: {
      EMBER_NEW(p, EmberMulParams)
      if (const auto* o = EMBER_OPTIONS(MulOptions)) {
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpReshape: {
      EMBER_NEW(p, EmberReshapeParams)
      const auto* o = EMBER_OPTIONS(ReshapeOptions);
      if (o != nullptr && o->new_shape() != nullptr) {
        size_t n = o->new_shape()->size();
        if (n > EMBER_MAX_RESHAPE_DIMS) {
          EMBER_LOG("op #%zu RESHAPE: new_shape has %zu dims, at most %d are supported", op_index, n,
              EMBER_MAX_RESHAPE_DIMS);
          return kEmberError;
        }
        p->num_dims = static_cast<int32_t>(n);
        for (size_t i = 0; i < n; ++i) p->shape[i] = o->new_shape()->Get(i);
      }
      break;
    }
    case kEmberOpMean: {
      EMBER_NEW(p, EmberReducerParams)
      if (const auto* o = EMBER_OPTIONS(ReducerOptions)) p->keep_dims = o->keep_dims() ? 1 : 0;
      break;
    }
    case kEmberOpStridedSlice: {
      EMBER_NEW(p, EmberStridedSliceParams)
      if (const auto* o = EMBER_OPTIONS(StridedSliceOptions)) {
        p->begin_mask = o->begin_mask();
        p->end_mask = o->end_mask();
        p->ellipsis_mask = o->ellipsis_mask();
        p->new_axis_mask = o->new_axis_mask();
        p->shrink_axis_mask = o->shrink_axis_mask();
        p->offset = o->offset() ? 1 : 0;
      }
      break;
    }
    case kEmberOpTransposeConv: {
      EMBER_NEW(p, EmberTransposeConvParams)
      if (const auto* o = EMBER_OPTIONS(TransposeConvOptions)) {
        p->padding = Pad(o->padding());
        p->stride_w = o->stride_w();
        p->stride_h = o->stride_h();
        p->activation = Act(o->fused_activation_function());
      }
      break;
    }
    case kEmberOpLeakyRelu: {
      EMBER_NEW(p, EmberLeakyReluParams)
      if (const auto* o = EMBER_OPTIONS(LeakyReluOptions)) p->alpha = o->alpha();
      break;
    }
    default:
      break;  // ops without options (QUANTIZE, RELU, ...) get builtin_data = nullptr
  }
#undef EMBER_OPTIONS
#undef EMBER_NEW
  if (nomem) return kEmberError;  // the allocator has logged bytes needed and available
  if (wrong) {
    // The options type is printed as its union code (no name table in the binary).
    EMBER_LOG("op #%zu %s (version %ld): carries builtin options of type code %d, which are not "
        "%s's options",
        op_index, info.name, static_cast<long>(info.version),
        static_cast<int>(op->builtin_options_type()), info.name);
    *params = nullptr;
    return kEmberError;
  }
  return kEmberOk;
}

}  // namespace ember::rt
