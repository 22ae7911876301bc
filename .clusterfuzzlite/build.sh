#!/bin/bash -eu
# Builds every wvsim fuzz target for OSS-Fuzz / ClusterFuzzLite, in their conventions: run from
# $SRC/wvsim with $CC, $CXX, $CFLAGS, $CXXFLAGS, $LIB_FUZZING_ENGINE and $OUT set; each *_fuzzer
# lands in $OUT with its seed corpus zip, dictionary and options.
#
# OSS-Fuzz compiles with libc++, which Debian's and Ubuntu's prebuilt C++ libraries do not link
# against, so the Dockerfile puts abseil's source at $SRC/abseil-cpp and it is built here with the
# same flags. Where there is no such source (a Debian machine, tests/clusterfuzzlite_test.sh), the
# system's abseil is used.
# The shebang's -eu is lost when the script is run as `bash build.sh` (as OSS-Fuzz's compile and
# tests/clusterfuzzlite_test.sh do): a target that fails to compile must fail the build.
set -eu
cd "$SRC/wvsim"
build="${WVSIM_OSS_FUZZ_BUILD:-$WORK/wvsim-build}"
prefix_path=""
if [ -d "$SRC/abseil-cpp" ]; then
  cmake -S "$SRC/abseil-cpp" -B "$WORK/abseil-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_FLAGS="$CFLAGS" \
    -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_CXX_STANDARD=20 -DABSL_PROPAGATE_CXX_STD=ON \
    -DABSL_BUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$WORK/abseil-install"
  cmake --build "$WORK/abseil-build" --target install
  prefix_path="$WORK/abseil-install"
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_PREFIX_PATH="$prefix_path" -DWVSIM_BUILD_TESTS=OFF -DWVSIM_BUILD_BENCH=OFF \
  -DWVSIM_LIBFUZZER=ON -DWVSIM_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"
targets=$(cat "$build/fuzz_targets.txt")
for target in $targets; do
  cmake --build "$build" --target "$target"
  cp "$build/bin/$target" "$OUT/"
  (cd "fuzz/corpus/$target" && python3 -m zipfile -c "$OUT/${target}_seed_corpus.zip" ./*)
  if [ -f "fuzz/$target.dict" ]; then cp "fuzz/$target.dict" "$OUT/"; fi
  if [ -f "fuzz/$target.options" ]; then cp "fuzz/$target.options" "$OUT/"; fi
done
echo "built: $targets"
