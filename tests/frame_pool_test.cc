// The pool a run's frames and objects live in (sim/frame_pool.h): its containers, how a run's
// objects are torn down, and that a use after free of pooled memory is still reported under
// AddressSanitizer.
#include "sim/frame_pool.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "sim/kernel.h"
#include "sim/strategies/random.h"

#if defined(__SANITIZE_ADDRESS__)
#define WVSIM_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WVSIM_TEST_UNDER_ASAN 1
#endif
#endif

namespace wvsim::sim {
namespace {

TEST(FramePool, AFreedBlockIsHandedOutAgainForTheSameSizeClass) {
  void* first = detail::AllocateFrame(100);
  detail::FreeFrame(first, 100);
  void* second = detail::AllocateFrame(120);  // the same 64-byte granule count
  EXPECT_EQ(second, first);
  detail::FreeFrame(second, 120);
}

TEST(FramePool, PooledMapsIterateInKeyOrderAndFindByAView) {
  PooledMap<PooledString, int> by_uri;
  by_uri.insert_or_assign(PooledString("https://example.com/zeta/longer-than-inline"), 2);
  by_uri.insert_or_assign(PooledString("https://example.com/alpha/longer-than-inline"), 1);
  std::vector<std::string> keys;
  for (const auto& [uri, value] : by_uri) keys.emplace_back(uri);
  EXPECT_EQ(keys, (std::vector<std::string>{"https://example.com/alpha/longer-than-inline",
                                            "https://example.com/zeta/longer-than-inline"}));
  const std::string_view wanted = "https://example.com/zeta/longer-than-inline";
  ASSERT_NE(by_uri.find(wanted), by_uri.end());
  EXPECT_EQ(by_uri.find(wanted)->second, 2);
  EXPECT_EQ(by_uri.find(std::string_view("https://example.com/none")), by_uri.end());
}

// An object made early that keeps a pointer to one made later, as an app object keeps a
// Deferral whose state the runtime made when the handler asked for it.
struct Counter {
  int value = 7;  // first: a freed pool block keeps the pool's link there
};
struct Holder {
  Counter* counter = nullptr;
  std::vector<int>* seen = nullptr;
  ~Holder() {
    if (counter != nullptr) seen->push_back(counter->value);
  }
};

TEST(KernelTeardown, EveryDestructorRunsBeforeAnyRunObjectsMemoryIsReleased) {
  std::vector<int> seen;
  Kernel kernel;
  RandomStrategy random(1);
  random.BeginExecution(0);
  kernel.Reset(&random, false);
  Holder& holder = kernel.Make<Holder>();
  holder.counter = &kernel.Make<Counter>();
  holder.seen = &seen;
  kernel.ReleaseRun();
  // The holder, destroyed after the newer counter, still read a live counter (under
  // AddressSanitizer a freed one would have been reported).
  EXPECT_EQ(seen, std::vector<int>{7});
}

TEST(FramePoolUnderAsan, AUseAfterFreeOfAPooledBlockIsReported) {
#ifdef WVSIM_TEST_UNDER_ASAN
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto* block = static_cast<char*>(detail::AllocateFrame(200));
        detail::FreeFrame(block, 200);
        block[100] = 1;
      },
      "use-after-poison");
#else
  GTEST_SKIP() << "only an AddressSanitizer build poisons free pooled memory";
#endif
}

}  // namespace
}  // namespace wvsim::sim
