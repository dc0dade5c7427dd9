#include "runtime/host/steady_clock_ticks.h"

#include <chrono>

namespace ember::rt::host {

uint64_t SteadyClockNanos() {
  static const auto start = std::chrono::steady_clock::now();
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
}

}  // namespace ember::rt::host
