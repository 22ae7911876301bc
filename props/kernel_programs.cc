#include "props/kernel_programs.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "sim/condvar.h"
#include "sim/runner.h"
#include "sim/strategies/dfs.h"
#include "sim/strategies/dpor.h"
#include "sim/sync.h"

namespace wvsim::props {

namespace {

using sim::Kernel;
using sim::Task;
using Kind = KernelBlock::Kind;

constexpr int kKinds = static_cast<int>(Kind::kSleep) + 1;
// Scheduling points a program may have in all (besides each thread's start): unreduced DFS must
// run every interleaving of them.
constexpr int kPointBudget = 8;
constexpr uint64_t kStepsMax = 2'000;
// Unreduced DFS runs every interleaving of kPointBudget points well within this.
constexpr uint64_t kUnreducedCap = 20'000;

int Points(Kind kind) {
  switch (kind) {
    case Kind::kIncrement:
      return 2;
    case Kind::kLocked:
    case Kind::kNotify:
    case Kind::kWaitFlag:
      return 4;
    case Kind::kLockPair:
      return 5;
    default:
      return 1;
  }
}

// The run's objects, made with Kernel::Make (so that DPOR can name each of them).
struct Objects {
  explicit Objects(Kernel& kernel)
      : x0("x0", 0),
        x1("x1", 0),
        flag("flag", 0),
        m0(kernel, "m0"),
        m1(kernel, "m1"),
        manual("e0", sim::Event::Reset::kManual),
        automatic("e1", sim::Event::Reset::kAuto),
        semaphore("s", 0),
        changed(kernel, "cv"),
        p0(kernel.MakePromise<void>("p0")),
        p1(kernel.MakePromise<void>("p1")) {}
  sim::Shared<int> x0;
  sim::Shared<int> x1;
  sim::Shared<int> flag;
  sim::Mutex m0;
  sim::Mutex m1;
  sim::Event manual;
  sim::Event automatic;
  sim::Semaphore semaphore;
  sim::CondVar changed;
  sim::Promise<void> p0;
  sim::Promise<void> p1;
  sim::Thread loop;

  sim::Shared<int>& x(uint8_t i) { return i == 0 ? x0 : x1; }
  sim::Mutex& m(uint8_t j) { return j == 0 ? m0 : m1; }
  sim::Event& e(uint8_t j) { return j == 0 ? manual : automatic; }
  const sim::Promise<void>& p(uint8_t j) const { return j == 0 ? p0 : p1; }
};

Task<> Increment(sim::Shared<int>& x) {
  const int seen = co_await x.Load();
  co_await x.Store(seen + 1);
}

Task<> RunBlock(Kernel& kernel, Objects& o, KernelBlock block) {
  const uint8_t i = block.index;
  switch (block.kind) {
    case Kind::kIncrement:
      co_await Increment(o.x(i));
      break;
    case Kind::kStore:
      co_await o.x(i).Store(block.value);
      break;
    case Kind::kFetchAdd:
      co_await o.x(i).FetchAdd(1);
      break;
    case Kind::kLocked:
      co_await o.m(i).Lock();
      co_await Increment(o.x(i));
      co_await o.m(i).Unlock();
      break;
    case Kind::kLockPair:
      co_await o.m(i).Lock();
      co_await o.m(1 - i).Lock();
      co_await o.x(i).Store(block.value);
      co_await o.m(1 - i).Unlock();
      co_await o.m(i).Unlock();
      break;
    case Kind::kSet:
      co_await o.e(i).Set();
      break;
    case Kind::kWait:
      co_await o.e(i).Wait();
      break;
    case Kind::kRelease:
      co_await o.semaphore.Release();
      break;
    case Kind::kAcquire:
      co_await o.semaphore.Acquire();
      break;
    case Kind::kPost: {
      sim::Shared<int>* target = &o.x(i);
      const int value = block.value;
      absl::AnyInvocable<Task<>()> handler = [target, value]() -> Task<> {
        co_await target->Store(value);
      };
      co_await kernel.Post(o.loop, "store", std::move(handler));
      break;
    }
    case Kind::kComplete:
      // Completing a promise is no scheduling point: it happens inside the yield's step.
      co_await kernel.Yield();
      o.p(i).Set();
      break;
    case Kind::kBlockOn:
      co_await kernel.BlockOn(o.p(i).future());
      break;
    case Kind::kNotify:
      co_await o.m0.Lock();
      co_await o.flag.Store(1);
      co_await o.changed.NotifyOne();
      co_await o.m0.Unlock();
      break;
    case Kind::kWaitFlag:
      co_await o.m0.Lock();
      for (;;) {
        const int flag = co_await o.flag.Load();
        if (flag != 0) break;
        co_await o.changed.Wait(o.m0);
      }
      co_await o.m0.Unlock();
      break;
    case Kind::kSleep:
      co_await kernel.Sleep(block.value);
      break;
  }
}

Task<> RunThread(Kernel& kernel, Objects& o, std::vector<KernelBlock> blocks) {
  for (const KernelBlock& block : blocks) co_await RunBlock(kernel, o, block);
}

Task<> RunLoop(Kernel& kernel) { co_await kernel.RunMessageLoop(); }

const char* KindName(Kind kind) {
  static constexpr const char* kNames[kKinds] = {
      "increment", "store", "fetch_add", "locked",   "lock_pair", "set",       "wait", "release",
      "acquire",   "post",  "complete",  "block_on", "notify",    "wait_flag", "sleep"};
  return kNames[static_cast<int>(kind)];
}

sim::Scenario ProgramScenario(const KernelProgram& program, std::shared_ptr<Objects*> objects) {
  return sim::Scenario{
      .id = "sim.generated_program",
      .description = "a generated program over the kernel's primitives",
      .expected = {sim::Verdict::kClean},
      .setup =
          [program, objects](Kernel& kernel) {
            Objects& o = kernel.Make<Objects>(kernel);
            *objects = &o;
            if (program.has_loop) {
              o.loop = kernel.Spawn("loop", RunLoop(kernel), {.message_queue = true});
            }
            for (size_t t = 0; t < program.threads.size(); ++t) {
              kernel.Spawn(absl::StrCat("t", t), RunThread(kernel, o, program.threads[t]));
            }
          },
  };
}

Reached Reach(const sim::Scenario& scenario, sim::Strategy& strategy, uint64_t cap,
              const std::shared_ptr<Objects*>& objects) {
  Reached reached;
  sim::Runner runner(scenario, {}, {.steps_max = kStepsMax});
  for (uint64_t index = 0;; ++index) {
    if (index == cap) return reached;
    if (!strategy.BeginExecution(index)) break;
    const sim::RunOutcome outcome = runner.Run(strategy, /*traced=*/false);
    ++reached.runs;
    std::vector<int64_t> values;
    if (objects != nullptr && *objects != nullptr) {
      const Objects& o = **objects;
      values = {o.x0.Peek(), o.x1.Peek(), o.flag.Peek()};
    }
    reached.results.insert({outcome.violation.kind, outcome.violation.place, std::move(values)});
  }
  reached.exhausted = true;
  return reached;
}

}  // namespace

KernelProgram DecodeKernelProgram(const std::vector<uint8_t>& genes) {
  size_t position = 0;
  auto next = [&]() -> uint32_t { return position < genes.size() ? genes[position++] : 0; };
  KernelProgram program;
  const uint32_t threads = 2 + next() % 3;
  int budget = kPointBudget;
  for (uint32_t t = 0; t < threads; ++t) {
    std::vector<KernelBlock>& blocks = program.threads.emplace_back();
    const uint32_t count = 1 + next() % (threads == 4 ? 2 : 3);
    for (uint32_t b = 0; b < count; ++b) {
      KernelBlock block{static_cast<Kind>(next() % kKinds), static_cast<uint8_t>(next() % 2),
                        static_cast<uint8_t>(1 + next() % 3)};
      if (Points(block.kind) > budget) continue;
      budget -= Points(block.kind);
      program.has_loop = program.has_loop || block.kind == Kind::kPost;
      blocks.push_back(block);
    }
  }
  return program;
}

rc::Gen<KernelProgram> KernelPrograms() {
  return rc::gen::map(rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>()),
                      [](const std::vector<uint8_t>& genes) { return DecodeKernelProgram(genes); });
}

std::string DescribeKernelProgram(const KernelProgram& program) {
  std::string text;
  for (size_t t = 0; t < program.threads.size(); ++t) {
    absl::StrAppend(&text, "t", t, ":");
    for (const KernelBlock& block : program.threads[t]) {
      absl::StrAppend(&text, " ", KindName(block.kind), "(", block.index, ",", block.value, ")");
    }
    absl::StrAppend(&text, "\n");
  }
  return text;
}

void showValue(const KernelProgram& program, std::ostream& os) {
  os << DescribeKernelProgram(program);
}

Reached ReachAll(const KernelProgram& program, sim::Strategy& strategy, uint64_t cap) {
  auto objects = std::make_shared<Objects*>(nullptr);
  return Reach(ProgramScenario(program, objects), strategy, cap, objects);
}

Reached ReachAll(const sim::Scenario& scenario, sim::Strategy& strategy, uint64_t cap) {
  return Reach(scenario, strategy, cap, nullptr);
}

}  // namespace wvsim::props

namespace wvsim::props {

namespace {

// Unreduced DFS and DPOR reach the same results by `reach` (discarded when the former does not
// end within its cap), and DPOR needs no more runs.
template <typename Reach>
void CheckSameResults(Reach reach) {
  sim::DfsStrategy unreduced(/*preemption_bound=*/UINT32_MAX);
  const Reached all = reach(unreduced);
  RC_PRE(all.exhausted);
  sim::DporStrategy dpor;
  const Reached reduced = reach(dpor);
  RC_ASSERT(reduced.exhausted);
  RC_ASSERT(reduced.results == all.results);
  RC_ASSERT(reduced.runs <= all.runs);
}

// DPOR with a preemption bound reaches every result dfs with that bound reaches, and only results
// an unreduced search reaches (discarded when either walk does not end within its cap).
template <typename Reach>
void CheckBoundedCoverage(Reach reach, uint32_t bound) {
  sim::DfsStrategy unreduced(/*preemption_bound=*/UINT32_MAX);
  const Reached all = reach(unreduced);
  RC_PRE(all.exhausted);
  sim::DfsStrategy bounded(bound);
  const Reached within = reach(bounded);
  RC_PRE(within.exhausted);
  sim::DporStrategy dpor(bound);
  const Reached reduced = reach(dpor);
  RC_ASSERT(reduced.exhausted);
  RC_ASSERT(std::includes(reduced.results.begin(), reduced.results.end(), within.results.begin(),
                          within.results.end()));
  RC_ASSERT(std::includes(all.results.begin(), all.results.end(), reduced.results.begin(),
                          reduced.results.end()));
}

}  // namespace

void CheckBoundedDporCoverage(const KernelProgram& program, uint32_t bound) {
  CheckBoundedCoverage(
      [&program](sim::Strategy& strategy) { return ReachAll(program, strategy, kUnreducedCap); },
      bound);
}

void CheckBoundedDporCoverage(const sim::Scenario& scenario, uint32_t bound) {
  CheckBoundedCoverage(
      [&scenario](sim::Strategy& strategy) { return ReachAll(scenario, strategy, kUnreducedCap); },
      bound);
}

void CheckDporSoundness(const KernelProgram& program) {
  CheckSameResults(
      [&program](sim::Strategy& strategy) { return ReachAll(program, strategy, kUnreducedCap); });
}

void CheckDporSoundness(const sim::Scenario& scenario) {
  CheckSameResults(
      [&scenario](sim::Strategy& strategy) { return ReachAll(scenario, strategy, kUnreducedCap); });
}

}  // namespace wvsim::props
