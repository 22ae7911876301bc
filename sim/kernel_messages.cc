// Message queues, message loops, dispatch and the continuations of awaiting handlers.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/internal/kernel_access.h"
#include "sim/internal/kernel_records.h"
#include "sim/kernel.h"
#include "sim/planted_defects.h"
#include "sim/trace_hash.h"

namespace wvsim::sim {

using internal::MessageKind;

namespace {

// Dispatches a message on the awaiting thread: the handler's frames go on top of the stack and the
// kernel's loop resumes them; when they finish or detach, the loop resumes the awaiting frame.
struct DispatchAwaiter {
  Kernel* kernel;
  Message* message;
  bool await_ready() const noexcept { return false; }
  template <typename P>
  void await_suspend(std::coroutine_handle<P> handle) const {
    KernelAccess::Dispatch(*kernel, VThread::Of(*handle.promise().thread), *message);
  }
  void await_resume() const noexcept {}
};

// Ready when a condition holds or a message is waiting: what a pumping wait sleeps on.
struct ConditionOrMessage final : Waitable {
  ConditionOrMessage(const Waitable& c, const Waitable& q) : condition(c), queue(q) {}
  bool Ready() const override { return condition.Ready() || queue.Ready(); }
  std::string WhyNotReady() const override { return condition.WhyNotReady(); }
  Thread Blocker() const override { return condition.Blocker(); }
  const Waitable& condition;
  const Waitable& queue;
};

}  // namespace

uint64_t Kernel::Enqueue(VThread& target, Message message) {
  if (target.queue == nullptr) {
    Fail(Verdict::kAssertion, absl::StrCat("post to ", target.name()),
         absl::StrCat("posted '", internal::LabelOf(message), "' to thread ", target.name(),
                      ", which has no message queue"));
    return 0;
  }
  if (target.queue->items.size() >= limits_.queue_depth_max) {
    Fail(Verdict::kStall, "queue_depth_max",
         absl::StrFormat("queue of thread %s is full: %d messages (KernelLimits::queue_depth_max)",
                         target.name(), limits_.queue_depth_max));
    return 0;
  }
  if (message.id == 0) message.id = next_message_id_++;  // a delayed post has its id already
  if (traced_) {
    Trace(TraceKind::kPost, absl::StrFormat("post #%d %s -> %s", message.id,
                                            internal::LabelOf(message), target.name()));
  }
  const uint64_t id = message.id;
  WVSIM_ASSERT(message.kind != MessageKind::kResume || message.resume->owner == &target);
  target.queue->items.push_back(std::move(message));
  NoteAccess(target.queue.get(), AccessKind::kWrite);
  return id;
}

Kernel::PostAwaiter Kernel::Post(Thread target, MessageLabel label,
                                 absl::AnyInvocable<Task<>()> handler) {
  const Object* queue = target.valid() ? VThread::Of(target)->queue.get() : nullptr;
  return PostAwaiter{this, target, queue, std::move(label), std::move(handler), false};
}

Kernel::PostAwaiter Kernel::PostQuit(Thread target) {
  PostAwaiter quit = Post(target, "quit", nullptr);
  quit.quit = true;
  return quit;
}

uint64_t Kernel::EnqueuePosted(PostAwaiter& post) {
  if (!post.target.valid()) {
    Fail(Verdict::kAssertion, "post", "posted to an invalid thread");
    return 0;
  }
  Message message = post.quit
                        ? internal::QuitMessage()
                        : internal::CallMessage(std::move(post.label), std::move(post.handler));
  return Enqueue(*VThread::Of(post.target), std::move(message));
}

Message Kernel::TakeMessage(VThread& thread) {
  WVSIM_ASSERT_MSG(thread.queue != nullptr && !thread.queue->items.empty(),
                   "a loop takes a message only when its queue made it ready");
  NoteAccess(thread.queue.get(), AccessKind::kWrite);  // a pumping wait's point names its condition
  return thread.queue->items.pop_front();
}

Kernel::LoopScope::LoopScope(Kernel& kernel, VThread& thread, std::string_view loop)
    : kernel_(kernel), thread_(thread) {
  ++thread_.loop_depth;
  if (kernel_.loop_watchers_.empty()) return;
  const Thread handle = thread_.handle();
  tokens_.reserve(kernel_.loop_watchers_.size());
  for (LoopWatcher& watcher : kernel_.loop_watchers_)
    tokens_.push_back(watcher.begin(handle, loop));
}

Kernel::LoopScope::~LoopScope() {
  --thread_.loop_depth;
  // A run being destroyed has no watchers left (DestroyRun clears them first): its models are
  // not told about loops that end only because their frames are destroyed.
  const size_t watched = std::min(tokens_.size(), kernel_.loop_watchers_.size());
  const Thread handle = thread_.handle();
  for (size_t i = 0; i < watched; ++i) kernel_.loop_watchers_[i].end(handle, tokens_[i]);
}

Task<> Kernel::RunMessageLoop() {
  VThread& thread = *current_;
  if (thread.queue == nullptr) {
    co_await Abort(
        Verdict::kAssertion, absl::StrCat("message loop on ", thread.name()),
        absl::StrCat("thread ", thread.name(), " runs a message loop but has no message queue"));
  }
  const LoopScope loop(*this, thread, "message loop");
  for (;;) {
    co_await Point{{"get_message", thread.queue.get()}, thread.queue.get(), WaitKind::kIdle};
    Message message = TakeMessage(thread);
    if (message.kind == MessageKind::kQuit) {
      Trace(TraceKind::kQuit, "quit message loop");
      co_return;
    }
    co_await DispatchAwaiter{this, &message};
  }
}

Task<> Kernel::PumpUntilReady(const Waitable& condition, Op op) {
  VThread& thread = *current_;
  if (thread.queue == nullptr) {
    // Without a queue there is nothing to pump: the wait is an ordinary blocking one.
    co_await Point{op, &condition, WaitKind::kBlocking};
    co_return;
  }
  const LoopScope loop(*this, thread, op.verb);
  const ConditionOrMessage wake(condition, *thread.queue);
  // A modal wait keeps the quits it sees for the loops they belong to, as Win32 does; each of
  // the kernel's loops consumes one quit, so every one goes back, in order.
  std::vector<Message> quits;
  while (!condition.Ready()) {
    co_await Point{op, &wake, WaitKind::kPumping};
    if (condition.Ready()) break;
    Message message = TakeMessage(thread);
    if (message.kind == MessageKind::kQuit) {
      quits.push_back(std::move(message));
      continue;
    }
    co_await DispatchAwaiter{this, &message};
  }
  if (TestOnlyKernelPlantedDefects().pumping_wait_drops_quits) quits.clear();
  WVSIM_ASSERT(condition.Ready());
  for (auto it = quits.rbegin(); it != quits.rend(); ++it) {
    thread.queue->items.push_front(std::move(*it));
  }
}

void Kernel::Dispatch(VThread& thread, Message& message) {
  if (feature_counters_ != nullptr) {
    // Which handler ran after which on this thread: the previous label's hash and this one.
    const uint64_t label_hash = internal::LabelHashOf(message);
    CountFeature(thread.id, thread.last_dispatch_hash, label_hash);
    thread.last_dispatch_hash = label_hash;
  }
  if (track_dispatch_orders_) {
    // The order so far, then this label: FNV-1a over the label hash's bytes.
    const uint64_t label_hash = internal::LabelHashOf(message);
    thread.dispatch_order_hash =
        HashTrace(std::string_view(reinterpret_cast<const char*>(&label_hash), sizeof(label_hash)),
                  thread.dispatch_order_hash == 0 ? kTraceHashBasis : thread.dispatch_order_hash);
  }
  if (traced_) {
    Trace(TraceKind::kDispatch,
          absl::StrFormat("dispatch #%d %s", message.id, internal::LabelOf(message)));
  }
  WVSIM_ASSERT_MSG(message.kind != MessageKind::kQuit, "a quit ends a loop, it is not dispatched");
  WVSIM_ASSERT(thread.loop_depth > 0);
  thread.dispatch_bases.push_back(static_cast<uint32_t>(thread.frames.size()));
  if (message.kind == MessageKind::kResume) {
    WVSIM_ASSERT_MSG(message.resume->owner == &thread && message.resume->posted,
                     "a continuation resumes on the thread that parked it, once posted");
    WVSIM_ASSERT(!message.resume->frames.empty());
    for (internal::Frame& frame : message.resume->frames) thread.frames.push_back(frame);
    message.resume->frames.clear();
    return;
  }
  Message& kept = records_->dispatched.Next();
  kept = std::move(message);
  Task<> handler;
  try {
    if (kept.call) handler = kept.call();
  } catch (...) {
    thread.dispatch_bases.pop_back();
    ReportException(thread, std::current_exception());
    return;
  }
  if (!handler.valid()) {
    thread.dispatch_bases.pop_back();
    const std::string label = internal::LabelOf(kept);
    Fail(Verdict::kAssertion, absl::StrCat("message ", label),
         absl::StrCat("message #", kept.id, " '", label, "' has no handler to run"));
    return;
  }
  auto handle = handler.Release();
  handle.promise().thread = &thread;
  thread.frames.push_back({handle, true});
}

void Kernel::ParkContinuation(VThread& thread, FutureCore& core) {
  if (thread.dispatch_bases.empty()) {
    // Not inside a handler: the thread itself waits; nothing else of it can run meanwhile.
    thread.Arrive({"await", &core}, &core, WaitKind::kAwait);
    return;
  }
  const uint32_t base = thread.dispatch_bases.back();
  WVSIM_ASSERT_MSG(base < thread.frames.size(), "the awaiting handler's frames are on the stack");
  thread.dispatch_bases.pop_back();
  Continuation& continuation = records_->continuations.Next();  // reset by DestroyRun
  continuation.owner = &thread;
  continuation.awaited = &core;
  continuation.frames.assign(thread.frames.begin() + base, thread.frames.end());
  thread.frames.resize(base);
  KernelAccess::Park(core, &continuation);
  if (traced_) {
    Trace(TraceKind::kPark,
          absl::StrCat("await ", core.name(), " (handler parked, the pump goes on)"));
  }
}

void Kernel::PostContinuation(Continuation& continuation) {
  WVSIM_ASSERT_MSG(!continuation.posted, "a continuation is posted once");
  WVSIM_ASSERT(continuation.owner != nullptr && !continuation.frames.empty());
  continuation.posted = true;
  Enqueue(*continuation.owner, internal::ResumeMessage(continuation));
}

uint64_t Kernel::PostDelayed(Thread target, uint64_t delay_ticks, MessageLabel label,
                             absl::AnyInvocable<Task<>()> handler) {
  if (!target.valid()) {
    Fail(Verdict::kAssertion, "post", "posted to an invalid thread");
    return 0;
  }
  Message message = internal::CallMessage(std::move(label), std::move(handler));
  message.id = next_message_id_++;
  const uint64_t id = message.id;
  AddTimer(delay_ticks, nullptr, VThread::Of(target), std::move(message));
  return id;
}

bool Kernel::Cancel(Thread target, uint64_t message_id) {
  if (!target.valid() || message_id == 0) return false;
  NoteAccess(nullptr, AccessKind::kGlobal);  // timers and queues: dependent on everything
  VThread* record = VThread::Of(target);
  for (auto it = records_->timers.begin(); it != records_->timers.end(); ++it) {
    if (it->post_to == record && it->message.id == message_id) {
      if (traced_) {
        Trace(TraceKind::kNote,
              absl::StrFormat("cancel #%d %s", message_id, internal::LabelOf(it->message)));
      }
      records_->timers.erase(it);
      return true;
    }
  }
  if (record->queue == nullptr) return false;
  if (TestOnlyKernelPlantedDefects().cancel_misses_queued_messages) return false;
  internal::RingQueue<Message>& items = record->queue->items;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id != message_id) continue;
    if (traced_) {
      Trace(TraceKind::kNote,
            absl::StrFormat("cancel #%d %s", message_id, internal::LabelOf(items[i])));
    }
    items.erase_at(i);
    return true;
  }
  return false;
}

uint64_t Kernel::DispatchOrderHash(std::string_view thread_name) const {
  for (uint32_t i = 0; i < thread_count_; ++i) {
    if (thread_pool_[i]->name() == thread_name) return thread_pool_[i]->dispatch_order_hash;
  }
  return 0;
}

KernelPlantedDefects& TestOnlyKernelPlantedDefects() {
  static KernelPlantedDefects defects;
  return defects;
}

}  // namespace wvsim::sim
