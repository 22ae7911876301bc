#!/bin/sh
# Shows that tests/rule_tags.sh can fail, and fails for the right reason: it runs the check on a
# temporary copy of the catalogues (docs/), tests/ and props/, first unchanged (it must pass),
# then with one planted problem at a time (each must fail with status 1 and name the planted
# place), and with look-alikes that are not tags (it must still pass).
#
#   sh tests/rule_tags_selftest.sh [SOURCE_DIR]    (default: the folder above this script)
#
# CTest runs it as rule_tags.check_can_fail. Exit status 0 when every case behaved; 1 otherwise,
# naming the case.
set -eu

if [ "$#" -eq 1 ]; then
  source_dir=$(cd "$1" && pwd)
else
  source_dir=$(cd "$(dirname "$0")/.." && pwd)
fi
check="$source_dir/tests/rule_tags.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/wvsim-rule-tags-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A fresh copy of what the check needs: the catalogues, and the tests that exercise every rule.
fresh_copy() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree"
  for dir in docs tests props; do
    cp -R "$source_dir/$dir" "$work/tree/$dir"
  done
}

failures=0
fail() {
  echo "rule_tags_selftest: FAILED: $1" >&2
  sed 's/^/  | /' "$work/out" >&2
  failures=$((failures + 1))
}

# expect_failure CASE TEXT...: the check on $work/tree must exit 1 and print every TEXT.
expect_failure() {
  name=$1
  shift
  status=0
  sh "$check" "$work/tree" > "$work/out" 2>&1 || status=$?
  if [ "$status" -ne 1 ]; then
    fail "$name: expected exit status 1, got $status"
    return
  fi
  for text in "$@"; do
    if ! grep -qF -- "$text" "$work/out"; then
      fail "$name: the report does not contain '$text'"
      return
    fi
  done
  echo "rule_tags_selftest: ok: $name (failed as it should: $(head -n 1 "$work/out"))"
}

# expect_success CASE: the check on $work/tree must exit 0.
expect_success() {
  status=0
  sh "$check" "$work/tree" > "$work/out" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    fail "$1: expected exit status 0, got $status"
    return
  fi
  echo "rule_tags_selftest: ok: $1"
}

fresh_copy
expect_success "the unchanged copy passes"

# An invented tag, used in a test: undefined, named with its file and line.
fresh_copy
printf '%s\n' '// A planted line for rule_tags_selftest.sh.' \
  '// This cites an invented rule, W99, which no catalogue defines.' \
  > "$work/tree/tests/invented_tag_test.cc"
expect_failure "an undefined tag (W99)" "tests/invented_tag_test.cc:2:" "W99" \
  "not defined in docs/webview2-rules.md"

# The same for Android, in props/.
fresh_copy
printf '%s\n' 'A planted line citing A42.' > "$work/tree/props/invented_tag.txt"
expect_failure "an undefined tag (A42)" "props/invented_tag.txt:1:" "A42" \
  "not defined in docs/android-rules.md"

# An item of a rule that has no such item.
fresh_copy
printf '%s\n' 'A planted line citing W9.99, an item W9 does not have.' \
  > "$work/tree/tests/invented_item.txt"
expect_failure "an undefined item (W9.99)" "tests/invented_item.txt:1:" "W9.99"

# A rule defined in a catalogue that no test exercises.
fresh_copy
printf '\n%s\n\n%s\n' '## W98 An invented rule' 'Planted by rule_tags_selftest.sh.' \
  >> "$work/tree/docs/webview2-rules.md"
expect_failure "a rule without a test (W98)" "docs/webview2-rules.md:" "rule W98" \
  "not exercised by any test"

# A rule defined twice, and a tag in the other runtime's catalogue.
fresh_copy
printf '\n%s\n' '## A3 Defined a second time, in the wrong catalogue' \
  >> "$work/tree/docs/webview2-rules.md"
expect_failure "a duplicate definition in the wrong catalogue (A3)" "A3 is defined twice"

# Look-alikes that are not tags must not be read as tags (the regex in rule_tags.sh's header).
fresh_copy
printf '%s\n' 'hex 0x802A000C 0xA1 0XW5; identifiers kW5 AW4 W5X W5x9 A1B2 w5 W99z9 _W98;' \
  'a test name W12_RendererHangReportedEvery15Seconds, a range W1..W16, an item W9.15.' \
  > "$work/tree/tests/look_alikes.txt"
expect_success "look-alikes of tags are not tags"

if [ "$failures" -ne 0 ]; then
  echo "rule_tags_selftest: $failures case(s) did not behave; see above" >&2
  exit 1
fi
echo "rule_tags_selftest: every case behaved"
