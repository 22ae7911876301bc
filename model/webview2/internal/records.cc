// What the runtime's records do to themselves (records.h).
#include "model/webview2/internal/records.h"

namespace wvsim::model::webview2::internal {

void WebViewRecord::SetDocument(std::string_view uri) {
  document = uri;
  content_loading_seen = true;  // ContentLoading of the new document
  globals.clear();
  script_title.clear();
  document_default_script_dialogs = navigation_default_script_dialogs;  // W9.3
  for (const AddedScript& script : added_scripts) {
    if (script.added.done()) globals[script.name] = script.value;  // active scripts only (W7)
  }
}

void WebViewRecord::DropHandlers() {
  navigation_starting.clear();
  content_loading.clear();
  dom_content_loaded.clear();
  navigation_completed.clear();
  document_title_changed.clear();
  web_message_received.clear();
  web_resource_requested.clear();
  new_window_requested.clear();
  process_failed.clear();
  frame_created.clear();
  for (HandlerList<DeferrableEventArgs>& handlers : deferrable) handlers.clear();
}

}  // namespace wvsim::model::webview2::internal
