// The end of a run at quiescence: deadlock, stall, the models' checks, or clean; and the reports
// that explain them (docs/design.md, "End of a run and verdicts").
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/internal/kernel_access.h"
#include "sim/internal/kernel_records.h"
#include "sim/kernel.h"

namespace wvsim::sim {

using internal::ThreadState;

namespace {

using internal::DescribeOperation;

bool IsBlocked(const VThread& thread) {
  return thread.state == ThreadState::kReady && thread.wait_kind == WaitKind::kBlocking &&
         !thread.Enabled();
}

// Follows wait-for edges from `start`; returns the cycle through `start`, if there is one.
std::vector<const VThread*> CycleFrom(const VThread* start) {
  std::vector<const VThread*> path{start};
  const VThread* at = start;
  for (size_t hops = 0; hops < 64; ++hops) {
    if (!IsBlocked(*at) || at->wait == nullptr) return {};
    const VThread* next = VThread::Of(at->wait->Blocker());
    if (next == nullptr) return {};
    if (next == start) return path;
    if (std::find(path.begin(), path.end(), next) != path.end()) return {};
    path.push_back(next);
    at = next;
  }
  return {};
}

// The first wait-for cycle among `blocked` (in thread id order, so it starts at its lowest
// member), or none.
std::vector<const VThread*> FirstCycle(const std::vector<const VThread*>& blocked) {
  for (const VThread* thread : blocked) {
    std::vector<const VThread*> cycle = CycleFrom(thread);
    if (cycle.size() >= 2) return cycle;
  }
  return {};
}

}  // namespace

std::string Kernel::ExplainDeadlock(const std::vector<const VThread*>& blocked) const {
  std::vector<std::string> lines;
  for (const VThread* thread : blocked) {
    std::string line = absl::StrCat("thread ", thread->name(), " is blocked in ",
                                    DescribeOperation(*thread), ": ", thread->wait->WhyNotReady());
    const VThread* blocker = VThread::Of(thread->wait->Blocker());
    if (blocker == thread) {
      absl::StrAppend(&line, ", and that needs thread ", thread->name(),
                      " itself, which is blocked");
    } else if (blocker != nullptr && IsBlocked(*blocker)) {
      absl::StrAppend(&line, ", and thread ", blocker->name(), " is blocked too");
    } else if (blocker == nullptr) {
      absl::StrAppend(&line, ", and ", PendingWorkFor(*thread));
    }
    lines.push_back(std::move(line));
  }
  if (const std::vector<const VThread*> cycle = FirstCycle(blocked); !cycle.empty()) {
    std::vector<std::string> names;
    for (const VThread* member : cycle) names.push_back(member->name());
    names.push_back(cycle.front()->name());
    lines.push_back(absl::StrCat("wait-for cycle: ", absl::StrJoin(names, " -> ")));
  }
  return absl::StrJoin(lines, "; ");
}

std::string Kernel::PendingWorkFor(const VThread& waiter) const {
  // The kernel cannot tell which of these would end the wait; it names them all, the waiter's own
  // queue first, since a message stuck behind its own thread's wait is the common cause.
  std::vector<std::string> items;
  auto describe_queue = [&](const VThread& thread) {
    if (thread.queue == nullptr || thread.queue->items.empty()) return;
    const Message& first = thread.queue->items.front();
    const char* why = &thread == &waiter ? " itself, which cannot run them while it waits here"
                      : thread.state == ThreadState::kFinished ? ", which has finished"
                                                               : ", which is not pumping";
    items.push_back(absl::StrCat(thread.queue->items.size(), " message(s) queued for thread ",
                                 thread.name(), why, " (first: #", first.id, " ",
                                 internal::LabelOf(first), ")"));
  };
  describe_queue(waiter);
  for (uint32_t i = 0; i < thread_count_; ++i) {
    if (thread_pool_[i].get() != &waiter) describe_queue(*thread_pool_[i]);
  }
  for (const Continuation& continuation : records_->continuations) {
    if (continuation.posted) continue;
    const auto& awaited = static_cast<const FutureCore&>(*continuation.awaited);
    items.push_back(absl::StrCat("a handler parked on thread ", continuation.owner->name(),
                                 " until ", awaited.name(), " completes"));
  }
  if (items.empty()) return "no work that could end it is pending anywhere";
  return absl::StrCat("work not run yet that might end it: ", absl::StrJoin(items, ", "));
}

std::string Kernel::ExplainStall() const {
  std::vector<std::string> items;
  for (uint32_t i = 0; i < thread_count_; ++i) {
    const VThread& thread = *thread_pool_[i];
    // Every thread still waiting, but for the blocked (a deadlock) and the idle in their loops.
    const bool idle = thread.wait_kind == WaitKind::kIdle && thread.wait == thread.queue.get();
    if (thread.state == ThreadState::kReady && !thread.Enabled() &&
        thread.wait_kind != WaitKind::kBlocking && !idle) {
      items.push_back(absl::StrCat("thread ", thread.name(), " waits in ",
                                   DescribeOperation(thread), ": ", thread.wait->WhyNotReady()));
    }
    const bool pumps =
        thread.state == ThreadState::kReady && thread.loop_depth > 0 &&
        (thread.wait_kind == WaitKind::kIdle || thread.wait_kind == WaitKind::kPumping);
    if (thread.queue != nullptr && !thread.queue->items.empty() && !pumps) {
      const Message& first = thread.queue->items.front();
      items.push_back(absl::StrCat(
          thread.queue->items.size(), " message(s) queued for thread ", thread.name(), ", which ",
          thread.state == ThreadState::kFinished ? "has finished" : "is not pumping", " (first: #",
          first.id, " ", internal::LabelOf(first), ")"));
    }
  }
  for (const Continuation& continuation : records_->continuations) {
    if (continuation.posted) continue;
    // What the awaited future says of itself names what holds it up (a hung process, a call
    // nobody answers), when the model told it (FutureCore::SetProducer). ParkContinuation only
    // parks handlers on futures.
    const auto& awaited = static_cast<const FutureCore&>(*continuation.awaited);
    items.push_back(absl::StrCat("a handler on thread ", continuation.owner->name(),
                                 " is parked: ", awaited.WhyNotReady()));
  }
  return absl::StrJoin(items, "; ");
}

std::vector<Kernel::WaitingThread> Kernel::WaitingThreads() const {
  std::vector<WaitingThread> waiting;
  for (uint32_t i = 0; i < thread_count_; ++i) {
    const VThread& thread = *thread_pool_[i];
    if (thread.state != ThreadState::kReady || thread.wait == nullptr || thread.Enabled()) continue;
    if (thread.wait_kind == WaitKind::kIdle) continue;
    const VThread* blocker = VThread::Of(thread.wait->Blocker());
    waiting.push_back(WaitingThread{thread.name(), DescribeOperation(thread), thread.wait_kind,
                                    thread.wait->WhyNotReady(),
                                    blocker != nullptr ? blocker->name() : std::string()});
  }
  return waiting;
}

bool Kernel::EveryThreadFinishedCleanly() const {
  for (uint32_t i = 0; i < thread_count_; ++i) {
    const VThread& thread = *thread_pool_[i];
    if (thread.state != ThreadState::kFinished) return false;
    if (thread.queue != nullptr && !thread.queue->items.empty()) return false;
  }
  for (const Continuation& continuation : records_->continuations) {
    if (!continuation.posted) return false;
  }
  return true;
}

void Kernel::EvaluateQuiescence() {
  // The common end of a run, checked without building a report: nothing left anywhere.
  if (!EveryThreadFinishedCleanly()) FailIfBlockedOrStalled();
  if (failed()) return;
  for (CheckPhase phase : {CheckPhase::kStall, CheckPhase::kLeak, CheckPhase::kFinal}) {
    for (QuiescenceCheck& check : checks_) {
      if (check.phase != phase) continue;
      if (std::optional<Violation> found = check.check()) {
        Fail(found->kind, std::move(found->place), std::move(found->report));
        return;
      }
    }
  }
  if (traced_) Trace(TraceKind::kEnd, "quiescent: clean");
}

void Kernel::FailIfBlockedOrStalled() {
  std::vector<const VThread*> blocked;
  for (uint32_t i = 0; i < thread_count_; ++i) {
    if (IsBlocked(*thread_pool_[i])) blocked.push_back(thread_pool_[i].get());
  }
  if (!blocked.empty()) {
    const VThread& first = *blocked.front();
    std::string place = absl::StrCat(first.name(), " ", DescribeOperation(first));
    // Each wait-for cycle is a violation of its own, even behind the same first blocked thread
    // (main joining w1 while w1 and w2, or w1 and w3, wait for each other): --keep-going keeps
    // them apart by their place. The members and what each waits in, from the lowest id.
    if (const std::vector<const VThread*> cycle = FirstCycle(blocked); !cycle.empty()) {
      std::vector<std::string> members;
      for (const VThread* member : cycle) {
        members.push_back(absl::StrCat(member->name(), " ", DescribeOperation(*member)));
      }
      absl::StrAppend(&place, ", cycle ", absl::StrJoin(members, " -> "));
    }
    Fail(Verdict::kDeadlock, std::move(place), ExplainDeadlock(blocked));
    return;
  }
  if (std::string stall = ExplainStall(); !stall.empty()) {
    Fail(Verdict::kStall, "outstanding work", std::move(stall));
  }
}

}  // namespace wvsim::sim
