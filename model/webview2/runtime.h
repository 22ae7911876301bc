// The Microsoft Edge WebView2 runtime model (docs/webview2-rules.md, W1..W16, W3a), built on the
// wvsim kernel: the API an app author reads. A scenario reads like the app code it stands for:
//
//   Runtime& rt = Runtime::Create(k);
//   rt.CoInitializeEx(Apartment::kSta);                  // on the UI thread (W1)
//   EnvironmentOptions options;                          // named first: see README (g++ 12)
//   Async<Environment*> env_op =
//       co_await rt.CreateCoreWebView2EnvironmentAsync(std::move(options));
//   Environment* env = co_await env_op;                  // await: the pump goes on (W2)
//   Async<Controller*> ctl_op = co_await env->CreateCoreWebView2ControllerAsync();
//   CoreWebView2& wv = (co_await ctl_op)->CoreWebView2();
//   Async<std::string> script = co_await wv.ExecuteScriptAsync("document.title");
//   std::string title = co_await rt.Result(script);      // Task.Result: blocks (W5)
//
// The handles (environment.h, core_webview2.h, controller.h, frames.h, event_args.h) are thin;
// the runtime behind them is a set of subsystems under internal/ that an app never includes:
// browser and renderer processes (virtual threads with queues), navigation, pages and frames,
// deferrable events, faults and process exits, and the handler boundary that tracks which
// WebView2 handlers are on each thread's stack (W4). The world around the app (pages, faults, a
// test's view) is world.h.
//
// Every call into a WebView object is a scheduling point and checks the calling thread (W3).
// Requests go to the processes as messages, and completions and events come back as messages on
// the UI thread's queue (W2, W6), so the scheduler chooses every cross-process order.
//
// Thread-safety and determinism: everything belongs to one run of one Kernel (Runtime::Create makes
// it with Kernel::Make); ids (ExecuteScript#3) come from per-run counters; maps are ordered.
#ifndef WVSIM_MODEL_WEBVIEW2_RUNTIME_H_
#define WVSIM_MODEL_WEBVIEW2_RUNTIME_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "model/webview2/async.h"
#include "model/webview2/controller.h"
#include "model/webview2/core_webview2.h"
#include "model/webview2/environment.h"
#include "model/webview2/event_args.h"
#include "model/webview2/frames.h"
#include "model/webview2/host_object.h"
#include "model/webview2/hresult.h"
#include "model/webview2/page.h"
#include "model/webview2/planted_defects.h"
#include "model/webview2/world.h"
#include "sim/kernel.h"
#include "sim/sync.h"
#include "sim/when_any.h"

namespace wvsim::model::webview2 {

using sim::Future;
using sim::Kernel;
using sim::Promise;
using sim::Task;
using sim::Thread;

// The behaviour version of the WebView2 model: the model_version of every wv2.* scenario and of
// generated WebView2 programs. Bumped when a change makes a recorded schedule take other choices
// (docs/schedule-format.md). 2: every event args access is a scheduling point (W3b). 3: every
// event registration (add_*) is a scheduling point, then its thread check (W3); the scenario
// apps' user resizes the form while the app runs (scenario_app.cc). 4: a page's dialogs raise
// ScriptDialogOpening only with AreDefaultScriptDialogsEnabled false; the default dialogs wait for
// the user (W9.3). 5: a navigation to a document whose own title differs from the one before
// raises DocumentTitleChanged, before or after NavigationCompleted (a recorded choice, W2).
inline constexpr uint32_t kWebView2ModelVersion = 5;

// W4: the scenario parameter that turns the reentrancy oracle into the runtime's own behaviour:
// 0 (default) reports a nested loop in a WebView2 handler at once; N > 0 lets the loop run, as
// the runtime does, and breaks (int 3) when it is still running N ms later (timeout unconfirmed).
inline constexpr std::string_view kReentrancyBreakParam = "reentrancy_break_ms";

// W7, W9.3: the scenario parameter for what no document states: whether an app's ExecuteScript
// that reaches the page while a page script's dialog is open (ScriptDialogOpening's or the
// browser's default dialog) waits behind that script (0, the default: the page's JavaScript runs
// on one thread) or runs at once, during the dialog (1).
inline constexpr std::string_view kScriptDuringAlertParam = "execute_script_during_alert";

// W11: the run parameter that makes the GPU and utility processes virtual threads in every run,
// not only in runs whose scenario enables one of their faults. Off (0) by default: a fault-free
// auxiliary process is a reduction (internal/auxiliary_processes.cc says what it keeps and what
// it loses); tests turn it on (1) to check that every scenario keeps its verdicts with the
// threads. A scenario that declares it takes `--param auxiliary_threads=1`.
inline constexpr std::string_view kAuxiliaryThreadsParam = "auxiliary_threads";

// W17: the scenario parameter for what no document states: whether a host-object call from the
// page reaches the app while its UI thread is in a wait that services incoming COM calls (a .NET
// STA wait: Task.Result, Task.Wait). 1 (the default, an assumption): it does, as COM calls are
// dispatched by such waits (docs/framework-rules.md F4); it takes effect for an app that installed
// its framework's delivery (Runtime::DeliverHostCallsWith). 0: host-object calls arrive only
// through the UI thread's message loop, like the runtime's events.
inline constexpr std::string_view kHostCallsInStaWaitsParam = "host_calls_in_sta_waits";

// W17: the scenario parameter for what no document states: what a frame's script sees when it
// calls a host object of the frame (CoreWebView2Frame.AddHostObjectToScriptWithOrigins) while
// the frame's document has none of the object's origins. The reference says only that the object
// is not accessible then. 1 (the default, an assumption): as for an object never added, the
// synchronous call throws (its script ends) and the asynchronous one rejects; 0: the call returns
// undefined and the script goes on.
inline constexpr std::string_view kFrameHostCallRefusedThrowsParam =
    "frame_host_call_refused_throws";

class Runtime {
 public:
  // The run's Runtime, made with Kernel::Make; registers the end-of-run checks.
  static Runtime& Create(Kernel& kernel);
  explicit Runtime(Kernel& kernel);
  Kernel& kernel() const { return kernel_; }
  // Pages, faults and a test's view of the runtime's side (world.h).
  World& world() { return world_; }

  void CoInitializeEx(Apartment apartment);  // for the calling thread (W1)

  // W1, W2, W6, W11: the environment for a user data folder; starts its browser process.
  Task<Async<Environment*>> CreateCoreWebView2EnvironmentAsync(EnvironmentOptions options);

  // Task.Result / WaitForSingleObject on an async operation: blocks the thread and its pump (W5).
  template <typename T>
  Task<T> Result(Async<T> op);
  // A modal dialog (Form.ShowDialog, MessageBox): a nested message loop until CloseDialog. Reports
  // W4 when a WebView handler is on this thread's stack. `on_shown` runs inside the dialog.
  Task<> ShowDialog(std::string title, absl::AnyInvocable<Task<>()> on_shown);
  Kernel::PostAwaiter CloseDialog();
  // A pumping wait (CoWaitForMultipleHandles, MsgWaitForMultipleObjects, a synchronous
  // host-object call): a nested loop until `op` completes. Reports W4 inside a WebView handler.
  template <typename T>
  Task<T> CoWait(Async<T> op);
  // The app's own Task (a TaskCompletionSource, Task.Run) awaited on this runtime's threads: like
  // a WebView2 operation, awaiting it inside a handler takes the handler off the stack (W8).
  template <typename T>
  Async<T> AsAsync(sim::Future<T> future) const {
    return Async<T>(core_, future);
  }
  // Task.WhenAny: completes with the index of the first of `ops` to complete. The others go on
  // and are awaited by nobody: a call that loses the race and is never awaited again is
  // abandoned (docs/design.md), whatever becomes of it.
  template <typename... T>
  Async<size_t> WhenAny(const Async<T>&... ops) const {
    return AsAsync(sim::WhenAny(kernel_, "WhenAny", ops.future()...));
  }
  // Task.Delay: completes `ticks` of virtual time (milliseconds) from now, on a timer thread.
  Async<void> Delay(uint64_t ticks) const { return AsAsync(sim::Delay(kernel_, ticks)); }
  // SynchronizationContext.Post / PostMessage(WM_APP): runs after the current handler returns.
  Kernel::PostAwaiter Post(Thread target, sim::MessageLabel label,
                           absl::AnyInvocable<Task<>()> work);
  // W17: how host-object calls from the page reach the UI thread. Without it (or with
  // kHostCallsInStaWaitsParam = 0) each call is a posted message the UI thread's message loop
  // runs; an app's framework whose waits service COM calls installs its own (framework::Win32).
  void DeliverHostCallsWith(HostCallDelivery delivery);
  // A response stream created by the calling thread (W10).
  ResponseStream& CreateResponseStream(bool agile, int chunks, sim::Event* consumed);
  // CreateWindowEx on the calling thread.
  Window& CreateWindow();

  // A nested loop the app runs on the calling thread: reports W4 when a WebView2 handler is on
  // its stack (`loop` names it). With kReentrancyBreakParam set, returns the id of the int 3 break
  // it armed (0: none); pass it to EndNestedLoop when the loop ends.
  uint64_t BeginNestedLoop(const std::string& loop);
  void EndNestedLoop(uint64_t break_id);

 private:
  // Ends the W4 watch of a nested loop when the loop ends, however it ends.
  struct NestedLoopGuard {
    Runtime* runtime;
    uint64_t break_id;
    NestedLoopGuard(Runtime* owner, uint64_t id) : runtime(owner), break_id(id) {}
    NestedLoopGuard(const NestedLoopGuard&) = delete;
    NestedLoopGuard& operator=(const NestedLoopGuard&) = delete;
    ~NestedLoopGuard() { runtime->EndNestedLoop(break_id); }
  };

  Kernel& kernel_;
  internal::Core* core_;  // the runtime's subsystems, in the run's pooled memory
  World world_;
};

// ---- Template definitions.

template <typename T>
Task<T> Runtime::Result(Async<T> op) {
  sim::FutureState<T>& state = op.future().state();
  if (TestOnlyPlantedDefects().result_pumps) co_return co_await kernel_.PumpUntil(op.future());
  co_await kernel_.Wait({"Task.Result", &state}, state, sim::WaitKind::kBlocking);
  co_return state.Get();
}

template <typename T>
Task<T> Runtime::CoWait(Async<T> op) {
  const NestedLoopGuard guard{
      this, BeginNestedLoop(kernel_.traced() ? "CoWaitForMultipleHandles(" + op.name() + ")"
                                             : std::string("CoWaitForMultipleHandles"))};
  co_return co_await kernel_.PumpUntil(op.future());
}

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_RUNTIME_H_
