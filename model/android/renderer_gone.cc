// A16: the renderer process dies (a crash, or the system killing it), as a fault within the
// scenario's fault budget; WebViewClient.onRenderProcessGone on the UI thread; the app process
// dying with it when no WebView handled it, or when the renderer runs inside the app's process
// (devices before API 26).
#include <string>

#include "absl/strings/str_cat.h"
#include "model/android/renderer.h"
#include "model/android/webview.h"
#include "sim/assert.h"
#include "sim/scenario.h"

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;

namespace {

// One fault of the budget: at a step the scheduler picks, nothing, a renderer crash or a renderer
// kill; then which live renderer, when there are several.
Task<> RendererFaultInjector(AndroidRuntime& runtime) {
  Kernel& kernel = runtime.kernel();
  co_await kernel.Yield({"inject_fault", nullptr});
  std::vector<Renderer*> live;
  for (Renderer* renderer : runtime.renderers()) {
    if (!renderer->gone()) live.push_back(renderer);
  }
  if (live.empty()) co_return;
  const uint32_t fault = kernel.Choose(sim::ChoiceKind::kFault, 3,
                                       "no fault, a renderer crash or a renderer kill (A16)");
  if (fault == 0) co_return;
  Renderer* target = live.front();
  if (live.size() > 1) {
    target = live[kernel.Choose(sim::ChoiceKind::kFault, static_cast<uint32_t>(live.size()),
                                "which renderer dies (A16)")];
  }
  co_await target->Gone(/*did_crash=*/fault == 1);
}

Task<> ThrowOnUi(JavaException error) {
  throw error;
  co_return;
}

}  // namespace

void AndroidRuntime::AddRenderer(Renderer& renderer) {
  renderers_.push_back(&renderer);
  if (renderers_.size() > 1) return;
  const int64_t budget = kernel_->Param(sim::kFaultBudgetParam, 0);
  // A failed spawn (the thread limit) has stopped the run with a configuration error: stop too.
  for (int64_t i = 0; i < budget; ++i) {
    if (!kernel_->Spawn("faults", RendererFaultInjector(*this)).valid()) break;
  }
}

Task<> Renderer::Gone(bool did_crash) {
  WVSIM_ASSERT(!gone_);
  gone_ = true;
  Log(did_crash ? "the renderer process crashed" : "the renderer process was killed");
  // The page stops where it is: a wait of its JavaScript thread ends without a value.
  if (waiting_reply_.has_value() && !waiting_reply_->done()) waiting_reply_->Set(BridgeReply{});
  if (waiting_answer_.has_value() && !waiting_answer_->done()) waiting_answer_->Set(JsAnswer{});
  AndroidRuntime& runtime = *runtime_;
  Kernel& kernel = runtime.kernel();
  Looper* ui = runtime.ui_looper();
  WVSIM_ASSERT(ui != nullptr);
  if (!runtime.renderer_out_of_process()) {
    // Before API 26 the renderer runs in the app's own process: the app dies with it.
    JavaException error(
        "native crash",
        absl::StrCat("the renderer runs in the app's process on API ", runtime.device_sdk(),
                     " (before 26), and the app dies with it"),
        "A16");
    Runnable die = [error] { return ThrowOnUi(error); };
    co_await kernel.Post(ui->thread(), "renderer died in-process", std::move(die));
    co_return;
  }
  WebView* view = view_;
  Runnable report = [view, did_crash] { return WebView::RenderProcessGone(view, did_crash); };
  co_await kernel.Post(ui->thread(), "onRenderProcessGone", std::move(report));
}

Task<> WebView::RenderProcessGone(WebView* view, bool did_crash) {
  // AwBrowserTerminator: every WebView of the dead renderer is asked; a destroyed one is no longer
  // associated with it. When one does not handle it, the app process dies.
  if (view->destroyed_) co_return;
  view->gone_reported_ = true;
  AndroidRuntime& runtime = *view->runtime_;
  bool handled = false;
  if (view->client_ != nullptr) {
    runtime.BeginCallback(*runtime.ui_looper(), "WebViewClient.onRenderProcessGone");
    RenderProcessGoneDetail detail{.did_crash = did_crash};
    handled = co_await view->client_->OnRenderProcessGone(*view, detail);
    runtime.EndCallback();
  }
  if (handled) co_return;
  const std::string text =
      did_crash ? "Render process's crash wasn't handled by all associated webviews, triggering "
                  "application crash."
                : "Render process's kill wasn't handled by all associated webviews, killing "
                  "application.";
  throw JavaException("native crash (FATAL)", text, "A16");
}

}  // namespace wvsim::model::android
