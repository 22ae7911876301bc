#include "model/android/web_message_port.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/android/renderer.h"
#include "model/android/runtime.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

WebMessagePort::WebMessagePort(AndroidRuntime& runtime, std::string name)
    : sim::Object(std::move(name)), runtime_(&runtime) {}

void WebMessagePort::Entangle(WebMessagePort& a, WebMessagePort& b) {
  a.peer_ = &b;
  b.peer_ = &a;
}

Task<> WebMessagePort::SetWebMessageCallback(WebMessageCallback* callback, Handler* handler) {
  co_await runtime_->kernel().Yield({"setWebMessageCallback", this});
  callback_ = callback;
  looper_ = handler != nullptr ? &handler->looper() : runtime_->main_looper();
  WVSIM_ASSERT(looper_ != nullptr);
  while (callback_ != nullptr && !held_.empty()) {
    std::string message = std::move(held_.front());
    held_.pop_front();
    co_await Deliver(std::move(message));
  }
}

Task<> WebMessagePort::PostMessage(std::string message) {
  co_await runtime_->kernel().Yield({"postMessage", this});
  WVSIM_ASSERT(peer_ != nullptr);
  if (peer_->page_ != nullptr) {
    co_await peer_->page_->DeliverPortMessage(std::move(message));
    co_return;
  }
  co_await peer_->Deliver(std::move(message));
}

Task<> WebMessagePort::Deliver(std::string message) {
  if (callback_ == nullptr) {
    held_.push_back(std::move(message));  // until setWebMessageCallback
    co_return;
  }
  WebMessagePort* self = this;
  Runnable run = [self, message = std::move(message)] { return RunCallback(self, message); };
  co_await runtime_->kernel().Post(looper_->thread(), "WebMessageCallback.onMessage",
                                   std::move(run));
}

Task<> WebMessagePort::RunCallback(WebMessagePort* port, std::string message) {
  AndroidRuntime& runtime = *port->runtime_;
  runtime.BeginCallback(*port->looper_, "WebMessageCallback.onMessage");
  co_await port->callback_->OnMessage(*port, std::move(message));
  runtime.EndCallback();
}

}  // namespace wvsim::model::android
