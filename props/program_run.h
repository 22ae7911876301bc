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

// Writes the run's schedule under $WVSIM_PROPS_OUT (default `props-failures/`, relative to the
// working directory) and returns a line for the failure message: the `wvsim replay` command.
// rapidcheck prints the RC_PARAMS reproduce string for the whole case itself.
std::string ReplayHint(const ProgramRun& run);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_PROGRAM_RUN_H_
