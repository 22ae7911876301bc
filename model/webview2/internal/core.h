// The WebView2 runtime behind the app's handles: one per run (made by Runtime::Create in the run's
// pooled memory), composed of subsystems that each own their state and talk to the kernel only
// through its public faces (sim::Kernel, sim::ModelPort):
//
//   boundary    handlers on each thread's stack, serial callbacks, nested loops, apartments (W1,
//   W4) calls       the app's calls in flight, their completions and failures (W2, W5, W6, W15)
//   events      raising events, deferrals, and when an event finishes (W2, W8, W9)
//   processes   browser, renderer, GPU and utility processes and the work they are sent (W11)
//   faults      crashes, hangs and exits, ProcessFailed, Close and shutdown (W12..W16)
//   pages       what URLs load, scripts, frames, page events and what the page sees (W7, W9, W11)
//   navigation  Navigate to NavigationCompleted, subresources, window.open (W2, W7, W9, W10)
//
// The app's handles reach it through their records (records.h); nothing here is in an app header.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_CORE_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_CORE_H_

#include "model/webview2/internal/boundary.h"
#include "model/webview2/internal/calls.h"
#include "model/webview2/internal/events.h"
#include "model/webview2/internal/faults.h"
#include "model/webview2/internal/names.h"
#include "model/webview2/internal/navigation.h"
#include "model/webview2/internal/pages.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/records.h"
#include "sim/kernel.h"
#include "sim/model_port.h"
#include "sim/object.h"

namespace wvsim::model::webview2::internal {

class Core {
 public:
  explicit Core(sim::Kernel& kernel);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  sim::Kernel& kernel;
  sim::ModelPort port;
  Names names;
  Boundary boundary;
  Calls calls;
  Events events;
  Processes processes;
  Faults faults;
  Pages pages;
  Navigation navigation;

  // W3: throws (and reports wrong_thread) unless the calling thread is `owner`.
  void CheckThread(sim::Thread owner, const sim::Object& object, const char* api, const char* rule);
  // W3b: throws (and reports wrong_thread) unless the calling thread is the one `event`'s
  // handlers run on; `verb` names the args' accessor ("put_Cancel").
  void CheckArgsThread(const EventRecord& event, const char* verb);
  // A call on `webview` from its app: the scheduling point already passed; checks the thread
  // (W3) and that the WebView can still be called (W12, W14).
  void CheckCall(const WebViewRecord& webview, const char* api);

 private:
  // The end-of-run checks: calls that never completed, deferrals never completed.
  void RegisterChecks();
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_CORE_H_
