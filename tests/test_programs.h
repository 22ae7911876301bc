// Helpers for the kernel's unit tests: a way to write a thread body as a coroutine lambda, a
// one-call runner for a setup function, and small strategies that make a test's schedule explicit.
//
//   std::vector<int> log;
//   RunOutcome outcome = RunProgram([&](Kernel& k) {
//     k.Spawn("t", Body([&]() -> Task<> { log.push_back(1); co_await k.Yield(); }));
//   });
//
// Body() keeps the lambda inside the coroutine frame that runs it, so the lambda's captures live
// as long as the thread does (a bare coroutine lambda's closure would die at the end of the
// full expression that called it).
#ifndef WVSIM_TESTS_TEST_PROGRAMS_H_
#define WVSIM_TESTS_TEST_PROGRAMS_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/kernel.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/strategies/byte_stream.h"
#include "sim/strategies/dfs.h"
#include "sim/strategy.h"
#include "sim/sync.h"

namespace wvsim::sim::testing {

// Runs the coroutine lambda `body` as a task; the lambda lives in this frame until it finishes.
template <typename F>
Task<> Body(F body) {
  co_await body();
}

// A scenario around a setup function, for the Runner and the Explorer.
// Two threads take two mutexes in opposite orders: the lock-order deadlock, found only with a
// preemption between a thread's two locks.
inline void AbbaProgram(Kernel& k) {
  Mutex& a = k.Make<Mutex>(k, "a");
  Mutex& b = k.Make<Mutex>(k, "b");
  k.Spawn("t1", Body([&]() -> Task<> {
            co_await a.Lock();
            co_await b.Lock();
            co_await b.Unlock();
            co_await a.Unlock();
          }));
  k.Spawn("t2", Body([&]() -> Task<> {
            co_await b.Lock();
            co_await a.Lock();
            co_await a.Unlock();
            co_await b.Unlock();
          }));
}

inline Scenario MakeScenario(std::function<void(Kernel&)> setup,
                             std::vector<Verdict> expected = {Verdict::kClean},
                             std::string id = "test.program") {
  Scenario scenario;
  scenario.id = std::move(id);
  scenario.description = "a unit test's program";
  scenario.expected = std::move(expected);
  scenario.params = {{std::string(kFaultBudgetParam), 0, "faults"}};
  scenario.setup = std::move(setup);
  return scenario;
}

// Chooses with a function of the options; every other decision takes option 0.
class FunctionStrategy final : public Strategy {
 public:
  using Chooser = std::function<uint32_t(const ThreadChoice&)>;
  explicit FunctionStrategy(Chooser chooser) : chooser_(std::move(chooser)) {}
  std::string_view name() const override { return "function"; }
  bool BeginExecution(uint64_t index) override { return index == 0; }
  uint32_t ChooseThread(const ThreadChoice& choice) override { return chooser_(choice); }
  uint32_t Choose(ChoiceKind, uint32_t) override { return 0; }

 private:
  Chooser chooser_;
};

// Thread and value choices take the first option; every fault choice takes `pick` (or the last
// option when there are fewer).
class FaultPick final : public Strategy {
 public:
  explicit FaultPick(uint32_t pick) : pick_(pick) {}
  std::string_view name() const override { return "fault-pick"; }
  bool BeginExecution(uint64_t index) override { return index == 0; }
  uint32_t ChooseThread(const ThreadChoice&) override { return 0; }
  uint32_t Choose(ChoiceKind kind, uint32_t count) override {
    return kind == ChoiceKind::kFault ? std::min(pick_, count - 1) : 0;
  }

 private:
  uint32_t pick_;
};

// Always the lowest-numbered enabled thread: it runs until it waits or finishes, then the next.
inline FunctionStrategy FirstEnabled() {
  return FunctionStrategy([](const ThreadChoice&) { return 0u; });
}

// Keeps running the previous thread while it can; otherwise the lowest-numbered enabled one.
inline FunctionStrategy NonPreemptive() {
  return FunctionStrategy([](const ThreadChoice& choice) -> uint32_t {
    for (uint32_t i = 0; i < choice.enabled.size(); ++i) {
      if (choice.previous_enabled && choice.enabled[i] == choice.previous) return i;
    }
    return 0;
  });
}

// Switches to another thread at every step when it can (round robin by id).
inline FunctionStrategy RoundRobin() {
  return FunctionStrategy([](const ThreadChoice& choice) -> uint32_t {
    for (uint32_t i = 0; i < choice.enabled.size(); ++i) {
      if (choice.enabled[i] > choice.previous) return i;
    }
    return 0;  // wrap around (and the first step, where previous is UINT32_MAX)
  });
}

// Wraps a strategy and remembers every thread decision's options, and (in traced runs, where the
// kernel calls Observe) every decision.
class RecordingStrategy final : public Strategy {
 public:
  explicit RecordingStrategy(Strategy& inner) : inner_(inner) {}
  std::string_view name() const override { return inner_.name(); }
  bool BeginExecution(uint64_t index) override {
    enabled_sets.clear();
    decisions.clear();
    return inner_.BeginExecution(index);
  }
  uint32_t ChooseThread(const ThreadChoice& choice) override {
    enabled_sets.emplace_back(choice.enabled.begin(), choice.enabled.end());
    return inner_.ChooseThread(choice);
  }
  uint32_t Choose(ChoiceKind kind, uint32_t count) override { return inner_.Choose(kind, count); }
  bool Observe(uint64_t index, const Decision& decision) override {
    decisions.push_back(decision);
    return inner_.Observe(index, decision);
  }
  std::string Divergence() const override { return inner_.Divergence(); }
  void EndExecution(uint64_t steps) override { inner_.EndExecution(steps); }

  std::vector<std::vector<uint32_t>> enabled_sets;  // per thread decision
  std::vector<Decision> decisions;

 private:
  Strategy& inner_;
};

// What one run left behind, copied out before the kernel forgets it.
struct RunResult : RunOutcome {
  std::string trace;
  std::vector<Decision> decisions;
  uint64_t trace_hash = 0;
};

// One run of `setup` under `strategy` (whose BeginExecution this calls with `index`).
inline RunResult RunProgram(std::function<void(Kernel&)> setup, Strategy& strategy,
                            KernelLimits limits = {}, bool traced = true, uint64_t index = 0) {
  const Scenario scenario = MakeScenario(std::move(setup));
  Runner runner(scenario, {}, limits);
  strategy.BeginExecution(index);
  RunResult result;
  static_cast<RunOutcome&>(result) = runner.Run(strategy, traced);
  result.trace = runner.kernel().TraceText();
  result.decisions = runner.kernel().Decisions();
  result.trace_hash = runner.kernel().TraceHash();
  return result;
}

// Runs `setup` under every schedule DFS finds (bound `preemption_bound`) and calls `check` after
// each run with its outcome. Returns the number of schedules.
template <typename Setup, typename Check>
int ForEverySchedule(Setup setup, Check check, uint32_t preemption_bound = 100) {
  DfsStrategy dfs(preemption_bound);
  int runs = 0;
  for (uint64_t index = 0;; ++index) {
    const Scenario scenario = MakeScenario(setup);
    Runner runner(scenario, {});
    if (!dfs.BeginExecution(index)) break;
    const RunOutcome outcome = runner.Run(dfs, /*traced=*/false);
    check(outcome);
    ++runs;
  }
  return runs;
}

// The same, always choosing the first option (an empty byte stream).
inline RunResult RunProgram(std::function<void(Kernel&)> setup, KernelLimits limits = {}) {
  ByteStreamStrategy first({});
  return RunProgram(std::move(setup), first, limits);
}

}  // namespace wvsim::sim::testing

#endif  // WVSIM_TESTS_TEST_PROGRAMS_H_
