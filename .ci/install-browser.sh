#!/usr/bin/env bash
# Installs Debian's Chromium for the headless-browser tests (optimizer testing.HeadlessChromium: ReportPageInBrowserTest,
# SimulationPageInBrowserTest), as root.
# Idempotent: nothing is fetched when chromium is already on PATH.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser.sh: must run as root (installs the chromium package)" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
