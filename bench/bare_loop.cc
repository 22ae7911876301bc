#include "bench/bare_loop.h"

#include <coroutine>
#include <exception>

#include "sim/prng.h"

namespace wvsim::bench {
namespace {

struct Suspender {
  struct promise_type {
    Suspender get_return_object() {
      return Suspender{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

Suspender Forever(uint64_t& counter) {
  for (;;) {
    ++counter;
    co_await std::suspend_always{};
  }
}

}  // namespace

uint64_t RunBareLoop(uint64_t steps) {
  uint64_t counter = 0;
  Suspender coroutine = Forever(counter);
  sim::Prng prng(1);
  uint64_t checksum = 0;
  for (uint64_t i = 0; i < steps; ++i) {
    coroutine.handle.resume();
    checksum += prng.Below(2);
  }
  coroutine.handle.destroy();
  return checksum + counter;
}

}  // namespace wvsim::bench
