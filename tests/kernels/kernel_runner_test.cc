// Tests of the kernel test runner itself: its checks must catch misbehaving kernels
// (buffer overruns, writes to inputs, phase-rule violations), otherwise every kernel test
// built on it could pass vacuously. Each case uses a deliberately broken fake kernel.
#include <gtest/gtest-spi.h>

#include <cstring>
#include <vector>

#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::Tensor;

// Behaviours of the fake kernel, chosen through builtin_data.
enum class Fault {
  kNone,
  kOverrunOutput,
  kOverrunScratch,
  kUnderrunPersistent,
  kWriteInput,
  kAllocateInInvoke,
  kScratchInPrepare,
  kFailSilently,
  kReport,
  kFullViewInInvoke
};

struct FakeData {
  uint8_t* persistent;
  int32_t scratch;
};

void* FakeInit(EmberContext* ctx, const void* builtin_data) {
  (void)builtin_data;
  return ctx->AllocatePersistent(ctx, sizeof(FakeData));
}

EmberStatus FakePrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<FakeData*>(node->user_data);
  const Fault f = *static_cast<const Fault*>(node->builtin_data);
  d->persistent = static_cast<uint8_t*>(ctx->AllocatePersistent(ctx, 8));
  if (ctx->RequestScratch(ctx, 12, &d->scratch) != kEmberOk) return kEmberError;
  if (f == Fault::kScratchInPrepare) (void)ctx->GetScratch(ctx, d->scratch);
  if (f == Fault::kFailSilently) return kEmberError;
  if (f == Fault::kReport) {
    ctx->ReportError(ctx, "FAKE: value %d of %s", 42, "tensor");
    return kEmberError;
  }
  return kEmberOk;
}

EmberStatus FakeInvoke(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<FakeData*>(node->user_data);
  const Fault f = *static_cast<const Fault*>(node->builtin_data);
  EmberEvalTensor* in = ctx->GetEvalTensor(ctx, node->inputs[0]);
  EmberEvalTensor* out = ctx->GetEvalTensor(ctx, node->outputs[0]);
  auto* scratch = static_cast<uint8_t*>(ctx->GetScratch(ctx, d->scratch));
  const size_t bytes = static_cast<size_t>(out->dims[0]);  // int8 [n]
  std::memcpy(out->data, in->data, bytes);
  if (f == Fault::kOverrunOutput) static_cast<uint8_t*>(out->data)[bytes] = 1;
  if (f == Fault::kFullViewInInvoke && ctx->GetTensor(ctx, node->inputs[0]) != nullptr) {
    return kEmberError;  // the runner must refuse (and report) full views in invoke
  }
  if (f == Fault::kOverrunScratch) scratch[12] = 1;
  if (f == Fault::kUnderrunPersistent) d->persistent[-1] = 1;
  if (f == Fault::kWriteInput) static_cast<uint8_t*>(in->data)[0] ^= 1;
  if (f == Fault::kAllocateInInvoke) (void)ctx->AllocatePersistent(ctx, 4);
  return kEmberOk;
}

EmberRegistration Fake() {
  EmberRegistration r{};
  r.name = "FAKE";
  r.init = &FakeInit;
  r.prepare = &FakePrepare;
  r.invoke = &FakeInvoke;
  return r;
}

EmberStatus RunFake(Fault f) {
  KernelRunner r(Fake(), &f, {Tensor<int8_t>({4}, {1, 2, 3, 4})}, {Output<int8_t>({4})});
  return r.Run();
}

TEST(KernelRunnerTest, WellBehavedKernelPasses) {
  Fault f = Fault::kNone;
  KernelRunner r(Fake(), &f, {Tensor<int8_t>({4}, {1, 2, 3, 4})}, {Output<int8_t>({4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{1, 2, 3, 4}));
  EXPECT_EQ(r.persistent_bytes(), sizeof(FakeData) + 8);
  EXPECT_EQ(r.scratch_bytes(), 12u);
}

TEST(KernelRunnerTest, CatchesOutputOverrun) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kOverrunOutput), "sentinel around tensor 1");
}
TEST(KernelRunnerTest, CatchesScratchOverrun) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kOverrunScratch), "scratch block of 12 bytes");
}
TEST(KernelRunnerTest, CatchesPersistentUnderrun) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kUnderrunPersistent), "persistent block");
}
TEST(KernelRunnerTest, CatchesInputWrites) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kWriteInput), "modified input tensor 0");
}
TEST(KernelRunnerTest, CatchesPhaseViolations) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kAllocateInInvoke),
                          "AllocatePersistent outside init/prepare");
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kScratchInPrepare), "GetScratch outside invoke");
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kFullViewInInvoke),
                          "GetTensor outside init/prepare");
}
TEST(KernelRunnerTest, CatchesFailureWithoutMessage) {
  EXPECT_NONFATAL_FAILURE((void)RunFake(Fault::kFailSilently),
                          "prepare failed without reporting an error");
}
TEST(KernelRunnerTest, CapturesFormattedErrors) {
  Fault f = Fault::kReport;
  KernelRunner r(Fake(), &f, {Tensor<int8_t>({4}, {1, 2, 3, 4})}, {Output<int8_t>({4})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("FAKE: value 42 of tensor")) << r.errors();
}

}  // namespace
}  // namespace ember::kernels
