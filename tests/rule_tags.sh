#!/bin/sh
# Checks the rule tags of the tree against the project's rule catalogues, docs/webview2-rules.md
# (W<n>) and docs/android-rules.md (A<n>):
#
#   1. every tag used in the tree is defined: it is the tag of a heading of a catalogue;
#   2. every rule of a catalogue is exercised: its tag appears in tests/ or props/.
#
#   sh tests/rule_tags.sh [SOURCE_DIR]      (default: the folder above this script)
#
# Exit status 0 when both hold; 1 with one line per problem, each naming the place to fix
# (FILE:LINE: ...); 2 on bad usage. CTest runs it as rule_tags.defined_and_tested, and
# tests/rule_tags_selftest.sh shows that it fails when it should.
#
# Where it looks: README.md and every text file under sim/ model/ props/ tests/ tools/ testing/
# fuzz/ bench/ examples/ docs/ (a folder that is missing is skipped). Not: build folders (build*,
# out, fuzz/out), binary files, the raw fuzzer inputs of fuzz/corpus/ (bytes, not text: only its
# *.schedule files are read), and this script and its self-test.
#
# What a tag is, precisely. A match of the extended regular expression
#
#     [WA][0-9]+[a-z]?(\.[0-9]+)?
#
# (W5, A11, W3a, W9.3) such that the character before it is not a letter, a digit or '_', and
# the character after it is not a letter or a digit. So `W5`, `(W2, W5: ...)`, `W1..W16` (two
# tags), `W9.3` and the test name `W12_RendererHangReportedEvery15Seconds` (the '_' may follow)
# are tags; these are not: hex constants such as 0x802A000C or 0xA1 (the letter follows a digit
# or an 'x'), identifiers such as kW5, AW4, W5X, W5x9 or A1B2, and lowercase w5. One lowercase
# letter may end a tag, as in W3a, so W5x is the tag of a rule W5x (undefined, so reported).
# `W9.3` is item 3 of rule W9: it must itself be defined (a `### W9.3 ...` heading), and it counts
# as exercising W9. A standalone word such as `A1` in prose is read as a tag: write rule tags only
# where a rule is meant.
#
# What a definition is: a Markdown heading of a catalogue whose first word is a tag, as in
# `## W5 Blocking the UI thread` or `### W9.3 ScriptDialogOpening`. W tags belong in
# docs/webview2-rules.md and A tags in docs/android-rules.md; each is defined once. A heading
# without a '.' item number is a rule, and only rules need a test (an item is tested through
# its rule).
set -eu

if [ "$#" -gt 1 ]; then
  echo "usage: sh tests/rule_tags.sh [SOURCE_DIR]" >&2
  exit 2
fi
if [ "$#" -eq 1 ]; then
  root=$1
else
  root=$(dirname "$0")/..
fi
cd "$root" || exit 2

webview2=docs/webview2-rules.md
android=docs/android-rules.md
for catalogue in "$webview2" "$android"; do
  if [ ! -f "$catalogue" ]; then
    echo "$catalogue: missing: the rule catalogue that defines the tags" >&2
    exit 1
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wvsim-rule-tags.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The definitions: FILE:LINE:TAG for every heading whose first word is a tag.
awk '
  /^#+[ \t]+[WA][0-9]+[a-z]?(\.[0-9]+)?([ \t:.]|$)/ {
    tag = $2
    sub(/[:.]$/, "", tag)
    print FILENAME ":" FNR ":" tag
  }
' "$webview2" "$android" > "$work/defined"

# The files to scan, relative to the source folder: text files only (grep -I), in one grep.
{
  [ -f README.md ] && echo README.md
  for dir in sim model props tests tools testing fuzz bench examples docs; do
    [ -d "$dir" ] || continue
    find "$dir" -type d \( -name 'build*' -o -name out -o -name .git \) -prune -o -type f -print
  done
} | awk '
  /^tests\/rule_tags/ { next }
  /^fuzz\/corpus\// && !/\.schedule$/ { next }
  { print }
' | sort | tr '\n' '\0' | xargs -0 grep -Il '' > "$work/files" || true

# The uses: FILE:LINE:TAG for every tag of every scanned file (see the header for the rule).
# One awk per file keeps FILENAME exact; files are few and small.
tr '\n' '\0' < "$work/files" | xargs -0 awk '
  {
    line = $0
    prev = ""
    while (match(line, /[WA][0-9]+[a-z]?(\.[0-9]+)?/)) {
      start = RSTART
      len = RLENGTH
      before = start > 1 ? substr(line, start - 1, 1) : prev
      after = substr(line, start + len, 1)
      if (before !~ /[A-Za-z0-9_]/ && after !~ /[A-Za-z0-9]/) {
        print FILENAME ":" FNR ":" substr(line, start, len)
      }
      prev = substr(line, start + len - 1, 1)
      line = substr(line, start + len)
    }
  }
' > "$work/used"

# Both checks, in one pass over the definitions, then the uses.
awk -F: -v webview2="$webview2" -v android="$android" '
  function rule_of(tag) { sub(/\..*/, "", tag); return tag }
  function problem(text) { print text; failed = 1 }
  NR == FNR {
    file = $1; line = $2; tag = $3
    if (tag in where) {
      problem(file ":" line ": " tag " is defined twice (first at " where[tag] ")")
      next
    }
    home = substr(tag, 1, 1) == "W" ? webview2 : android
    if (file != home) problem(file ":" line ": " tag " belongs in " home)
    where[tag] = file ":" line
    if (tag !~ /\./) { rules[tag] = 1; order[++count] = tag }
    next
  }
  {
    file = $1; line = $2; tag = $3
    if (!(tag in where)) {
      home = substr(tag, 1, 1) == "W" ? webview2 : android
      problem(file ":" line ": rule tag " tag " is not defined in " home \
              " (add a heading for it there, or correct the tag)")
    }
    if (file ~ /^(tests|props)\//) exercised[rule_of(tag)] = 1
  }
  END {
    for (i = 1; i <= count; ++i) {
      tag = order[i]
      if (!(tag in exercised)) {
        problem(where[tag] ": rule " tag " is not exercised by any test: no " tag \
                " in tests/ or props/ (name a test " tag "_..., or cite " tag " in one)")
      }
    }
    if (count == 0) problem(webview2 ": no rule headings found in the catalogues")
    exit failed
  }
' "$work/defined" "$work/used" > "$work/problems" || status=$?

if [ "${status:-0}" -ne 0 ]; then
  cat "$work/problems" >&2
  problems=$(wc -l < "$work/problems" | tr -d ' ')
  echo "rule_tags: $problems problem(s); the tags are defined in $webview2 and $android" >&2
  exit 1
fi
rules=$(cut -d: -f3 "$work/defined" | grep -cv '[.]' || true)
uses=$(wc -l < "$work/used" | tr -d ' ')
files=$(wc -l < "$work/files" | tr -d ' ')
echo "rule_tags: $uses tag uses in $files files, each defined; all $rules rules exercised by tests"
