#!/bin/sh
# Installs the Debian packages named on the command line that are missing. As root it runs
# apt-get; otherwise it prints the exact command to run and fails, so `make` stops there.
set -eu
missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0
command="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "wvsim needs these Debian packages:$missing" >&2
  echo "Install them with:  sudo apt-get update && sudo $command" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
