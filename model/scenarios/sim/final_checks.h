// End-of-run checks on a kernel scenario's shared variables: a final assertion that fails the run
// at quiescence, naming the variable, its value and what was expected.
#ifndef WVSIM_MODEL_SCENARIOS_SIM_FINAL_CHECKS_H_
#define WVSIM_MODEL_SCENARIOS_SIM_FINAL_CHECKS_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/sync.h"

namespace wvsim::model {

// Fails the run at quiescence when `holds(value)` is false for `variable`'s final value;
// `expectation` says in words what holds ("at least 0").
template <typename Holds>
void CheckAtEnd(sim::Kernel& kernel, const sim::Shared<int>& variable, std::string expectation,
                Holds holds) {
  kernel.AddQuiescenceCheck(
      sim::CheckPhase::kFinal,
      [&variable, expectation = std::move(expectation), holds]() -> std::optional<sim::Violation> {
        if (holds(variable.Peek())) return std::nullopt;
        return sim::Violation{
            sim::Verdict::kAssertion, variable.name(),
            absl::StrCat(variable.name(), " is ", variable.Peek(), ", expected ", expectation)};
      });
}

// Fails the run at quiescence unless `variable` ends equal to `expected`.
inline void ExpectAtEnd(sim::Kernel& kernel, const sim::Shared<int>& variable, int expected) {
  CheckAtEnd(kernel, variable, absl::StrCat(expected),
             [expected](int value) { return value == expected; });
}

}  // namespace wvsim::model

#endif  // WVSIM_MODEL_SCENARIOS_SIM_FINAL_CHECKS_H_
