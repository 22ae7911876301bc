// Shrinking a violating schedule: a schedule with no more steps and no more preemptions than the
// input that still ends with the same violation kind, as short as the search finds.
//
// The search re-runs the scenario under a guided strategy that follows a plan of threads by
// identity (not by position, so removing one decision does not scramble the rest) and, past the
// plan or where the planned thread is not enabled, continues without preempting. Two passes,
// repeated while they help: cut the plan to the shortest prefix that still fails, then drop
// preemptions one at a time. Deterministic: the same input gives the same output.
#ifndef WVSIM_SIM_SHRINK_H_
#define WVSIM_SIM_SHRINK_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "sim/scenario.h"
#include "sim/schedule.h"

namespace wvsim::sim {

struct ShrinkResult {
  Schedule schedule;  // traced: labels and trace hash filled in
  uint64_t runs = 0;  // executions the search used
};

// `input` must end with a violation when replayed (FailedPrecondition otherwise); its parameters
// must suit `scenario` (InvalidArgument naming the `param:` line otherwise: the recording is
// prepared as a lenient replay, sim/recording.h). `runs_max` bounds the search.
absl::StatusOr<ShrinkResult> Shrink(const Scenario& scenario, const Schedule& input,
                                    uint64_t runs_max = 20'000);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_SHRINK_H_
