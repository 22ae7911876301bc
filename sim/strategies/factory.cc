#include "sim/strategies/factory.h"

#include "absl/strings/str_cat.h"
#include "sim/prng.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/dpor.h"
#include "sim/strategies/pct.h"
#include "sim/strategies/portfolio.h"
#include "sim/strategies/random.h"

namespace wvsim::sim {

namespace {

// The portfolio's shares of the runs (sum 6): random walks, then PCT at depths 1, 2 and 3.
constexpr uint32_t kPortfolioRandomWeight = 2;
constexpr uint32_t kPortfolioPctWeights[3] = {1, 1, 2};

}  // namespace

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view name,
                                                       const StrategyOptions& options) {
  if (name == "random") return std::make_unique<RandomStrategy>(options.seed);
  if (name == "pct") {
    const uint32_t depth = options.depth.value_or(kDefaultPctDepth);
    if (depth == 0) return absl::InvalidArgumentError("PCT's depth must be at least 1");
    return std::make_unique<PctStrategy>(options.seed, depth, options.steps_hint);
  }
  if (name == "dfs") {
    return std::make_unique<DfsStrategy>(options.depth.value_or(kDefaultPreemptionBound));
  }
  if (name == "ipb" || name == "idb") {
    return std::make_unique<DfsStrategy>(DfsStrategy::Options{
        .budget = name == "ipb" ? DfsStrategy::Budget::kPreemptions : DfsStrategy::Budget::kDelays,
        .bound = options.depth.value_or(kIterativeBoundCapDefault),
        .iterative = true});
  }
  if (name == "dpor") {
    // It ends when every equivalence class (within the preemption bound --depth, when given)
    // was run, or at the iteration cap.
    return std::make_unique<DporStrategy>(options.depth);
  }
  if (name == "portfolio") {
    // Random walks and PCT at depths 1 to 3, each with its own seed stream, weighed by the time
    // to bug measured over every buggy built-in scenario (docs/performance.md, "Choosing the
    // portfolio's mix"): random walks are the fastest on most of them and PCT d=3 alone finds
    // the deep orderings, so each gets a third of the runs; PCT d=1 is the fastest on the
    // WebView2 crash scenarios and d=2 on none by much, a sixth each.
    std::vector<PortfolioStrategy::Member> members;
    members.push_back(
        {std::make_unique<RandomStrategy>(Prng::Derive(options.seed, 1)), kPortfolioRandomWeight});
    for (uint32_t d = 1; d <= 3; ++d) {
      members.push_back(
          {std::make_unique<PctStrategy>(Prng::Derive(options.seed, 1 + d), d, options.steps_hint),
           kPortfolioPctWeights[d - 1]});
    }
    return std::make_unique<PortfolioStrategy>(std::move(members));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown strategy '", std::string(name), "' (random, pct, dfs, ipb, idb, dpor, portfolio)"));
}

}  // namespace wvsim::sim
