// The .NET runtime's threading as an app sees it (docs/framework-rules.md F1..F6): tasks, the
// thread pool, SynchronizationContext capture, Task.Wait/.Result on an STA thread, Control.Invoke
// and BeginInvoke, Application.DoEvents and Dispatcher.PushFrame, Task.Delay, WhenAny/WhenAll,
// CancellationTokenSource.
//
//   Clr& clr = Clr::Create(k, Win32::Create(k));
//   SynchronizationContext& ui_context = clr.InstallContext(ui, UiFramework::kWinForms);
//   // in an async method started on the UI thread:
//   NetTask<std::string> read = co_await clr.Run<std::string>("ReadFile", read_file);
//   NetTask<std::string> parsed = co_await clr.Await(read.ConfigureAwait(false), "LoadAsync",
//                                                     parse);  // `parse` runs on a pool thread
//   std::string text = co_await clr.Result(parsed);   // .Result on the UI thread (F4)
//
// Clr::Await is C#'s `await` inside an async method whose remainder is `rest`: it captures the
// calling thread's SynchronizationContext (none on a pool thread) unless ConfigureAwait(false),
// and when the awaited task completes it posts `rest` to that context, or queues it to the pool.
// An awaited task that is already complete runs `rest` at once, as C# does.
#ifndef WVSIM_MODEL_FRAMEWORK_CLR_H_
#define WVSIM_MODEL_FRAMEWORK_CLR_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "model/framework/internal/on_completion.h"
#include "model/framework/net_task.h"
#include "model/framework/planted_defects.h"
#include "model/framework/synchronization_context.h"
#include "model/framework/thread_pool.h"
#include "model/framework/win32.h"
#include "model/webview2/async.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/task.h"
#include "sim/thread.h"
#include "sim/when_any.h"

namespace wvsim::model::framework {

class CancellationTokenSource;

class Clr {
 public:
  // The run's CLR, made with Kernel::Make; its pool takes kPoolWorkersParam.
  static Clr& Create(sim::Kernel& kernel, Win32& win32);
  Clr(sim::Kernel& kernel, Win32& win32);
  sim::Kernel& kernel() const { return kernel_; }
  Win32& win32() const { return win32_; }
  ThreadPool& pool() const { return pool_; }

  // The SynchronizationContext a UI framework installs on `thread` (a thread with a queue).
  SynchronizationContext& InstallContext(sim::Thread thread, UiFramework flavour);
  // SynchronizationContext.Current of `thread`: null on a pool thread or any thread without one.
  SynchronizationContext* ContextOf(sim::Thread thread) const;

  // Task.Run: a scheduling point, then `work` is queued to the pool; its exception goes into the
  // task.
  template <typename T>
  sim::Task<NetTask<T>> Run(std::string name, absl::AnyInvocable<sim::Task<T>()> work);
  // Task.Delay: completes `ticks` of virtual time from now, on a timer thread.
  NetTask<void> Delay(uint64_t ticks) const { return NetTask<void>(sim::Delay(kernel_, ticks)); }
  // Task.WhenAny: the index of the first task to complete.
  template <typename... T>
  NetTask<size_t> WhenAny(const NetTask<T>&... tasks) const {
    return NetTask<size_t>(sim::WhenAny(kernel_, "Task.WhenAny", tasks.future()...));
  }
  // Task.WhenAll: completes once every task has (failed ones included).
  template <typename... T>
  NetTask<void> WhenAll(const NetTask<T>&... tasks) const;

  // `await task` in an async method named `name`, whose remainder is `rest` (see above). The
  // returned task is the async method's.
  template <typename T, typename R>
  sim::Task<NetTask<R>> Await(ConfiguredTask<T> awaited, std::string name,
                              absl::AnyInvocable<sim::Task<R>()> rest);

  // `await op` of a WebView2 call's Task (the .NET wrapper's, completed in the call's completion
  // delivery on the calling UI thread), in an async method whose remainder is `rest`. With the
  // scenario parameter webview2::kNetContinuationInlineParam = 1 and a captured context, `rest`
  // runs inline in that delivery, behind the WebView2 handler boundary (W4); otherwise it goes as
  // Await sends it (default: posted to the captured context). Call it right after the call
  // returned, before any scheduling point.
  template <typename T, typename R>
  sim::Task<NetTask<R>> AwaitWebView2(webview2::Async<T> op, bool continue_on_captured_context,
                                      std::string name, absl::AnyInvocable<sim::Task<R>()> rest);

  // new Thread(body).Start(): a thread of its own (an STA with a message queue when `sta`, as
  // SetApartmentState(STA) before Start); Join waits for it to end in a CLR wait (F4: on an STA
  // it runs COM calls and sent messages, not posted ones).
  struct ClrThread {
    sim::Thread thread;
    NetTask<void> ended;
  };
  ClrThread StartThread(std::string name, absl::AnyInvocable<sim::Task<>()> body, bool sta);
  sim::Task<> Join(ClrThread thread);

  // Task.Result / GetAwaiter().GetResult() and Task.Wait(): a CLR blocking wait. On an STA
  // thread it services COM calls and messages sent with SendMessage, not posted messages (F4).
  template <typename T>
  sim::Task<T> Result(NetTask<T> task);
  template <typename T>
  sim::Task<> Wait(NetTask<T> task);

  // Control.Invoke / Dispatcher.Invoke: runs `work` on the context's thread; the caller waits
  // (a CLR blocking wait) until it ran, and gets its exception. Inline on that thread itself.
  sim::Task<> Invoke(SynchronizationContext& context, std::string label,
                     absl::AnyInvocable<sim::Task<>()> work);
  // Control.BeginInvoke / Dispatcher.InvokeAsync: posted; the caller goes on.
  sim::Kernel::PostAwaiter BeginInvoke(SynchronizationContext& context, sim::MessageLabel label,
                                       absl::AnyInvocable<sim::Task<>()> work) {
    return context.Post(std::move(label), std::move(work));
  }
  // Application.DoEvents: a nested message loop on the calling thread that dispatches every
  // message queued before the call, then returns (seen by loop watchers: W4's oracle).
  sim::Task<> DoEvents();
  // Dispatcher.PushFrame with a frame that `done` ends (Continue = false once it completes): a
  // nested message loop on the calling thread until then, seen by loop watchers as DoEvents is.
  template <typename T>
  sim::Task<T> PushFrame(NetTask<T> done);

 private:
  template <typename T>
  static sim::Task<> RunInto(absl::AnyInvocable<sim::Task<T>()>& work, sim::Promise<T> result);
  // Where `rest` of an await goes once its task completes (not a scheduling point).
  void Continue(SynchronizationContext* context, std::string name,
                absl::AnyInvocable<sim::Task<>()> rest, sim::FutureCore& result);

  sim::Kernel& kernel_;
  Win32& win32_;
  ThreadPool& pool_;
  std::map<uint32_t, SynchronizationContext*> contexts_;  // by thread id
};

// CancellationTokenSource and its token (F6): Cancel, CancelAfter on virtual time, and the
// token as a task that completes when cancelled (to race a task against, as WaitAsync does).
class CancellationTokenSource {
 public:
  CancellationTokenSource(sim::Kernel& kernel, std::string name)
      : kernel_(kernel), cancelled_(kernel.MakePromise<void>(std::move(name))) {}
  bool IsCancellationRequested() const { return cancelled_.done(); }
  void Cancel() const {
    if (!cancelled_.done()) cancelled_.Set();
  }
  // Cancels `ticks` of virtual time from now (on a timer thread).
  void CancelAfter(uint64_t ticks);
  NetTask<void> TokenAsTask() const { return NetTask<void>(cancelled_.future()); }
  // ThrowIfCancellationRequested.
  void ThrowIfCancellationRequested() const;

 private:
  sim::Kernel& kernel_;
  sim::Promise<void> cancelled_;
};

// ---- Template definitions.

template <typename T>
sim::Task<> Clr::RunInto(absl::AnyInvocable<sim::Task<T>()>& work, sim::Promise<T> result) {
  std::exception_ptr error;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await work();
      result.Set();
    } else {
      T value = co_await work();
      result.Set(std::move(value));
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (error) result.Fail(error);
}

template <typename T>
sim::Task<NetTask<T>> Clr::Run(std::string name, absl::AnyInvocable<sim::Task<T>()> work) {
  const sim::Promise<T> result = kernel_.MakePromise<T>(name);
  co_await kernel_.Yield({"Task.Run", &pool_});
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<T>()>>(std::move(work));
  pool_.Queue(
      std::move(name), [&kept, result] { return RunInto<T>(kept, result); },
      &result.future().state());
  co_return NetTask<T>(result.future());
}

template <typename... T>
NetTask<void> Clr::WhenAll(const NetTask<T>&... tasks) const {
  const sim::Promise<void> all = kernel_.MakePromise<void>("Task.WhenAll");
  size_t& left = kernel_.Make<size_t>(sizeof...(T));
  (internal::WhenDone(kernel_, tasks.future().state(),
                      [all, &left] {
                        if (--left == 0) all.Set();
                      }),
   ...);
  return NetTask<void>(all.future());
}

template <typename T, typename R>
sim::Task<NetTask<R>> Clr::Await(ConfiguredTask<T> awaited, std::string name,
                                 absl::AnyInvocable<sim::Task<R>()> rest) {
  const sim::Promise<R> result = kernel_.MakePromise<R>(name);
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<R>()>>(std::move(rest));
  if (awaited.task.IsCompleted()) {  // C# goes on synchronously
    co_await RunInto<R>(kept, result);
    co_return NetTask<R>(result.future());
  }
  const FrameworkPlantedDefects& defects = TestOnlyFrameworkPlantedDefects();
  const bool capture = defects.configure_await_ignored ||
                       (awaited.continue_on_captured_context && !defects.await_ignores_context);
  SynchronizationContext* context = capture ? ContextOf(kernel_.Current()) : nullptr;
  result.SetProducer(
      awaited.task.future().state().Blocker(),
      absl::StrCat("it goes on only after ", awaited.task.name(), ", which is not complete"));
  sim::FutureCore& result_core = result.future().state();
  std::string continuation = absl::StrCat(name, " after ", awaited.task.name());
  internal::WhenDone(kernel_, awaited.task.future().state(),
                     [this, context, continuation = std::move(continuation), &kept, result,
                      &result_core]() mutable {
                       Continue(
                           context, std::move(continuation),
                           [&kept, result] { return RunInto<R>(kept, result); }, result_core);
                     });
  co_return NetTask<R>(result.future());
}

template <typename T, typename R>
sim::Task<NetTask<R>> Clr::AwaitWebView2(webview2::Async<T> op, bool continue_on_captured_context,
                                         std::string name,
                                         absl::AnyInvocable<sim::Task<R>()> rest) {
  const bool in_delivery = continue_on_captured_context && !op.future().done() &&
                           ContextOf(kernel_.Current()) != nullptr &&
                           kernel_.Param(webview2::kNetContinuationInlineParam, 0) == 1;
  if (!in_delivery) {
    const ConfiguredTask<T> awaited =
        NetTask<T>(op.future()).ConfigureAwait(continue_on_captured_context);
    const NetTask<R> method = co_await Await(awaited, std::move(name), std::move(rest));
    co_return method;
  }
  const sim::Promise<R> result = kernel_.MakePromise<R>(name);
  result.SetProducer(op.future().state().Blocker(),
                     absl::StrCat("it goes on inline in the completion of ", op.name()));
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<R>()>>(std::move(rest));
  op.OnCompleted([&kept, result](webview2::Async<T>) { return RunInto<R>(kept, result); });
  co_return NetTask<R>(result.future());
}

template <typename T>
sim::Task<T> Clr::PushFrame(NetTask<T> done) {
  sim::FutureState<T>& state = done.future().state();
  co_await kernel_.PumpUntilReady(state, {"Dispatcher.PushFrame", &state});
  co_return state.Get();
}

template <typename T>
sim::Task<T> Clr::Result(NetTask<T> task) {
  sim::FutureState<T>& state = task.future().state();
  co_await win32_.WaitServicingSent("Task.Result", state);
  co_return state.Get();
}

template <typename T>
sim::Task<> Clr::Wait(NetTask<T> task) {
  sim::FutureState<T>& state = task.future().state();
  co_await win32_.WaitServicingSent("Task.Wait", state);
  state.Get();
}

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_CLR_H_
