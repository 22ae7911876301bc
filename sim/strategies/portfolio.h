// A portfolio spreads runs over its member strategies, as Coyote's default does: random walks
// find shallow bugs fast, PCT finds the ones that need a few well-placed preemptions. Each member
// has a weight, its share of the runs. Run i goes to a member picked by a hash of i, not by i mod
// m, so that every share of a sharded campaign (runs I, I+N, I+2N, ...) still gets every member.
// The mix `--strategy portfolio` uses is chosen from measurements (sim/strategies/factory.cc,
// docs/performance.md). A recorded schedule holds the choices, not the member that made them, so
// replaying it does not depend on the mix.
#ifndef WVSIM_SIM_STRATEGIES_PORTFOLIO_H_
#define WVSIM_SIM_STRATEGIES_PORTFOLIO_H_

#include <memory>
#include <vector>

#include "sim/assert.h"
#include "sim/prng.h"
#include "sim/strategy.h"

namespace wvsim::sim {

class PortfolioStrategy final : public Strategy {
 public:
  struct Member {
    std::unique_ptr<Strategy> strategy;
    uint32_t weight = 1;  // its share of the runs: weight / the sum of the weights
  };

  explicit PortfolioStrategy(std::vector<Member> members) : members_(std::move(members)) {
    WVSIM_ASSERT_MSG(!members_.empty(), "a portfolio needs at least one member");
    for (const Member& member : members_) {
      WVSIM_ASSERT_MSG(member.strategy != nullptr && member.weight > 0,
                       "every member is a strategy with a share of the runs");
      total_weight_ += member.weight;
    }
  }
  // Equal shares.
  explicit PortfolioStrategy(std::vector<std::unique_ptr<Strategy>> members)
      : PortfolioStrategy(Equal(std::move(members))) {}

  std::string_view name() const override { return "portfolio"; }
  bool BeginExecution(uint64_t index) override {
    uint64_t slot = Prng::Derive(kMemberSalt, index) % total_weight_;
    size_t member = 0;
    while (slot >= members_[member].weight) slot -= members_[member++].weight;
    active_ = members_[member].strategy.get();
    return active_->BeginExecution(index);
  }
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    WVSIM_ASSERT_MSG(active_ != nullptr, "BeginExecution picks a member first");
    return active_->ChooseThread(choice);
  }
  Prng* UniformThreadChoices() override { return active_->UniformThreadChoices(); }
  uint32_t Choose(ChoiceKind kind, uint32_t count) override { return active_->Choose(kind, count); }
  void EndExecution(uint64_t steps) override { active_->EndExecution(steps); }
  bool Revisiting() const override { return active_->Revisiting(); }

  const Strategy& active() const { return *active_; }

 private:
  static std::vector<Member> Equal(std::vector<std::unique_ptr<Strategy>> strategies) {
    std::vector<Member> members;
    for (auto& strategy : strategies) members.push_back(Member{std::move(strategy), 1});
    return members;
  }

  static constexpr uint64_t kMemberSalt = 0x706f7274666f6c69;  // "portfoli"
  std::vector<Member> members_;
  uint64_t total_weight_ = 0;
  Strategy* active_ = nullptr;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_PORTFOLIO_H_
