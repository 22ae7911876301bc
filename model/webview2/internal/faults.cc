// Faults and process exits (faults.h, docs/webview2-rules.md W12..W16): the fault injector
// (which hits any live browser), browser and renderer crashes (the reason of an exit is chosen in
// process_failed.cc; renderer hangs are in renderer_hangs.cc), GPU and utility exits that recover
// by themselves and their hangs (the work they redo or leave undone is in
// auxiliary_processes.cc), Close (explicit and by the last reference), and what happens to calls
// pending on a process that died (W15, calls.cc).
#include "model/webview2/internal/faults.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "model/webview2/hresult.h"
#include "model/webview2/internal/core.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::internal {

using sim::Verdict;

void Faults::CheckAlive(const WebViewRecord& webview, const char* api) const {
  if (webview.closed)
    throw ComException(kErrorInvalidState, absl::StrCat(api, " after Close (W14)"));
  if (webview.browser().crashed) throw InvalidOperationException(kDotNetBrowserCrashedText);
}

namespace {

Task<> BrowserShutdown(Faults& faults, BrowserProcess& browser) {
  faults.ShutDownIfUnused(browser);
  co_return;
}

// One fault the injector can pick (W12). Listed in a fixed order: the browser, each live renderer
// crashing, each responsive renderer hanging, the GPU process, the utility process, ..., and
// last a process the model keeps no record of (process_failed.cc).
struct Fault {
  enum Kind : uint8_t {
    kBrowserCrash,
    kRendererCrash,
    kRendererHang,
    kGpuCrash,
    kUtilityCrash,
    kBrowserHang,
    kGpuHang,
    kUtilityHang,
    kOtherProcessExit
  };
  Kind kind = kBrowserCrash;
  RendererProcess* renderer = nullptr;
};

// Inline up to eight: a fault injection allocates nothing (an allocation costs more than a
// scheduling step under a fuzzer's AddressSanitizer).
using FaultList = absl::InlinedVector<Fault, 8>;

FaultList FaultsOf(const Processes& processes, const BrowserProcess& browser, FaultKinds kinds) {
  FaultList faults;
  if (kinds.browser_crash) faults.push_back({Fault::kBrowserCrash, nullptr});
  const Processes::Renderers renderers = processes.LiveRenderers(browser);
  if (kinds.renderer_crash) {
    for (RendererProcess* renderer : renderers) faults.push_back({Fault::kRendererCrash, renderer});
  }
  if (kinds.frame_renderer_crash && !kinds.renderer_crash) {
    for (RendererProcess* renderer : renderers) {
      if (!processes.RunsMainDocument(*renderer))
        faults.push_back({Fault::kRendererCrash, renderer});
    }
  }
  if (kinds.renderer_hang) {
    for (RendererProcess* renderer : renderers) {
      if (!renderer->hung) faults.push_back({Fault::kRendererHang, renderer});
    }
  }
  if (kinds.gpu_crash) faults.push_back({Fault::kGpuCrash, nullptr});
  if (kinds.utility_crash) faults.push_back({Fault::kUtilityCrash, nullptr});
  if (kinds.browser_hang) faults.push_back({Fault::kBrowserHang, nullptr});
  // Last, so that the options of schedules recorded before these kinds keep their numbers.
  if (kinds.gpu_hang && !browser.gpu.hung) faults.push_back({Fault::kGpuHang, nullptr});
  if (kinds.utility_hang && !browser.utility.hung) faults.push_back({Fault::kUtilityHang, nullptr});
  if (kinds.other_process_exit) faults.push_back({Fault::kOtherProcessExit, nullptr});
  return faults;
}

// Which auxiliary process a GPU or utility fault hits, as ProcessFailed names it (W12).
ProcessFailedKind AuxiliaryKindOf(Fault::Kind kind) {
  return kind == Fault::kGpuCrash || kind == Fault::kGpuHang
             ? ProcessFailedKind::kGpuProcessExited
             : ProcessFailedKind::kUtilityProcessExited;
}

Task<> FaultInjector(Core& core, FaultKinds kinds) {
  sim::Kernel& k = core.kernel;
  Faults& faults = core.faults;
  co_await k.Yield({"inject_fault", nullptr});  // the scheduler picks the step
  BrowserProcess* target = faults.FaultTarget();
  if (target == nullptr) co_return;
  // Option 0: no fault; then one per fault of FaultsOf. The default kinds keep the label the
  // first recorded schedules name (option 1: the browser; 2..: a renderer).
  const FaultList candidates = FaultsOf(core.processes, *target, kinds);
  const char* label = kinds == FaultKinds{} ? "no fault, a browser crash or a renderer crash (W12)"
                                            : "no fault, or which process fails and how (W12)";
  const uint32_t choice =
      k.Choose(sim::ChoiceKind::kFault, 1 + static_cast<uint32_t>(candidates.size()), label);
  if (choice == 0) co_return;
  const Fault& fault = candidates[choice - 1];
  switch (fault.kind) {
    case Fault::kBrowserCrash:
      faults.CrashBrowser(*target);
      break;
    case Fault::kRendererCrash:
      faults.CrashRenderer(*fault.renderer);
      break;
    case Fault::kRendererHang:
      faults.HangRenderer(*fault.renderer);
      break;
    case Fault::kGpuCrash:
    case Fault::kUtilityCrash:
      faults.CrashAuxiliaryProcess(*target, AuxiliaryKindOf(fault.kind));
      break;
    case Fault::kBrowserHang:
      faults.HangBrowser(*target);
      break;
    case Fault::kGpuHang:
    case Fault::kUtilityHang:
      faults.HangAuxiliaryProcess(*target, AuxiliaryKindOf(fault.kind));
      break;
    case Fault::kOtherProcessExit:
      faults.ExitOtherProcess(*target);
      break;
  }
}

}  // namespace

void Faults::CloseController(WebViewRecord& webview) {
  if (webview.closed) return;
  webview.closed = true;  // W14: every handler is dropped; no handler runs afterwards
  webview.DropHandlers();
  BrowserProcess& browser = webview.browser();
  if (--browser.webviews_open > 0 || browser.dead()) return;
  BrowserProcess* process = &browser;
  Send(port_, browser.thread, "shutdown",
       [this, process] { return BrowserShutdown(*this, *process); });
}

void Faults::ShutDownIfUnused(BrowserProcess& browser) {
  // W13: still in use. A creation the app sent before the last WebView closed keeps it too (the
  // model's reading): it attaches to the running browser, or fails with ERROR_INVALID_STATE when
  // its options differ, rather than reaching a process that exited and never completing.
  if (browser.dead() || browser.webviews_open > 0 || core_.calls.HasPendingCalls(browser)) return;
  browser.exited = true;
  RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kNormal);
}

ProcessFailedEventArgs* Faults::RaiseProcessFailedOn(WebViewRecord& webview, ProcessFailedKind kind,
                                                     ProcessFailedReason reason, int exit_code) {
  if (webview.closed || webview.process_failed.empty()) return nullptr;
  auto& args =
      core_.events.NewEventArgs<ProcessFailedEventArgs>(webview, "ProcessFailed", "", "W12");
  EventAccess::Value(args.kind) = kind;
  EventAccess::Value(args.reason) = reason;
  EventAccess::Value(args.exit_code) = exit_code;
  core_.events.RaiseEvent(args, webview.process_failed);
  return &args;
}

void Faults::RaiseProcessFailed(BrowserProcess& browser) {
  for (WebViewRecord* webview : browser.webviews) {
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kBrowserProcessExited,
                         ProcessFailedReason::kUnexpected, 1);
  }
}

void Faults::RaiseBrowserProcessExited(BrowserProcess& browser, BrowserProcessExitKind kind) {
  for (EnvironmentRecord* env : browser.environments) {
    if (env->browser_process_exited.empty()) continue;
    auto& args = core_.events.NewEnvironmentEventArgs<BrowserProcessExitedEventArgs>(
        *env, "BrowserProcessExited");
    EventAccess::Value(args.kind) = kind;
    core_.events.RaiseEvent(args, env->browser_process_exited);
  }
}

void Faults::EnableFaults(FaultKinds kinds) {
  // W11: the GPU and utility processes become threads only when their faults can happen (or
  // kAuxiliaryThreadsParam forces them): a reduction that keeps fault-free runs fast and their
  // recorded schedules, at the cost of some orderings (auxiliary_processes.cc says which).
  if (kinds.auxiliary()) core_.processes.EnableAuxiliaryThreads();
  const int64_t budget = kernel_.Param(sim::kFaultBudgetParam, 0);
  // A failed spawn (the thread limit) has stopped the run with a configuration error: stop too.
  for (int64_t i = 0; i < budget; ++i) {
    if (!kernel_.Spawn("faults", FaultInjector(core_, kinds)).valid()) break;
  }
}

BrowserProcess* Faults::FaultTarget() {
  // W12 ("any process can crash or hang"): any live browser, in folder order. With one there is
  // nothing to choose, so the schedules recorded when only the first was a target still replay.
  const Processes::Browsers live = core_.processes.LiveBrowsers();
  if (live.size() <= 1) return live.empty() ? nullptr : live.front();
  const uint32_t pick = kernel_.Choose(sim::ChoiceKind::kFault, static_cast<uint32_t>(live.size()),
                                       "which browser process (by user data folder) fails (W12)");
  return live[pick];
}

void Faults::CrashBrowser(BrowserProcess& browser) {
  browser.crashed = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: browser process ", browser.thread.name(),
                             " crashed (ProcessFailed kind BrowserProcessExited, reason "
                             "Unexpected, exit code 1); every WebView of it is closed"));
  }
  core_.calls.FailPendingOn(Thread(), &browser);
  // W13: BrowserProcessExited and ProcessFailed come in no guaranteed order.
  if (kernel_.Choose(sim::ChoiceKind::kValue, 2,
                     "W13: ProcessFailed first or BrowserProcessExited first") == 0) {
    RaiseProcessFailed(browser);
    RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kFailed);
  } else {
    RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kFailed);
    RaiseProcessFailed(browser);
  }
}

void Faults::HangBrowser(BrowserProcess& browser) {
  // W12: no ProcessFailed kind reports a hung browser; the app sees only calls that never end.
  browser.hung = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: browser process ", browser.thread.name(),
                             " hangs: it and its renderers process nothing from now on; no "
                             "ProcessFailed reports it"));
    // A stall report names the hang as what holds each call up (FutureCore::WhyNotReady);
    // calls made from now on say so from the start (Calls::NewOp).
    core_.calls.NoteHeldUpBy(browser, BrowserHangHoldsUp(browser));
  }
}

void Faults::CrashRenderer(RendererProcess& renderer) {
  renderer.crashed = true;
  renderer.held.clear();  // what it held while hung is lost with it
  const ProcessFailedReason reason = ChooseExitReason(ProcessFailedKind::kRenderProcessExited);
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(
        "W12: renderer process ", renderer.thread.name(), " of ", renderer.site,
        " exited (ProcessFailed kind RenderProcessExited, reason ", ProcessFailedReasonName(reason),
        "); its WebViews show an error page until Reload"));
  }
  core_.calls.FailPendingOn(renderer.thread, nullptr,
                            "W15: the renderer process crashed while the call was pending");
  for (WebViewRecord* webview : renderer.browser->webviews) {
    if (webview->closed) continue;
    if (webview->renderer != &renderer) {
      // W12: a renderer that holds only frames of this WebView: those frames die, nothing else.
      std::vector<std::string> frames = core_.pages.DetachFramesOn(*webview, renderer);
      if (frames.empty()) continue;
      ProcessFailedEventArgs* args = RaiseProcessFailedOn(
          *webview, ProcessFailedKind::kFrameRenderProcessExited, reason, ExitCodeOf(reason));
      if (args != nullptr) EventAccess::Value(args->failed_frames) = std::move(frames);
      continue;
    }
    webview->renderer = nullptr;  // the error page: scripts run nowhere ("null")
    core_.pages.DetachFramesOn(*webview, renderer);
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessExited, reason,
                         ExitCodeOf(reason));
  }
}

void Faults::TerminateHungRenderer(RendererProcess& renderer, const WebViewRecord& reloading) {
  // W12 (the model's assumption; no document says): a Reload or navigation of a WebView whose
  // renderer hangs makes the browser terminate that renderer and load the document in a new one.
  renderer.crashed = true;
  renderer.held.clear();  // what it held while hung is lost with it
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: the browser terminates the hung renderer process ",
                             renderer.thread.name(), " of ", renderer.site, " to load ",
                             reloading.handle->name(), " in a new one"));
  }
  core_.calls.FailPendingOn(renderer.thread, nullptr,
                            "W15: the hung renderer was terminated while the call was pending");
  for (WebViewRecord* webview : renderer.browser->webviews) {
    if (webview->closed || webview == &reloading) continue;
    if (webview->renderer == &renderer) {
      webview->renderer = nullptr;
      RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessExited,
                           ProcessFailedReason::kTerminated, 1);
    }
    core_.pages.DetachFramesOn(*webview, renderer);
  }
}

void Faults::CrashAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind) {
  const bool gpu = kind == ProcessFailedKind::kGpuProcessExited;
  AuxiliaryProcess& process = gpu ? browser.gpu : browser.utility;
  const uint32_t generation = process.generation;
  const ProcessFailedReason reason = ChooseExitReason(kind);
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(
        "W12: ", process.name, generation == 1 ? "" : absl::StrCat("#", generation), " process of ",
        browser.thread.name(), " exited (ProcessFailed kind ", ProcessFailedKindName(kind),
        ", reason ", ProcessFailedReasonName(reason), "); the browser relaunches it as ",
        process.name, "#", generation + 1, " and nothing else breaks"));
  }
  core_.processes.RelaunchAuxiliary(process);  // W12: GPU and utility exits recover by themselves
  for (WebViewRecord* webview : browser.webviews) {
    ProcessFailedEventArgs* args = RaiseProcessFailedOn(*webview, kind, reason, ExitCodeOf(reason));
    if (args != nullptr && !gpu) EventAccess::Value(args->process_description) = "Network Service";
  }
}

void Faults::HangAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind) {
  AuxiliaryProcess& process =
      kind == ProcessFailedKind::kGpuProcessExited ? browser.gpu : browser.utility;
  process.hung = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: ", process.thread.name(), " process of ", browser.thread.name(),
                             " hangs: the work the browser sends it stays undone; no "
                             "ProcessFailed kind reports it"));
  }
}

}  // namespace wvsim::model::webview2::internal
