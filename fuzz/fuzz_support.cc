#include "fuzz/fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/schedule_io.h"
#include "sim/strategies/byte_stream.h"

namespace wvsim::fuzz {

namespace {

// libFuzzer treats a byte array in this section as extra coverage: the kernel's interleaving
// features (which thread preempted which, which handler ran after which) land here.
constexpr size_t kFeatureCounters = 1 << 12;
__attribute__((used, section("__libfuzzer_extra_counters"))) uint8_t
    feature_counters[kFeatureCounters];

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

int RunScenarioFromBytes(std::string_view runtime, const uint8_t* data, size_t size) {
  static const std::vector<const sim::Scenario*> scenarios = [&] {
    model::RegisterBuiltinScenarios();
    return ScenariosOf(runtime);
  }();
  static const char* find = std::getenv("WVSIM_FUZZ_FIND");
  if (scenarios.empty() || size == 0) return 0;
  const sim::Scenario* scenario = scenarios[data[0] % scenarios.size()];
  if (find != nullptr) {
    scenario = sim::ScenarioRegistry::Global().Find(find);
    if (scenario == nullptr) {
      std::fprintf(stderr, "wvsim fuzz: WVSIM_FUZZ_FIND names no scenario: %s\n", find);
      std::exit(2);
    }
  }
  sim::KernelLimits limits;
  limits.steps_max = kFuzzStepsMax;
  sim::Runner runner(*scenario, *sim::ResolveParams(*scenario, {}), limits);
  UseFeatureCounters(runner);
  sim::ByteStreamStrategy bytes(absl::MakeConstSpan(data + 1, size - 1));
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
  return 0;
}

}  // namespace wvsim::fuzz
