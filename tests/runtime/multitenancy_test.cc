// Several interpreters in one MultiTenantArena: persistent parts stack, the
// nonpersistent head is shared and sized for the largest; running them alternately
// gives the same outputs as alone; misuse is a clear error.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "tests/runtime/test_util.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

namespace ember::rt {
namespace {

using testing::LogCapture;

std::vector<uint8_t> Bytes(const EmberTensor* t) {
  const uint8_t* p = static_cast<const uint8_t*>(t->data);
  return std::vector<uint8_t>(p, p + t->bytes);
}

void FillPattern(Interpreter& interpreter, int salt) {
  for (size_t k = 0; k < interpreter.inputs_size(); ++k) {
    EmberTensor* t = interpreter.input(k);
    uint8_t* p = static_cast<uint8_t*>(t->data);
    for (uint32_t i = 0; i < t->bytes; ++i) p[i] = static_cast<uint8_t>(i * 7 + 3 + salt);
  }
}

std::vector<uint8_t> RunOnce(Interpreter& interpreter, int salt) {
  FillPattern(interpreter, salt);
  EXPECT_EQ(interpreter.Invoke(), kEmberOk);
  std::vector<uint8_t> out;
  for (size_t k = 0; k < interpreter.outputs_size(); ++k) {
    std::vector<uint8_t> b = Bytes(interpreter.output(k));
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

// Runs `names` alone (own arena) and as tenants of one arena, alternately, for a few
// rounds with different inputs; outputs must match bit for bit.
void ExpectTenantsMatchAlone(const OpResolverInterface& resolver,
                             const std::vector<std::string>& names) {
  std::vector<host::AlignedBuffer> models(names.size());
  for (size_t m = 0; m < names.size(); ++m) {
    if (!testing::LoadRealModel(names[m], &models[m])) {
      GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
    }
  }
  constexpr int kRounds = 3;
  std::vector<std::vector<std::vector<uint8_t>>> alone(names.size());
  size_t sum_persistent = 0, max_nonpersistent = 0;
  for (size_t m = 0; m < names.size(); ++m) {
    host::AlignedBuffer arena(1 << 20);
    Interpreter interpreter(models[m].data(), models[m].size(), resolver, arena.data(),
                            arena.size());
    LogCapture log;
    ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk) << names[m] << ": " << log.text();
    for (int r = 0; r < kRounds; ++r) alone[m].push_back(RunOnce(interpreter, r + 11 * int(m)));
    sum_persistent += interpreter.arena_usage().persistent;
    max_nonpersistent = std::max(max_nonpersistent, interpreter.arena_usage().nonpersistent);
  }
  host::AlignedBuffer shared_buffer(1 << 20);
  MultiTenantArena shared(shared_buffer.data(), shared_buffer.size());
  std::vector<std::unique_ptr<Interpreter>> tenants;
  for (size_t m = 0; m < names.size(); ++m) {
    tenants.push_back(
        std::make_unique<Interpreter>(models[m].data(), models[m].size(), resolver, shared));
    ASSERT_EQ(tenants.back()->AllocateTensors(), kEmberOk);
  }
  EXPECT_EQ(shared.tenants(), names.size());
  EXPECT_EQ(shared.persistent_bytes(), sum_persistent);
  EXPECT_EQ(shared.nonpersistent_bytes(), max_nonpersistent);
  EXPECT_LT(shared.used_bytes(), sum_persistent + max_nonpersistent * names.size() + 1);
  for (int r = 0; r < kRounds; ++r) {
    for (size_t m = 0; m < names.size(); ++m) {
      EXPECT_EQ(RunOnce(*tenants[m], r + 11 * int(m)), alone[m][r]) << names[m] << " round " << r;
    }
  }
  // The shared arena's reported minimum holds all tenants again.
  host::AlignedBuffer exact(shared.minimal_arena_bytes());
  MultiTenantArena tight(exact.data(), exact.size());
  std::vector<std::unique_ptr<Interpreter>> again;
  for (size_t m = 0; m < names.size(); ++m) {
    again.push_back(
        std::make_unique<Interpreter>(models[m].data(), models[m].size(), resolver, tight));
    ASSERT_EQ(again.back()->AllocateTensors(), kEmberOk) << names[m];
  }
  for (size_t m = 0; m < names.size(); ++m) {
    EXPECT_EQ(RunOnce(*again[m], 11 * int(m)), alone[m][0]) << names[m];
  }
}

TEST(MultiTenancy, CheckerKernelsOnAllRealModels) {
  // Checker kernels verify that no live input was overwritten: the shared head may not
  // hold stale data of another tenant where a tensor of this one is live.
  testing::CheckerResolver resolver;
  struct Run {
    static void Fill(Interpreter& i) { testing::PrepareCheckerRun(i); }
  };
  std::vector<std::string> names = {"hello_world_float.tflite", "keyword_scrambled.tflite",
                                    "person_detect.tflite"};
  std::vector<host::AlignedBuffer> models(names.size());
  for (size_t m = 0; m < names.size(); ++m) {
    if (!testing::LoadRealModel(names[m], &models[m])) GTEST_SKIP() << "real models missing";
  }
  host::AlignedBuffer buffer(512 * 1024);
  MultiTenantArena shared(buffer.data(), buffer.size());
  std::vector<std::unique_ptr<Interpreter>> tenants;
  for (size_t m = 0; m < names.size(); ++m) {
    tenants.push_back(
        std::make_unique<Interpreter>(models[m].data(), models[m].size(), resolver, shared));
    ASSERT_EQ(tenants.back()->AllocateTensors(), kEmberOk);
  }
  for (int round = 0; round < 2; ++round) {
    for (auto& t : tenants) {
      LogCapture log;
      Run::Fill(*t);
      EXPECT_EQ(t->Invoke(), kEmberOk) << log.text();
    }
  }
}

#if defined(EMBER_HAVE_KERNELS)
struct AllOps {
  kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  AllOps() { EXPECT_EQ(kernels::AddAllOps(resolver), kEmberOk); }
};

TEST(MultiTenancy, HelloWorldModelsAlternatelyMatchAlone) {
  AllOps ops;
  ExpectTenantsMatchAlone(ops.resolver, {"hello_world_float.tflite", "hello_world_int8.tflite"});
}

TEST(MultiTenancy, HelloWorldWithKeywordAndPersonMatchAlone) {
  AllOps ops;
  for (const char* name : {"keyword_scrambled.tflite", "person_detect.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) GTEST_SKIP() << "real models missing";
    host::AlignedBuffer arena(1 << 20);
    LogCapture log;
    Interpreter probe(model.data(), model.size(), ops.resolver, arena.data(), arena.size());
    if (probe.AllocateTensors() != kEmberOk &&
        log.text().find("not registered") != std::string::npos) {
      GTEST_SKIP() << "kernels not there yet: " << log.text();
    }
  }
  ExpectTenantsMatchAlone(ops.resolver, {"hello_world_int8.tflite", "keyword_scrambled.tflite",
                                         "person_detect.tflite"});
}
#endif

TEST(MultiTenancy, SameRawArenaForTwoInterpretersIsAClearError) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("hello_world_float.tflite", &model)) GTEST_SKIP() << "no models";
  testing::CheckerResolver resolver;
  alignas(16) static uint8_t arena[16384];
  Interpreter first(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(first.AllocateTensors(), kEmberOk);
  Interpreter second(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(second.AllocateTensors(), kEmberOk);
  LogCapture log;
  EXPECT_EQ(first.Invoke(), kEmberError);
  EXPECT_NE(log.text().find("another interpreter was given the same arena"), std::string::npos)
      << log.text();
  EXPECT_NE(log.text().find("MultiTenantArena"), std::string::npos);
}

TEST(MultiTenancy, TenantThatDoesNotFitFailsAndOthersKeepWorking) {
  host::AlignedBuffer small_model, big_model;
  if (!testing::LoadRealModel("hello_world_float.tflite", &small_model) ||
      !testing::LoadRealModel("person_detect.tflite", &big_model)) {
    GTEST_SKIP() << "real models not found";
  }
  testing::CheckerResolver resolver;
  host::AlignedBuffer buffer(16384);
  MultiTenantArena shared(buffer.data(), buffer.size());
  Interpreter small(small_model.data(), small_model.size(), resolver, shared);
  ASSERT_EQ(small.AllocateTensors(), kEmberOk);
  LogCapture log;
  Interpreter big(big_model.data(), big_model.size(), resolver, shared);
  EXPECT_EQ(big.AllocateTensors(), kEmberError);
  EXPECT_NE(log.text().find("arena too small"), std::string::npos) << log.text();
  EXPECT_EQ(big.Invoke(), kEmberError);
  EXPECT_EQ(shared.tenants(), 1u);
  testing::PrepareCheckerRun(small);
  EXPECT_EQ(small.Invoke(), kEmberOk);
}

}  // namespace
}  // namespace ember::rt
