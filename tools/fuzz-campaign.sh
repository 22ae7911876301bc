#!/bin/sh
# Runs a libFuzzer campaign for one target (make fuzz) and summarises what it found.
#   tools/fuzz-campaign.sh BINARY TARGET SECONDS JOBS
# Corpus: out/fuzz/corpus/TARGET (grows), seeded from fuzz/corpus/TARGET (checked in).
# Crashing inputs go to out/fuzz/artifacts/, and each crash's .schedule to out/fuzz/schedules/.
# Exit status: 0 when the campaign found nothing; 1 when it left a crash, leak, timeout or
# out-of-memory input (fork mode goes on past each, so that one campaign finds several), or when
# libFuzzer itself failed.
set -eu
binary=$1 target=$2 seconds=$3 jobs=$4
mkdir -p "out/fuzz/corpus/$target" out/fuzz/artifacts out/fuzz/schedules
# The target's .options as libFuzzer flags, as ClusterFuzzLite applies them: "key = value" under
# [libfuzzer] becomes -key=value, and the dictionary is found beside the options file.
options=""
[ -f "fuzz/$target.options" ] && options=$(sed -n '/^\[libfuzzer\]/,/^\[/{s/^ *\([a-z_]*\) *= *\(.*\)$/-\1=\2/p}' \
  "fuzz/$target.options" | sed 's|^-dict=|-dict=fuzz/|')
log="out/fuzz/$target.log"
# This campaign's findings only: earlier campaigns' artifacts stay where they are.
marker="out/fuzz/.campaign-start.$$"
touch "$marker"
status=0
# shellcheck disable=SC2086
WVSIM_FUZZ_SCHEDULES=out/fuzz/schedules "$binary" -fork="$jobs" -ignore_crashes=1 \
  -max_total_time="$seconds" -artifact_prefix=out/fuzz/artifacts/ $options \
  "out/fuzz/corpus/$target" "fuzz/corpus/$target" > "$log" 2>&1 || status=$?
echo "libFuzzer's final stats ($log):"
grep -E "^#[0-9]+: cov:|INFO: fuzzed for|DONE" "$log" | tail -n 2
found=$(find out/fuzz/artifacts -type f -newer "$marker" \
  \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
rm -f "$marker"
echo "this campaign's crashing inputs: $(printf '%s' "$found" | grep -c . || true) in out/fuzz/artifacts/"
[ -n "$found" ] && printf '  %s\n' $found
echo "schedules of crashes so far (replay each with build/bin/wvsim replay FILE):"
ls -1 out/fuzz/schedules | sed 's|^|  out/fuzz/schedules/|'
if [ "$status" -ne 0 ]; then
  echo "libFuzzer exited with status $status (see $log)" >&2
  exit 1
fi
if [ -n "$found" ]; then
  echo "the campaign found crashes, leaks or timeouts (above)" >&2
  exit 1
fi
