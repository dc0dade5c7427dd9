// Profiler: begin/end events with a pluggable tick source and fixed memory.
//
// The interpreter records one event around the whole Invoke() (op_index -1, tag
// "Invoke") and one around each op (tag = op name, op_index = position). With the
// events of one Invoke():
//   total ticks       = the Invoke event's duration
//   calculation ticks = sum of the op events' durations
//   overhead          = total - calculation (the interpreter's own work)
// Ticks come from a user function: on the host a steady clock in nanoseconds
// (runtime/host/steady_clock_ticks.h), on Cortex-M the DWT cycle counter. A 32-bit
// counter is extended to 64 bits (wrap-around between two reads is handled as long as
// reads are less than 2^32 ticks apart).
//
// Memory: the user gives the event array (or uses FixedProfiler<N>), nothing else.
// Each Invoke() starts from an empty list (ClearEvents); events beyond the capacity are
// counted in dropped_events() instead of being recorded.
#ifndef EMBER_RUNTIME_PROFILER_H_
#define EMBER_RUNTIME_PROFILER_H_

#include <stddef.h>
#include <stdint.h>

namespace ember::rt {

using TickSource64 = uint64_t (*)();
using TickSource32 = uint32_t (*)();

struct ProfileEvent {
  const char* tag;   // op name or "Invoke"; static strings, never copied
  int32_t op_index;  // -1 for the Invoke event
  uint64_t begin;
  uint64_t end;
  uint64_t ticks() const { return end - begin; }
};

class Profiler {
 public:
  Profiler(TickSource64 ticks, ProfileEvent* events, size_t capacity);
  Profiler(TickSource32 ticks, ProfileEvent* events, size_t capacity);
  Profiler(const Profiler&) = delete;
  Profiler& operator=(const Profiler&) = delete;

  // Returns a handle for EndEvent, or -1 when the event array is full.
  int32_t BeginEvent(const char* tag, int32_t op_index);
  void EndEvent(int32_t handle);
  void ClearEvents();

  uint64_t Now();
  size_t num_events() const { return count_; }
  const ProfileEvent& event(size_t i) const { return events_[i]; }
  size_t capacity() const { return capacity_; }
  size_t dropped_events() const { return dropped_; }

  // Over the recorded events: the Invoke event's ticks (0 if none) and the sum of the
  // per-op events' ticks.
  uint64_t TotalTicks() const;
  uint64_t OpTicks() const;

 private:
  TickSource64 ticks64_ = nullptr;
  TickSource32 ticks32_ = nullptr;
  uint32_t last32_ = 0;
  uint64_t high_ = 0;
  ProfileEvent* events_;
  size_t capacity_;
  size_t count_ = 0;
  size_t dropped_ = 0;
};

// A profiler with its own storage for N events (N >= number of ops + 1 for a full
// per-op profile).
template <size_t N>
class FixedProfiler : public Profiler {
 public:
  explicit FixedProfiler(TickSource64 ticks) : Profiler(ticks, storage_, N) {}
  explicit FixedProfiler(TickSource32 ticks) : Profiler(ticks, storage_, N) {}

 private:
  ProfileEvent storage_[N] = {};
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_PROFILER_H_
