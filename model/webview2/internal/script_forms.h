// The forms of an app's ExecuteScript text that the model understands beyond a global's name
// (docs/webview2-rules.md W2, W7): `chrome.webview.postMessage('text')`, with or without
// `window.` in front, single or double quotes, and an optional `;`. Anything else is not that
// form (ParsePostMessageScript returns false) and is evaluated as before (Pages::RunAppScript).
//
// Pure functions: no state, deterministic.
#ifndef WVSIM_MODEL_WEBVIEW2_INTERNAL_SCRIPT_FORMS_H_
#define WVSIM_MODEL_WEBVIEW2_INTERNAL_SCRIPT_FORMS_H_

#include <optional>
#include <string>
#include <string_view>

namespace wvsim::model::webview2::internal {

// The string literal's text when `script` is a single chrome.webview.postMessage of one string
// literal without escapes; nullopt otherwise.
std::optional<std::string> ParsePostMessageScript(std::string_view script);

}  // namespace wvsim::model::webview2::internal

#endif  // WVSIM_MODEL_WEBVIEW2_INTERNAL_SCRIPT_FORMS_H_
