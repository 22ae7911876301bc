// A completion listener that runs a closure when its future completes (inside the completion, on
// the completing thread): how the framework schedules continuations and combines tasks without
// waiting on them. Lives in the run's pooled memory (Kernel::Make).
#ifndef WVSIM_MODEL_FRAMEWORK_INTERNAL_ON_COMPLETION_H_
#define WVSIM_MODEL_FRAMEWORK_INTERNAL_ON_COMPLETION_H_

#include <utility>

#include "absl/functional/any_invocable.h"
#include "sim/future.h"
#include "sim/kernel.h"

namespace wvsim::model::framework::internal {

class OnCompletion final : public sim::CompletionListener {
 public:
  explicit OnCompletion(absl::AnyInvocable<void()> action) : action_(std::move(action)) {}
  void OnComplete() override { action_(); }

 private:
  absl::AnyInvocable<void()> action_;
};

// Runs `action` once `future` completes (at once when it has).
inline void WhenDone(sim::Kernel& kernel, sim::FutureCore& future,
                     absl::AnyInvocable<void()> action) {
  future.Listen(kernel.Make<OnCompletion>(std::move(action)));
}

}  // namespace wvsim::model::framework::internal

#endif  // WVSIM_MODEL_FRAMEWORK_INTERNAL_ON_COMPLETION_H_
