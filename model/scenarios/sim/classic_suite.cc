// Eight classic concurrency bugs with their clean twins, written with the kernel's primitives
// alone (classic_suite.h lists the whole suite of twelve; sim.abba's twin, sim.lock_order, is in
// peer_programs.cc next to it):
//
// - sim.atomicity_split / sim.atomicity_one_section: three withdrawals check the balance in one
//   critical section and take from it in another; two can pass the check before either takes,
//   and the balance goes negative. The twin checks and takes in one section.
// - sim.check_then_act / sim.check_then_act_cas: lazy initialisation by three threads; two can
//   see "not initialised" and create an instance each. The twin claims the initialisation with a
//   compare-exchange.
// - sim.philosophers / sim.philosophers_ordered: three dining philosophers, each taking the fork
//   on the left and then the one on the right; all three can hold one fork. The twin takes the
//   lower-numbered fork first (a global lock order).
// - sim.torn_read / sim.locked_read: a writer updates two fields under a lock; readers that read
//   them without it can see one old and one new. The twin's readers take the lock.
// - sim.work_queue_race / sim.work_queue: two producers claim a queue slot by reading and then
//   advancing the tail; both can claim the same slot, and the consumer, told of two items by a
//   semaphore, finds the second slot empty. The twin claims under a mutex.
// - sim.barrier_lost_arrival / sim.barrier: three workers count their arrival at a barrier by a
//   load and a store, and the one that makes the count 3 opens it; a lost update leaves it shut
//   and all wait forever. The twin counts with fetch_add.
// - sim.post_before_init / sim.post_after_init: a thread posts work that reads a configuration
//   to a message loop while another thread is still writing it. The twin posts only after an
//   event says the configuration is written.
// - sim.auto_reset_coalesce / sim.semaphore_signal: a producer signals each of two items to two
//   consumers with an auto-reset event; two signals before either waits merge into one, and one
//   consumer waits forever. The twin counts items with a semaphore.
#include "model/scenarios/sim/classic_suite.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "model/scenarios/sim/final_checks.h"
#include "sim/sync.h"

namespace wvsim::model {

using sim::Kernel;
using sim::Mutex;
using sim::Shared;
using sim::Task;
using sim::Verdict;

namespace {

sim::Scenario Pair(bool clean, const char* bug_id, const char* twin_id, std::string bug_text,
                   std::string twin_text, Verdict bug_verdict,
                   std::function<void(Kernel&, bool)> setup) {
  return sim::Scenario{
      .id = clean ? twin_id : bug_id,
      .description = clean ? std::move(twin_text) : std::move(bug_text),
      .expected = {clean ? Verdict::kClean : bug_verdict},
      .setup = [clean, setup = std::move(setup)](Kernel& kernel) { setup(kernel, clean); },
  };
}

// ---- Atomicity across two critical sections.

struct Account {
  explicit Account(Kernel& kernel) : lock(kernel, "account"), balance("balance", 1) {}
  Mutex lock;
  Shared<int> balance;
};

Task<> Withdraw(Account& account, bool one_section) {
  co_await account.lock.Lock();
  const int seen = co_await account.balance.Load();
  if (!one_section) {
    co_await account.lock.Unlock();  // the bug: the check's section ends here
    if (seen < 1) co_return;
    co_await account.lock.Lock();
    const int now = co_await account.balance.Load();
    co_await account.balance.Store(now - 1);
    co_await account.lock.Unlock();
    co_return;
  }
  if (seen >= 1) co_await account.balance.Store(seen - 1);
  co_await account.lock.Unlock();
}

sim::Scenario Atomicity(bool clean) {
  return Pair(
      clean, "sim.atomicity_split", "sim.atomicity_one_section",
      "three withdrawals of 1 from a balance of 1 check it in one critical section and take in "
      "another: two pass the check, the balance goes negative",
      "three withdrawals check and take the balance in one critical section: clean",
      Verdict::kAssertion, [](Kernel& kernel, bool one_section) {
        auto& account = kernel.Make<Account>(kernel);
        for (const char* name : {"alice", "bob", "carol"}) {
          kernel.Spawn(name, Withdraw(account, one_section));
        }
        CheckAtEnd(kernel, account.balance, "at least 0", [](int value) { return value >= 0; });
      });
}

// ---- Check then act.

struct LazyInit {
  LazyInit() : initialized("initialized", 0), instances("instances", 0) {}
  Shared<int> initialized;
  Shared<int> instances;
};

Task<> GetInstance(LazyInit& lazy, bool claim) {
  if (claim) {
    const bool won = co_await lazy.initialized.CompareExchange(0, 1);
    if (won) co_await lazy.instances.FetchAdd(1);
    co_return;
  }
  const int done = co_await lazy.initialized.Load();
  if (done != 0) co_return;
  co_await lazy.instances.FetchAdd(1);  // the bug: another thread may be here too
  co_await lazy.initialized.Store(1);
}

sim::Scenario CheckThenAct(bool clean) {
  return Pair(clean, "sim.check_then_act", "sim.check_then_act_cas",
              "lazy initialisation by three threads checks a flag and then creates: two create",
              "lazy initialisation by three threads claims the flag with a compare-exchange: "
              "clean",
              Verdict::kAssertion, [](Kernel& kernel, bool claim) {
                auto& lazy = kernel.Make<LazyInit>();
                for (const char* name : {"t1", "t2", "t3"}) {
                  kernel.Spawn(name, GetInstance(lazy, claim));
                }
                ExpectAtEnd(kernel, lazy.instances, 1);
              });
}

// ---- Dining philosophers.

constexpr int kPhilosophers = 3;
constexpr int kWorkers = 3;  // at the barrier

struct Table {
  explicit Table(Kernel& kernel)
      : forks{Mutex(kernel, "fork0"), Mutex(kernel, "fork1"), Mutex(kernel, "fork2")},
        meals("meals", 0) {}
  Mutex forks[kPhilosophers];
  Shared<int> meals;
};

Task<> Dine(Table& table, int seat, bool ordered) {
  int first = seat;
  int second = (seat + 1) % kPhilosophers;
  if (ordered && second < first) std::swap(first, second);
  co_await table.forks[first].Lock();
  co_await table.forks[second].Lock();
  co_await table.meals.FetchAdd(1);
  co_await table.forks[second].Unlock();
  co_await table.forks[first].Unlock();
}

sim::Scenario Philosophers(bool clean) {
  return Pair(clean, "sim.philosophers", "sim.philosophers_ordered",
              "three dining philosophers take the left fork, then the right: all can hold one",
              "three dining philosophers take the lower-numbered fork first: clean",
              Verdict::kDeadlock, [](Kernel& kernel, bool ordered) {
                auto& table = kernel.Make<Table>(kernel);
                for (int seat = 0; seat < kPhilosophers; ++seat) {
                  kernel.Spawn(absl::StrCat("philosopher", seat), Dine(table, seat, ordered));
                }
                ExpectAtEnd(kernel, table.meals, kPhilosophers);
              });
}

// ---- Readers and a writer.

struct Record {
  explicit Record(Kernel& kernel)
      : lock(kernel, "record"), first("first", 0), second("second", 0) {}
  Mutex lock;
  Shared<int> first;
  Shared<int> second;
};

Task<> WriteRecord(Record& record) {
  co_await record.lock.Lock();
  co_await record.first.Store(1);
  co_await record.second.Store(1);
  co_await record.lock.Unlock();
}

Task<> ReadRecord(Kernel& kernel, Record& record, bool locked) {
  if (locked) co_await record.lock.Lock();
  const int first = co_await record.first.Load();
  const int second = co_await record.second.Load();
  if (locked) co_await record.lock.Unlock();
  if (first != second) {
    co_await kernel.Abort(Verdict::kAssertion, "torn read",
                          absl::StrCat("thread ", kernel.Current().name(), " read first=", first,
                                       " second=", second, " of one update"));
  }
}

sim::Scenario ReadersWriter(bool clean) {
  return Pair(clean, "sim.torn_read", "sim.locked_read",
              "a writer updates two fields under a lock; two readers read them without it and "
              "can see half an update",
              "a writer updates two fields under a lock; two readers take the lock: clean",
              Verdict::kAssertion, [](Kernel& kernel, bool locked) {
                auto& record = kernel.Make<Record>(kernel);
                kernel.Spawn("writer", WriteRecord(record));
                kernel.Spawn("reader1", ReadRecord(kernel, record, locked));
                kernel.Spawn("reader2", ReadRecord(kernel, record, locked));
              });
}

// ---- A work queue.

struct WorkQueue {
  explicit WorkQueue(Kernel& kernel)
      : lock(kernel, "queue"),
        items("items", 0),
        tail("tail", 0),
        slots{Shared<int>("slot0", 0), Shared<int>("slot1", 0)} {}
  Mutex lock;
  sim::Semaphore items;
  Shared<int> tail;
  Shared<int> slots[2];
};

Task<> Produce(WorkQueue& queue, int item, bool locked) {
  if (locked) co_await queue.lock.Lock();
  const int slot = co_await queue.tail.Load();  // the bug, unlocked: another producer reads it too
  co_await queue.slots[slot].Store(item);
  co_await queue.tail.Store(slot + 1);
  if (locked) co_await queue.lock.Unlock();
  co_await queue.items.Release();
}

Task<> Consume(Kernel& kernel, WorkQueue& queue) {
  for (int slot = 0; slot < 2; ++slot) {
    co_await queue.items.Acquire();
    const int item = co_await queue.slots[slot].Load();
    if (item == 0) {
      co_await kernel.Abort(Verdict::kAssertion, "empty slot",
                            absl::StrCat("the consumer was told of item ", slot + 1,
                                         " and found slot", slot, " empty: an item was lost"));
    }
  }
}

sim::Scenario WorkQueueScenario(bool clean) {
  return Pair(clean, "sim.work_queue_race", "sim.work_queue",
              "two producers claim a queue slot by reading, then advancing the tail: both take "
              "one slot and an item is lost",
              "two producers claim queue slots under a mutex: clean", Verdict::kAssertion,
              [](Kernel& kernel, bool locked) {
                auto& queue = kernel.Make<WorkQueue>(kernel);
                kernel.Spawn("producer1", Produce(queue, 1, locked));
                kernel.Spawn("producer2", Produce(queue, 2, locked));
                kernel.Spawn("consumer", Consume(kernel, queue));
              });
}

// ---- A barrier.

struct Barrier {
  Barrier() : arrived("arrived", 0), open("open", sim::Event::Reset::kManual) {}
  Shared<int> arrived;
  sim::Event open;
};

Task<> Arrive(Barrier& barrier, bool atomic) {
  int now = 0;
  if (atomic) {
    now = 1 + co_await barrier.arrived.FetchAdd(1);
  } else {
    const int seen = co_await barrier.arrived.Load();
    now = seen + 1;
    co_await barrier.arrived.Store(now);  // the bug: another arrival may be lost
  }
  if (now == kWorkers) co_await barrier.open.Set();
  co_await barrier.open.Wait();
}

sim::Scenario BarrierScenario(bool clean) {
  return Pair(clean, "sim.barrier_lost_arrival", "sim.barrier",
              "three workers count arrivals at a barrier by a load and a store: a lost arrival "
              "leaves it shut and all wait forever",
              "three workers count arrivals at a barrier with fetch_add: clean", Verdict::kDeadlock,
              [](Kernel& kernel, bool atomic) {
                auto& barrier = kernel.Make<Barrier>();
                for (int worker = 1; worker <= kWorkers; ++worker) {
                  kernel.Spawn(absl::StrCat("worker", worker), Arrive(barrier, atomic));
                }
              });
}

// ---- Work posted before its data is ready.

struct Config {
  Config() : value("config", 0), written("written", sim::Event::Reset::kManual) {}
  Shared<int> value;
  sim::Event written;
  sim::Thread loop;
};

Task<> RunLoop(Kernel& kernel) { co_await kernel.RunMessageLoop(); }

Task<> WriteConfig(Config& config) {
  co_await config.value.Store(1);
  co_await config.written.Set();
}

Task<> PostUse(Kernel& kernel, Config& config, bool wait) {
  if (wait) co_await config.written.Wait();
  Config* shared = &config;
  Kernel* k = &kernel;
  absl::AnyInvocable<Task<>()> use = [shared, k]() -> Task<> {
    const int value = co_await shared->value.Load();
    if (value != 1) {
      co_await k->Abort(Verdict::kAssertion, "config unset",
                        "posted work read the configuration before it was written");
    }
  };
  co_await kernel.Post(config.loop, "use config", std::move(use));
  co_await kernel.PostQuit(config.loop);
}

sim::Scenario PostOrder(bool clean) {
  return Pair(clean, "sim.post_before_init", "sim.post_after_init",
              "a thread posts work reading a configuration to a message loop while another "
              "thread still writes it",
              "the work is posted once an event says the configuration is written: clean",
              Verdict::kAssertion, [](Kernel& kernel, bool wait) {
                auto& config = kernel.Make<Config>();
                config.loop = kernel.Spawn("loop", RunLoop(kernel), {.message_queue = true});
                kernel.Spawn("writer", WriteConfig(config));
                kernel.Spawn("poster", PostUse(kernel, config, wait));
              });
}

// ---- Signals that merge.

struct Signals {
  Signals()
      : item("item", sim::Event::Reset::kAuto),
        items("items", 0),
        taken{Shared<int>("taken1", 0), Shared<int>("taken2", 0)} {}
  sim::Event item;
  sim::Semaphore items;
  Shared<int> taken[2];  // each consumer's own record of what it took
};

Task<> SignalTwice(Signals& signals, bool counted) {
  for (int i = 0; i < 2; ++i) {
    if (counted) {
      co_await signals.items.Release();
    } else {
      co_await signals.item.Set();  // the bug: a second set before a wait is lost
    }
  }
}

Task<> TakeOne(Signals& signals, int consumer, bool counted) {
  if (counted) {
    co_await signals.items.Acquire();
  } else {
    co_await signals.item.Wait();
  }
  co_await signals.taken[consumer].FetchAdd(1);
  co_await signals.taken[consumer].FetchAdd(1);  // processing, on its own record
}

sim::Scenario MergedSignals(bool clean) {
  return Pair(clean, "sim.auto_reset_coalesce", "sim.semaphore_signal",
              "a producer signals two items to two consumers with an auto-reset event; two sets "
              "before a wait merge and one consumer waits forever",
              "a producer counts two items for two consumers with a semaphore: clean",
              Verdict::kDeadlock, [](Kernel& kernel, bool counted) {
                auto& signals = kernel.Make<Signals>();
                kernel.Spawn("producer", SignalTwice(signals, counted));
                kernel.Spawn("consumer1", TakeOne(signals, 0, counted));
                kernel.Spawn("consumer2", TakeOne(signals, 1, counted));
              });
}

}  // namespace

const std::vector<ClassicPair>& ClassicSuite() {
  static const std::vector<ClassicPair> suite = {
      {"sim.abba", "sim.lock_order", "lock-order inversion"},
      {"sim.lost_update", "sim.lost_update_atomic", "lost update", /*reducible=*/false},
      {"sim.atomicity_split", "sim.atomicity_one_section", "atomicity across two sections"},
      {"sim.check_then_act", "sim.check_then_act_cas", "check-then-act"},
      {"sim.condvar_if_wait", "sim.condvar_while_wait", "condition variable misuse"},
      {"sim.lost_wakeup", "sim.wakeup_under_lock", "missed signal", /*reducible=*/false},
      {"sim.philosophers", "sim.philosophers_ordered", "dining philosophers"},
      {"sim.torn_read", "sim.locked_read", "reader/writer"},
      {"sim.work_queue_race", "sim.work_queue", "work queue"},
      {"sim.barrier_lost_arrival", "sim.barrier", "barrier"},
      {"sim.post_before_init", "sim.post_after_init", "message posted too early"},
      {"sim.auto_reset_coalesce", "sim.semaphore_signal", "merged signals"},
  };
  return suite;
}

std::vector<sim::Scenario> ClassicSuiteScenarios() {
  std::vector<sim::Scenario> scenarios;
  for (bool clean : {false, true}) {
    scenarios.push_back(Atomicity(clean));
    scenarios.push_back(CheckThenAct(clean));
    scenarios.push_back(Philosophers(clean));
    scenarios.push_back(ReadersWriter(clean));
    scenarios.push_back(WorkQueueScenario(clean));
    scenarios.push_back(BarrierScenario(clean));
    scenarios.push_back(PostOrder(clean));
    scenarios.push_back(MergedSignals(clean));
  }
  return scenarios;
}

}  // namespace wvsim::model
