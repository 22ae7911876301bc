// The kernel's private record of one virtual thread: its stack of coroutine frames, the
// operation it is about to perform, what it waits for, and its message queue.
//
// Users never touch this; they hold a sim::Thread handle, and installed headers only declare
// VThread. Task's promise and the kernel's awaiters write the ThreadPoint base inline
// (sim/thread_point.h) because they run at every scheduling step.
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
#include "sim/thread_point.h"

namespace wvsim::sim::internal {

class MessageQueue;
using detail::ThreadState;

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

// One coroutine frame on a thread's stack. An owned frame is destroyed by the kernel when it
// finishes (a thread's body, a dispatched handler); the others belong to the Task their caller
// awaits.
struct Frame {
  std::coroutine_handle<> handle;
  bool owned = false;
};

}  // namespace wvsim::sim::internal

namespace wvsim::sim {

struct VThread final : Object, Waitable, detail::ThreadPoint {
  using ThreadState = detail::ThreadState;
  using Frame = internal::Frame;

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

  // Removes the innermost frame after it finished; the frame below resumes next.
  void PopFrame() {
    WVSIM_ASSERT_MSG(!frames.empty(), "a frame finished on a thread with an empty stack");
    const Frame finished = frames.back();
    frames.pop_back();
    WVSIM_ASSERT(dispatch_bases.empty() || dispatch_bases.back() <= frames.size());
    if (!dispatch_bases.empty() && dispatch_bases.back() == frames.size()) {
      dispatch_bases.pop_back();
      internal::ReportHandlerEnd(*this);
    }
    if (finished.owned) finished.handle.destroy();
    if (frames.empty()) state = ThreadState::kFinished;
  }

  // The bridges between the public handles and this record.
  static VThread* Of(Thread thread) { return thread.thread_; }
  static VThread& Of(detail::ThreadPoint& point) { return static_cast<VThread&>(point); }
  Thread handle() const { return Thread(const_cast<VThread*>(this)); }

  Kernel* const kernel;
  const uint32_t id;
  const uint64_t bit;  // this thread's bit in the RunQueue
  std::vector<internal::Frame> frames;
  // Indexes into `frames` of the handlers the thread's message loops dispatched, innermost last:
  // an await inside a handler detaches the frames from the innermost base up (docs/design.md,
  // Waits).
  std::vector<uint32_t> dispatch_bases;
  std::unique_ptr<internal::MessageQueue> queue;  // null for a thread without a message queue
  int loop_depth = 0;                             // message loops running on this thread now
  uint64_t last_dispatch_hash = 0;   // the last dispatched label's hash, for fuzzer features
  uint64_t dispatch_order_hash = 0;  // Kernel::set_track_dispatch_orders
  uint32_t steps_taken = 0;          // its steps so far, counted only for fuzzer features
};

inline Thread VThread::Blocker() const { return handle(); }

}  // namespace wvsim::sim

namespace wvsim::sim::internal {

// Called when an exception escapes a frame the kernel owns (a thread body or a handler).
void ReportEscapedException(VThread& thread, std::exception_ptr error);

inline std::string DescribeOperation(const VThread& thread) {
  if (thread.op.object == nullptr) return thread.op.verb;
  return std::string(thread.op.verb) + "(" + thread.op.object->name() + ")";
}

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_INTERNAL_VTHREAD_H_
