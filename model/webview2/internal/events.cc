// The life of a raised event (events.h): its record, the moment its handler counts as returned,
// its deferral (W8), and when it finishes (W9).
#include "model/webview2/internal/events.h"

#include "absl/strings/str_cat.h"
#include "model/verdicts.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2::internal {

EventRecord& Events::NewRecord(EventArgs& args, const sim::Object& source, sim::Thread owner,
                               const char* event) {
  EventRecord& record = kernel_.Make<EventRecord>();
  record.core = &core_;
  record.args = &args;
  record.source = &source;
  record.owner = owner;
  record.type_name = event;
  if (kernel_.traced()) record.name = names_.Next(event);
  EventAccess::Bind(args, record);
  return record;
}

void Events::FinishIfDone(EventRecord& event) {
  if (event.finished || !event.handler_returned) return;
  if (event.deferral != nullptr && event.deferral->completions == 0 &&
      !TestOnlyPlantedDefects().finish_event_with_open_deferral) {
    return;
  }
  event.finished = true;
  if (event.deferral == nullptr) CountDeferralFeature(event, DeferralFeature::kNone);
  if (event.on_finish) event.on_finish();
}

void Events::NoteReturned(EventRecord& event) {
  if (event.handler_returned) return;
  event.handler_returned = true;
  RunOnReturned(event);
}

void Events::RunOnReturned(EventRecord& event) {
  // Once: what the runtime reads synchronously is read at the first of these moments (W9).
  absl::AnyInvocable<void()> read = std::move(event.on_returned);
  event.on_returned = nullptr;
  if (read) read();
}

void Events::CountDeferralFeature(const EventRecord& event, DeferralFeature state) {
  // Fuzzer feedback: the W9 item identifies the kind of event, whatever its per-run number.
  port_.CountFeature(event.rule, static_cast<uint64_t>(state));
}

void Events::CheckDroppedDeferral(const EventRecord& event) {
  const DeferralRecord* deferral = event.deferral;
  if (deferral == nullptr || deferral->completions > 0 || deferral->handles > 0) return;
  CountDeferralFeature(event, DeferralFeature::kDropped);
  kernel_.Fail(WebViewVerdict::kDeferralLeak, absl::StrCat(event.Name(), " deferral"),
               absl::StrCat("W8: the deferral of ", event.Name(),
                            " was dropped without Complete when its handler returned (an "
                            "exception skipped Complete, or it was forgotten). Until the garbage "
                            "collector disposes it, an unbounded later time, the WebView waits: ",
                            event.rule, " holds up ", event.holds_up,
                            ". Use a scoped deferral (C# using, C++ RAII)."));
}

Deferral Events::GetDeferral(EventRecord& event) {
  core_.CheckThread(event.owner, *event.source, "GetDeferral", "W3");
  // W9.4: what must be set before a deferral is taken (a frame handler's Handled) is read now.
  RunOnReturned(event);
  if (event.deferral == nullptr) {
    event.deferral = &kernel_.Make<DeferralRecord>();
    event.deferral->event = &event;
    deferrals_.push_back(event.deferral);
  }
  return EventAccess::MakeDeferral(event.deferral);
}

void Events::CompleteDeferral(DeferralRecord& deferral) {
  EventRecord& event = *deferral.event;
  // FB#376: Deferral.Complete is bound to the UI thread like every other call (W3).
  core_.CheckThread(event.owner, *event.source, "Deferral.Complete", "W3");
  CountDeferralFeature(event, deferral.completions > 0 ? DeferralFeature::kCompletedTwice
                              : event.handler_returned ? DeferralFeature::kCompletedAfterReturn
                                                       : DeferralFeature::kCompletedInHandler);
  if (deferral.completions++ > 0) {
    kernel_.Fail(WebViewVerdict::kDeferralDoubleComplete, absl::StrCat(event.Name(), " deferral"),
                 absl::StrCat("W8: the deferral of ", event.Name(),
                              " was completed twice (the runtime's behaviour is unconfirmed)"));
    return;
  }
  FinishIfDone(event);
}

std::optional<sim::Violation> Events::CheckDeferrals() const {
  for (const DeferralRecord* deferral : deferrals_) {
    if (deferral->completions > 0) continue;
    const EventRecord& event = *deferral->event;
    return sim::Violation{
        WebViewVerdict::kDeferralLeak, absl::StrCat(event.Name(), " deferral"),
        absl::StrCat("W8: the deferral of ", event.Name(), " taken in its handler on thread ",
                     event.owner.name(), " was never completed; ", event.rule, " holds up ",
                     event.holds_up, " until it is")};
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2::internal
