// Task<T>: the coroutine type of everything that runs on a virtual thread.
//
// A Task is lazy and [[nodiscard]]: nothing runs until it is awaited (or spawned as a thread
// body, or dispatched as a handler), so a forgotten co_await does not compile quietly.
// `co_await task` runs the task as a child frame on the awaiting thread. The switch into the child
// and back is not a symmetric transfer: the frame is pushed on the thread's frame stack and
// control returns to the kernel's loop, which resumes the innermost frame (docs/design.md:
// symmetric transfer overflows the stack in sanitizer and -O0 builds).
//
//   Task<int> Answer() { co_return 42; }
//   Task<void> Body(Kernel& k) { int v = co_await Answer(); ... }
//
// Frames come from the frame pool; an exception thrown in a task is rethrown where it is awaited.
#ifndef WVSIM_SIM_TASK_H_
#define WVSIM_SIM_TASK_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "sim/assert.h"
#include "sim/frame_pool.h"
#include "sim/thread_point.h"

namespace wvsim::sim {

// Not API: the promise machinery Task's template needs in the header.
namespace detail {

struct PromiseBase;

// Ends a frame at its final suspend: reports an exception that escaped a frame the kernel owns,
// then pops the frame off its thread's stack, which may destroy it. Out of line on purpose:
// inlined into every coroutine, this once-per-frame path makes each resume save and restore
// registers it never uses.
void FinishFrame(PromiseBase& promise) noexcept;

struct PromiseBase {
  ThreadPoint* thread = nullptr;  // the thread the frame runs on
  std::exception_ptr error;
  bool owned_by_kernel = false;

  static void* operator new(std::size_t bytes) { return AllocateFrame(bytes); }
  static void operator delete(void* block, std::size_t bytes) noexcept { FreeFrame(block, bytes); }

  std::suspend_always initial_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> handle) const noexcept {
      FinishFrame(handle.promise());  // may destroy this frame: nothing may touch it afterwards
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() const noexcept { return {}; }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  template <typename U>
  void return_value(U&& result) {
    value.emplace(std::forward<U>(result));
  }
  T Take() {
    if (error) std::rethrow_exception(error);
    WVSIM_ASSERT_MSG(value.has_value(), "a task's result is taken once, after it returned");
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  void return_void() const noexcept {}
  void Take() const {
    if (error) std::rethrow_exception(error);
  }
};

}  // namespace detail

// The thread a suspending coroutine runs on, for awaiters written outside the kernel (a model's
// awaiter that wraps one of the kernel's): call it from await_suspend with its handle.
template <typename Promise>
Thread ThreadOf(std::coroutine_handle<Promise> handle) {
  return detail::HandleOf(*handle.promise().thread);
}

template <typename T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::Promise<T> {
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle handle) : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  ~Task() { Destroy(); }

  bool valid() const { return static_cast<bool>(handle_); }

  // Gives the frame to the kernel, which runs it as an owned frame and destroys it at the end.
  Handle Release() {
    WVSIM_ASSERT(valid());
    handle_.promise().owned_by_kernel = true;
    return std::exchange(handle_, {});
  }

  bool await_ready() const noexcept { return false; }
  template <typename Promise>
  void await_suspend(std::coroutine_handle<Promise> parent) const noexcept {
    detail::ThreadPoint* thread = parent.promise().thread;
    WVSIM_ASSERT_MSG(thread != nullptr, "a task is awaited from a frame running on a thread");
    handle_.promise().thread = thread;
    detail::PushFrame(*thread, handle_);
  }
  T await_resume() const { return handle_.promise().Take(); }

 private:
  void Destroy() {
    if (handle_) handle_.destroy();
  }
  Handle handle_;
};

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_TASK_H_
