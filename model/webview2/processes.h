// The WebView2 processes as the model keeps them (webview-rules.md W11..W13): one browser
// process per user data folder, renderers per site, and the GPU and utility processes; plus what
// can go wrong with them (FaultKinds, W12's hang reports). Browser and renderer processes are
// virtual threads with message queues; the Runtime (runtime.h) owns them and processes.cc makes
// them fail. App code never touches these records: it sees ProcessFailed and
// BrowserProcessExited.
//
// Determinism: renderers are kept in an ordered map by site; names (browser#2, renderer#3,
// gpu#2) come from per-run generation counters.
#ifndef WVSIM_MODEL_WEBVIEW2_PROCESSES_H_
#define WVSIM_MODEL_WEBVIEW2_PROCESSES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/kernel.h"

namespace wvsim::model::webview2 {

using sim::Thread;

class CoreWebView2;
class Environment;
struct DevToolsCall;
struct RendererProcess;

// CreateCoreWebView2EnvironmentWithOptions: one browser process per user data folder; another
// environment on the folder must use the same options (W11).
struct EnvironmentOptions {
  std::string user_data_folder = "EBWebView";
  std::string additional_browser_arguments;
};

struct BrowserProcess {
  std::string user_data_folder;
  EnvironmentOptions options;
  Thread thread;
  std::map<std::string, RendererProcess*> renderers;  // by site (site isolation)
  std::vector<Environment*> environments;             // sharing this process (W11, W13)
  std::vector<CoreWebView2*> webviews;
  int webviews_open = 0;
  // W12: GPU and utility processes are not threads: nothing in the model waits on them. Their
  // generation counts relaunches (gpu, gpu#2, ...).
  uint32_t gpu_generation = 1;
  uint32_t utility_generation = 1;
  // W7: DevTools calls received in order and not yet processed (devtools.cc).
  std::vector<DevToolsCall*> devtools_inbox;
  bool crashed = false;  // W12: its messages are dropped from now on
  bool exited = false;   // W13, W14: shut down normally
  // W12 ("any process can crash or hang"): it is still there, so the app's calls are accepted
  // and new environments of its folder attach to it, but it processes nothing: every call
  // pending on it never completes.
  bool hung = false;
  // Handles nothing: crashed, exited or hung. Its renderers handle nothing either.
  bool dead() const { return crashed || exited || hung; }
};

struct RendererProcess {
  std::string site;
  Thread thread;
  BrowserProcess* browser = nullptr;
  bool crashed = false;  // W12: RenderProcessExited; its WebViews show an error page
  // W12: RenderProcessUnresponsive: it handles nothing until it is terminated (a Reload or a
  // navigation of its WebView), reported every kUnresponsiveReportTicks meanwhile.
  bool hung = false;
  int unresponsive_reports = 0;
  bool dead() const { return crashed || browser->dead(); }
  bool responsive() const { return !dead() && !hung; }
};

// W12: Chromium's hung-renderer delay; the report repeats at this period while it stays hung.
// One tick is one millisecond of virtual time.
inline constexpr uint64_t kUnresponsiveReportTicks = 15'000;
// The model stops reporting after this many reports (one minute) so that a run whose app ignores
// the hang reaches quiescence and reports what the hang left undone.
inline constexpr int kUnresponsiveReportsMax = 4;

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
  bool operator==(const FaultKinds&) const = default;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_PROCESSES_H_
