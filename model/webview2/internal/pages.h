// Pages and frames (docs/webview2-rules.md W7, W9, W11, W12): what each URL does when it loads
// (the scenario's Page), what a script evaluates to in a document, the frames a document makes
// (each in the renderer of its site) and what a renderer's exit does to them, the deferrable
// events a page raises one after the other, and what the page sees of the app's answers.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_PAGES_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/webview2/event_args.h"
#include "model/webview2/host_object.h"
#include "model/webview2/internal/processes.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/page.h"
#include "sim/kernel.h"

namespace wvsim::model::webview2::internal {

struct DefaultDialog;  // default_dialogs.cc

class Pages {
 public:
  Pages(Core& core, sim::Kernel& kernel) : core_(core), kernel_(kernel) {}

  void AddPage(std::string_view uri, Page&& page) {
    pages_.insert_or_assign(sim::PooledString(uri), std::move(page));
  }
  const Page* FindPage(std::string_view uri) const;
  // W7: the JSON result of `script` in `document` ("null" for undefined).
  std::string EvaluateScript(std::string_view document, const std::string& script) const;

  // Frames (frames.cc): made when the document loads, destroyed with it; a renderer's exit
  // detaches the frames it ran and returns their names.
  void CreateFrames(WebViewRecord& webview, const Page& page);
  void DestroyFrames(WebViewRecord& webview);
  std::vector<std::string> DetachFramesOn(WebViewRecord& webview, const RendererProcess& renderer);

  // ---- Frames that live (frame_navigation.cc, W15).
  // The current document's iframe named `name`, or null.
  FrameRecord* FindFrame(const WebViewRecord& webview, std::string_view name) const;
  // Navigates `frame` to `uri` (its own script, or its parent's): a message to the browser, which
  // raises the frame's NavigationStarting and, unless cancelled, commits the new document.
  void NavigateFrame(FrameRecord& frame, std::string_view uri);
  // The browser's and the renderer's steps of a frame navigation.
  void AnswerFrameNavigationStarting(FrameRecord& frame, std::string_view uri, uint64_t id,
                                     bool cancel);
  void CommitFrameNavigation(FrameRecord& frame, std::string_view uri, uint64_t id);
  void LoadFrame(FrameRecord& frame, uint64_t document);
  // W15: the iframe is removed from its parent's document: its own document is destroyed, it is
  // destroyed (IsDestroyed) and Destroyed is raised.
  void RemoveFrame(FrameRecord& frame);
  // Host -> frame: PostWebMessageAsString/AsJson, to the frame's document current now.
  void PostFrameWebMessage(FrameRecord& frame, std::string_view message, bool is_json);
  // Frame -> host: the frame's document runs window.chrome.webview.postMessage.
  void RaiseFrameWebMessage(FrameRecord& frame, const std::string& message, bool is_json = false);
  // On the renderer: a web message from the app reached the frame's document.
  void DeliverFrameWebMessage(FrameRecord& frame, const std::string& message, bool is_json);
  // Sends the frame document's scripts declared for `when` to its renderer; at kLoad, starts the
  // document's timers (kTimer), as SendPageScripts does for the main document.
  void SendFrameScripts(FrameRecord& frame, Page::Script::When when);

  // Raises the page's deferrable events from `index` on, one after the other finished (W9).
  void RaisePageEvents(WebViewRecord& webview, const Page& page, size_t index);
  // W9: what a finished deferrable event does with its args; false when the page's script stops
  // there (a certificate error that was not allowed).
  bool ApplyOutcome(WebViewRecord& webview, const DeferrableEventArgs& args);
  // W2: the title of the WebView's current document; a page script's document.title = ...
  // (which raises DocumentTitleChanged on the UI thread).
  std::string DocumentTitle(const WebViewRecord& webview) const;
  void SetDocumentTitle(WebViewRecord& webview, const std::string& title);
  // W2: DocumentTitleChanged on the UI thread (a script's title, or a new document's own).
  void RaiseDocumentTitleChanged(WebViewRecord& webview);
  // Page -> host: window.chrome.webview.postMessage (W2).
  void RaiseWebMessage(WebViewRecord& webview, const std::string& message, bool is_json = false);

  // ---- The page's scripts on its renderer's JavaScript thread (page_scripts.cc, issue 15).
  // Sends each script of the current document declared for `when` (kLoad, kDOMContentLoaded)
  // to its renderer as a message of its own; at kLoad, starts the page's timers (kTimer).
  void SendPageScripts(WebViewRecord& webview, Page::Script::When when);
  // On the renderer: a web message from the app reached the document. The page answers it
  // (echoes_web_messages) and runs its kWebMessage scripts for it.
  void DeliverWebMessage(WebViewRecord& webview, const std::string& message, bool is_json);
  // Runs `work` on the renderer's JavaScript thread: now, or, while a script holds that thread
  // (an alert waiting for ScriptDialogOpening, W9.3), once it has finished (W7: in order).
  template <typename Work>
  void RunJs(RendererProcess& renderer, Work work) {
    if (!renderer.js_held()) {
      work();
      return;
    }
    renderer.js_waiting.push_back(std::move(work));
  }
  // W7: an app's script, on the JavaScript thread: its JSON result. A
  // `chrome.webview.postMessage('text')` posts from the page (W2) and returns "null".
  std::string RunAppScript(WebViewRecord& webview, const std::string& script);
  // Runs `script` from step `index` on; stops at an alert that holds the thread (W9.3). With a
  // `frame`, the script is the frame document's (W15).
  void RunScriptFrom(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                     size_t index, FrameRecord* frame = nullptr);
  // W9.3, W17: what held the JavaScript thread (an alert, a synchronous host-object call)
  // returned: the script goes on from `next`, then the JavaScript work that waited behind it runs.
  // A frame's script (W15) goes on only while `frame_document` is still the frame's document.
  void ResumeHeldScript(WebViewRecord& webview, RendererProcess& renderer,
                        const Page::Script& script, size_t next, FrameRecord* frame = nullptr,
                        uint64_t frame_document = 0);
  // W9.3 (default_dialogs.cc): the user answers the next default script dialog a page shows, once
  // one is showing and `reading_ticks` passed: OK (`accept`; a prompt returns `text`) or Cancel.
  // Awaited on the user's thread.
  sim::Task<> UserAnswersDialog(bool accept, std::string text, uint64_t reading_ticks);
  // W17 (host_calls.cc): how host-object calls reach the UI thread (Runtime::DeliverHostCallsWith).
  void DeliverHostCallsWith(HostCallDelivery delivery) {
    host_call_delivery_ = std::move(delivery);
  }

 private:
  void RaiseFrameCreated(WebViewRecord& webview, CoreWebView2Frame& frame);
  // W15: the frame's document is gone: the app's scripts pending in it fail or never complete.
  void DestroyFrameDocument(FrameRecord& frame);
  void RaiseFrameDocumentEvent(FrameRecord& frame, HandlerList<NavigationEventArgs>& list,
                               const char* event);
  // W9.4: a frame's PermissionRequested, frame handlers first, then the WebView's.
  void RaiseFramePermission(WebViewRecord& webview, FrameRecord& frame);
  // W9.3: alert(text) from a page script; true when it holds the JavaScript thread.
  // With a `frame`, the dialog of that frame's document (W15).
  bool OpenAlert(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                 size_t index, FrameRecord* frame = nullptr);
  void ReleaseJs(RendererProcess& renderer);
  // W9.3: the browser's default dialog for a page script's step `index`: holds the JavaScript
  // thread until its user answered (default_dialogs.cc).
  void ShowDefaultDialog(WebViewRecord& webview, RendererProcess& renderer,
                         const Page::Script& script, size_t index, FrameRecord* frame = nullptr);
  // W9.4: a page script's permission request at step `index` (page_permissions.cc): raises
  // PermissionRequested; the script goes on from the next step once the answer is back, without
  // holding the JavaScript thread meanwhile.
  void RequestPermission(WebViewRecord& webview, RendererProcess& renderer,
                         const Page::Script& script, size_t index);
  // W9.1: window.open from a page script's step `index`; true when it holds the JavaScript
  // thread until NewWindowRequested let it return.
  bool OpenWindow(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                  size_t index);
  // W17: a host-object call from a page script's step `index` (with a `frame`, that frame's
  // document's, calling the frame's host objects); true when the script goes on now (an
  // asynchronous call), false when it holds the JavaScript thread or threw.
  bool CallHost(WebViewRecord& webview, RendererProcess& renderer, const Page::Script& script,
                size_t index, FrameRecord* frame = nullptr);
  // Runs `call` on the UI thread `ui`: a posted message, or the app's framework's delivery.
  void DeliverHostCall(sim::Thread ui, std::string label, absl::AnyInvocable<Task<>()> call);

  Core& core_;
  sim::Kernel& kernel_;
  sim::PooledMap<sim::PooledString, Page> pages_;  // in the run's pooled memory
  HostCallDelivery host_call_delivery_;            // empty: posted messages (W17)
  // W9.3: default dialogs shown and not answered yet, in the order shown; and, while the user
  // waits for one, what tells it one is showing.
  std::vector<DefaultDialog*> shown_dialogs_;
  sim::Promise<void> dialog_shown_;
};

// W9.3: what a dialog returns to the page's script, as JSON (confirm true or false, prompt the
// text or null, alert null), and the call it holds the script in ("confirm()").
std::string DialogAnswer(Page::Script::Step::Kind kind, bool accepted, std::string_view text);
const char* DialogCall(Page::Script::Step::Kind kind);
// The globals a script of `webview`'s document, or of `frame`'s when not null, reads and sets.
std::map<std::string, std::string>& GlobalsOf(WebViewRecord& webview, FrameRecord* frame);
// W15: whether `frame` (null: the main document, always) still shows its document `document`.
bool SameDocument(const FrameRecord* frame, uint64_t document);
// W7, W9.1, W9.3, W17 (core_webview2.cc): whether an app's script `done`, which reached `renderer`,
// runs now although a page script holds its JavaScript thread: during a dialog or window.open
// with kScriptDuringAlertParam=1 (the unconfirmed reading), or past a planted defect's hold.
// False when nothing holds it, or when it waits behind the hold: the trace and the call's report
// then say behind what.
bool RunsPastHold(Core& core, const RendererProcess& renderer,
                  const sim::Promise<std::string>& done);
// W17 (host_calls.cc): the origin of `uri` ("https://host[:port]", lower case, without the
// scheme's default port), empty when it has none; and an origin the app names, normalized the
// same way ("*" stays), empty when it is malformed (no scheme or host, or a path).
std::string OriginOf(std::string_view uri);
std::string NormalizedOrigin(std::string_view origin);

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_PAGES_H_
