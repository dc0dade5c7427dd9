#include "tests/runtime/test_util.h"

#include <cstring>
#include <map>

#include "models/model_builder.h"
#include "runtime/builtin_params.h"

namespace ember::rt::testing {
namespace {

std::string g_log;
void Capture(const char* message) {
  g_log += message;
  g_log += "\n";
}

// Checker kernel bookkeeping: which byte each tensor currently holds (-1: unknown).
std::vector<int> g_expected;

uint8_t OpByte(int32_t op_index) { return static_cast<uint8_t>(op_index * 13 + 7); }

EmberStatus CheckerPrepare(EmberContext* ctx, EmberNode* node) {
  int32_t* scratch_index = static_cast<int32_t*>(ctx->AllocatePersistent(ctx, sizeof(int32_t)));
  if (scratch_index == nullptr) return kEmberError;
  *scratch_index = -1;
  node->user_data = scratch_index;
  return kEmberOk;
}

EmberStatus CheckerPrepareWithScratch(EmberContext* ctx, EmberNode* node) {
  if (CheckerPrepare(ctx, node) != kEmberOk) return kEmberError;
  EmberTensor* out = ctx->GetTensor(ctx, node->outputs[0]);
  return ctx->RequestScratch(ctx, out->bytes, static_cast<int32_t*>(node->user_data));
}

EmberStatus CheckerInvoke(EmberContext* ctx, EmberNode* node) {
  int32_t scratch_index = *static_cast<int32_t*>(node->user_data);
  const EmberEvalTensor* out0 = ctx->GetEvalTensor(ctx, node->outputs[0]);
  if (scratch_index >= 0) {
    void* scratch = ctx->GetScratch(ctx, scratch_index);
    if (scratch == nullptr) return kEmberError;
    std::memset(scratch, 0xEE, TensorBytes(*out0));
  }
  for (int32_t k = 0; k < node->num_inputs; ++k) {
    int32_t t = node->inputs[k];
    if (t < 0 || static_cast<size_t>(t) >= g_expected.size() || g_expected[t] < 0) continue;
    const EmberEvalTensor* in = ctx->GetEvalTensor(ctx, t);
    const uint8_t* p = static_cast<const uint8_t*>(in->data);
    for (uint32_t i = 0, n = TensorBytes(*in); i < n; ++i) {
      if (p[i] != g_expected[t]) {
        ctx->ReportError(ctx, "input tensor %ld '%s' byte %lu is 0x%x, expected 0x%x",
                         static_cast<long>(t), ctx->GetTensorName(ctx, t), static_cast<unsigned long>(i), p[i],
                         static_cast<unsigned>(g_expected[t]));
        return kEmberError;
      }
    }
  }
  for (int32_t k = 0; k < node->num_outputs; ++k) {
    EmberEvalTensor* out = ctx->GetEvalTensor(ctx, node->outputs[k]);
    std::memset(out->data, OpByte(node->op_index), TensorBytes(*out));
    g_expected[node->outputs[k]] = OpByte(node->op_index);
  }
  return kEmberOk;
}

EmberRegistration Checker(int32_t code, const char* name, bool scratch) {
  EmberRegistration r{};
  r.name = name;
  r.builtin_code = code;
  r.variant = "checker";
  r.prepare = scratch ? &CheckerPrepareWithScratch : &CheckerPrepare;
  r.invoke = &CheckerInvoke;
  return r;
}

size_t g_add_scratch = 0;

struct AddData {
  int32_t scratch_index;
};

void* AddInit(EmberContext* ctx, const void*) {
  return ctx->AllocatePersistent(ctx, sizeof(AddData));
}

EmberStatus AddPrepare(EmberContext* ctx, EmberNode* node) {
  auto* data = static_cast<AddData*>(node->user_data);
  if (data == nullptr) return kEmberError;
  data->scratch_index = -1;
  const EmberTensor* a = ctx->GetTensor(ctx, node->inputs[0]);
  const EmberTensor* b = ctx->GetTensor(ctx, node->inputs[1]);
  const EmberTensor* y = ctx->GetTensor(ctx, node->outputs[0]);
  if (a->type != kEmberFloat32 || a->bytes != b->bytes || a->bytes != y->bytes) {
    ctx->ReportError(ctx, "test ADD needs float32 tensors of equal size");
    return kEmberError;
  }
  if (g_add_scratch > 0) return ctx->RequestScratch(ctx, g_add_scratch, &data->scratch_index);
  return kEmberOk;
}

EmberStatus AddInvoke(EmberContext* ctx, EmberNode* node) {
  auto* data = static_cast<AddData*>(node->user_data);
  if (data->scratch_index >= 0) {
    void* s = ctx->GetScratch(ctx, data->scratch_index);
    if (s == nullptr) return kEmberError;
  }
  const EmberEvalTensor* a = ctx->GetEvalTensor(ctx, node->inputs[0]);
  const EmberEvalTensor* b = ctx->GetEvalTensor(ctx, node->inputs[1]);
  EmberEvalTensor* y = ctx->GetEvalTensor(ctx, node->outputs[0]);
  const float* pa = static_cast<const float*>(a->data);
  const float* pb = static_cast<const float*>(b->data);
  float* py = static_cast<float*>(y->data);
  for (uint32_t i = 0, n = TensorBytes(*y) / 4; i < n; ++i) py[i] = pa[i] + pb[i];
  return kEmberOk;
}

}  // namespace

LogCapture::LogCapture() : previous_(SetLogHandler(&Capture)) { g_log.clear(); }
LogCapture::~LogCapture() { SetLogHandler(previous_); }
const std::string& LogCapture::text() const { return g_log; }
void LogCapture::Clear() { g_log.clear(); }

std::string ModelsDir() { return EMBER_MODELS_DIR; }

bool LoadRealModel(const std::string& name, host::AlignedBuffer* out) {
  std::string error;
  return host::LoadFile(ModelsDir() + "/" + name, out, &error);
}

CheckerResolver::CheckerResolver() {
  g_expected.reserve(4096);  // PrepareCheckerRun then never allocates (no-heap test)
  struct Op {
    int32_t code;
    const char* name;
    bool scratch;
  };
  static const Op kOps[] = {
      {kEmberOpConv2d, "CONV_2D", true},
      {kEmberOpDepthwiseConv2d, "DEPTHWISE_CONV_2D", true},
      {kEmberOpSvdf, "SVDF", true},
      {kEmberOpFullyConnected, "FULLY_CONNECTED", false},
      {kEmberOpAveragePool2d, "AVERAGE_POOL_2D", false},
      {kEmberOpReshape, "RESHAPE", false},
      {kEmberOpSoftmax, "SOFTMAX", false},
      {kEmberOpQuantize, "QUANTIZE", false},
  };
  for (const Op& op : kOps) {
    if (AddBuiltin(Checker(op.code, op.name, op.scratch)) != kEmberOk) std::abort();
  }
}

void PrepareCheckerRun(Interpreter& interpreter) {
  g_expected.assign(interpreter.tensors_size(), -1);
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    EmberTensor* t = interpreter.input(i);
    std::memset(t->data, 0x5A, t->bytes);
  }
  for (size_t i = 0; i < interpreter.tensors_size(); ++i) {
    const EmberEvalTensor* t = interpreter.tensor(i);
    if (t->is_variable) continue;
    for (size_t k = 0; k < interpreter.inputs_size(); ++k) {
      if (interpreter.input_tensor_index(k) == static_cast<int32_t>(i)) g_expected[i] = 0x5A;
    }
  }
}

EmberRegistration TestAddRegistration() {
  EmberRegistration r{};
  r.name = "ADD";
  r.builtin_code = kEmberOpAdd;
  r.variant = "test";
  r.init = &AddInit;
  r.prepare = &AddPrepare;
  r.invoke = &AddInvoke;
  return r;
}

void SetAddScratch(size_t bytes) { g_add_scratch = bytes; }

std::vector<uint8_t> AddChainModel() {
  models::ModelBuilder b;
  using models::TensorType;
  int a = b.AddTensor("a", TensorType::FLOAT32, {4});
  int c = b.AddConstTensor("c", TensorType::FLOAT32, {4}, models::FloatData({1, 1, 1, 1}));
  int t1 = b.AddTensor("t1", TensorType::FLOAT32, {4});
  int y = b.AddTensor("y", TensorType::FLOAT32, {4});
  b.AddOperator(models::BuiltinOperator::ADD, {a, c}, {t1});
  b.AddOperator(models::BuiltinOperator::ADD, {t1, c}, {y});
  b.SetInputs({a});
  b.SetOutputs({y});
  std::vector<uint8_t> model;
  if (!b.Build(&model).ok()) model.clear();  // the interpreter then reports an empty model
  return model;
}

}  // namespace ember::rt::testing
