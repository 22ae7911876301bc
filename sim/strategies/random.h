// Random walk: every decision uniformly at random among its options, from a PRNG reseeded per
// run from (seed, run index), so run i of a campaign is the same wherever it executes.
#ifndef WVSIM_SIM_STRATEGIES_RANDOM_H_
#define WVSIM_SIM_STRATEGIES_RANDOM_H_

#include "sim/prng.h"
#include "sim/strategy.h"

namespace wvsim::sim {

class RandomStrategy final : public Strategy {
 public:
  explicit RandomStrategy(uint64_t seed) : seed_(seed) {}

  std::string_view name() const override { return "random"; }
  bool BeginExecution(uint64_t index) override {
    prng_.Reseed(Prng::Derive(seed_, index));
    return true;
  }
  // Below(1) is 0 without a draw, so a thread that runs alone consumes no randomness.
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    return prng_.Below(static_cast<uint32_t>(choice.enabled.size()));
  }
  Prng* UniformThreadChoices() override { return &prng_; }
  uint32_t Choose(ChoiceKind, uint32_t count) override {
    return count == 1 ? 0 : prng_.Below(count);
  }

 private:
  uint64_t seed_;
  Prng prng_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_RANDOM_H_
