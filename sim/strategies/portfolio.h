// A portfolio spreads runs over its member strategies, as Coyote's default does: random walks
// find shallow bugs fast, PCT finds the ones that need a few well-placed preemptions. Run i goes
// to a member picked by a hash of i, not by i mod m, so that every share of a sharded campaign
// (runs I, I+N, I+2N, ...) still gets every member.
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
  explicit PortfolioStrategy(std::vector<std::unique_ptr<Strategy>> members)
      : members_(std::move(members)) {
    WVSIM_ASSERT_MSG(!members_.empty(), "a portfolio needs at least one member");
  }

  std::string_view name() const override { return "portfolio"; }
  bool BeginExecution(uint64_t index) override {
    active_ = members_[Prng::Derive(kMemberSalt, index) % members_.size()].get();
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
  static constexpr uint64_t kMemberSalt = 0x706f7274666f6c69;  // "portfoli"
  std::vector<std::unique_ptr<Strategy>> members_;
  Strategy* active_ = nullptr;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_PORTFOLIO_H_
