// A per-OS-thread free-list allocator for coroutine frames and per-run kernel objects.
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

namespace wvsim::sim::internal {

inline constexpr std::size_t kFramePoolGranuleBytes = 64;
inline constexpr std::size_t kFramePoolClassCount = 64;  // pooled up to 4 KiB; larger go to new

void* AllocateFrame(std::size_t bytes);
void FreeFrame(void* block, std::size_t bytes) noexcept;

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_FRAME_POOL_H_
