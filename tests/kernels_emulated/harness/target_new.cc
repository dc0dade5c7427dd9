// operator new of the emulated kernel tests on the target (tests/kernels_emulated).
//
// Without exceptions, a failed allocation in libstdc++'s operator new ends in abort()
// (exit status 134) with no word on why. This one says which test ran out of heap and how
// big the heap is, then exits with status 3. The heap is the board's RAM left after static
// data and the stack (target_support.c); tests that need more than that are listed in
// suites.cmake (EMBER_KE_TOO_BIG) and filtered out on the target.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>

extern "C" char __ember_arena_start[];
extern "C" char __ember_arena_end[];

void* operator new(std::size_t bytes) {
  void* p = std::malloc(bytes == 0 ? 1 : bytes);
  if (p != nullptr) return p;
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::printf(
      "\nEMBER_OUT_OF_MEMORY %s.%s: %lu bytes requested, the heap of %lu bytes is used up\n",
      test != nullptr ? test->test_suite_name() : "(no test)", test != nullptr ? test->name() : "",
      static_cast<unsigned long>(bytes),
      static_cast<unsigned long>(__ember_arena_end - __ember_arena_start));
  std::fflush(stdout);
  std::_Exit(3);
}

void* operator new[](std::size_t bytes) { return operator new(bytes); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
