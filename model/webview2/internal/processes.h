// The WebView2 processes (docs/webview2-rules.md W11..W13): one browser process per user data
// folder, renderers per site, and the GPU and utility processes, as records; and Processes, the
// subsystem that launches them, finds them and hands them work. Browser and renderer processes
// are virtual threads with message queues; so are the GPU and utility processes once a scenario
// enables their faults (auxiliary_processes.cc). What makes them fail is Faults (faults.h). App
// code never touches these records: it sees ProcessFailed and BrowserProcessExited.
//
// Determinism: browsers and renderers are kept in ordered maps (by folder, by site); names
// (browser#2, renderer#3, gpu#2) come from per-run generation counters.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_PROCESSES_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_PROCESSES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "model/webview2/environment.h"
#include "model/webview2/world.h"
#include "sim/kernel.h"
#include "sim/model_port.h"

namespace wvsim::model::webview2::internal {

using sim::Task;
using sim::Thread;

struct WebViewRecord;
struct EnvironmentRecord;
struct DevToolsCall;
struct BrowserProcess;
struct RendererProcess;

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
  BrowserProcess() {}  // not an aggregate: see EventRecord
  std::string user_data_folder;
  EnvironmentOptions options;
  Thread thread;
  // By site (site isolation). In pooled memory (sim::PooledMap), like the Runtime's maps: each
  // run builds them anew, and once the pool is warm that takes no trip to malloc.
  sim::PooledMap<sim::PooledString, RendererProcess*> renderers;
  // Inline for the usual one or two: a run allocates nothing for them.
  absl::InlinedVector<EnvironmentRecord*, 2> environments;  // sharing this process (W11, W13)
  absl::InlinedVector<WebViewRecord*, 2> webviews;
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

// What holds a renderer's JavaScript thread (RendererProcess::js_hold): a page script waiting in
// a call that returns only once the app's side has answered.
enum class JsHold : uint8_t {
  kNone,
  kDialogEvent,    // W9.3: alert, confirm or prompt until ScriptDialogOpening finished
  kDefaultDialog,  // W9.3: the browser's own dialog until its user answered (default_dialogs.cc)
  kHostCall,       // W17: a synchronous host-object call until the app's method returned
  kWindowOpen,     // W9.1: window.open until NewWindowRequested let it return
};

struct RendererProcess {
  RendererProcess() {}  // not an aggregate: see EventRecord
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
  // The page's single JavaScript thread (page_scripts.cc, W7, W9.3): held while a page script's
  // alert waits for ScriptDialogOpening to finish, or its synchronous host-object call waits for
  // the app's method on the UI thread (host_calls.cc, W17). JavaScript work that reaches the
  // renderer meanwhile (an app's ExecuteScript, a page script, a web message to the page) waits in
  // `js_waiting`, in arrival order, and runs once the held script has finished.
  JsHold js_hold = JsHold::kNone;
  std::string js_held_by;              // the event that holds it, for reports (traced runs only)
  const char* js_held_in = "alert()";  // the call the script waits in: alert(), window.open()
  const char* js_held_rule = "W9.3";   // the rule of that wait
  sim::Thread js_held_owner;  // W17, W9.3: the UI thread the call or the user's answer waits for
  bool js_held() const { return js_hold != JsHold::kNone; }
  std::vector<absl::AnyInvocable<void()>> js_waiting;
  bool dead() const { return crashed || browser->dead(); }
  bool responsive() const { return !dead() && !hung; }
};

// Launches the processes, finds them and hands them work (processes.cc, renderer_dispatch.cc,
// auxiliary_processes.cc).
class Processes {
 public:
  explicit Processes(sim::Kernel& kernel);

  // W11: the folder's running browser (a hung one included: a new environment waits on it, W12),
  // or a new one; `*options_differ` when the running one has other options.
  BrowserProcess& BrowserFor(const EnvironmentOptions& options, bool* options_differ);
  // W11: the browser's renderer for the site of `uri` (site isolation), launched when needed.
  RendererProcess& RendererFor(BrowserProcess& browser, std::string_view uri);
  using Browsers = absl::InlinedVector<BrowserProcess*, 4>;
  Browsers LiveBrowsers() const;  // in folder order
  using Renderers = absl::InlinedVector<RendererProcess*, 4>;
  Renderers LiveRenderers(const BrowserProcess& browser) const;  // in site order
  // Whether a WebView's main document runs in `renderer` (else it runs only frames, or nothing).
  bool RunsMainDocument(const RendererProcess& renderer) const;

  // Sends work to a renderer's thread; a hung renderer holds it until its hang ends
  // (renderer_dispatch.cc). A null `work` only runs what the renderer held.
  template <typename Work>
  void SendToRenderer(RendererProcess& renderer, sim::MessageLabel label, Work work) {
    SendHandlerToRenderer(renderer, std::move(label), port_.PooledHandler(std::move(work)));
  }
  void SendHandlerToRenderer(RendererProcess& renderer, sim::MessageLabel label,
                             absl::AnyInvocable<Task<>()> work);

  // W11: `process` does `then` as a message on its thread; inline when it is not a thread.
  template <typename Then>
  void RunOnAuxiliary(AuxiliaryProcess& process, std::string what, Then then) {
    if (!process.thread.valid()) {
      then();  // not a thread in this scenario: the work is done at once
      return;
    }
    RunOnAuxiliaryThread(process, std::move(what), port_.PooledHandler<void()>(std::move(then)));
  }
  // The message of RunOnAuxiliary: does work `id` unless the process hangs or was relaunched
  // since `generation` sent it (the relaunch sent it again).
  void DoAuxiliaryWork(AuxiliaryProcess& process, uint64_t id, uint32_t generation);
  // The GPU and utility processes become threads (EnableFaults with their faults).
  void EnableAuxiliaryThreads();
  // W12: after its crash, a new process redoes its predecessor's pending work.
  void RelaunchAuxiliary(AuxiliaryProcess& process);
  // W12: work left behind a hung GPU or utility process: why a load never completed.
  std::optional<sim::Violation> CheckAuxiliaries() const;

 private:
  void RunOnAuxiliaryThread(AuxiliaryProcess& process, std::string what,
                            absl::AnyInvocable<void()> then);
  void SpawnAuxiliary(BrowserProcess& browser, AuxiliaryProcess& process);
  void SendAuxiliaryWork(AuxiliaryProcess& process, const AuxiliaryWork& work);
  void LaunchAuxiliaries(BrowserProcess& browser);  // with each browser, once enabled

  sim::Kernel& kernel_;
  sim::ModelPort port_;
  // In the run's pooled memory, like the model's other maps.
  sim::PooledMap<sim::PooledString, BrowserProcess*> browsers_;  // by user data folder (W11)
  uint32_t browser_generation_ = 0;   // browser, browser#2 (after a crash, W16)
  uint32_t renderer_generation_ = 0;  // renderer, renderer#2
  // GPU and utility processes are threads (EnableFaults, kAuxiliaryThreadsParam).
  bool auxiliary_threads_ = false;
  uint64_t auxiliary_work_ = 0;  // AuxiliaryWork ids, per run
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_PROCESSES_H_
