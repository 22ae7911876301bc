// DPOR's events and their dependency relation (sim/strategies/dpor.h): what one step of one
// thread touches, derived from the operation it stopped at and the accesses the kernel noted
// while it ran, and when two such steps do not commute.
#ifndef WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_EVENTS_H_
#define WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_EVENTS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/strategy.h"

namespace wvsim::sim::dpor {

// The pseudo-thread of a timer that fired (no thread runs it; it is never chosen).
inline constexpr uint32_t kTimerThread = 64;

// What one step touches. Keys are SchedulingView::ObjectKey values (stable across runs), so an
// event recorded in one run can be compared with one of another.
struct Event {
  struct Touch {
    uint64_t key;
    bool writes;
  };
  bool global = false;  // dependent on every event
  std::vector<Touch> touches;
  // Keys of what the step waits to take (a mutex it locks, a thread it joins, a future it blocks
  // on) and of what it gives up for good or for another to take (a mutex it unlocks or a wait
  // releases, its own thread when it finishes, a future it completes). A step that waits to
  // take K is never enabled together with one that gives K up: when the latter can run, the
  // former is blocked (the holder holds the mutex; the thread or the future is not done yet).
  std::vector<uint64_t> takes;
  std::vector<uint64_t> gives;

  void Add(uint64_t key, bool writes);
  void AddGlobal() { global = true; }
  // Adds everything `other` touches (an event taken with several options below it, or an
  // atomic section's steps).
  void Merge(const Event& other);
};

// Whether `waiting` (a thread's next step) and `other` can never both be enabled: `other` gives
// up something `waiting` waits to take (Flanagan and Godefroid's co-enabledness).
bool NeverCoEnabled(const Event& waiting, const Event& other);

// Whether the two events (of different threads) may not commute: one of them is global, or they
// touch one object and at least one of them writes it.
bool Dependent(const Event& a, const Event& b);

// The event of `thread`'s next step as far as its operation tells: its object read or written,
// nothing ("start", a plain "yield": code before a thread's first point and between two points
// is its own), or global (a sleep, an operation on an object without a stable key, any step of
// a run with a runtime model).
Event PendingEvent(const SchedulingView& view, uint32_t thread);

// Adds a noted access (Kernel::NoteAccess) by `thread`'s step to `event`; a kTimerFired marker
// is not an access.
void AddNoted(const SchedulingView& view, uint32_t thread, const Access& access, Event& event);

}  // namespace wvsim::sim::dpor

#endif  // WVSIM_SIM_STRATEGIES_INTERNAL_DPOR_EVENTS_H_
