// CoreWebView2Settings (settings.h): the app's settings live in the WebView's record; a
// navigation reads them when it starts (internal/navigation.cc, W9.3).
#include "model/webview2/settings.h"

#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

sim::Task<bool> CoreWebView2Settings::get_AreDefaultScriptDialogsEnabled() {
  internal::Core& core = *record_->core;
  co_await core.kernel.Yield({"get_AreDefaultScriptDialogsEnabled", webview_});
  core.CheckThread(record_->owner, *webview_, "CoreWebView2Settings.AreDefaultScriptDialogsEnabled",
                   "W3");
  co_return record_->default_script_dialogs;
}

sim::Task<> CoreWebView2Settings::put_AreDefaultScriptDialogsEnabled(bool enabled) {
  internal::Core& core = *record_->core;
  co_await core.kernel.Yield({"put_AreDefaultScriptDialogsEnabled", webview_});
  core.CheckThread(record_->owner, *webview_, "CoreWebView2Settings.AreDefaultScriptDialogsEnabled",
                   "W3");
  record_->default_script_dialogs = enabled;
}

}  // namespace wvsim::model::webview2
