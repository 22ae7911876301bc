// detail::ThreadPoint: the part of a virtual thread's record that the kernel's awaiters write
// inline, at every scheduling point: what the thread is about to do and what it waits for.
//
// Not API. It is in an installed header only because Task's promise and the awaiters of
// sim/kernel.h, sim/sync.h and sim/future.h are templates that run at every step, where a call
// into the library would cost more than the store itself. The rest of the record (frames, queue,
// loop depth) is the opaque sim::VThread, defined inside sim/ only; a ThreadPoint is always the
// base of one.
#ifndef WVSIM_SIM_THREAD_POINT_H_
#define WVSIM_SIM_THREAD_POINT_H_

#include <coroutine>
#include <cstdint>

#include "sim/assert.h"
#include "sim/object.h"

namespace wvsim::sim::detail {

enum class ThreadState : uint8_t {
  kReady,     // suspended at a scheduling point; enabled when its wait (if any) is over
  kRunning,   // chosen, running until its next scheduling point
  kFinished,  // its body returned
};

struct ThreadPoint {
  // Stops the running thread at a scheduling point; the kernel files it in its run queue when
  // the step ends.
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

  Op op{"start", nullptr};
  const Waitable* wait = nullptr;
  // Side by side, so that Arrive's stores to them merge.
  ThreadState state = ThreadState::kReady;
  WaitKind wait_kind = WaitKind::kNone;
  bool timed_out = false;  // a timeout on the current wait fired
};

// Pushes `frame` (a Task being awaited) on the thread whose point this is; it runs next.
void PushFrame(ThreadPoint& thread, std::coroutine_handle<> frame);
// The public handle of the thread whose point this is.
Thread HandleOf(const ThreadPoint& thread);

}  // namespace wvsim::sim::detail

#endif  // WVSIM_SIM_THREAD_POINT_H_
