#include "tools/schedule_loader.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "model/programs/interpreter.h"
#include "model/programs/program_text.h"
#include "sim/atomic_file.h"
#include "sim/schedule_io.h"

namespace wvsim::tools {

int HeaderLine(const std::string& path, const std::string& key) {
  absl::StatusOr<std::string> text = sim::ReadFileAtMost(path, sim::kMaxScheduleFileBytes);
  if (!text.ok()) return 0;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    if (absl::StartsWith(line, key)) return number;
    if (line == "---") break;
  }
  return 0;
}

namespace {

// A generated program travels in the file's `program:` lines under the scenario id
// wv2.generated_program; anything else carries none.
absl::Status LoadProgram(const std::string& path, const sim::Schedule& schedule,
                         LoadedSchedule& loaded) {
  const bool program_id = schedule.scenario == model::programs::kProgramScenarioId ||
                          schedule.scenario == model::programs::kAndroidProgramScenarioId;
  if (!program_id && schedule.program.empty()) return absl::OkStatus();
  if (!program_id || schedule.program.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", HeaderLine(path, program_id ? "scenario:" : "program:"), ": scenarios ",
        model::programs::kProgramScenarioId, " and ", model::programs::kAndroidProgramScenarioId,
        " carry 'program:' lines, and only they do"));
  }
  absl::StatusOr<model::programs::Program> program =
      model::programs::ParseProgram(schedule.program);
  if (!program.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", HeaderLine(path, "program:"), ": ", program.status().message()));
  }
  if (model::programs::ProgramScenarioId(program->runtime) != schedule.scenario) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", HeaderLine(path, "scenario:"),
                                                   ": the program's runtime does not match scenario ",
                                                   schedule.scenario));
  }
  loaded.program_scenario = std::make_shared<const sim::Scenario>(
      model::programs::ProgramScenario(*std::move(program)));
  loaded.scenario = loaded.program_scenario.get();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path) {
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  if (!schedule.ok()) return schedule.status();
  LoadedSchedule loaded;
  loaded.scenario = sim::ScenarioRegistry::Global().Find(schedule->scenario);
  if (absl::Status program = LoadProgram(path, *schedule, loaded); !program.ok()) return program;
  if (loaded.scenario == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", HeaderLine(path, "scenario:"),
                                                   ": unknown scenario '", schedule->scenario,
                                                   "' (see 'wvsim list')"));
  }
  // Resolved one at a time, so that an error names the line of the parameter at fault.
  for (const auto& [name, value] : schedule->params) {
    absl::StatusOr<sim::ParamValues> one = sim::ResolveParams(*loaded.scenario, {{name, value}});
    if (!one.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", HeaderLine(path, absl::StrCat("param: ", name, "=")), ": ",
                       one.status().message()));
    }
  }
  absl::StatusOr<sim::ParamValues> params =
      sim::ResolveParams(*loaded.scenario, {schedule->params.begin(), schedule->params.end()});
  if (!params.ok()) return params.status();
  loaded.schedule = *std::move(schedule);
  loaded.params = *std::move(params);
  return loaded;
}

}  // namespace wvsim::tools
