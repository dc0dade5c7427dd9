// Exception self-test: a supervisor call with no SVC handler installed must reach the
// startup code's default handler, which reports the exception through semihosting and
// exits with status 128 + 11 = 139. Checks the vector table, exception entry into the
// default handler and its report, on every board. (Exits 0 — a failure for the test —
// if the SVC returns.)
#include <stdio.h>

int main() {
  printf("exception test: raising SVC 0\n");
  fflush(stdout);
  __asm volatile("svc 0" ::: "memory");
  printf("exception test: the SVC returned: the default handler did not run\n");
  return 0;
}
