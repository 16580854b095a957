#!/usr/bin/env bash
# End-to-end tests of the web build in headless Chromium: bundles scripts/web-e2e/page.ts (the
# library's web entry) with esbuild, serves it on 127.0.0.1 from a random port, and drives
# Debian's chromium through playwright-core with a fresh profile. Ends with
# `web e2e: N passed, M failed`. Set CHROMIUM to use another Chromium binary.
#
#   scripts/test-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "test-web: $chromium not found; install Debian's chromium (scripts/setup.sh does)" >&2
  exit 1
fi

CHROMIUM=$chromium timeout 300 node -r ./scripts/register.js scripts/web-e2e/run.ts
