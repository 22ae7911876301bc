#include "fuzz/fuzz_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/strategies/byte_stream.h"

namespace wvsim::fuzz {

namespace {

// libFuzzer treats a byte array in this section as extra coverage: the kernel's interleaving
// features (which thread preempted which, which handler ran after which) land here.
constexpr size_t kFeatureCounters = 1 << 12;
__attribute__((used, section("__libfuzzer_extra_counters")))
uint8_t feature_counters[kFeatureCounters];

std::vector<const sim::Scenario*> ScenariosOf(std::string_view runtime) {
  std::vector<const sim::Scenario*> scenarios;
  for (const sim::Scenario* scenario : sim::ScenarioRegistry::Global().All()) {
    if (scenario->runtime() == runtime) scenarios.push_back(scenario);
  }
  return scenarios;
}

}  // namespace

[[noreturn]] void CrashWithSchedule(sim::Runner& runner, const sim::RunOutcome& outcome,
                                    const char* why) {
  const std::vector<sim::Decision> decisions = runner.kernel().Decisions();
  const sim::RunOutcome traced = runner.Replay(decisions, /*lenient=*/false);
  const sim::Schedule schedule = runner.LastSchedule(traced, "bytes", 0, 0);
  const char* folder = std::getenv("WVSIM_FUZZ_SCHEDULES");
  const std::string path =
      absl::StrFormat("%s/%s.%s.%016x.schedule", folder != nullptr ? folder : "out/fuzz",
                      schedule.scenario, sim::VerdictName(schedule.verdict), schedule.trace_hash);
  const absl::Status written = sim::WriteScheduleFile(path, schedule);
  std::fprintf(stderr, "wvsim fuzz: %s: %s ended %s: %s\n  schedule: %s%s\n", why,
               schedule.scenario.c_str(), sim::VerdictName(outcome.violation.kind),
               outcome.violation.report.c_str(), path.c_str(),
               written.ok() ? "" : " (could not be written)");
  std::abort();
}

void UseFeatureCounters(sim::Runner& runner) {
  static const bool enabled = [] {
    const char* features = std::getenv("WVSIM_FUZZ_FEATURES");
    return features == nullptr || std::string_view(features) != "0";
  }();
  if (enabled) runner.kernel().SetFeatureCounters(feature_counters, kFeatureCounters);
}

namespace {

// Exit code 2 as for every usage error of wvsim. _Exit, not exit: libFuzzer's exit hook would
// report an exit during fuzzing as a crash of the target.
[[noreturn]] void ExitWithUsageError(const std::string& message) {
  std::fprintf(stderr, "wvsim fuzz: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

// Whether `scenario` takes a parameter `name` (every scenario takes the fault budget).
bool Declares(const sim::Scenario& scenario, const std::string& name) {
  return name == sim::kFaultBudgetParam ||
         std::any_of(scenario.params.begin(), scenario.params.end(),
                     [&name](const sim::ScenarioParam& param) { return param.name == name; });
}

// WVSIM_FUZZ_PARAMS ("NAME=VALUE,NAME=VALUE"): parameters for every scenario that declares them,
// such as a harder sim.ordering_depth_3 (steps_per_thread=24) or a fault budget. A name no
// scenario of this runtime declares is a usage error.
std::map<std::string, std::string> ParamOverrides(
    const std::vector<const sim::Scenario*>& scenarios) {
  std::map<std::string, std::string> overrides;
  const char* text = std::getenv("WVSIM_FUZZ_PARAMS");
  if (text == nullptr || *text == '\0') return overrides;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const std::vector<std::string> parts = absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty()) {
      ExitWithUsageError(absl::StrCat("WVSIM_FUZZ_PARAMS: \"", item, "\" is not NAME=VALUE"));
    }
    const bool declared = std::any_of(
        scenarios.begin(), scenarios.end(),
        [&parts](const sim::Scenario* scenario) { return Declares(*scenario, parts[0]); });
    if (!declared) {
      ExitWithUsageError(
          absl::StrCat("WVSIM_FUZZ_PARAMS: no scenario here has a parameter ", parts[0]));
    }
    overrides[parts[0]] = parts[1];
  }
  return overrides;
}

// The overrides a scenario declares, resolved against its defaults.
sim::ParamValues ParamsFor(const sim::Scenario& scenario,
                           const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> own;
  for (const auto& [name, value] : overrides) {
    if (Declares(scenario, name)) own[name] = value;
  }
  absl::StatusOr<sim::ParamValues> params = sim::ResolveParams(scenario, own);
  if (!params.ok()) {
    ExitWithUsageError(
        absl::StrCat("WVSIM_FUZZ_PARAMS: ", scenario.id, ": ", params.status().message()));
  }
  return *std::move(params);
}

// One Runner per scenario for the whole campaign: a Kernel keeps its threads, queues and
// buffers from one run to the next (Kernel::Reset), so an input costs the run and nothing else.
// `index` is the scenario's place among the target's (no string lookup per input).
sim::Runner& RunnerFor(const sim::Scenario& scenario, size_t index,
                       const std::map<std::string, std::string>& overrides) {
  static std::vector<std::unique_ptr<sim::Runner>> runners;
  if (runners.size() <= index) runners.resize(index + 1);
  std::unique_ptr<sim::Runner>& runner = runners[index];
  if (runner == nullptr) {
    sim::KernelLimits limits;
    limits.steps_max = kFuzzStepsMax;
    runner = std::make_unique<sim::Runner>(scenario, ParamsFor(scenario, overrides), limits);
    UseFeatureCounters(*runner);
  }
  return *runner;
}

}  // namespace

int RunScenarioFromBytes(std::string_view runtime, const uint8_t* data, size_t size) {
  static const std::vector<const sim::Scenario*> scenarios = [&] {
    model::RegisterBuiltinScenarios();
    return ScenariosOf(runtime);
  }();
  static const char* find = std::getenv("WVSIM_FUZZ_FIND");
  static const sim::Scenario* found_scenario = [] {
    if (find == nullptr) return static_cast<const sim::Scenario*>(nullptr);
    const sim::Scenario* named = sim::ScenarioRegistry::Global().Find(find);
    if (named == nullptr)
      ExitWithUsageError(absl::StrCat("WVSIM_FUZZ_FIND names no scenario: ", find));
    return named;
  }();
  static const std::map<std::string, std::string> overrides =
      ParamOverrides(found_scenario != nullptr ? std::vector{found_scenario} : scenarios);
  if (scenarios.empty() || size == 0) return 0;
  const size_t index = found_scenario != nullptr ? 0 : data[0] % scenarios.size();
  const sim::Scenario* scenario = found_scenario != nullptr ? found_scenario : scenarios[index];
  sim::Runner& runner = RunnerFor(*scenario, index, overrides);
  static sim::ByteStreamStrategy bytes({});
  bytes.Reset(absl::MakeConstSpan(data + 1, size - 1));
  bytes.BeginExecution(0);
  const sim::RunOutcome outcome = runner.Run(bytes, /*traced=*/false);
  const sim::Verdict verdict = outcome.violation.kind;
  if (find != nullptr) {
    if (verdict != sim::Verdict::kClean && scenario->Expects(verdict)) {
      CrashWithSchedule(runner, outcome, "found");
    }
  } else if (verdict != sim::Verdict::kClean && !scenario->Expects(verdict)) {
    // One run of a buggy scenario may well end clean (the bug needs its interleaving); what must
    // never happen is a violation the scenario does not expect.
    CrashWithSchedule(runner, outcome, "unexpected verdict");
  }
  runner.kernel().ReleaseRun();
  return 0;
}

}  // namespace wvsim::fuzz
