// ProcessFailed's kinds and reasons (docs/webview2-rules.md W12): their API names, which reasons
// apply to an exit of each kind (a crash's reason is a recorded scheduler choice among them), and
// the exits of the processes the model keeps no record of: the sandbox helper, PPAPI plugin and
// broker, and unknown processes, which recover by themselves and affect no WebView.
//
// Which reasons apply to which kind is the model's reading of W12 (no document lists them per
// kind): the browser's exit is Unexpected (W12 fixes it); a hang report is Unresponsive; a
// renderer exits Crashed, Terminated (killed from outside) or OutOfMemory; the GPU and utility
// processes exit Crashed, OutOfMemory or AbnormalExit; the other processes may also fail to
// launch or exit normally. Crashed is listed first everywhere, so that a run that takes the first
// option sees the reason the model gave before the reason was a choice.
#include <span>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "model/webview2/internal/faults.h"

namespace wvsim::model::webview2 {

const char* ProcessFailedKindName(ProcessFailedKind kind) {
  static constexpr const char* kNames[] = {
      "BrowserProcessExited",     "RenderProcessExited",      "RenderProcessUnresponsive",
      "FrameRenderProcessExited", "UtilityProcessExited",     "SandboxHelperProcessExited",
      "GpuProcessExited",         "PpapiPluginProcessExited", "PpapiBrokerProcessExited",
      "UnknownProcessExited"};
  return kNames[static_cast<int>(kind)];
}

const char* ProcessFailedReasonName(ProcessFailedReason reason) {
  static constexpr const char* kNames[] = {"Unexpected", "Unresponsive", "Terminated",
                                           "Crashed",    "LaunchFailed", "OutOfMemory",
                                           "NormalExit", "AbnormalExit"};
  return kNames[static_cast<int>(reason)];
}

int ExitCodeOf(ProcessFailedReason reason) {
  // W12 gives the browser's (1); the others are the model's (unconfirmed): 0 for a normal exit,
  // 1 for any failure, STILL_ACTIVE for a process that has not exited.
  if (reason == ProcessFailedReason::kUnresponsive) return kStillActiveExitCode;
  return reason == ProcessFailedReason::kNormalExit ? 0 : 1;
}

}  // namespace wvsim::model::webview2

namespace wvsim::model::webview2::internal {

namespace {

using Reason = ProcessFailedReason;

std::span<const Reason> ReasonsFor(ProcessFailedKind kind) {
  static constexpr Reason kBrowser[] = {Reason::kUnexpected};
  static constexpr Reason kUnresponsive[] = {Reason::kUnresponsive};
  static constexpr Reason kRenderer[] = {Reason::kCrashed, Reason::kTerminated,
                                         Reason::kOutOfMemory};
  static constexpr Reason kAuxiliary[] = {Reason::kCrashed, Reason::kOutOfMemory,
                                          Reason::kAbnormalExit};
  static constexpr Reason kOther[] = {Reason::kCrashed, Reason::kLaunchFailed, Reason::kOutOfMemory,
                                      Reason::kNormalExit, Reason::kAbnormalExit};
  switch (kind) {
    case ProcessFailedKind::kBrowserProcessExited:
      return kBrowser;
    case ProcessFailedKind::kRenderProcessUnresponsive:
      return kUnresponsive;
    case ProcessFailedKind::kRenderProcessExited:
    case ProcessFailedKind::kFrameRenderProcessExited:
      return kRenderer;
    case ProcessFailedKind::kGpuProcessExited:
    case ProcessFailedKind::kUtilityProcessExited:
      return kAuxiliary;
    default:
      return kOther;
  }
}

// The kinds of OtherProcessExit, in the order of the recorded choice.
constexpr ProcessFailedKind kOtherKinds[] = {
    ProcessFailedKind::kSandboxHelperProcessExited, ProcessFailedKind::kPpapiPluginProcessExited,
    ProcessFailedKind::kPpapiBrokerProcessExited, ProcessFailedKind::kUnknownProcessExited};

}  // namespace

ProcessFailedReason Faults::ChooseExitReason(ProcessFailedKind kind) {
  const std::span<const Reason> reasons = ReasonsFor(kind);
  if (reasons.size() == 1) return reasons[0];  // nothing to choose: nothing recorded
  const uint32_t pick =
      kernel_.Choose(sim::ChoiceKind::kFault, static_cast<uint32_t>(reasons.size()),
                     "W12: the ProcessFailed reason of the exit, among those of its kind");
  return reasons[pick];
}

void Faults::ExitOtherProcess(BrowserProcess& browser) {
  const uint32_t pick = kernel_.Choose(
      sim::ChoiceKind::kFault, static_cast<uint32_t>(std::size(kOtherKinds)),
      "W12: which other process exits (sandbox helper, PPAPI plugin, PPAPI broker, unknown)");
  const ProcessFailedKind kind = kOtherKinds[pick];
  const ProcessFailedReason reason = ChooseExitReason(kind);
  if (kernel_.traced()) {
    kernel_.Log(absl::StrCat("W12: a process of ", browser.thread.name(),
                             " exited (ProcessFailed kind ", ProcessFailedKindName(kind),
                             ", reason ", ProcessFailedReasonName(reason),
                             "); it recovers by itself and no WebView is affected"));
  }
  for (WebViewRecord* webview : browser.webviews) {
    RaiseProcessFailedOn(*webview, kind, reason, ExitCodeOf(reason));
  }
}

}  // namespace wvsim::model::webview2::internal
