// Faults and process exits (docs/webview2-rules.md W12..W16): the fault injector (which hits any
// live browser), browser and renderer crashes and hangs (renderer_hangs.cc), GPU and utility exits
// that recover by themselves, the processes the model keeps no record of (process_failed.cc),
// ProcessFailed and BrowserProcessExited, and the exits an app causes: Close and the release of
// the last reference (W14), after which the browser shuts down when unused (W13).
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_FAULTS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_FAULTS_H_

#include "model/webview2/event_args.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/world.h"
#include "sim/kernel.h"
#include "sim/model_port.h"

namespace wvsim::model::webview2::internal {

class Faults {
 public:
  Faults(Core& core, sim::Kernel& kernel) : core_(core), kernel_(kernel), port_(kernel) {}

  // Spawns the scenario's fault budget of injector threads (world.h).
  void EnableFaults(FaultKinds kinds);
  // The live browser a fault hits: a recorded choice when there are several (W12).
  BrowserProcess* FaultTarget();

  void CrashBrowser(BrowserProcess& browser);
  // W12: the browser hangs: calls pending on it, and every later one, never complete.
  void HangBrowser(BrowserProcess& browser);
  // W12: a renderer exits; its WebViews show an error page until Reload; the WebViews that only
  // have frames in it get FrameRenderProcessExited, and only those frames die.
  void CrashRenderer(RendererProcess& renderer);
  // W12: the browser terminates a hung renderer for `reloading` (a Reload or a navigation); the
  // other WebViews on it get RenderProcessExited with reason Terminated (the model's assumption).
  void TerminateHungRenderer(RendererProcess& renderer, const WebViewRecord& reloading);
  // W12: the renderer stops responding; ProcessFailed RenderProcessUnresponsive every 15 s until
  // it is terminated or, after a number of reports the scheduler picks, the hang ends by itself.
  void HangRenderer(RendererProcess& renderer);
  void ReportUnresponsive(RendererProcess& renderer);
  void EndRendererHang(RendererProcess& renderer);
  // W12: a GPU or utility process exits and is relaunched, or stops working.
  void CrashAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind);
  void HangAuxiliaryProcess(BrowserProcess& browser, ProcessFailedKind kind);
  // W12: a sandbox helper, PPAPI plugin or broker, or unknown process exits.
  void ExitOtherProcess(BrowserProcess& browser);
  // W12: the reason ProcessFailed gives for an exit of `kind`: a recorded choice among the
  // reasons that apply to the kind, or the only one (process_failed.cc).
  ProcessFailedReason ChooseExitReason(ProcessFailedKind kind);

  // W14: Close, explicit or by the last Release: handlers dropped; the browser shuts down when
  // no other WebView uses it (W13).
  void CloseController(WebViewRecord& webview);
  void ShutDownIfUnused(BrowserProcess& browser);
  // Throws unless `webview` can still be called: closed (W14) or its browser crashed (W12).
  void CheckAlive(const WebViewRecord& webview, const char* api) const;

  // Raises ProcessFailed on `webview` (when it has handlers and is open).
  ProcessFailedEventArgs* RaiseProcessFailedOn(WebViewRecord& webview, ProcessFailedKind kind,
                                               ProcessFailedReason reason, int exit_code);
  void RaiseBrowserProcessExited(BrowserProcess& browser, BrowserProcessExitKind kind);

 private:
  void RaiseProcessFailed(BrowserProcess& browser);

  Core& core_;
  sim::Kernel& kernel_;
  sim::ModelPort port_;
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_FAULTS_H_
