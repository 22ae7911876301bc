#include "model/framework/planted_defects.h"

namespace wvsim::model::framework {

FrameworkPlantedDefects& TestOnlyFrameworkPlantedDefects() {
  static FrameworkPlantedDefects defects;
  return defects;
}

}  // namespace wvsim::model::framework
