// The ExecuteScript forms the model understands (script_forms.h).
#include "model/webview2/internal/script_forms.h"

namespace wvsim::model::webview2::internal {

namespace {

std::string_view Trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) != prefix) return false;
  text->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* text, std::string_view suffix) {
  if (text->size() < suffix.size() || text->substr(text->size() - suffix.size()) != suffix) {
    return false;
  }
  text->remove_suffix(suffix.size());
  return true;
}

}  // namespace

std::optional<std::string> ParsePostMessageScript(std::string_view script) {
  std::string_view rest = Trimmed(script);
  ConsumeSuffix(&rest, ";");
  rest = Trimmed(rest);
  ConsumePrefix(&rest, "window.");
  if (!ConsumePrefix(&rest, "chrome.webview.postMessage(")) return std::nullopt;
  if (!ConsumeSuffix(&rest, ")")) return std::nullopt;
  rest = Trimmed(rest);
  if (rest.size() < 2) return std::nullopt;
  const char quote = rest.front();
  if ((quote != '\'' && quote != '"') || rest.back() != quote) return std::nullopt;
  const std::string_view text = rest.substr(1, rest.size() - 2);
  // One literal, no escapes: a quote or a backslash inside means another form.
  if (text.find(quote) != std::string_view::npos || text.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(text);
}

}  // namespace wvsim::model::webview2::internal
