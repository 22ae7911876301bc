#include "props/program_run.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidcheck/detail/Configuration.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/strategies/byte_stream.h"
#include "wvsim/internal/test_names.h"

namespace wvsim::props {

namespace {

using testing::internal::CurrentTestName;
using testing::internal::FileNamePart;
using testing::internal::ShellWord;

constexpr uint64_t kStepsMax = 20'000;
constexpr char kDefaultFailureDir[] = "out/props-failures";

// Set by ScopedFailureDir; empty when none is in force.
std::string& OverriddenFailureDir() {
  static std::string dir;
  return dir;
}

std::string FailureDir() {
  if (!OverriddenFailureDir().empty()) return OverriddenFailureDir();
  const char* dir = std::getenv("WVSIM_PROPS_OUT");
  return dir != nullptr && *dir != '\0' ? dir : kDefaultFailureDir;
}

// The command that runs the failing property again with the configuration of this run (its seed
// and case count), so that rapidcheck finds and shrinks the same counterexample.
std::string RerunLine(const std::string& test) {
  const std::string params = rc::detail::configToMinimalString(rc::detail::configuration());
  std::string line = absl::StrCat("RC_PARAMS=", ShellWord(params), " ",
                                  ShellWord(testing::internal::ProgramPath()));
  if (!test.empty()) absl::StrAppend(&line, " ", ShellWord(absl::StrCat("--gtest_filter=", test)));
  return line;
}

}  // namespace

ProgramRun RunProgram(const Program& program, const ScheduleBytes& bytes) {
  ProgramRun run;
  const sim::Scenario scenario = model::programs::ProgramScenario(program, &run.observations);
  sim::Runner runner(scenario, {}, {.steps_max = kStepsMax});
  sim::ByteStreamStrategy strategy(bytes);
  strategy.BeginExecution(0);
  run.outcome = runner.Run(strategy, /*traced=*/true);
  run.trace_hash = runner.kernel().TraceHash();
  run.schedule = runner.LastSchedule(run.outcome, "bytes", 0, 0);
  return run;
}

std::string ReplayHint(const ProgramRun& run) {
  const std::string test = CurrentTestName();
  const std::string path =
      absl::StrCat(FailureDir(), "/", FileNamePart(test.empty() ? "program" : test), ".schedule");
  std::string hint = absl::StrCat("verdict ", sim::VerdictName(run.outcome.violation.kind), ": ",
                                  run.outcome.violation.report);
  if (absl::Status written = sim::WriteScheduleFile(path, run.schedule); written.ok()) {
    absl::StrAppend(&hint, "\nreproduce: wvsim replay ", path);
  } else {
    absl::StrAppend(&hint, "\n(could not write the schedule: ", written.message(), ")");
  }
  absl::StrAppend(&hint, "\nrerun the property: ", RerunLine(test));
  return hint;
}

ScopedFailureDir::ScopedFailureDir(std::string dir)
    : previous_(std::exchange(OverriddenFailureDir(), std::move(dir))) {}

ScopedFailureDir::~ScopedFailureDir() { OverriddenFailureDir() = std::move(previous_); }

}  // namespace wvsim::props
