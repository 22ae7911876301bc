// Runs libFuzzer targets as child processes for `make bench`'s time-to-bug table
// (bench/time_to_bug.cc): each run with its own flags and environment, a few at a time, and what
// its output says: whether wvsim's find mode crashed it, after how many executions, how fast.
//
// Reads the wall clock and forks; bench/ may, sim/ and model/ may not.
#ifndef WVSIM_BENCH_FUZZER_RUN_H_
#define WVSIM_BENCH_FUZZER_RUN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wvsim::bench {

struct FuzzerRun {
  std::string binary;
  std::vector<std::string> flags;        // libFuzzer's, e.g. "-seed=3", "-max_total_time=60"
  std::vector<std::string> environment;  // NAME=VALUE, added to this process's environment
};

struct FuzzerResult {
  bool ran = false;         // the process ran and printed libFuzzer's final stats
  bool found = false;       // the target reported "wvsim fuzz: found:" (find mode's crash)
  uint64_t executions = 0;  // stat::number_of_executed_units, the crashing one included
  uint64_t executions_per_second = 0;  // stat::average_exec_per_sec
  double seconds = 0;                  // wall clock from fork to exit, start-up included
  double cpu_seconds = 0;              // user and system time of the process
  std::string log;                     // the run's output, kept when it did not run as expected
};

// Runs `runs` with at most `jobs` processes at once, in order. Before starting run i it asks
// `skip(i)` (runs already finished have been reported), so a caller can drop runs whose answer
// no longer matters; after run i ends it calls `done(i, result)`. Logs and crash artifacts go to
// a temporary folder that is removed at the end; each run gets "-artifact_prefix=" into it and
// "-print_final_stats=1" appended to its flags.
void RunFuzzers(const std::vector<FuzzerRun>& runs, int jobs,
                const std::function<bool(size_t)>& skip,
                const std::function<void(size_t, const FuzzerResult&)>& done);

}  // namespace wvsim::bench

#endif  // WVSIM_BENCH_FUZZER_RUN_H_
