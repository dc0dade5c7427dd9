// TensorViews::kOnDemand (compact tensor records, views built per op): the same outputs
// as the default on every model and over repeated Invoke() calls (SVDF state), a smaller
// persistent arena on the benchmark models, an exact minimal arena, and stable views for
// the model inputs/outputs.
#include <gtest/gtest.h>

#include <algorithm>

#include <cstring>
#include <string>
#include <vector>

#include "models/benchmark_models.h"
#include "runtime/host/model_file.h"
#include "runtime/interpreter.h"
#include "tests/runtime/test_util.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

namespace ember::rt {
namespace {

#if defined(EMBER_HAVE_KERNELS)
const OpResolverInterface& AllOps() {
  static kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  static bool registered = kernels::AddAllOps(resolver) == kEmberOk;
  EXPECT_TRUE(registered);
  return resolver;
}

struct Outcome {
  bool ok = false;
  ArenaUsage usage;
  std::vector<std::vector<uint8_t>> outputs;  // of every Invoke(), concatenated per call
};

// Three Invoke() calls with different 'pattern' inputs in an arena of `arena_bytes`.
Outcome Run(const host::AlignedBuffer& model, TensorViews views, size_t arena_bytes) {
  host::AlignedBuffer arena(arena_bytes);
  Interpreter interpreter(model.data(), model.size(), AllOps(), arena.data(), arena_bytes);
  Outcome r;
  EXPECT_EQ(interpreter.SetTensorViews(views), kEmberOk);
  if (interpreter.AllocateTensors() != kEmberOk) return r;
  // Views of inputs/outputs taken once must stay valid across Invoke() calls.
  std::vector<EmberTensor*> in, out;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) in.push_back(interpreter.input(i));
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) out.push_back(interpreter.output(i));
  for (int call = 0; call < 3; ++call) {
    for (EmberTensor* t : in) {
      uint8_t* p = static_cast<uint8_t*>(t->data);
      for (uint32_t b = 0; b < t->bytes; ++b) p[b] = static_cast<uint8_t>(b * 7 + 3 + call * 29);
    }
    if (interpreter.Invoke() != kEmberOk) return r;
    std::vector<uint8_t> bytes;
    for (const EmberTensor* t : out) {
      const uint8_t* p = static_cast<const uint8_t*>(t->data);
      bytes.insert(bytes.end(), p, p + t->bytes);
    }
    r.outputs.push_back(bytes);
  }
  r.usage = interpreter.arena_usage();
  r.ok = true;
  return r;
}

void Compare(const std::string& name, const host::AlignedBuffer& model, bool expect_smaller) {
  SCOPED_TRACE(name);
  Outcome normal = Run(model, TensorViews::kPersistent, 1 << 20);
  Outcome compact = Run(model, TensorViews::kOnDemand, 1 << 20);
  ASSERT_TRUE(normal.ok);
  ASSERT_TRUE(compact.ok);
  EXPECT_EQ(compact.outputs, normal.outputs);
  EXPECT_EQ(compact.usage.nonpersistent, normal.usage.nonpersistent);
  EXPECT_EQ(compact.usage.kernel_op_data, normal.usage.kernel_op_data);
  // op_data ends with the padding that puts the tail on a 16-byte boundary, which depends
  // on the size of the tensor metadata before it: at most 15 bytes apart.
  EXPECT_LE(std::max(compact.usage.op_data, normal.usage.op_data) -
                std::min(compact.usage.op_data, normal.usage.op_data),
            15u);
  EXPECT_EQ(compact.usage.persistent, compact.usage.tensor_metadata + compact.usage.op_data +
                                          compact.usage.variable_tensor_data);
  if (expect_smaller) {
    EXPECT_LT(compact.usage.persistent, normal.usage.persistent);
  }
  // The minimal arena is exact in this mode too.
  const size_t minimal = compact.usage.minimal_arena;
  Outcome exact = Run(model, TensorViews::kOnDemand, minimal);
  ASSERT_TRUE(exact.ok);
  EXPECT_EQ(exact.outputs, normal.outputs);
  testing::LogCapture log;
  EXPECT_FALSE(Run(model, TensorViews::kOnDemand, minimal - 1).ok);
  EXPECT_NE(log.text().find("arena too small"), std::string::npos) << log.text();
}

TEST(CompactViews, BenchmarkModelsMatchDefault) {
  for (const std::string& name : models::BenchmarkModelNames()) {
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(models::BuildBenchmarkModel(name, &bytes).ok()) << name;
    host::AlignedBuffer model(bytes.size());
    std::memcpy(model.data(), bytes.data(), bytes.size());
    Compare(name, model, /*expect_smaller=*/name != "conv_ref");
  }
}

TEST(CompactViews, RealModelsMatchDefault) {
  int checked = 0;
  for (const char* name :
       {"keyword_scrambled.tflite", "person_detect.tflite", "hello_world_int8.tflite",
        "hello_world_float.tflite", "micro_speech_quantized.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    const std::string n = name;
    Compare(n, model, n == "keyword_scrambled.tflite" || n == "person_detect.tflite");
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}
#endif  // EMBER_HAVE_KERNELS

// Every tensor's view in compact mode equals the default one, field by field.
TEST(CompactViews, ViewsEqualPersistentViews) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("person_detect.tflite", &model)) {
    GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
  }
  testing::CheckerResolver resolver;
  host::AlignedBuffer a(1 << 20), b(1 << 20);
  Interpreter normal(model.data(), model.size(), resolver, a.data(), a.size());
  Interpreter compact(model.data(), model.size(), resolver, b.data(), b.size());
  ASSERT_EQ(compact.SetTensorViews(TensorViews::kOnDemand), kEmberOk);
  ASSERT_EQ(normal.AllocateTensors(), kEmberOk);
  ASSERT_EQ(compact.AllocateTensors(), kEmberOk);
  ASSERT_EQ(compact.SetTensorViews(TensorViews::kPersistent), kEmberError);  // too late
  for (size_t i = 0; i < normal.tensors_size(); ++i) {
    const EmberTensor* x = normal.tensor(i);
    const EmberTensor* y = compact.tensor(i);
    ASSERT_NE(y, nullptr);
    EXPECT_EQ(y->dims, x->dims) << i;
    EXPECT_EQ(y->num_dims, x->num_dims) << i;
    EXPECT_EQ(y->type, x->type) << i;
    EXPECT_EQ(y->bytes, x->bytes) << i;
    EXPECT_EQ(y->quant.num_channels, x->quant.num_channels) << i;
    if (x->quant.num_channels > 1) {
      EXPECT_EQ(y->quant.quantized_dimension, x->quant.quantized_dimension) << i;
    }
    EXPECT_EQ(y->quant.scale, x->quant.scale) << i;
    EXPECT_EQ(y->quant.zero_point, x->quant.zero_point) << i;
    EXPECT_EQ(y->quant.scales, x->quant.scales) << i;
    EXPECT_EQ(y->quant.zero_points, x->quant.zero_points) << i;
    EXPECT_EQ(y->is_constant, x->is_constant) << i;
    EXPECT_EQ(y->is_variable, x->is_variable) << i;
    EXPECT_STREQ(compact.tensor_name(i), normal.tensor_name(i)) << i;
    EXPECT_EQ(y->data == nullptr, x->data == nullptr) << i;
    EXPECT_EQ(compact.planned_offset(i), normal.planned_offset(i)) << i;
    if (x->is_constant) {
      EXPECT_EQ(y->data, x->data) << i;
    }
  }
  EXPECT_EQ(compact.tensor(normal.tensors_size()), nullptr);
  testing::PrepareCheckerRun(compact);
  EXPECT_EQ(compact.Invoke(), kEmberOk);
}

}  // namespace
}  // namespace ember::rt
