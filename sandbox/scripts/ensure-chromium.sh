#!/bin/sh
# The browser tests drive Debian's chromium package (never a downloaded browser build): install it when missing.
set -eu
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium is missing: install Debian's package with 'sudo apt-get update && sudo apt-get install -y chromium', then run the browser tests again." >&2
  exit 1
fi
echo "Installing Debian's chromium package for the browser tests..." >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
