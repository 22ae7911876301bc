// A per-OS-thread free-list allocator for coroutine frames, per-run kernel objects and the
// containers a run builds (PooledAllocator, below).
//
// A run creates and destroys the same few frames millions of times per second; going to malloc
// for each costs more than the scheduling step itself. Blocks are recycled by size class, so the
// pool's footprint is the peak of live blocks, and memory stays flat over any number of runs.
//
// Not shared between OS threads: each OS thread has its own pool, and a block must be freed on
// the OS thread that allocated it (a kernel never moves between OS threads mid-run).
#ifndef WVSIM_SIM_FRAME_POOL_H_
#define WVSIM_SIM_FRAME_POOL_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace wvsim::sim::detail {

inline constexpr std::size_t kFramePoolGranuleBytes = 64;
inline constexpr std::size_t kFramePoolClassCount = 64;  // pooled up to 4 KiB; larger go to new

void* AllocateFrame(std::size_t bytes);
void FreeFrame(void* block, std::size_t bytes) noexcept;

}  // namespace wvsim::sim::detail

namespace wvsim::sim {

// A standard allocator over the pool, for the containers and strings a run builds anew each time
// (a model's maps by site or folder, the texts it keys them by): after the first runs they cost
// no trip to malloc, which under a fuzzer's AddressSanitizer costs more than a scheduling step.
// The pool's rule holds: free on the OS thread that allocated (a run's objects always are).
template <typename T>
struct PooledAllocator {
  using value_type = T;
  PooledAllocator() = default;
  template <typename U>
  PooledAllocator(const PooledAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned types unsupported");
    return static_cast<T*>(detail::AllocateFrame(n * sizeof(T)));
  }
  void deallocate(T* block, std::size_t n) noexcept { detail::FreeFrame(block, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PooledAllocator<U>&) const {
    return true;
  }
};

// Text that lives in the pool: for a run's strings longer than std::string keeps inline.
using PooledString = std::basic_string<char, std::char_traits<char>, PooledAllocator<char>>;

// An ordered map whose nodes live in the pool; found by any type its keys compare with.
template <typename Key, typename Value>
using PooledMap = std::map<Key, Value, std::less<>, PooledAllocator<std::pair<const Key, Value>>>;

}  // namespace wvsim::sim

#endif  // WVSIM_SIM_FRAME_POOL_H_
