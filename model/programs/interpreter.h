// Runs a Program (program.h) against the WebView2 or the Android model: each program thread is a
// virtual thread, each op the model call or kernel wait it names, so a generated program is
// explored, replayed and judged like any hand-written scenario. On Android, thread 0 is the main
// thread (onCreate creates the WebView, then runs its main routine), pumping workers are
// HandlerThreads, `block` is Future.get, `call` loadUrl, `script` evaluateJavascript. `crash`
// crashes a WebView2 process through the model's own fault paths (World::CrashBrowser,
// CrashRenderer); the Android model has no process crashes.
//
//   Program program = *ParseProgram(lines);
//   ProgramObservations seen;
//   sim::Scenario scenario = ProgramScenario(program, &seen);
//   sim::Runner runner(scenario, {});   // seen is cleared at the start of every run
//
// The observations are the interpreter's own record of what the app saw, kept apart from the
// model's oracles so that the property suites can check the model against it: which callback ran
// on which thread and when it left the stack, when each deferral was taken and completed, and what
// a call from the wrong thread returned. Deterministic: entries carry the kernel's step counter.
#ifndef WVSIM_MODEL_PROGRAMS_INTERPRETER_H_
#define WVSIM_MODEL_PROGRAMS_INTERPRETER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/programs/program.h"
#include "sim/scenario.h"

namespace wvsim::model::programs {

// The ids of program scenarios, by runtime: a generated program is not in the registry.
inline constexpr char kProgramScenarioId[] = "wv2.generated_program";
inline constexpr char kAndroidProgramScenarioId[] = "android.generated_program";
const char* ProgramScenarioId(ProgramRuntime runtime);

struct Observation {
  enum class Kind : uint8_t {
    // A callback started: a page event's handler (WebView2; handler = its index into
    // Program::handlers) or a ValueCallback (Android; handler = its number, in the order the
    // program made its callbacks, from 0).
    kHandlerEnter,
    kHandlerLeave,      // it left the stack: returned, or parked at an await
    kHandlerResume,     // it came back after an await
    kDeferralTaken,     // handler took its event's deferral
    kDeferralComplete,  // ... and the app called Complete on it (logged just before the call)
    kCallRejected,      // a WebView call threw; hresult holds the code
    kCallSucceeded,     // a WebView call returned
    kProcessCrashed,    // a `crash` op crashed a live process (W12)
  };
  Kind kind = Kind::kHandlerEnter;
  uint64_t step = 0;
  std::string thread = {};  // the thread it happened on
  uint32_t handler = 0;     // which callback (see kHandlerEnter), for handler and deferral entries
  int64_t hresult = 0;      // kCallRejected, WebView2: the HRESULT
  std::string error = {};   // kCallRejected, Android: the Java exception's text
  std::string document = {};  // the WebView's document right after a call
};

struct ProgramObservations {
  std::vector<Observation> entries;
  // Whether any entry is of `kind`.
  bool Has(Observation::Kind kind) const;
};

// A scenario that runs `program` (which must be well formed). `observations`, when given, must
// outlive the scenario's runs.
sim::Scenario ProgramScenario(Program program, ProgramObservations* observations = nullptr);

// Registers kProgramScenarioId and kAndroidProgramScenarioId as scenario families
// (sim::ScenarioFamily), so that a schedule's `program:` lines replay. Called once, by
// model::RegisterBuiltinScenarios.
void RegisterProgramFamilies();

// The home page the program's `navigate` loads.
inline constexpr char kProgramHomePage[] = "https://app.example/index.html";

// The page a page script's `navigate` step goes to: it has no scripts.
inline constexpr char kProgramNextPage[] = "https://app.example/next.html";
// The page a page script's `open` step asks window.open for (never navigated: the program's
// NewWindowRequested handler sets no NewWindow).
inline constexpr char kProgramPopupPage[] = "https://app.example/popup.html";
// The host object whose methods are the program's host methods, each named "rN" after its routine.
inline constexpr char kProgramHostObject[] = "app";
// What the program's `message` op posts to the page.
inline constexpr char kProgramWebMessage[] = "ping";

// The page a `call` made on thread `thread` navigates to: one per thread, so that a property can
// tell that a rejected call changed nothing.
std::string CallTargetPage(const std::string& thread);

}  // namespace wvsim::model::programs

#endif  // WVSIM_MODEL_PROGRAMS_INTERPRETER_H_
