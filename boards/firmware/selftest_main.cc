// Board bring-up self-test: checks what the startup code and the linker script promise,
// without the runtime. Prints one line per check through semihosting and exits 0 when all
// pass, 1 otherwise. Checks:
//   - .data was copied from flash (initialised globals hold their values)
//   - .bss was zeroed
//   - static constructors ran before main
//   - the FPU works (boards with one: a float multiply-add through the FPU registers)
//   - the cycle counter advances across a busy loop (DWT CYCCNT, SysTick on the M0+)
//   - an embedded binary (ember_embed_binary) is 16-byte aligned with the right checksum
//   - the arena symbols describe a non-empty, writable RAM block
//   - malloc works within the fixed heap and fails cleanly beyond it
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "boards/common/cycle_counter.h"
#include "g_ember_selftest_blob.h"

extern "C" {
extern uint8_t __ember_arena_start[];
extern uint8_t __ember_arena_end[];
extern const char g_ember_board_id[];
}

namespace {

volatile uint32_t g_data_word = 0x12345678u;
volatile uint8_t g_data_bytes[3] = {1, 2, 3};
volatile uint32_t g_bss_words[16];

struct ConstructedAtStartup {
  ConstructedAtStartup() : value(0xC0FFEEu) {}
  volatile uint32_t value;
};
ConstructedAtStartup g_constructed;

int g_failures = 0;

void Check(bool ok, const char* what) {
  printf("%s %s\n", ok ? "pass" : "FAIL", what);
  if (!ok) ++g_failures;
}

// FNV-1a, the same as bench/checksum.h, over the embedded blob.
uint32_t Fnv1a(const unsigned char* data, unsigned int bytes) {
  uint32_t h = 2166136261u;
  for (unsigned int i = 0; i < bytes; ++i) {
    h ^= data[i];
    h *= 16777619u;
  }
  return h;
}

}  // namespace

int main() {
  printf("ember selftest on %s\n", g_ember_board_id);
  Check(g_data_word == 0x12345678u && g_data_bytes[0] == 1 && g_data_bytes[2] == 3,
        ".data initialised from flash");
  bool zero = true;
  for (uint32_t w : g_bss_words) zero = zero && (w == 0);
  Check(zero, ".bss zeroed");
  Check(g_constructed.value == 0xC0FFEEu, "static constructors ran");

#if defined(__ARM_FP)
  volatile float a = 1.5f;
  volatile float b = 2.25f;
  volatile float c = 0.125f;
  Check(a * b + c == 3.5f, "FPU enabled (hard-float arithmetic)");
#else
  printf("skip FPU (none on this core)\n");
#endif

  ember::boards::CycleCounterEnable();
  const uint32_t t0 = ember::boards::CycleCounterRead();
  volatile uint32_t sink = 0;
  for (uint32_t i = 0; i < 1000; ++i) sink = sink + i;
  const uint32_t t1 = ember::boards::CycleCounterRead();
  printf("cycle counter (%s): %lu cycles for a 1000-iteration loop\n",
         ember::boards::kCycleCounterSource, static_cast<unsigned long>(t1 - t0));
  Check(t1 - t0 >= 1000u, "cycle counter advances (>= 1 cycle per loop iteration)");

#if defined(__ARM_ARCH_6M__)
  // The SysTick-based counter across several 2^24-cycle wraps: every step between two
  // reads must be small and positive (a read that mixes the wrap count of one side of a
  // wrap with the counter of the other jumps by about 2^24).
  uint32_t previous = ember::boards::CycleCounterRead();
  uint32_t elapsed = 0;
  bool steady = true;
  while (elapsed < (5u << 23)) {  // 2.5 wraps
    for (uint32_t i = 0; i < 2000; ++i) sink = sink + i;
    const uint32_t now = ember::boards::CycleCounterRead();
    const uint32_t step = now - previous;
    if (step == 0 || step > (1u << 20)) {
      printf("cycle counter step of %lu cycles after %lu\n", static_cast<unsigned long>(step),
             static_cast<unsigned long>(elapsed));
      steady = false;
      break;
    }
    elapsed += step;
    previous = now;
  }
  Check(steady, "SysTick cycle counter steady across 2.5 wraps of 2^24");
#endif

  const uintptr_t blob = reinterpret_cast<uintptr_t>(g_ember_selftest_blob);
  Check(blob % 16 == 0, "embedded binary 16-byte aligned");
  Check(g_ember_selftest_blob_size == EMBER_SELFTEST_BLOB_SIZE &&
            Fnv1a(g_ember_selftest_blob, g_ember_selftest_blob_size) == EMBER_SELFTEST_BLOB_FNV,
        "embedded binary size and checksum");

  const uintptr_t arena_start = reinterpret_cast<uintptr_t>(__ember_arena_start);
  const uintptr_t arena_end = reinterpret_cast<uintptr_t>(__ember_arena_end);
  const size_t arena_bytes = arena_end > arena_start ? arena_end - arena_start : 0;
  printf("arena: %lu bytes at 0x%08lx\n", static_cast<unsigned long>(arena_bytes),
         static_cast<unsigned long>(arena_start));
  bool arena_ok = arena_bytes > 0;
  if (arena_ok) {
    volatile uint8_t* first = reinterpret_cast<volatile uint8_t*>(arena_start);
    volatile uint8_t* last = reinterpret_cast<volatile uint8_t*>(arena_end - 1);
    *first = 0xA5;
    *last = 0x5A;
    arena_ok = *first == 0xA5 && *last == 0x5A;
  }
  Check(arena_ok, "arena is writable RAM");

  void* small = malloc(64);
  void* huge = malloc(1u << 30);
  Check(small != nullptr && huge == nullptr, "malloc within the heap; beyond it returns NULL");
  free(small);

  printf("%s: %d failure(s)\n", g_failures == 0 ? "selftest passed" : "selftest FAILED",
         g_failures);
  return g_failures == 0 ? 0 : 1;
}
