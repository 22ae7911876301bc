#include "tools/schedule_loader.h"

#include "absl/strings/str_cat.h"
#include "sim/schedule_io.h"

namespace wvsim::tools {

namespace {

// A scenario of a family (sim::ScenarioFamily, such as a generated program) is built from the
// file's `program:` lines; a registered scenario carries none.
absl::Status BuildFromPayload(const sim::ScenarioFamily& family, LoadedSchedule& loaded) {
  const sim::Schedule& schedule = loaded.schedule;
  if (schedule.payload.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(schedule.source.At("scenario"), ": scenario ",
                                                   family.id,
                                                   " is built from 'program:' lines, and the file "
                                                   "has none"));
  }
  absl::StatusOr<sim::Scenario> built = family.build(schedule.payload);
  if (!built.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(schedule.source.At("program"), ": ", built.status().message()));
  }
  loaded.built_scenario = std::make_shared<const sim::Scenario>(*std::move(built));
  loaded.scenario = loaded.built_scenario.get();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path) {
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  if (!schedule.ok()) return schedule.status();
  LoadedSchedule loaded;
  loaded.schedule = *std::move(schedule);
  const sim::ScheduleSource& source = loaded.schedule.source;
  const sim::ScenarioRegistry& registry = sim::ScenarioRegistry::Global();
  if (const sim::ScenarioFamily* family = registry.FindFamily(loaded.schedule.scenario)) {
    if (absl::Status built = BuildFromPayload(*family, loaded); !built.ok()) return built;
    return loaded;
  }
  if (!loaded.schedule.payload.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.At("program"), ": scenario ", loaded.schedule.scenario,
                     " carries no 'program:' lines; only generated programs do"));
  }
  loaded.scenario = registry.Find(loaded.schedule.scenario);
  if (loaded.scenario == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(source.At("scenario"), ": unknown scenario '",
                                                   loaded.schedule.scenario,
                                                   "' (see 'wvsim list')"));
  }
  return loaded;
}

}  // namespace wvsim::tools
