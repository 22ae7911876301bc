#include "sim/shrink.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sim/recording.h"
#include "sim/runner.h"

namespace wvsim::sim {

namespace {

// One planned decision: a thread id for thread choices, a value for the others; `by_index` plans
// (taken from a recording) name the option's position instead.
struct Planned {
  uint32_t value = 0;
  bool by_index = false;
};

// Follows a plan, then continues without preempting. Records what it chose, by thread identity.
class GuidedStrategy final : public Strategy {
 public:
  explicit GuidedStrategy(std::vector<Planned> plan) : plan_(std::move(plan)) {}

  std::string_view name() const override { return "shrink"; }
  bool BeginExecution(uint64_t) override {
    position_ = 0;
    taken_.clear();
    preempted_.clear();
    return true;
  }
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    const auto count = static_cast<uint32_t>(choice.enabled.size());
    uint32_t index = count;
    if (position_ < plan_.size()) {
      const Planned& planned = plan_[position_];
      if (planned.by_index) {
        index = planned.value < count ? planned.value : count;
      } else {
        if (choice.enabled.contains(planned.value)) index = choice.enabled.index_of(planned.value);
      }
    }
    if (index == count) index = NonPreemptive(choice);
    ++position_;
    const uint32_t thread = choice.enabled[index];
    taken_.push_back({thread, false});
    preempted_.push_back(choice.previous_enabled && thread != choice.previous);
    return index;
  }
  uint32_t Choose(ChoiceKind, uint32_t count) override {
    uint32_t value = 0;
    if (position_ < plan_.size() && plan_[position_].value < count) value = plan_[position_].value;
    ++position_;
    taken_.push_back({value, false});
    preempted_.push_back(false);
    return value;
  }

  const std::vector<Planned>& taken() const { return taken_; }
  const std::vector<bool>& preempted() const { return preempted_; }

 private:
  static uint32_t NonPreemptive(const ThreadChoice& choice) {
    if (!choice.previous_enabled) return 0;
    return choice.enabled.index_of(choice.previous);
  }

  std::vector<Planned> plan_;
  size_t position_ = 0;
  std::vector<Planned> taken_;
  std::vector<bool> preempted_;
};

struct Candidate {
  RunOutcome outcome;
  std::vector<Planned> taken;
  std::vector<bool> preempted;
};

class Search {
 public:
  Search(Runner& runner, Verdict kind, uint64_t runs_max)
      : runner_(runner), kind_(kind), runs_max_(runs_max) {}

  Candidate Run(std::vector<Planned> plan) {
    ++runs_;
    GuidedStrategy guided(std::move(plan));
    guided.BeginExecution(0);
    Candidate candidate;
    candidate.outcome = runner_.Run(guided, /*traced=*/false);
    candidate.taken = guided.taken();
    candidate.preempted = guided.preempted();
    return candidate;
  }

  // Whether `candidate` keeps the violation and is no worse than `best` in steps or preemptions.
  bool Improves(const Candidate& candidate, const Candidate& best) const {
    const RunOutcome& o = candidate.outcome;
    if (o.violation.kind != kind_ || o.diverged) return false;
    if (o.steps > best.outcome.steps || o.preemptions > best.outcome.preemptions) return false;
    return o.steps < best.outcome.steps || o.preemptions < best.outcome.preemptions;
  }

  bool budget_left() const { return runs_ < runs_max_; }
  uint64_t runs() const { return runs_; }

  // The shortest prefix of best's plan that still fails (binary search), if it is better.
  bool Truncate(Candidate& best) {
    size_t low = 0;
    size_t high = best.taken.size();
    bool improved = false;
    while (low < high && budget_left()) {
      const size_t middle = low + (high - low) / 2;
      Candidate candidate = Run({best.taken.begin(), best.taken.begin() + middle});
      if (Improves(candidate, best)) {
        best = std::move(candidate);
        improved = true;
        high = std::min(middle, best.taken.size());
      } else {
        low = middle + 1;
      }
    }
    return improved;
  }

  // Tries to remove each preemption of best's plan, latest first: either drop the preempting
  // decision (the thread it switched to runs later, where the plan next names it) or replace it
  // by a decision that continues the running thread.
  bool DropPreemptions(Candidate& best) {
    bool improved = false;
    for (size_t i = best.preempted.size(); i-- > 0 && budget_left();) {
      if (i >= best.preempted.size() || !best.preempted[i]) continue;
      for (const bool replace : {false, true}) {
        std::vector<Planned> plan(best.taken.begin(), best.taken.begin() + i);
        if (replace) plan.push_back({UINT32_MAX, false});  // no such thread: continue instead
        plan.insert(plan.end(), best.taken.begin() + i + 1, best.taken.end());
        Candidate candidate = Run(std::move(plan));
        if (Improves(candidate, best)) {
          best = std::move(candidate);
          improved = true;
          break;
        }
      }
    }
    return improved;
  }

 private:
  Runner& runner_;
  Verdict kind_;
  uint64_t runs_max_;
  uint64_t runs_ = 0;
};

}  // namespace

namespace {

// "<file>:<line>: <problem>" for a schedule read from a file; the problem alone otherwise.
std::string Located(const Schedule& input, std::string_view key, const std::string& problem) {
  const std::string at = input.source.At(key);
  return at.empty() ? problem : absl::StrCat(at, ": ", problem);
}

// The input's own run, where the search starts: it must end with a violation, and within the
// kernel's limits.
absl::StatusOr<Candidate> FirstRun(Search& search, const Scenario& scenario, const Runner& runner,
                                   const Schedule& input) {
  std::vector<Planned> recorded;
  for (const Decision& decision : input.decisions) recorded.push_back({decision.chosen, true});
  Candidate first = search.Run(std::move(recorded));
  if (!first.outcome.configuration_error.empty()) {
    return absl::InvalidArgumentError(
        Located(input, "scenario",
                absl::StrCat(DescribeConfiguration(scenario, runner.params()), ": ",
                             first.outcome.configuration_error)));
  }
  if (first.outcome.violation.kind == Verdict::kClean) {
    return absl::FailedPreconditionError(
        Located(input, "verdict",
                "the schedule ends clean when replayed: there is no violation to shrink"));
  }
  return first;
}

}  // namespace

absl::StatusOr<ShrinkResult> Shrink(const Scenario& scenario, const Schedule& input,
                                    uint64_t runs_max) {
  // The search only follows the recording's choices, so it prepares a lenient replay of it.
  absl::StatusOr<std::unique_ptr<Runner>> prepared =
      PrepareReplay(scenario, input, {.lenient = true});
  if (!prepared.ok()) return prepared.status();
  Runner& runner = **prepared;
  Search search(runner, Verdict::kClean, runs_max);
  absl::StatusOr<Candidate> first = FirstRun(search, scenario, runner, input);
  if (!first.ok()) return first.status();
  Candidate best = *std::move(first);
  const Verdict kind = best.outcome.violation.kind;
  Search shrink(runner, kind, runs_max);
  while (shrink.budget_left()) {
    const bool truncated = shrink.Truncate(best);
    const bool dropped = shrink.DropPreemptions(best);
    if (!truncated && !dropped) break;
  }
  GuidedStrategy final_run(best.taken);
  final_run.BeginExecution(0);
  const RunOutcome outcome = runner.Run(final_run, /*traced=*/true);
  ShrinkResult result;
  // The decisions are the shrinker's own: no strategy and seed would find them again.
  result.schedule = runner.LastSchedule(outcome, "replay", 0, 0);
  result.runs = search.runs() + shrink.runs() + 1;
  return result;
}

}  // namespace wvsim::sim
