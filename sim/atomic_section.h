// AtomicSection: a scope in which the calling virtual thread is not preempted. While it lives,
// every scheduling point the thread reaches (a Shared<T> access, a post, a yield) is still a
// step, traced and recorded, but a step with one option: no other thread runs and no timer
// fires until the section ends. It models code that is atomic in the real program (a critical
// section of a lock nobody else takes, a transaction, a region the real runtime runs without
// interruption) without making every access in it a place the search must branch.
//
//   {
//     AtomicSection atomic(kernel);
//     const int seen = co_await balance.Load();
//     co_await balance.Store(seen + amount);   // nobody can run between the load and the store
//   }
//
// A section cannot wait: a point that waits for anything (a lock, an event, a future, a join,
// a sleep, a message loop's next message), even one that is ready, ends the run `assertion`
// ("... waits in lock(m) inside an atomic section"), since waiting would either deadlock the
// whole program or let other threads in. Sections nest; they are per thread, and begin and end on
// the same thread (asserted). Construct it only from a running virtual thread (asserted).
#ifndef WVSIM_SIM_ATOMIC_SECTION_H_
#define WVSIM_SIM_ATOMIC_SECTION_H_

#include "sim/kernel.h"

namespace wvsim::sim {

class [[nodiscard]] AtomicSection {
 public:
  explicit AtomicSection(Kernel& kernel) : kernel_(kernel) { kernel_.EnterAtomicSection(); }
  ~AtomicSection() { kernel_.LeaveAtomicSection(); }
  AtomicSection(const AtomicSection&) = delete;
  AtomicSection& operator=(const AtomicSection&) = delete;

 private:
  Kernel& kernel_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_ATOMIC_SECTION_H_
