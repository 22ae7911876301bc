// A portfolio rotates its member strategies run by run (run i goes to member i mod m, as the
// member's (i / m)-th run), as Coyote's default does: random walks find shallow bugs fast, PCT
// finds the ones that need a few well-placed preemptions.
#ifndef WVSIM_SIM_STRATEGIES_PORTFOLIO_H_
#define WVSIM_SIM_STRATEGIES_PORTFOLIO_H_

#include <memory>
#include <vector>

#include "sim/strategy.h"

namespace wvsim::sim {

class PortfolioStrategy final : public Strategy {
 public:
  explicit PortfolioStrategy(std::vector<std::unique_ptr<Strategy>> members)
      : members_(std::move(members)) {}

  std::string_view name() const override { return "portfolio"; }
  bool BeginExecution(uint64_t index) override {
    active_ = members_[index % members_.size()].get();
    return active_->BeginExecution(index / members_.size());
  }
  uint32_t ChooseThread(const ThreadChoice& choice) override { return active_->ChooseThread(choice); }
  uint32_t Choose(ChoiceKind kind, uint32_t count) override { return active_->Choose(kind, count); }
  void EndExecution(uint64_t steps) override { active_->EndExecution(steps); }

  const Strategy& active() const { return *active_; }

 private:
  std::vector<std::unique_ptr<Strategy>> members_;
  Strategy* active_ = nullptr;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_PORTFOLIO_H_
