// A renderer that hangs (docs/webview2-rules.md W12): the browser reports RenderProcessUnresponsive
// 15 s after the hang and every 15 s while it lasts; the hang ends when a Reload or navigation
// terminates the renderer (processes.cc), or by itself after a number of reports the scheduler
// picks when it starts. While hung the renderer runs nothing: what it is sent waits in
// `RendererProcess::held` and runs, in the order it came, when the hang ends, so the page goes
// on where it stopped.
//
// Determinism: one recorded `fault` choice per hang; held work is a vector in dispatch order.
#include "absl/strings/str_cat.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2 {

namespace {

// The browser's hang detector: a delayed message on the browser thread (W12, every 15 s).
Task<> UnresponsiveCheck(Runtime& rt, RendererProcess& renderer) {
  rt.ReportUnresponsive(renderer);
  co_return;
}

void ArmUnresponsiveCheck(Runtime& rt, RendererProcess& renderer) {
  Runtime* self = &rt;
  RendererProcess* process = &renderer;
  rt.kernel().PostDelayed(renderer.browser->thread, kUnresponsiveReportTicks, "hung renderer check",
                          [self, process] { return UnresponsiveCheck(*self, *process); });
}

// Runs what the renderer held while it hung, oldest first, until it hangs again or dies.
Task<> RunHeldWork(RendererProcess& renderer) {
  while (!renderer.held.empty() && renderer.responsive()) {
    absl::AnyInvocable<Task<>()> work = std::move(renderer.held.front());
    renderer.held.erase(renderer.held.begin());
    co_await work();
  }
}

// Every message to a renderer goes through here: a hung renderer holds it; one whose hang ended
// first runs what it held, so the order in which it was sent work is the order it does it.
Task<> RendererDispatch(RendererProcess& renderer, absl::AnyInvocable<Task<>()> work) {
  if (renderer.hung && !renderer.dead()) {
    if (work) renderer.held.push_back(std::move(work));
    co_return;
  }
  if (!renderer.held.empty()) co_await RunHeldWork(renderer);
  if (work) co_await work();
}

}  // namespace

void Runtime::SendHandlerToRenderer(RendererProcess& renderer, sim::MessageLabel label,
                                    absl::AnyInvocable<Task<>()> work) {
  RendererProcess* process = &renderer;
  Send(renderer.thread, std::move(label), [process, work = std::move(work)]() mutable {
    return RendererDispatch(*process, std::move(work));
  });
}

void Runtime::HangRenderer(RendererProcess& renderer) {
  renderer.hung = true;
  renderer.unresponsive_reports = 0;
  // W12: a hang may end by itself; how many 15 s reports it lasts is the scheduler's. Option 0
  // (the first option's runs) is the hang that lasts until the renderer is terminated.
  renderer.hang_ends_after_reports = static_cast<int>(
      kernel_.Choose(sim::ChoiceKind::kFault, kUnresponsiveReportsMax + 1,
                     "W12: the renderer hang lasts until terminated, or ends by itself after "
                     "this many unresponsive reports"));
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: renderer process ", renderer.thread.name(), " of ",
                             renderer.site, " hangs: it handles nothing until it is terminated",
                             renderer.hang_ends_after_reports == 0
                                 ? std::string()
                                 : absl::StrCat(" or its hang ends by itself after ",
                                                renderer.hang_ends_after_reports, " report(s)")));
    for (const Pending& pending : pending_) {
      if (pending.producer != renderer.thread || pending.future->done()) continue;
      pending.future->SetProducer(
          Thread(), absl::StrCat("renderer process ", renderer.thread.name(),
                                 " hangs (RenderProcessUnresponsive, W12) and will not run it; a "
                                 "Reload would terminate it"));
    }
  }
  ArmUnresponsiveCheck(*this, renderer);
}

void Runtime::ReportUnresponsive(RendererProcess& renderer) {
  if (!renderer.hung || renderer.dead()) return;  // terminated, or its browser died
  if (renderer.hang_ends_after_reports > 0 &&
      renderer.unresponsive_reports == renderer.hang_ends_after_reports) {
    EndRendererHang(renderer);  // W12: it responds again before this check
    return;
  }
  ++renderer.unresponsive_reports;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: renderer process ", renderer.thread.name(),
                             " is unresponsive (ProcessFailed kind RenderProcessUnresponsive, "
                             "reason Unresponsive), report ",
                             renderer.unresponsive_reports));
  }
  for (CoreWebView2* webview : renderer.browser->webviews) {
    if (webview->renderer() != &renderer) continue;
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessUnresponsive,
                         ProcessFailedReason::kUnresponsive, kStillActiveExitCode);
  }
  // W12: again about every 15 s while it stays hung (up to the model's limit, processes.h), and
  // once more to end a hang that ends after the last report.
  if (renderer.unresponsive_reports < kUnresponsiveReportsMax ||
      renderer.unresponsive_reports == renderer.hang_ends_after_reports) {
    ArmUnresponsiveCheck(*this, renderer);
  }
}

void Runtime::EndRendererHang(RendererProcess& renderer) {
  renderer.hung = false;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: renderer process ", renderer.thread.name(), " of ",
                             renderer.site, " responds again after ", renderer.unresponsive_reports,
                             " unresponsive report(s); it runs the ", renderer.held.size(),
                             " message(s) it held, in order"));
  }
  // A message of its own, behind whatever else is queued for it: the first message it dispatches
  // runs the held work first (RendererDispatch), so nothing overtakes what it was sent earlier.
  SendToRenderer(renderer, "hang ends", nullptr);
}

}  // namespace wvsim::model::webview2
