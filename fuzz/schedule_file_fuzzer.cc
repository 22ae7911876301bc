// The `.schedule` reader and the replayer on arbitrary bytes: never a crash, a hang or a leak;
// every rejection is a clean error naming the source, and whatever is accepted formats back to
// the same schedule and replays (leniently, within a step bound) without incident.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "model/builtin_scenarios.h"
#include "model/programs/interpreter.h"
#include "model/programs/program_text.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "schedule_file_fuzzer: %s\n", what);
  std::abort();
}

// A file's generated program, when it carries one that parses: the replayer runs it too.
std::optional<wvsim::sim::Scenario> ProgramOf(const wvsim::sim::Schedule& schedule) {
  namespace programs = wvsim::model::programs;
  if (schedule.scenario != programs::kProgramScenarioId &&
      schedule.scenario != programs::kAndroidProgramScenarioId) {
    return std::nullopt;
  }
  absl::StatusOr<programs::Program> program = programs::ParseProgram(schedule.payload);
  if (!program.ok()) {
    if (program.status().code() != absl::StatusCode::kInvalidArgument) Fail("program error kind");
    return std::nullopt;
  }
  if (programs::ParseProgram(programs::FormatProgram(*program)).value_or(programs::Program{}) !=
      *program) {
    Fail("program format and parse do not round-trip");
  }
  return programs::ProgramScenario(*std::move(program));
}

void Replay(const wvsim::sim::Schedule& schedule) {
  const std::optional<wvsim::sim::Scenario> program = ProgramOf(schedule);
  const wvsim::sim::Scenario* scenario =
      program.has_value() ? &*program
                          : wvsim::sim::ScenarioRegistry::Global().Find(schedule.scenario);
  if (scenario == nullptr) return;
  std::map<std::string, std::string> overrides(schedule.params.begin(), schedule.params.end());
  auto params = wvsim::sim::ResolveParams(*scenario, overrides);
  if (!params.ok()) return;
  wvsim::sim::KernelLimits limits;
  limits.steps_max = wvsim::fuzz::kFuzzStepsMax;  // a file may ask for any number: bound it
  wvsim::sim::Runner runner(*scenario, *std::move(params), limits);
  (void)runner.Replay(schedule.decisions, /*lenient=*/true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool registered = (wvsim::model::RegisterBuiltinScenarios(), true);
  (void)registered;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<wvsim::sim::Schedule> parsed = wvsim::sim::ParseSchedule(text, "input");
  if (!parsed.ok()) {
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument) Fail("not InvalidArgument");
    if (parsed.status().message().substr(0, 6) != "input:") Fail("error without its source");
    return 0;
  }
  if (!wvsim::sim::ValidateSchedule(*parsed).ok()) Fail("accepted a schedule it cannot write");
  absl::StatusOr<wvsim::sim::Schedule> again =
      wvsim::sim::ParseSchedule(wvsim::sim::FormatSchedule(*parsed), "again");
  if (!again.ok() || !(*again == *parsed)) Fail("format and parse do not round-trip");
  Replay(*parsed);
  return 0;
}
