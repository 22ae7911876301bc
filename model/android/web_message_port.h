// android.webkit.WebMessagePort (A17): one end of a message channel made by
// WebView.createWebMessageChannel. The app keeps one end and may send the other to the page with
// postWebMessage; a message posted on one end arrives at the other. On the app's end, messages
// reach the WebMessageCallback on the main thread, or on the thread of the Handler given to
// setWebMessageCallback; messages that arrive before a callback is set wait for it.
//
//   std::vector<WebMessagePort*> ports = co_await view->CreateWebMessageChannel();
//   co_await ports[0]->SetWebMessageCallback(&callback, &worker_handler);  // on that thread
//   co_await view->PostWebMessage("init", {ports[1]});                     // to the page
//
// One per end and run (Kernel::Make); deterministic (held messages in arrival order).
#ifndef WVSIM_MODEL_ANDROID_WEB_MESSAGE_PORT_H_
#define WVSIM_MODEL_ANDROID_WEB_MESSAGE_PORT_H_

#include <deque>
#include <string>

#include "model/android/clients.h"
#include "model/android/java.h"

namespace wvsim::model::android {

class Renderer;

class WebMessagePort final : public sim::Object {
 public:
  WebMessagePort(AndroidRuntime& runtime, std::string name);
  // Makes the two entangled ends of a channel.
  static void Entangle(WebMessagePort& a, WebMessagePort& b);

  // setWebMessageCallback(callback[, handler]): later messages, and those already waiting, are
  // posted to `handler`'s looper, or to the main looper without one.
  sim::Task<> SetWebMessageCallback(WebMessageCallback* callback, Handler* handler = nullptr);
  // postMessage: to the entangled end (the page, when that end was sent to it).
  sim::Task<> PostMessage(std::string message);

  bool sent_to_page() const { return page_ != nullptr; }

 private:
  friend class Renderer;  // the page's end: it posts on it, and receives through it
  friend class WebView;   // postWebMessage hands an end to the page

  // A message for this end, from the thread of the sender.
  sim::Task<> Deliver(std::string message);
  static sim::Task<> RunCallback(WebMessagePort* port, std::string message);

  AndroidRuntime* runtime_;
  WebMessagePort* peer_ = nullptr;
  Renderer* page_ = nullptr;  // the page that holds this end, once sent to it
  WebMessageCallback* callback_ = nullptr;
  Looper* looper_ = nullptr;      // where the callback runs
  std::deque<std::string> held_;  // arrived before a callback was set
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_WEB_MESSAGE_PORT_H_
