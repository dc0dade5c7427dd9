// main() of the emulated kernel tests and of their host twins (tests/kernels_emulated).
//
// Runs the linked GoogleTest tests like gtest_main does, and records what the kernels
// under test produce (tests/kernels/kernel_runner.h, SetInvokeObserver):
//
//   EMBER_DIGEST <Suite.Test> <OK|FAILED|SKIPPED> calls=<n> fnv=<16 hex digits>
//     one per test: FNV-1a (64 bit) over, in order, every InitAndPrepare() status and
//     every Invoke() status with each output's type, shape, size and, for all types but
//     float32, its bytes. Must be identical on the board and on the host.
//   EMBER_F32 <Suite.Test> call=<k> out=<i> n=<count> <8 hex digits per value>...
//     every float32 output, its values' IEEE bits. Compared with a tolerance
//     (compare_digests.cc): on Cortex-M4F/M7 GCC fuses a*b+c into one FMA (C++ allows
//     it and the firmware's kernels are built that way), and newlib's libm is not glibc's,
//     so float kernels legitimately round differently from the host in the last bits.
//
// The same test sources run natively on the host and in `ember sim` on each board;
// run_emulated.cmake compares the two outputs, so an emulated kernel that computes one
// different byte than the host fails even where the test's own oracle allows a tolerance
// (e.g. +-1 LSB). Arena sizes are not recorded: they differ legitimately (pointer sizes,
// the DSP variants' scratch).
//
// On the target main() takes no arguments (boards/common/startup.c calls main(void)).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "runtime/kernel_api.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels::testing {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t g_digest = kFnvOffset;
uint32_t g_calls = 0;

void HashBytes(const void* data, size_t n) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) {
    g_digest ^= p[i];
    g_digest *= kFnvPrime;
  }
}

// Fixed-width little-endian, so host and target hash the same bytes.
void HashU32(uint32_t v) {
  const uint8_t b[4] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8),
                        static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 24)};
  HashBytes(b, sizeof(b));
}

void Observe(KernelRunner& runner, bool invoked, EmberStatus status) {
  ++g_calls;
  HashU32(invoked ? 1u : 0u);
  HashU32(static_cast<uint32_t>(status));
  if (!invoked) return;
  const EmberNode& node = runner.node();
  HashU32(static_cast<uint32_t>(node.num_outputs));
  for (int32_t i = 0; i < node.num_outputs; ++i) {
    const int32_t index = node.outputs[i];
    HashU32(static_cast<uint32_t>(index));
    if (index < 0) continue;
    const EmberTensor* t = runner.tensor(index);
    HashU32(static_cast<uint32_t>(t->type));
    HashU32(static_cast<uint32_t>(t->num_dims));
    for (int32_t d = 0; d < t->num_dims; ++d) HashU32(static_cast<uint32_t>(t->dims[d]));
    HashU32(t->bytes);
    if (t->type != kEmberFloat32) {
      HashBytes(t->data, t->bytes);
      continue;
    }
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const uint32_t count = t->bytes / 4;
    std::printf("EMBER_F32 %s.%s call=%lu out=%ld n=%lu",
                test != nullptr ? test->test_suite_name() : "(none)",
                test != nullptr ? test->name() : "", static_cast<unsigned long>(g_calls),
                static_cast<long>(i), static_cast<unsigned long>(count));
    const uint8_t* p = static_cast<const uint8_t*>(t->data);
    for (uint32_t k = 0; k < count; ++k) {
      uint32_t bits;
      std::memcpy(&bits, p + 4 * k, 4);
      std::printf(" %08lx", static_cast<unsigned long>(bits));
    }
    std::printf("\n");
  }
}

class DigestPrinter : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo& /*info*/) override {
    g_digest = kFnvOffset;
    g_calls = 0;
  }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const ::testing::TestResult* r = info.result();
    const char* outcome = r->Skipped() ? "SKIPPED" : (r->Failed() ? "FAILED" : "OK");
    // Two 32-bit halves: newlib-nano's printf has no 64-bit conversions.
    std::printf("EMBER_DIGEST %s.%s %s calls=%lu fnv=%08lx%08lx\n", info.test_suite_name(),
                info.name(), outcome, static_cast<unsigned long>(g_calls),
                static_cast<unsigned long>(g_digest >> 32),
                static_cast<unsigned long>(g_digest & 0xffffffffu));
    std::fflush(stdout);
  }
};

int RunAll(int* argc, char** argv) {
#ifdef EMBER_KE_GTEST_FILTER
  // Tests that need more RAM than the boards have (suites.cmake, EMBER_KE_TOO_BIG); the
  // host twin leaves them out too, so both lists must match exactly.
  GTEST_FLAG_SET(filter, EMBER_KE_GTEST_FILTER);
#endif
  ::testing::InitGoogleTest(argc, argv);
  // Owned by gtest's listener list from here on.
  ::testing::UnitTest::GetInstance()->listeners().Append(new DigestPrinter);
  SetInvokeObserver(&Observe);
  return RUN_ALL_TESTS();
}

}  // namespace
}  // namespace ember::kernels::testing

#if defined(__arm__) && !defined(__linux__)
int main() {
  char arg0[] = "kernels_emulated";
  char* argv[] = {arg0, nullptr};
  int argc = 1;
  return ember::kernels::testing::RunAll(&argc, argv);
}
#else
int main(int argc, char** argv) { return ember::kernels::testing::RunAll(&argc, argv); }
#endif
