#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium), which the browser tests drive headless with
# Playwright (tests/test_browser.py); Playwright's own browser download does not work here.
# Says what went wrong and leaves the verdict to the tests: .ci/run sets
# SITREP_REQUIRE_BROWSER=1, so a missing browser fails them rather than skipping.
set -u
. "$(dirname "$0")/apt.sh"

if [ -x /usr/bin/chromium ]; then
    echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
elif apt_install chromium.sh chromium fonts-dejavu-core && [ -x /usr/bin/chromium ]; then
    echo "chromium.sh: chromium installed"
else
    echo "chromium.sh: warning: chromium not installed; the browser tests will fail" >&2
fi
exit 0
