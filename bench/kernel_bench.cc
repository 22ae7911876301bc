// Google Benchmark micro-benchmarks of the kernel: one run of each peer program, and the bare
// step loop that a scheduling step is compared against (bench/figures.cc prints the targets).
#include "bench/bare_loop.h"
#include "benchmark/benchmark.h"
#include "model/builtin_scenarios.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"

namespace wvsim::bench {
namespace {

void RunScenario(benchmark::State& state, const char* id) {
  model::RegisterBuiltinScenarios();
  sim::Runner runner(*sim::ScenarioRegistry::Global().Find(id), sim::ParamValues{});
  sim::RandomStrategy random(1);
  uint64_t index = 0;
  uint64_t steps = 0;
  for (auto _ : state) {
    random.BeginExecution(index++);
    steps += runner.Run(random, false).steps;
  }
  state.counters["steps/run"] =
      benchmark::Counter(static_cast<double>(steps) / static_cast<double>(index));
}

void BM_Counter(benchmark::State& state) { RunScenario(state, "sim.counter"); }
void BM_Ops(benchmark::State& state) { RunScenario(state, "sim.ops"); }
void BM_Abba(benchmark::State& state) { RunScenario(state, "sim.abba"); }

void BM_BareStep(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(RunBareLoop(1000));
  state.SetItemsProcessed(state.iterations() * 1000);
}

BENCHMARK(BM_Counter);
BENCHMARK(BM_Ops);
BENCHMARK(BM_Abba);
BENCHMARK(BM_BareStep);

}  // namespace
}  // namespace wvsim::bench

BENCHMARK_MAIN();
