// KernelAccess: the kernel's private operations that its own awaiters and primitives use
// (futures, timed waits, dispatch and frame ends). Nothing outside sim/ calls these.
#ifndef WVSIM_SIM_INTERNAL_KERNEL_ACCESS_H_
#define WVSIM_SIM_INTERNAL_KERNEL_ACCESS_H_

#include <cstdint>
#include <exception>
#include <utility>

#include "sim/internal/messages.h"
#include "sim/internal/vthread.h"
#include "sim/kernel.h"

namespace wvsim::sim {

class KernelAccess {
 public:
  static void ParkContinuation(VThread& thread, FutureCore& core) {
    thread.kernel->ParkContinuation(thread, core);
  }
  static void Park(FutureCore& core, Continuation* continuation) { core.Park(continuation); }
  static void PostContinuation(Kernel& kernel, Continuation& continuation) {
    kernel.PostContinuation(continuation);
  }
  static void Dispatch(Kernel& kernel, VThread& thread, Message& message) {
    kernel.Dispatch(thread, message);
  }
  static uint64_t StartTimeout(VThread& thread, uint64_t ticks) {
    return thread.kernel->StartTimeout(thread, ticks);
  }
  static void CancelTimer(VThread& thread, uint64_t timer_id) {
    thread.kernel->CancelTimer(timer_id);
  }
  static void ReportException(VThread& thread, std::exception_ptr error) {
    thread.kernel->ReportException(thread, std::move(error));
  }
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_INTERNAL_KERNEL_ACCESS_H_
