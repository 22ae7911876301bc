#include "sim/strategies/dpor.h"

#include <algorithm>
#include <bit>

#include "sim/assert.h"
#include "sim/planted_defects.h"
#include "sim/strategies/internal/dpor_search.h"

namespace wvsim::sim {

namespace {

uint64_t Bit(uint32_t thread) { return uint64_t{1} << thread; }

uint32_t Lowest(uint64_t mask) { return static_cast<uint32_t>(std::countr_zero(mask)); }

// A vector clock: per thread (and the timer pseudo-thread), how many of its events happen before.
using Clock = std::vector<uint32_t>;

void Join(Clock& into, const Clock& other) {
  for (size_t i = 0; i < into.size(); ++i) into[i] = std::max(into[i], other[i]);
}

}  // namespace

bool DporStrategy::Search::BeginExecution(uint64_t index) {
  position_ = 0;
  events_.clear();
  absorbed_ = 0;
  last_thread_node_ = SIZE_MAX;
  redundant_from_ = SIZE_MAX;
  spawned_by_.clear();
  view_ = nullptr;
  if (index == 0) {
    path_.clear();
    exhausted_ = false;
    bound_cut_ = false;
    sleep_blocked_runs_ = 0;
    return true;
  }
  if (exhausted_) return false;
  uint64_t spent = 0;  // the preemptions of the path above the node looked at
  for (const Node& node : path_) spent += Cost(node, node.chosen);
  // The deepest decision with an alternative left takes it; the decisions below it go.
  while (!path_.empty()) {
    Node& node = path_.back();
    spent -= Cost(node, node.chosen);
    if (!node.forced && !node.is_thread && node.chosen + 1 < node.count) {
      ++node.chosen;
      return true;
    }
    if (!node.forced && node.is_thread) {
      uint64_t asleep = 0;
      for (const Sleeper& sleeper : node.sleep) asleep |= Bit(sleeper.thread);
      const uint64_t wanted = node.backtrack & node.enabled & ~node.done & ~asleep;
      const uint64_t affordable = Affordable(node, spent);
      bound_cut_ = bound_cut_ || (wanted & ~affordable) != 0;
      const uint64_t left = wanted & affordable;
      if (left != 0) {
        node.explored.push_back(Sleeper{node.chosen, std::move(node.chosen_event)});
        node.chosen_event = dpor::Event{};
        node.chosen = Lowest(left);
        node.done |= Bit(node.chosen);
        return true;
      }
    }
    path_.pop_back();
  }
  exhausted_ = true;
  return false;
}

void DporStrategy::Search::Absorb() {
  if (view_ == nullptr) return;
  const std::vector<Access>& accesses = view_->Accesses();
  for (; absorbed_ < accesses.size(); ++absorbed_) {
    const Access& access = accesses[absorbed_];
    if (access.kind == AccessKind::kTimerFired) {
      dpor::Event fired;
      fired.AddGlobal();
      events_.push_back(RunEvent{dpor::kTimerThread, std::move(fired), SIZE_MAX, 0});
      continue;
    }
    if (events_.empty()) continue;  // before the first step: the scenario's setup
    RunEvent& open = events_.back();
    dpor::AddNoted(*view_, open.thread, access, open.event);
    // A thread spawned by this step: its first step happens after it.
    if (access.kind == AccessKind::kWrite) {
      const uint64_t key = view_->ObjectKey(access.object);
      for (uint32_t thread = 0; thread < view_->ThreadCount(); ++thread) {
        if (thread == open.thread || view_->ThreadKey(thread) != key) continue;
        if (spawned_by_.size() <= thread) spawned_by_.resize(thread + 1, SIZE_MAX);
        if (spawned_by_[thread] == SIZE_MAX) spawned_by_[thread] = events_.size() - 1;
      }
    }
  }
}

std::vector<DporStrategy::Search::Sleeper> DporStrategy::Search::SleepBelow(
    size_t node, const dpor::Event& event) const {
  // A sleeper stays asleep below an event it does not depend on (its subtree from here is the
  // one it had above, with this event moved before it).
  const Node& above = path_[node];
  std::vector<Sleeper> below;
  auto keep = [&](const Sleeper& sleeper) {
    if (sleeper.thread != above.chosen && !dpor::Dependent(sleeper.event, event)) {
      below.push_back(sleeper);
    }
  };
  for (const Sleeper& sleeper : above.sleep) keep(sleeper);
  for (const Sleeper& sleeper : above.explored) keep(sleeper);
  return below;
}

uint32_t DporStrategy::Search::FirstChoice(const ThreadChoice& choice, uint64_t awake) const {
  // The running thread first, as dfs does, so that shallow bugs come early.
  if (choice.previous_enabled && (awake & Bit(choice.previous)) != 0) return choice.previous;
  return Lowest(awake);
}

uint32_t DporStrategy::Search::ChooseThread(const ThreadChoice& choice) {
  Absorb();
  WVSIM_ASSERT_MSG(view_ != nullptr, "the kernel shows dpor a SchedulingView");
  const uint64_t enabled = choice.enabled.mask();
  const bool atomic = view_->InAtomicSection();
  // The event the last thread decision chose is complete now: merge it into its node.
  if (last_thread_node_ != SIZE_MAX) {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if (it->node == last_thread_node_) {
        path_[last_thread_node_].chosen_event.Merge(it->event);
        break;
      }
    }
  }
  if (position_ < path_.size() && path_[position_].is_thread &&
      (enabled & Bit(path_[position_].chosen)) != 0) {
    const uint32_t thread = path_[position_].chosen;
    if (atomic) {
      // Inside an atomic section the thread goes on alone: one event with the step before.
      if (!events_.empty() && events_.back().thread == thread) {
        events_.back().event.Merge(dpor::PendingEvent(*view_, thread));
      }
    } else {
      // Only decisions above the last alternative taken are replayed, and a redundant tail is
      // never one of them: a replayed decision starts an ordinary event.
      events_.push_back(RunEvent{thread, dpor::PendingEvent(*view_, thread), position_, enabled});
      last_thread_node_ = position_;
    }
    ++position_;
    return choice.enabled.index_of(thread);
  }
  // A new decision (or a program that did not repeat itself: the rest of the path goes).
  path_.resize(position_);
  Node node;
  node.is_thread = true;
  node.enabled = enabled;
  node.previous = choice.previous;
  node.previous_enabled = choice.previous_enabled;
  if (atomic) {
    node.forced = true;
    node.chosen = Lowest(enabled);
    if (!events_.empty() && events_.back().thread == node.chosen) {
      events_.back().event.Merge(dpor::PendingEvent(*view_, node.chosen));
    }
  } else {
    // Asleep here: what slept above the last thread decision and does not depend on its event.
    // No sleep sets under a bound (dpor.h).
    const bool sleep_sets =
        !bound_.has_value() || TestOnlyKernelPlantedDefects().dpor_bound_keeps_sleep_sets;
    if (sleep_sets && last_thread_node_ != SIZE_MAX && redundant_from_ == SIZE_MAX) {
      const bool timer_between = !events_.empty() && events_.back().thread == dpor::kTimerThread;
      if (!timer_between) node.sleep = SleepBelow(last_thread_node_, events_.back().event);
    }
    uint64_t asleep = 0;
    for (const Sleeper& sleeper : node.sleep) asleep |= Bit(sleeper.thread);
    const uint64_t awake = enabled & ~asleep;
    if (awake == 0 || redundant_from_ != SIZE_MAX) {
      // Every enabled thread sleeps: whatever follows was explored already. The run goes on to
      // its end, but nothing below is explored.
      node.forced = true;
      node.chosen = FirstChoice(choice, enabled);
    } else {
      node.chosen = FirstChoice(choice, awake);
    }
    node.backtrack = node.done = Bit(node.chosen);
    events_.push_back(
        RunEvent{node.chosen, dpor::PendingEvent(*view_, node.chosen), position_, enabled});
    last_thread_node_ = position_;
    if (node.forced && redundant_from_ == SIZE_MAX) {
      redundant_from_ = events_.size() - 1;
      ++sleep_blocked_runs_;
    }
  }
  const uint32_t thread = node.chosen;
  path_.push_back(std::move(node));
  ++position_;
  return choice.enabled.index_of(thread);
}

uint32_t DporStrategy::Search::Choose(ChoiceKind kind, uint32_t count) {
  (void)kind;
  WVSIM_ASSERT(count >= 1);
  Absorb();
  if (position_ < path_.size() && !path_[position_].is_thread && path_[position_].count == count) {
    return path_[position_++].chosen;
  }
  path_.resize(position_);
  Node node;
  node.is_thread = false;
  node.count = count;
  // In a redundant tail the other options were explored with the sleeping threads' subtrees.
  node.forced = redundant_from_ != SIZE_MAX;
  path_.push_back(std::move(node));
  ++position_;
  return 0;
}

void DporStrategy::Search::EndExecution(uint64_t steps) {
  (void)steps;
  Absorb();
  if (last_thread_node_ != SIZE_MAX && last_thread_node_ < path_.size()) {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if (it->node == last_thread_node_) {
        path_[last_thread_node_].chosen_event.Merge(it->event);
        break;
      }
    }
  }
  if (view_ != nullptr) AnalyseRaces();
  view_ = nullptr;
}

uint64_t DporStrategy::Search::Cost(const Node& node, uint32_t thread) const {
  return node.is_thread && node.previous_enabled && thread != node.previous ? 1 : 0;
}

uint64_t DporStrategy::Search::Affordable(const Node& node, uint64_t spent_above) const {
  if (!bound_.has_value() || !node.previous_enabled || spent_above < *bound_) return ~uint64_t{0};
  return Bit(node.previous);  // no preemption left: only the thread that ran may go on
}

void DporStrategy::Search::Backtrack(uint32_t thread, size_t event, bool waiting_there) {
  AddBacktrack(thread, event, waiting_there);
  const uint32_t runner = events_[event].thread;
  if (!bound_.has_value() || runner == dpor::kTimerThread) return;
  if (TestOnlyKernelPlantedDefects().dpor_bound_prunes_naively) return;
  // BPOR's conservative point: the first event of the block of `runner`'s events that holds
  // `event` (timers fire between steps; they do not end a block). Taking `thread` there replaces
  // the switch to `runner` and so costs no more than the path did. Whether `thread` waited at
  // its operation there is not known: every enabled thread, when it could not run there.
  size_t start = event;
  for (size_t k = event; k-- > 0;) {
    if (events_[k].thread == dpor::kTimerThread) continue;
    if (events_[k].thread != runner) break;
    start = k;
  }
  if (start != event) AddBacktrack(thread, start, /*waiting_there=*/false);
}

void DporStrategy::Search::AddBacktrack(uint32_t thread, size_t event, bool waiting_there) {
  const RunEvent& before = events_[event];
  if (before.thread == dpor::kTimerThread) return;  // nothing runs where a timer fires
  Node& node = path_[before.node];
  if ((before.enabled & Bit(thread)) != 0) {
    node.backtrack |= Bit(thread);
  } else if (!waiting_there) {
    node.backtrack |= before.enabled;  // it could not run there: every thread that could
  }
}

bool DporStrategy::Search::InitialThere(size_t race, uint32_t thread, const dpor::Event& event,
                                        size_t at, const std::vector<uint32_t>& known,
                                        const std::vector<std::vector<uint32_t>>& clocks,
                                        const std::vector<uint32_t>& ordinal) const {
  // Source sets (Abdulla, Aronis, Jonsson and Sagonas, "Optimal dynamic partial order reduction",
  // POPL 2014): the reversal of the race runs v, the events after `race` that do not happen
  // after it, then `thread`'s event. Any initial of v (a thread whose first event in v follows
  // none of v's earlier events) can start it; when one is in the backtrack set of the state
  // before `race` already (explored, or to be), that state needs nothing more.
  const uint32_t racer = events_[race].thread;
  if (racer == dpor::kTimerThread) return false;  // nothing runs where a timer fires
  const uint64_t there = path_[events_[race].node].backtrack;
  auto happens_before = [&](size_t k, const std::vector<uint32_t>& clock) {
    return clock[events_[k].thread] > ordinal[k];
  };
  std::vector<size_t> v;
  uint64_t seen = 0;
  auto initial_there = [&](uint32_t candidate, const std::vector<uint32_t>& clock) {
    if ((seen & Bit(candidate)) != 0) return false;  // not its first event in v
    seen |= Bit(candidate);
    if ((there & Bit(candidate)) == 0) return false;
    return std::none_of(v.begin(), v.end(), [&](size_t k) { return happens_before(k, clock); });
  };
  for (size_t k = race + 1; k < at; ++k) {
    if (clocks[k][racer] > ordinal[race]) continue;  // it happens after the race's first event
    if (events_[k].thread != dpor::kTimerThread && initial_there(events_[k].thread, clocks[k])) {
      return true;
    }
    v.push_back(k);
  }
  // `thread`'s event: what happens before it is `known` and every earlier event it depends on.
  std::vector<uint32_t> clock = known;
  for (size_t k = 0; k < at; ++k) {
    if (events_[k].thread != thread && dpor::Dependent(events_[k].event, event)) {
      Join(clock, clocks[k]);
    }
  }
  return initial_there(thread, clock);
}

void DporStrategy::Search::AnalyseRaces() {
  // Events past the point where the run became redundant add nothing: their races were seen in
  // the run this one is equivalent to.
  const size_t end = std::min(events_.size(), redundant_from_);
  const uint32_t threads = view_->ThreadCount();
  const size_t width = dpor::kTimerThread + 1;
  // Each event's vector clock (what happens before it, itself included) and its position among
  // its thread's events.
  std::vector<Clock> clocks(end, Clock(width, 0));
  std::vector<uint32_t> ordinal(end, 0);
  std::vector<Clock> thread_clock(width, Clock(width, 0));
  std::vector<size_t> last_of(width, SIZE_MAX);
  // Per event: the index from which its thread stood at this operation (its previous event + 1,
  // or its spawn + 1, or 0).
  std::vector<size_t> since(end, 0);
  auto spawn_of = [&](uint32_t thread) {
    return thread < spawned_by_.size() ? spawned_by_[thread] : SIZE_MAX;
  };
  auto start_clock = [&](uint32_t thread) {
    if (last_of[thread] != SIZE_MAX) return thread_clock[thread];
    const size_t spawn = thread < width - 1 ? spawn_of(thread) : SIZE_MAX;
    return spawn != SIZE_MAX && spawn < end ? clocks[spawn] : Clock(width, 0);
  };
  auto since_of = [&](uint32_t thread) -> size_t {
    if (last_of[thread] != SIZE_MAX) return last_of[thread] + 1;
    const size_t spawn = spawn_of(thread);
    return spawn != SIZE_MAX ? spawn + 1 : 0;
  };
  // For `thread`'s event (executed at `at`, or pending at the end when at == end) with clock
  // `known` before it: the races with earlier events of other threads.
  auto races = [&](uint32_t thread, const dpor::Event& event, size_t from, size_t at,
                   const Clock& known) {
    for (size_t i = at; i-- > 0;) {
      const RunEvent& other = events_[i];
      if (other.thread == thread || !dpor::Dependent(other.event, event)) continue;
      if (known[other.thread] > ordinal[i]) continue;          // it happens before
      if (dpor::NeverCoEnabled(event, other.event)) continue;  // it could not precede it there
      if (i >= from) {
        // The thread stood at this operation there: it races if it could run there; if it was
        // blocked there (this event or an earlier one holds what it waits for), look further.
        Backtrack(thread, i, /*waiting_there=*/true);
        continue;
      }
      // Unbounded, source-DPOR's test first: nothing to add when the state before the earlier
      // event already has a thread that can start the reversed order.
      if (bound_.has_value() || !InitialThere(i, thread, event, at, known, clocks, ordinal)) {
        Backtrack(thread, i, /*waiting_there=*/false);
      }
      break;  // the last such event before it stood here; earlier ones are its concern
    }
  };
  for (size_t j = 0; j < end; ++j) {
    const RunEvent& run_event = events_[j];
    const uint32_t thread = run_event.thread;
    Clock clock = start_clock(thread);
    since[j] = since_of(thread);
    if (thread != dpor::kTimerThread) races(thread, run_event.event, since[j], j, clock);
    for (size_t i = 0; i < j; ++i) {
      if (events_[i].thread != thread && dpor::Dependent(events_[i].event, run_event.event)) {
        Join(clock, clocks[i]);
      }
    }
    ordinal[j] = clock[thread];
    clock[thread] = ordinal[j] + 1;
    clocks[j] = clock;
    thread_clock[thread] = std::move(clock);
    last_of[thread] = j;
  }
  // The threads' next events where the run ended (blocked, or never chosen); a redundant run
  // ended nowhere new.
  if (redundant_from_ != SIZE_MAX) return;
  for (uint32_t thread = 0; thread < threads; ++thread) {
    if (view_->Finished(thread)) continue;
    races(thread, dpor::PendingEvent(*view_, thread), since_of(thread), end, start_clock(thread));
  }
}

// DporStrategy forwards to its search.
DporStrategy::DporStrategy(std::optional<uint32_t> preemption_bound)
    : search_(std::make_unique<Search>(preemption_bound)) {}
DporStrategy::~DporStrategy() = default;
bool DporStrategy::BeginExecution(uint64_t index) { return search_->BeginExecution(index); }
uint32_t DporStrategy::ChooseThread(const ThreadChoice& choice) {
  return search_->ChooseThread(choice);
}
uint32_t DporStrategy::Choose(ChoiceKind kind, uint32_t count) {
  return search_->Choose(kind, count);
}
void DporStrategy::EndExecution(uint64_t steps) { search_->EndExecution(steps); }
void DporStrategy::AttachView(const SchedulingView* view) { search_->view_ = view; }
bool DporStrategy::exhausted() const { return search_->exhausted_; }
uint64_t DporStrategy::sleep_blocked_runs() const { return search_->sleep_blocked_runs_; }
bool DporStrategy::bound_cut() const { return search_->bound_cut_; }

}  // namespace wvsim::sim
