// SynchronizationContext of a UI thread (docs/framework-rules.md F1): WindowsFormsSynchronization-
// Context (Control.BeginInvoke / Control.Invoke) and WPF's DispatcherSynchronizationContext
// (Dispatcher.InvokeAsync / Dispatcher.Invoke). Post queues a delegate on the UI thread's message
// queue; Send (Clr::Invoke) also makes the caller wait until the UI thread ran it.
#ifndef WVSIM_MODEL_FRAMEWORK_SYNCHRONIZATION_CONTEXT_H_
#define WVSIM_MODEL_FRAMEWORK_SYNCHRONIZATION_CONTEXT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "sim/kernel.h"
#include "sim/message_label.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework {

enum class UiFramework { kWinForms, kWpf };

class SynchronizationContext final : public sim::Object {
 public:
  SynchronizationContext(sim::Kernel& kernel, sim::Thread thread, UiFramework flavour)
      : sim::Object(flavour == UiFramework::kWinForms ? "WindowsFormsSynchronizationContext"
                                                      : "DispatcherSynchronizationContext"),
        kernel_(kernel),
        thread_(thread),
        flavour_(flavour) {}

  sim::Thread thread() const { return thread_; }
  UiFramework flavour() const { return flavour_; }
  // The API an app calls to post and to send, for reports: "Control.BeginInvoke".
  const char* PostApi() const {
    return flavour_ == UiFramework::kWinForms ? "Control.BeginInvoke" : "Dispatcher.InvokeAsync";
  }
  const char* SendApi() const {
    return flavour_ == UiFramework::kWinForms ? "Control.Invoke" : "Dispatcher.Invoke";
  }

  // SynchronizationContext.Post (BeginInvoke, InvokeAsync): a scheduling point; the delegate runs
  // when the UI thread dispatches it.
  sim::Kernel::PostAwaiter Post(sim::MessageLabel label, absl::AnyInvocable<sim::Task<>()> work) {
    return kernel_.Post(thread_, std::move(label), std::move(work));
  }
  // The same from inside a completion (not a scheduling point); returns the message id.
  uint64_t PostFromCompletion(sim::MessageLabel label, absl::AnyInvocable<sim::Task<>()> work);

 private:
  sim::Kernel& kernel_;
  sim::Thread thread_;
  UiFramework flavour_;
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_SYNCHRONIZATION_CONTEXT_H_
