#include "sim/condvar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace wvsim::sim {

std::string CondVar::Waiter::WhyNotReady() const {
  return absl::StrCat("condition variable ", condvar_.name(),
                      " was not notified after this wait began (a notify before it is lost)");
}

Task<> CondVar::Wait(Mutex& mutex) {
  const Op op{kWaitVerb, this};  // named: g++ 12 miscompiles a braced temporary in a co_await
  co_await kernel_.Yield(op);
  // The rest of this step is atomic with the point: release the mutex and join the waiters, so
  // that no notify can fall between the two.
  if (mutex.owner() != kernel_.Current()) {
    co_await kernel_.Abort(Verdict::kAssertion, absl::StrCat("wait ", name()),
                           absl::StrCat("thread ", kernel_.Current().name(), " waits on ", name(),
                                        " without holding mutex ", mutex.name()));
    co_return;
  }
  Waiter waiter(*this);
  mutex.ReleaseForWait();
  kernel_.NoteAccess(&mutex, AccessKind::kWrite);  // the point names the condition variable
  if (spurious_wakeups_ &&
      kernel_.Choose(ChoiceKind::kValue, 2, absl::StrCat("spurious wake-up ", name())) == 1) {
    waiter.woken = true;
  } else {
    waiters_.push_back(&waiter);
  }
  co_await kernel_.Wait(op, waiter, WaitKind::kBlocking);
  co_await mutex.Lock();
}

void CondVar::WakeOne() {
  if (waiters_.empty()) return;  // lost: nothing remembers a notify
  uint32_t picked = 0;
  if (waiters_.size() > 1) {
    picked = kernel_.Choose(ChoiceKind::kValue, static_cast<uint32_t>(waiters_.size()),
                            absl::StrCat("notify_one ", name()));
  }
  waiters_[picked]->woken = true;
  waiters_.erase(waiters_.begin() + picked);
}

void CondVar::WakeAll() {
  for (Waiter* waiter : waiters_) waiter->woken = true;
  waiters_.clear();
}

}  // namespace wvsim::sim
