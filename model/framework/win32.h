// Win32 threading as an app uses it (docs/framework-rules.md F7..F9): PostMessage, SendMessage
// across threads, and the waits that do or do not pump.
//
//   Win32& win32 = Win32::Create(k);
//   co_await win32.SendMessage(ui, "WM_APP_PROGRESS", update);  // blocks until ui handled it
//   co_await win32.PostMessage(ui, "WM_APP_PROGRESS", update);  // queued; returns at once
//   co_await win32.WaitForSingleObject(done);                   // no pumping at all
//   co_await win32.MsgWaitForMultipleObjects(done);             // pumps (a nested loop)
//
// A message sent to another thread is handled when that thread next retrieves messages (its
// message loop), or inside its own SendMessage wait or a wait that services sent messages; never
// while it blocks in WaitForSingleObject. Every thread is identified by its sim::Thread.
#ifndef WVSIM_MODEL_FRAMEWORK_WIN32_H_
#define WVSIM_MODEL_FRAMEWORK_WIN32_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/functional/any_invocable.h"
#include "model/framework/internal/sent_messages.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/message_label.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework {

class Win32 {
 public:
  // The run's Win32 layer, made with Kernel::Make.
  static Win32& Create(sim::Kernel& kernel);
  explicit Win32(sim::Kernel& kernel) : kernel_(kernel) {}
  sim::Kernel& kernel() const { return kernel_; }

  // PostMessage: queued behind the target's posted messages; the caller goes on.
  sim::Kernel::PostAwaiter PostMessage(sim::Thread target, sim::MessageLabel label,
                                       absl::AnyInvocable<sim::Task<>()> work);
  // SendMessage: on the caller's own thread the window procedure runs at once; to another
  // thread the caller blocks until that thread has run it, servicing messages sent to itself
  // meanwhile. Rethrows what the window procedure threw.
  sim::Task<> SendMessage(sim::Thread target, std::string label,
                          absl::AnyInvocable<sim::Task<>()> work);

  // SendNotifyMessage to another thread: queued as a sent message (F7: handled when that thread
  // retrieves messages, or in a wait that services sent messages) while the caller goes on. Not
  // a scheduling point: for a caller outside the app, such as the WebView2 runtime delivering an
  // incoming COM call (Runtime::DeliverHostCallsWith, docs/webview2-rules.md W17).
  void SendNotifyMessage(sim::Thread target, std::string label,
                         absl::AnyInvocable<sim::Task<>()> work);

  // WaitForSingleObject(INFINITE): blocks; posted and sent messages both wait.
  template <typename T>
  sim::Task<T> WaitForSingleObject(sim::Future<T> object);
  // MsgWaitForMultipleObjects in a loop with PeekMessage/DispatchMessage: a nested message loop
  // until `object` is signalled (a loop the reentrancy oracle sees).
  template <typename T>
  sim::Task<T> MsgWaitForMultipleObjects(sim::Future<T> object);
  // CoWaitForMultipleHandles / CoWaitForMultipleObjects on an STA: COM calls and sent messages
  // are serviced; window messages are dispatched only with CWMO_DISPATCH_WINDOW_MESSAGES (then
  // it is a nested loop).
  template <typename T>
  sim::Task<T> CoWaitForMultipleHandles(sim::Future<T> object, bool dispatch_window_messages);

  // A blocking wait that services the calling thread's sent messages (the CLR's waits on an STA,
  // a SendMessage sender). `verb` is a literal naming it.
  sim::Task<> WaitServicingSent(const char* verb, const sim::FutureCore& target);

 private:
  internal::SentQueue& SentQueueOf(sim::Thread thread);
  // Queues `work` as a message sent to `target` (F7), which completes `done` once it ran.
  void AddSent(sim::Thread target, std::string label, absl::AnyInvocable<sim::Task<>()> work,
               sim::Promise<void> done);

  sim::Kernel& kernel_;
  std::map<uint32_t, internal::SentQueue*> sent_;  // by thread id
};

// ---- Template definitions.

template <typename T>
sim::Task<T> Win32::WaitForSingleObject(sim::Future<T> object) {
  sim::FutureState<T>& state = object.state();
  co_await kernel_.Wait({"WaitForSingleObject", &state}, state, sim::WaitKind::kBlocking);
  co_return state.Get();
}

template <typename T>
sim::Task<T> Win32::MsgWaitForMultipleObjects(sim::Future<T> object) {
  sim::FutureState<T>& state = object.state();
  co_await kernel_.PumpUntilReady(state, {"MsgWaitForMultipleObjects", &state});
  co_return state.Get();
}

template <typename T>
sim::Task<T> Win32::CoWaitForMultipleHandles(sim::Future<T> object, bool dispatch_window_messages) {
  sim::FutureState<T>& state = object.state();
  if (dispatch_window_messages) {
    co_await kernel_.PumpUntilReady(state, {"CoWaitForMultipleHandles", &state});
  } else {
    co_await WaitServicingSent("CoWaitForMultipleHandles", state);
  }
  co_return state.Get();
}

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_WIN32_H_
