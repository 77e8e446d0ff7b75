#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium), which the browser tests drive headless with
# Playwright (tests/test_browser.py); Playwright's own browser download does not work here.
# Says what went wrong and leaves the verdict to the tests: .ci/run sets
# SITREP_REQUIRE_BROWSER=1, so a missing browser fails them rather than skipping.
set -u

if [ -x /usr/bin/chromium ]; then
    echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo -n"
    else
        echo "chromium.sh: warning: not root and no sudo; chromium not installed" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if { $sudo apt-get update -q >/dev/null 2>&1 || true; } &&
   $sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 &&
   [ -x /usr/bin/chromium ]; then
    echo "chromium.sh: chromium installed"
else
    echo "chromium.sh: warning: could not install chromium (apt-get install chromium failed)" >&2
fi
exit 0
