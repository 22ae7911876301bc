// The kernel's deep self-check: what must hold between two steps, checked as a whole. The step
// loop runs it every kSelfCheckPeriod steps in builds configured with WVSIM_SELF_CHECK=ON (CI's
// sanitizer build), and tests call it directly. Each check is a WVSIM_ASSERT: a broken invariant
// stops the process there, naming it, rather than surfacing later as a wrong verdict.
#include <set>

#include "sim/internal/kernel_access.h"
#include "sim/internal/kernel_records.h"
#include "sim/kernel.h"

namespace wvsim::sim {

using internal::MessageKind;
using internal::ThreadState;

namespace {

// A thread's stack: frames exist until it finishes, and its handlers' bases are in order.
void CheckStack(const VThread& thread) {
  WVSIM_ASSERT_MSG((thread.state == ThreadState::kFinished) == thread.frames.empty(),
                   "a thread has frames exactly until it finishes");
  uint32_t previous_base = 0;
  for (const uint32_t base : thread.dispatch_bases) {
    WVSIM_ASSERT_MSG(base >= previous_base && base <= thread.frames.size(),
                     "dispatch bases are ordered and inside the stack");
    previous_base = base;
  }
  WVSIM_ASSERT(thread.loop_depth >= 0);
  WVSIM_ASSERT_MSG(thread.dispatch_bases.empty() || thread.loop_depth > 0,
                   "only a thread running a message loop is inside a dispatched handler");
}

// Every message in a thread's queue is for that thread; a continuation is queued once.
void CheckQueue(const VThread& thread, std::set<const Continuation*>& queued) {
  if (thread.queue == nullptr) return;
  for (size_t i = 0; i < thread.queue->items.size(); ++i) {
    const Message& message = thread.queue->items[i];
    WVSIM_ASSERT_MSG(message.id != 0, "a queued message has its id");
    if (message.kind != MessageKind::kResume) continue;
    WVSIM_ASSERT_MSG(message.resume->owner == &thread && message.resume->posted,
                     "a queued continuation belongs to the queue's thread and is marked posted");
    WVSIM_ASSERT_MSG(queued.insert(message.resume).second, "a continuation is queued once");
  }
}

}  // namespace

void Kernel::CheckInvariants() const {
  WVSIM_ASSERT_MSG(current_ == nullptr, "checked between steps, when no thread runs");
  WVSIM_ASSERT_MSG((run_queue_.ready & run_queue_.waiting) == 0,
                   "a thread is either free to go or waiting, not both");
  const uint64_t spawned = thread_count_ == 64 ? ~uint64_t{0} : (uint64_t{1} << thread_count_) - 1;
  WVSIM_ASSERT_MSG(((run_queue_.ready | run_queue_.waiting) & ~spawned) == 0,
                   "only spawned threads are filed in the run queue");
  std::set<const Continuation*> queued;
  for (uint32_t i = 0; i < thread_count_; ++i) {
    const VThread& thread = *threads_[i];
    WVSIM_ASSERT(thread.id == i && thread.bit == uint64_t{1} << i);
    WVSIM_ASSERT_MSG(thread.state != ThreadState::kRunning, "no thread runs between steps");
    const bool ready = (run_queue_.ready & thread.bit) != 0;
    const bool waiting = (run_queue_.waiting & thread.bit) != 0;
    if (thread.state == ThreadState::kFinished) {
      WVSIM_ASSERT_MSG(!ready && !waiting, "a finished thread is filed nowhere");
    } else {
      WVSIM_ASSERT_MSG(ready == (thread.wait == nullptr) && waiting == (thread.wait != nullptr),
                       "a thread at a point is filed by whether that point waits");
    }
    if (thread.queue != nullptr) {
      WVSIM_ASSERT(thread.queue->items.size() <= limits_.queue_depth_max);
    }
    CheckStack(thread);
    CheckQueue(thread, queued);
  }
  for (const Continuation& continuation : records_->continuations) {
    if (continuation.owner == nullptr) continue;
    WVSIM_ASSERT_MSG(continuation.posted || !continuation.frames.empty(),
                     "a parked continuation holds its handler's frames until it is posted");
    WVSIM_ASSERT_MSG(
        !continuation.posted || continuation.frames.empty() || queued.count(&continuation) == 1,
        "a posted continuation that still holds frames is in its thread's queue");
  }
  for (const Timer& timer : records_->timers) {
    WVSIM_ASSERT_MSG(timer.due_ticks >= now_ticks_, "no timer is overdue between steps");
    WVSIM_ASSERT((timer.wake == nullptr) != (timer.post_to == nullptr));
  }
}

}  // namespace wvsim::sim
