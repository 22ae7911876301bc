// Tests for the Android WebView model: one or more per rule of docs/android-rules.md (A1..A11),
// each named after its rule, asserting verdicts, the real exception texts, virtual time and
// ordering.
#include <string>
#include <vector>

#include "android_probe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/android/java.h"
#include "model/android/runtime.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "sim/runner.h"
#include "sim/strategies/random.h"
#include "test_programs.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {
namespace {

using sim::Kernel;
using sim::Task;
using sim::Verdict;
using sim::testing::Body;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kUrl = "https://example.com/";

// Records a Java exception's class and message, or "none".
struct Caught {
  std::string java_class = "none";
  std::string message;
  std::string rule;
  uint64_t ticks = 0;
  void Record(const JavaException& e, const Kernel& k) {
    java_class = e.java_class();
    message = e.message();
    rule = e.rule();
    ticks = k.now_ticks();
  }
};

// ---- A1

TEST(AndroidRules, A1_ConstructingOnThreadWithoutLooperThrows) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          rt.StartThread("worker", Body([&]() -> Task<> {
                           try {
                             co_await WebView::Create(rt);
                           } catch (const JavaException& e) {
                             caught.Record(e, k);
                           }
                         }));
          co_return;
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(caught.java_class, "java.lang.RuntimeException");
  EXPECT_EQ(caught.message, "WebView cannot be initialized on a thread that has no Looper.");
  EXPECT_EQ(caught.rule, "A1");
}

TEST(AndroidRules, A1_UncaughtExceptionEndsTheRunWithItsText) {
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          rt.StartThread("worker", Body([&]() -> Task<> { co_await WebView::Create(rt); }));
          co_return;
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("escaped thread worker: java.lang.RuntimeException: WebView cannot be "
                        "initialized on a thread that has no Looper. [A1]"));
}

// ---- A2

void WorkerLoadsMainsWebView(Kernel& k, std::vector<std::string>* log) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.StartMainThread(Body([&rt, log]() -> Task<> {
    WebView* view = co_await WebView::Create(rt);
    rt.StartThread("worker", Body([view, log]() -> Task<> {
                     co_await view->LoadUrl(kUrl);
                     log->push_back("worker returned");
                   }));
    rt.kernel().AddQuiescenceCheck(sim::CheckPhase::kFinal, [view, log, &rt] {
      log->push_back("url " + view->url());
      log->push_back("warnings " + std::to_string(rt.warnings()));
      return std::optional<sim::Violation>();
    });
  }));
}

TEST(AndroidRules, A2_CallFromAnotherThreadIsWrongThreadWithRealText) {
  std::vector<std::string> log;
  const Result result = RunAndroid([&](Kernel& k) { WorkerLoadsMainsWebView(k, &log); }, 18);
  EXPECT_EQ(result.violation.kind, WebViewVerdict::kWrongThread);
  EXPECT_EQ(result.violation.place, "WebView.loadUrl");
  EXPECT_THAT(result.violation.report,
              HasSubstr("java.lang.RuntimeException: A WebView method was called on thread "
                        "'worker'. All WebView methods must be called on the same thread. "
                        "(Expected Looper Looper (main, tid 1) called on null, FYI main Looper "
                        "is Looper (main, tid 1))"));
  EXPECT_THAT(result.violation.report, HasSubstr("[A2"));
  EXPECT_TRUE(log.empty());  // the worker's call did not return
}

TEST(AndroidRules, A2_LegacyTargetOnlyLogsAndThePostedCallRuns) {
  std::vector<std::string> log;
  const Result result = RunAndroid([&](Kernel& k) { WorkerLoadsMainsWebView(k, &log); }, 17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("worker returned", std::string("url ") + kUrl, "warnings 1"));
  EXPECT_THAT(result.trace, HasSubstr("W/WebView: java.lang.Throwable: A WebView method was "
                                      "called on thread 'worker'"));
  EXPECT_THAT(result.trace, HasSubstr("WebViewChromiumRunQueue.drainQueue -> main"));
}

TEST(AndroidRules, A2_CallOnTheCreatingLooperIsQuiet) {
  int warnings = -1;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->LoadUrl(kUrl);
          co_await view->Reload();
          warnings = rt.warnings();
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(warnings, 0);
}

// ---- A3

TEST(AndroidRules, A3_StartFromAnotherThreadWaitsUntimedOnBlockedUiLooper) {
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          const sim::Promise<void> done = k.MakePromise<void>("worker_done");
          rt.StartThread("worker", Body([&rt, done]() -> Task<> {
                           co_await WebStorageGetInstance(rt);
                           done.Set();
                         }));
          co_await FutureGet(k, done.future());
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("thread worker is blocked in block_on(chromium_started): chromium_started "
                        "is not complete: Chromium's start-up is message #"));
  EXPECT_THAT(result.violation.report,
              HasSubstr("queued on Looper (main, tid 1), and a caller "
                        "off the UI thread waits for it with no timeout [A3]"));
  EXPECT_EQ(result.end_ticks, 0u);  // no timeout ever fires
}

TEST(AndroidRules, A3_StartOnTheChosenThreadRunsInline) {
  bool started_after_call = false;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          co_await GetStatics(rt);
          started_after_call = rt.chromium_started() && rt.ui_looper() == &rt.MainLooper();
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_TRUE(started_after_call);
  EXPECT_THAT(result.trace, ::testing::Not(HasSubstr("WebViewChromiumAwInit.startChromium")));
}

TEST(AndroidRules, A3_BindingAgainToAnotherLooperThrows) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_await k.Sleep(100); }));
        rt.StartThread("worker", Body([&]() -> Task<> { co_await WebStorageGetInstance(rt); }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               co_await k.Sleep(10);  // the worker bound main; start is pending
                               try {
                                 co_await WebView::Create(rt);
                               } catch (const JavaException& e) {
                                 caught.Record(e, k);
                               }
                             }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(caught.java_class, "java.lang.RuntimeException");
  EXPECT_EQ(caught.message,
            "UI thread looper is already set to Looper (main, tid 1) (Main thread looper is "
            "Looper (main, tid 1)), cannot set to new looper Looper (view2, tid 3)");
  EXPECT_EQ(caught.rule, "A3");
  EXPECT_EQ(caught.ticks, 10u);
}

// ---- A4

TEST(AndroidRules, A4_SecondViewThreadThrowsThereAndOnTheUiThread) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          co_await WebView::Create(rt);
          rt.StartLooperThread("view2", Body([&]() -> Task<> {
                                 try {
                                   co_await WebView::Create(rt);
                                 } catch (const JavaException& e) {
                                   caught.Record(e, k);
                                 }
                               }));
        }));
      },
      18);
  EXPECT_EQ(caught.java_class, "java.lang.IllegalStateException");
  EXPECT_EQ(caught.message, "Calling View methods on another thread than the UI thread.");
  // The copy posted to the UI looper crashes main too.
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("escaped thread main: java.lang.IllegalStateException: Calling View "
                        "methods on another thread than the UI thread. [A4]"));
}

TEST(AndroidRules, A4_LegacyTargetOffMainDoesNotStartTheEngine) {
  bool started = true;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               started = rt.chromium_started() || view->aw_contents_created();
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_FALSE(started);
}

TEST(AndroidRules, A4_Api18BindsTheConstructingLooper) {
  std::string ui = "none";
  std::string view2;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                               view2 = view->looper().name();
                             }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(ui, view2);
  EXPECT_EQ(ui, "Looper (view2, tid 2)");
}

// ---- A5

TEST(AndroidRules, A5_ValueMethodForcesStartOnMainThenBlocks) {
  std::string url;
  std::string ui = "none";
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               url = co_await view->GetUrl();
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(url, "about:blank");
  EXPECT_EQ(ui, "Looper (main, tid 1)");
  EXPECT_THAT(result.trace, HasSubstr("post #1 WebViewChromiumAwInit.startChromium -> main"));
  EXPECT_THAT(result.trace, HasSubstr("block_on_for(WebView#1.getUrl#"));
}

TEST(AndroidRules, A5_EvaluateJavascriptChecksTheThreadAndNeverPosts) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          rt.StartLooperThread("view2", Body([&, view]() -> Task<> {
                                 try {
                                   co_await view->EvaluateJavascript("1+1", nullptr);
                                 } catch (const JavaException& e) {
                                   caught.Record(e, k);
                                 }
                               }));
        }));
      },
      17);  // legacy: A2 only logs, so the A4 check is what throws
  EXPECT_EQ(caught.message, kViewThreadText);
  EXPECT_EQ(caught.rule, "A4");
  EXPECT_EQ(result.violation.kind, Verdict::kException);  // the posted copy crashes main
  EXPECT_THAT(result.trace, ::testing::Not(HasSubstr("evaluateJavascript result")));
}

TEST(AndroidRules, A5_LoadFamilyForcesStartOnMain) {
  std::string ui = "none";
  int pages = 0;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               co_await view->LoadData("<p>hi</p>");
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                               k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&pages, view] {
                                 pages = view->pages_finished();
                                 return std::optional<sim::Violation>();
                               });
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(ui, "Looper (main, tid 1)");
  EXPECT_EQ(pages, 1);
}

TEST(AndroidRules, A5_OnDrawOffTheUiThreadBlocksUntilMainDrew) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_await GetStatics(rt); }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               co_await k.Sleep(5);
                               WebView* view = co_await WebView::Create(rt);  // legacy: posted init
                               co_await view->OnDraw();
                               log.push_back("draws " + std::to_string(view->draws()) + " on " +
                                             k.Current().name() + " at " +
                                             std::to_string(k.now_ticks()));
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("draws 1 on view2 at 5"));
  EXPECT_THAT(result.trace, HasSubstr("block_on_for(WebView#1.onDraw#"));
}

TEST(AndroidRules, A5_InputEventStartsOnTheCurrentLooper) {
  std::string ui = "none";
  bool handled = false;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               handled = co_await view->OnTouchEvent();
                               handled = handled && co_await view->DispatchKeyEvent();
                               ui = rt.ui_looper()->name();
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_TRUE(handled);
  EXPECT_EQ(ui, "Looper (view2, tid 2)");
}

TEST(AndroidRules, A5_VoidCallsOffTheUiThreadAreQueuedAndValueCallsAnswered) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->LoadUrl("https://a.example/");
          co_await view->LoadUrl("https://b.example/");
          rt.StartThread(
              "worker", Body([&, view]() -> Task<> {
                log.push_back("canGoBack " + std::to_string(co_await view->CanGoBack()));
                co_await view->GoBack();  // queued: runs on main later
                log.push_back("url after goBack call " + co_await view->GetUrl());
                log.push_back(co_await view->SaveState());
                log.push_back("hit " + std::to_string(co_await view->GetHitTestResult()));
                co_await view->StopLoading();
                co_await view->Destroy();
                log.push_back(std::string("destroyed ") + (view->destroyed() ? "yes" : "no"));
              }));
        }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log,
              ElementsAre("canGoBack 1", "url after goBack call https://a.example/",
                          "Bundle{url=https://a.example/, history=1}", "hit 0", "destroyed no"));
}

// ---- A6

TEST(AndroidRules, A6_CallsBeforeStartQueueAndDrainInFifoOrderAtStartUp) {
  std::vector<std::string> messages_before;
  std::vector<std::string> messages_after;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               co_await view->PostWebMessage("a");
                               co_await view->PostWebMessage("b");
                               co_await view->PostWebMessage("c");
                               messages_before = view->web_messages();
                               co_await view->OnAttachedToWindow();  // starts here (A5)
                               messages_after = view->web_messages();
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_TRUE(messages_before.empty());
  EXPECT_THAT(messages_after, ElementsAre("a", "b", "c"));
}

TEST(AndroidRules, A6_AfterStartACallOffTheUiThreadPostsADrain) {
  std::vector<std::string> log;
  const Result result = RunAndroid([&](Kernel& k) { WorkerLoadsMainsWebView(k, &log); }, 17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  const size_t post = result.trace.find("post #1 WebViewChromiumRunQueue.drainQueue -> main");
  const size_t drain = result.trace.find("dispatch #1 WebViewChromiumRunQueue.drainQueue");
  const size_t load = result.trace.find("post #2 onPageStarted -> main");
  ASSERT_NE(post, std::string::npos) << result.trace;
  ASSERT_NE(drain, std::string::npos) << result.trace;
  ASSERT_NE(load, std::string::npos) << result.trace;
  EXPECT_LT(post, drain);
  EXPECT_LT(drain, load);  // the posted loadUrl ran inside the drain, on main
}

// ---- A7

struct BlockedUi {
  Caught caught;
  std::string url = "unset";
};

void WorkerGetterWhileMainWaits(Kernel& k, BlockedUi& state, bool catch_it) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.StartMainThread(Body([&k, &rt, &state, catch_it]() -> Task<> {
    WebView* view = co_await WebView::Create(rt);
    const sim::Promise<void> done = k.MakePromise<void>("worker_done");
    rt.StartThread("worker", Body([&k, &state, view, done, catch_it]() -> Task<> {
                     if (!catch_it) {
                       state.url = co_await view->GetUrl();
                     } else {
                       try {
                         state.url = co_await view->GetUrl();
                       } catch (const JavaException& e) {
                         state.caught.Record(e, k);
                       }
                     }
                     done.Set();
                   }));
    co_await FutureGet(k, done.future());
  }));
}

TEST(AndroidRules, A7_BlockingCallTimesOutAfterFourSeconds) {
  BlockedUi state;
  const Result result =
      RunAndroid([&](Kernel& k) { WorkerGetterWhileMainWaits(k, state, /*catch_it=*/true); }, 17);
  EXPECT_EQ(state.caught.java_class, "java.lang.RuntimeException");
  EXPECT_EQ(state.caught.message,
            "Probable deadlock detected due to WebView API being called on incorrect thread "
            "while the UI thread is blocked.");
  EXPECT_EQ(state.caught.ticks, kBlockingCallTimeoutTicks);
  EXPECT_EQ(state.caught.ticks, 4000u);
  EXPECT_EQ(state.url, "unset");
  // Main was released by the worker; the getter task still runs later, on main.
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
}

TEST(AndroidRules, A7_UncaughtTimeoutIsAnExceptionVerdict) {
  BlockedUi state;
  const Result result =
      RunAndroid([&](Kernel& k) { WorkerGetterWhileMainWaits(k, state, /*catch_it=*/false); }, 17);
  EXPECT_EQ(result.violation.kind, Verdict::kException);
  EXPECT_THAT(result.violation.report,
              HasSubstr("escaped thread worker: java.lang.RuntimeException: Probable deadlock "
                        "detected due to WebView API being called on incorrect thread while the "
                        "UI thread is blocked. [A7]"));
  EXPECT_EQ(result.end_ticks, 4000u);
}

Task<int> IntTask(int value) { co_return value; }

TEST(AndroidRules, A7_BlockingRequiresAStartedEngineAndAnotherThread) {
  Caught before_start;
  Caught on_ui;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          absl::AnyInvocable<Task<int>()> call = [] { return IntTask(1); };
          try {
            co_await rt.RunOnUiThreadBlocking<int>("probe", std::move(call));
          } catch (const JavaException& e) {
            before_start.Record(e, k);
          }
          co_await GetStatics(rt);  // starts on main: main is the UI thread now
          absl::AnyInvocable<Task<int>()> again = [] { return IntTask(2); };
          try {
            co_await rt.RunOnUiThreadBlocking<int>("probe", std::move(again));
          } catch (const JavaException& e) {
            on_ui.Record(e, k);
          }
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(before_start.java_class, "java.lang.RuntimeException");
  EXPECT_EQ(before_start.message, "Must be started before we block!");
  EXPECT_EQ(on_ui.java_class, "java.lang.IllegalStateException");
  EXPECT_EQ(on_ui.message, "This method should only be called off the UI thread");
}

TEST(AndroidRules, A7_AnsweredCallReturnsBeforeTheTimeout) {
  std::string url;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->LoadUrl(kUrl);
          rt.StartThread("worker", Body([&, view]() -> Task<> { url = co_await view->GetUrl(); }));
        }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(url, kUrl);
  EXPECT_EQ(result.end_ticks, 0u);  // the 4 s timer was cancelled
}

// ---- A8

TEST(AndroidRules, A8_InlineCallBeforeAwContentsExistsThrows) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          co_await GetStatics(rt);  // Chromium runs on main
          WebView* view = nullptr;
          const sim::Promise<void> created = k.MakePromise<void>("created");
          rt.StartLooperThread("view2", Body([&, created]() -> Task<> {
                                 view = co_await WebView::Create(rt);  // initForReal: posted
                                 created.Set();
                               }));
          co_await FutureGet(k, created.future());  // main blocks: the drain cannot run yet
          try {
            co_await view->Reload();
          } catch (const JavaException& e) {
            caught.Record(e, k);
          }
        }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(caught.java_class, "java.lang.IllegalStateException");
  EXPECT_EQ(caught.message, "AwContents must be created if we are not posting!");
  EXPECT_EQ(caught.rule, "A8");
}

// ---- A9

TEST(AndroidRules, A9_StaticEntryPointsBindMainAndCookieManagerDoesNot) {
  bool started_by_cookies = true;
  std::string ui = "none";
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               co_await CookieManagerGetInstance(rt);
                               started_by_cookies = rt.chromium_started();
                               co_await WebViewDatabaseGetInstance(rt);
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                             }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_FALSE(started_by_cookies);
  EXPECT_EQ(ui, "Looper (main, tid 1)");
}

// ---- A10

TEST(AndroidRules, A10_FirstViewThreadBecomesTheUiThread) {
  std::string ui = "none";
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);  // legacy: held off
                               co_await view->OnAttachedToWindow();
                               ui = rt.ui_looper() != nullptr ? rt.ui_looper()->name() : "none";
                             }));
      },
      17);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_EQ(ui, "Looper (view2, tid 2)");
}

TEST(AndroidRules, A10_LoadBeforeAnyViewThreadMakesMainUiAndTheAttachThrows) {
  Caught caught;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartLooperThread("view2", Body([&]() -> Task<> {
                               WebView* view = co_await WebView::Create(rt);
                               co_await view->LoadUrl(kUrl);  // binds main (A10)
                               try {
                                 co_await view->OnAttachedToWindow();
                               } catch (const JavaException& e) {
                                 caught.Record(e, k);
                               }
                             }));
      },
      17);
  EXPECT_EQ(caught.message, kViewThreadText);
  EXPECT_EQ(result.violation.kind, Verdict::kException);  // and main crashes with the copy
  EXPECT_THAT(result.violation.report, HasSubstr("escaped thread main"));
}

// ---- A11

struct RecordingInterface final : JavascriptInterface {
  explicit RecordingInterface(Kernel& k) : kernel(&k) {}
  Task<std::string> Call(WebView&, std::string method, std::string argument) override {
    threads.push_back(kernel->Current().name() + " " + method + " " + argument);
    co_return "ok";
  }
  Kernel* kernel;
  std::vector<std::string> threads;
};

struct RecordingCallbacks final : WebViewClient, WebChromeClient, ValueCallback {
  explicit RecordingCallbacks(Kernel& k) : kernel(&k) {}
  Task<> OnPageStarted(WebView&, std::string url) override {
    log.push_back(kernel->Current().name() + " started " + url);
    co_return;
  }
  Task<> OnPageFinished(WebView&, std::string url) override {
    log.push_back(kernel->Current().name() + " finished " + url);
    co_return;
  }
  Task<> OnReceivedTitle(WebView&, std::string title) override {
    log.push_back(kernel->Current().name() + " title " + title);
    co_return;
  }
  Task<> OnReceiveValue(WebView&, std::string value) override {
    log.push_back(kernel->Current().name() + " value " + value);
    co_return;
  }
  Kernel* kernel;
  std::vector<std::string> log;
};

TEST(AndroidRules, A11_JavascriptInterfaceRunsOnJavaBridgeAndClientsOnUiThread) {
  std::vector<std::string> bridge;
  std::vector<std::string> callbacks;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& object = k.Make<RecordingInterface>(k);
        auto& client = k.Make<RecordingCallbacks>(k);
        rt.AddPage(kUrl, Page{.on_load = {BridgeCall("Android", "onPageLoaded", kUrl)}});
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->SetWebViewClient(&client);
          co_await view->SetWebChromeClient(&client);
          co_await view->AddJavascriptInterface(&object, "Android");
          co_await view->LoadUrl(kUrl);
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&] {
            bridge = object.threads;
            callbacks = client.log;
            return std::optional<sim::Violation>();
          });
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(bridge, ElementsAre(std::string("JavaBridge onPageLoaded ") + kUrl));
  EXPECT_THAT(callbacks, ElementsAre(std::string("main started ") + kUrl,
                                     std::string("main title Title of ") + kUrl,
                                     std::string("main finished ") + kUrl));
}

TEST(AndroidRules, A11_EvaluateJavascriptDeliversItsCallbackOnTheUiThread) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& callback = k.Make<RecordingCallbacks>(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          WebView* view = co_await WebView::Create(rt);
          co_await view->EvaluateJavascript("document.title", &callback);
          log.push_back("returned");
          k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&] {
            for (const std::string& line : callback.log) log.push_back(line);
            return std::optional<sim::Violation>();
          });
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("returned", "main value \"\""));
}

TEST(AndroidRules, A11_SerialCallbacksSelfCheckCatchesACallbackOffItsThread) {
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> { co_return; }));
        rt.StartThread("worker", Body([&]() -> Task<> {
                         rt.BeginCallback(rt.MainLooper(), "WebViewClient.onPageStarted");
                         co_return;
                       }));
      },
      18);
  EXPECT_EQ(result.violation.kind, WebViewVerdict::kSerialCallbacks);
  EXPECT_THAT(result.violation.report,
              HasSubstr("WebViewClient.onPageStarted ran on thread worker, not on Looper (main, "
                        "tid 1) [A11]"));
}

// ---- The Java model: Handler and virtual time.

Task<> Record(std::vector<std::string>* log, Kernel* kernel, const char* what) {
  log->push_back(std::string(what) + "@" + std::to_string(kernel->now_ticks()));
  co_return;
}

TEST(AndroidJava, HandlerPostDelayedRunsAfterVirtualTimeAndRemoveCallbacksCancels) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        rt.StartMainThread(Body([&]() -> Task<> {
          Handler& handler = rt.MainHandler();
          std::vector<std::string>* out = &log;
          Kernel* kernel = &k;
          handler.PostDelayed("late", 500 * kTicksPerMillisecond,
                              [out, kernel] { return Record(out, kernel, "late"); });
          const CallbackToken removed = handler.PostDelayed(
              "removed", 100, [out, kernel] { return Record(out, kernel, "removed"); });
          co_await handler.Post("now", [out, kernel] { return Record(out, kernel, "now"); });
          handler.RemoveCallbacks(removed);
        }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("now@0", "late@500"));
}

TEST(AndroidJava, CountDownLatchReleasesTheWaiterAtZero) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& latch = k.Make<CountDownLatch>(k, "latch", 2);
        rt.StartThread(
            "waiter", Body([&]() -> Task<> {
              const bool timed_out_first = !(co_await latch.AwaitFor(50));
              log.push_back(std::string("first ") + (timed_out_first ? "timed out" : "done"));
              co_await latch.Await();
              log.push_back("released at " + std::to_string(k.now_ticks()));
            }));
        rt.StartThread("counter", Body([&]() -> Task<> {
                         co_await k.Sleep(100);
                         co_await latch.CountDown();
                         co_await latch.CountDown();
                       }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("first timed out", "released at 100"));
}

TEST(AndroidJava, ObjectWaitBlocksUntilNotifyAllAndTimesOut) {
  std::vector<std::string> log;
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& monitor = k.Make<JavaMonitor>(k, "lock");
        rt.StartThread("waiter", Body([&]() -> Task<> {
                         const bool notified_early = co_await monitor.WaitFor(20);
                         log.push_back(std::string("timed wait ") +
                                       (notified_early ? "notified" : "timed out") + " at " +
                                       std::to_string(k.now_ticks()));
                         co_await monitor.Wait();
                         log.push_back("woken at " + std::to_string(k.now_ticks()));
                       }));
        rt.StartThread("notifier", Body([&]() -> Task<> {
                         co_await k.Sleep(30);
                         co_await monitor.NotifyAll();
                       }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kClean);
  EXPECT_THAT(log, ElementsAre("timed wait timed out at 20", "woken at 30"));
}

TEST(AndroidJava, ObjectWaitWithoutNotifyIsADeadlock) {
  const Result result = RunAndroid(
      [&](Kernel& k) {
        AndroidRuntime& rt = AndroidRuntime::Create(k);
        auto& monitor = k.Make<JavaMonitor>(k, "lock");
        rt.StartMainThread(Body([&]() -> Task<> { co_await monitor.Wait(); }));
      },
      18);
  EXPECT_EQ(result.violation.kind, Verdict::kDeadlock);
  EXPECT_THAT(result.violation.report,
              HasSubstr("thread main is blocked in block_on(lock.notify#1)"));
}

}  // namespace
}  // namespace wvsim::model::android
