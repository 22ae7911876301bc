// The app's calls in flight (docs/webview2-rules.md W2, W5, W6, W12, W15): every asynchronous
// WebView2 operation is a promise the runtime completes by a message on the caller's queue (a
// direct call for a thread without a pump), failed when its process dies (W15), aborted with its
// parent window (W6), and reported as a stall when it never completes.
//
// Determinism: calls are kept in the order they were made; ids come from Names.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_CALLS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_CALLS_H_

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "model/webview2/environment.h"
#include "model/webview2/hresult.h"
#include "model/webview2/internal/boundary.h"
#include "model/webview2/internal/names.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/send.h"
#include "sim/kernel.h"
#include "sim/model_port.h"

namespace wvsim::model::webview2::internal {

// Whether a call is work the app cannot do without (docs/design.md, abandoned calls): a creation
// or an added document script is reported when it never completes, awaited or not; any other call
// nobody awaits at the end of a run was abandoned by the app.
enum class Completion : uint8_t { kMayBeAbandoned, kMustFinish };

class Calls {
 public:
  Calls(sim::Kernel& kernel, Boundary& boundary, Names& names)
      : kernel_(kernel), port_(kernel), boundary_(boundary), names_(names) {}

  // A new call of `kind` from `caller` on `browser`, processed by `producer` (for reports).
  template <typename T>
  sim::Promise<T> NewOp(const char* kind, sim::Thread caller, BrowserProcess& browser,
                        sim::Thread producer, Completion completion = Completion::kMayBeAbandoned);
  // Delivers a completion to the caller: a message on its queue (W2, W6), or, for a thread
  // without a pump (an MTA thread, a worker), a direct call from a COM thread.
  template <typename T>
  void Complete(sim::Thread caller, sim::Promise<T> promise, typename sim::Promise<T>::Value value);
  template <typename T>
  void CompleteWithError(sim::Thread caller, sim::Promise<T> promise, HRESULT hr, const char* why);

  // W15: every call pending on the process (the browser, or the thread `producer`) fails (with
  // `why`) or never completes: a recorded choice per call.
  void FailPendingOn(sim::Thread producer, BrowserProcess* browser,
                     const char* why =
                         "W15: the browser process crashed while the call was "
                         "pending");
  // W15: `op` was sent to a frame's document that is destroyed now (the frame navigated or was
  // removed): it fails (with `why`) or never completes, a recorded `value` choice (FB#3124
  // observed "never"). Nothing happens to a call that is done already.
  void FailOnDestroyedDocument(sim::FutureCore& op, const char* why);
  // The browser handed `op` on to the process `producer` (a script to its renderer): a failure
  // of that process is now a failure of the call (W15), and reports name it.
  void HandOver(const sim::FutureCore& op, sim::Thread producer);
  // Whether an app's call on `browser` has not completed yet (W13: it keeps the browser up).
  bool HasPendingCalls(const BrowserProcess& browser) const;
  // W12: calls pending on a hung process say, in reports, that the hang holds them up.
  void NoteHeldUpBy(const BrowserProcess& browser, const std::string& why);
  void NoteHeldUpBy(const RendererProcess& renderer, const std::string& why);
  // Win32's completion handler of `op` (Async<T>::OnCompleted): run inside the delivery. When
  // `op` is done already (a thread without a pump, W2), a COM thread runs it now.
  void SetCompletionHandler(sim::FutureCore& op, absl::AnyInvocable<sim::Task<>()> handler);
  // W6: a controller creation's parent window; destroying it aborts the creation inline.
  void SetParent(const sim::FutureCore& op, const Window* parent);
  void AbortCreationsOn(const Window& window);
  // The end-of-run check: a call that must finish and never completed is a stall; one that may
  // be abandoned is, since no frame awaits it by then, abandoned (a note in traced runs).
  std::optional<sim::Violation> CheckPending() const;

 private:
  struct Pending {
    sim::FutureCore* future;
    const char* rule;
    BrowserProcess* browser;
    sim::Thread caller;
    // Completes it with a failure: through the caller's queue, or inline (W6's E_ABORT).
    void (*fail)(Calls&, const Pending&, HRESULT, const char* why, bool inline_call);
    Completion completion = Completion::kMayBeAbandoned;
    bool never = false;              // W15: it will never complete
    bool failing = false;            // W15: its failure is on its way to the caller
    const Window* parent = nullptr;  // a controller creation's parent window (W6)
    sim::Thread producer;
    // Win32's completion handler (OnCompleted), in the run's pooled memory; null: none.
    absl::AnyInvocable<sim::Task<>()>* handler = nullptr;
  };
  // W15: fails `pending` with `why` (`choice` 0) or marks it as never completing (1), saying
  // `never` in reports.
  void FailOrNever(Pending& pending, uint32_t choice, const char* why, const char* never);
  // W2: a completion for an STA thread arrives only through its message pump. One without a
  // queue never gets it: true, and `op` says why in reports. Other threads (MTA, no COM) get it
  // directly from a COM thread: false.
  bool WaitsForAPump(sim::Thread caller, sim::FutureCore& op);
  // The completion handler of `op`, taken (it runs once); null when it has none.
  absl::AnyInvocable<sim::Task<>()>* TakeCompletionHandler(const sim::FutureCore& op);
  // The completion's delivery: behind the handler boundary (W4: not while another WebView2
  // handler is on the stack), it completes the Task, which posts every awaiting continuation
  // (W2), then runs the app's completion handler, if any, inside the delivery.
  template <typename T>
  static sim::Task<> DeliverCompletion(Calls& calls, sim::Promise<T> promise,
                                       typename sim::Promise<T>::Value value);
  template <typename T>
  static sim::Task<> DeliverFailure(Calls& calls, sim::Promise<T> promise,
                                    std::exception_ptr error);
  sim::Task<> RunCompletionHandler(absl::AnyInvocable<sim::Task<>()>& handler, HandlerFrame& frame);
  template <typename T>
  static void FailPending(Calls& calls, const Pending& pending, HRESULT hr, const char* why,
                          bool inline_call);

  sim::Kernel& kernel_;
  sim::ModelPort port_;
  Boundary& boundary_;
  Names& names_;
  absl::InlinedVector<Pending, 8> pending_;  // in call order, for the stall check
  int handlers_ = 0;                         // completion handlers registered and not taken
};

// ---- Template definitions.

template <typename T>
sim::Task<> Calls::DeliverCompletion(Calls& calls, sim::Promise<T> promise,
                                     typename sim::Promise<T>::Value value) {
  sim::Kernel& kernel = calls.kernel_;
  HandlerFrame& frame = kernel.template Make<HandlerFrame>();
  if (kernel.traced()) frame.completion = promise.future().name() + " completion handler";
  frame.frame = co_await CurrentFrame{};
  co_await calls.boundary_.Enter(frame);
  promise.Set(std::move(value));
  absl::AnyInvocable<sim::Task<>()>* handler =
      calls.TakeCompletionHandler(promise.future().state());
  if (handler != nullptr) co_await calls.RunCompletionHandler(*handler, frame);
  calls.boundary_.Exit(frame);
}

template <typename T>
sim::Task<> Calls::DeliverFailure(Calls& calls, sim::Promise<T> promise, std::exception_ptr error) {
  absl::AnyInvocable<sim::Task<>()>* handler =
      calls.TakeCompletionHandler(promise.future().state());
  if (handler == nullptr) {
    promise.Fail(std::move(error));  // .NET: the await rethrows it; no handler of the app's runs
    co_return;
  }
  sim::Kernel& kernel = calls.kernel_;
  HandlerFrame& frame = kernel.template Make<HandlerFrame>();
  if (kernel.traced()) frame.completion = promise.future().name() + " completion handler";
  frame.frame = co_await CurrentFrame{};
  co_await calls.boundary_.Enter(frame);
  promise.Fail(std::move(error));
  co_await calls.RunCompletionHandler(*handler, frame);
  calls.boundary_.Exit(frame);
}

template <typename T>
sim::Promise<T> Calls::NewOp(const char* kind, sim::Thread caller, BrowserProcess& browser,
                             sim::Thread producer, Completion completion) {
  sim::Promise<T> promise =
      kernel_.MakePromise<T>(kernel_.traced() ? names_.Next(kind) : std::string());
  pending_.push_back({.future = &promise.future().state(),
                      .rule = "W2",
                      .browser = &browser,
                      .caller = caller,
                      .fail = &FailPending<T>,
                      .completion = completion,
                      .producer = producer});
  if (kernel_.traced()) {
    promise.SetProducer(producer, browser.hung ? BrowserHangHoldsUp(browser)
                                               : "it is being processed by " + producer.name() +
                                                     " for thread " + caller.name());
  }
  return promise;
}

template <typename T>
void Calls::Complete(sim::Thread caller, sim::Promise<T> promise,
                     typename sim::Promise<T>::Value value) {
  if (!port_.HasMessageQueue(caller)) {
    if (WaitsForAPump(caller, promise.future().state())) return;
    promise.Set(std::move(value));
    return;
  }
  Calls* self = this;
  const uint64_t id =
      Send(port_, caller,
           kernel_.traced() ? sim::MessageLabel(promise.future().name() + " completion")
                            : sim::MessageLabel("completion"),
           [self, promise, value = std::move(value)]() mutable {
             return DeliverCompletion<T>(*self, promise, std::move(value));
           });
  if (kernel_.traced()) {
    promise.SetProducer(caller, "its completion is message #" + std::to_string(id) +
                                    " queued on thread " + caller.name() +
                                    "'s pump, which must dispatch it (W2, W5: a blocking "
                                    "wait on that thread stops the pump that would deliver it)");
  }
}

template <typename T>
void Calls::CompleteWithError(sim::Thread caller, sim::Promise<T> promise, HRESULT hr,
                              const char* why) {
  // The completion handler receives the HRESULT; .NET's await rethrows it as a COMException.
  std::exception_ptr error = std::make_exception_ptr(
      ComException(hr, promise.future().name() + " completion (" + why + ")"));
  if (!port_.HasMessageQueue(caller)) {
    if (WaitsForAPump(caller, promise.future().state())) return;
    promise.Fail(std::move(error));
    return;
  }
  Calls* self = this;
  Send(port_, caller, "completion",
       [self, promise, error] { return DeliverFailure<T>(*self, promise, error); });
}

template <typename T>
void Calls::FailPending(Calls& calls, const Pending& pending, HRESULT hr, const char* why,
                        bool inline_call) {
  auto* state = static_cast<sim::FutureState<T>*>(pending.future);
  if (inline_call) {
    state->Fail(
        std::make_exception_ptr(ComException(hr, state->name() + " completion (" + why + ")")));
    return;
  }
  calls.CompleteWithError(pending.caller, sim::Promise<T>(state), hr, why);
}

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_CALLS_H_
