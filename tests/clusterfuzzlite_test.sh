#!/bin/sh
# Runs .clusterfuzzlite/build.sh here as OSS-Fuzz would (clang, its usual flags, libFuzzer as the
# engine, the system's abseil), then checks that every fuzz target landed in $OUT with its seed
# corpus zip, options and dictionary (when it has one), and runs its corpus once.
#   tests/clusterfuzzlite_test.sh SOURCE_DIR
# It works in a fresh folder outside the source tree (a build folder inside the tree, reached
# through $SRC/wvsim's link, confuses CMake), removed at the end.
set -eu
source_dir=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wvsim-clusterfuzzlite.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/out" "$work/work"
ln -s "$source_dir" "$work/src/wvsim"
export SRC="$work/src" OUT="$work/out" WORK="$work/work"
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
bash "$source_dir/.clusterfuzzlite/build.sh" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
targets=$(cat "$WORK/wvsim-build/fuzz_targets.txt")
[ -n "$targets" ] || { echo "no targets listed"; exit 1; }
for target in $targets; do
  for file in "$target" "${target}_seed_corpus.zip" "$target.options"; do
    [ -s "$OUT/$file" ] || { echo "missing in \$OUT: $file"; exit 1; }
  done
  if [ -f "$source_dir/fuzz/$target.dict" ] && [ ! -s "$OUT/$target.dict" ]; then
    echo "missing in \$OUT: $target.dict"; exit 1
  fi
  corpus="$work/corpus-$target"
  mkdir -p "$corpus"
  (cd "$corpus" && python3 -m zipfile -e "$OUT/${target}_seed_corpus.zip" .)
  WVSIM_FUZZ_SCHEDULES="$work/schedules" "$OUT/$target" -runs=0 "$corpus" > "$work/$target.log" 2>&1 \
    || { tail -20 "$work/$target.log"; exit 1; }
  echo "$target: built, packaged, ran its corpus"
done
echo "$(echo "$targets" | wc -w) passed, 0 failed"
