// Tests for rule A17 of docs/android-rules.md: WebMessagePort. A message the page posts on the
// port it received reaches the app's WebMessageCallback on the main looper, or on the looper of
// the Handler given to setWebMessageCallback; messages wait for a callback; the app's messages
// reach the page's JavaScript thread.
#include <optional>
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/clients.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/web_message_port.h"
#include "model/android/webview.h"
#include "test_programs.h"

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;

constexpr const char* kUrl = "https://example.com/";

struct Recorder final : WebMessageCallback {
  explicit Recorder(Kernel& k) : kernel(&k) {}
  Task<> OnMessage(WebMessagePort&, std::string message) override {
    log.push_back(kernel->Current().name() + " " + message + "@" +
                  std::to_string(kernel->now_ticks()));
    co_return;
  }
  Kernel* kernel;
  std::vector<std::string> log;
};

struct Probe {
  std::vector<std::string> callback_log;
  std::vector<std::string> page_log;
};

// Main loads a page that answers "hello" on the port of every web message, waits 10 ticks (the
// page has loaded), makes a channel, sends one end to the page, then (when `callback_late`,
// 10 ticks later) sets the callback of its end with `handler_thread`'s Handler (main's without
// one), and posts "from app" on its end.
Result RunPorts(Probe& probe, bool handler_thread, bool callback_late) {
  return RunAndroid(
      [&probe, handler_thread, callback_late](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_message = {PortPost("hello")}});
        auto& recorder = k.Make<Recorder>(k);
        Handler* handler = nullptr;
        if (handler_thread) {
          const sim::Thread thread =
              rt.StartLooperThread("port_thread", Body([]() -> Task<> { co_return; }));
          handler = &k.Make<Handler>(rt, *rt.LooperOf(thread));
        }
        rt.StartMainThread(Body([&k, &rt, &recorder, &probe, handler, callback_late]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->LoadUrl(kUrl);
          co_await k.Sleep(10);
          std::vector<WebMessagePort*> ports = co_await view->CreateWebMessageChannel();
          std::vector<WebMessagePort*> sent{ports[1]};
          co_await view->PostWebMessage("init", std::move(sent));
          if (callback_late) co_await k.Sleep(10);
          co_await ports[0]->SetWebMessageCallback(&recorder, handler);
          co_await ports[0]->PostMessage("from app");
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &recorder, view] {
            probe.callback_log = recorder.log;
            probe.page_log = view->page_log();
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2);
}

TEST(AndroidMessagePort, A17_WithoutAHandlerTheCallbackRunsOnTheMainLooper) {
  Probe probe;
  const Result result = RunPorts(probe, /*handler_thread=*/false, /*callback_late=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.callback_log, ElementsAre("main hello@10"));
}

TEST(AndroidMessagePort, A17_WithAHandlerTheCallbackRunsOnItsThread) {
  Probe probe;
  const Result result = RunPorts(probe, /*handler_thread=*/true, /*callback_late=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.callback_log, ElementsAre("port_thread hello@10"));
}

TEST(AndroidMessagePort, A17_AMessageBeforeTheCallbackWaitsForIt) {
  Probe probe;
  const Result result = RunPorts(probe, /*handler_thread=*/false, /*callback_late=*/true);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  // The page answered at tick 10, the callback was set at tick 20: delivered then, once.
  EXPECT_THAT(probe.callback_log, ElementsAre("main hello@20"));
  EXPECT_THAT(result.trace, ::testing::HasSubstr("WebMessageCallback.onMessage -> main"));
}

TEST(AndroidMessagePort, A17_TheAppsMessagesReachThePageOnItsJavaScriptThread) {
  Probe probe;
  const Result result = RunPorts(probe, /*handler_thread=*/false, /*callback_late=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("onmessage(init)", "port.postMessage(hello)",
                                          "port.onmessage(from app)"));
  EXPECT_THAT(result.trace, ::testing::HasSubstr("port.onmessage -> js#1"));
}

}  // namespace
}  // namespace wvsim::model::android
