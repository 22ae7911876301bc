// android.webkit.CookieManager's asynchronous calls (A21): setCookie and removeAllCookies with a
// ValueCallback<Boolean>. The store changes on a Chromium background thread; the callback comes
// on the looper of the thread that made the call (a Handler made there), so a call with a
// callback from a thread without a Looper throws. getCookie answers at once.
//
//   CookieManager* cookies = co_await CookieManagerGetInstance(rt);
//   co_await cookies->SetCookie("https://example.com/", "session=1", &on_set);  // A21
//
// Creating the CookieManager does not start the engine (A9). One per run.
#ifndef WVSIM_MODEL_ANDROID_COOKIE_MANAGER_H_
#define WVSIM_MODEL_ANDROID_COOKIE_MANAGER_H_

#include <map>
#include <string>
#include <vector>

#include "model/android/clients.h"
#include "model/android/runtime.h"
#include "sim/kernel.h"

namespace wvsim::model::android {

class CookieManager final : public sim::Object {
 public:
  explicit CookieManager(AndroidRuntime& runtime);
  // setCookie(url, value, callback): the callback, when not null, gets true on the caller's
  // looper once the cookie is stored.
  sim::Task<> SetCookie(std::string url, std::string value, BooleanValueCallback* callback);
  // removeAllCookies(callback): the callback gets whether any cookie was removed.
  sim::Task<> RemoveAllCookies(BooleanValueCallback* callback);
  // getCookie(url): the cookies stored for `url` now, "a=1; b=2" (empty: none).
  sim::Task<std::string> GetCookie(std::string url);

 private:
  // Makes the callback's Handler on the calling thread (AwCookieManager's CookieCallback);
  // throws with `method`'s text when the thread has no Looper.
  Looper* CallbackLooper(const char* method, BooleanValueCallback* callback) const;
  static sim::Task<> StoreCookie(CookieManager* self, std::string url, std::string value,
                                 BooleanValueCallback* callback, Looper* reply_to);
  static sim::Task<> RemoveAll(CookieManager* self, BooleanValueCallback* callback,
                               Looper* reply_to);
  sim::Task<> Reply(BooleanValueCallback* callback, Looper* reply_to, bool value);
  static sim::Task<> RunCallback(CookieManager* self, BooleanValueCallback* callback,
                                 Looper* looper, bool value);

  AndroidRuntime* runtime_;
  std::map<std::string, std::vector<std::string>> cookies_;  // by URL; read by key only
};

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_COOKIE_MANAGER_H_
