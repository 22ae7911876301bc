// CoreWebView2Settings, as the app holds it (CoreWebView2::get_Settings; docs/webview2-rules.md
// W3, W9.3): a thin handle on the WebView's record. The model has the one setting its rules read,
// AreDefaultScriptDialogsEnabled. Like every WebView call, each access is a scheduling point,
// then the thread check (W3: from the UI thread).
#ifndef WVSIM_MODEL_WEBVIEW2_SETTINGS_H_
#define WVSIM_MODEL_WEBVIEW2_SETTINGS_H_

#include "sim/task.h"

namespace wvsim::model::webview2 {

class CoreWebView2;

namespace internal {
struct WebViewRecord;
}  // namespace internal

class CoreWebView2Settings {
 public:
  CoreWebView2Settings(CoreWebView2* webview, internal::WebViewRecord* record)
      : webview_(webview), record_(record) {}

  // W9.3: true (the default): a page's alert, confirm and prompt show the browser's own dialog,
  // which waits for the user; false: ScriptDialogOpening is raised instead. Read when a
  // navigation starts: a change applies to the documents loaded after it.
  sim::Task<bool> get_AreDefaultScriptDialogsEnabled();
  sim::Task<> put_AreDefaultScriptDialogsEnabled(bool enabled);

 private:
  CoreWebView2* webview_;
  internal::WebViewRecord* record_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_SETTINGS_H_
