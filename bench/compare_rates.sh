#!/bin/bash
# Compares the portfolio's executions per second of two wvsim builds on the same scenarios, the
# way issue 14 asks for a rate "within 10% of the previous main's": runs of the two binaries
# alternate (a shared machine's load then falls on both alike), and each side's figure is the
# median user CPU time of its runs.
#
#   bench/compare_rates.sh BASE_WVSIM NEW_WVSIM [SCENARIO...]
#
# Environment: PAIRS (runs of each binary, alternating; default 7), ITERATIONS (executions per
# run; default 400000), SEED (default 1). Scenarios default to wv2.script_result_awaited. Prints,
# per scenario, both medians and new rate / base rate (base CPU / new CPU: 1.00 is as fast, below
# 0.90 misses the issue's bound). Both runs of a pair execute the same count, so the ratio of CPU
# times is the ratio of rates.
set -eu
if [ $# -lt 2 ]; then
  echo "usage: $0 BASE_WVSIM NEW_WVSIM [SCENARIO...]" >&2
  exit 2
fi
base=$1 new=$2
shift 2
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(wv2.script_result_awaited)
pairs=${PAIRS:-7} iterations=${ITERATIONS:-400000} seed=${SEED:-1}

# User CPU seconds of one exploration.
cpu_seconds() {
  local TIMEFORMAT=%U
  { time "$1" explore "$2" --strategy portfolio --seed "$seed" --iterations "$iterations" \
    >/dev/null 2>&1; } 2>&1
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

printf '%-40s %10s %10s %12s\n' scenario base_cpu new_cpu new/base_rate
for scenario in "${scenarios[@]}"; do
  base_runs="" new_runs=""
  for _ in $(seq "$pairs"); do
    base_runs="$base_runs $(cpu_seconds "$base" "$scenario")"
    new_runs="$new_runs $(cpu_seconds "$new" "$scenario")"
  done
  base_median=$(echo "$base_runs" | median)
  new_median=$(echo "$new_runs" | median)
  printf '%-40s %10s %10s %12s\n' "$scenario" "$base_median" "$new_median" \
    "$(awk -v b="$base_median" -v n="$new_median" 'BEGIN {printf "%.3f", b / n}')"
done
