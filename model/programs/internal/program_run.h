// The interpreter's per-run state and the seam between its core (interpreter.cc: threads,
// posts, waits) and the runtime it drives (webview2_binding.cc, android_binding.cc). Internal to
// model/programs.
#ifndef WVSIM_MODEL_PROGRAMS_INTERNAL_PROGRAM_RUN_H_
#define WVSIM_MODEL_PROGRAMS_INTERNAL_PROGRAM_RUN_H_

#include <string>
#include <utility>
#include <vector>

#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "model/framework/clr.h"
#include "model/framework/user.h"
#include "model/framework/win32.h"
#include "model/programs/interpreter.h"
#include "model/webview2/runtime.h"
#include "sim/assert.h"
#include "sim/kernel.h"

namespace wvsim::model::programs::internal {

// One run of one program; lives in the kernel (Kernel::Make) until the next run.
struct ProgramRun {
  sim::Kernel* k = nullptr;
  const Program* program = nullptr;
  ProgramObservations* observations = nullptr;
  std::vector<sim::Thread> threads;
  // WebView2 programs.
  webview2::Runtime* rt = nullptr;
  webview2::CoreWebView2* webview = nullptr;
  std::vector<webview2::Deferral> kept;  // deferrals a later handler or continuation completes
  framework::Win32* win32 = nullptr;     // invoke's CLR wait, send's SendMessage
  framework::Clr* clr = nullptr;         // the pool and async methods, when the program uses them
  framework::User* user = nullptr;       // the user, when the program declares clicks
  // Android programs.
  android::AndroidRuntime* android = nullptr;
  android::WebView* view = nullptr;
  uint32_t value_callbacks = 0;  // ValueCallbacks made so far: each one's number (Observation)

  sim::Thread ui() const { return threads[0]; }
  // The program's index of `thread`, one of its threads.
  uint32_t IndexOf(sim::Thread thread) const {
    for (uint32_t i = 0; i < threads.size(); ++i) {
      if (threads[i] == thread) return i;
    }
    WVSIM_ASSERT_MSG(false, "a thread the program did not spawn");
    return 0;
  }
  void Observe(Observation entry) {
    if (observations == nullptr) return;
    entry.step = k->steps();
    entry.thread = k->Current().name();
    observations->entries.push_back(std::move(entry));
  }
};

// The handler a routine runs as, when it runs as a WebView2 page event's handler.
struct HandlerContext {
  uint32_t index = 0;
  webview2::EventArgs* args = nullptr;  // the event's, for its deferral
};

// The core (interpreter.cc).
sim::Task<> RunRoutine(ProgramRun& run, uint32_t routine, HandlerContext* handler);
sim::Task<> RunOp(ProgramRun& run, const Op& op, HandlerContext* handler);
sim::Task<> RunThreadMain(ProgramRun& run, uint32_t thread);  // its main routine, if any

// WebView2 (webview2_binding.cc): threads, the WebView, and the ops only it has.
void SetUpWebView2(sim::Kernel& k, ProgramRun& run);
sim::Task<> WebView2Call(ProgramRun& run, const Op& op, HandlerContext* handler);
sim::Task<> AwaitInHandler(ProgramRun& run, sim::Future<void> future, HandlerContext* handler);
sim::Task<> ShowModal(ProgramRun& run, uint32_t routine);
sim::Task<> Defer(ProgramRun& run, DeferralMode mode, HandlerContext& handler);
sim::Task<> CrashProcess(ProgramRun& run, CrashedProcess process);

// Android (android_binding.cc).
void SetUpAndroid(sim::Kernel& k, ProgramRun& run);
sim::Task<> AndroidCall(ProgramRun& run, const Op& op);

}  // namespace wvsim::model::programs::internal

#endif  // WVSIM_MODEL_PROGRAMS_INTERNAL_PROGRAM_RUN_H_
