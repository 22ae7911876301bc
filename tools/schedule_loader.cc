#include "tools/schedule_loader.h"

#include "absl/strings/str_cat.h"
#include "model/programs/interpreter.h"
#include "model/programs/program_text.h"
#include "sim/schedule_io.h"

namespace wvsim::tools {

namespace {

// A generated program travels in the file's `program:` lines under the scenario id
// wv2.generated_program; anything else carries none.
absl::Status LoadProgram(const sim::Schedule& schedule, LoadedSchedule& loaded) {
  const sim::ScheduleSource& source = schedule.source;
  const bool program_id = schedule.scenario == model::programs::kProgramScenarioId ||
                          schedule.scenario == model::programs::kAndroidProgramScenarioId;
  if (!program_id && schedule.program.empty()) return absl::OkStatus();
  if (!program_id || schedule.program.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source.At(program_id ? "scenario" : "program"), ": scenarios ",
        model::programs::kProgramScenarioId, " and ", model::programs::kAndroidProgramScenarioId,
        " carry 'program:' lines, and only they do"));
  }
  absl::StatusOr<model::programs::Program> program =
      model::programs::ParseProgram(schedule.program);
  if (!program.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.At("program"), ": ", program.status().message()));
  }
  if (model::programs::ProgramScenarioId(program->runtime) != schedule.scenario) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.At("scenario"), ": the program's runtime does not match scenario ",
                     schedule.scenario));
  }
  loaded.program_scenario =
      std::make_shared<const sim::Scenario>(model::programs::ProgramScenario(*std::move(program)));
  loaded.scenario = loaded.program_scenario.get();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path) {
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  if (!schedule.ok()) return schedule.status();
  LoadedSchedule loaded;
  loaded.scenario = sim::ScenarioRegistry::Global().Find(schedule->scenario);
  if (absl::Status program = LoadProgram(*schedule, loaded); !program.ok()) return program;
  if (loaded.scenario == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(schedule->source.At("scenario"),
                                                   ": unknown scenario '", schedule->scenario,
                                                   "' (see 'wvsim list')"));
  }
  loaded.schedule = *std::move(schedule);
  return loaded;
}

}  // namespace wvsim::tools
