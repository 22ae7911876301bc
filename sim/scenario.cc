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

ScenarioParam FaultBudgetParam(int64_t default_value, std::string description) {
  return ScenarioParam{.name = std::string(kFaultBudgetParam),
                       .default_value = default_value,
                       .description = std::move(description),
                       .min = 0,
                       .max = kFaultBudgetMax};
}

namespace {

std::string RangeText(const ScenarioParam& param) {
  return absl::StrCat(param.min, " to ", param.max);
}

absl::StatusOr<int64_t> ParseParamValue(const Scenario& scenario, const ScenarioParam& param,
                                        const std::string& text) {
  int64_t value = 0;
  // SimpleAtoi refuses what does not fit an int64 as well as what is not a number.
  const bool number = absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &value);
  if (!number || value < param.min || value > param.max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter ", param.name, " of scenario ", scenario.id, ": '", text, "' is ",
        number ? "out of its range, " : "not an integer in its range, ", RangeText(param)));
  }
  return value;
}

const ScenarioParam* FindParam(const Scenario& scenario, const std::string& name) {
  for (const ScenarioParam& param : scenario.params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

absl::Status CheckParamDeclarations(const Scenario& scenario) {
  for (const ScenarioParam& param : scenario.params) {
    if (param.min <= param.default_value && param.default_value <= param.max) continue;
    return absl::InvalidArgumentError(absl::StrCat("scenario ", scenario.id, ": parameter ",
                                                   param.name, "'s default ", param.default_value,
                                                   " is outside its range, ", RangeText(param)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ParamValues> ResolveParams(const Scenario& scenario,
                                          const std::map<std::string, std::string>& overrides) {
  ParamValues values;
  for (const ScenarioParam& param : scenario.params) values[param.name] = param.default_value;
  for (const auto& [name, text] : overrides) {
    const ScenarioParam* param = FindParam(scenario, name);
    if (param == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("scenario ", scenario.id, " has no parameter '", name, "'"));
    }
    absl::StatusOr<int64_t> value = ParseParamValue(scenario, *param, text);
    if (!value.ok()) return value.status();
    values[name] = *value;
  }
  return values;
}

std::string DescribeConfiguration(const Scenario& scenario, const ParamValues& values) {
  std::string text = scenario.id;
  for (const auto& [name, value] : values) {
    absl::StrAppend(&text, text.size() == scenario.id.size() ? " with " : ", ", name, "=", value);
  }
  return text;
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
  if (scenarios_.count(scenario.id) != 0 || families_.count(scenario.id) != 0) {
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
    scenario.params.push_back(FaultBudgetParam(0, "injected process faults allowed per run"));
  }
  if (absl::Status declared = CheckParamDeclarations(scenario); !declared.ok()) return declared;
  std::string id = scenario.id;
  scenarios_.emplace(std::move(id), std::make_unique<Scenario>(std::move(scenario)));
  return absl::OkStatus();
}

const Scenario* ScenarioRegistry::Find(std::string_view id) const {
  auto it = scenarios_.find(id);
  return it == scenarios_.end() ? nullptr : it->second.get();
}

absl::Status ScenarioRegistry::AddFamily(ScenarioFamily family) {
  if (!IsValidScenarioId(family.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scenario family id '", family.id, "' is not <runtime>.<snake_case_name>"));
  }
  if (scenarios_.count(family.id) != 0 || families_.count(family.id) != 0) {
    return absl::AlreadyExistsError(absl::StrCat("scenario ", family.id, " is registered twice"));
  }
  if (!family.build) {
    return absl::InvalidArgumentError(
        absl::StrCat("scenario family ", family.id, " needs a build function"));
  }
  std::string id = family.id;
  families_.emplace(std::move(id), std::move(family));
  return absl::OkStatus();
}

const ScenarioFamily* ScenarioRegistry::FindFamily(std::string_view id) const {
  auto it = families_.find(id);
  return it == families_.end() ? nullptr : &it->second;
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

detail::ScenarioRegistration::ScenarioRegistration(Scenario (*make)()) {
  RegisterScenarioOrDie(make());
}

}  // namespace wvsim::sim
