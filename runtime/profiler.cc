#include "runtime/profiler.h"

namespace ember::rt {

Profiler::Profiler(TickSource64 ticks, ProfileEvent* events, size_t capacity)
    : ticks64_(ticks), events_(events), capacity_(events == nullptr ? 0 : capacity) {}

Profiler::Profiler(TickSource32 ticks, ProfileEvent* events, size_t capacity)
    : ticks32_(ticks), events_(events), capacity_(events == nullptr ? 0 : capacity) {}

uint64_t Profiler::Now() {
  if (ticks64_ != nullptr) return ticks64_();
  if (ticks32_ == nullptr) return 0;
  uint32_t now = ticks32_();
  if (now < last32_) high_ += uint64_t{1} << 32;  // the counter wrapped
  last32_ = now;
  return high_ | now;
}

int32_t Profiler::BeginEvent(const char* tag, int32_t op_index) {
  if (count_ >= capacity_) {
    ++dropped_;
    return -1;
  }
  ProfileEvent& e = events_[count_];
  e.tag = tag;
  e.op_index = op_index;
  e.end = 0;
  e.begin = Now();
  return static_cast<int32_t>(count_++);
}

void Profiler::EndEvent(int32_t handle) {
  uint64_t now = Now();
  if (handle < 0 || static_cast<size_t>(handle) >= count_) return;
  events_[handle].end = now;
}

void Profiler::ClearEvents() {
  count_ = 0;
  dropped_ = 0;
}

uint64_t Profiler::TotalTicks() const {
  for (size_t i = 0; i < count_; ++i) {
    if (events_[i].op_index < 0) return events_[i].ticks();
  }
  return 0;
}

uint64_t Profiler::OpTicks() const {
  uint64_t sum = 0;
  for (size_t i = 0; i < count_; ++i) {
    if (events_[i].op_index >= 0) sum += events_[i].ticks();
  }
  return sum;
}

}  // namespace ember::rt
