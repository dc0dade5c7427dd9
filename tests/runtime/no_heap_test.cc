// Proof that the runtime (and the kernels) never use the heap: this executable replaces
// malloc/calloc/realloc/free and every operator new/delete with versions that count
// calls while armed. The interpreter's whole life (construction, AllocateTensors,
// Invoke, destruction) runs armed, and the count must stay 0. A control test shows the
// replacement does catch an allocation. (Skipped under AddressSanitizer, which owns
// the allocation functions.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "tests/runtime/test_util.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define EMBER_NO_HEAP_CHECK 0
#else
#define EMBER_NO_HEAP_CHECK 1
#endif

namespace {
std::atomic<bool> g_armed{false};
std::atomic<int> g_heap_calls{0};
[[maybe_unused]] void Note() {  // unused when AddressSanitizer owns malloc
  if (g_armed.load()) g_heap_calls.fetch_add(1);
}
}  // namespace

#if EMBER_NO_HEAP_CHECK
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
void* malloc(size_t n) {
  Note();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t m) {
  Note();
  return __libc_calloc(n, m);
}
void* realloc(void* p, size_t n) {
  Note();
  return __libc_realloc(p, n);
}
void free(void* p) {
  if (p != nullptr) Note();
  __libc_free(p);
}
}
void* operator new(size_t n) {
  Note();
  void* p = __libc_malloc(n == 0 ? 1 : n);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  Note();
  return __libc_malloc(n == 0 ? 1 : n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  Note();
  return __libc_malloc(n == 0 ? 1 : n);
}
void operator delete(void* p) noexcept {
  if (p != nullptr) Note();
  __libc_free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, size_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t) noexcept { operator delete(p); }
#endif

namespace ember::rt {
namespace {

class ArmedRegion {
 public:
  ArmedRegion() {
    g_heap_calls = 0;
    g_armed = true;
  }
  ~ArmedRegion() { g_armed = false; }
};

void DropLog(const char*) {}

TEST(NoHeap, ReplacementCatchesAllocations) {
  if (!EMBER_NO_HEAP_CHECK) GTEST_SKIP() << "AddressSanitizer build";
  int* p;
  {
    ArmedRegion armed;
    p = new int(3);
    delete p;
    void* q = std::malloc(16);
    std::free(q);
  }
  EXPECT_EQ(g_heap_calls.load(), 4);
}

// Runs `model` armed: interpreter construction to destruction. Returns the heap calls.
template <typename ResolverT>
int HeapCallsWhileRunning(const host::AlignedBuffer& model, const ResolverT& resolver,
                          bool checker) {
  alignas(16) static uint8_t arena[160 * 1024];
  LogHandler previous = SetLogHandler(&DropLog);
  int calls;
  {
    ArmedRegion armed;
    {
      Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
      EmberStatus allocated = interpreter.AllocateTensors();
      EXPECT_EQ(allocated, kEmberOk);
      if (allocated == kEmberOk) {
        for (int run = 0; run < 3; ++run) {
          if (checker) testing::PrepareCheckerRun(interpreter);
          if (!checker) {
            EmberTensor* in = interpreter.input(0);
            std::memset(in->data, 0, in->bytes);
          }
          EXPECT_EQ(interpreter.Invoke(), kEmberOk);
        }
        EXPECT_EQ(interpreter.ResetVariableTensors(), kEmberOk);
      }
    }
    calls = g_heap_calls.load();
  }
  SetLogHandler(previous);
  return calls;
}

TEST(NoHeap, RuntimeWithCheckerKernelsOnRealModels) {
  if (!EMBER_NO_HEAP_CHECK) GTEST_SKIP() << "AddressSanitizer build";
  testing::CheckerResolver resolver;
  int models = 0;
  for (const char* name :
       {"hello_world_float.tflite", "hello_world_int8.tflite", "keyword_scrambled.tflite",
        "person_detect.tflite", "micro_speech_quantized.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    ++models;
    // PrepareCheckerRun's bookkeeping vector is sized before arming.
    EXPECT_EQ(HeapCallsWhileRunning(model, resolver, /*checker=*/true), 0) << name;
  }
  if (models == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

#if defined(EMBER_HAVE_KERNELS)
TEST(NoHeap, RuntimeAndKernelsOnHelloWorld) {
  if (!EMBER_NO_HEAP_CHECK) GTEST_SKIP() << "AddressSanitizer build";
  kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  ASSERT_EQ(kernels::AddAllOps(resolver), kEmberOk);
  for (const char* name : {"hello_world_float.tflite", "hello_world_int8.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) GTEST_SKIP() << "real models not found";
    EXPECT_EQ(HeapCallsWhileRunning(model, resolver, /*checker=*/false), 0) << name;
  }
}
#endif

}  // namespace
}  // namespace ember::rt
