// The per-run Android runtime: the app's threads and loopers, and the process-wide state of
// Chromium's WebView glue (docs/android-rules.md, A1..A11): whether the engine started and which
// looper is Chromium's one UI thread (A3, A4, A10), the pending-task FIFO (A6), blocking
// cross-thread calls with the 4-second timeout (A7), the JavaBridge thread (A11, A13), the
// background thread of shouldInterceptRequest (A14), the web pages scenarios serve (page.h, A12),
// the app's targetSdkVersion (scenario parameter `target_sdk`), and the serial_callbacks
// self-check.
//
//   void Setup(Kernel& k) {
//     AndroidRuntime& rt = AndroidRuntime::Create(k);
//     rt.StartMainThread(OnCreate(rt));             // main: OnCreate, then Looper.loop()
//   }
//   Task<> OnCreate(AndroidRuntime& rt) {
//     WebView* view = co_await WebView::Create(rt);  // webview.h
//     rt.StartThread("worker", Work(rt, *view));    // a thread without a looper
//   }
//
// One runtime per run (Kernel::Make); it is a thin facade over kernel threads, so the kernel's
// verdicts (deadlock, stall, exception) apply unchanged. Deterministic: ids come from per-run
// counters, lookups are by kernel thread id.
#ifndef WVSIM_MODEL_ANDROID_RUNTIME_H_
#define WVSIM_MODEL_ANDROID_RUNTIME_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "sim/kernel.h"

namespace wvsim::model::android {

// The scenario parameter holding the app's targetSdkVersion.
inline constexpr std::string_view kTargetSdkParam = "target_sdk";
// The scenario parameter holding the device's API level (Build.VERSION.SDK_INT), apart from the
// app's target: from Android 8.0 (API 26, kOreo) WebView's renderer runs in a process of its own
// and its death reaches the app through onRenderProcessGone (A16).
inline constexpr std::string_view kDeviceSdkParam = "device_sdk";
inline constexpr int64_t kOreo = 26;
// What a call on a WebView whose renderer is gone does (A16; undocumented, so a parameter):
// 0, the call goes on without a page (what needs the page does nothing); 1, it throws.
inline constexpr std::string_view kGoneViewCallsParam = "gone_view_calls";

class Renderer;
class CookieManager;

// The behaviour version of the Android model: the model_version of every android.* scenario and
// of generated Android programs. Bumped when a change makes a recorded schedule take other
// choices (docs/schedule-format.md). 2: the page's JavaScript thread, synchronous bridge calls,
// shouldInterceptRequest off the UI thread, JS dialogs (A12..A15).
inline constexpr uint32_t kAndroidModelVersion = 2;

class AndroidRuntime final : public sim::Object {
 public:
  // Makes the run's runtime; reads `target_sdk` (default kJellyBeanMr2).
  static AndroidRuntime& Create(sim::Kernel& kernel);
  explicit AndroidRuntime(sim::Kernel& kernel);

  sim::Kernel& kernel() const { return *kernel_; }
  int64_t target_sdk() const { return target_sdk_; }
  // A16: the device's API level (`device_sdk`, default kOreo) and whether the renderer runs in a
  // process of its own there.
  int64_t device_sdk() const { return device_sdk_; }
  bool renderer_out_of_process() const { return device_sdk_ >= kOreo; }
  // A2, A4: apps targeting JELLY_BEAN_MR2 or later get thread checks that throw.
  bool enforces_thread_checks() const { return target_sdk_ >= kJellyBeanMr2; }

  // ---- Threads. Each may be called during setup or from a running thread.

  // The main thread: runs `on_create`, then its looper forever (an idle looper ends a run clean).
  sim::Thread StartMainThread(sim::Task<> on_create);
  // A HandlerThread: runs `on_looper_prepared` on its own looper, then loops.
  sim::Thread StartLooperThread(std::string name, sim::Task<> on_looper_prepared);
  // A plain java.lang.Thread: no looper; ends when `run` returns.
  sim::Thread StartThread(std::string name, sim::Task<> run);

  Looper* MyLooper() const;                     // Looper.myLooper(): null on a thread without one
  Looper* LooperOf(sim::Thread thread) const {  // the looper of a thread, or null
    return thread.valid() ? loopers_[thread.id()] : nullptr;
  }
  Looper& MainLooper() const { return *main_looper_; }  // requires StartMainThread
  Looper* main_looper() const { return main_looper_; }  // null before StartMainThread
  std::string MainLooperName() const {
    return main_looper_ != nullptr ? main_looper_->name() : "null";
  }
  Handler& MainHandler() { return *main_handler_; }

  // ---- Chromium's one UI thread (A3, A4, A10).

  bool chromium_started() const { return started_; }
  Looper* ui_looper() const { return ui_looper_; }
  bool OnUiThread() const;  // ThreadUtils.runningOnUiThread()

  // WebViewChromiumAwInit.startYourEngines (A3): the first start binds the UI thread, to the main
  // looper for a "thread-safe" caller, to the caller's own looper otherwise (a caller without a
  // looper binds main). On the UI thread the start runs inline; elsewhere it is posted to the UI
  // looper and the caller waits with no timeout.
  sim::Task<> StartYourEngines(bool thread_safe);

  // WebViewChromiumRunQueue.addTask (A6): queued while the engine has not started; afterwards
  // drained inline on the UI thread or by a drain posted to it.
  sim::Task<> AddTask(std::string label, Runnable task);

  // SharedWebViewChromium.runBlockingFuture (A7): runs `call` on the UI thread through the
  // pending-task queue and blocks the caller at most kBlockingCallTimeoutTicks.
  template <typename T>
  sim::Task<T> RunOnUiThreadBlocking(std::string label, absl::AnyInvocable<sim::Task<T>()> call);

  // AwThreadUtils.postToUiThreadLooper of an exception (A4): the UI thread crashes with it too.
  sim::Task<> PostThrowToUiThread(JavaException error);

  // ---- The JavaBridge thread (A11, A13), started with the first JavascriptInterface.
  Looper& JavaBridgeLooper();

  // ---- The background thread that runs WebViewClient.shouldInterceptRequest (A14): a thread
  // pool thread in Chromium, without a Looper; started with its first request.
  sim::Thread BackgroundThread();

  // ---- Renderer faults (A16), within the scenario's fault budget: each renderer registers as
  // its JavaScript thread starts; the first one spawns `fault_budget` injector threads, each of
  // which may, at a step the scheduler picks, crash or kill a live renderer.
  void AddRenderer(Renderer& renderer);
  const std::vector<Renderer*>& renderers() const { return renderers_; }

  // ---- The web (A12): what the page at each URL does; a URL without one has no script.
  void AddPage(std::string url, Page page) { pages_[std::move(url)] = std::move(page); }
  const Page* FindPage(const std::string& url) const {
    const auto found = pages_.find(url);
    return found != pages_.end() ? &found->second : nullptr;
  }

  // ---- Logging and the serial_callbacks self-check.

  // Log.w: a note in the trace, counted.
  void Warn(std::string_view text);
  int warnings() const { return warnings_; }
  // Marks the start and end of an app callback that must run on `expected`'s thread and never
  // overlap another callback there; a violation is `serial_callbacks` (the model's own bug).
  void BeginCallback(const Looper& expected, const char* callback);
  void BeginCallback(sim::Thread expected, const char* callback);
  void EndCallback();

  uint64_t NextId() { return ++next_object_id_; }  // per-run ids: WebView#1, getUrl#2, ...

  // The process's one CookieManager (A9, A21), made by CookieManagerGetInstance.
  CookieManager*& cookie_manager() { return cookie_manager_; }

 private:
  friend class Handler;
  struct Callback {
    Runnable run;
    bool removed = false;
    sim::Thread looper_thread;  // where it was posted, and its message there (0: not yet known)
    uint64_t message_id = 0;
  };
  struct PendingTask {
    std::string label;
    Runnable run;
  };

  Looper& RegisterLooper(sim::Thread thread);
  Runnable Track(Runnable runnable, CallbackToken* token);
  void BeginCallbackOn(sim::Thread expected, std::string_view where, const char* callback);
  static sim::Task<> RunCallback(Callback* callback);
  void SetUiThread(Looper& looper);
  sim::Task<> StartChromiumLocked();
  sim::Task<> DrainQueue();

  sim::Kernel* kernel_;
  int64_t target_sdk_;
  int64_t device_sdk_;
  std::array<Looper*, sim::KernelLimits::kThreadsMaxCeiling> loopers_{};
  std::array<const char*, sim::KernelLimits::kThreadsMaxCeiling> active_callback_{};
  Looper* main_looper_ = nullptr;
  Handler* main_handler_ = nullptr;
  Looper* java_bridge_ = nullptr;
  sim::Thread background_;
  std::map<std::string, Page> pages_;  // looked up by URL, never iterated
  std::vector<Renderer*> renderers_;   // in the order they started
  std::deque<Callback> callbacks_;     // every posted Runnable of the run, token = index + 1

  bool started_ = false;
  bool start_posted_ = false;
  Looper* ui_looper_ = nullptr;
  sim::Promise<void> started_promise_;
  std::deque<PendingTask> pending_;  // A6
  bool draining_ = false;

  int warnings_ = 0;
  uint64_t next_object_id_ = 0;
  CookieManager* cookie_manager_ = nullptr;
};

// ---- Template definitions.

namespace internal {

// A FutureTask: runs the call and completes the promise with its value or its exception.
template <typename T>
struct FutureTask {
  absl::AnyInvocable<sim::Task<T>()> call;
  sim::Promise<T> result;
};

template <typename T>
sim::Task<> RunFutureTask(FutureTask<T>* task) {
  try {
    T value = co_await task->call();
    task->result.Set(std::move(value));
  } catch (...) {
    task->result.Fail(std::current_exception());
  }
}

}  // namespace internal

template <typename T>
sim::Task<T> AndroidRuntime::RunOnUiThreadBlocking(std::string label,
                                                   absl::AnyInvocable<sim::Task<T>()> call) {
  if (!started_) throw RuntimeException(kMustBeStartedText, "A7");
  if (OnUiThread()) throw IllegalStateException(kOffUiThreadText, "A7");
  const std::string name = absl::StrCat(label, "#", NextId());
  auto& task = kernel_->Make<internal::FutureTask<T>>(
      internal::FutureTask<T>{std::move(call), kernel_->MakePromise<T>(name)});
  task.result.SetProducer(ui_looper_->thread(),
                          absl::StrCat("the UI thread (", ui_looper_->name(),
                                       ") must run it from the pending-task queue [A6, A7]"));
  internal::FutureTask<T>* raw = &task;
  Runnable run = [raw] { return internal::RunFutureTask<T>(raw); };
  co_await AddTask(name, std::move(run));
  const bool done = co_await kernel_->BlockOnFor(task.result.future(), kBlockingCallTimeoutTicks);
  if (!done) throw RuntimeException(kProbableDeadlockText, "A7");
  co_return task.result.future().Get();
}

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_RUNTIME_H_
