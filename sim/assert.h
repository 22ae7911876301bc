// WVSIM_ASSERT: a contract the code relies on, checked in every build.
//
//   WVSIM_ASSERT(index < size());
//   WVSIM_ASSERT_MSG(thread.valid(), "Send needs a thread that exists");
//
// A failed assertion is a bug in wvsim (or in code that broke a documented contract), never a
// verdict about the program under test: it prints the condition, the file and line and the
// message to stderr and aborts, so that a fuzzer or CI sees a crash with a stack trace. Checks
// are always on, Release included: each is a predictable branch (docs/performance.md gives the
// measured cost; a build configured with -DWVSIM_ASSERTS=OFF, for that measurement only, leaves
// them out). Assertions must not have side effects: a run behaves the same with or without
// them.
#ifndef WVSIM_SIM_ASSERT_H_
#define WVSIM_SIM_ASSERT_H_

namespace wvsim::sim::detail {

[[noreturn]] void AssertionFailed(const char* condition, const char* file, int line,
                                  const char* message);

}  // namespace wvsim::sim::detail

#ifndef WVSIM_NO_ASSERTS
#define WVSIM_ASSERT_MSG(condition, message)         \
  (__builtin_expect(static_cast<bool>(condition), 1) \
       ? static_cast<void>(0)                        \
       : ::wvsim::sim::detail::AssertionFailed(#condition, __FILE__, __LINE__, (message)))
#else
// Only for measuring what the checks cost (cmake -DWVSIM_ASSERTS=OFF; docs/performance.md):
// the condition is still compiled, never evaluated.
#define WVSIM_ASSERT_MSG(condition, message) \
  (static_cast<void>(sizeof(static_cast<bool>(condition))), static_cast<void>(sizeof(message)))
#endif

#define WVSIM_ASSERT(condition) WVSIM_ASSERT_MSG(condition, nullptr)

#endif  // WVSIM_SIM_ASSERT_H_
