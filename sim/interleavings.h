// How much a scenario really interleaves (issue 15): how many schedules a bounded depth-first walk
// finds, and how many distinct orders one of its threads dispatched its messages in. The first
// counts every interleaving; the second only those the code on that thread can see (the order of
// its events, completions, posted work and input), which is what an app's bugs depend on. For
// make bench's table (bench/figures.cc) and its test (tests/interleavings_test.cc).
#ifndef WVSIM_SIM_INTERLEAVINGS_H_
#define WVSIM_SIM_INTERLEAVINGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/kernel.h"
#include "sim/scenario.h"

namespace wvsim::sim {

struct ScheduleCount {
  uint64_t schedules = 0;  // distinct schedules run, at most the cap
  bool exhausted = false;  // the walk ran out before the cap: `schedules` is all there are
};

// The scenario's parameters set otherwise than by default (name -> decimal text, as --param).
using ParamOverrides = std::map<std::string, std::string>;

// `wvsim explore ID --strategy dfs --depth DEPTH --iterations CAP --param ...`: the schedules the
// walk ran before it ran out or reached `cap`.
ScheduleCount DfsSchedules(const Scenario& scenario, const ParamOverrides& params, uint32_t depth,
                           uint64_t cap);

// Over `runs` random runs (seeds 0..runs-1 of the campaign seed `seed`): in how many distinct
// orders the thread named `thread` dispatched its messages, messages told apart by their labels
// (Kernel::DispatchOrderHash). Runs that end in a violation count too. 0 when `params` are not
// the scenario's.
uint64_t DistinctDispatchOrders(const Scenario& scenario, const ParamOverrides& params,
                                std::string_view thread, uint64_t runs, uint64_t seed = 0);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_INTERLEAVINGS_H_
