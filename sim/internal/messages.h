// The kernel's private message records: queued messages, the queue itself, and continuations
// (the frames of a handler that awaited, parked until what it awaits completes).
#ifndef WVSIM_SIM_INTERNAL_MESSAGES_H_
#define WVSIM_SIM_INTERNAL_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "sim/assert.h"
#include "sim/internal/ring_queue.h"
#include "sim/internal/vthread.h"
#include "sim/message_label.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/trace_hash.h"

namespace wvsim::sim::internal {

enum class MessageKind : uint8_t {
  kCall,    // run `call` as a handler
  kResume,  // resume a parked continuation
  kQuit,    // end the innermost message loop
};

}  // namespace wvsim::sim::internal

// The two records installed headers only declare (sim/future.h, sim/kernel.h).
namespace wvsim::sim {

// A handler's frames, taken off its thread's stack when it awaited something not yet done. When
// that completes, a kResume message carries them back to the thread's queue (docs/design.md:
// awaited continuations are posted to the awaiting thread's queue).
struct Continuation {
  VThread* owner = nullptr;
  std::vector<internal::Frame> frames;  // the handler's root first
  const Object* awaited = nullptr;
  bool posted = false;
};

struct Message {
  uint64_t id = 0;  // given when it is queued
  internal::MessageKind kind = internal::MessageKind::kCall;
  MessageLabel label;  // empty for kResume: see LabelOf
  absl::AnyInvocable<Task<void>()> call;
  Continuation* resume = nullptr;
};

}  // namespace wvsim::sim

namespace wvsim::sim::internal {

// A continuation's label names what its handler awaited. Built only when a trace or a report
// asks: a run posts a continuation for every await that completes, most runs are not traced,
// and building the text for each would cost an allocation.
inline constexpr std::string_view kContinuationLabelPrefix = "continuation after ";

inline std::string LabelOf(const Message& message) {
  if (message.kind != MessageKind::kResume) return std::string(message.label.view());
  WVSIM_ASSERT_MSG(message.resume != nullptr && message.resume->awaited != nullptr,
                   "a resume message carries a continuation that names what it awaited");
  return absl::StrCat(
      absl::string_view(kContinuationLabelPrefix.data(), kContinuationLabelPrefix.size()),
      message.resume->awaited->name());
}

// HashTrace(LabelOf(message)), without building the text.
inline uint64_t LabelHashOf(const Message& message) {
  if (message.kind != MessageKind::kResume) return message.label.Hash();
  WVSIM_ASSERT(message.resume != nullptr && message.resume->awaited != nullptr);
  return HashTrace(message.resume->awaited->name(), HashTrace(kContinuationLabelPrefix));
}

// The messages are filled in member by member, never built by aggregate or value
// initialisation: for those g++ 12 first zero-fills the whole 128-byte record (`rep stos`), which
// cost ~3% of a WebView2 run in ModelPort::Send alone (a message per event and completion).
inline Message CallMessage(MessageLabel&& label, absl::AnyInvocable<Task<void>()>&& call) {
  Message message;  // kind kCall, id 0 (given when queued), no continuation
  message.label = std::move(label);
  message.call = std::move(call);
  return message;
}
inline Message QuitMessage() {
  Message message;
  message.kind = MessageKind::kQuit;
  message.label = "quit";
  return message;
}
inline Message ResumeMessage(Continuation& continuation) {
  Message message;
  message.kind = MessageKind::kResume;
  message.resume = &continuation;
  return message;
}
// Back to a default message, keeping the slot: as above, without the record-wide fill.
inline void ClearMessage(Message& message) {
  message.id = 0;
  message.kind = MessageKind::kCall;
  message.label = MessageLabel();
  message.call = nullptr;
  message.resume = nullptr;
}

class MessageQueue final : public Object, public Waitable {
 public:
  using Object::Object;
  void Rename(std::string new_name) { set_name(std::move(new_name)); }
  bool Ready() const override { return !items.empty(); }
  std::string WhyNotReady() const override { return "its queue is empty"; }

  RingQueue<Message> items;
};

// Slots with stable addresses that a kernel reuses run after run: the messages it dispatched
// (their closures live until the run ends) and the continuations it parked. Each run takes as
// many as it needs; Recycle resets those for the next run and keeps them allocated, so a
// warmed-up kernel dispatches and parks without allocating.
template <typename T>
class RecycledSlots {
 public:
  T& Next() {
    WVSIM_ASSERT(used_ <= slots_.size());
    if (used_ == slots_.size()) slots_.emplace_back();
    return slots_[used_++];
  }
  // Ends a run: `reset(slot)` on every slot it took.
  template <typename Reset>
  void Recycle(Reset reset) {
    for (size_t i = 0; i < used_; ++i) reset(slots_[i]);
    used_ = 0;
  }
  // The slots this run took.
  auto begin() { return slots_.begin(); }
  auto end() { return slots_.begin() + static_cast<std::ptrdiff_t>(used_); }
  auto begin() const { return slots_.begin(); }
  auto end() const { return slots_.begin() + static_cast<std::ptrdiff_t>(used_); }

 private:
  std::deque<T> slots_;
  size_t used_ = 0;
};

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_INTERNAL_MESSAGES_H_
