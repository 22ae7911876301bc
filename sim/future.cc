#include "sim/future.h"

#include "absl/strings/str_cat.h"
#include "sim/internal/kernel_access.h"
#include "sim/kernel.h"

namespace wvsim::sim {

namespace detail {

void SuspendInAwait(ThreadPoint& thread, FutureCore& core) {
  KernelAccess::ParkContinuation(VThread::Of(thread), core);
}

}  // namespace detail

std::string FutureCore::WhyNotReady() const {
  return ExplainWith(absl::StrCat(name(), " is not complete"), "Promise::SetProducer");
}

void FutureCore::Listen(CompletionListener& listener) {
  WVSIM_ASSERT_MSG(listener.next_ == nullptr, "a listener listens to one future");
  if (done_) {
    listener.OnComplete();
    return;
  }
  CompletionListener** tail = &listeners_;
  while (*tail != nullptr) tail = &(*tail)->next_;
  *tail = &listener;
}

void FutureCore::MarkDone() {
  done_ = true;
  if (kernel_ != nullptr) kernel_->NoteAccess(this, AccessKind::kWrite);
  for (Continuation* continuation : parked_) {
    KernelAccess::PostContinuation(*kernel_, *continuation);
  }
  parked_.clear();
  for (CompletionListener* listener = listeners_; listener != nullptr;) {
    CompletionListener* next = listener->next_;
    listener->OnComplete();
    listener = next;
  }
  listeners_ = nullptr;
}

}  // namespace wvsim::sim
