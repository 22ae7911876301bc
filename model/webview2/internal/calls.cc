// The app's calls in flight (calls.h): W15's failures, W13's "still in use", W6's abort with the
// parent window, W12's hold-ups in reports, and the end-of-run stall check.
#include "model/webview2/internal/calls.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/scenario.h"

namespace wvsim::model::webview2::internal {

void Calls::FailPendingOn(sim::Thread producer, BrowserProcess* browser, const char* why) {
  // W15 (unconfirmed): each call pending on it fails, or never completes: the scheduler says.
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& pending = pending_[i];
    const bool hit = browser != nullptr ? pending.browser == browser : pending.producer == producer;
    if (!hit || pending.future->done() || pending.never) continue;
    if (kernel_.Choose(sim::ChoiceKind::kFault, 2,
                       "W15: a pending call fails or never completes") == 0) {
      pending.fail(*this, pending, kEFail, why, false);
    } else {
      pending.never = true;
      if (kernel_.traced()) {
        pending.future->SetProducer(sim::Thread(),
                                    "the process crashed while it was pending, "
                                    "and it never completes (W15)");
      }
    }
  }
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
    if (pending.browser != nullptr && pending.browser->hung) {
      return sim::Violation{
          sim::Verdict::kStall, pending.future->name(),
          absl::StrCat("W12: ", pending.future->name(), " never completed: the browser process ",
                       pending.browser->thread.name(),
                       " hangs (a fault) and processes nothing; every call pending on it waits "
                       "forever unless the app stops waiting for it")};
    }
    return sim::Violation{
        sim::Verdict::kStall, pending.future->name(),
        absl::StrCat(pending.never ? "W15" : pending.rule, ": ", pending.future->name(),
                     " never completed: ", pending.future->WhyNotReady())};
  }
  return std::nullopt;
}

}  // namespace wvsim::model::webview2::internal
