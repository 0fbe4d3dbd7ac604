#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (as root): install, build, and start the gateway
# on config/nexus.yaml (or the file given with -c).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TARGET=gateway scripts/build.sh
exec ./build/nexus serve -c "${NEXUS_CONFIG:-config/nexus.yaml}" "$@"
