// Page: what a URL does when it loads, as a scenario declares it (World::AddPage): the page's own
// behaviour, which the app does not control (docs/webview2-rules.md W2, W9, W10, W11).
#ifndef WVSIM_MODEL_WEBVIEW2_PAGE_H_
#define WVSIM_MODEL_WEBVIEW2_PAGE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/webview2/event_args.h"

namespace wvsim::model::webview2 {

struct Page {
  // A script of the page (issue 15): its steps run on the renderer's single JavaScript thread,
  // as messages there, in order with the app's ExecuteScript calls (W7). Declared by the
  // scenario with a small builder:
  //
  //   Page::Script::AtLoad().SetGlobal("window.draft", "\"unsaved\"").Alert("Leave?")
  //   Page::Script::OnWebMessage("ping").PostMessage("pong")
  //
  //   Page::Script::AtLoad().CallHostSync("bridge", "getDraft", "window.draft")
  //
  // A step that opens `alert` holds the page's JavaScript until ScriptDialogOpening finished (its
  // deferral included, W9.3): the rest of the script, and every script or ExecuteScript sent to
  // that JavaScript thread meanwhile, waits behind it. A synchronous host-object call holds it the
  // same way until the app's method returned on the UI thread (W17).
  struct Script {
    enum class When : uint8_t {
      kLoad,              // the window's load event: once the load completed (W2)
      kDOMContentLoaded,  // once the document is parsed
      kWebMessage,        // a web message from the app arrives (`message`, or any when empty)
      // setTimeout(script) called by the load event: runs once, after the load, at a time
      // relative to the app's work that the scheduler chooses (page_scripts.cc)
      kTimer,
    };
    struct Step {
      enum class Kind : uint8_t {
        kPostMessage,  // window.chrome.webview.postMessage(text): WebMessageReceived (W2)
        kSetGlobal,    // text = value, a page global ExecuteScript reads (W7)
        kAlert,        // alert(text): ScriptDialogOpening (W9.3)
        // window[into] = confirm(text): ScriptDialogOpening Kind Confirm; true when Accept was
        // called, else false (W9.3)
        kConfirm,
        // window[into] = prompt(text, value): Kind Prompt; ResultText (JSON) when accepted, else
        // null (W9.3)
        kPrompt,
        // chrome.webview.hostObjects.sync.text.value(): holds the page's JavaScript until the
        // app's method returned on the UI thread (W17)
        kCallHostSync,
        // chrome.webview.hostObjects.text.value(): the script goes on; the promise resolves
        // later, on the JavaScript thread (W17)
        kCallHostAsync,
        // window.open(text): NewWindowRequested; the script waits until window.open returned
        // (the event finished, or NewWindow was set while its deferral is open, W9.1)
        kOpenWindow,
        // location = text: navigates the document the script runs in (a frame's script: that
        // frame, W15; the main page's: the WebView, W2)
        kNavigate,
        // The main page navigates its iframe named `value` to text (W15).
        kNavigateFrame,
        // The main page removes its iframe named `value`: Destroyed (W15).
        kRemoveFrame,
        // document.title = text: the WebView's DocumentTitleChanged on the UI thread (W2).
        kSetTitle,
        // window[into] = await a permission request (getUserMedia, geolocation):
        // PermissionRequested on the UI thread (W9.4). The script awaits the answer without holding
        // the JavaScript thread: other scripts and the app's ExecuteScript run meanwhile, and the
        // rest of this script runs once the answer is back ("granted", "denied" or "prompt").
        kRequestPermission,
      };
      Kind kind = Kind::kPostMessage;
      // The message, the global's name ("window.x"), the alert's text, the host object's name,
      // the URI a navigation goes to.
      std::string text = {};
      // kSetGlobal: the value as ExecuteScript returns it (JSON); host calls: the method's name;
      // kPrompt: its default text; kNavigateFrame, kRemoveFrame: the frame's name.
      std::string value = {};
      // Host calls, confirm, prompt: the global that receives the answer ("" for none).
      std::string into = {};
    };
    When when = When::kLoad;
    std::string message = {};  // kWebMessage: the app's message that runs it ("" for any)
    std::vector<Step> steps = {};

    static Script AtLoad() { return Script{.when = When::kLoad}; }
    static Script AtDOMContentLoaded() { return Script{.when = When::kDOMContentLoaded}; }
    static Script OnTimer() { return Script{.when = When::kTimer}; }
    static Script OnWebMessage(std::string from_app = {}) {
      return Script{.when = When::kWebMessage, .message = std::move(from_app)};
    }
    Script& PostMessage(std::string text) {
      steps.push_back(Step{.kind = Step::Kind::kPostMessage, .text = std::move(text)});
      return *this;
    }
    Script& SetGlobal(std::string name, std::string json_value) {
      steps.push_back(Step{
          .kind = Step::Kind::kSetGlobal, .text = std::move(name), .value = std::move(json_value)});
      return *this;
    }
    Script& Alert(std::string text) {
      steps.push_back(Step{.kind = Step::Kind::kAlert, .text = std::move(text)});
      return *this;
    }
    // window[into] = confirm(text) (W9.3).
    Script& Confirm(std::string text, std::string into) {
      steps.push_back(
          Step{.kind = Step::Kind::kConfirm, .text = std::move(text), .into = std::move(into)});
      return *this;
    }
    // window[into] = prompt(text, default_text) (W9.3).
    Script& Prompt(std::string text, std::string default_text, std::string into) {
      steps.push_back(Step{.kind = Step::Kind::kPrompt,
                           .text = std::move(text),
                           .value = std::move(default_text),
                           .into = std::move(into)});
      return *this;
    }
    // window.open(uri) (W9.1): holds the page's JavaScript until NewWindowRequested let it go.
    Script& OpenWindow(std::string uri) {
      steps.push_back(Step{.kind = Step::Kind::kOpenWindow, .text = std::move(uri)});
      return *this;
    }
    // document.title = title (W2: DocumentTitleChanged).
    Script& SetTitle(std::string title) {
      steps.push_back(Step{.kind = Step::Kind::kSetTitle, .text = std::move(title)});
      return *this;
    }
    // window[into] = await the permission's answer (W9.4); the rest of the script after it.
    Script& RequestPermission(std::string into) {
      steps.push_back(Step{.kind = Step::Kind::kRequestPermission, .into = std::move(into)});
      return *this;
    }
    // location.href = uri (W2; in a frame's document, W15).
    Script& Navigate(std::string uri) {
      steps.push_back(Step{.kind = Step::Kind::kNavigate, .text = std::move(uri)});
      return *this;
    }
    // The main page: document.getElementsByName(frame)[0].src = uri (W15).
    Script& NavigateFrame(std::string frame, std::string uri) {
      steps.push_back(Step{
          .kind = Step::Kind::kNavigateFrame, .text = std::move(uri), .value = std::move(frame)});
      return *this;
    }
    // The main page: document.getElementsByName(frame)[0].remove() (W15).
    Script& RemoveFrame(std::string frame) {
      steps.push_back(Step{.kind = Step::Kind::kRemoveFrame, .value = std::move(frame)});
      return *this;
    }
    // window[into] = chrome.webview.hostObjects.sync[object][method]() (W17).
    Script& CallHostSync(std::string object, std::string method, std::string into = {}) {
      return CallHost(Step::Kind::kCallHostSync, std::move(object), std::move(method),
                      std::move(into));
    }
    // chrome.webview.hostObjects[object][method]().then(r => window[into] = r) (W17).
    Script& CallHostAsync(std::string object, std::string method, std::string into = {}) {
      return CallHost(Step::Kind::kCallHostAsync, std::move(object), std::move(method),
                      std::move(into));
    }

   private:
    Script& CallHost(Step::Kind kind, std::string object, std::string method, std::string into) {
      steps.push_back(Step{.kind = kind,
                           .text = std::move(object),
                           .value = std::move(method),
                           .into = std::move(into)});
      return *this;
    }
  };

  std::string title = {};
  std::string web_message = {};  // window.chrome.webview.postMessage(...) after load
  std::string subresource = {};  // a request the page makes while loading (WebResourceRequested)
  // Non-empty: that request is a POST with this body, its Request.Content (W10).
  std::string subresource_body = {};
  std::string window_open = {};  // window.open(...) after load (NewWindowRequested)
  // Deferrable events the page causes after load, in order; each waits for the one before to
  // finish, as the page's script does (W9).
  std::vector<DeferrableEvent> events = {};
  // Iframes (<iframe name=... src=...>), each a CoreWebView2Frame; a frame of another site runs in
  // a renderer of its own (site isolation, W11), so its exit affects only it (W12). The page
  // declared for a frame's URI is its document: its scripts, timers included, run in the frame
  // (W15; its dialogs hold it as the main page's do, W9.3; it calls the frame's own host objects,
  // CoreWebView2Frame.AddHostObjectToScriptWithOrigins, W17).
  struct Frame {
    std::string name = {};
    std::string uri = {};
    // The frame's script asks for a permission once it loaded: PermissionRequested on the
    // frame's handlers first, then on the WebView's (W9.4).
    bool requests_permission = false;
  };
  std::vector<Frame> frames = {};
  // The page answers every web message from the host with the same message (web_messages.cc).
  bool echoes_web_messages = false;
  // The page's scripts (Script above), in the order the page declares them.
  std::vector<Script> scripts = {};
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_PAGE_H_
