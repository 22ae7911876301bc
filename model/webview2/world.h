// World: everything around a WebView2 app that the app does not control, as a scenario or a test
// sets it up and looks at it: the pages URLs load, the process faults the scheduler may inject,
// faults a test injects at a step it picks, and what the page and the processes show (a test's
// view, never an app's). The app's own API is runtime.h and the handles it returns.
//
//   World& world = rt.world();
//   world.AddPage("https://app.example/", Page{.title = "Example"});
//   world.EnableFaults();                  // up to the scenario's fault budget (W12)
//   world.CrashRenderer(webview);          // a test's own fault, now
//
// Thread-safety: like the runtime, one per run; faults run on the calling thread's step.
#ifndef WVSIM_MODEL_WEBVIEW2_WORLD_H_
#define WVSIM_MODEL_WEBVIEW2_WORLD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/webview2/core_webview2.h"
#include "model/webview2/environment.h"
#include "model/webview2/event_args.h"
#include "model/webview2/frames.h"
#include "model/webview2/page.h"
#include "sim/task.h"

namespace wvsim::model::webview2 {

namespace internal {
class Core;
}  // namespace internal

// Which faults EnableFaults lets the scheduler inject (W12), each within the fault budget. The
// default is the browser and renderer crashes that the first scenarios were recorded with.
struct FaultKinds {
  bool browser_crash = true;
  bool renderer_crash = true;  // RenderProcessExited; FrameRenderProcessExited for frame renderers
  bool frame_renderer_crash = false;  // only renderers that run no main document, only frames
  bool renderer_hang = false;         // RenderProcessUnresponsive, reported every 15 s
  bool gpu_crash = false;             // GpuProcessExited: recovers by itself
  bool utility_crash = false;         // UtilityProcessExited: recovers by itself
  bool browser_hang = false;          // the browser stops processing; no ProcessFailed kind says so
  bool gpu_hang = false;              // the GPU process stops: loads never complete
  bool utility_hang = false;          // the network service stops: loads never commit
  // A sandbox helper, PPAPI plugin or broker, or unknown process exits: ProcessFailed on every
  // WebView of the browser, which recovers by itself; no WebView is affected.
  bool other_process_exit = false;
  // Whether the GPU and utility processes must be threads for these faults to mean anything.
  bool auxiliary() const { return gpu_crash || utility_crash || gpu_hang || utility_hang; }
  bool operator==(const FaultKinds&) const = default;
};

// W12: Chromium's hung-renderer delay; the report repeats at this period while it stays hung.
// One tick is one millisecond of virtual time.
inline constexpr uint64_t kUnresponsiveReportTicks = 15'000;
// The model stops reporting after this many reports (one minute) so that a run whose app ignores
// the hang reaches quiescence and reports what the hang left undone.
inline constexpr int kUnresponsiveReportsMax = 4;

class World {
 public:
  explicit World(internal::Core* core) : core_(core) {}

  // ---- Pages.
  void AddPage(std::string_view uri, Page page);

  // ---- Faults (W12, W13, W15, W16).
  // Spawns `fault_budget` injector threads: each, at a step the scheduler picks, may make a
  // process of a live browser (the scheduler picks which) fail as `kinds` allow. Call it once the
  // app is up.
  void EnableFaults(FaultKinds kinds = {});
  // Faults a test injects now, on the calling thread's step. The browser of `env`:
  void CrashBrowser(const Environment& env);
  // W12: a process of `env`'s browser the model keeps no record of exits (which, and its
  // reason, are recorded choices): ProcessFailed on every WebView; nothing breaks.
  void ExitOtherProcess(const Environment& env);
  // W12: the GPU (kind GpuProcessExited) or utility (UtilityProcessExited) process of `env`'s
  // browser crashes and is relaunched, or hangs.
  void CrashAuxiliaryProcess(const Environment& env, ProcessFailedKind kind);
  void HangAuxiliaryProcess(const Environment& env, ProcessFailedKind kind);
  // The renderer of `webview`'s document (or of `frame`) exits; false when it has none alive.
  bool CrashRenderer(const CoreWebView2& webview);
  bool CrashRenderer(const CoreWebView2Frame& frame);
  // W12: the renderer of `webview`'s document stops responding (renderer_hangs.cc).
  bool HangRenderer(const CoreWebView2& webview);

  // ---- The user in front of the app (W9.3).
  // Waits until a page shows a default script dialog (AreDefaultScriptDialogsEnabled true), then
  // answers the first one not answered yet, `reading_ticks` of virtual time (ms) after it showed:
  // OK (`accept`; a prompt returns `text`) or Cancel. The click is input to the app's window: the
  // dialog returns once the WebView's UI thread dispatched it (assumption). Awaited on the
  // scenario's user thread.
  sim::Task<> AnswerScriptDialog(bool accept, std::string text = {}, uint64_t reading_ticks = 0);

  // ---- What a test sees (never an app: these read the runtime's side without a scheduling
  // point or a thread check).
  const Environment& EnvironmentOf(const CoreWebView2& webview) const;
  bool BrowserAlive(const Environment& env) const;
  // Whether the WebView's document has a renderer that has not exited.
  bool RendererAlive(const CoreWebView2& webview) const;
  const std::string& BrowserThreadName(const Environment& env) const;
  // The renderer of the WebView's document or of the frame: its thread's name, "" when none.
  std::string RendererThreadName(const CoreWebView2& webview) const;
  std::string RendererThreadName(const CoreWebView2Frame& frame) const;
  std::string_view Document(const CoreWebView2& webview) const;
  // A global of the current document (window.popupOpened), or nullptr.
  const std::string* Global(const CoreWebView2& webview, const std::string& name) const;
  // A global of the frame's current document (W15), or nullptr.
  const std::string* Global(const CoreWebView2Frame& frame, const std::string& name) const;
  // What each finished deferrable event did (W9), in order: "ContextMenuRequested#1: ...".
  const std::vector<std::string>& EventOutcomes(const CoreWebView2& webview) const;
  // The current document's frames.
  const std::vector<CoreWebView2Frame*>& Frames(const CoreWebView2& webview) const;
  bool IsClosed(const CoreWebView2& webview) const;

 private:
  internal::Core* core_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_WORLD_H_
