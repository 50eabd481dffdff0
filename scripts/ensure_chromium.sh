#!/usr/bin/env bash
# Browser tests drive Debian's chromium through Playwright. Install it where we can
# (root with apt-get, as on CI and fresh machines of this project), with a CJK font so
# screenshots show the Chinese; otherwise say loudly
# that the browser tests will be skipped.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; then
    exit 0
  fi
fi
echo "======================================================================="
echo "WARNING: chromium is not installed and could not be installed here:"
echo "the browser tests will be SKIPPED. Install it with: apt-get install chromium"
echo "======================================================================="
