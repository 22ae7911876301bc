#include "sim/scenario.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wvsim::sim {

namespace {

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

bool Scenario::Expects(Verdict verdict) const {
  return std::find(expected.begin(), expected.end(), verdict) != expected.end();
}

bool IsValidScenarioId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  size_t dots = 0;
  char previous = '.';
  for (char c : id) {
    if (c == '.') {
      if (previous == '.') return false;
      ++dots;
    } else if (!IsWordChar(c)) {
      return false;
    }
    previous = c;
  }
  return dots >= 1 && previous != '.';
}

absl::StatusOr<ParamValues> ResolveParams(const Scenario& scenario,
                                          const std::map<std::string, std::string>& overrides) {
  ParamValues values;
  for (const ScenarioParam& param : scenario.params) values[param.name] = param.default_value;
  for (const auto& [name, text] : overrides) {
    if (values.find(name) == values.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("scenario ", scenario.id, " has no parameter '", name, "'"));
    }
    int64_t value = 0;
    if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter ", name, ": '", text, "' is not an integer"));
    }
    values[name] = value;
  }
  return values;
}

ScenarioRegistry& ScenarioRegistry::Global() {
  static ScenarioRegistry* registry = new ScenarioRegistry();
  return *registry;
}

absl::Status ScenarioRegistry::Add(Scenario scenario) {
  if (!IsValidScenarioId(scenario.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scenario id '", scenario.id, "' is not <runtime>.<snake_case_name>"));
  }
  if (scenarios_.count(scenario.id) != 0) {
    return absl::AlreadyExistsError(absl::StrCat("scenario ", scenario.id, " is registered twice"));
  }
  if (!scenario.setup || scenario.expected.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("scenario ", scenario.id, " needs a setup function and expected verdicts"));
  }
  const bool has_budget =
      std::any_of(scenario.params.begin(), scenario.params.end(),
                  [](const ScenarioParam& p) { return p.name == kFaultBudgetParam; });
  if (!has_budget) {
    scenario.params.push_back(
        {std::string(kFaultBudgetParam), 0, "injected process faults allowed per run"});
  }
  std::string id = scenario.id;
  scenarios_.emplace(std::move(id), std::make_unique<Scenario>(std::move(scenario)));
  return absl::OkStatus();
}

const Scenario* ScenarioRegistry::Find(std::string_view id) const {
  auto it = scenarios_.find(id);
  return it == scenarios_.end() ? nullptr : it->second.get();
}

std::vector<const Scenario*> ScenarioRegistry::All() const {
  std::vector<const Scenario*> all;
  for (const auto& [id, scenario] : scenarios_) all.push_back(scenario.get());
  return all;
}

void RegisterScenarioOrDie(Scenario scenario) {
  absl::Status status = ScenarioRegistry::Global().Add(std::move(scenario));
  if (!status.ok()) {
    std::fprintf(stderr, "wvsim: %s\n", status.ToString().c_str());
    std::abort();
  }
}

internal::ScenarioRegistration::ScenarioRegistration(Scenario (*make)()) {
  RegisterScenarioOrDie(make());
}

}  // namespace wvsim::sim
