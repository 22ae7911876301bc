#!/bin/sh
# The headers an app includes declare no runtime record: every header directly under a model's
# directory (model/webview2/*.h, model/android/*.h) neither includes that model's internal/
# headers nor defines a record of the runtime's machinery (a *Record, a process record, the
# handler boundary's frames and lists). Internal headers forward-declare what they need.
#   tests/app_headers.sh SOURCE_DIR [MODEL_DIR...]
set -eu
root=$1
shift
dirs=${*:-"model/webview2 model/android"}
status=0
for dir in $dirs; do
  for header in "$root/$dir"/*.h; do
    name=${header#"$root/"}
    if grep -n '#include "model/[a-z0-9_]*/internal/' "$header"; then
      echo "$name: an app header includes a runtime internal header"
      status=1
    fi
    if grep -nE '^(struct|class) ([A-Za-z]*Record|BrowserProcess|RendererProcess|AuxiliaryProcess|HandlerFrame)\b[^;]*$' "$header"; then
      echo "$name: an app header defines a runtime record"
      status=1
    fi
    if grep -nE '^using HandlerList\b' "$header"; then
      echo "$name: an app header defines the runtime's handler lists"
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "app headers: no runtime record in $dirs"
exit $status
