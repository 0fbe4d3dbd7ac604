#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (as root): install, build, and run every test
# (unit, integration, SDK install, end-to-end with the official npm clients).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -f tests/e2e/package.json ]; then
  (cd tests/e2e && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
fi
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300 "$@"
