#!/bin/sh
# app_headers.sh can fail: a copy of model/webview2 whose runtime.h includes an internal header,
# and one whose core_webview2.h defines a record, must each be refused.
#   tests/app_headers_selftest.sh SOURCE_DIR
set -eu
root=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/wvsim-app-headers.XXXXXX")
trap 'rm -rf "$work"' EXIT
check() {  # $1: what is planted; the copy in $work/tree must be refused
  if sh "$root/tests/app_headers.sh" "$work/tree" model/webview2 > "$work/log" 2>&1; then
    echo "app_headers.sh accepted $1"
    exit 1
  fi
}
fresh() {
  rm -rf "$work/tree" && mkdir -p "$work/tree/model" && cp -r "$root/model/webview2" "$work/tree/model/"
}
fresh
sh "$root/tests/app_headers.sh" "$work/tree" model/webview2 > /dev/null
printf '#include "model/webview2/internal/core.h"\n' >> "$work/tree/model/webview2/runtime.h"
check "an app header including internal/core.h"
fresh
printf 'struct WebViewRecord {\n  int document;\n};\n' >> "$work/tree/model/webview2/core_webview2.h"
check "an app header defining WebViewRecord"
echo "app_headers.sh refuses both planted headers"
