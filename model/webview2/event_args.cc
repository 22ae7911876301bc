// The app's side of events and deferrals (event_args.h): what an args object and a deferral do,
// each through the runtime's record of its event (internal/events.h).
#include "model/webview2/event_args.h"

#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::EventAccess;

sim::Task<> AccessArgs(const EventArgs& args, const char* verb) {
  internal::EventRecord& record = EventAccess::Record(args);
  const sim::Op op{verb, record.source};
  co_await record.core->kernel.Yield(op);
  record.core->CheckArgsThread(record, verb);
}

Deferral EventArgs::GetDeferral() {
  internal::EventRecord& record = EventAccess::Record(*this);
  return record.core->events.GetDeferral(record);
}

const char* EventArgs::Name() const { return EventAccess::Record(*this).Name(); }

Deferral::Deferral(internal::DeferralRecord* state) : state_(state) { ++state_->handles; }

Deferral::Deferral(const Deferral& other) : state_(other.state_) {
  if (state_ != nullptr) ++state_->handles;
}

Deferral::~Deferral() {
  if (state_ != nullptr) --state_->handles;
}

void Deferral::Complete() {
  if (state_ == nullptr) throw ComException(kEFail, "Deferral.Complete on an empty deferral");
  state_->event->core->events.CompleteDeferral(*state_);
}

bool Deferral::completed() const { return state_ != nullptr && state_->completions > 0; }

sim::Task<> NewWindowRequestedEventArgs::SetNewWindow(CoreWebView2* window) {
  co_await AccessArgs(*this, "put_NewWindow");
  EventAccess::Record(*this).core->navigation.SetNewWindow(*this, window);
}

sim::Task<CoreWebView2*> NewWindowRequestedEventArgs::NewWindow() const {
  co_await AccessArgs(*this, "get_NewWindow");
  co_return new_window_;
}

sim::Task<> DeferrableEventArgs::Accept() {
  co_await AccessArgs(*this, "Accept");
  EventAccess::Value(accepted) = true;
}

sim::Task<std::string> WebMessageReceivedEventArgs::TryGetWebMessageAsString() const {
  co_await AccessArgs(*this, "TryGetWebMessageAsString");
  if (is_json_) {
    throw ComException(kEInvalidArg,
                       "WebMessageReceivedEventArgs.TryGetWebMessageAsString of a "
                       "JSON message");
  }
  co_return message_;
}

sim::Task<std::string> WebMessageReceivedEventArgs::WebMessageAsJson() const {
  co_await AccessArgs(*this, "get_WebMessageAsJson");
  if (is_json_) co_return message_;
  std::string json = "\"";
  for (const char c : message_) {
    if (c == '"' || c == '\\') json += '\\';
    json += c;
  }
  co_return json + "\"";
}

}  // namespace wvsim::model::webview2
