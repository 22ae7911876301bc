// A renderer that hangs (docs/webview2-rules.md W12): the browser reports RenderProcessUnresponsive
// 15 s after the hang and every 15 s while it lasts; the hang ends when a Reload or navigation
// terminates the renderer (processes.cc), or by itself after a number of reports the scheduler
// picks when it starts. While hung the renderer runs nothing: what it is sent waits in
// `RendererProcess::held` (renderer_dispatch.cc) and runs, in the order it came, when the hang
// ends, so the page goes on where it stopped.
//
// Determinism: one recorded `fault` choice per hang.
#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/faults.h"

namespace wvsim::model::webview2::internal {

namespace {

// The browser's hang detector: a delayed message on the browser thread (W12, every 15 s).
Task<> UnresponsiveCheck(Faults& faults, RendererProcess& renderer) {
  faults.ReportUnresponsive(renderer);
  co_return;
}

void ArmUnresponsiveCheck(sim::Kernel& kernel, Faults& faults, RendererProcess& renderer) {
  Faults* self = &faults;
  RendererProcess* process = &renderer;
  kernel.PostDelayed(renderer.browser->thread, kUnresponsiveReportTicks, "hung renderer check",
                     [self, process] { return UnresponsiveCheck(*self, *process); });
}

}  // namespace

void Faults::HangRenderer(RendererProcess& renderer) {
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
    core_.calls.NoteHeldUpBy(
        renderer, absl::StrCat("renderer process ", renderer.thread.name(),
                               " hangs (RenderProcessUnresponsive, W12) and will not run it; a "
                               "Reload would terminate it"));
  }
  ArmUnresponsiveCheck(kernel_, *this, renderer);
}

void Faults::ReportUnresponsive(RendererProcess& renderer) {
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
  for (WebViewRecord* webview : renderer.browser->webviews) {
    if (webview->renderer != &renderer) continue;
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessUnresponsive,
                         ProcessFailedReason::kUnresponsive, kStillActiveExitCode);
  }
  // W12: again about every 15 s while it stays hung (up to the model's limit, processes.h), and
  // once more to end a hang that ends after the last report.
  if (renderer.unresponsive_reports < kUnresponsiveReportsMax ||
      renderer.unresponsive_reports == renderer.hang_ends_after_reports) {
    ArmUnresponsiveCheck(kernel_, *this, renderer);
  }
}

void Faults::EndRendererHang(RendererProcess& renderer) {
  renderer.hung = false;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: renderer process ", renderer.thread.name(), " of ",
                             renderer.site, " responds again after ", renderer.unresponsive_reports,
                             " unresponsive report(s); it runs the ", renderer.held.size(),
                             " message(s) it held, in order"));
  }
  // A message of its own, behind whatever else is queued for it: the first message it dispatches
  // runs the held work first (RendererDispatch), so nothing overtakes what it was sent earlier.
  core_.processes.SendHandlerToRenderer(renderer, "hang ends", nullptr);
}

}  // namespace wvsim::model::webview2::internal
