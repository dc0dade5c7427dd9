// Serializes OpOptions into an Operator's BuiltinOptions union (internal to the
// model builder). Checks that the options struct belongs to the op and that its enum
// fields hold valid values.
#ifndef EMBER_MODELS_OP_OPTIONS_WRITER_H_
#define EMBER_MODELS_OP_OPTIONS_WRITER_H_

#include "models/op_options.h"
#include "models/status.h"
#include "runtime/schema/ember_schema_generated.h"

namespace ember::models {

struct WrittenOptions {
  schema::BuiltinOptions type = schema::BuiltinOptions::NONE;
  flatbuffers::Offset<void> table;  // null when type == NONE
};

Status WriteBuiltinOptions(flatbuffers::FlatBufferBuilder& fbb, schema::BuiltinOperator op,
                           const OpOptions& options, WrittenOptions* out);

}  // namespace ember::models

#endif  // EMBER_MODELS_OP_OPTIONS_WRITER_H_
