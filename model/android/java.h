// The Java side of the Android model: exceptions with their real texts, Loopers and Handlers on
// kernel threads, and Java's blocking waits (Future.get with and without a timeout,
// CountDownLatch) on the kernel's blocking waits.
//
//   AndroidRuntime& rt = AndroidRuntime::Create(kernel);       // runtime.h
//   Handler main(rt, rt.MainLooper());
//   co_await main.Post("click", [&app] { return OnClick(app); });
//   CallbackToken t = main.PostDelayed("tick", 100 * kTicksPerMillisecond, ...);
//   main.RemoveCallbacks(t);
//
// Virtual time: one tick is one millisecond (kTicksPerMillisecond). Every object here belongs to
// one run (create it with Kernel::Make or through the runtime); nothing depends on pointer values.
#ifndef WVSIM_MODEL_ANDROID_JAVA_H_
#define WVSIM_MODEL_ANDROID_JAVA_H_

#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "sim/kernel.h"

namespace wvsim::model::android {

class AndroidRuntime;

// One tick of virtual time is one millisecond.
inline constexpr uint64_t kTicksPerMillisecond = 1;
// A7: a blocking cross-thread WebView call gives up after 4 seconds.
inline constexpr uint64_t kBlockingCallTimeoutTicks = 4000 * kTicksPerMillisecond;
// A2, A4: Build.VERSION_CODES.JELLY_BEAN_MR2; apps targeting it or later get thread checks that
// throw.
inline constexpr int64_t kJellyBeanMr2 = 18;

// A Java exception thrown through the model: a C++ exception so that app code can catch it and so
// that one escaping a thread is the kernel's `exception` verdict ("a Java exception escaping a
// thread", docs/design.md). what() is "<class>: <message> [<rule>]"; message() is the real text
// alone.
class JavaException : public std::exception {
 public:
  JavaException(std::string java_class, std::string message, std::string rule)
      : java_class_(std::move(java_class)),
        message_(std::move(message)),
        rule_(std::move(rule)),
        what_(java_class_ + ": " + message_ + " [" + rule_ + "]") {}
  const char* what() const noexcept override { return what_.c_str(); }
  const std::string& java_class() const { return java_class_; }
  const std::string& message() const { return message_; }
  const std::string& rule() const { return rule_; }

 private:
  std::string java_class_;
  std::string message_;
  std::string rule_;
  std::string what_;
};

inline JavaException RuntimeException(std::string message, std::string rule) {
  return JavaException("java.lang.RuntimeException", std::move(message), std::move(rule));
}
inline JavaException IllegalStateException(std::string message, std::string rule) {
  return JavaException("java.lang.IllegalStateException", std::move(message), std::move(rule));
}

// The real texts (docs/android-rules.md).
inline constexpr const char* kNoLooperText =  // A1
    "WebView cannot be initialized on a thread that has no Looper.";
inline constexpr const char* kViewThreadText =  // A4
    "Calling View methods on another thread than the UI thread.";
inline constexpr const char* kMustBeStartedText = "Must be started before we block!";  // A7
inline constexpr const char* kOffUiThreadText =                                        // A7
    "This method should only be called off the UI thread";
inline constexpr const char* kProbableDeadlockText =  // A7
    "Probable deadlock detected due to WebView API being called on incorrect thread while the UI "
    "thread is blocked.";
inline constexpr const char* kAwContentsText =  // A8
    "AwContents must be created if we are not posting!";

// A Runnable: the body of a posted message or a pending task. Keep captures to pointers,
// references and trivial values (the closure may be called after the caller's frame is gone).
using Runnable = absl::AnyInvocable<sim::Task<>()>;

// android.os.Looper: a kernel thread with a message queue. Its name is what Looper.toString()
// prints, without the identity hash: "Looper (main, tid 1)".
class Looper final : public sim::Object {
 public:
  Looper(sim::Thread thread, std::string description)
      : sim::Object(std::move(description)), thread_(thread) {}
  sim::Thread thread() const { return thread_; }

 private:
  sim::Thread thread_;
};

// Identifies a posted Runnable for Handler::RemoveCallbacks. 0 is no callback.
using CallbackToken = uint64_t;

// android.os.Handler bound to a looper. Posting is a scheduling point (the queue is shared);
// PostDelayed queues after virtual time passes. RemoveCallbacks takes the message back from the
// queue, or the delayed one before it is due (Kernel::Cancel), so it neither runs nor keeps time
// or the looper busy.
class Handler {
 public:
  Handler(AndroidRuntime& runtime, Looper& looper) : runtime_(&runtime), looper_(&looper) {}

  struct [[nodiscard]] PostAwaiter {
    sim::Kernel::PostAwaiter inner;
    CallbackToken token;
    Handler* handler;
    bool await_ready() const noexcept { return false; }
    template <typename P>
    void await_suspend(std::coroutine_handle<P> handle) const noexcept {
      inner.await_suspend(handle);
    }
    CallbackToken await_resume() {
      const uint64_t message_id = inner.await_resume();
      if (message_id == 0) return 0;
      handler->RecordMessage(token, message_id);
      return token;
    }
  };

  PostAwaiter Post(std::string label, Runnable runnable);
  CallbackToken PostDelayed(std::string label, uint64_t delay_ticks, Runnable runnable);
  // Handler.removeCallbacks: the Runnable will not run if it has not started yet.
  void RemoveCallbacks(CallbackToken token);
  // Which kernel message carries the callback of `token`, so that RemoveCallbacks can take it back.
  void RecordMessage(CallbackToken token, uint64_t message_id);
  Looper& looper() const { return *looper_; }

 private:
  AndroidRuntime* runtime_;
  Looper* looper_;
};

// java.util.concurrent.CountDownLatch. CountDown is a scheduling point; Await blocks the thread
// (and its looper) with no timeout, AwaitFor gives up after `timeout_ticks` and says whether the
// count reached zero.
class CountDownLatch final : public sim::Object {
 public:
  CountDownLatch(sim::Kernel& kernel, std::string name, int count);
  sim::Task<> CountDown();
  auto Await() { return kernel_->BlockOn(zero_.future()); }
  auto AwaitFor(uint64_t timeout_ticks) {
    return kernel_->BlockOnFor(zero_.future(), timeout_ticks);
  }
  int count() const { return count_; }

 private:
  sim::Kernel* kernel_;
  sim::Promise<void> zero_;
  int count_;
};

// java.lang.Object's wait / notifyAll on one object. The monitor lock itself is not modelled (the
// model's threads run atomically between scheduling points): Wait blocks the thread (and its
// looper) until the next NotifyAll, WaitFor at most `timeout_ticks` (true when notified).
class JavaMonitor final : public sim::Object {
 public:
  JavaMonitor(sim::Kernel& kernel, std::string name);
  sim::Task<> Wait();
  sim::Task<bool> WaitFor(uint64_t timeout_ticks);
  sim::Task<> NotifyAll();
  uint64_t notifications() const { return notifications_; }

 private:
  sim::Kernel* kernel_;
  sim::Promise<void> next_;  // completed by the next NotifyAll
  uint64_t notifications_ = 0;
};

// Future.get(): blocks the calling thread (and its looper) until `future` completes.
template <typename T>
sim::Task<T> FutureGet(sim::Kernel& kernel, sim::Future<T> future) {
  co_return co_await kernel.BlockOn(future);
}

// Future.get(timeout): throws java.util.concurrent.TimeoutException when the time runs out.
template <typename T>
sim::Task<T> FutureGet(sim::Kernel& kernel, sim::Future<T> future, uint64_t timeout_ticks) {
  const bool done = co_await kernel.BlockOnFor(future, timeout_ticks);
  if (!done) throw JavaException("java.util.concurrent.TimeoutException", "", "Future.get");
  co_return future.Get();
}

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_JAVA_H_
