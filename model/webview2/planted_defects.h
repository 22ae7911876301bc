// Test-only switches that plant known defects in the WebView2 model, one per promise that the
// property suites (props/) check. A property that still passes with its defect planted would be
// vacuous; props/planted_defects_prop.cc shows each one failing. Never set outside those tests.
//
//   PlantedDefectScope planted(&PlantedDefects::skip_thread_check);
//   ... every call from a wrong thread now succeeds ...
//
// Process-wide and not thread-safe: set only from a test's own thread, between runs.
#ifndef WVSIM_MODEL_WEBVIEW2_PLANTED_DEFECTS_H_
#define WVSIM_MODEL_WEBVIEW2_PLANTED_DEFECTS_H_

namespace wvsim::model::webview2 {

struct PlantedDefects {
  bool skip_thread_check = false;                // W3: a wrong-thread call goes through
  bool no_reentrancy_report = false;             // W4: nested loops in handlers go unreported
  bool kernel_loops_unwatched = false;           // W4: only ShowDialog and CoWait are seen
  bool finish_event_with_open_deferral = false;  // W8: an event ends while its deferral is open
  bool handlers_on_raising_thread = false;       // W2: handlers run on the process that raised them
  bool result_pumps = false;                     // W5: Task.Result pumps instead of blocking
  bool ids_shared_across_runs = false;           // ids from a process-wide counter, not per run
  bool abandoned_calls_outstanding = false;      // a call the app gave up on is still a stall
  bool script_runs_past_host_call = false;       // W17: an ExecuteScript overtakes a sync host call
  bool script_runs_past_alert = false;           // W9.3: an ExecuteScript overtakes an open alert
  bool script_runs_past_window_open = false;     // W9.1: an ExecuteScript overtakes window.open
};

PlantedDefects& TestOnlyPlantedDefects();

// Plants one defect for the length of a scope.
class PlantedDefectScope {
 public:
  explicit PlantedDefectScope(bool PlantedDefects::*defect) : defect_(defect) {
    TestOnlyPlantedDefects().*defect_ = true;
  }
  ~PlantedDefectScope() { TestOnlyPlantedDefects().*defect_ = false; }
  PlantedDefectScope(const PlantedDefectScope&) = delete;
  PlantedDefectScope& operator=(const PlantedDefectScope&) = delete;

 private:
  bool PlantedDefects::*defect_;
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_PLANTED_DEFECTS_H_
