#!/usr/bin/env bash
# The browser tests (end-to-end-tests/BrowserIT) drive Debian's chromium; Playwright never downloads a browser here.
# Run by Maven before the end-to-end tests: installs chromium and a CJK font once if the machine lacks them.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "[xinqiao] installing Debian's chromium and fonts-noto-cjk for the browser tests (once)"
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk \
  || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk; }
