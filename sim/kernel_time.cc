// Virtual time: sleeps, timeouts and delayed posts. Time moves only when no thread is enabled,
// straight to the earliest due timer; timers due at the same instant fire in the order the
// strategy chooses (docs/design.md, Virtual time).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/internal/kernel_access.h"
#include "sim/internal/kernel_records.h"
#include "sim/kernel.h"

namespace wvsim::sim {

using internal::ThreadState;

uint64_t Kernel::AddTimer(uint64_t ticks, VThread* wake, VThread* post_to, Message message) {
  // Virtual time is one state every timer shares: a reduction orders timer steps conservatively.
  NoteAccess(nullptr, AccessKind::kGlobal);
  if (ticks >= UINT64_MAX - now_ticks_) return 0;  // at or past the end of time: never due
  if (records_->timers.size() >= limits_.timers_max) {
    Fail(Verdict::kStall, "timers_max", "timer limit reached (KernelLimits::timers_max)");
    return 0;
  }
  WVSIM_ASSERT_MSG((wake == nullptr) != (post_to == nullptr), "a timer wakes or posts, not both");
  const uint64_t id = next_timer_id_++;
  records_->timers.push_back(Timer{now_ticks_ + ticks, id, wake, post_to, std::move(message)});
  return id;
}

uint64_t Kernel::StartTimeout(VThread& thread, uint64_t ticks) {
  return AddTimer(ticks, &thread, nullptr, {});
}

void Kernel::CancelTimer(uint64_t timer_id) {
  NoteAccess(nullptr, AccessKind::kGlobal);
  auto it = std::find_if(records_->timers.begin(), records_->timers.end(),
                         [timer_id](const Timer& timer) { return timer.id == timer_id; });
  if (it != records_->timers.end()) records_->timers.erase(it);
}

void Kernel::BeginSleep(detail::ThreadPoint& point, uint64_t ticks) {
  point.Arrive({"sleep", nullptr}, &internal::kNeverReady, WaitKind::kSleep);
  StartTimeout(VThread::Of(point), ticks);
}

namespace detail {

uint64_t StartTimeout(ThreadPoint& thread, uint64_t ticks) {
  return KernelAccess::StartTimeout(VThread::Of(thread), ticks);
}

void CancelTimeout(ThreadPoint& thread, uint64_t timer_id) {
  KernelAccess::CancelTimer(VThread::Of(thread), timer_id);
}

}  // namespace detail

void Kernel::FireNextTimer() {
  uint64_t due = UINT64_MAX;
  for (const Timer& timer : records_->timers) due = std::min(due, timer.due_ticks);
  // Timers are kept in creation order, so the candidates are listed deterministically.
  std::vector<size_t> candidates;
  for (size_t i = 0; i < records_->timers.size(); ++i) {
    if (records_->timers[i].due_ticks == due) candidates.push_back(i);
  }
  WVSIM_ASSERT_MSG(!candidates.empty() && due >= now_ticks_, "time never runs backwards");
  NoteAccess(nullptr, AccessKind::kTimerFired);
  now_ticks_ = due;
  const uint32_t pick =
      candidates.size() == 1
          ? 0
          : Choose(ChoiceKind::kTimer, static_cast<uint32_t>(candidates.size()), "timer");
  WVSIM_ASSERT(pick < candidates.size());
  Timer timer = std::move(records_->timers[candidates[pick]]);
  records_->timers.erase(records_->timers.begin() + static_cast<std::ptrdiff_t>(candidates[pick]));
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
