// Raising WebView2 events and the life of each (docs/webview2-rules.md W2, W3, W8, W9): the event
// is a message on its owner thread's queue (W2); its handlers run behind the boundary; it
// finishes when its handler returned (or left the stack at an await) and its deferral, if taken,
// completed (W8), and only then does the runtime read the app's answers (W9). Deferrals dropped
// or never completed are reported (deferral_leak), and so is a second Complete.
//
// Determinism: deferrals are kept in the order they were taken; event ids come from Names.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_EVENTS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_EVENTS_H_

#include <cstdint>
#include <exception>
#include <optional>

#include "absl/container/inlined_vector.h"
#include "model/webview2/event_args.h"
#include "model/webview2/internal/boundary.h"
#include "model/webview2/internal/names.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/internal/send.h"
#include "model/webview2/planted_defects.h"
#include "sim/kernel.h"
#include "sim/model_port.h"

namespace wvsim::model::webview2::internal {

class Events {
 public:
  Events(Core& core, sim::Kernel& kernel, Boundary& boundary, Names& names)
      : core_(core), kernel_(kernel), port_(kernel), boundary_(boundary), names_(names) {}

  // New args of `event` raised by `sender`, with their record. `event`, `holds_up` and `rule`
  // are static text (literals, the W9 table): the record keeps the pointers, and an untraced
  // run's message label is `event` itself.
  template <typename A>
  A& NewEventArgs(WebViewRecord& sender, const char* event, const char* holds_up, const char* rule);
  template <typename A>
  A& NewEnvironmentEventArgs(EnvironmentRecord& source, const char* event);
  // Posts the event to its owner thread (W2), where its handlers run one after the other.
  template <typename A>
  void RaiseEvent(A& args, HandlerList<A>& handlers);

  // The handler returned or left the stack at an await (once): marks it and runs on_returned.
  void NoteReturned(EventRecord& event);
  // Runs what the runtime reads at the handler's first return, suspension or GetDeferral.
  void RunOnReturned(EventRecord& event);
  // Finishes the event when its handler returned and its deferral (if any) completed (W8).
  void FinishIfDone(EventRecord& event);
  Deferral GetDeferral(EventRecord& event);  // W3, W8
  void CompleteDeferral(DeferralRecord& deferral);
  // The end-of-run check: a deferral taken and never completed (W8).
  std::optional<sim::Violation> CheckDeferrals() const;

 private:
  template <typename A>
  sim::Task<> DispatchEvent(A& args, HandlerList<A>& handlers);
  EventRecord& NewRecord(EventArgs& args, const sim::Object& source, sim::Thread owner,
                         const char* event);
  void CheckDroppedDeferral(const EventRecord& event);
  // How an event's deferral stood when the event ended, as a fuzzer feature (issue 6).
  enum class DeferralFeature : uint8_t {
    kNone,                  // no deferral: the event ended when its handler returned
    kCompletedInHandler,    // completed before the handler returned
    kCompletedAfterReturn,  // the event waited for it after the handler returned
    kCompletedTwice,
    kDropped,  // dropped without Complete: the event never ends
  };
  void CountDeferralFeature(const EventRecord& event, DeferralFeature state);

  Core& core_;
  sim::Kernel& kernel_;
  sim::ModelPort port_;
  Boundary& boundary_;
  Names& names_;
  absl::InlinedVector<DeferralRecord*, 4> deferrals_;  // in the order they were taken
};

// ---- Template definitions.

template <typename A>
A& Events::NewEventArgs(WebViewRecord& sender, const char* event, const char* holds_up,
                        const char* rule) {
  A& args = kernel_.Make<A>();
  EventRecord& record = NewRecord(args, *sender.handle, sender.owner, event);
  record.sender = &sender;
  record.holds_up = holds_up;
  record.rule = rule;
  return args;
}

template <typename A>
A& Events::NewEnvironmentEventArgs(EnvironmentRecord& source, const char* event) {
  A& args = kernel_.Make<A>();
  NewRecord(args, *source.handle, source.owner, event);
  return args;
}

template <typename A>
void Events::RaiseEvent(A& args, HandlerList<A>& handlers) {
  EventRecord& record = EventAccess::Record(args);
  Events* self = this;
  A* event = &args;
  HandlerList<A>* list = &handlers;
  const sim::Thread target =
      TestOnlyPlantedDefects().handlers_on_raising_thread ? kernel_.Current() : record.owner;
  Send(port_, target,
       kernel_.traced() ? sim::MessageLabel(record.name)
                        : sim::MessageLabel::Static(record.type_name),
       [self, event, list] { return self->DispatchEvent(*event, *list); });
}

template <typename A>
sim::Task<> Events::DispatchEvent(A& args, HandlerList<A>& handlers) {
  EventRecord& record = EventAccess::Record(args);
  HandlerFrame& frame = kernel_.Make<HandlerFrame>();
  frame.event = &record;
  frame.frame = co_await CurrentFrame{};
  co_await boundary_.Enter(frame);
  for (size_t i = 0; i < handlers.size(); ++i) {
    try {
      co_await handlers[i](args);
    } catch (const std::exception& error) {
      boundary_.CatchEscaped(record, error.what());
    }
  }
  boundary_.Exit(frame);
  NoteReturned(record);
  CheckDroppedDeferral(record);
  FinishIfDone(record);
}

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_EVENTS_H_
