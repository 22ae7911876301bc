// Counting a scenario's schedules and its thread's dispatch orders (interleavings.h).
#include "sim/interleavings.h"

#include <set>
#include <utility>

#include "sim/explorer.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"

namespace wvsim::sim {

ScheduleCount DfsSchedules(const Scenario& scenario, const ParamOverrides& params, uint32_t depth,
                           uint64_t cap) {
  ExploreConfig config;
  config.strategy = "dfs";
  config.depth = depth;
  config.iterations = cap;
  config.params = params;
  const auto result = Explore(scenario, config);
  if (!result.ok()) return {};
  return {result->executions, result->exhausted};
}

uint64_t DistinctDispatchOrders(const Scenario& scenario, const ParamOverrides& params,
                                std::string_view thread, uint64_t runs, uint64_t seed) {
  absl::StatusOr<ParamValues> values = ResolveParams(scenario, params);
  if (!values.ok()) return 0;
  Runner runner(scenario, *std::move(values));
  runner.kernel().set_track_dispatch_orders(true);
  RandomStrategy random(seed);
  std::set<uint64_t> orders;  // ordered: nothing here depends on a hash map's iteration
  for (uint64_t run = 0; run < runs; ++run) {
    random.BeginExecution(run);
    runner.Run(random, /*traced=*/false);
    orders.insert(runner.kernel().DispatchOrderHash(thread));
  }
  return orders.size();
}

}  // namespace wvsim::sim
