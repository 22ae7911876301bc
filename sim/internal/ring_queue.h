// A first-in first-out queue in one circular buffer that keeps its capacity when it empties.
//
// A thread's message queue fills and drains thousands of times in a run and is reused by every
// run of a campaign. std::deque allocates a block for every few messages that pass through and
// frees it when they are gone; under the fuzzers' AddressSanitizer each such allocation costs
// more than dispatching the message. This queue allocates only when it holds more messages than
// ever before, so a warmed-up kernel queues and dispatches without touching the heap.
//
// Slots hold live elements: an unused slot holds a default-constructed or a moved-from one (for
// the kernel's messages both are empty), so T must be default-constructible and movable.
#ifndef WVSIM_SIM_INTERNAL_RING_QUEUE_H_
#define WVSIM_SIM_INTERNAL_RING_QUEUE_H_

#include <bit>
#include <cstddef>
#include <utility>
#include <vector>

#include "sim/assert.h"
namespace wvsim::sim::internal {

template <typename T>
class RingQueue {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  // The i-th element from the front.
  T& operator[](size_t i) {
    WVSIM_ASSERT(i < size_);
    return slots_[Wrap(head_ + i)];
  }
  const T& operator[](size_t i) const {
    WVSIM_ASSERT(i < size_);
    return slots_[Wrap(head_ + i)];
  }
  T& front() { return (*this)[0]; }
  const T& front() const { return (*this)[0]; }

  // Forwarding, not by value: a message is moved once, straight into its slot (each move of a
  // message's closure and label is a checked memcpy under AddressSanitizer).
  template <typename U>
  void push_back(U&& value) {
    GrowIfFull();
    slots_[Wrap(head_ + size_)] = std::forward<U>(value);
    ++size_;
    WVSIM_ASSERT(size_ <= slots_.size());
  }

  template <typename U>
  void push_front(U&& value) {
    GrowIfFull();
    head_ = Wrap(head_ + slots_.size() - 1);
    slots_[head_] = std::forward<U>(value);
    ++size_;
  }

  // Removes the front element and returns it.
  T pop_front() {
    WVSIM_ASSERT_MSG(size_ > 0, "pop_front on an empty queue");
    T value = std::move(slots_[head_]);
    head_ = Wrap(head_ + 1);
    --size_;
    return value;
  }

  // Removes the i-th element from the front; the ones behind it move up.
  void erase_at(size_t i) {
    WVSIM_ASSERT(i < size_);
    for (; i + 1 < size_; ++i) (*this)[i] = std::move((*this)[i + 1]);
    (*this)[size_ - 1] = T{};
    --size_;
  }

  // Destroys every element's contents; the buffer stays for the next run.
  void clear() {
    while (!empty()) pop_front();
    head_ = 0;
  }

 private:
  // Capacities are powers of two, so wrapping an index is a mask.
  size_t Wrap(size_t index) const { return index & (slots_.size() - 1); }

  void GrowIfFull() {
    if (size_ < slots_.size()) return;
    std::vector<T> grown(slots_.empty() ? 8 : slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) grown[i] = std::move((*this)[i]);
    slots_ = std::move(grown);
    head_ = 0;
    WVSIM_ASSERT_MSG(std::has_single_bit(slots_.size()), "capacity is a power of two (Wrap)");
    WVSIM_ASSERT(size_ < slots_.size());
  }

  std::vector<T> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace wvsim::sim::internal

#endif  // WVSIM_SIM_INTERNAL_RING_QUEUE_H_
