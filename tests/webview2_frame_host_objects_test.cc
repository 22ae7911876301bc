// Tests of a frame's host objects (docs/webview2-rules.md W17 and W15;
// CoreWebView2Frame.AddHostObjectToScriptWithOrigins, model/webview2/frame_host_objects.cc and
// internal/host_calls.cc): a frame's synchronous call holds its renderer's JavaScript thread until
// the app's method ran on the UI thread, as the main document's does; only a document of one of the
// object's origins reaches it (normalized; "*" for all), a malformed origin fails the call, and a
// refused call throws or returns undefined (a parameter); the method is a WebView2 callback for
// W4's oracle; a frame navigated or removed while its call waits runs no more of that script; and
// the UI thread blocking on the frame's script while it calls is a deadlock naming both sides.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/verdicts.h"
#include "model/webview2/runtime.h"
#include "test_programs.h"
#include "webview2_probe.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::webview2 {
namespace {

using sim::Verdict;
using sim::testing::RunResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kChat[] = "https://chat.example/room";
constexpr char kLobby[] = "https://chat.example/lobby";

// What happens to the frame while its call waits for the app's method.
enum class WhileCalling { kNothing, kFrameNavigates, kFrameRemoved, kModalDialog };

struct FrameHostProbe {
  Probe* p = nullptr;
  CoreWebView2Frame* frame = nullptr;
  HostObject* bridge = nullptr;
  std::vector<std::string> origins;
  bool remove_first = false;
  WhileCalling while_calling = WhileCalling::kNothing;
  sim::Promise<void> frame_gone;  // the frame's next document loaded, or the frame destroyed
  bool destroyed = false;         // Destroyed was raised, and IsDestroyed said so
  std::string after_at_call;      // the frame's window.after when the method ran
  std::string lobby_at_return;    // the frame's window.lobby when the method returned
};

std::string FrameGlobal(FrameHostProbe& f, const char* name) {
  const std::string* value = f.frame != nullptr ? f.p->rt->world().Global(*f.frame, name) : nullptr;
  return value != nullptr ? *value : "undefined";
}

Task<> ShowAndClose(Probe& p) { co_await p.rt->CloseDialog(); }

Task<std::string> GetAnswer(FrameHostProbe& f) {
  f.p->log->push_back("method on " + f.p->k->Current().name());
  f.after_at_call = FrameGlobal(f, "window.after");
  switch (f.while_calling) {
    case WhileCalling::kNothing:
      break;
    case WhileCalling::kModalDialog: {
      Probe* p = f.p;
      co_await p->rt->ShowDialog("Confirm", [p] { return ShowAndClose(*p); });
      break;
    }
    case WhileCalling::kFrameNavigates:
    case WhileCalling::kFrameRemoved:
      // The main page navigates or removes the frame while the frame's call waits for this method.
      co_await f.p->webview->PostWebMessageAsString(
          f.while_calling == WhileCalling::kFrameNavigates ? "move" : "remove");
      co_await f.frame_gone.future();
      break;
  }
  f.lobby_at_return = FrameGlobal(f, "window.lobby");
  co_return std::string("42");
}

Task<> SayGo(FrameHostProbe& f) { co_await f.frame->PostWebMessageAsString("go"); }

Task<> FrameGone(FrameHostProbe& f) {
  f.frame_gone.Set();
  co_return;
}

Task<> FrameDestroyed(FrameHostProbe& f) {
  f.destroyed = f.frame->IsDestroyed();
  return FrameGone(f);
}

Task<> OnChatCreated(FrameHostProbe& f, FrameCreatedEventArgs& args) {
  f.frame = co_await args.frame.get();
  FrameHostProbe* kept = &f;
  co_await f.frame->add_NavigationCompleted(
      [kept](NavigationEventArgs&) { return FrameGone(*kept); });
  co_await f.frame->add_Destroyed(
      [kept](FrameDestroyedEventArgs&) { return FrameDestroyed(*kept); });
  try {
    std::vector<std::string> origins = f.origins;
    co_await f.frame->AddHostObjectToScriptWithOrigins("bridge", *f.bridge, std::move(origins));
  } catch (const ComException& error) {
    f.p->log->push_back(error.hr() == kEInvalidArg ? "add fails E_INVALIDARG" : "add fails");
  }
  if (f.remove_first) co_await f.frame->RemoveHostObjectFromScript("bridge");
  co_await f.p->rt->Post(f.p->ui, "go", [kept] { return SayGo(*kept); });
}

Task<> LoadWithChat(FrameHostProbe& f) {
  co_await ProbeCreate(*f.p);
  FrameHostProbe* kept = &f;
  co_await f.p->webview->add_FrameCreated(
      [kept](FrameCreatedEventArgs& args) { return OnChatCreated(*kept, args); });
  co_await f.p->webview->Navigate(kPage);
}

struct FrameHostConfig {
  std::vector<std::string> origins = {"https://chat.example"};
  bool sync = true;
  bool remove_first = false;
  WhileCalling while_calling = WhileCalling::kNothing;
  sim::ParamValues params = {};
};

struct FrameHostRun {
  sim::RunOutcome run;
  std::string trace;
  std::vector<std::string> log;
  std::string answer;
  std::string after;
  std::string lobby;
  std::string after_at_call = "unset";
  std::string lobby_at_return = "unset";
  bool destroyed = false;
};

// The main page holds the chat frame and moves or removes it on the app's word; the chat calls
// bridge.getAnswer() into window.answer when the app says "go", then sets window.after; the
// lobby sets window.lobby at load.
FrameHostRun RunFrameHostCall(const FrameHostConfig& config) {
  FrameHostRun out;
  const sim::Scenario scenario = sim::testing::MakeScenario([&out, &config](Kernel& k) {
    FrameHostProbe& f = k.Make<FrameHostProbe>();
    f.origins = config.origins;
    f.remove_first = config.remove_first;
    f.while_calling = config.while_calling;
    f.frame_gone = k.MakePromise<void>("frame gone");
    f.bridge = &k.Make<HostObject>();
    f.bridge->AddMethod("getAnswer", [&f] { return GetAnswer(f); });
    f.p = &MakeProbe(k, &out.log, [&f](Probe&) { return LoadWithChat(f); });
    Page home{.title = "Home", .frames = {{.name = "chat", .uri = kChat}}};
    home.scripts.push_back(Page::Script::OnWebMessage("move").NavigateFrame("chat", kLobby));
    home.scripts.push_back(Page::Script::OnWebMessage("remove").RemoveFrame("chat"));
    f.p->rt->world().AddPage(kPage, std::move(home));
    Page chat{.title = "Room"};
    Page::Script call = Page::Script::OnWebMessage("go");
    if (config.sync) {
      call.CallHostSync("bridge", "getAnswer", "window.answer");
    } else {
      call.CallHostAsync("bridge", "getAnswer", "window.answer");
    }
    chat.scripts.push_back(std::move(call.SetGlobal("window.after", "1")));
    f.p->rt->world().AddPage(kChat, std::move(chat));
    Page lobby{.title = "Lobby"};
    lobby.scripts.push_back(Page::Script::AtLoad().SetGlobal("window.lobby", "1"));
    f.p->rt->world().AddPage(kLobby, std::move(lobby));
    k.AddQuiescenceCheck(sim::CheckPhase::kFinal, [&f, &out]() -> std::optional<sim::Violation> {
      out.answer = FrameGlobal(f, "window.answer");
      out.after = FrameGlobal(f, "window.after");
      out.lobby = FrameGlobal(f, "window.lobby");
      out.after_at_call = f.after_at_call;
      out.lobby_at_return = f.lobby_at_return;
      out.destroyed = f.destroyed;
      return std::nullopt;
    });
  });
  sim::Runner runner(scenario, config.params);
  sim::ByteStreamStrategy first({});
  first.BeginExecution(0);
  out.run = runner.Run(first, /*traced=*/true);
  out.trace = runner.kernel().TraceText();
  return out;
}

TEST(FrameHostObjects, W17_AFrameSyncCallHoldsItsScriptUntilTheMethodReturnedOnTheUiThread) {
  const FrameHostRun out = RunFrameHostCall({});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_EQ(out.after_at_call, "undefined");  // the frame's script waited for the answer
  EXPECT_EQ(out.answer, "42");
  EXPECT_EQ(out.after, "1");
  EXPECT_THAT(out.trace,
              HasSubstr("synchronous host object call bridge.getAnswer() in frame chat"));
}

TEST(FrameHostObjects, W17_AFrameAsyncCallLetsItsScriptGoOnAndResolvesLater) {
  const FrameHostRun out = RunFrameHostCall({.sync = false});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_EQ(out.after_at_call, "1");
  EXPECT_EQ(out.answer, "42");
}

// WR: the origins are normalized (scheme and host in lower case, no default port) before they are
// compared with the frame document's origin at the call; "*" admits every origin.
TEST(FrameHostObjects, W17_OnlyADocumentOfOneOfTheOriginsReachesTheObject) {
  for (const std::vector<std::string>& admitting :
       {std::vector<std::string>{"https://chat.example"},
        std::vector<std::string>{"https://other.example", "HTTPS://Chat.Example:443"},
        std::vector<std::string>{"*"}}) {
    const FrameHostRun out = RunFrameHostCall({.origins = admitting});
    EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
    EXPECT_EQ(out.answer, "42") << admitting[0];
  }
  for (const std::vector<std::string>& refusing :
       {std::vector<std::string>{"https://other.example"}, std::vector<std::string>{},
        std::vector<std::string>{"http://chat.example"}}) {
    const FrameHostRun out = RunFrameHostCall({.origins = refusing});
    EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
    EXPECT_TRUE(out.log.empty());
    EXPECT_EQ(out.answer, "undefined");
    EXPECT_EQ(out.after, "undefined");  // the synchronous call threw: the script ended
    EXPECT_THAT(out.trace, HasSubstr("which the app added for other origins only: it throws"));
  }
}

// The assumption (kFrameHostCallRefusedThrowsParam): with 0 a refused call returns undefined.
TEST(FrameHostObjects, W17_ARefusedCallReturnsUndefinedWhenTheParameterSaysSo) {
  const FrameHostRun out =
      RunFrameHostCall({.origins = {"https://other.example"},
                        .params = {{std::string(kFrameHostCallRefusedThrowsParam), 0}}});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_TRUE(out.log.empty());
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_EQ(out.after, "1");  // the script went on
  EXPECT_THAT(out.trace, HasSubstr("it returns undefined"));
}

// WR: "If list contains malformed origin the call will fail"; the object is not added.
TEST(FrameHostObjects, W17_AMalformedOriginFailsTheCall) {
  const FrameHostRun out = RunFrameHostCall({.origins = {"https://chat.example/room"}});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("add fails E_INVALIDARG"));
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_THAT(out.trace, HasSubstr("which the app did not add to the script: it throws"));
}

TEST(FrameHostObjects, W17_ACallToAFramesRemovedHostObjectThrowsInTheFrame) {
  const FrameHostRun out = RunFrameHostCall({.remove_first = true});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_TRUE(out.log.empty());
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_EQ(out.after, "undefined");
}

// W4 (WebView2Feedback #3677): a frame's host method on the stack is a WebView2 callback.
TEST(FrameHostObjects, W17_AFrameHostMethodThatShowsAModalDialogIsReentrancy) {
  const FrameHostRun out = RunFrameHostCall({.while_calling = WhileCalling::kModalDialog});
  EXPECT_EQ(out.run.violation.kind, WebViewVerdict::kReentrancy) << out.run.violation.report;
  EXPECT_THAT(out.run.violation.report,
              HasSubstr("host object call bridge.getAnswer() in frame chat"));
}

// W15: the frame navigates while its synchronous call waits. The method still runs; its answer
// reaches nobody and the rest of the old document's script does not run; the new document's load
// script waits on the JavaScript thread until the call returned, then runs.
TEST(FrameHostObjects, W15_AFrameNavigatedWhileItsSyncCallWaitsRunsNoMoreOfThatScript) {
  const FrameHostRun out = RunFrameHostCall({.while_calling = WhileCalling::kFrameNavigates});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_EQ(out.lobby_at_return, "undefined");  // held behind the old document's call
  EXPECT_EQ(out.lobby, "1");
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_EQ(out.after, "undefined");
}

// W15: the frame is removed while its synchronous call waits: the same, and the frame is destroyed.
TEST(FrameHostObjects, W15_AFrameRemovedWhileItsSyncCallWaitsRunsNoMoreOfThatScript) {
  const FrameHostRun out = RunFrameHostCall({.while_calling = WhileCalling::kFrameRemoved});
  EXPECT_EQ(out.run.violation.kind, Verdict::kClean) << out.run.violation.report;
  EXPECT_THAT(out.log, ElementsAre("method on ui"));
  EXPECT_TRUE(out.destroyed);
  EXPECT_EQ(out.answer, "undefined");
  EXPECT_EQ(out.after, "undefined");
}

TEST(FrameHostObjects, W17_AFrameSyncCallWhileTheUiThreadBlocksOnTheFramesScriptIsADeadlock) {
  const sim::ExploreResult buggy =
      ExploreScenario("wv2.frame_sync_host_call_while_ui_waits_on_frame_script", 20000);
  EXPECT_EQ(buggy.verdict, Verdict::kDeadlock);
  const std::string report = Report(buggy);
  EXPECT_THAT(report, HasSubstr("thread ui is blocked in Task.Result(Frame.ExecuteScript#1)"));
  EXPECT_THAT(report, HasSubstr("behind the page's synchronous host object call "
                                "bridge.confirmSave() in frame editor, which waits for the app's "
                                "method to run on thread ui (W17"));
  ExpectClean("wv2.frame_sync_host_call_while_frame_script_awaited");
}

}  // namespace
}  // namespace wvsim::model::webview2
