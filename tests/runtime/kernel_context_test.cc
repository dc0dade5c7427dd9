// The kernel context's phase rules and error tagging, with small test kernels
// registered as ADD in a chain model (a + c -> t1 -> t2 -> y).
#include <gtest/gtest.h>

#include <cstring>

#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

using testing::LogCapture;

std::vector<uint8_t> ChainModel() { return testing::AddChainModel(); }

struct OneOp : OpResolver<2> {
  explicit OneOp(EmberRegistration r) {
    r.name = "ADD";
    r.builtin_code = 0;
    EXPECT_EQ(AddBuiltin(r), kEmberOk);
  }
};

std::string RunChain(EmberRegistration r, bool expect_allocate_ok, bool expect_invoke_ok) {
  std::vector<uint8_t> model = ChainModel();
  OneOp resolver(r);
  LogCapture log;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  EmberStatus allocated = interpreter.AllocateTensors();
  EXPECT_EQ(allocated == kEmberOk, expect_allocate_ok) << log.text();
  if (allocated == kEmberOk) {
    EXPECT_EQ(interpreter.Invoke() == kEmberOk, expect_invoke_ok) << log.text();
  }
  return log.text();
}

TEST(KernelContext, NoPersistentAllocationDuringInvoke) {
  EmberRegistration r{};
  r.invoke = [](EmberContext* ctx, EmberNode*) {
    return ctx->AllocatePersistent(ctx, 16) == nullptr ? kEmberError : kEmberOk;
  };
  std::string log = RunChain(r, true, false);
  EXPECT_NE(log.find("op #0 ADD: AllocatePersistent(16) outside init/prepare"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("gave no reason"), std::string::npos) << "logged once";
}

TEST(KernelContext, ScratchOnlyRequestedInPrepareAndFetchedInInvoke) {
  EmberRegistration r{};
  r.invoke = [](EmberContext* ctx, EmberNode*) {
    int32_t index;
    return ctx->RequestScratch(ctx, 8, &index);
  };
  EXPECT_NE(RunChain(r, true, false).find("op #0 ADD: RequestScratch(8) outside prepare"),
            std::string::npos);
  EmberRegistration g{};
  g.prepare = [](EmberContext* ctx, EmberNode*) {
    return ctx->GetScratch(ctx, 0) == nullptr ? kEmberError : kEmberOk;
  };
  g.invoke = [](EmberContext*, EmberNode*) { return kEmberOk; };
  EXPECT_NE(RunChain(g, false, false).find("GetScratch(0) before the memory plan exists"),
            std::string::npos);
  EmberRegistration bad{};
  bad.invoke = [](EmberContext* ctx, EmberNode*) {
    return ctx->GetScratch(ctx, 5) == nullptr ? kEmberError : kEmberOk;
  };
  EXPECT_NE(RunChain(bad, true, false).find("GetScratch(5): no such scratch buffer (0 requested)"),
            std::string::npos);
}

TEST(KernelContext, ReportErrorIsTaggedAndLoggedOnce) {
  EmberRegistration r{};
  r.prepare = [](EmberContext* ctx, EmberNode* node) {
    if (node->op_index == 1) {
      ctx->ReportError(ctx, "input %d has %s shape", 0, "a bad");
      return kEmberError;
    }
    return kEmberOk;
  };
  r.invoke = [](EmberContext*, EmberNode*) { return kEmberOk; };
  std::string log = RunChain(r, false, false);
  EXPECT_EQ(log, "op #1 ADD: input 0 has a bad shape\n");
  EmberRegistration silent{};
  silent.prepare = [](EmberContext*, EmberNode*) { return kEmberError; };
  silent.invoke = [](EmberContext*, EmberNode*) { return kEmberOk; };
  EXPECT_EQ(RunChain(silent, false, false),
            "op #0 ADD: prepare failed (the kernel gave no reason)\n");
}

TEST(KernelContext, ScratchBuffersArePlannedWithTheirOpLifetime) {
  std::vector<uint8_t> model = ChainModel();
  testing::SetAddScratch(1000);
  OpResolver<2> resolver;
  ASSERT_EQ(resolver.AddBuiltin(testing::TestAddRegistration()), kEmberOk);
  alignas(16) static uint8_t arena[8192];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  testing::SetAddScratch(0);
  const ArenaUsage& u = interpreter.arena_usage();
  EXPECT_EQ(u.scratch_requested, 2000u);
  // The two scratch buffers (ops 0 and 1) share bytes: only one is live at a time.
  EXPECT_GE(u.scratch, 1000u);
  EXPECT_LT(u.scratch, 2000u);
  EXPECT_EQ(u.planned_buffers, 5u);  // a, t1, y + 2 scratch
  float* in = static_cast<float*>(interpreter.input(0)->data);
  for (int i = 0; i < 4; ++i) in[i] = 1.0f * i;
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  EXPECT_FLOAT_EQ(static_cast<float*>(interpreter.output(0)->data)[3], 5.0f);
}

// Full views (quantization included) exist during init/prepare only; invoke reads the
// 12-byte eval records. Kernels that ask for a full view in invoke get NULL and an error.
TEST(KernelContext, FullViewsOnlyDuringInitAndPrepare) {
  EmberRegistration r{};
  r.prepare = [](EmberContext* ctx, EmberNode* node) {
    const EmberTensor* a = ctx->GetTensor(ctx, node->inputs[0]);
    const EmberTensor* c = ctx->GetTensor(ctx, node->inputs[1]);
    const EmberTensor* y = ctx->GetTensor(ctx, node->outputs[0]);
    if (a == nullptr || c == nullptr || y == nullptr || a == c || a == y) return kEmberError;
    // The same tensor twice in one prepare is the same view.
    if (ctx->GetTensor(ctx, node->inputs[0]) != a) return kEmberError;
    if (!c->is_constant || c->bytes != 16 || a->num_dims != 1 || a->dims[0] != 4) {
      return kEmberError;
    }
    // Out of range and absent tensors are NULL.
    if (ctx->GetTensor(ctx, -1) != nullptr || ctx->GetTensor(ctx, 99) != nullptr) {
      return kEmberError;
    }
    return kEmberOk;
  };
  r.invoke = [](EmberContext* ctx, EmberNode* node) {
    const EmberEvalTensor* c = ctx->GetEvalTensor(ctx, node->inputs[1]);
    if (c == nullptr || !c->is_constant || c->num_dims != 1 || c->type != kEmberFloat32) {
      return kEmberError;
    }
    if (ctx->GetEvalTensor(ctx, 99) != nullptr) return kEmberError;
    return ctx->GetTensor(ctx, node->inputs[0]) == nullptr ? kEmberOk : kEmberError;
  };
  std::string log = RunChain(r, true, false);
  EXPECT_NE(log.find("op #0 ADD: GetTensor(0) outside init/prepare: full tensor views exist only "
                     "while the model is prepared (use GetEvalTensor in invoke)"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("gave no reason"), std::string::npos) << "logged once";
}

// A kernel that fetches more distinct tensors in one prepare than any op has (here:
// every tensor of the model) still gets correct views; the pool reuses slots in turn.
TEST(KernelContext, PrepareViewsOfTensorsOutsideTheNode) {
  EmberRegistration r{};
  r.prepare = [](EmberContext* ctx, EmberNode*) {
    for (int round = 0; round < 3; ++round) {
      for (int32_t t = 0; t < 4; ++t) {
        const EmberTensor* v = ctx->GetTensor(ctx, t);
        if (v == nullptr || v->num_dims != 1 || v->dims[0] != 4 || v->bytes != 16) {
          return kEmberError;
        }
        if (v->is_constant != (t == 1)) return kEmberError;  // "c" is tensor 1
      }
    }
    return kEmberOk;
  };
  r.invoke = [](EmberContext*, EmberNode*) { return kEmberOk; };
  std::string log = RunChain(r, true, true);
  EXPECT_EQ(log, "");
}

// The arena keeps an eval record per tensor and full views of the inputs/outputs only.
TEST(KernelContext, TensorMetadataIsEvalRecordsPlusInputOutputViews) {
  std::vector<uint8_t> model = ChainModel();  // 4 tensors, 1 input, 1 output
  OpResolver<2> resolver;
  ASSERT_EQ(resolver.AddBuiltin(testing::TestAddRegistration()), kEmberOk);
  alignas(16) static uint8_t arena[8192];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  EXPECT_EQ(interpreter.arena_usage().tensor_metadata,
            AlignUp(4 * sizeof(EmberEvalTensor), 8) + AlignUp(2 * sizeof(EmberTensor), 8));
  // Input/output views and eval records agree on the data.
  EXPECT_EQ(interpreter.input(0)->data, interpreter.tensor(0)->data);
  EXPECT_EQ(interpreter.output(0)->data, interpreter.tensor(3)->data);
  EXPECT_NE(interpreter.input(0)->data, nullptr);
  // tensor_view(): the full view of any tensor, read from the model.
  EmberTensor view{};
  ASSERT_EQ(interpreter.tensor_view(2, &view), kEmberOk);
  EXPECT_EQ(view.data, interpreter.tensor(2)->data);
  EXPECT_EQ(view.bytes, 16u);
  EXPECT_EQ(view.type, kEmberFloat32);
  LogCapture log;
  EXPECT_EQ(interpreter.tensor_view(4, &view), kEmberError);
  EXPECT_NE(log.text().find("tensor_view(4) out of range: the model has 4 tensors"),
            std::string::npos)
      << log.text();
}

TEST(KernelContext, TensorViewBeforeAllocateIsAnError) {
  std::vector<uint8_t> model = ChainModel();
  OpResolver<2> resolver;
  ASSERT_EQ(resolver.AddBuiltin(testing::TestAddRegistration()), kEmberOk);
  alignas(16) static uint8_t arena[8192];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  LogCapture log;
  EmberTensor view{};
  EXPECT_EQ(interpreter.tensor_view(0, &view), kEmberError);
  EXPECT_EQ(interpreter.tensor(0), nullptr);
  EXPECT_NE(log.text().find("tensor_view(0) before a successful AllocateTensors()"),
            std::string::npos);
}

}  // namespace
}  // namespace ember::rt
