#include "model/android/runtime.h"

#include "absl/strings/str_cat.h"
#include "model/android/planted_defects.h"
#include "model/verdicts.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;
using sim::Thread;
using sim::Verdict;

namespace {

Task<> LooperBody(Kernel& kernel, Task<> prepared) {
  co_await prepared;
  co_await kernel.RunMessageLoop();  // Looper.loop(): nobody quits an app's loopers
}

Task<> Nothing() { co_return; }

Task<> Throw(JavaException error) {
  throw error;
  co_return;
}

}  // namespace

// ---- Java: Handler and CountDownLatch.

Handler::PostAwaiter Handler::Post(std::string label, Runnable runnable) {
  CallbackToken token = 0;
  Runnable tracked = runtime_->Track(std::move(runnable), &token);
  return PostAwaiter{
      runtime_->kernel().Post(looper_->thread(), std::move(label), std::move(tracked)), token,
      this};
}

CallbackToken Handler::PostDelayed(std::string label, uint64_t delay_ticks, Runnable runnable) {
  CallbackToken token = 0;
  Runnable tracked = runtime_->Track(std::move(runnable), &token);
  RecordMessage(token, runtime_->kernel().PostDelayed(looper_->thread(), delay_ticks,
                                                      std::move(label), std::move(tracked)));
  return token;
}

void Handler::RecordMessage(CallbackToken token, uint64_t message_id) {
  if (token == 0 || token > runtime_->callbacks_.size()) return;
  AndroidRuntime::Callback& callback = runtime_->callbacks_[token - 1];
  callback.looper_thread = looper_->thread();
  callback.message_id = message_id;
}

void Handler::RemoveCallbacks(CallbackToken token) {
  if (token == 0 || token > runtime_->callbacks_.size()) return;
  AndroidRuntime::Callback& callback = runtime_->callbacks_[token - 1];
  callback.removed = true;  // if it has already started, it finishes; it never runs again
  runtime_->kernel().Cancel(callback.looper_thread, callback.message_id);
}

CountDownLatch::CountDownLatch(Kernel& kernel, std::string name, int count)
    : sim::Object(std::move(name)),
      kernel_(&kernel),
      zero_(kernel.MakePromise<void>(this->name())),
      count_(count) {
  if (count_ <= 0) zero_.Set();
}

Task<> CountDownLatch::CountDown() {
  co_await kernel_->Yield({"count_down", this});
  if (count_ > 0 && --count_ == 0) zero_.Set();
}

JavaMonitor::JavaMonitor(Kernel& kernel, std::string name)
    : sim::Object(std::move(name)),
      kernel_(&kernel),
      next_(kernel.MakePromise<void>(absl::StrCat(this->name(), ".notify#1"))) {}

Task<> JavaMonitor::Wait() {
  co_await kernel_->BlockOn(next_.future());  // Object.wait(): no timeout
}

Task<bool> JavaMonitor::WaitFor(uint64_t timeout_ticks) {
  co_return co_await kernel_->BlockOnFor(next_.future(), timeout_ticks);
}

Task<> JavaMonitor::NotifyAll() {
  co_await kernel_->Yield({"notify_all", this});
  const sim::Promise<void> woken = next_;
  ++notifications_;
  next_ = kernel_->MakePromise<void>(absl::StrCat(name(), ".notify#", notifications_ + 1));
  woken.Set();
}

// ---- The runtime.

AndroidRuntime& AndroidRuntime::Create(Kernel& kernel) {
  return kernel.Make<AndroidRuntime>(kernel);
}

AndroidRuntime::AndroidRuntime(Kernel& kernel)
    : sim::Object("android"),
      kernel_(&kernel),
      target_sdk_(kernel.Param(kTargetSdkParam, kJellyBeanMr2)),
      device_sdk_(kernel.Param(kDeviceSdkParam, kOreo)),
      started_promise_(kernel.MakePromise<void>("chromium_started")) {}

Looper& AndroidRuntime::RegisterLooper(Thread thread) {
  Looper& looper = kernel_->Make<Looper>(
      thread, absl::StrCat("Looper (", thread.name(), ", tid ", thread.id() + 1, ")"));
  loopers_[thread.id()] = &looper;
  return looper;
}

Thread AndroidRuntime::StartMainThread(Task<> on_create) {
  const Thread thread =
      kernel_->Spawn("main", LooperBody(*kernel_, std::move(on_create)), {.message_queue = true});
  if (!thread.valid()) return thread;
  main_looper_ = &RegisterLooper(thread);
  main_handler_ = &kernel_->Make<Handler>(*this, *main_looper_);
  return thread;
}

Thread AndroidRuntime::StartLooperThread(std::string name, Task<> on_looper_prepared) {
  const Thread thread =
      kernel_->Spawn(std::move(name), LooperBody(*kernel_, std::move(on_looper_prepared)),
                     {.message_queue = true});
  if (thread.valid()) RegisterLooper(thread);
  return thread;
}

Thread AndroidRuntime::StartThread(std::string name, Task<> run) {
  return kernel_->Spawn(std::move(name), std::move(run));
}

Looper* AndroidRuntime::MyLooper() const {
  const Thread current = kernel_->Current();
  return current.valid() ? loopers_[current.id()] : nullptr;
}

bool AndroidRuntime::OnUiThread() const {
  return ui_looper_ != nullptr && kernel_->Current() == ui_looper_->thread();
}

Runnable AndroidRuntime::Track(Runnable runnable, CallbackToken* token) {
  Callback& callback = callbacks_.emplace_back();
  callback.run = std::move(runnable);
  *token = callbacks_.size();
  Callback* raw = &callback;
  return [raw] { return RunCallback(raw); };
}

Task<> AndroidRuntime::RunCallback(Callback* callback) {
  if (callback->removed) co_return;  // Handler.removeCallbacks came first
  co_await callback->run();
}

// ---- A3: binding Chromium's UI thread and starting the engine.

void AndroidRuntime::SetUiThread(Looper& looper) {
  // ThreadUtils.setUiThread: the binding is for the life of the process.
  if (ui_looper_ == nullptr) {
    ui_looper_ = &looper;
    if (kernel_->traced()) {
      kernel_->Log(absl::StrCat("Chromium's UI thread is bound to ", looper.name(), " [A3]"));
    }
    return;
  }
  if (ui_looper_ == &looper) return;
  throw RuntimeException(absl::StrCat("UI thread looper is already set to ", ui_looper_->name(),
                                      " (Main thread looper is ", MainLooperName(),
                                      "), cannot set to new looper ", looper.name()),
                         "A3");
}

Task<> AndroidRuntime::StartYourEngines(bool thread_safe) {
  if (started_) co_return;
  Looper* looper = thread_safe ? main_looper_ : MyLooper();
  // A thread without a looper cannot host Chromium: the model binds main, as a thread-safe
  // caller would (the real glue has no such path; it cannot be called from there usefully).
  if (looper == nullptr) looper = main_looper_;
  if (looper == nullptr) {
    kernel_->Fail(Verdict::kAssertion, "main looper",
                  "Chromium must bind the main looper, but the scenario started no main thread "
                  "(AndroidRuntime::StartMainThread) [A3]");
    throw RuntimeException("no main Looper", "A3");
  }
  SetUiThread(*looper);
  if (OnUiThread()) {
    co_await StartChromiumLocked();
    co_return;
  }
  if (!start_posted_) {
    start_posted_ = true;
    AndroidRuntime* self = this;
    const uint64_t id =
        co_await kernel_->Post(ui_looper_->thread(), "WebViewChromiumAwInit.startChromium",
                               [self] { return self->StartChromiumLocked(); });
    started_promise_.SetProducer(
        ui_looper_->thread(),
        absl::StrCat("Chromium's start-up is message #", id, " queued on ", ui_looper_->name(),
                     ", and a caller off the UI thread waits for it with no timeout [A3]"));
  }
  co_await kernel_->BlockOn(started_promise_.future());  // mLock.wait(): no timeout (A3)
}

Task<> AndroidRuntime::StartChromiumLocked() {
  if (started_) co_return;  // a posted start may find the engine started inline already
  started_ = true;
  started_promise_.Set();
  if (kernel_->traced())
    kernel_->Log(absl::StrCat("Chromium started on ", ui_looper_->name(), " [A3]"));
  co_await DrainQueue();  // the end of start-up drains the pending tasks (A6)
}

// ---- A6: the pending-task queue.

Task<> AndroidRuntime::AddTask(std::string label, Runnable task) {
  pending_.push_back(PendingTask{std::move(label), std::move(task)});
  if (!started_) co_return;  // held until the end of start-up
  if (OnUiThread()) {
    co_await DrainQueue();
    co_return;
  }
  AndroidRuntime* self = this;
  co_await kernel_->Post(ui_looper_->thread(), "WebViewChromiumRunQueue.drainQueue",
                         [self] { return self->DrainQueue(); });
}

Task<> AndroidRuntime::DrainQueue() {
  // A task that adds a task while the queue drains runs it in this same drain, in FIFO order.
  if (draining_) co_return;
  draining_ = true;
  while (!pending_.empty()) {
    const bool newest_first = TestOnlyAndroidPlantedDefects().drain_runs_newest_first;
    PendingTask task = std::move(newest_first ? pending_.back() : pending_.front());
    if (newest_first) {
      pending_.pop_back();
    } else {
      pending_.pop_front();
    }
    try {
      co_await task.run();
    } catch (...) {
      draining_ = false;
      throw;
    }
  }
  draining_ = false;
}

Task<> AndroidRuntime::PostThrowToUiThread(JavaException error) {
  auto& kept = kernel_->Make<JavaException>(std::move(error));
  JavaException* raw = &kept;
  Looper* ui = ui_looper_ != nullptr ? ui_looper_ : main_looper_;
  if (ui == nullptr) co_return;
  co_await kernel_->Post(ui->thread(), "AwThreadUtils.postToUiThreadLooper(throw)",
                         [raw] { return Throw(*raw); });
}

// ---- A11: the JavaBridge thread.

Looper& AndroidRuntime::JavaBridgeLooper() {
  if (java_bridge_ == nullptr) {
    const Thread thread =
        kernel_->Spawn("JavaBridge", LooperBody(*kernel_, Nothing()), {.message_queue = true});
    if (!thread.valid()) throw RuntimeException("cannot start the JavaBridge thread", "A11");
    java_bridge_ = &RegisterLooper(thread);
  }
  return *java_bridge_;
}

// ---- A14: the background thread of shouldInterceptRequest.

Thread AndroidRuntime::BackgroundThread() {
  if (!background_.valid()) {
    background_ =
        kernel_->Spawn("background", LooperBody(*kernel_, Nothing()), {.message_queue = true});
    if (!background_.valid()) throw RuntimeException("cannot start the background thread", "A14");
  }
  return background_;
}

// ---- Logging and the serial_callbacks self-check.

void AndroidRuntime::Warn(std::string_view text) {
  ++warnings_;
  if (kernel_->traced()) kernel_->Log(absl::StrCat("W/WebView: ", std::string(text)));
}

void AndroidRuntime::BeginCallback(const Looper& expected, const char* callback) {
  BeginCallbackOn(expected.thread(), expected.name(), callback);
}

void AndroidRuntime::BeginCallback(Thread expected, const char* callback) {
  BeginCallbackOn(expected, absl::StrCat("thread ", expected.name()), callback);
}

void AndroidRuntime::BeginCallbackOn(Thread expected, std::string_view where,
                                     const char* callback) {
  const Thread current = kernel_->Current();
  if (!(current == expected)) {
    kernel_->Fail(WebViewVerdict::kSerialCallbacks, callback,
                  absl::StrCat(callback, " ran on thread ", current.name(), ", not on ",
                               std::string(where), " [A11]"));
    return;
  }
  const char*& active = active_callback_[current.id()];
  if (active != nullptr) {
    kernel_->Fail(WebViewVerdict::kSerialCallbacks, callback,
                  absl::StrCat(callback, " started on thread ", current.name(), " while ", active,
                               " was still running there [A11]"));
    return;
  }
  active = callback;
}

void AndroidRuntime::EndCallback() {
  const Thread current = kernel_->Current();
  active_callback_[current.id()] = nullptr;
}

AndroidPlantedDefects& TestOnlyAndroidPlantedDefects() {
  static AndroidPlantedDefects defects;
  return defects;
}

}  // namespace wvsim::model::android
