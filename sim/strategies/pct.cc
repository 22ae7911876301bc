#include "sim/strategies/pct.h"

#include <algorithm>

#include "sim/assert.h"

namespace wvsim::sim {

namespace {
// Initial priorities lie above this; lowered ones (1 .. depth-1) below it.
constexpr uint64_t kInitialPriorityBase = 1ull << 32;
}  // namespace

PctStrategy::PctStrategy(uint64_t seed, uint32_t depth, uint64_t steps_hint)
    : seed_(seed),
      depth_(depth == 0 ? 1 : depth),
      steps_estimate_(steps_hint == 0 ? 1 : steps_hint) {}

bool PctStrategy::BeginExecution(uint64_t index) {
  prng_.Reseed(Prng::Derive(seed_, index));
  priorities_.clear();
  change_steps_.clear();
  changes_made_ = 0;
  // d-1 distinct change points, uniform over [0, k).
  const uint64_t k = steps_estimate_;
  const uint32_t wanted = static_cast<uint32_t>(std::min<uint64_t>(depth_ - 1, k));
  while (change_steps_.size() < wanted) {
    const uint64_t step =
        k <= UINT32_MAX ? prng_.Below(static_cast<uint32_t>(k)) : prng_.Next() % k;
    if (std::find(change_steps_.begin(), change_steps_.end(), step) == change_steps_.end()) {
      change_steps_.push_back(step);
    }
  }
  WVSIM_ASSERT(change_steps_.size() < depth_);
  return true;
}

uint64_t PctStrategy::PriorityOf(uint32_t thread) {
  if (thread >= priorities_.size()) priorities_.resize(thread + 1, 0);
  if (priorities_[thread] == 0) {
    // A random rank among the threads seen so far; ties (astronomically rare) go to the lower id.
    priorities_[thread] = kInitialPriorityBase + (prng_.Next() >> 32);
  }
  return priorities_[thread];
}

uint32_t PctStrategy::ChooseThread(const ThreadChoice& choice) {
  // Give every enabled thread its priority first, in id order, so that draws happen in a fixed
  // order; the comparisons below then only read.
  WVSIM_ASSERT_MSG(!choice.enabled.empty(), "a thread choice is never empty");
  for (uint32_t thread : choice.enabled) PriorityOf(thread);
  auto highest = [&] {
    uint32_t best = 0;
    for (uint32_t i = 1; i < choice.enabled.size(); ++i) {
      if (priorities_[choice.enabled[i]] > priorities_[choice.enabled[best]]) best = i;
    }
    return best;
  };
  uint32_t chosen = highest();
  for (size_t i = 0; i < change_steps_.size(); ++i) {
    if (change_steps_[i] != choice.step) continue;
    WVSIM_ASSERT(i + 1 < depth_);  // lowered priorities stay in 1 .. depth-1
    priorities_[choice.enabled[chosen]] = depth_ - 1 - i;
    ++changes_made_;
    chosen = highest();
  }
  WVSIM_ASSERT(chosen < choice.enabled.size());
  return chosen;
}

void PctStrategy::EndExecution(uint64_t steps) {
  steps_estimate_ = std::max(steps_estimate_, steps);
}

}  // namespace wvsim::sim
