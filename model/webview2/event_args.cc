// The app's side of events and deferrals (event_args.h): what an args object and a deferral do,
// each through the runtime's record of its event (internal/events.h).
#include "model/webview2/event_args.h"

#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::EventAccess;

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

void NewWindowRequestedEventArgs::SetNewWindow(CoreWebView2* window) {
  EventAccess::Record(*this).core->navigation.SetNewWindow(*this, window);
}

const std::string& WebMessageReceivedEventArgs::TryGetWebMessageAsString() const {
  if (is_json) {
    throw ComException(kEInvalidArg,
                       "WebMessageReceivedEventArgs.TryGetWebMessageAsString of a "
                       "JSON message");
  }
  return message;
}

std::string WebMessageReceivedEventArgs::WebMessageAsJson() const {
  if (is_json) return message;
  std::string json = "\"";
  for (const char c : message) {
    if (c == '"' || c == '\\') json += '\\';
    json += c;
  }
  return json + "\"";
}

}  // namespace wvsim::model::webview2
