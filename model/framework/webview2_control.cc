#include "model/framework/webview2_control.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/model_port.h"

namespace wvsim::model::framework {

sim::Task<NetTask<void>> WebView2Control::EnsureCoreWebView2Async() {
  co_await runtime_.kernel().Yield({"EnsureCoreWebView2Async", this});
  if (!started_) {
    started_ = true;
    const sim::Promise<void> ready =
        runtime_.kernel().MakePromise<void>(absl::StrCat(name(), ".EnsureCoreWebView2Async"));
    ready.SetProducer(ui_, "the WebView2 control initialises on its UI thread (W6)");
    initialization_ = NetTask<void>(ready.future());
    sim::ModelPort(runtime_.kernel())
        .Send(ui_, "EnsureCoreWebView2Async", [this, ready] { return Initialize(ready); });
  }
  co_return initialization_;
}

sim::Task<> WebView2Control::Initialize(sim::Promise<void> ready) {
  std::exception_ptr error;
  try {
    webview2::EnvironmentOptions options;
    webview2::Async<webview2::Environment*> env_op =
        co_await runtime_.CreateCoreWebView2EnvironmentAsync(std::move(options));
    webview2::Environment* environment = co_await env_op;
    webview2::Async<webview2::Controller*> controller_op =
        co_await environment->CreateCoreWebView2ControllerAsync();
    controller_ = co_await controller_op;
    if (!disposed_) webview_ = &controller_->CoreWebView2();
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    ready.Fail(error);
  } else {
    ready.Set();
  }
}

sim::Task<> WebView2Control::Dispose() {
  if (disposed_) co_return;
  disposed_ = true;
  webview_ = nullptr;
  if (controller_ != nullptr) co_await controller_->Close();
}

}  // namespace wvsim::model::framework
