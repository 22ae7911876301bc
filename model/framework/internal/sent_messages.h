// The framework's machinery for messages sent across threads (Win32 SendMessage): each window
// thread keeps the messages other threads sent to it apart from its posted ones, and a thread
// services them only at the points Win32 names (docs/framework-rules.md F7): when it retrieves
// messages, while it waits in its own SendMessage, and in the waits that pump sent messages (the
// CLR's blocking waits on an STA, MsgWaitForMultipleObjects). Not for app code: see win32.h.
#ifndef WVSIM_MODEL_FRAMEWORK_INTERNAL_SENT_MESSAGES_H_
#define WVSIM_MODEL_FRAMEWORK_INTERNAL_SENT_MESSAGES_H_

#include <deque>
#include <string>

#include "absl/functional/any_invocable.h"
#include "sim/future.h"
#include "sim/kernel.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework::internal {

struct SentMessage {
  std::string label;
  absl::AnyInvocable<sim::Task<>()> work;
  sim::Promise<void> done;  // the sender waits for it
};

// One thread's sent messages, oldest first.
class SentQueue final : public sim::Object {
 public:
  explicit SentQueue(sim::Thread owner)
      : sim::Object("sent messages of " + owner.name()), owner_(owner) {}
  sim::Thread owner() const { return owner_; }
  bool empty() const { return pending_.empty(); }
  void Add(SentMessage message) { pending_.push_back(std::move(message)); }
  // Runs the oldest sent message on the calling thread (the owner) and completes its sender's
  // wait, with the exception it threw if it threw.
  sim::Task<> RunOldest();

 private:
  sim::Thread owner_;
  std::deque<SentMessage> pending_;
};

// What a wait that services sent messages waits for: `target` done, or a message sent to the
// waiting thread. Reports speak of `target` (what the thread is really waiting for).
class TargetOrSent final : public sim::Object, public sim::Waitable {
 public:
  TargetOrSent(const sim::FutureCore& target, const SentQueue* sent)
      : sim::Object(target.name()), target_(target), sent_(sent) {}
  bool Ready() const override { return target_.done() || (sent_ != nullptr && !sent_->empty()); }
  std::string WhyNotReady() const override { return target_.WhyNotReady(); }
  sim::Thread Blocker() const override { return target_.Blocker(); }

 private:
  const sim::FutureCore& target_;
  const SentQueue* sent_;
};

// Blocks the calling thread (its posted messages wait) until `target` is done, running the
// messages sent to it meanwhile. `verb` names the wait in traces and reports (a literal).
sim::Task<> WaitServicingSent(sim::Kernel& kernel, const char* verb, const sim::FutureCore& target,
                              SentQueue* sent);

}  // namespace wvsim::model::framework::internal

#endif  // WVSIM_MODEL_FRAMEWORK_INTERNAL_SENT_MESSAGES_H_
