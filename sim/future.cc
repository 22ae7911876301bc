#include "sim/future.h"

#include "absl/strings/str_cat.h"
#include "sim/kernel.h"

namespace wvsim::sim::internal {

void SuspendInAwait(VThread& thread, FutureCore& core) {
  thread.kernel->ParkContinuation(thread, core);
}

std::string FutureCore::WhyNotReady() const {
  if (producer_how_.empty()) {
    return absl::StrCat(name(), " is not complete and nothing will complete it");
  }
  return absl::StrCat(name(), " is not complete: ", producer_how_);
}

void FutureCore::MarkDone() {
  done_ = true;
  for (Continuation* continuation : parked_) kernel_->PostContinuation(*continuation);
  parked_.clear();
}

}  // namespace wvsim::sim::internal
