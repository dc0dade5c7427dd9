// Host tick source for the profiler (runtime/profiler.h): std::chrono::steady_clock in
// nanoseconds since the first call.
#ifndef EMBER_RUNTIME_HOST_STEADY_CLOCK_TICKS_H_
#define EMBER_RUNTIME_HOST_STEADY_CLOCK_TICKS_H_

#include <cstdint>

namespace ember::rt::host {

uint64_t SteadyClockNanos();

}  // namespace ember::rt::host

#endif  // EMBER_RUNTIME_HOST_STEADY_CLOCK_TICKS_H_
