// The WinForms WebView2 control (Microsoft.Web.WebView2.WinForms.WebView2) over the WebView2
// model (docs/framework-rules.md F11): EnsureCoreWebView2Async starts the environment and the
// controller on the control's UI thread and every call returns the same task; the CoreWebView2
// property is null until that completed, so code that reaches it earlier dereferences null
// (NullReferenceException); Dispose closes the controller (W14). ExecuteScriptAsync is the .NET
// wrapper's Task: whether a script pending at Dispose still completes is a recorded choice (the
// documentation does not say; docs/framework-rules.md F11).
#ifndef WVSIM_MODEL_FRAMEWORK_WEBVIEW2_CONTROL_H_
#define WVSIM_MODEL_FRAMEWORK_WEBVIEW2_CONTROL_H_

#include <string>
#include <vector>

#include "model/framework/net_task.h"
#include "model/webview2/runtime.h"
#include "sim/kernel.h"
#include "sim/object.h"
#include "sim/task.h"
#include "sim/thread.h"

namespace wvsim::model::framework {

class WebView2Control final : public sim::Object {
 public:
  WebView2Control(webview2::Runtime& runtime, sim::Thread ui, std::string name)
      : sim::Object(std::move(name)), runtime_(runtime), ui_(ui) {}

  // A scheduling point; the first call posts the initialisation to the UI thread.
  sim::Task<NetTask<void>> EnsureCoreWebView2Async();
  // WebView2.CoreWebView2: null before initialisation completed.
  webview2::CoreWebView2* CoreWebView2() const { return webview_; }
  bool IsDisposed() const { return disposed_; }
  // webView21.CoreWebView2.ExecuteScriptAsync(script) as a .NET Task (the control must be
  // initialised: before that CoreWebView2 is null and this throws NullReferenceException).
  sim::Task<NetTask<std::string>> ExecuteScriptAsync(std::string script);
  // Control.Dispose on the UI thread: Controller.Close (W14).
  sim::Task<> Dispose();

 private:
  sim::Task<> Initialize(sim::Promise<void> ready);
  // A script's Task: completed from the WebView2 call's completion unless dropped at Dispose.
  struct ScriptTask {
    sim::Promise<std::string> task;
    bool dropped = false;
  };

  webview2::Runtime& runtime_;
  sim::Thread ui_;
  NetTask<void> initialization_;
  bool started_ = false;
  bool disposed_ = false;
  webview2::Controller* controller_ = nullptr;
  webview2::CoreWebView2* webview_ = nullptr;
  std::vector<ScriptTask*> scripts_;  // in call order
};

}  // namespace wvsim::model::framework

#endif  // WVSIM_MODEL_FRAMEWORK_WEBVIEW2_CONTROL_H_
