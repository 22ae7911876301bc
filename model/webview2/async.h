// Async<T>: a WebView2 asynchronous operation as the app holds it (the .NET Task, or the Win32
// completion handler's arguments; docs/webview2-rules.md W2, W5, W6).
//
//   Async<std::string> op = co_await webview.ExecuteScriptAsync("document.title");
//   std::string title = co_await op;        // await: the pump goes on (W2)
//   std::string same = co_await rt.Result(op);  // Task.Result: blocks the thread (W5)
//
// `co_await op` inside a WebView2 handler takes the handler off the stack; the runtime counts that
// as the handler having returned (W8), so the awaiter tells the runtime before it suspends.
#ifndef WVSIM_MODEL_WEBVIEW2_ASYNC_H_
#define WVSIM_MODEL_WEBVIEW2_ASYNC_H_

#include <coroutine>
#include <string>

#include "absl/functional/any_invocable.h"
#include "sim/assert.h"
#include "sim/future.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::webview2 {

// The scenario parameter that says where a C# `await` of a WebView2 call's Task goes on when the
// call completes (docs/webview2-rules.md W4, docs/framework-rules.md F2): 0, the default, posted to
// the captured SynchronizationContext after the completion's delivery returned (as `co_await op`
// does); 1, inline inside that delivery, behind the WebView2 handler boundary, as a C++ completion
// handler runs (OnCompleted), so a nested loop there is reentrancy. An assumption: the WebView2
// .NET wrapper does not document whether its tasks run continuations asynchronously. Read by the
// framework layer's Clr::AwaitWebView2; the runtime itself always delivers the same way.
inline constexpr char kNetContinuationInlineParam[] = "net_await_continuation_inline";

namespace internal {
class Core;
// The calling thread's innermost WebView2 handler leaves the stack at an await (boundary.cc).
void NoteAwait(Core& core, sim::Thread thread);
// Async<T>::OnCompleted's machinery (calls.cc).
void SetCompletionHandler(Core& core, sim::FutureCore& op,
                          absl::AnyInvocable<sim::Task<>()> handler);
}  // namespace internal

template <typename T>
class Async {
 public:
  Async() = default;
  Async(internal::Core* core, sim::Future<T> future) : core_(core), future_(future) {}
  sim::Future<T> future() const { return future_; }
  const std::string& name() const { return future_.name(); }

  // Win32: the completion handler passed with the call (Callback<ICoreWebView2...CompletedHandler>
  // in C++). It runs inside the completion's delivery on the caller's thread, behind the handler
  // boundary like an event handler, so a nested loop in it is reentrancy (W4); it receives the
  // operation, completed or failed: `co_await op` inside it gives the result or throws the
  // ComException. Register it right after the call returns, before the next scheduling point.
  // On a thread without a pump (W2) it runs on a COM thread of its own.
  void OnCompleted(absl::AnyInvocable<sim::Task<>(Async<T>)> handler) const {
    WVSIM_ASSERT_MSG(core_ != nullptr, "OnCompleted of an Async<T> no WebView2 call returned");
    internal::SetCompletionHandler(
        *core_, future_.state(),
        [handler = std::move(handler), op = *this]() mutable { return handler(op); });
  }

  struct [[nodiscard]] Awaiter {
    internal::Core* core;
    typename sim::Future<T>::Awaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const {
      WVSIM_ASSERT_MSG(core != nullptr, "co_await of an Async<T> no WebView2 call returned");
      internal::NoteAwait(*core, sim::ThreadOf(handle));
      inner.await_suspend(handle);
    }
    T await_resume() const { return inner.await_resume(); }
  };
  Awaiter operator co_await() const { return Awaiter{core_, future_.operator co_await()}; }

 private:
  internal::Core* core_ = nullptr;
  sim::Future<T> future_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_ASYNC_H_
