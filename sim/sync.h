// Synchronisation objects for scenarios: Mutex, Event (manual or auto reset), Semaphore, and
// Shared<T>, a variable whose every access is a scheduling point (for lock-free programs).
//
// Every operation is awaited; the scheduling point comes first, then the effect, atomically:
//
//   Mutex& m = kernel.Make<Mutex>("m");
//   co_await m.Lock();        // enabled only while m is free; a thread waiting here is blocked
//   co_await m.Unlock();
//   Shared<int>& n = kernel.Make<Shared<int>>("n", 0);
//   int old = co_await n.FetchAdd(1);
//
// A wait that can never end is a blocking wait at quiescence: a `deadlock`, with a lock cycle
// named in the report. Objects belong to one run (create them with Kernel::Make).
#ifndef WVSIM_SIM_SYNC_H_
#define WVSIM_SIM_SYNC_H_

#include <coroutine>
#include <string>
#include <utility>

#include "sim/kernel.h"

namespace wvsim::sim {

// Not API: the awaiter every point below builds, in the header because it is a template.
namespace detail {

// A scheduling point followed by an effect that runs once the thread is chosen. What kind of
// point it is (its verb, and whether it waits for its object) is part of the type, so the
// awaiter, which is built in the coroutine frame at every step, holds only its object and the
// effect's arguments.
template <const char* kVerb, WaitKind kKind, typename Target, typename Effect>
struct [[nodiscard]] EffectPoint {
  Target* target;
  [[no_unique_address]] Effect effect;  // called with *target
  bool await_ready() const noexcept { return false; }
  template <typename P>
  void await_suspend(std::coroutine_handle<P> handle) const noexcept {
    // A point that waits, waits for its own object to be ready.
    const Waitable* wait = nullptr;
    if constexpr (kKind != WaitKind::kNone) wait = target;
    handle.promise().thread->Arrive({kVerb, target}, wait, kKind);
  }
  auto await_resume() { return effect(*target); }
};

template <const char* kVerb, WaitKind kKind, typename Target, typename Effect>
EffectPoint<kVerb, kKind, Target, Effect> MakePoint(Target* target, Effect effect) {
  return {target, std::move(effect)};
}

// The verbs of the points below, as traces, schedules and reports name them.
inline constexpr char kLockVerb[] = "lock";
inline constexpr char kUnlockVerb[] = "unlock";
inline constexpr char kSetVerb[] = "set";
inline constexpr char kResetVerb[] = "reset";
inline constexpr char kWaitVerb[] = "wait";
inline constexpr char kAcquireVerb[] = "acquire";
inline constexpr char kReleaseVerb[] = "release";
inline constexpr char kLoadVerb[] = "load";
inline constexpr char kStoreVerb[] = "store";
inline constexpr char kFetchAddVerb[] = "fetch_add";
inline constexpr char kExchangeVerb[] = "exchange";
inline constexpr char kCompareExchangeVerb[] = "compare_exchange";

}  // namespace detail

class Mutex final : public Object, public Waitable {
 public:
  Mutex(Kernel& kernel, std::string name) : Object(std::move(name)), kernel_(kernel) {}

  auto Lock() {
    return detail::MakePoint<detail::kLockVerb, WaitKind::kBlocking>(
        this, [](Mutex& self) { self.owner_ = self.kernel_.Current(); });
  }
  auto Unlock() {
    return detail::MakePoint<detail::kUnlockVerb, WaitKind::kNone>(this, [](Mutex& self) {
      if (self.owner_ != self.kernel_.Current()) {
        self.kernel_.Fail(Verdict::kAssertion, "unlock " + self.name(),
                          "mutex " + self.name() + " unlocked by a thread that does not hold it");
      }
      self.owner_ = Thread();
    });
  }
  bool held() const { return owner_.valid(); }
  Thread owner() const { return owner_; }  // invalid when free

  bool Ready() const override { return !owner_.valid(); }
  // Names the holder, and says so when it has finished: it exited holding the mutex.
  std::string WhyNotReady() const override;
  Thread Blocker() const override { return owner_; }

 private:
  friend class CondVar;  // releases the mutex in the step that begins a wait
  void ReleaseForWait() { owner_ = Thread(); }

  Kernel& kernel_;
  Thread owner_;
};

// Set by whoever the app says (DeclaredProducer::SetProducer names it for reports).
class Event final : public Object, public Waitable, public DeclaredProducer {
 public:
  enum class Reset { kManual, kAuto };
  Event(std::string name, Reset reset, bool initially_set = false)
      : Object(std::move(name)), reset_(reset), set_(initially_set) {}

  auto Set() {
    return detail::MakePoint<detail::kSetVerb, WaitKind::kNone>(
        this, [](Event& self) { self.set_ = true; });
  }
  auto Clear() {
    return detail::MakePoint<detail::kResetVerb, WaitKind::kNone>(
        this, [](Event& self) { self.set_ = false; });
  }
  // WaitForSingleObject: blocks until set; an auto-reset event is cleared by the wait it ends.
  auto Wait() {
    return detail::MakePoint<detail::kWaitVerb, WaitKind::kBlocking>(this, [](Event& self) {
      if (self.reset_ == Reset::kAuto) self.set_ = false;
    });
  }
  bool is_set() const { return set_; }

  bool Ready() const override { return set_; }
  std::string WhyNotReady() const override {
    return ExplainWith("event " + name() + " is not set", "Event::SetProducer");
  }
  Thread Blocker() const override { return producer(); }

 private:
  Reset reset_;
  bool set_;
};

// Released by whoever the app says (DeclaredProducer::SetProducer names it for reports).
class Semaphore final : public Object, public Waitable, public DeclaredProducer {
 public:
  Semaphore(std::string name, int initial_count) : Object(std::move(name)), count_(initial_count) {}

  auto Acquire() {
    return detail::MakePoint<detail::kAcquireVerb, WaitKind::kBlocking>(
        this, [](Semaphore& self) { --self.count_; });
  }
  auto Release(int count = 1) {
    return detail::MakePoint<detail::kReleaseVerb, WaitKind::kNone>(
        this, [count](Semaphore& self) { self.count_ += count; });
  }
  int count() const { return count_; }

  bool Ready() const override { return count_ > 0; }
  std::string WhyNotReady() const override {
    return ExplainWith("semaphore " + name() + " has count 0", "Semaphore::SetProducer");
  }
  Thread Blocker() const override { return producer(); }

 private:
  int count_;
};

// A variable shared between threads; each access is a scheduling point (like std::atomic with
// sequentially consistent ordering).
template <typename T>
class Shared final : public Object {
 public:
  Shared(std::string name, T initial) : Object(std::move(name)), value_(std::move(initial)) {}

  auto Load() {
    return detail::MakePoint<detail::kLoadVerb, WaitKind::kNone>(
        this, [](Shared& self) { return self.value_; });
  }
  auto Store(T value) {
    return detail::MakePoint<detail::kStoreVerb, WaitKind::kNone>(
        this, [value](Shared& self) { self.value_ = value; });
  }
  auto FetchAdd(T delta) {
    return detail::MakePoint<detail::kFetchAddVerb, WaitKind::kNone>(this, [delta](Shared& self) {
      T old = self.value_;
      self.value_ = self.value_ + delta;
      return old;
    });
  }
  auto Exchange(T value) {
    return detail::MakePoint<detail::kExchangeVerb, WaitKind::kNone>(
        this, [value](Shared& self) { return std::exchange(self.value_, value); });
  }
  // Returns true and stores `desired` when the value equals `expected`.
  auto CompareExchange(T expected, T desired) {
    return detail::MakePoint<detail::kCompareExchangeVerb, WaitKind::kNone>(
        this, [expected, desired](Shared& self) {
          if (!(self.value_ == expected)) return false;
          self.value_ = desired;
          return true;
        });
  }
  // The value without a scheduling point: for end-of-run checks, not for threads.
  const T& Peek() const { return value_; }

 private:
  T value_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_SYNC_H_
