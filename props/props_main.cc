// The property suites' main: a fixed seed and a moderate number of cases unless RC_PARAMS says
// otherwise (`make props-long` passes many cases and no seed, so rapidcheck picks a fresh one and
// prints it). Set here rather than through CTest's environment, which splits the value at spaces.
#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  setenv("RC_PARAMS", "seed=20261122 max_success=2000", /*overwrite=*/0);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
