// Test-only switches that plant known defects in the Android model, so that the property suites
// can show their A5/A6 state machine is not vacuous (props/planted_defects_prop.cc). Never set
// outside those tests. Process-wide and not thread-safe: set only between runs.
#ifndef WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_
#define WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_

namespace wvsim::model::android {

struct AndroidPlantedDefects {
  bool drain_runs_newest_first = false;  // A6: the pending-task queue is not FIFO
};

AndroidPlantedDefects& TestOnlyAndroidPlantedDefects();

}  // namespace wvsim::model::android

#endif  // WVSIM_MODEL_ANDROID_PLANTED_DEFECTS_H_
