#include "sim/model_port.h"

#include "sim/internal/messages.h"
#include "sim/internal/vthread.h"

namespace wvsim::sim {

using internal::ThreadAccess;
using internal::VThread;

bool ModelPort::HasMessageQueue(Thread thread) const {
  return thread.valid() && ThreadAccess::Record(thread)->queue != nullptr;
}

bool ModelPort::IsOnStack(Thread thread, std::coroutine_handle<> frame) const {
  if (!thread.valid()) return false;
  for (const internal::Frame& on_stack : ThreadAccess::Record(thread)->frames) {
    if (on_stack.handle == frame) return true;
  }
  return false;
}

bool ModelPort::IsInInnermostDispatch(Thread thread, std::coroutine_handle<> frame) const {
  if (!thread.valid()) return false;
  const VThread& record = *ThreadAccess::Record(thread);
  if (record.dispatch_bases.empty()) return false;
  WVSIM_ASSERT(record.dispatch_bases.back() <= record.frames.size());
  for (size_t i = record.dispatch_bases.back(); i < record.frames.size(); ++i) {
    if (record.frames[i].handle == frame) return true;
  }
  return false;
}

void ModelPort::WatchMessageLoops(absl::AnyInvocable<uint64_t(Thread, std::string_view)> begin,
                                  absl::AnyInvocable<void(Thread, uint64_t)> end) const {
  WVSIM_ASSERT_MSG(begin && end, "a loop watcher needs both begin and end");
  kernel_->loop_watchers_.push_back({std::move(begin), std::move(end)});
}

uint64_t ModelPort::Send(Thread target, MessageLabel label,
                         absl::AnyInvocable<Task<>()> handler) const {
  if (!target.valid()) {
    kernel_->Fail(Verdict::kAssertion, "send", "sent to an invalid thread");
    return 0;
  }
  // Filled in member by member rather than built by CallMessage's aggregate initialisation, for
  // which g++ 12 first zero-fills the whole 128-byte message with `rep stos`: a model sends a
  // message for every event, request and completion, and that fill was ~3% of a WebView2 run.
  internal::Message message;  // kind kCall, id 0 (given when queued), no continuation
  message.label = std::move(label);
  message.call = std::move(handler);
  return kernel_->Enqueue(*ThreadAccess::Record(target), std::move(message));
}

}  // namespace wvsim::sim
