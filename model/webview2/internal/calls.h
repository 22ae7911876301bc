// The app's calls in flight (docs/webview2-rules.md W2, W5, W6, W12, W15): every asynchronous
// WebView2 operation is a promise the runtime completes by a message on the caller's queue (a
// direct call for a thread without a pump), failed when its process dies (W15), aborted with its
// parent window (W6), and reported as a stall when it never completes.
//
// Determinism: calls are kept in the order they were made; ids come from Names.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_CALLS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_CALLS_H_

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

class Calls {
 public:
  Calls(sim::Kernel& kernel, Boundary& boundary, Names& names)
      : kernel_(kernel), port_(kernel), boundary_(boundary), names_(names) {}

  // A new call of `kind` from `caller` on `browser`, processed by `producer` (for reports).
  template <typename T>
  sim::Promise<T> NewOp(const char* kind, sim::Thread caller, BrowserProcess& browser,
                        sim::Thread producer);
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
  // Whether an app's call on `browser` has not completed yet (W13: it keeps the browser up).
  bool HasPendingCalls(const BrowserProcess& browser) const;
  // W12: calls pending on a hung process say, in reports, that the hang holds them up.
  void NoteHeldUpBy(const BrowserProcess& browser, const std::string& why);
  void NoteHeldUpBy(const RendererProcess& renderer, const std::string& why);
  // W6: a controller creation's parent window; destroying it aborts the creation inline.
  void SetParent(const sim::FutureCore& op, const Window* parent);
  void AbortCreationsOn(const Window& window);
  // The end-of-run check: a call that never completed is a stall.
  std::optional<sim::Violation> CheckPending() const;

 private:
  struct Pending {
    sim::FutureCore* future;
    const char* rule;
    BrowserProcess* browser;
    sim::Thread caller;
    // Completes it with a failure: through the caller's queue, or inline (W6's E_ABORT).
    void (*fail)(Calls&, const Pending&, HRESULT, const char* why, bool inline_call);
    bool never = false;              // W15: it will never complete
    const Window* parent = nullptr;  // a controller creation's parent window (W6)
    sim::Thread producer;
  };
  template <typename T>
  static void FailPending(Calls& calls, const Pending& pending, HRESULT hr, const char* why,
                          bool inline_call);

  sim::Kernel& kernel_;
  sim::ModelPort port_;
  Boundary& boundary_;
  Names& names_;
  absl::InlinedVector<Pending, 8> pending_;  // in call order, for the stall check
};

// ---- Template definitions.

// The completion handler: runs behind the handler boundary (W4: not while another WebView2
// handler is on the stack), then completes the Task, which posts every awaiting continuation (W2).
template <typename T>
sim::Task<> DeliverCompletion(sim::Kernel& kernel, Boundary& boundary, sim::Promise<T> promise,
                              typename sim::Promise<T>::Value value) {
  HandlerFrame& frame = kernel.template Make<HandlerFrame>();
  if (kernel.traced()) frame.completion = promise.future().name() + " completion handler";
  frame.frame = co_await CurrentFrame{};
  co_await boundary.Enter(frame);
  promise.Set(std::move(value));
  boundary.Exit(frame);
}

template <typename T>
sim::Task<> DeliverFailure(sim::Promise<T> promise, std::exception_ptr error) {
  promise.Fail(std::move(error));
  co_return;
}

template <typename T>
sim::Promise<T> Calls::NewOp(const char* kind, sim::Thread caller, BrowserProcess& browser,
                             sim::Thread producer) {
  sim::Promise<T> promise =
      kernel_.MakePromise<T>(kernel_.traced() ? names_.Next(kind) : std::string());
  pending_.push_back({&promise.future().state(), "W2", &browser, caller, &FailPending<T>, false,
                      nullptr, producer});
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
    promise.Set(std::move(value));
    return;
  }
  sim::Kernel* kernel = &kernel_;
  Boundary* boundary = &boundary_;
  const uint64_t id =
      Send(port_, caller,
           kernel_.traced() ? sim::MessageLabel(promise.future().name() + " completion")
                            : sim::MessageLabel("completion"),
           [kernel, boundary, promise, value = std::move(value)]() mutable {
             return DeliverCompletion<T>(*kernel, *boundary, promise, std::move(value));
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
    promise.Fail(std::move(error));
    return;
  }
  Send(port_, caller, "completion", [promise, error] { return DeliverFailure<T>(promise, error); });
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
