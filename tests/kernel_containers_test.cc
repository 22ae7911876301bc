// The kernel's reusable containers: the message queue's ring (internal::RingQueue) and the
// slots it keeps dispatched messages and continuations in (internal::RecycledSlots).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/internal/messages.h"
#include "sim/internal/ring_queue.h"

namespace wvsim::sim::internal {
namespace {

std::vector<std::string> Drain(RingQueue<std::string>& queue) {
  std::vector<std::string> out;
  while (!queue.empty()) out.push_back(queue.pop_front());
  return out;
}

TEST(RingQueue, KeepsFifoOrderAcrossWrapAndGrowth) {
  RingQueue<std::string> queue;
  // Wrap the head past the end of the first buffer, then grow while wrapped.
  for (int i = 0; i < 6; ++i) queue.push_back(absl::StrCat("early", i));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(queue.pop_front(), absl::StrCat("early", i));
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    queue.push_back(absl::StrCat("m", i));
    expected.push_back(absl::StrCat("m", i));
  }
  EXPECT_EQ(queue.size(), 20u);
  EXPECT_EQ(Drain(queue), expected);
}

TEST(RingQueue, PushFrontGoesFirstAndEraseAtKeepsTheRestInOrder) {
  RingQueue<std::string> queue;
  queue.push_back("b");
  queue.push_back("c");
  queue.push_back("d");
  queue.push_front("a");
  EXPECT_EQ(queue.front(), "a");
  EXPECT_EQ(queue[2], "c");
  queue.erase_at(2);
  EXPECT_EQ(Drain(queue), (std::vector<std::string>{"a", "b", "d"}));
}

TEST(RingQueue, ClearLeavesAnEmptyQueueThatStillWorks) {
  RingQueue<std::string> queue;
  for (int i = 0; i < 9; ++i) queue.push_back(absl::StrCat(i));
  queue.pop_front();
  queue.clear();
  EXPECT_TRUE(queue.empty());
  queue.push_back("x");
  queue.push_front("w");
  EXPECT_EQ(Drain(queue), (std::vector<std::string>{"w", "x"}));
}

TEST(RecycledSlots, ReusesTheSameSlotsAfterRecycleAndResetsOnlyTheUsedOnes) {
  RecycledSlots<std::string> slots;
  std::string* first = &slots.Next();
  std::string* second = &slots.Next();
  *first = "one";
  *second = "two";
  EXPECT_EQ(std::vector<std::string>(slots.begin(), slots.end()),
            (std::vector<std::string>{"one", "two"}));
  int resets = 0;
  slots.Recycle([&resets](std::string& slot) {
    slot.clear();
    ++resets;
  });
  EXPECT_EQ(resets, 2);
  EXPECT_EQ(slots.begin(), slots.end());
  EXPECT_EQ(&slots.Next(), first);  // the next run gets the same memory back
  EXPECT_TRUE(first->empty());
  resets = 0;
  slots.Recycle([&resets](std::string&) { ++resets; });
  EXPECT_EQ(resets, 1);  // the slot the second run did not take is left alone
}

TEST(MessageLabels, AContinuationsLabelAndItsHashNameWhatItAwaited) {
  struct Awaited : Object {
    Awaited() : Object("ExecuteScript#2") {}
  } awaited;
  Continuation continuation;
  continuation.awaited = &awaited;
  Message resume{0, MessageKind::kResume, {}, {}, &continuation};
  EXPECT_EQ(LabelOf(resume), "continuation after ExecuteScript#2");
  EXPECT_EQ(LabelHashOf(resume), HashTrace("continuation after ExecuteScript#2"));
  const Message call = CallMessage("click", nullptr);
  EXPECT_EQ(LabelOf(call), "click");
  EXPECT_EQ(LabelHashOf(call), HashTrace("click"));
}

// A literal is kept by pointer (no copy, no allocation), as is text marked static; any other
// text is the label's own, so that it outlives what it was built from.
TEST(MessageLabels, LiteralsAreKeptByPointerAndOtherTextIsCopied) {
  static constexpr char kLiteral[] = "NavigationCompleted";
  const MessageLabel literal(kLiteral);
  EXPECT_EQ(literal.view().data(), kLiteral);
  EXPECT_EQ(literal.view(), "NavigationCompleted");

  std::string built = "WebResourceRequested#2";
  const char* c_string = built.c_str();
  const MessageLabel copied(c_string);
  const MessageLabel moved(std::string("ProcessFailed#1 completion"));
  built.assign("overwritten, longer than before");
  EXPECT_EQ(copied.view(), "WebResourceRequested#2");
  EXPECT_EQ(moved.view(), "ProcessFailed#1 completion");

  const char* table_entry = kLiteral;
  EXPECT_EQ(MessageLabel::Static(table_entry).view().data(), kLiteral);
  EXPECT_TRUE(MessageLabel().empty());

  // Every kind hashes as its text does (the fuzzer's dispatch feature; a literal's hash is the
  // compiler's).
  EXPECT_EQ(literal.Hash(), HashTrace("NavigationCompleted"));
  EXPECT_EQ(copied.Hash(), HashTrace("WebResourceRequested#2"));
  EXPECT_EQ(LabelHashOf(CallMessage(kLiteral, nullptr)), HashTrace("NavigationCompleted"));
  EXPECT_EQ(LabelHashOf(CallMessage(std::string(kLiteral), nullptr)),
            HashTrace("NavigationCompleted"));
}

}  // namespace
}  // namespace wvsim::sim::internal
