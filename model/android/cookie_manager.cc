#include "model/android/cookie_manager.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/android/planted_defects.h"
#include "sim/assert.h"

namespace wvsim::model::android {

using sim::Task;

CookieManager::CookieManager(AndroidRuntime& runtime)
    : sim::Object("CookieManager"), runtime_(&runtime) {}

Looper* CookieManager::CallbackLooper(const char* method, BooleanValueCallback* callback) const {
  if (callback == nullptr)
    return nullptr;  // "safe to call the method from a thread without a Looper"
  Looper* looper = runtime_->MyLooper();
  if (looper == nullptr) {
    // AwCookieManager: CookieCallback needs a Looper on the calling thread.
    throw IllegalStateException(
        absl::StrCat(method, " must be called on a thread with a running Looper."), "A21");
  }
  return looper;
}

Task<> CookieManager::SetCookie(std::string url, std::string value,
                                BooleanValueCallback* callback) {
  co_await runtime_->kernel().Yield({"CookieManager.setCookie", this});
  Looper* reply_to = CallbackLooper("SetCookie", callback);
  CookieManager* self = this;
  Runnable store = [self, url = std::move(url), value = std::move(value), callback, reply_to] {
    return StoreCookie(self, url, value, callback, reply_to);
  };
  co_await runtime_->kernel().Post(runtime_->BackgroundThread(), "setCookie", std::move(store));
}

Task<> CookieManager::RemoveAllCookies(BooleanValueCallback* callback) {
  co_await runtime_->kernel().Yield({"CookieManager.removeAllCookies", this});
  Looper* reply_to = CallbackLooper("removeAllCookies", callback);
  CookieManager* self = this;
  Runnable remove = [self, callback, reply_to] { return RemoveAll(self, callback, reply_to); };
  co_await runtime_->kernel().Post(runtime_->BackgroundThread(), "removeAllCookies",
                                   std::move(remove));
}

Task<std::string> CookieManager::GetCookie(std::string url) {
  co_await runtime_->kernel().Yield({"CookieManager.getCookie", this});
  const auto found = cookies_.find(url);
  co_return found == cookies_.end() ? std::string() : absl::StrJoin(found->second, "; ");
}

Task<> CookieManager::StoreCookie(CookieManager* self, std::string url, std::string value,
                                  BooleanValueCallback* callback, Looper* reply_to) {
  self->cookies_[url].push_back(std::move(value));
  co_await self->Reply(callback, reply_to, true);
}

Task<> CookieManager::RemoveAll(CookieManager* self, BooleanValueCallback* callback,
                                Looper* reply_to) {
  const bool removed = !self->cookies_.empty();
  self->cookies_.clear();
  co_await self->Reply(callback, reply_to, removed);
}

Task<> CookieManager::Reply(BooleanValueCallback* callback, Looper* reply_to, bool value) {
  if (callback == nullptr) co_return;
  WVSIM_ASSERT(reply_to != nullptr);
  if (TestOnlyAndroidPlantedDefects().cookie_callback_on_store_thread) {
    co_await RunCallback(this, callback, reply_to, value);
    co_return;
  }
  CookieManager* self = this;
  Runnable run = [self, callback, reply_to, value] {
    return RunCallback(self, callback, reply_to, value);
  };
  co_await runtime_->kernel().Post(reply_to->thread(), "ValueCallback<Boolean>", std::move(run));
}

Task<> CookieManager::RunCallback(CookieManager* self, BooleanValueCallback* callback,
                                  Looper* looper, bool value) {
  AndroidRuntime& runtime = *self->runtime_;
  runtime.BeginCallback(*looper, "CookieManager ValueCallback.onReceiveValue");
  co_await callback->OnReceiveValue(value);
  runtime.EndCallback();
}

}  // namespace wvsim::model::android
