#include "runtime/model_verifier.h"

#include "runtime/schema/ember_schema_generated.h"

namespace ember::rt {
namespace {

namespace fb = ::flatbuffers;
namespace sc = ::ember::schema;
using Opt = sc::BuiltinOptions;

// Fields of one BuiltinOptions table in schema order (field k has vtable offset
// 4 + 2k): '1' / '4' a scalar of that many bytes, 'v' a vector of int32.
struct OptionFields {
  Opt type;
  const char* fields;
};
// Every union member not listed here is an empty table (ember's placeholders and the
// options without fields): verified as a table with no fields.
constexpr OptionFields kOptionFields[] = {
    {Opt::Conv2DOptions, "1441441"},  // padding, stride_w/h, activation, dilation_w/h, bias type
    {Opt::DepthwiseConv2DOptions, "1444144"},  // + depth_multiplier
    {Opt::Pool2DOptions, "144441"},            // padding, stride_w/h, filter_w/h, activation
    {Opt::SVDFOptions, "411"},                 // rank, activation, asymmetric_quantize_inputs
    {Opt::FullyConnectedOptions, "11111"},
    {Opt::SoftmaxOptions, "4"},         // beta
    {Opt::ConcatenationOptions, "41"},  // axis, activation
    {Opt::AddOptions, "11"},
    {Opt::ReshapeOptions, "v"},  // new_shape
    {Opt::MulOptions, "1"},
    {Opt::ReducerOptions, "1"},
    {Opt::SubOptions, "11"},
    {Opt::StridedSliceOptions, "444441"},
    {Opt::TransposeConvOptions, "14411"},
    {Opt::LeakyReluOptions, "4"},  // alpha
};

bool VerifyOptions(fb::Verifier& v, const fb::Table* table, Opt type) {
  if (type == Opt::NONE || static_cast<uint8_t>(type) > static_cast<uint8_t>(Opt::MAX)) {
    return true;  // as flatc's verifier: unknown (newer) union types are not checked
  }
  if (table == nullptr) return true;
  if (!table->VerifyTableStart(v)) return false;
  const char* fields = "";
  for (const OptionFields& o : kOptionFields) {
    if (o.type == type) fields = o.fields;
  }
  for (fb::voffset_t k = 0; fields[k] != '\0'; ++k) {
    const fb::voffset_t id = static_cast<fb::voffset_t>(4 + 2 * k);
    bool ok;
    if (fields[k] == '1') {
      ok = table->VerifyField<uint8_t>(v, id, 1);
    } else if (fields[k] == '4') {
      ok = table->VerifyField<uint32_t>(v, id, 4);
    } else {
      ok = table->VerifyOffset(v, id) &&
           v.VerifyVector(table->GetPointer<const fb::Vector<int32_t>*>(id));
    }
    if (!ok) return false;
  }
  return v.EndTable();
}

// Operator, SubGraph and Model: the generated checks, field by field, except that
// the options union goes through VerifyOptions().
struct OperatorTable : fb::Table {
  bool Verify(fb::Verifier& v) const {
    using O = sc::Operator;
    return VerifyTableStart(v) && VerifyField<uint32_t>(v, O::VT_OPCODE_INDEX, 4) &&
           VerifyOffset(v, O::VT_INPUTS) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(O::VT_INPUTS)) &&
           VerifyOffset(v, O::VT_OUTPUTS) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(O::VT_OUTPUTS)) &&
           VerifyField<uint8_t>(v, O::VT_BUILTIN_OPTIONS_TYPE, 1) &&
           VerifyOffset(v, O::VT_BUILTIN_OPTIONS) &&
           VerifyOptions(v, GetPointer<const fb::Table*>(O::VT_BUILTIN_OPTIONS),
                         static_cast<Opt>(GetField<uint8_t>(O::VT_BUILTIN_OPTIONS_TYPE, 0))) &&
           VerifyOffset(v, O::VT_CUSTOM_OPTIONS) &&
           v.VerifyVector(GetPointer<const fb::Vector<uint8_t>*>(O::VT_CUSTOM_OPTIONS)) &&
           VerifyField<int8_t>(v, O::VT_CUSTOM_OPTIONS_FORMAT, 1) &&
           VerifyOffset(v, O::VT_MUTATING_VARIABLE_INPUTS) &&
           v.VerifyVector(GetPointer<const fb::Vector<uint8_t>*>(O::VT_MUTATING_VARIABLE_INPUTS)) &&
           VerifyOffset(v, O::VT_INTERMEDIATES) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(O::VT_INTERMEDIATES)) &&
           VerifyField<uint64_t>(v, O::VT_LARGE_CUSTOM_OPTIONS_OFFSET, 8) &&
           VerifyField<uint64_t>(v, O::VT_LARGE_CUSTOM_OPTIONS_SIZE, 8) && v.EndTable();
  }
};

// A vector of tables of type T, verified as flatc does (vector, then each table).
template <typename T>
bool VerifyTables(fb::Verifier& v, const fb::Table* table, fb::voffset_t id) {
  if (!table->VerifyOffset(v, id)) return false;  // before reading the offset
  const auto* vec = table->GetPointer<const fb::Vector<fb::Offset<T>>*>(id);
  return v.VerifyVector(vec) && v.VerifyVectorOfTables(vec);
}

struct SubGraphTable : fb::Table {
  bool Verify(fb::Verifier& v) const {
    using S = sc::SubGraph;
    return VerifyTableStart(v) && VerifyTables<sc::Tensor>(v, this, S::VT_TENSORS) &&
           VerifyOffset(v, S::VT_INPUTS) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(S::VT_INPUTS)) &&
           VerifyOffset(v, S::VT_OUTPUTS) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(S::VT_OUTPUTS)) &&
           VerifyTables<OperatorTable>(v, this, S::VT_OPERATORS) && VerifyOffset(v, S::VT_NAME) &&
           v.VerifyString(GetPointer<const fb::String*>(S::VT_NAME)) && v.EndTable();
  }
};

struct ModelTable : fb::Table {
  bool Verify(fb::Verifier& v) const {
    using M = sc::Model;
    return VerifyTableStart(v) && VerifyField<uint32_t>(v, M::VT_VERSION, 4) &&
           VerifyTables<sc::OperatorCode>(v, this, M::VT_OPERATOR_CODES) &&
           VerifyTables<SubGraphTable>(v, this, M::VT_SUBGRAPHS) &&
           VerifyOffset(v, M::VT_DESCRIPTION) &&
           v.VerifyString(GetPointer<const fb::String*>(M::VT_DESCRIPTION)) &&
           VerifyTables<sc::Buffer>(v, this, M::VT_BUFFERS) &&
           VerifyOffset(v, M::VT_METADATA_BUFFER) &&
           v.VerifyVector(GetPointer<const fb::Vector<int32_t>*>(M::VT_METADATA_BUFFER)) &&
           VerifyTables<sc::Metadata>(v, this, M::VT_METADATA) &&
           VerifyTables<sc::SignatureDef>(v, this, M::VT_SIGNATURE_DEFS) && v.EndTable();
  }
};

}  // namespace

bool VerifyModelBytes(const uint8_t* data, size_t bytes) {
  fb::Verifier verifier(data, bytes);
  return verifier.VerifyBuffer<ModelTable>(sc::ModelIdentifier());
}

}  // namespace ember::rt
