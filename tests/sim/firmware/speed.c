/* Emulation-speed workload: int8 multiply-accumulate over a 64x64 "layer", like an ML
 * kernel, repeated N times (N = the semihosting command line, default 20). No timers, so
 * it executes the same instructions whatever the cycle model. Prints a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int8_t g_in[64 * 64];
static int8_t g_weights[64 * 64];
static int32_t g_out[64];

static int GetCommandLine(char* buffer, uint32_t size) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)buffer, size};
  register uint32_t r0 __asm("r0") = 0x15; /* SYS_GET_CMDLINE */
  register uint32_t* r1 __asm("r1") = block;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return (int)r0;
}

int main(void) {
  char cmd[32] = {0};
  int repeats = 20;
  if (GetCommandLine(cmd, sizeof(cmd)) == 0 && cmd[0] >= '0' && cmd[0] <= '9') repeats = atoi(cmd);
  uint32_t x = 12345;
  for (int i = 0; i < 64 * 64; ++i) {
    x = x * 1103515245u + 12345u;
    g_in[i] = (int8_t)(x >> 16);
    g_weights[i] = (int8_t)(x >> 24);
  }
  uint32_t checksum = 0;
  for (int r = 0; r < repeats; ++r) {
    for (int o = 0; o < 64; ++o) {
      int32_t acc = r;
      const int8_t* w = &g_weights[o * 64];
      for (int row = 0; row < 64; ++row) {
        const int8_t* in = &g_in[row * 64];
        for (int k = 0; k < 64; k += 4) {
          acc += in[k] * w[k] + in[k + 1] * w[k + 1] + in[k + 2] * w[k + 2] + in[k + 3] * w[k + 3];
        }
      }
      g_out[o] = acc;
      checksum = checksum * 31u + (uint32_t)acc;
    }
  }
  printf("speed: %d repeats, checksum %08lx\n", repeats, (unsigned long)checksum);
  return 0;
}
