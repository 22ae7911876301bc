// Navigation and page loads (docs/webview2-rules.md W2, W7, W9, W10): NavigationStarting and its
// Cancel, the commit of the new document in its renderer (ContentLoading, DOMContentLoaded),
// scripts held until the commit, the page's subresource request (WebResourceRequested, with its
// request and response content), NavigationCompleted, and window.open (NewWindowRequested). Every
// event is a message on the WebView's UI thread (W2); the browser and renderer steps are messages
// on their process threads.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_NAVIGATION_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_NAVIGATION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "model/webview2/event_args.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/page.h"
#include "sim/kernel.h"

namespace wvsim::model::webview2::internal {

class Navigation {
 public:
  Navigation(Core& core, sim::Kernel& kernel) : core_(core), kernel_(kernel) {}

  // NavigationId (W2): one per navigation of the WebView or of one of its frames, per run.
  uint64_t NextNavigationId() { return ++navigations_; }
  // Sends Navigate/Reload to the browser (W12: it terminates a hung renderer first).
  // `user_initiated`: IsUserInitiated of its NavigationStarting (true for the app's own calls,
  // false for a page script's navigation).
  void StartNavigation(WebViewRecord& webview, const char* label, std::string_view uri,
                       bool user_initiated = true);
  // The browser's steps (navigation.cc's messages).
  void Navigate(WebViewRecord& webview, std::string_view uri, bool user_initiated);
  void AnswerNavigationStarting(WebViewRecord& webview, std::string_view uri, uint64_t id,
                                bool cancel);
  void CommitNavigation(WebViewRecord& webview, std::string_view uri, uint64_t id);
  // The renderer's: the new document, its events, its subresource.
  void Load(WebViewRecord& webview, std::string_view uri, uint64_t id, RendererProcess& renderer);
  // W7: a script the browser receives while a NavigationStarting is unanswered
  // (WebViewRecord::navigation_pending) waits for the answer.
  void HoldScript(WebViewRecord& webview, absl::AnyInvocable<void()> forward);
  void ReleaseHeldScripts(WebViewRecord& webview);
  // The load's end: the GPU composites, then NavigationCompleted and what the page does next.
  void FinishLoad(WebViewRecord& webview);
  // W9.1: window.open(uri) from the page: NewWindowRequested; false when nobody listens (the
  // runtime opens its own popup). `opener_returns` runs once window.open returned to the page.
  bool RaiseNewWindow(WebViewRecord& webview, const std::string& uri,
                      absl::AnyInvocable<void()> opener_returns = nullptr);
  // W9.1: NewWindow set on window.open's event.
  void SetNewWindow(NewWindowRequestedEventArgs& args, CoreWebView2* window);

 private:
  // Each returns false when nobody listens.
  bool RaiseNavigationStarting(WebViewRecord& webview, std::string_view uri, uint64_t id,
                               bool user_initiated);
  void RaiseDocumentEvent(WebViewRecord& webview, HandlerList<NavigationEventArgs>& list,
                          const char* event);
  void RaiseNavigationCanceled(WebViewRecord& webview, std::string_view uri, uint64_t id);
  void RaiseWebResourceRequested(WebViewRecord& webview, const Page& page,
                                 RendererProcess& renderer);
  void CompleteLoad(WebViewRecord& webview);
  // W9.1: window.open returns the event's NewWindow to the opener's script, which goes on.
  void OpenerGoesOn(NewWindowRequestedEventArgs& args);
  // window.open returned to the page's script (its opener_returns, once).
  static void OpenerReturns(EventRecord& event);

  Core& core_;
  sim::Kernel& kernel_;
  uint64_t navigations_ = 0;  // NavigationId (W2), per run
};

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_NAVIGATION_H_
