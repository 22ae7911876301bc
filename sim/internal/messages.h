// The kernel's private message records: queued messages, the queue itself, and continuations
// (the frames of a handler that awaited, parked until what it awaits completes).
#ifndef WVSIM_SIM_INTERNAL_MESSAGES_H_
#define WVSIM_SIM_INTERNAL_MESSAGES_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/object.h"
#include "sim/task.h"

namespace wvsim::sim::internal {

// A handler's frames, taken off its thread's stack when it awaited something not yet done. When
// that completes, a kResume message carries them back to the thread's queue (design.md: awaited
// continuations are posted to the awaiting thread's queue).
struct Continuation {
  VThread* owner = nullptr;
  std::vector<Frame> frames;  // the handler's root first
  const Object* awaited = nullptr;
  bool posted = false;
};

enum class MessageKind : uint8_t {
  kCall,    // run `call` as a handler
  kResume,  // resume a parked continuation
  kQuit,    // end the innermost message loop
};

struct Message {
  uint64_t id = 0;  // given when it is queued
  MessageKind kind = MessageKind::kCall;
  std::string label;
  absl::AnyInvocable<Task<void>()> call;
  Continuation* resume = nullptr;
};

inline Message CallMessage(std::string label, absl::AnyInvocable<Task<void>()> call) {
  return Message{0, MessageKind::kCall, std::move(label), std::move(call), nullptr};
}
inline Message QuitMessage() { return Message{0, MessageKind::kQuit, "quit", {}, nullptr}; }

class MessageQueue final : public Object, public Waitable {
 public:
  using Object::Object;
  void Rename(std::string new_name) { set_name(std::move(new_name)); }
  bool Ready(const VThread&) const override { return !items.empty(); }
  std::string WhyNotReady() const override { return "its queue is empty"; }

  std::deque<Message> items;
};

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_INTERNAL_MESSAGES_H_
