// Runs a generated program under a generated schedule, for the property suites, and turns a
// failing case into a `.schedule` file that `wvsim replay` reproduces.
//
//   ProgramRun run = RunProgram(program, bytes);
//   RC_ASSERT(run.outcome.violation.kind == Verdict::kClean) << ReplayHint(run);
#ifndef WVSIM_PROPS_PROGRAM_RUN_H_
#define WVSIM_PROPS_PROGRAM_RUN_H_

#include <cstdint>
#include <string>

#include "model/programs/interpreter.h"
#include "props/program_gen.h"
#include "sim/kernel.h"
#include "sim/schedule.h"

namespace wvsim::props {

struct ProgramRun {
  sim::RunOutcome outcome;
  model::programs::ProgramObservations observations;
  uint64_t trace_hash = 0;
  sim::Schedule schedule;  // the run as a schedule file holds it, program included
};

// One traced run of `program`, each scheduler choice taken from `bytes` (ByteStreamStrategy).
ProgramRun RunProgram(const Program& program, const ScheduleBytes& bytes);

// Writes the run's schedule to <dir>/<Suite.Test>.schedule (the running GoogleTest test;
// `program.schedule` outside one) and returns the lines for the failure message: the verdict, the
// `wvsim replay` command, and the RC_PARAMS line that re-runs the property with this run's seed.
// <dir> is $WVSIM_PROPS_OUT, else `out/props-failures` under the working directory. Each failing
// attempt of a test overwrites the file, so once rapidcheck has shrunk the case it holds the
// smallest counterexample. rapidcheck itself prints its RC_PARAMS="reproduce=..." string (which
// replays the shrunk case at once) when the test binary exits; a property cannot read it.
std::string ReplayHint(const ProgramRun& run);

// Sends the failure files of this scope to `dir` instead (planted_defects_prop.cc, whose failures
// are expected, points them at a temporary folder). Not thread-safe; scopes nest.
class ScopedFailureDir {
 public:
  explicit ScopedFailureDir(std::string dir);
  ~ScopedFailureDir();
  ScopedFailureDir(const ScopedFailureDir&) = delete;
  ScopedFailureDir& operator=(const ScopedFailureDir&) = delete;

 private:
  std::string previous_;
};

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_PROGRAM_RUN_H_
