#include "sim/strategies/internal/dpor_events.h"

#include <array>

#include "sim/future.h"
#include "sim/planted_defects.h"
#include "sim/sync.h"

namespace wvsim::sim::dpor {

namespace {

// Operations that only look at their object: a Shared<T> load, and the waits for a thread or a
// future to finish (what ends them is the finishing step, which writes the object).
constexpr std::array<std::string_view, 5> kReadingVerbs = {"load", "join", "block_on", "await",
                                                           "pump_until"};

bool Reads(std::string_view verb) {
  for (std::string_view reading : kReadingVerbs) {
    if (verb == reading) return true;
  }
  return false;
}

}  // namespace

void Event::Add(uint64_t key, bool writes) {
  for (Touch& touch : touches) {
    if (touch.key == key) {
      touch.writes = touch.writes || writes;
      return;
    }
  }
  touches.push_back(Touch{key, writes});
}

void Event::Merge(const Event& other) {
  global = global || other.global;
  for (const Touch& touch : other.touches) Add(touch.key, touch.writes);
  takes.insert(takes.end(), other.takes.begin(), other.takes.end());
  gives.insert(gives.end(), other.gives.begin(), other.gives.end());
}

bool NeverCoEnabled(const Event& waiting, const Event& other) {
  for (uint64_t key : waiting.takes) {
    for (uint64_t given : other.gives) {
      if (key == given) return true;
    }
  }
  return false;
}

bool Dependent(const Event& a, const Event& b) {
  if (a.global || b.global) return true;
  const bool writes_commute = TestOnlyKernelPlantedDefects().dpor_writes_commute;
  for (const Event::Touch& x : a.touches) {
    for (const Event::Touch& y : b.touches) {
      if (x.key != y.key || !(x.writes || y.writes)) continue;
      if (writes_commute && x.writes && y.writes) continue;
      return true;
    }
  }
  return false;
}

Event PendingEvent(const SchedulingView& view, uint32_t thread) {
  Event event;
  if (view.ModelAttached()) {
    event.AddGlobal();
    return event;
  }
  const Op op = view.PendingOp(thread);
  const std::string_view verb = op.verb;
  if (verb == "start") {
    // A spawn inside a step writes the thread's key: the spawn happens before the first step.
    event.Add(view.ThreadKey(thread), /*writes=*/false);
    return event;
  }
  if (op.object == nullptr) {
    if (verb != "yield") event.AddGlobal();  // a sleep, an abort, an operation on no object
    return event;
  }
  const uint64_t key = view.ObjectKey(op.object);
  if (key == 0) {
    event.AddGlobal();
    return event;
  }
  event.Add(key, !Reads(verb));
  // Objects are compared by what they are, never ordered: the casts only name the primitive.
  const bool mutex = dynamic_cast<const Mutex*>(op.object) != nullptr;
  if (mutex && verb == "lock") event.takes.push_back(key);
  if (mutex && verb == "unlock") event.gives.push_back(key);
  if (verb == "join" || ((verb == "block_on" || verb == "await") &&
                         dynamic_cast<const FutureCore*>(op.object) != nullptr)) {
    event.takes.push_back(key);
  }
  return event;
}

void AddNoted(const SchedulingView& view, uint32_t thread, const Access& access, Event& event) {
  switch (access.kind) {
    case AccessKind::kTimerFired:
      return;
    case AccessKind::kGlobal:
      event.AddGlobal();
      return;
    case AccessKind::kRead:
    case AccessKind::kWrite: {
      const uint64_t key = view.ObjectKey(access.object);
      if (key == 0) {
        event.AddGlobal();
        return;
      }
      const bool writes = access.kind == AccessKind::kWrite;
      event.Add(key, writes);
      // A write noted on a mutex is a condition variable's wait releasing it; on a future, its
      // completion; on the step's own thread, its end.
      if (writes && (dynamic_cast<const Mutex*>(access.object) != nullptr ||
                     dynamic_cast<const FutureCore*>(access.object) != nullptr ||
                     (thread < view.ThreadCount() && key == view.ThreadKey(thread)))) {
        event.gives.push_back(key);
      }
      return;
    }
  }
}

}  // namespace wvsim::sim::dpor
