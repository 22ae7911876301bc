// DPOR's search (sim/strategies/dpor.h): the path of decisions kept between runs, the events of
// the current run, and the race analysis that adds backtrack points. DporStrategy forwards to it.
#ifndef WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_SEARCH_H_
#define WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_SEARCH_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/strategies/dpor.h"
#include "sim/strategies/internal/dpor_events.h"

namespace wvsim::sim {

struct DporStrategy::Search {
  explicit Search(std::optional<uint32_t> preemption_bound) : bound_(preemption_bound) {}

  bool BeginExecution(uint64_t index);
  uint32_t ChooseThread(const ThreadChoice& choice);
  uint32_t Choose(ChoiceKind kind, uint32_t count);
  void EndExecution(uint64_t steps);

  // A thread asleep at a state, with the event it would take there.
  struct Sleeper {
    uint32_t thread;
    dpor::Event event;
  };
  // One decision on the current path, kept between runs.
  struct Node {
    bool is_thread = true;  // a thread decision; else any other choice
    bool forced = false;    // nothing to explore here (atomic section, redundant tail)
    uint32_t count = 1;     // a choice's option count
    uint32_t chosen = 0;    // the option taken (a choice) or the thread that runs (a thread)
    uint64_t enabled = 0;   // a thread decision's enabled threads
    uint32_t previous = 0;  // the thread that ran the step before (ThreadChoice::previous)
    bool previous_enabled = false;  // choosing another thread than `previous` is a preemption
    uint64_t backtrack = 0;
    uint64_t done = 0;              // threads whose subtree was or is being explored
    std::vector<Sleeper> sleep;     // asleep on arrival
    std::vector<Sleeper> explored;  // the events of threads explored before `chosen`
    dpor::Event chosen_event;       // `chosen`'s event, merged over every run through it
  };
  // One event of the current run.
  struct RunEvent {
    uint32_t thread;  // dpor::kTimerThread for a timer that fired
    dpor::Event event;
    size_t node;       // its thread decision's index in path_ (none for a timer)
    uint64_t enabled;  // the threads enabled in the state before it
  };

  // The preemptions taking `thread` at `node` costs, and the threads the bound allows there when
  // the path above it spent `spent_above`.
  uint64_t Cost(const Node& node, uint32_t thread) const;
  uint64_t Affordable(const Node& node, uint64_t spent_above) const;
  void AddBacktrack(uint32_t thread, size_t event, bool waiting_there);
  void Absorb();
  uint32_t FirstChoice(const ThreadChoice& choice, uint64_t awake) const;
  std::vector<Sleeper> SleepBelow(size_t node, const dpor::Event& event) const;
  void Backtrack(uint32_t thread, size_t event, bool waiting_there);
  bool InitialThere(size_t race, uint32_t thread, const dpor::Event& event, size_t at,
                    const std::vector<uint32_t>& known,
                    const std::vector<std::vector<uint32_t>>& clocks,
                    const std::vector<uint32_t>& ordinal) const;
  void AnalyseRaces();

  const SchedulingView* view_ = nullptr;
  std::vector<Node> path_;
  size_t position_ = 0;
  std::vector<RunEvent> events_;
  size_t absorbed_ = 0;                 // view_->Accesses() taken into events_
  size_t last_thread_node_ = SIZE_MAX;  // the thread decision of events_'s last thread event
  size_t redundant_from_ = SIZE_MAX;    // events_ index where the run became sleep-blocked
  std::vector<size_t> spawned_by_;      // per thread: the event that spawned it, or none
  std::optional<uint32_t> bound_;
  bool exhausted_ = false;
  bool bound_cut_ = false;
  uint64_t sleep_blocked_runs_ = 0;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_SEARCH_H_
