// Loads a `.schedule` file for replay or shrink and finds its scenario: a registered one, or the
// one its scenario family builds from the file's `program:` lines (a generated program). Every
// problem is an InvalidArgument (or NotFound) whose message names the file and, where there is
// one, the line. The replay itself, parameters included, is sim/recording.h's.
#ifndef WVSIM_TOOLS_SCHEDULE_LOADER_H_
#define WVSIM_TOOLS_SCHEDULE_LOADER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::tools {

struct LoadedSchedule {
  sim::Schedule schedule;
  const sim::Scenario* scenario = nullptr;  // registered, or `built_scenario`
  // The scenario a family built from the file's `program:` lines (sim::ScenarioFamily).
  std::shared_ptr<const sim::Scenario> built_scenario;
};

absl::StatusOr<LoadedSchedule> LoadSchedule(const std::string& path);

}  // namespace wvsim::tools

#endif  // WVSIM_TOOLS_SCHEDULE_LOADER_H_
