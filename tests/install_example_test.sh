#!/bin/sh
# What a user of an installed wvsim does: `cmake --install` this build into a fresh prefix, check
# the layout, configure the example project against it (find_package(wvsim) through
# CMAKE_PREFIX_PATH alone, no path into this source tree), build it and run its CTest.
#   tests/install_example_test.sh BUILD_DIR EXAMPLE_DIR CXX CXX_FLAGS
set -eu
build_dir=$1 example_dir=$2 cxx=$3 cxx_flags=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/wvsim-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

run() {  # runs a step quietly, showing its log when it fails
  log="$work/$1.log"; shift
  "$@" > "$log" 2>&1 || { echo "failed: $*"; tail -40 "$log"; exit 1; }
}

run install cmake --install "$build_dir" --prefix "$prefix"
for file in include/wvsim/sim/kernel.h include/wvsim/sim/strategies/byte_stream.h \
            include/wvsim/model/builtin_scenarios.h include/wvsim/wvsim/testing.h bin/wvsim; do
  [ -f "$prefix/$file" ] || { echo "not installed: $file"; exit 1; }
done
for dir in sim sim/strategies model/android model/webview2; do
  ls "$prefix/include/wvsim/$dir/"*.h > /dev/null 2>&1 || { echo "no headers in $dir"; exit 1; }
done
for config in wvsimConfig.cmake wvsimConfigVersion.cmake wvsimTargets.cmake; do
  [ -n "$(find "$prefix" -path "*/cmake/wvsim/$config")" ] || { echo "not installed: $config"; exit 1; }
done
for library in libwvsim_sim.a libwvsim_model.a libwvsim_testing.a; do
  [ -n "$(find "$prefix" -name "$library")" ] || { echo "not installed: $library"; exit 1; }
done
# No internal/ directory of this project is installed, and no installed header includes one or
# names a type of sim::internal (sim's inline machinery is in sim::detail; comments may point at
# internal/ files, code may not).
internal_dirs=$(find "$prefix/include/wvsim" -type d -name internal)
[ -z "$internal_dirs" ] || { echo "internal headers installed: $internal_dirs"; exit 1; }
if grep -rn --include='*.h' '#include "[^"]*internal/\|sim::internal\|^[^/]*[^:a-z_]internal::' \
     "$prefix/include/wvsim/sim"; then
  echo "an installed sim header names an internal header or type"; exit 1
fi

run configure cmake -S "$example_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$cxx_flags"
# The example must have found this prefix's wvsim, not another one.
grep -q "wvsim_DIR:PATH=$prefix/" "$work/build/CMakeCache.txt" \
  || { echo "wvsim was not found in $prefix"; grep wvsim_DIR "$work/build/CMakeCache.txt"; exit 1; }
run build cmake --build "$work/build"
ctest --test-dir "$work/build" --output-on-failure
