// CoreWebView2Frame's host objects (frames.h, docs/webview2-rules.md W17; WR:
// ICoreWebView2Frame AddHostObjectToScriptWithOrigins, RemoveHostObjectFromScript): the app's
// objects a frame's scripts call, each for a list of origins that the frame's document must have
// at the call (internal/host_calls.cc makes the calls).
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/webview2/frames.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::FrameRecord;

namespace {

// After the call's scheduling point: the thread check (W3), a crashed browser (W12) and a frame
// that is gone (W15), as for the frame's other calls.
void CheckFrameCall(const CoreWebView2Frame& handle, const FrameRecord& frame, const char* api) {
  const internal::WebViewRecord& webview = *frame.webview;
  webview.core->CheckThread(webview.owner, handle, api, "W3");
  webview.core->faults.CheckAlive(webview, api);
  if (frame.destroyed) {
    throw ComException(kErrorInvalidState, absl::StrCat(api, " on a destroyed frame"));
  }
}

}  // namespace

sim::Task<> CoreWebView2Frame::AddHostObjectToScriptWithOrigins(std::string_view name,
                                                                HostObject& object,
                                                                std::vector<std::string> origins) {
  static constexpr char kApi[] = "CoreWebView2Frame.AddHostObjectToScriptWithOrigins";
  co_await record_->webview->core->kernel.Yield({"Frame.AddHostObjectToScriptWithOrigins", this});
  CheckFrameCall(*this, *record_, kApi);
  // WR: the origins are normalized before they are compared with the document's; a malformed
  // one fails the call.
  for (std::string& origin : origins) {
    std::string normalized = internal::NormalizedOrigin(origin);
    if (normalized.empty()) {
      throw ComException(kEInvalidArg, absl::StrCat(kApi, ": malformed origin '", origin, "'"));
    }
    origin = std::move(normalized);
  }
  for (FrameRecord::HostObjectEntry& entry : record_->host_objects) {
    if (entry.name != name) continue;
    // WR: the same name again replaces the object and its origins.
    entry.object = &object;
    entry.origins = std::move(origins);
    co_return;
  }
  record_->host_objects.push_back(
      {.name = std::string(name), .object = &object, .origins = std::move(origins)});
}

sim::Task<> CoreWebView2Frame::RemoveHostObjectFromScript(std::string_view name) {
  co_await record_->webview->core->kernel.Yield({"Frame.RemoveHostObjectFromScript", this});
  CheckFrameCall(*this, *record_, "CoreWebView2Frame.RemoveHostObjectFromScript");
  std::vector<FrameRecord::HostObjectEntry>& objects = record_->host_objects;
  for (auto it = objects.begin(); it != objects.end(); ++it) {
    if (it->name != name) continue;
    objects.erase(it);
    co_return;
  }
}

}  // namespace wvsim::model::webview2
