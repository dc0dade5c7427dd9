/* Semihosting smoke test: printf through newlib rdimon, stderr, and exit(3).
 * Expected: stdout "hello from ember: 6 * 7 = 42\n", stderr "to stderr\n", exit code 3. */
#include <stdio.h>

volatile int g_six = 6;
int g_seven = 7; /* in .data: checks the .data copy from flash */

int main(void) {
  printf("hello from ember: %d * %d = %d\n", g_six, g_seven, g_six * g_seven);
  fprintf(stderr, "to stderr\n");
  return 3;
}
