// Test-only switches that plant known defects in the Android model, so that the property suites
// can show their A5/A6 state machine and the serial-callbacks property are not vacuous
// (props/planted_defects_prop.cc). Never set outside those tests. Process-wide and not thread-safe:
// set only between runs.
#ifndef WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_
#define WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_

namespace wvsim::model::android {

struct AndroidPlantedDefects {
  bool drain_runs_newest_first = false;  // A6: the pending-task queue is not FIFO
  // A11: evaluateJavascript runs its ValueCallback inline, inside the call, instead of posting it
  // to the UI thread: a callback that runs a script with a callback is then re-entered.
  bool value_callback_inline = false;
  // A21: CookieManager runs a callback on its store's thread instead of posting it to the looper
  // of the thread that made the call.
  bool cookie_callback_on_store_thread = false;
};

AndroidPlantedDefects& TestOnlyAndroidPlantedDefects();

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_
