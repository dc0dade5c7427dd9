/* Hard-float firmware: startup.c enables the FPU in CPACR, then float math runs.
 * Expected output "fpu: 2.50 * 4.00 = 10.00\n", exit 0. */
#include <stdio.h>

volatile float g_a = 2.5f, g_b = 4.0f;

int main(void) {
  float c = g_a * g_b;
  printf("fpu: %d.%02d * %d.%02d = %d.%02d\n", (int)g_a, (int)(g_a * 100) % 100, (int)g_b,
         (int)(g_b * 100) % 100, (int)c, (int)(c * 100) % 100);
  return c == 10.0f ? 0 : 1;
}
