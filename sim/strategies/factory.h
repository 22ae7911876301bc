// Builds a strategy from its name and options, as the CLI and the test API name them.
#ifndef WVSIM_SIM_STRATEGIES_FACTORY_H_
#define WVSIM_SIM_STRATEGIES_FACTORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "sim/strategy.h"

namespace wvsim::sim {

struct StrategyOptions {
  uint64_t seed = 0;
  // PCT's bug depth d (at least 1), DFS's preemption bound, or the cap on ipb's preemption bound
  // or idb's delay bound; none = the strategy's default.
  std::optional<uint32_t> depth = std::nullopt;
  uint64_t steps_hint = 0;  // PCT's first estimate of k; 0: none, k from the runs seen
};

inline constexpr uint32_t kDefaultPctDepth = 3;
inline constexpr uint32_t kDefaultPreemptionBound = 2;
// ipb and idb raise their bound until the tree is complete unless --depth caps it.
inline constexpr uint32_t kIterativeBoundCapDefault = UINT32_MAX;

// "random", "pct", "dfs", "ipb", "idb", "dpor" or "portfolio"; an unknown name, PCT depth 0, or
// a depth for dpor is InvalidArgument.
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view name,
                                                       const StrategyOptions& options);

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_FACTORY_H_
