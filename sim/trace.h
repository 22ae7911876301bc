// The trace of a traced run: one event per step and per thing that happened in between (a post,
// a dispatch, a handler's return, a timer, a model's note, the verdict).
//
// The text form, one line per event ("  step  ticks thread     what"), is what `wvsim replay`
// prints and what the trace hash is computed over, so it must only ever contain simulated facts.
// Tools build other views (JSON, Perfetto) from the events.
#ifndef WVSIM_SIM_TRACE_H_
#define WVSIM_SIM_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/object.h"

namespace wvsim::sim {

enum class TraceKind : uint8_t {
  kSpawn,       // a thread was created
  kStep,        // a thread was chosen and performs its operation (text: "lock(b)")
  kPost,        // a message was queued
  kDispatch,    // a message loop started a handler (or resumed a parked one)
  kHandlerEnd,  // the handler returned
  kPark,        // the handler awaited something not yet done and left the stack
  kQuit,        // a message loop ended
  kTimer,       // a timer fired
  kChoice,      // a model's nondeterministic choice
  kNote,        // a model's remark (Kernel::Log)
  kViolation,   // the run's verdict was decided
  kEnd,         // the run ended clean
};

// "spawn", "step", ...
const char* TraceKindName(TraceKind kind);

struct TraceEvent {
  uint64_t step = 0;
  uint64_t ticks = 0;
  std::string thread;  // the thread it happened on; empty for none
  TraceKind kind = TraceKind::kNote;
  WaitKind waited = WaitKind::kNone;  // for kStep: how the thread had been waiting
  std::string text;
};

std::string FormatTraceLine(const TraceEvent& event);
std::string FormatTrace(const std::vector<TraceEvent>& events);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_TRACE_H_
