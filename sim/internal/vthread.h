// The kernel's private record of one virtual thread: its stack of coroutine frames, the
// operation it is about to perform, what it waits for, and its message queue.
//
// Users never touch this; they hold a sim::Thread handle. Task's promise and the kernel's
// awaiters update it inline because they run at every scheduling step.
#ifndef WVSIM_SIM_INTERNAL_VTHREAD_H_
#define WVSIM_SIM_INTERNAL_VTHREAD_H_

#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "sim/assert.h"
#include "sim/object.h"

namespace wvsim::sim {
class Kernel;
}  // namespace wvsim::sim

namespace wvsim::sim::internal {

class MessageQueue;
struct VThread;

// A wait that never ends by itself (a sleep ends by its timer, an abort never).
struct NeverReady final : Waitable {
  bool Ready() const override { return false; }
  std::string WhyNotReady() const override { return "it waits for nothing that can happen"; }
};
inline const NeverReady kNeverReady;

// "lock(b)": what a thread is about to do, for labels, traces and reports.
inline std::string DescribeOperation(const VThread& thread);

// Called when a dispatched handler returns (for the trace).
void ReportHandlerEnd(VThread& thread);

// The threads at a scheduling point, one bit per thread id: those free to go, and those whose
// wait the kernel must ask about. The kernel files a thread when it spawns it and after each of
// its steps, by the point it stopped at. Kept as bits so that finding the enabled threads, at
// every step, costs a few instructions rather than a walk over every thread.
struct RunQueue {
  uint64_t ready = 0;
  uint64_t waiting = 0;
};

// One coroutine frame on a thread's stack. An owned frame is destroyed by the kernel when it
// finishes (a thread's body, a dispatched handler); the others belong to the Task their caller
// awaits.
struct Frame {
  std::coroutine_handle<> handle;
  bool owned = false;
};

enum class ThreadState : uint8_t {
  kReady,     // suspended at a scheduling point; enabled when its wait (if any) is over
  kRunning,   // chosen, running until its next scheduling point
  kFinished,  // its body returned
};

struct VThread final : Object, Waitable {
  VThread(Kernel* owner_kernel, uint32_t thread_id)
      : Object(""), kernel(owner_kernel), id(thread_id), bit(uint64_t{1} << thread_id) {}
  ~VThread() override;

  bool Enabled() const {
    return state == ThreadState::kReady && (wait == nullptr || timed_out || wait->Ready());
  }

  // Joining a thread waits for it to finish.
  bool Ready() const override { return state == ThreadState::kFinished; }
  std::string WhyNotReady() const override { return "thread " + name() + " has not finished"; }
  void Rename(std::string new_name) { set_name(std::move(new_name)); }
  Thread Blocker() const override;

  // Stops the running thread at a scheduling point; the kernel files it in the RunQueue when
  // its step ends.
  void Arrive(Op next_op, const Waitable* waiting_for, WaitKind kind) {
    WVSIM_ASSERT_MSG(state == ThreadState::kRunning, "only the running thread reaches a point");
    op = next_op;
    wait = waiting_for;
    state = ThreadState::kReady;
    wait_kind = kind;
    // A timeout ends only the wait it was started for: a fired Sleep must not leave the thread
    // enabled at its next point (a lock of a held mutex, an incomplete BlockOn).
    timed_out = false;
  }

  // Removes the innermost frame after it finished; the frame below resumes next.
  void PopFrame() {
    WVSIM_ASSERT_MSG(!frames.empty(), "a frame finished on a thread with an empty stack");
    const Frame finished = frames.back();
    frames.pop_back();
    WVSIM_ASSERT(dispatch_bases.empty() || dispatch_bases.back() <= frames.size());
    if (!dispatch_bases.empty() && dispatch_bases.back() == frames.size()) {
      dispatch_bases.pop_back();
      ReportHandlerEnd(*this);
    }
    if (finished.owned) finished.handle.destroy();
    if (frames.empty()) state = ThreadState::kFinished;
  }

  Kernel* const kernel;
  const uint32_t id;
  const uint64_t bit;  // this thread's bit in the RunQueue
  Op op{"start", nullptr};
  const Waitable* wait = nullptr;
  // Side by side, so that Arrive's stores to them merge.
  ThreadState state = ThreadState::kReady;
  WaitKind wait_kind = WaitKind::kNone;
  bool timed_out = false;  // a timeout on the current wait fired
  std::vector<Frame> frames;
  // Indexes into `frames` of the handlers the thread's message loops dispatched, innermost last:
  // an await inside a handler detaches the frames from the innermost base up (docs/design.md,
  // Waits).
  std::vector<uint32_t> dispatch_bases;
  std::unique_ptr<MessageQueue> queue;  // null for a thread without a message queue
  int loop_depth = 0;                   // message loops running on this thread now
  uint64_t last_dispatch_hash = 0;      // the last dispatched label's hash, for fuzzer features
  uint64_t dispatch_order_hash = 0;     // Kernel::set_track_dispatch_orders
  uint32_t steps_taken = 0;             // its steps so far, counted only for fuzzer features
};

// The one bridge between a public Thread handle and the kernel's record behind it.
struct ThreadAccess {
  static VThread* Record(Thread thread) { return thread.thread_; }
  static Thread Handle(const VThread* thread) { return Thread(const_cast<VThread*>(thread)); }
};

inline Thread VThread::Blocker() const { return ThreadAccess::Handle(this); }

// Called when an exception escapes a frame the kernel owns (a thread body or a handler).
void ReportEscapedException(VThread& thread, std::exception_ptr error);

inline std::string DescribeOperation(const VThread& thread) {
  if (thread.op.object == nullptr) return thread.op.verb;
  return std::string(thread.op.verb) + "(" + thread.op.object->name() + ")";
}

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_INTERNAL_VTHREAD_H_
