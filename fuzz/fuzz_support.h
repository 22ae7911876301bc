// What the schedule fuzzers share: turning input bytes into a run of a registered scenario, and
// turning a run that should not have happened into a `.schedule` file before crashing.
//
// The first input byte picks a scenario among those of one runtime (ids in registry order); the
// rest drive every decision through the byte-stream strategy (sim/strategies/byte_stream.h).
// Check mode (the default): a violation outside the scenario's expected set is a crash (a clean
// run is always fine: a buggy scenario needs the right interleaving to fail). Find mode
// (environment variable WVSIM_FUZZ_FIND=<scenario id>): every input runs that scenario, and
// reaching one of its expected violations is the crash, which is how time-to-bug is measured.
// Either way the crashing run's schedule is written first, to WVSIM_FUZZ_SCHEDULES (default
// out/fuzz), so that `wvsim replay` reproduces it. Besides edge coverage, the fuzzer sees the
// kernel's interleaving features through libFuzzer's extra counters (Kernel::SetFeatureCounters);
// WVSIM_FUZZ_FEATURES=0 turns them off (edge coverage alone), which is how `make bench` measures
// what they are worth. WVSIM_FUZZ_PARAMS="NAME=VALUE,..." sets scenario parameters (a name no
// scenario of the target declares, or a bad value, exits 2 with the problem named).
#ifndef WVSIM_FUZZ_FUZZ_SUPPORT_H_
#define WVSIM_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/runner.h"

namespace wvsim::fuzz {

// Steps a fuzzed run may take: enough for every scenario, small enough to keep inputs fast.
inline constexpr uint64_t kFuzzStepsMax = 20'000;

// Writes the schedule of the runner's last run (re-run with full tracing) to WVSIM_FUZZ_SCHEDULES
// (default out/fuzz), prints why, and aborts, so that the fuzzer keeps the input and the user has
// a file `wvsim replay` reproduces.
[[noreturn]] void CrashWithSchedule(sim::Runner& runner, const sim::RunOutcome& outcome,
                                    const char* why);

// Gives `runner`'s kernel libFuzzer's extra counters, unless WVSIM_FUZZ_FEATURES=0 asks for edge
// coverage alone. Every target calls this rather than Kernel::SetFeatureCounters, so that one
// switch covers them all.
void UseFeatureCounters(sim::Runner& runner);

// Runs the scenario of `runtime` ("sim", "wv2", "android") that `data` picks, driven by `data`.
// Returns 0; writes a schedule and aborts on a crash as described above.
int RunScenarioFromBytes(std::string_view runtime, const uint8_t* data, size_t size);

}  // namespace wvsim::fuzz

#endif  // WVSIM_FUZZ_FUZZ_SUPPORT_H_
