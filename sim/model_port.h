// ModelPort: the kernel's face for runtime models (model/webview2, model/android, and any model a
// user writes the same way).
//
// A model stands for code that runs across threads or processes without being a scheduling point
// itself: the app's call already was one. Besides everything scenario code can do with a Kernel,
// a model needs to hand work to a thread at once, to ask where a coroutine frame stands on a
// thread's stack (for reentrancy and serial-callback oracles), to keep large closures in the
// run's pooled memory, and to feed the fuzzer the states it reaches. That, and nothing of the
// kernel's machinery, is this port:
//
//   class Runtime {
//     explicit Runtime(sim::Kernel& kernel) : kernel_(kernel), port_(kernel) {}
//     ...
//     port_.Send(browser_thread, "ExecuteScript", [this] { return RunScript(); });
//   };
//
// A port is a thin handle: copy it freely within a run.
#ifndef WVSIM_SIM_MODEL_PORT_H_
#define WVSIM_SIM_MODEL_PORT_H_

#include <coroutine>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "sim/kernel.h"
#include "sim/message_label.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::sim {

class ModelPort {
 public:
  // Tells the kernel a model takes part in the run (partial-order reduction then treats every
  // step as dependent: a model's code touches runtime state between scheduling points).
  explicit ModelPort(Kernel& kernel) : kernel_(&kernel) { kernel.NoteModelAttached(); }

  Kernel& kernel() const { return *kernel_; }

  // ---- Queries (read-only views of a thread; no scheduling point). An invalid thread has no
  // queue and no frames.

  // Whether `thread` owns a message queue (it can be posted to, and can pump).
  bool HasMessageQueue(Thread thread) const;
  // Whether the coroutine `frame` is on `thread`'s stack: a handler that has neither returned nor
  // left the stack at an await.
  bool IsOnStack(Thread thread, std::coroutine_handle<> frame) const;
  // Whether `frame` belongs to the handler the thread's innermost message loop is dispatching
  // (it is at or above that handler's base): an await there detaches it from the stack.
  bool IsInInnermostDispatch(Thread thread, std::coroutine_handle<> frame) const;

  // ---- Work handed to a thread.

  // Queues `handler` on `target` now, like Kernel::Post but not a scheduling point (the caller's
  // own operation was one). Returns the message id, or 0 when it failed the run (an invalid or
  // queue-less target, a full queue).
  uint64_t Send(Thread target, MessageLabel label, absl::AnyInvocable<Task<>()> handler) const;

  // A message handler that costs no allocation whatever it captures. absl::AnyInvocable keeps a
  // closure of up to two pointers inline and puts a larger one on the heap; this puts it in the
  // run's pooled memory instead (Kernel::Make: it lives until the next Reset) and hands the
  // message a pointer to it. For a model's hot paths, which post such closures many times a run.
  // Signature: what the handler is called as (a message's, by default).
  template <typename Signature = Task<>(), typename F>
  absl::AnyInvocable<Signature> PooledHandler(F handler) const {
    if constexpr (sizeof(F) <= 2 * sizeof(void*) && std::is_nothrow_move_constructible_v<F>) {
      return handler;
    } else {
      F& kept = kernel_->Make<F>(std::move(handler));
      return [&kept](auto&&... args) { return kept(std::forward<decltype(args)>(args)...); };
    }
  }

  // ---- Message loops.

  // Watches every message loop the kernel runs on any thread (RunMessageLoop, PumpUntil): `begin`
  // is called on the loop's thread when the loop starts, with the loop's name ("message loop",
  // or the pumping wait's operation), before it takes a message; `end` when the loop ends,
  // however it ends, with what `begin` returned. For oracles about loops nested in handlers
  // (reentrancy). For the current run only; called in the order watchers were added.
  void WatchMessageLoops(absl::AnyInvocable<uint64_t(Thread, std::string_view)> begin,
                         absl::AnyInvocable<void(Thread, uint64_t)> end) const;

  // ---- Fuzzer feedback.

  // A model's own interleaving feature for a coverage-guided fuzzer (Kernel::SetFeatureCounters):
  // a state the interleaving reached that steps and dispatches do not show, such as how an
  // event's deferral stood when the event ended. `what` names the kind of thing (text, never a
  // pointer); `state` its state. A no-op while the fuzzer's counters are unset.
  void CountFeature(std::string_view what, uint64_t state) const {
    kernel_->CountModelFeature(what, state);
  }

 private:
  Kernel* kernel_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_MODEL_PORT_H_
