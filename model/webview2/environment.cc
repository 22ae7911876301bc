// The environment and the app's windows (environment.h): controller creation (W3, W6, W11) and
// DestroyWindow's synchronous abort (W6).
#include "model/webview2/environment.h"

#include "model/webview2/controller.h"
#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::BrowserProcess;
using internal::Core;
using internal::EnvironmentRecord;
using internal::HandleAccess;
using internal::WebViewRecord;
using sim::Promise;
using sim::Task;
using sim::Thread;

namespace {

Task<> BrowserCreateController(Core& core, EnvironmentRecord& env, Thread caller,
                               Promise<Controller*> done) {
  BrowserProcess& browser = *env.browser;
  if (browser.dead()) co_return;
  const std::string id = core.names.Next("CoreWebView2");
  WebViewRecord& record = core.kernel.Make<WebViewRecord>();
  record.core = &core;
  record.env = &env;
  record.owner = caller;
  CoreWebView2& webview = core.kernel.Make<CoreWebView2>(id, &record);
  record.handle = &webview;
  Controller& controller = core.kernel.Make<Controller>(id + " controller", &webview);
  browser.webviews.push_back(&record);
  ++browser.webviews_open;
  core.calls.Complete(caller, done, &controller);
  co_return;
}

}  // namespace

Task<Async<Controller*>> Environment::CreateCoreWebView2ControllerAsync(Window* parent) {
  Core& core = *record_->core;
  co_await core.kernel.Yield({"CreateCoreWebView2Controller", this});
  core.CheckThread(record_->owner, *this, "CreateCoreWebView2ControllerAsync", "W3");
  const Thread caller = core.kernel.Current();
  BrowserProcess& browser = *record_->browser;
  const Promise<Controller*> done =
      core.calls.NewOp<Controller*>("CreateCoreWebView2Controller", caller, browser, browser.thread,
                                    internal::Completion::kMustFinish);
  core.calls.SetParent(done.future().state(), parent);
  Core* runtime = &core;
  EnvironmentRecord* env = record_;
  internal::Send(core.port, browser.thread, "CreateController", [runtime, env, caller, done] {
    return BrowserCreateController(*runtime, *env, caller, done);
  });
  co_return Async<Controller*>(&core, done.future());
}

Task<> Environment::add_BrowserProcessExited(Handler<BrowserProcessExitedEventArgs> handler) {
  co_await record_->core->kernel.Yield({"add_BrowserProcessExited", this});
  record_->core->CheckThread(record_->owner, *this, "add_BrowserProcessExited", "W3");
  record_->browser_process_exited.push_back(std::move(handler));
}

Task<> Window::DestroyWindow() {
  co_await core_->kernel.Yield({"DestroyWindow", this});
  destroyed_ = true;
  core_->calls.AbortCreationsOn(*this);
}

}  // namespace wvsim::model::webview2
