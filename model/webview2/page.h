// Page: what a URL does when it loads, as a scenario declares it (World::AddPage): the page's own
// behaviour, which the app does not control (docs/webview2-rules.md W2, W9, W10, W11).
#ifndef WVSIM_MODEL_WEBVIEW2_PAGE_H_
#define WVSIM_MODEL_WEBVIEW2_PAGE_H_

#include <string>
#include <vector>

#include "model/webview2/event_args.h"

namespace wvsim::model::webview2 {

struct Page {
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
  // a renderer of its own (site isolation, W11), so its exit affects only it (W12).
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
};

}  // namespace wvsim::model::webview2

#endif  // WVSIM_MODEL_WEBVIEW2_PAGE_H_
