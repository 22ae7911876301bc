#include "sim/trace.h"

#include <array>

#include "absl/strings/str_format.h"

namespace wvsim::sim {

const char* TraceKindName(TraceKind kind) {
  static constexpr std::array<const char*, 12> kNames = {
      "spawn", "step",  "post",   "dispatch", "handler_end", "park",
      "quit",  "timer", "choice", "note",     "violation",   "end",
  };
  return kNames[static_cast<int>(kind)];
}

std::string FormatTraceLine(const TraceEvent& event) {
  return absl::StrFormat("%5d %6d %-10s %s\n", event.step, event.ticks,
                         event.thread.empty() ? "-" : event.thread, event.text);
}

std::string FormatTrace(const std::vector<TraceEvent>& events) {
  std::string text;
  for (const TraceEvent& event : events) text += FormatTraceLine(event);
  return text;
}

}  // namespace wvsim::sim
