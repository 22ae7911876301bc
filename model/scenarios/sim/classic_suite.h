// The classic concurrency-bug suite (issue 18): twelve kernel programs with a bug, each with a
// clean twin that differs only in the fix, for DPOR's proofs and the strategies' time to bug
// (bench/classic_suite.cc). Four pairs were there before (classic_programs.cc, peer_programs.cc,
// which now also has sim.abba's twin); classic_suite.cc adds the other eight.
#ifndef WVSIM_MODEL_SCENARIOS_SIM_CLASSIC_SUITE_H_
#define WVSIM_MODEL_SCENARIOS_SIM_CLASSIC_SUITE_H_

#include <vector>

#include "sim/scenario.h"

namespace wvsim::model {

struct ClassicPair {
  const char* bug;   // scenario id of the program with the bug
  const char* twin;  // scenario id of its clean twin
  const char* kind;  // the class of bug, for tables: "lock-order inversion"
  // False for a twin every step of which depends on the others, so that a partial-order
  // reduction has nothing to remove (model/scenarios/sim/README.md says why, for each).
  bool reducible = true;
};

// Every pair of the suite, in table order.
const std::vector<ClassicPair>& ClassicSuite();

// The scenarios classic_suite.cc adds (both members of its eight pairs).
std::vector<sim::Scenario> ClassicSuiteScenarios();

}  // namespace wvsim::model

#endif  // WVSIM_MODEL_SCENARIOS_SIM_CLASSIC_SUITE_H_
