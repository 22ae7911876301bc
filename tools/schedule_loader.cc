#include "tools/schedule_loader.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "sim/atomic_file.h"
#include "sim/schedule_io.h"

namespace wvsim::tools {

namespace {

// The 1-based line of the first header line starting with `key`, for error messages; 0 if absent.
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

}  // namespace

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path) {
  absl::StatusOr<sim::Schedule> schedule = sim::ReadScheduleFile(path);
  if (!schedule.ok()) return schedule.status();
  LoadedSchedule loaded;
  loaded.scenario = sim::ScenarioRegistry::Global().Find(schedule->scenario);
  if (loaded.scenario == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", HeaderLine(path, "scenario:"), ": unknown scenario '",
                     schedule->scenario, "' (see 'wvsim list')"));
  }
  std::map<std::string, std::string> overrides(schedule->params.begin(), schedule->params.end());
  absl::StatusOr<sim::ParamValues> params = sim::ResolveParams(*loaded.scenario, overrides);
  if (!params.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", HeaderLine(path, "param:"), ": ", params.status().message()));
  }
  loaded.schedule = *std::move(schedule);
  loaded.params = *std::move(params);
  return loaded;
}

}  // namespace wvsim::tools
