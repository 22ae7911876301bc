// The shapes of generated programs, one per property, built from a stream of choices so that the
// same code serves rapidcheck (program_gen.h, which shrinks the choices) and the program fuzzer
// (fuzz/program_fuzzer.cc, whose input bytes are the choices). Links no test framework.
//
//   ByteChoices choices(data, size);     // or a rapidcheck-backed source
//   Program program = MakeProgram(ProgramProfile::kDeadlock, choices);
#ifndef WVSIM_PROPS_PROGRAM_SHAPES_H_
#define WVSIM_PROPS_PROGRAM_SHAPES_H_

#include <cstddef>
#include <cstdint>

#include "model/programs/program.h"

namespace wvsim::props {

using model::programs::Program;

// Where a shape's choices come from.
class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  // A number from 0 to count - 1; count >= 1.
  virtual uint32_t Below(uint32_t count) = 0;
  bool Coin() { return Below(2) == 1; }
};

// Choices read from bytes, one byte each (reduced modulo the count); 0 once they run out.
class ByteChoices final : public ChoiceSource {
 public:
  ByteChoices(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint32_t Below(uint32_t count) override {
    return position_ < size_ ? data_[position_++] % count : 0;
  }
  size_t used() const { return position_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

enum class ProgramProfile : uint8_t {
  // Only blocking operations are waits on async results (block, WebView2's invoke and send too);
  // one thread drives every wait, the rest is fire-and-forget, and what a send runs is too
  // (PredictsDeadlock is exact here).
  kDeadlock,
  // Page events whose handlers take deferrals in every mode, await, post, run scripts and open
  // modal dialogs; nothing blocks (PredictHandlerVerdict).
  kHandler,
  // WebView calls from the UI thread and from a worker (PredictAffinityVerdict).
  kAffinity,
  // kHandler's programs whose fire-and-forget work may also crash the browser or the renderer
  // (W12): PredictHandlerVerdict, or what a crash legitimately ends with (W12, W15).
  kCrashingHandler,
  // Android: scripts whose ValueCallbacks, and setCookie calls whose callbacks, run more work on
  // the UI thread (A11, A21); always `clean`.
  kValueCallback,
  // kDeadlock's shape on WebView2 with the framework's waits weighted up: the UI thread drives a
  // chain rich in invoke and send (F4, F5, F7) across one or two workers, and sends favour the UI
  // thread, so that a send reaching a thread inside each kind of wait is common.
  kFrameworkWaits,
  // WebView2 with the CLR and the user (F2..F4, F10): Task.Run onto the pool, async methods read
  // with .Result, awaits resuming on the captured context or ConfigureAwait(false); the one chain
  // runs in Form_Load or in a click the scheduler times, other clicks are fire-and-forget
  // (PredictsDeadlock is exact here).
  kFrameworkAsync,
  // WebView2 calls the app gives up on: Form_Load navigates, then runs scripts raced against a
  // timer, cancelled by the user's click, or not awaited at all, while posted work may crash the
  // renderer under them (W12, W15). Always `clean`: an abandoned call is not a stall.
  kAbandoning,
  // The page as an actor (W7, W9.3, W17): Form_Load navigates, then ignores, awaits or blocks on
  // a script, and the user's clicks may message the page; the home page's scripts call host methods
  // (the first
  // one drives the one chain of posts and waits, on the UI thread, as a WebView2 callback; the
  // others are fire-and-forget), post, open at most one alert, which the program's
  // ScriptDialogOpening handler answers, and call window.open at most once, which its
  // NewWindowRequested handler (if any) answers (each maybe completing its deferral after awaiting
  // a script).
  // PredictsDeadlock and PredictsPageStall are exact here.
  kPageWaits,
  // Host methods as WebView2 callbacks (W4, W17): the page's load script calls host methods made
  // like kHandler's handlers without deferrals, and posts messages that a WebMessageReceived
  // handler made the same way may handle (W2); nothing blocks (PredictHandlerVerdict).
  kPageCallbacks,
};
inline constexpr int kProgramProfileCount = 10;

// A well-formed program of `profile`.
Program MakeProgram(ProgramProfile profile, ChoiceSource& choices);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_PROGRAM_SHAPES_H_
