#include "sim/frame_pool.h"

#include <sanitizer/asan_interface.h>

#include <new>

#include "sim/assert.h"

namespace wvsim::sim::detail {
namespace {

struct FreeBlock {
  FreeBlock* next;
};

// Frees its blocks when the OS thread exits, so leak checkers see a clean process.
struct Pool {
  FreeBlock* heads[kFramePoolClassCount] = {};
  ~Pool() {
    for (FreeBlock*& head : heads) {
      while (head != nullptr) {
        FreeBlock* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  }
};

thread_local Pool pool;

// At least one granule: a free block holds the pool's link.
std::size_t ClassOf(std::size_t bytes) {
  return bytes == 0 ? 1 : (bytes + kFramePoolGranuleBytes - 1) / kFramePoolGranuleBytes;
}

}  // namespace

void* AllocateFrame(std::size_t bytes) {
  const std::size_t size_class = ClassOf(bytes);
  if (size_class >= kFramePoolClassCount) return ::operator new(bytes);
  FreeBlock*& head = pool.heads[size_class];
  if (head == nullptr) return ::operator new(size_class* kFramePoolGranuleBytes);
  FreeBlock* block = head;
  head = block->next;
  WVSIM_ASSERT(head != block);
  ASAN_UNPOISON_MEMORY_REGION(block, size_class * kFramePoolGranuleBytes);
  return block;
}

void FreeFrame(void* block, std::size_t bytes) noexcept {
  const std::size_t size_class = ClassOf(bytes);
  if (size_class >= kFramePoolClassCount) {
    ::operator delete(block);
    return;
  }
  WVSIM_ASSERT_MSG(block != nullptr, "FreeFrame of a block AllocateFrame never gave");
  auto* free_block = static_cast<FreeBlock*>(block);
  free_block->next = pool.heads[size_class];
  pool.heads[size_class] = free_block;
  // Under AddressSanitizer a pooled block is poisoned while free (all but the link the pool
  // reads), so a use after free is still reported until the block is handed out again.
  ASAN_POISON_MEMORY_REGION(free_block + 1,
                            size_class * kFramePoolGranuleBytes - sizeof(FreeBlock));
}

}  // namespace wvsim::sim::detail
