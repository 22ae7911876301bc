// The WebView2 processes failing, hanging and exiting (docs/webview2-rules.md W12..W16): the fault
// injector (which hits any live browser), browser and renderer crashes (the reason of an exit is
// chosen in process_failed.cc; renderer hangs are in renderer_hangs.cc), GPU and utility exits
// that recover by themselves and their hangs (the work they redo or leave undone is in
// auxiliary_processes.cc), Close (explicit and by the last reference), and what happens to calls
// pending on a process that died (W15).
#include "model/webview2/processes.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "model/webview2/runtime.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2 {

using sim::Verdict;
// ---- Processes failing and exiting (W12..W16).

void Environment::add_BrowserProcessExited(Handler<BrowserProcessExitedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_BrowserProcessExited", "W3");
  browser_process_exited_.push_back(std::move(handler));
}

void CoreWebView2::add_ProcessFailed(Handler<ProcessFailedEventArgs> handler) {
  runtime_->CheckThread(owner_, *this, "add_ProcessFailed", "W3");
  process_failed_.push_back(std::move(handler));
}

void Runtime::CheckAlive(const CoreWebView2& webview, const char* api) {
  if (webview.closed_)
    throw ComException(kErrorInvalidState, absl::StrCat(api, " after Close (W14)"));
  if (webview.env_->browser().crashed) throw InvalidOperationException(kDotNetBrowserCrashedText);
}

namespace {

Task<> BrowserShutdown(Runtime& rt, BrowserProcess& browser) {
  // W13: still in use. A creation the app sent before the last WebView closed keeps it too (the
  // model's reading): it attaches to the running browser, or fails with ERROR_INVALID_STATE when
  // its options differ, rather than reaching a process that exited and never completing.
  if (browser.dead() || browser.webviews_open > 0 || rt.HasPendingCalls(browser)) co_return;
  browser.exited = true;
  rt.RaiseBrowserProcessExited(browser, BrowserProcessExitKind::kNormal);
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
using Faults = absl::InlinedVector<Fault, 8>;

Faults FaultsOf(const Runtime& rt, const BrowserProcess& browser, FaultKinds kinds) {
  Faults faults;
  if (kinds.browser_crash) faults.push_back({Fault::kBrowserCrash, nullptr});
  const Runtime::Renderers renderers = rt.LiveRenderers(browser);
  if (kinds.renderer_crash) {
    for (RendererProcess* renderer : renderers) faults.push_back({Fault::kRendererCrash, renderer});
  }
  if (kinds.frame_renderer_crash && !kinds.renderer_crash) {
    for (RendererProcess* renderer : renderers) {
      if (!rt.RunsMainDocument(*renderer)) faults.push_back({Fault::kRendererCrash, renderer});
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

Task<> FaultInjector(Runtime& rt, FaultKinds kinds) {
  Kernel& k = rt.kernel();
  co_await k.Yield({"inject_fault", nullptr});  // the scheduler picks the step
  BrowserProcess* target = rt.FaultTarget();
  if (target == nullptr) co_return;
  // Option 0: no fault; then one per fault of FaultsOf. The default kinds keep the label the
  // first recorded schedules name (option 1: the browser; 2..: a renderer).
  const Faults faults = FaultsOf(rt, *target, kinds);
  const char* label = kinds == FaultKinds{} ? "no fault, a browser crash or a renderer crash (W12)"
                                            : "no fault, or which process fails and how (W12)";
  const uint32_t choice =
      k.Choose(sim::ChoiceKind::kFault, 1 + static_cast<uint32_t>(faults.size()), label);
  if (choice == 0) co_return;
  const Fault& fault = faults[choice - 1];
  switch (fault.kind) {
    case Fault::kBrowserCrash:
      rt.CrashBrowser(*target);
      break;
    case Fault::kRendererCrash:
      rt.CrashRenderer(*fault.renderer);
      break;
    case Fault::kRendererHang:
      rt.HangRenderer(*fault.renderer);
      break;
    case Fault::kGpuCrash:
    case Fault::kUtilityCrash:
      rt.CrashAuxiliaryProcess(*target, AuxiliaryKindOf(fault.kind));
      break;
    case Fault::kBrowserHang:
      rt.HangBrowser(*target);
      break;
    case Fault::kGpuHang:
    case Fault::kUtilityHang:
      rt.HangAuxiliaryProcess(*target, AuxiliaryKindOf(fault.kind));
      break;
    case Fault::kOtherProcessExit:
      rt.ExitOtherProcess(*target);
      break;
  }
}

}  // namespace

Task<> Controller::Close() {
  Runtime& rt = webview_->runtime();
  co_await rt.kernel().Yield({"Close", this});
  rt.CheckThread(webview_->owner(), *webview_, "CoreWebView2Controller.Close", "W3");
  rt.CloseController(*webview_);
}

void Controller::Release() {
  if (references_ <= 0) throw ComException(kEFail, "Release of a released controller");
  if (--references_ > 0) return;
  Runtime& rt = webview_->runtime();
  // W14: releasing the last reference closes implicitly, as Close would (not a scheduling point:
  // Release returns at once, like IUnknown::Release).
  if (rt.kernel().traced() && !webview_->closed()) {
    rt.kernel().Log(
        absl::StrCat("W14: the last reference to ", name(), " was released: it closes implicitly"));
  }
  rt.CloseController(*webview_);
}

void Runtime::CloseController(CoreWebView2& webview) {
  if (webview.closed_) return;
  webview.closed_ = true;  // W14: every handler is dropped; no handler runs afterwards
  webview.navigation_starting_.clear();
  webview.content_loading_.clear();
  webview.dom_content_loaded_.clear();
  webview.navigation_completed_.clear();
  webview.web_message_received_.clear();
  webview.web_resource_requested_.clear();
  webview.new_window_requested_.clear();
  webview.process_failed_.clear();
  webview.frame_created_.clear();
  for (HandlerList<DeferrableEventArgs>& handlers : webview.deferrable_) handlers.clear();
  BrowserProcess& browser = webview.env_->browser();
  if (--browser.webviews_open > 0 || browser.dead()) return;
  BrowserProcess* process = &browser;
  Send(browser.thread, "shutdown", [this, process] { return BrowserShutdown(*this, *process); });
}

ProcessFailedEventArgs* Runtime::RaiseProcessFailedOn(CoreWebView2& webview, ProcessFailedKind kind,
                                                      ProcessFailedReason reason, int exit_code) {
  if (webview.closed_ || webview.process_failed_.empty()) return nullptr;
  auto& args = NewEventArgs<ProcessFailedEventArgs>(webview, "ProcessFailed", "", "W12");
  args.kind = kind;
  args.reason = reason;
  args.exit_code = exit_code;
  RaiseEvent(args, webview.process_failed_);
  return &args;
}

void Runtime::RaiseProcessFailed(BrowserProcess& browser) {
  for (CoreWebView2* webview : browser.webviews) {
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kBrowserProcessExited,
                         ProcessFailedReason::kUnexpected, 1);
  }
}

void Runtime::RaiseBrowserProcessExited(BrowserProcess& browser, BrowserProcessExitKind kind) {
  for (Environment* env : browser.environments) {
    if (env->browser_process_exited_.empty()) continue;
    auto& args =
        NewEnvironmentEventArgs<BrowserProcessExitedEventArgs>(*env, "BrowserProcessExited");
    args.kind = kind;
    RaiseEvent(args, env->browser_process_exited_);
  }
}

void Runtime::EnableFaults(FaultKinds kinds) {
  // W11: the GPU and utility processes become threads only when their faults can happen (or
  // kAuxiliaryThreadsParam forces them): a reduction that keeps fault-free runs fast and their
  // recorded schedules, at the cost of some orderings (auxiliary_processes.cc says which).
  if (kinds.auxiliary()) EnableAuxiliaryThreads();
  const int64_t budget = kernel_.Param(sim::kFaultBudgetParam, 0);
  // A failed spawn (the thread limit) has stopped the run with a configuration error: stop too.
  for (int64_t i = 0; i < budget; ++i) {
    if (!kernel_.Spawn("faults", FaultInjector(*this, kinds)).valid()) break;
  }
}

BrowserProcess* Runtime::FaultTarget() {
  // W12 ("any process can crash or hang"): any live browser, in folder order. With one there is
  // nothing to choose, so the schedules recorded when only the first was a target still replay.
  absl::InlinedVector<BrowserProcess*, 4> live;
  for (const auto& [folder, browser] : browsers_) {
    if (!browser->dead()) live.push_back(browser);
  }
  if (live.size() <= 1) return live.empty() ? nullptr : live.front();
  const uint32_t pick = kernel_.Choose(sim::ChoiceKind::kFault, static_cast<uint32_t>(live.size()),
                                       "which browser process (by user data folder) fails (W12)");
  return live[pick];
}

void Runtime::CrashBrowser(BrowserProcess& browser) {
  browser.crashed = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: browser process ", browser.thread.name(),
                             " crashed (ProcessFailed kind BrowserProcessExited, reason "
                             "Unexpected, exit code 1); every WebView of it is closed"));
  }
  FailPendingOn(Thread(), &browser);
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

void Runtime::HangBrowser(BrowserProcess& browser) {
  // W12: no ProcessFailed kind reports a hung browser; the app sees only calls that never end.
  browser.hung = true;
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: browser process ", browser.thread.name(),
                             " hangs: it and its renderers process nothing from now on; no "
                             "ProcessFailed reports it"));
    // A stall report names the hang as what holds each call up (FutureCore::WhyNotReady);
    // calls made from now on say so from the start (NewOp).
    for (const Pending& pending : pending_) {
      if (pending.browser != &browser || pending.future->done()) continue;
      pending.future->SetProducer(Thread(), BrowserHangHoldsUp(browser));
    }
  }
}

std::string BrowserHangHoldsUp(const BrowserProcess& browser) {
  return absl::StrCat("browser process ", browser.thread.name(),
                      " hangs (a fault, W12) and processes nothing; no ProcessFailed reports it");
}

void Runtime::FailPendingOn(Thread producer, BrowserProcess* browser, const char* why) {
  // W15 (unconfirmed): each call pending on it fails, or never completes: the scheduler says.
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& pending = pending_[i];
    const bool hit = browser != nullptr ? pending.browser == browser : pending.producer == producer;
    if (!hit || pending.future->done() || pending.never) continue;
    if (kernel_.Choose(sim::ChoiceKind::kFault, 2,
                       "W15: a pending call fails or never completes") == 0) {
      pending.fail(*this, pending, kEFail, why, false);
    } else {
      pending.never = true;
      if (kernel_.traced()) {
        pending.future->SetProducer(Thread(),
                                    "the process crashed while it was pending, "
                                    "and it never completes (W15)");
      }
    }
  }
}

bool Runtime::HasPendingCalls(const BrowserProcess& browser) const {
  return std::any_of(pending_.begin(), pending_.end(), [&browser](const Pending& pending) {
    return pending.browser == &browser && !pending.future->done() && !pending.never;
  });
}

bool Runtime::RunsMainDocument(const RendererProcess& renderer) const {
  for (const CoreWebView2* webview : renderer.browser->webviews) {
    if (webview->renderer() == &renderer && !webview->closed()) return true;
  }
  return false;
}

Runtime::Renderers Runtime::LiveRenderers(const BrowserProcess& browser) const {
  Renderers live;
  for (const auto& [site, renderer] : browser.renderers) {
    if (!renderer->crashed) live.push_back(renderer);
  }
  return live;
}

void Runtime::CrashRenderer(RendererProcess& renderer) {
  renderer.crashed = true;
  renderer.held.clear();  // what it held while hung is lost with it
  const ProcessFailedReason reason = ChooseExitReason(ProcessFailedKind::kRenderProcessExited);
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat(
        "W12: renderer process ", renderer.thread.name(), " of ", renderer.site,
        " exited (ProcessFailed kind RenderProcessExited, reason ", ProcessFailedReasonName(reason),
        "); its WebViews show an error page until Reload"));
  }
  FailPendingOn(renderer.thread, nullptr);
  for (CoreWebView2* webview : renderer.browser->webviews) {
    if (webview->closed_) continue;
    if (webview->renderer_ != &renderer) {
      // W12: a renderer that holds only frames of this WebView: those frames die, nothing else.
      std::vector<std::string> frames = DetachFramesOn(*webview, renderer);
      if (frames.empty()) continue;
      ProcessFailedEventArgs* args = RaiseProcessFailedOn(
          *webview, ProcessFailedKind::kFrameRenderProcessExited, reason, ExitCodeOf(reason));
      if (args != nullptr) args->failed_frames = std::move(frames);
      continue;
    }
    webview->renderer_ = nullptr;  // the error page: scripts run nowhere ("null")
    DetachFramesOn(*webview, renderer);
    RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessExited, reason,
                         ExitCodeOf(reason));
  }
}

void Runtime::TerminateHungRenderer(RendererProcess& renderer, const CoreWebView2& reloading) {
  // W12 (the model's assumption; no document says): a Reload or navigation of a WebView whose
  // renderer hangs makes the browser terminate that renderer and load the document in a new one.
  renderer.crashed = true;
  renderer.held.clear();  // what it held while hung is lost with it
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: the browser terminates the hung renderer process ",
                             renderer.thread.name(), " of ", renderer.site, " to load ",
                             reloading.name(), " in a new one"));
  }
  FailPendingOn(renderer.thread, nullptr,
                "W15: the hung renderer was terminated while the call was pending");
  for (CoreWebView2* webview : renderer.browser->webviews) {
    if (webview->closed_ || webview == &reloading) continue;
    if (webview->renderer_ == &renderer) {
      webview->renderer_ = nullptr;
      RaiseProcessFailedOn(*webview, ProcessFailedKind::kRenderProcessExited,
                           ProcessFailedReason::kTerminated, 1);
    }
    DetachFramesOn(*webview, renderer);
  }
}

void Runtime::CrashAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind) {
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
  RelaunchAuxiliary(process);  // W12: GPU and utility exits recover by themselves
  for (CoreWebView2* webview : browser.webviews) {
    ProcessFailedEventArgs* args = RaiseProcessFailedOn(*webview, kind, reason, ExitCodeOf(reason));
    if (args != nullptr && !gpu) args->process_description = "Network Service";
  }
}

}  // namespace wvsim::model::webview2
