#include "model/framework/form.h"

namespace wvsim::model::framework {

sim::Task<> Form::Close() {
  if (disposed_) co_return;
  FormClosingEventArgs args;
  for (auto& handler : closing_) co_await handler(args);
  if (args.cancel) co_return;
  disposed_ = true;
  for (WebView2Control* control : controls_) co_await control->Dispose();
}

}  // namespace wvsim::model::framework
