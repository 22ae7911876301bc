// The records a Kernel keeps for a run that its step loop does not touch at every step: pending
// timers, and the reused slots of the messages it dispatched and the continuations it parked.
// Held behind a pointer so that sim/kernel.h declares none of these types.
#ifndef WVSIM_SIM_INTERNAL_KERNEL_RECORDS_H_
#define WVSIM_SIM_INTERNAL_KERNEL_RECORDS_H_

#include <cstdint>
#include <vector>

#include "sim/internal/messages.h"
#include "sim/internal/vthread.h"
#include "sim/kernel.h"

namespace wvsim::sim {

struct Kernel::Timer {
  uint64_t due_ticks;
  uint64_t id;    // creation order; breaks no ties by itself, the strategy orders due timers
  VThread* wake;  // for a timeout or sleep; null for a delayed post
  VThread* post_to;
  Message message;
};

struct Kernel::Records {
  std::vector<Timer> timers;
  // Keeps handler closures alive for the run.
  internal::RecycledSlots<Message> dispatched;
  internal::RecycledSlots<Continuation> continuations;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_INTERNAL_KERNEL_RECORDS_H_
