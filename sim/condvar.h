// CondVar: a condition variable with Mesa semantics (Lampson and Redell, "Experience with
// processes and monitors in Mesa", 1980), as std::condition_variable and pthread_cond_t have it.
//
//   Mutex& m = kernel.Make<Mutex>(kernel, "m");
//   CondVar& ready = kernel.Make<CondVar>(kernel, "ready");
//   co_await m.Lock();
//   while (!condition) co_await ready.Wait(m);   // `while`, never `if`: see below
//   co_await m.Unlock();
//   ...
//   co_await m.Lock(); condition = true; co_await ready.NotifyOne(); co_await m.Unlock();
//
// Wait(m) is one scheduling point that, atomically, checks that the caller holds m, releases it
// and joins the waiters; then a blocking wait until a notify picks this waiter; then m.Lock().
// A notify only wakes: the woken thread competes for m like any other, and by the time it holds
// m again the condition may be false once more, which is why the condition is re-checked in a
// loop. A notify with no waiter is lost (nothing remembers it). NotifyOne wakes one waiter; which
// one is a recorded choice when several wait (the standards leave it open). A waiter nobody
// notifies is blocked: at quiescence the run is a `deadlock` naming the condition variable.
//
// Spurious wake-ups: with `spurious_wakeups` on, every Wait first makes a recorded choice
// (kValue, "spurious wake-up") whether it returns without a notify, as POSIX allows; off by
// default, so a Wait makes no choice but NotifyOne's. Waiting without holding the mutex ends the
// run `assertion`. Objects belong to one run (create them with Kernel::Make).
#ifndef WVSIM_SIM_CONDVAR_H_
#define WVSIM_SIM_CONDVAR_H_

#include <string>
#include <vector>

#include "sim/kernel.h"
#include "sim/sync.h"

namespace wvsim::sim {

class CondVar final : public Object {
 public:
  CondVar(Kernel& kernel, std::string name, bool spurious_wakeups = false)
      : Object(std::move(name)), kernel_(kernel), spurious_wakeups_(spurious_wakeups) {}

  // Releases `mutex` (which the caller must hold), waits for a notify, and takes `mutex` again.
  Task<> Wait(Mutex& mutex);

  auto NotifyOne() {
    return detail::MakePoint<kNotifyOneVerb, WaitKind::kNone>(
        this, [](CondVar& self) { self.WakeOne(); });
  }
  auto NotifyAll() {
    return detail::MakePoint<kNotifyAllVerb, WaitKind::kNone>(
        this, [](CondVar& self) { self.WakeAll(); });
  }
  // Threads in Wait that no notify has picked yet.
  size_t waiters() const { return waiters_.size(); }

  static constexpr char kWaitVerb[] = "wait";
  static constexpr char kNotifyOneVerb[] = "notify_one";
  static constexpr char kNotifyAllVerb[] = "notify_all";

 private:
  // One thread's wait: ready once a notify (or a spurious wake-up) picked it. Lives in the
  // waiting thread's Wait frame.
  class Waiter final : public Waitable {
   public:
    explicit Waiter(const CondVar& condvar) : condvar_(condvar) {}
    bool Ready() const override { return woken; }
    std::string WhyNotReady() const override;
    bool woken = false;

   private:
    const CondVar& condvar_;
  };

  void WakeOne();
  void WakeAll();

  Kernel& kernel_;
  bool spurious_wakeups_;
  std::vector<Waiter*> waiters_;  // in the order they began to wait
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_CONDVAR_H_
