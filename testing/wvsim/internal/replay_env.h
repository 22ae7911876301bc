// WVSIM_REPLAY inside a user's test binary (testing.h's file comment has the contract): the one
// place that reads the variable, replays the schedule it names, and prints the trace. Internal to
// wvsim::testing; not installed.
//
//   if (std::optional<Result> replayed = ReplayIfRequested(scenario)) return *replayed;
//   ... explore as usual ...
#ifndef WVSIM_TESTING_WVSIM_INTERNAL_REPLAY_ENV_H_
#define WVSIM_TESTING_WVSIM_INTERNAL_REPLAY_ENV_H_

#include <optional>
#include <string>

#include "sim/scenario.h"
#include "wvsim/testing.h"

namespace wvsim::testing::internal {

inline constexpr char kReplayVariable[] = "WVSIM_REPLAY";
inline constexpr char kLenientVariable[] = "WVSIM_REPLAY_LENIENT";

// The value of WVSIM_REPLAY, or empty when it is unset or empty.
std::string ReplayPath();

// A Result for `scenario` with nothing run yet.
Result NewResult(const sim::Scenario& scenario, std::string how);

// Nothing when WVSIM_REPLAY is unset or names a schedule of another scenario. Otherwise the
// replay of that schedule against `scenario` (its trace and verdict printed to stdout, once per
// process), or, when the file cannot be used, a Result whose error says why.
std::optional<Result> ReplayIfRequested(const sim::Scenario& scenario);

}  // namespace wvsim::testing::internal

#endif  // WVSIM_TESTING_WVSIM_INTERNAL_REPLAY_ENV_H_
