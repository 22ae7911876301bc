// An app of one's own against wvsim's Android WebView model: a login screen that needs a session
// token for the page it shows. The token comes from a worker thread, which needs the page's URL,
// which only the main (UI) thread may read.
//
// myapp.login_waits_for_token is the bug: onCreate starts the worker and then blocks main until
// the token is there. The worker posts "read url" to main and waits for the answer; main never
// gets back to its looper to run it: a deadlock in every interleaving.
//
// myapp.login_posts_token is the fix: main reads the URL itself, hands it to the worker and
// returns to its looper; the worker posts the token back to main, which loads the page with it.
#include <optional>
#include <string>

#include "model/android/java.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "sim/kernel.h"
#include "sim/scenario.h"

namespace myapp {

using wvsim::model::android::AndroidRuntime;
using wvsim::model::android::FutureGet;
using wvsim::model::android::WebView;
using wvsim::sim::Kernel;
using wvsim::sim::Promise;
using wvsim::sim::Scenario;
using wvsim::sim::Task;
using wvsim::sim::Verdict;

constexpr char kLoginUrl[] = "https://login.example/";

struct LoginScreen {
  explicit LoginScreen(AndroidRuntime& runtime) : rt(&runtime) {}
  AndroidRuntime* rt;
  WebView* view = nullptr;
  std::string token;
};

std::string TokenFor(const std::string& url) { return "token-for-" + url; }

// ---- The bug.

// On main, posted by the worker: WebView calls belong on the UI thread.
Task<> ReadUrlForWorker(LoginScreen& screen, Promise<std::string> url) {
  std::string current = co_await screen.view->GetUrl();
  url.Set(std::move(current));
}

Task<> FetchTokenAskingMain(LoginScreen& screen, Promise<std::string> url, Promise<void> fetched) {
  LoginScreen* raw = &screen;
  co_await screen.rt->MainHandler().Post("read url",
                                         [raw, url] { return ReadUrlForWorker(*raw, url); });
  const std::string page = co_await FutureGet(screen.rt->kernel(), url.future());
  screen.token = TokenFor(page);
  fetched.Set();
}

Task<> OnCreateWaitingForToken(LoginScreen& screen) {
  Kernel& k = screen.rt->kernel();
  screen.view = co_await WebView::Create(*screen.rt);
  co_await screen.view->LoadUrl(kLoginUrl);
  const Promise<std::string> url = k.MakePromise<std::string>("login_url");
  const Promise<void> fetched = k.MakePromise<void>("token_fetched");
  const wvsim::sim::Thread worker =
      screen.rt->StartThread("token_fetcher", FetchTokenAskingMain(screen, url, fetched));
  fetched.SetProducer(worker, "the worker sets it once it has the token");
  url.SetProducer(screen.rt->MainLooper().thread(),
                  "main's \"read url\" runnable sets it, once main's looper runs it");
  co_await FutureGet(k, fetched.future());  // the bug: main blocks, "read url" waits behind it
  co_await screen.view->LoadUrl(std::string(kLoginUrl) + "?token=" + screen.token);
}

// ---- The fix.

Task<> LoadWithToken(LoginScreen& screen) {
  co_await screen.view->LoadUrl(std::string(kLoginUrl) + "?token=" + screen.token);
}

Task<> FetchTokenAndPost(LoginScreen& screen, std::string page) {
  screen.token = TokenFor(page);
  LoginScreen* raw = &screen;
  co_await screen.rt->MainHandler().Post("use token", [raw] { return LoadWithToken(*raw); });
}

Task<> OnCreatePostingToken(LoginScreen& screen) {
  screen.view = co_await WebView::Create(*screen.rt);
  co_await screen.view->LoadUrl(kLoginUrl);
  std::string page = co_await screen.view->GetUrl();  // on main: the UI thread answers at once
  screen.rt->StartThread("token_fetcher", FetchTokenAndPost(screen, std::move(page)));
}

// The check both share: the page ends up loaded with the token.
void ExpectTokenLoaded(Kernel& k, LoginScreen& screen) {
  k.AddQuiescenceCheck(
      wvsim::sim::CheckPhase::kFinal, [&screen]() -> std::optional<wvsim::sim::Violation> {
        const std::string want = std::string(kLoginUrl) + "?token=" + TokenFor(kLoginUrl);
        if (screen.view != nullptr && screen.view->url() == want) {
          return std::nullopt;
        }
        return wvsim::sim::Violation{Verdict::kAssertion, "login page",
                                     "the login page was not loaded with the token"};
      });
}

WVSIM_REGISTER_SCENARIO(login_waits_for_token) {
  return Scenario{
      .id = "myapp.login_waits_for_token",
      .description = "onCreate blocks main until a worker, which needs main, has the token",
      .expected = {Verdict::kDeadlock},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            LoginScreen& screen = k.Make<LoginScreen>(rt);
            rt.StartMainThread(OnCreateWaitingForToken(screen));
            ExpectTokenLoaded(k, screen);
          },
  };
}

WVSIM_REGISTER_SCENARIO(login_posts_token) {
  return Scenario{
      .id = "myapp.login_posts_token",
      .description = "main hands the URL to the worker, which posts the token back",
      .expected = {Verdict::kClean},
      .setup =
          [](Kernel& k) {
            AndroidRuntime& rt = AndroidRuntime::Create(k);
            LoginScreen& screen = k.Make<LoginScreen>(rt);
            rt.StartMainThread(OnCreatePostingToken(screen));
            ExpectTokenLoaded(k, screen);
          },
  };
}

}  // namespace myapp
