#include "tools/schedule_loader.h"

#include "absl/strings/str_cat.h"
#include "sim/recording.h"
#include "sim/schedule_io.h"

namespace wvsim::tools {

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path) {
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  if (!schedule.ok()) return schedule.status();
  LoadedSchedule loaded;
  loaded.scenario = sim::ScenarioRegistry::Global().Find(schedule->scenario);
  if (loaded.scenario == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", sim::ScheduleHeaderLine(path, "scenario:"), ": unknown scenario '",
                     schedule->scenario, "' (see 'wvsim list')"));
  }
  absl::StatusOr<sim::ParamValues> params = sim::RecordedParams(*loaded.scenario, *schedule, path);
  if (!params.ok()) return params.status();
  loaded.schedule = *std::move(schedule);
  loaded.params = *std::move(params);
  return loaded;
}

}  // namespace wvsim::tools
