// Promise<T> and Future<T>: the result of asynchronous work, completed once by whoever does it.
//
// A Future can be waited for in the three ways the runtimes offer (docs/design.md, Waits):
//   T v = co_await future;                   // await: inside a handler, the handler's frames are
//                                            // parked and the pump goes on; the continuation is
//                                            // posted to this thread's queue on completion
//   T v = co_await kernel.BlockOn(future);   // blocking: Task.Result, Future.get
//   T v = co_await kernel.PumpUntil(future); // pumping: a nested message loop until done
//
// Both are thin handles into state the Kernel owns for the length of one run; copy them freely
// within the run, never keep them past it. Completion is not a scheduling point by itself.
#ifndef WVSIM_SIM_FUTURE_H_
#define WVSIM_SIM_FUTURE_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "sim/assert.h"
#include "sim/object.h"
#include "sim/thread_point.h"

namespace wvsim::sim {

struct Unit {};

// The kernel's record of a handler parked in an await: declared here, defined inside sim/ only.
struct Continuation;
class KernelAccess;

// Something told when a future completes, without waiting for it: a combinator such as WhenAny
// (sim/when_any.h). Lives in the run's pooled memory; called once, inside the completion.
class CompletionListener {
 public:
  virtual void OnComplete() = 0;

 protected:
  ~CompletionListener() = default;

 private:
  friend class FutureCore;
  CompletionListener* next_ = nullptr;  // the future's listeners form a list
};

// The untyped half of the state a Future and its Promise share: completion, parked continuations,
// and who is expected to complete it (for deadlock and stall reports). A model that keeps futures
// of several types in one list keeps FutureCore pointers. Owned by the kernel for one run.
class FutureCore : public Object, public Waitable, public DeclaredProducer {
 public:
  FutureCore(Kernel* kernel, std::string name) : Object(std::move(name)), kernel_(kernel) {}

  bool done() const { return done_; }
  bool Ready() const override { return done_; }
  std::string WhyNotReady() const override;
  // Names the work that will complete this future (DeclaredProducer::SetProducer).
  Thread Blocker() const override { return producer(); }

  // Tells `listener` when this future completes (at once when it has). Not a wait: a future
  // whose only listeners are combinators that already completed is awaited by nobody.
  void Listen(CompletionListener& listener);

 protected:
  void MarkDone();  // posts every parked continuation to its thread's queue

 private:
  friend class KernelAccess;
  void Park(Continuation* continuation) { parked_.push_back(continuation); }

  Kernel* kernel_;
  bool done_ = false;
  // One continuation waits on most futures: held inline, it costs no allocation.
  absl::InlinedVector<Continuation*, 1> parked_;
  CompletionListener* listeners_ = nullptr;  // in the order they listened, told on completion
};

template <typename T>
class FutureState final : public FutureCore {
 public:
  using FutureCore::FutureCore;
  using Value = std::conditional_t<std::is_void_v<T>, Unit, T>;

  void Set(Value value) {
    if (done()) return;
    value_.emplace(std::move(value));
    MarkDone();
  }
  void Fail(std::exception_ptr error) {
    if (done()) return;
    error_ = std::move(error);
    MarkDone();
  }
  T Get() const {
    WVSIM_ASSERT_MSG(done(), "a future's value is read only once it is complete");
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<T>) return *value_;
  }

 private:
  std::optional<Value> value_;
  std::exception_ptr error_;
};

namespace detail {

// Not API: suspends `thread` in an await on `core` (parking the handler, or waiting if there is
// none).
void SuspendInAwait(ThreadPoint& thread, FutureCore& core);

}  // namespace detail

template <typename T>
class Future {
 public:
  explicit Future(FutureState<T>* state = nullptr) : state_(state) {}

  bool valid() const { return state_ != nullptr; }
  bool done() const {
    WVSIM_ASSERT(valid());
    return state_->done();
  }
  T Get() const {
    WVSIM_ASSERT(valid());
    return state_->Get();
  }
  const std::string& name() const { return state_->name(); }
  FutureState<T>& state() const { return *state_; }

  struct [[nodiscard]] Awaiter {
    FutureState<T>* state;
    bool await_ready() const noexcept { return state->done(); }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> handle) const {
      detail::SuspendInAwait(*handle.promise().thread, *state);
    }
    T await_resume() const { return state->Get(); }
  };
  Awaiter operator co_await() const { return Awaiter{state_}; }

 private:
  FutureState<T>* state_;
};

template <typename T>
class Promise {
 public:
  using Value = typename FutureState<T>::Value;
  explicit Promise(FutureState<T>* state = nullptr) : state_(state) {}

  Future<T> future() const { return Future<T>(state_); }
  bool done() const { return state_->done(); }
  void Set(Value value = Value()) const {
    WVSIM_ASSERT_MSG(state_ != nullptr, "Set on a Promise made without a kernel");
    state_->Set(std::move(value));
  }
  void Fail(std::exception_ptr error) const { state_->Fail(std::move(error)); }
  void SetProducer(Thread thread, std::string how) const {
    state_->SetProducer(thread, std::move(how));
  }

 private:
  FutureState<T>* state_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_FUTURE_H_
