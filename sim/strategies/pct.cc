#include "sim/strategies/pct.h"

#include <algorithm>
#include <bit>

#include "sim/assert.h"

namespace wvsim::sim {

namespace {
// Initial priorities lie above this; lowered ones (1 .. depth-1) below it.
constexpr uint64_t kInitialPriorityBase = 1ull << 32;

// Whether `a` ranks above `b`: the higher priority, and on a tie (astronomically rare for initial
// priorities) the lower thread id.
bool RanksAbove(uint64_t a_priority, uint32_t a_thread, uint64_t b_priority, uint32_t b_thread) {
  return a_priority != b_priority ? a_priority > b_priority : a_thread < b_thread;
}
}  // namespace

PctStrategy::PctStrategy(uint64_t seed, uint32_t depth, uint64_t steps_hint)
    : seed_(seed), depth_(depth == 0 ? 1 : depth), steps_estimate_(steps_hint) {}

bool PctStrategy::BeginExecution(uint64_t index) {
  prng_.Reseed(Prng::Derive(seed_, index));
  ranked_ = 0;
  seen_ = 0;
  change_steps_.clear();
  changes_made_ = 0;
  // d-1 distinct change points, uniform over [0, k); none while k is unknown.
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

void PctStrategy::Place(Ranked entry) {
  WVSIM_ASSERT(ranked_ < ranking_.size());
  uint32_t at = ranked_;
  // Shift the lower-ranked entries down by one, from the bottom up.
  while (at > 0 && RanksAbove(entry.priority, entry.thread, ranking_[at - 1].priority,
                              ranking_[at - 1].thread)) {
    ranking_[at] = ranking_[at - 1];
    --at;
  }
  ranking_[at] = entry;
  ++ranked_;
}

void PctStrategy::RankNewThreads(uint64_t fresh) {
  // In id order, so that the draws happen in a fixed order.
  for (; fresh != 0; fresh &= fresh - 1) {
    const auto thread = static_cast<uint32_t>(std::countr_zero(fresh));
    Place({kInitialPriorityBase + (prng_.Next() >> 32), thread});
    seen_ |= uint64_t{1} << thread;
  }
}

void PctStrategy::Lower(uint32_t thread, uint64_t priority) {
  uint32_t at = 0;
  while (at < ranked_ && ranking_[at].thread != thread) ++at;
  WVSIM_ASSERT_MSG(at < ranked_, "only a ranked thread has its priority lowered");
  std::copy(ranking_.begin() + at + 1, ranking_.begin() + ranked_, ranking_.begin() + at);
  --ranked_;
  Place({priority, thread});
}

uint32_t PctStrategy::HighestEnabled(uint64_t enabled) const {
  for (uint32_t at = 0; at < ranked_; ++at) {
    if ((enabled >> ranking_[at].thread) & 1) return ranking_[at].thread;
  }
  WVSIM_ASSERT_MSG(false, "every enabled thread is ranked");
  return 0;
}

uint32_t PctStrategy::ChooseThread(const ThreadChoice& choice) {
  WVSIM_ASSERT_MSG(!choice.enabled.empty(), "a thread choice is never empty");
  const uint64_t enabled = choice.enabled.mask();
  if (const uint64_t fresh = enabled & ~seen_; fresh != 0) RankNewThreads(fresh);
  uint32_t chosen = HighestEnabled(enabled);
  for (size_t i = 0; i < change_steps_.size(); ++i) {
    if (change_steps_[i] != choice.step) continue;
    WVSIM_ASSERT(i + 1 < depth_);  // lowered priorities stay in 1 .. depth-1
    Lower(chosen, depth_ - 1 - i);
    ++changes_made_;
    chosen = HighestEnabled(enabled);
  }
  return choice.enabled.index_of(chosen);
}

void PctStrategy::EndExecution(uint64_t steps) {
  steps_estimate_ = std::max(steps_estimate_, steps);
}

}  // namespace wvsim::sim
