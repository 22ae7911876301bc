#include "model/framework/webview2_control.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/framework/exceptions.h"
#include "model/framework/internal/on_completion.h"
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
    sim::ModelPort(runtime_.kernel()).Send(ui_, "EnsureCoreWebView2Async", [this, ready] {
      return Initialize(ready);
    });
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
    if (disposed_) {
      co_await controller_->Close();  // disposed while it initialised: closed at once
    } else {
      webview_ = &controller_->CoreWebView2();
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    ready.Fail(error);
  } else {
    ready.Set();
  }
}

sim::Task<NetTask<std::string>> WebView2Control::ExecuteScriptAsync(std::string script) {
  webview2::Async<std::string> op = co_await Deref(webview_).ExecuteScriptAsync(script);
  sim::Kernel& kernel = runtime_.kernel();
  ScriptTask& relay = kernel.Make<ScriptTask>();
  relay.task = kernel.MakePromise<std::string>(absl::StrCat("ExecuteScriptAsync(", script, ")"));
  relay.task.SetProducer(op.future().state().Blocker(),
                         absl::StrCat("it completes with ", op.name(), ", which is not complete"));
  scripts_.push_back(&relay);
  const sim::Future<std::string> call = op.future();
  internal::WhenDone(kernel, call.state(), [&relay, call] {
    if (relay.dropped) return;
    try {
      relay.task.Set(call.Get());
    } catch (...) {
      relay.task.Fail(std::current_exception());
    }
  });
  co_return NetTask<std::string>(relay.task.future());
}

sim::Task<> WebView2Control::Dispose() {
  if (disposed_) co_return;
  disposed_ = true;
  webview_ = nullptr;
  // F11, W14: no document says whether a call pending at Close still completes: each one does,
  // or never does, as the scheduler chooses.
  sim::Kernel& kernel = runtime_.kernel();
  for (ScriptTask* relay : scripts_) {
    if (relay->task.done()) continue;
    const std::string label =
        kernel.traced() ? absl::StrCat("F11: ", relay->task.future().name(),
                                       " pending at Dispose completes (0) or never does (1)")
                        : std::string();
    if (kernel.Choose(sim::ChoiceKind::kValue, 2, label) == 1) {
      relay->dropped = true;
      relay->task.SetProducer(sim::Thread(),
                              "the WebView2 control was disposed (Controller.Close, W14) while "
                              "it was pending, and its completion never arrives (F11)");
    }
  }
  if (controller_ != nullptr) co_await controller_->Close();
}

}  // namespace wvsim::model::framework
