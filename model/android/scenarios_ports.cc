// The android.* scenarios of WebMessagePort (A17): when the page has loaded, the app makes a
// message channel, keeps one end and sends the other to the page, which answers on it. The
// app's callback touches the WebView: from a background Handler's thread that is wrong_thread
// (A2); on the main looper it is fine.
#include <string>
#include <vector>

#include "model/android/clients.h"
#include "model/android/java.h"
#include "model/android/page.h"
#include "model/android/runtime.h"
#include "model/android/scenario_support.h"
#include "model/android/web_message_port.h"
#include "model/android/webview.h"
#include "model/verdicts.h"
#include "sim/scenario.h"

using ::wvsim::model::WebViewVerdict;

namespace wvsim::model::android {

using sim::Kernel;
using sim::Task;
using sim::Verdict;

namespace {

struct PortApp {
  explicit PortApp(AndroidRuntime& r) : rt(&r) {}
  AndroidRuntime* rt;
  WebView* view = nullptr;
  Handler* port_handler = nullptr;  // null: the callback runs on the main looper
  std::vector<std::string> received;
  std::string title;
};

struct TitleReader final : ValueCallback {
  explicit TitleReader(PortApp& a) : app(&a) {}
  Task<> OnReceiveValue(WebView&, std::string value) override {
    app->title = std::move(value);
    co_return;
  }
  PortApp* app;
};

// The page's answer arrives: the callback reads the page's title through the WebView.
class PortCallback final : public WebMessageCallback {
 public:
  PortCallback(PortApp& app, TitleReader& reader) : app_(&app), reader_(&reader) {}
  Task<> OnMessage(WebMessagePort&, std::string message) override {
    app_->received.push_back(std::move(message));
    co_await app_->view->EvaluateJavascript("document.title", reader_);  // needs the UI thread
  }

 private:
  PortApp* app_;
  TitleReader* reader_;
};

// When the page finished loading, open a channel to it.
class OpensChannel final : public WebViewClient {
 public:
  OpensChannel(PortApp& app, PortCallback& callback) : app_(&app), callback_(&callback) {}
  Task<> OnPageFinished(WebView& view, std::string) override {
    std::vector<WebMessagePort*> ports = co_await view.CreateWebMessageChannel();
    co_await ports[0]->SetWebMessageCallback(callback_, app_->port_handler);
    std::vector<WebMessagePort*> sent{ports[1]};
    co_await view.PostWebMessage("init", std::move(sent));
  }

 private:
  PortApp* app_;
  PortCallback* callback_;
};

Task<> CreateAndLoad(PortApp& app, WebViewClient* client) {
  app.view = co_await WebView::Create(*app.rt);
  co_await app.view->SetWebViewClient(client);
  co_await app.view->LoadUrl(kScenarioHomeUrl);
}

Task<> Nothing() { co_return; }

void PortSetup(Kernel& k, bool background_handler) {
  AndroidRuntime& rt = AndroidRuntime::Create(k);
  rt.AddPage(kScenarioHomeUrl,
             Page{.title = "Home", .on_message = {PortPost("hello"), PortPost("again")}});
  PortApp& app = k.Make<PortApp>(rt);
  if (background_handler) {
    const sim::Thread thread = rt.StartLooperThread("port_thread", Nothing());
    app.port_handler = &k.Make<Handler>(rt, *rt.LooperOf(thread));
  }
  auto& reader = k.Make<TitleReader>(app);
  auto& callback = k.Make<PortCallback>(app, reader);
  auto& client = k.Make<OpensChannel>(app, callback);
  rt.StartMainThread(CreateAndLoad(app, &client));
  if (background_handler) return;
  ExpectAtEnd(
      k, "port answer",
      [&app] {
        return app.received == std::vector<std::string>{"hello", "again"} &&
               app.title == "\"Home\"";
      },
      "the page's two answers on the port did not reach the callback in order, or the title was "
      "not read (A17)");
}

}  // namespace

std::vector<sim::Scenario> PortScenarios() {
  return {
      sim::Scenario{
          .id = "android.message_port_callback_touches_webview",
          .description =
              "target 18+: a WebMessagePort callback set with a background Handler calls "
              "evaluateJavascript from that Handler's thread (A17, A2)",
          .expected = {WebViewVerdict::kWrongThread},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PortSetup(k, /*background_handler=*/true); },
      },
      sim::Scenario{
          .id = "android.message_port_callback_on_ui",
          .description =
              "the fix: the WebMessagePort callback runs on the main looper (no Handler) and "
              "may use the WebView (A17)",
          .expected = {Verdict::kClean},
          .params = {TargetSdk(kJellyBeanMr2)},
          .setup = [](Kernel& k) { PortSetup(k, /*background_handler=*/false); },
      },
  };
}

}  // namespace wvsim::model::android
