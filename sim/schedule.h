// A schedule: every decision one run made, plus the headers that say how to run it again.
//
// The kernel appends a Decision at every point where its strategy chose (which thread runs, which
// of several due timers fires first, whether a fault happens, ...). Written to a `.schedule` file
// (docs/schedule-format.md) it is what `wvsim replay` re-executes and checks step by step.
//
// Plain data; not thread-safe.
#ifndef WVSIM_SIM_SCHEDULE_H_
#define WVSIM_SIM_SCHEDULE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/verdict.h"

namespace wvsim::sim {

// What a decision was about.
enum class ChoiceKind : uint8_t {
  kThread,  // which enabled virtual thread takes the next step
  kTimer,   // which of several timers due at the same instant fires first
  kFault,   // whether and where an injected fault (crash, hang) happens
  kValue,   // any other nondeterministic choice a model asks for
};

// "thread", "timer", "fault", "value".
const char* ChoiceKindName(ChoiceKind kind);

struct Decision {
  ChoiceKind kind = ChoiceKind::kThread;
  uint32_t chosen = 0;  // index of the option taken, < count
  uint32_t count = 1;   // number of options there were
  // What the chosen option was, for people and for replay's check: for a thread choice the
  // thread's name and the operation it was about to perform ("t1 lock(b)"). Empty when the run
  // was not traced.
  std::string label;

  bool operator==(const Decision&) const = default;
};

// Where a parsed schedule came from: its source name (the file's path) and the line of each
// header, so that an error found after parsing (an unknown parameter, another model version, a
// strict replay's missing trace hash) names the line without reading the file again. Not part of
// the schedule's value: two schedules with the same content are equal wherever they were read.
struct ScheduleSource {
  std::string name;  // ParseSchedule's source_name; empty for a schedule built in memory
  // Key -> 1-based line: a header's key ("scenario", "model-version", ...), "param:<name>" for a
  // parameter, "program" for the first program line, and "---" for the end of the headers.
  std::map<std::string, uint32_t, std::less<>> lines;

  bool parsed() const { return !name.empty() || !lines.empty(); }
  // The line of `key`; 0 when it was not in the file.
  uint32_t Line(std::string_view key) const;
  // Whether the file had header `key`. A schedule built in memory has every header.
  bool Has(std::string_view key) const { return !parsed() || Line(key) != 0; }
  // "<name>:<line>" for an error about `key`: its line, else the "---" line (where a missing
  // header is reported), else just the name.
  std::string At(std::string_view key) const;

  friend bool operator==(const ScheduleSource&, const ScheduleSource&) { return true; }
};

struct Schedule {
  static constexpr int kFormatVersion = 1;

  std::string scenario;                       // scenario id, "sim.abba"
  std::map<std::string, std::string> params;  // scenario parameters, name -> value
  // The scenario's payload (Scenario::payload), one `program:` header per line: what a
  // ScenarioFamily builds the scenario from; empty for a registered scenario.
  std::vector<std::string> payload;
  // The strategy that produced it: random, pct, dfs, ipb, idb, dpor, portfolio,
  // bytes.
  std::string strategy = "random";
  uint64_t seed = 0;
  uint32_t depth = 0;          // PCT depth or DFS preemption bound, 0 when unused
  uint64_t max_steps = 0;      // the step limit of the run
  uint32_t model_version = 0;  // the model's behaviour version the run was recorded with
  Verdict verdict = Verdict::kClean;
  uint64_t trace_hash = 0;
  uint64_t steps = 0;  // scheduling steps the run took
  uint64_t preemptions = 0;
  std::vector<Decision> decisions;
  ScheduleSource source;  // filled in by ParseSchedule

  bool operator==(const Schedule&) const = default;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_SCHEDULE_H_
