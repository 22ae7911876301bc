// Virtual time: sleeps, timeouts and delayed posts. Time moves only when no thread is enabled,
// straight to the earliest due timer; timers due at the same instant fire in the order the
// strategy chooses (docs/design.md, Virtual time).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/kernel.h"

namespace wvsim::sim {

using internal::ThreadState;
using internal::VThread;

uint64_t Kernel::AddTimer(uint64_t ticks, VThread* wake, VThread* post_to,
                          internal::Message message) {
  // Virtual time is one state every timer shares: a reduction orders timer steps conservatively.
  NoteAccess(nullptr, AccessKind::kGlobal);
  if (ticks >= UINT64_MAX - now_ticks_) return 0;  // at or past the end of time: never due
  if (timers_.size() >= limits_.timers_max) {
    Fail(Verdict::kStall, "timers_max", "timer limit reached (KernelLimits::timers_max)");
    return 0;
  }
  WVSIM_ASSERT_MSG((wake == nullptr) != (post_to == nullptr), "a timer wakes or posts, not both");
  const uint64_t id = next_timer_id_++;
  timers_.push_back(Timer{now_ticks_ + ticks, id, wake, post_to, std::move(message)});
  return id;
}

uint64_t Kernel::StartTimeout(VThread& thread, uint64_t ticks) {
  return AddTimer(ticks, &thread, nullptr, {});
}

void Kernel::CancelTimer(uint64_t timer_id) {
  NoteAccess(nullptr, AccessKind::kGlobal);
  auto it = std::find_if(timers_.begin(), timers_.end(),
                         [timer_id](const Timer& timer) { return timer.id == timer_id; });
  if (it != timers_.end()) timers_.erase(it);
}

void Kernel::BeginSleep(VThread& thread, uint64_t ticks) {
  thread.Arrive({"sleep", nullptr}, &internal::kNeverReady, WaitKind::kSleep);
  StartTimeout(thread, ticks);
}

void Kernel::FireNextTimer() {
  uint64_t due = UINT64_MAX;
  for (const Timer& timer : timers_) due = std::min(due, timer.due_ticks);
  // Timers are kept in creation order, so the candidates are listed deterministically.
  std::vector<size_t> candidates;
  for (size_t i = 0; i < timers_.size(); ++i) {
    if (timers_[i].due_ticks == due) candidates.push_back(i);
  }
  WVSIM_ASSERT_MSG(!candidates.empty() && due >= now_ticks_, "time never runs backwards");
  NoteAccess(nullptr, AccessKind::kTimerFired);
  now_ticks_ = due;
  const uint32_t pick =
      candidates.size() == 1
          ? 0
          : Choose(ChoiceKind::kTimer, static_cast<uint32_t>(candidates.size()), "timer");
  WVSIM_ASSERT(pick < candidates.size());
  Timer timer = std::move(timers_[candidates[pick]]);
  timers_.erase(timers_.begin() + static_cast<std::ptrdiff_t>(candidates[pick]));
  if (timer.wake != nullptr) {
    WVSIM_ASSERT_MSG(timer.wake->state == ThreadState::kReady && timer.wake->wait != nullptr,
                     "a timeout wakes a waiting thread (a finished wait cancels its timer)");
    timer.wake->timed_out = true;
    if (traced_) Trace(TraceKind::kTimer, absl::StrCat("timer wakes ", timer.wake->name()));
  } else {
    Enqueue(*timer.post_to, std::move(timer.message));
  }
}

}  // namespace wvsim::sim
