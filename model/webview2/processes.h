// The WebView2 processes as the model keeps them (docs/webview2-rules.md W11..W13): one browser
// process per user data folder, renderers per site, and the GPU and utility processes; plus what
// can go wrong with them (FaultKinds, W12's hang reports). Browser and renderer processes are
// virtual threads with message queues; so are the GPU and utility processes once a scenario
// enables their faults (auxiliary_processes.cc). Renderer hangs are in renderer_hangs.cc, the
// kinds and reasons of ProcessFailed in process_failed.cc. The Runtime (runtime.h) owns them and
// processes.cc makes them fail. App code never touches these records: it sees ProcessFailed and
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

#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "sim/kernel.h"

namespace wvsim::model::webview2 {

using sim::Task;
using sim::Thread;

class CoreWebView2;
class Environment;
struct DevToolsCall;
struct BrowserProcess;
struct RendererProcess;

// CreateCoreWebView2EnvironmentWithOptions: one browser process per user data folder; another
// environment on the folder must use the same options (W11).
struct EnvironmentOptions {
  std::string user_data_folder = "EBWebView";
  std::string additional_browser_arguments;
};

// W11, W12: a GPU or utility (network service) process of a browser. Work the browser sends it
// stays in `pending` until the process did it, so a relaunch after a crash redoes it and a hang
// leaves it undone (auxiliary_processes.cc).
struct AuxiliaryWork {
  uint64_t id = 0;   // per run, for the message that carries it
  std::string what;  // "composite for NavigationCompleted of CoreWebView2#1"
  absl::AnyInvocable<void()> then;
};

struct AuxiliaryProcess {
  explicit AuxiliaryProcess(const char* process_name) : name(process_name) {}
  const char* name;                   // "gpu" or "utility"
  BrowserProcess* browser = nullptr;  // the browser that launched it (set with its thread)
  Thread thread;                      // empty until spawned: then the browser sends it work
  uint32_t generation = 1;            // counts relaunches: gpu, gpu#2, ...
  bool hung = false;                  // W12: it does nothing until a crash relaunches it
  absl::InlinedVector<AuxiliaryWork, 2> pending;  // in the order the browser sent it
};

struct BrowserProcess {
  std::string user_data_folder;
  EnvironmentOptions options;
  Thread thread;
  // By site (site isolation). In pooled memory (sim::PooledMap), like the Runtime's maps: each
  // run builds them anew, and once the pool is warm that takes no trip to malloc.
  sim::PooledMap<sim::PooledString, RendererProcess*> renderers;
  // Inline for the usual one or two: a run allocates nothing for them.
  absl::InlinedVector<Environment*, 2> environments;  // sharing this process (W11, W13)
  absl::InlinedVector<CoreWebView2*, 2> webviews;
  int webviews_open = 0;
  // W12: the GPU process composites before NavigationCompleted and renders prints and captures;
  // the utility process fetches before a load commits. Without threads (no scenario asked for
  // their faults, no kAuxiliaryThreadsParam) the work is done inline: a reduction whose cost in
  // orderings auxiliary_processes.cc states.
  AuxiliaryProcess gpu{"gpu"};
  AuxiliaryProcess utility{"utility"};
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

// What a call pending on a hung browser waits for, as stall reports say it (W12).
std::string BrowserHangHoldsUp(const BrowserProcess& browser);

struct RendererProcess {
  sim::PooledString site;
  Thread thread;
  BrowserProcess* browser = nullptr;
  bool crashed = false;  // W12: RenderProcessExited; its WebViews show an error page
  // W12: RenderProcessUnresponsive: it handles nothing until it is terminated (a Reload or a
  // navigation of its WebView), reported every kUnresponsiveReportTicks meanwhile.
  bool hung = false;
  int unresponsive_reports = 0;
  // W12: after how many reports the hang ends by itself (a recorded choice when it starts); 0:
  // it lasts until the renderer is terminated.
  int hang_ends_after_reports = 0;
  // What it was sent while hung, in dispatch order: run when the hang ends, before anything else
  // (SendToRenderer); dropped when it is terminated.
  std::vector<absl::AnyInvocable<Task<>()>> held;
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
  bool gpu_hang = false;              // the GPU process stops: loads never complete
  bool utility_hang = false;          // the network service stops: loads never commit
  // A sandbox helper, PPAPI plugin or broker, or unknown process exits: ProcessFailed on every
  // WebView of the browser, which recovers by itself; no WebView is affected.
  bool other_process_exit = false;
  // Whether the GPU and utility processes must be threads for these faults to mean anything.
  bool auxiliary() const { return gpu_crash || utility_crash || gpu_hang || utility_hang; }
  bool operator==(const FaultKinds&) const = default;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_PROCESSES_H_
