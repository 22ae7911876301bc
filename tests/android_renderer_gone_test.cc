// Tests for rule A16 of docs/android-rules.md: the renderer process dies (a crash or a kill, a
// fault within the fault budget); onRenderProcessGone on the UI thread; the app dies with it when
// nothing handled it, or when the renderer runs in the app's process (device API < 26); a page
// waiting in a bridge call stops; calls on the dead WebView follow gone_view_calls.
#include <optional>
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/clients.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "test_programs.h"

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kUrl = "https://example.com/";

// window.Android.wait(): sleeps 100 ticks on the JavaBridge thread (the fault strikes meanwhile).
struct SlowBridge final : JavascriptInterface {
  explicit SlowBridge(Kernel& k) : kernel(&k) {}
  Task<std::string> Call(WebView&, std::string, std::string) override {
    co_await kernel->Sleep(100);
    co_return "late";
  }
  Kernel* kernel;
};

struct GoneClient final : WebViewClient {
  explicit GoneClient(Kernel& k, bool handles) : kernel(&k), handles(handles) {}
  Task<bool> OnRenderProcessGone(WebView&, RenderProcessGoneDetail detail) override {
    log.push_back(kernel->Current().name() + (detail.did_crash ? " crashed" : " killed"));
    co_return handles;
  }
  Task<> OnPageFinished(WebView&, std::string) override {
    log.push_back("finished");
    co_return;
  }
  Kernel* kernel;
  bool handles;
  std::vector<std::string> log;
};

struct Probe {
  std::vector<std::string> client_log;
  std::vector<std::string> page_log;
  bool gone = false;
};

// Main loads a page whose script waits in a slow bridge call; one fault as `fault` says; a task
// posted to main reloads the WebView 200 ticks later.
Result RunWithFault(Probe& probe, uint32_t fault, bool handles, sim::ParamValues params = {}) {
  // The lowest-numbered enabled thread at every step; `fault` at every fault decision (0: none,
  // 1: a renderer crash, 2: a renderer kill).
  sim::testing::FaultPick strategy(fault);
  params.emplace(std::string(sim::kFaultBudgetParam), 1);
  return RunAndroid(
      [&probe, handles](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.AddPage(kUrl, Page{.on_load = {BridgeCall("Android", "wait")}});
        auto& bridge = k.Make<SlowBridge>(k);
        auto& client = k.Make<GoneClient>(k, handles);
        rt.StartMainThread(Body([&k, &rt, &bridge, &client, &probe]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->SetWebViewClient(&client);
          co_await view->AddJavascriptInterface(&bridge, "Android");
          co_await view->LoadUrl(kUrl);
          rt.MainHandler().PostDelayed("reload", 200, [view] { return view->Reload(); });
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&probe, &client, view] {
            probe.client_log = client.log;
            probe.page_log = view->page_log();
            probe.gone = view->render_process_gone();
            return std::optional<sim::Violation>();
          });
        }));
      },
      kJellyBeanMr2, &strategy, std::move(params));
}

TEST(AndroidRendererGone, A16_AnUnhandledCrashKillsTheAppWithChromiumsText) {
  Probe probe;
  const Result result = RunWithFault(probe, /*fault=*/1, /*handles=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("Render process's crash wasn't handled by all associated webviews, "
                        "triggering application crash. [A16]"));
  EXPECT_THAT(result.trace, HasSubstr("the renderer process crashed"));
}

TEST(AndroidRendererGone, A16_AnUnhandledKillKillsTheApp) {
  Probe probe;
  const Result result = RunWithFault(probe, /*fault=*/2, /*handles=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("Render process's kill wasn't handled by all associated webviews, "
                        "killing application."));
}

TEST(AndroidRendererGone, A16_AHandledDeathStopsThePageAndCallsOnTheDeadViewGoOnWithoutIt) {
  Probe probe;
  const Result result = RunWithFault(probe, /*fault=*/1, /*handles=*/true);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  // On the UI thread; the page that waited in its bridge call never finished, nor did the reload.
  EXPECT_THAT(probe.client_log, ElementsAre("main crashed"));
  EXPECT_THAT(probe.page_log, ElementsAre("the renderer process crashed"));
  EXPECT_TRUE(probe.gone);
  EXPECT_THAT(result.trace, HasSubstr("reload called after its render process was gone [A16]"));
}

TEST(AndroidRendererGone, A16_WithGoneViewCallsOneACallOnTheDeadViewThrows) {
  Probe probe;
  const Result result = RunWithFault(probe, 1, true, {{std::string(kGoneViewCallsParam), 1}});
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("WebView.reload called after its render process was gone"));
}

TEST(AndroidRendererGone, A16_BeforeApi26TheRendererDiesInsideTheAppsProcess) {
  Probe probe;
  const Result result = RunWithFault(probe, 1, true, {{std::string(kDeviceSdkParam), 25}});
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("the renderer runs in the app's process on API 25"));
  EXPECT_TRUE(probe.client_log.empty());
}

TEST(AndroidRendererGone, A16_WithoutAFaultNothingDies) {
  Probe probe;
  const Result result = RunWithFault(probe, /*fault=*/0, /*handles=*/false);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(probe.page_log, ElementsAre("Android.wait() = late", "Android.wait() = late"));
  EXPECT_THAT(probe.client_log, ElementsAre("finished", "finished"));
  EXPECT_FALSE(probe.gone);
}

}  // namespace
}  // namespace wvsim::model::android
