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

namespace internal {

// A scheduling point followed by an effect that runs once the thread is chosen.
template <typename Effect>
struct [[nodiscard]] EffectPoint {
  Op op;
  const Waitable* wait;
  WaitKind kind;
  Effect effect;
  bool await_ready() const noexcept { return false; }
  template <typename P>
  void await_suspend(std::coroutine_handle<P> handle) const noexcept {
    handle.promise().thread->Arrive(op, wait, kind);
  }
  auto await_resume() { return effect(); }
};

template <typename Effect>
EffectPoint<Effect> MakePoint(Op op, const Waitable* wait, WaitKind kind, Effect effect) {
  return EffectPoint<Effect>{op, wait, kind, std::move(effect)};
}

}  // namespace internal

class Mutex final : public Object, public Waitable {
 public:
  Mutex(Kernel& kernel, std::string name) : Object(std::move(name)), kernel_(kernel) {}

  auto Lock() {
    return internal::MakePoint({"lock", this}, this, WaitKind::kBlocking,
                               [this] { owner_ = kernel_.Current().get(); });
  }
  auto Unlock() {
    return internal::MakePoint({"unlock", this}, nullptr, WaitKind::kNone, [this] {
      if (owner_ != kernel_.Current().get()) {
        kernel_.Fail(Verdict::kAssertion, "unlock " + name(),
                     "mutex " + name() + " unlocked by a thread that does not hold it");
      }
      owner_ = nullptr;
    });
  }
  bool held() const { return owner_ != nullptr; }

  bool Ready(const internal::VThread&) const override { return owner_ == nullptr; }
  std::string WhyNotReady() const override;
  const internal::VThread* Blocker() const override { return owner_; }

 private:
  Kernel& kernel_;
  const internal::VThread* owner_ = nullptr;
};

class Event final : public Object, public Waitable {
 public:
  enum class Reset { kManual, kAuto };
  Event(std::string name, Reset reset, bool initially_set = false)
      : Object(std::move(name)), reset_(reset), set_(initially_set) {}

  auto Set() {
    return internal::MakePoint({"set", this}, nullptr, WaitKind::kNone, [this] { set_ = true; });
  }
  auto Clear() {
    return internal::MakePoint({"reset", this}, nullptr, WaitKind::kNone, [this] { set_ = false; });
  }
  // WaitForSingleObject: blocks until set; an auto-reset event is cleared by the wait it ends.
  auto Wait() {
    return internal::MakePoint({"wait", this}, this, WaitKind::kBlocking, [this] {
      if (reset_ == Reset::kAuto) set_ = false;
    });
  }
  bool is_set() const { return set_; }

  bool Ready(const internal::VThread&) const override { return set_; }
  std::string WhyNotReady() const override { return "event " + name() + " is not set"; }

 private:
  Reset reset_;
  bool set_;
};

class Semaphore final : public Object, public Waitable {
 public:
  Semaphore(std::string name, int initial_count) : Object(std::move(name)), count_(initial_count) {}

  auto Acquire() {
    return internal::MakePoint({"acquire", this}, this, WaitKind::kBlocking, [this] { --count_; });
  }
  auto Release(int count = 1) {
    return internal::MakePoint({"release", this}, nullptr, WaitKind::kNone,
                               [this, count] { count_ += count; });
  }
  int count() const { return count_; }

  bool Ready(const internal::VThread&) const override { return count_ > 0; }
  std::string WhyNotReady() const override { return "semaphore " + name() + " has count 0"; }

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
    return internal::MakePoint({"load", this}, nullptr, WaitKind::kNone, [this] { return value_; });
  }
  auto Store(T value) {
    return internal::MakePoint({"store", this}, nullptr, WaitKind::kNone,
                               [this, value] { value_ = value; });
  }
  auto FetchAdd(T delta) {
    return internal::MakePoint({"fetch_add", this}, nullptr, WaitKind::kNone, [this, delta] {
      T old = value_;
      value_ = value_ + delta;
      return old;
    });
  }
  auto Exchange(T value) {
    return internal::MakePoint({"exchange", this}, nullptr, WaitKind::kNone,
                               [this, value] { return std::exchange(value_, value); });
  }
  // Returns true and stores `desired` when the value equals `expected`.
  auto CompareExchange(T expected, T desired) {
    return internal::MakePoint({"compare_exchange", this}, nullptr, WaitKind::kNone,
                               [this, expected, desired] {
                                 if (!(value_ == expected)) return false;
                                 value_ = desired;
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
