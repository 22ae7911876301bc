// Launching and finding the WebView2 processes (processes.h, W11).
#include "model/webview2/internal/processes.h"

#include "absl/strings/str_cat.h"
#include "model/webview2/internal/records.h"
#include "model/webview2/runtime.h"

namespace wvsim::model::webview2::internal {

namespace {

Task<> ProcessMain(sim::Kernel& kernel) { co_await kernel.RunMessageLoop(); }

// "https://app.example/settings" -> "https://app.example" (site isolation, W11): a view into
// `uri`, so that finding the site's renderer builds no string.
std::string_view SiteOf(std::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return uri;
  const size_t path = uri.find('/', scheme + 3);
  return path == std::string_view::npos ? uri : uri.substr(0, path);
}

}  // namespace

std::string BrowserHangHoldsUp(const BrowserProcess& browser) {
  return absl::StrCat("browser process ", browser.thread.name(),
                      " hangs (a fault, W12) and processes nothing; no ProcessFailed reports it");
}

Processes::Processes(sim::Kernel& kernel)
    : kernel_(kernel),
      port_(kernel),
      auxiliary_threads_(kernel.Param(kAuxiliaryThreadsParam, 0) != 0) {}

BrowserProcess& Processes::BrowserFor(const EnvironmentOptions& options, bool* options_differ) {
  *options_differ = false;
  if (auto it = browsers_.find(std::string_view(options.user_data_folder));
      it != browsers_.end() && !it->second->crashed && !it->second->exited) {
    // A hung browser is still the folder's browser (W11): a new environment waits on it (W12).
    *options_differ =
        it->second->options.additional_browser_arguments != options.additional_browser_arguments;
    return *it->second;
  }
  BrowserProcess& browser = kernel_.Make<BrowserProcess>();
  browser.user_data_folder = options.user_data_folder;
  browser.options = options;
  ++browser_generation_;
  browser.thread =
      kernel_.Spawn(browser_generation_ == 1 ? std::string("browser")
                                             : absl::StrCat("browser#", browser_generation_),
                    ProcessMain(kernel_), {.message_queue = true});
  browsers_.insert_or_assign(sim::PooledString(options.user_data_folder), &browser);
  LaunchAuxiliaries(browser);  // W11: the GPU and utility processes start with the browser
  return browser;
}

RendererProcess& Processes::RendererFor(BrowserProcess& browser, std::string_view uri) {
  const std::string_view site = SiteOf(uri);
  if (auto it = browser.renderers.find(site);
      it != browser.renderers.end() && !it->second->crashed) {
    return *it->second;
  }
  RendererProcess& renderer = kernel_.Make<RendererProcess>();
  renderer.site = sim::PooledString(site);
  renderer.browser = &browser;
  ++renderer_generation_;
  renderer.thread =
      kernel_.Spawn(renderer_generation_ == 1 ? std::string("renderer")
                                              : absl::StrCat("renderer#", renderer_generation_),
                    ProcessMain(kernel_), {.message_queue = true});
  browser.renderers.insert_or_assign(renderer.site, &renderer);
  return renderer;
}

Processes::Browsers Processes::LiveBrowsers() const {
  Browsers live;
  for (const auto& [folder, browser] : browsers_) {
    if (!browser->dead()) live.push_back(browser);
  }
  return live;
}

Processes::Renderers Processes::LiveRenderers(const BrowserProcess& browser) const {
  Renderers live;
  for (const auto& [site, renderer] : browser.renderers) {
    if (!renderer->crashed) live.push_back(renderer);
  }
  return live;
}

bool Processes::RunsMainDocument(const RendererProcess& renderer) const {
  for (const WebViewRecord* webview : renderer.browser->webviews) {
    if (webview->renderer == &renderer && !webview->closed) return true;
  }
  return false;
}

}  // namespace wvsim::model::webview2::internal
