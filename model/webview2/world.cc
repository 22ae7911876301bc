// The world around the app (world.h): pages, faults, and a test's view of the runtime's side.
#include "model/webview2/world.h"

#include "model/webview2/internal/core.h"

namespace wvsim::model::webview2 {

using internal::HandleAccess;

namespace {

internal::RendererProcess* LiveRenderer(internal::RendererProcess* renderer) {
  return renderer != nullptr && !renderer->dead() ? renderer : nullptr;
}

}  // namespace

void World::AddPage(std::string_view uri, Page page) { core_->pages.AddPage(uri, std::move(page)); }

sim::Task<> World::AnswerScriptDialog(bool accept, std::string text, uint64_t reading_ticks) {
  return core_->pages.UserAnswersDialog(accept, std::move(text), reading_ticks);
}

void World::EnableFaults(FaultKinds kinds) { core_->faults.EnableFaults(kinds); }

void World::CrashBrowser(const Environment& env) {
  core_->faults.CrashBrowser(*HandleAccess::Record(env).browser);
}

void World::ExitOtherProcess(const Environment& env) {
  core_->faults.ExitOtherProcess(*HandleAccess::Record(env).browser);
}

void World::CrashAuxiliaryProcess(const Environment& env, ProcessFailedKind kind) {
  core_->faults.CrashAuxiliaryProcess(*HandleAccess::Record(env).browser, kind);
}

void World::HangAuxiliaryProcess(const Environment& env, ProcessFailedKind kind) {
  core_->faults.HangAuxiliaryProcess(*HandleAccess::Record(env).browser, kind);
}

bool World::CrashRenderer(const CoreWebView2& webview) {
  internal::RendererProcess* renderer = LiveRenderer(HandleAccess::Record(webview).renderer);
  if (renderer == nullptr) return false;
  core_->faults.CrashRenderer(*renderer);
  return true;
}

bool World::CrashRenderer(const CoreWebView2Frame& frame) {
  internal::RendererProcess* renderer = LiveRenderer(HandleAccess::Record(frame).renderer);
  if (renderer == nullptr) return false;
  core_->faults.CrashRenderer(*renderer);
  return true;
}

bool World::HangRenderer(const CoreWebView2& webview) {
  internal::RendererProcess* renderer = LiveRenderer(HandleAccess::Record(webview).renderer);
  if (renderer == nullptr) return false;
  core_->faults.HangRenderer(*renderer);
  return true;
}

const Environment& World::EnvironmentOf(const CoreWebView2& webview) const {
  return *HandleAccess::Record(webview).env->handle;
}

bool World::BrowserAlive(const Environment& env) const {
  return !HandleAccess::Record(env).browser->dead();
}

bool World::RendererAlive(const CoreWebView2& webview) const {
  return LiveRenderer(HandleAccess::Record(webview).renderer) != nullptr;
}

const std::string& World::BrowserThreadName(const Environment& env) const {
  return HandleAccess::Record(env).browser->thread.name();
}

std::string World::RendererThreadName(const CoreWebView2& webview) const {
  const internal::RendererProcess* renderer = HandleAccess::Record(webview).renderer;
  return renderer != nullptr ? renderer->thread.name() : std::string();
}

std::string World::RendererThreadName(const CoreWebView2Frame& frame) const {
  const internal::RendererProcess* renderer = HandleAccess::Record(frame).renderer;
  return renderer != nullptr ? renderer->thread.name() : std::string();
}

std::string_view World::Document(const CoreWebView2& webview) const {
  return HandleAccess::Record(webview).document;
}

const std::string* World::Global(const CoreWebView2& webview, const std::string& name) const {
  return HandleAccess::Record(webview).Global(name);
}

const std::string* World::Global(const CoreWebView2Frame& frame, const std::string& name) const {
  return HandleAccess::Record(frame).Global(name);
}

const std::vector<std::string>& World::EventOutcomes(const CoreWebView2& webview) const {
  return HandleAccess::Record(webview).event_outcomes;
}

const std::vector<CoreWebView2Frame*>& World::Frames(const CoreWebView2& webview) const {
  return HandleAccess::Record(webview).frames;
}

bool World::IsClosed(const CoreWebView2& webview) const {
  return HandleAccess::Record(webview).closed;
}

}  // namespace wvsim::model::webview2
