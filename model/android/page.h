// What a web page does, for the Android model: the steps its JavaScript takes when it loads and
// when a web message reaches it. A scenario registers pages by URL (AndroidRuntime::AddPage); a
// URL without one loads a page with no script. The steps run on the page's JavaScript thread
// (renderer.h, A12), one after the other, each waiting for the one before: a bridge call waits
// until the Java method returned (A13), a dialog until the app answered it (A15); a message on a
// WebMessagePort the app sent the page does not wait (A17), nor does a permission request (A22);
// timers the load script sets run their steps later, as tasks of their own (A20).
//
//   rt.AddPage("https://example.com/", Page{.on_load = {BridgeCall("Android", "getToken"),
//                                                       Confirm("Continue?"),
//                                                       BridgeCall("Android", "ready")}});
//
// Plain data, copied into the run.
#ifndef WVSIM_MODEL_ANDROID_PAGE_H_
#define WVSIM_MODEL_ANDROID_PAGE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wvsim::model::android {

enum class PageStepKind {
  kBridgeCall,  // window.<object>.<method>(<text>) (A13)
  kAlert,       // alert(<text>) (A15)
  kConfirm,     // confirm(<text>) (A15)
  kPrompt,      // prompt(<text>, <default_value>) (A15)
  kPortPost,  // event.ports[0].postMessage(<text>): on the port the last web message brought (A17)
  kRequestPermission,  // navigator.mediaDevices.getUserMedia for the resource <text> (A22)
  kNavigate,           // window.location = <text>: a navigation the page starts (A25)
  kOpenWindow,         // window.open(<text>): a popup the app may host (A28)
};

struct PageStep {
  PageStepKind kind = PageStepKind::kBridgeCall;
  std::string object = {};         // kBridgeCall: the name given to addJavascriptInterface
  std::string method = {};         // kBridgeCall
  std::string text = {};           // the call's argument, or the dialog's message
  std::string default_value = {};  // kPrompt
};

inline PageStep BridgeCall(std::string object, std::string method, std::string argument = {}) {
  return PageStep{.kind = PageStepKind::kBridgeCall,
                  .object = std::move(object),
                  .method = std::move(method),
                  .text = std::move(argument)};
}
inline PageStep Alert(std::string message) {
  return PageStep{.kind = PageStepKind::kAlert, .text = std::move(message)};
}
inline PageStep Confirm(std::string message) {
  return PageStep{.kind = PageStepKind::kConfirm, .text = std::move(message)};
}
inline PageStep Prompt(std::string message, std::string default_value = {}) {
  return PageStep{.kind = PageStepKind::kPrompt,
                  .text = std::move(message),
                  .default_value = std::move(default_value)};
}

inline PageStep PortPost(std::string message) {
  return PageStep{.kind = PageStepKind::kPortPost, .text = std::move(message)};
}

// getUserMedia's request does not wait: the page goes on, and learns the answer later (A22).
inline PageStep RequestPermission(std::string resource) {
  return PageStep{.kind = PageStepKind::kRequestPermission, .text = std::move(resource)};
}

// The page navigates itself (a link, window.location): the app's shouldOverrideUrlLoading decides
// on the UI thread; the script goes on (A25).
inline PageStep Navigate(std::string url) {
  return PageStep{.kind = PageStepKind::kNavigate, .text = std::move(url)};
}

// window.open: the app's onCreateWindow decides on the UI thread; the script goes on (A28).
inline PageStep OpenWindow(std::string url) {
  return PageStep{.kind = PageStepKind::kOpenWindow, .text = std::move(url)};
}

// setTimeout(steps, delay_ms), called by the page's load script before its own steps (A20): the
// steps run on the JavaScript thread when the delay has passed, as a task of their own.
struct PageTimer {
  uint64_t delay_ms = 0;
  std::vector<PageStep> steps = {};
};

struct Page {
  std::string title = {};                 // document.title; empty: "Title of <url>"
  std::vector<PageStep> on_load = {};     // the page's script, run once as it loads
  std::vector<PageStep> on_message = {};  // window.onmessage: run for every web message
  std::vector<PageTimer> timers = {};     // setTimeout calls of the load script (A20)
  // A26: a load of this URL fails with this net error (0: it loads), e.g. -2 ERROR_HOST_LOOKUP.
  int error_code = 0;
  std::string error_description = {};
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_PAGE_H_
