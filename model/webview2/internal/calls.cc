// The app's calls in flight (calls.h): W15's failures, W13's "still in use", W6's abort with the
// parent window, W12's hold-ups in reports, and the end-of-run stall check.
#include "model/webview2/internal/calls.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/core.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::internal {

void Calls::FailPendingOn(sim::Thread producer, BrowserProcess* browser, const char* why) {
  // W15 (unconfirmed): each call pending on it fails, or never completes: the scheduler says.
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& pending = pending_[i];
    const bool hit = browser != nullptr ? pending.browser == browser : pending.producer == producer;
    if (!hit || pending.future->done() || pending.never) continue;
    FailOrNever(
        pending,
        kernel_.Choose(sim::ChoiceKind::kFault, 2, "W15: a pending call fails or never completes"),
        why, "the process crashed while it was pending, and it never completes (W15)");
  }
}

void Calls::FailOnDestroyedDocument(sim::FutureCore& op, const char* why) {
  for (Pending& pending : pending_) {
    if (pending.future != &op) continue;
    if (op.done() || pending.never || pending.failing) return;
    // Not a fault: what the runtime does with the script of a document it destroyed is not
    // documented, so both outcomes are explored under any fault budget.
    FailOrNever(pending,
                kernel_.Choose(sim::ChoiceKind::kValue, 2,
                               "W15: a script of a destroyed frame document fails or never "
                               "completes"),
                why,
                "the frame's document it was sent to was destroyed while it was pending, and it "
                "never completes (W15)");
    return;
  }
  WVSIM_ASSERT_MSG(false, "a frame script that is not a pending call");
}

void Calls::FailOrNever(Pending& pending, uint32_t choice, const char* why, const char* never) {
  if (choice == 0) {
    pending.failing = true;
    pending.fail(*this, pending, kEFail, why, false);
    return;
  }
  pending.never = true;
  if (kernel_.traced()) pending.future->SetProducer(sim::Thread(), never);
}

void Calls::HandOver(const sim::FutureCore& op, sim::Thread producer) {
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    if (it->future != &op) continue;
    if (it->producer == producer) return;
    it->producer = producer;
    if (kernel_.traced()) {
      it->future->SetProducer(producer, absl::StrCat("it is being processed by ", producer.name(),
                                                     " for thread ", it->caller.name()));
    }
    return;
  }
  WVSIM_ASSERT_MSG(false, "HandOver of a call that is not pending");
}

bool Calls::HasPendingCalls(const BrowserProcess& browser) const {
  return std::any_of(pending_.begin(), pending_.end(), [&browser](const Pending& pending) {
    return pending.browser == &browser && !pending.future->done() && !pending.never;
  });
}

void Calls::NoteHeldUpBy(const BrowserProcess& browser, const std::string& why) {
  for (const Pending& pending : pending_) {
    if (pending.browser != &browser || pending.future->done()) continue;
    pending.future->SetProducer(sim::Thread(), why);
  }
}

void Calls::NoteHeldUpBy(const RendererProcess& renderer, const std::string& why) {
  for (const Pending& pending : pending_) {
    if (pending.producer != renderer.thread || pending.future->done()) continue;
    pending.future->SetProducer(sim::Thread(), why);
  }
}

void SetCompletionHandler(Core& core, sim::FutureCore& op,
                          absl::AnyInvocable<sim::Task<>()> handler) {
  core.calls.SetCompletionHandler(op, std::move(handler));
}

namespace {

// A completion handler of a call that completed directly (a thread without a pump, W2): the COM
// thread that completed it runs it.
sim::Task<> RunOnComThread(absl::AnyInvocable<sim::Task<>()>& handler) { co_await handler(); }

}  // namespace

void Calls::SetCompletionHandler(sim::FutureCore& op, absl::AnyInvocable<sim::Task<>()> handler) {
  auto& kept = kernel_.Make<absl::AnyInvocable<sim::Task<>()>>(std::move(handler));
  if (op.done()) {
    kernel_.Spawn("com_callback", RunOnComThread(kept));
    return;
  }
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    if (it->future != &op) continue;
    WVSIM_ASSERT_MSG(it->handler == nullptr, "a second completion handler for one call");
    it->handler = &kept;
    ++handlers_;
    return;
  }
  WVSIM_ASSERT_MSG(false, "a completion handler for an operation that is not a WebView2 call");
}

absl::AnyInvocable<sim::Task<>()>* Calls::TakeCompletionHandler(const sim::FutureCore& op) {
  if (handlers_ == 0) return nullptr;  // the usual case: no scan
  for (Pending& pending : pending_) {
    if (pending.future != &op || pending.handler == nullptr) continue;
    --handlers_;
    return std::exchange(pending.handler, nullptr);
  }
  return nullptr;
}

sim::Task<> Calls::RunCompletionHandler(absl::AnyInvocable<sim::Task<>()>& handler,
                                        HandlerFrame& frame) {
  try {
    co_await handler();
  } catch (const std::exception& error) {
    // Like an event handler's (docs/design.md): caught at the boundary and logged.
    if (kernel_.traced()) {
      kernel_.Log(absl::StrCat("exception escaped the ", frame.What(),
                               ", caught at the WebView2 boundary: ", error.what()));
    }
  }
}

bool Calls::WaitsForAPump(sim::Thread caller, sim::FutureCore& op) {
  if (boundary_.ApartmentOf(caller) != Apartment::kSta) return false;
  op.SetProducer(caller, absl::StrCat("its completion is for thread ", caller.name(),
                                      ", an STA thread with no message queue: WebView2 delivers "
                                      "completions only through the creating thread's message "
                                      "pump (W2), so it never arrives"));
  return true;
}

void Calls::SetParent(const sim::FutureCore& op, const Window* parent) {
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    if (it->future != &op) continue;
    it->parent = parent;
    return;
  }
  WVSIM_ASSERT_MSG(false, "SetParent of a call that is not pending");
}

void Calls::AbortCreationsOn(const Window& window) {
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Pending& pending = pending_[i];
    if (pending.parent != &window || pending.future->done()) continue;
    // W6: the one synchronous completion: inside DestroyWindow, with E_ABORT.
    pending.fail(*this, pending, kEAbort, "W6: the parent window was destroyed", true);
  }
}

std::optional<sim::Violation> Calls::CheckPending() const {
  for (const Pending& pending : pending_) {
    if (pending.future->done()) continue;
    if (pending.completion == Completion::kMayBeAbandoned &&
        !TestOnlyPlantedDefects().abandoned_calls_outstanding) {
      // No frame awaits anything by now (the kernel's checks come first): the app gave it up.
      if (kernel_.traced()) {
        kernel_.Log(absl::StrCat(pending.future->name(),
                                 " was abandoned: it never completed and nothing awaits it (",
                                 pending.future->WhyNotReady(), ")"));
      }
      continue;
    }
    if (pending.browser != nullptr && pending.browser->hung) {
      return sim::Violation{
          sim::Verdict::kStall, pending.future->name(),
          absl::StrCat("W12: ", pending.future->name(), " never completed: the browser process ",
                       pending.browser->thread.name(),
                       " hangs (a fault) and processes nothing; it is work the app cannot do "
                       "without, and every call pending on the browser waits forever")};
    }
    return sim::Violation{
        sim::Verdict::kStall, pending.future->name(),
        absl::StrCat(pending.never ? "W15" : pending.rule, ": ", pending.future->name(),
                     " never completed: ", pending.future->WhyNotReady())};
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2::internal
