#!/usr/bin/env bash
# Install Debian's headless Chromium and ChromeDriver for the browser tests, if missing.
# Never downloads a browser build of its own; exits non-zero (tests then skip) when it cannot.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: not root or no apt-get; skipping chromium install" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1
