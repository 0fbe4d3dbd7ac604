#!/usr/bin/env bash
# Installs what building, serving and testing Nexus need on Debian 12 (run as root).
# Skips apt entirely when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libboost-filesystem-dev libssl-dev rapidjson-dev libyaml-cpp-dev
  libspdlog-dev libfmt-dev catch2
  curl ca-certificates openssl procps
  nodejs npm
  nginx-light wrk redis-server
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may already have node/npm from elsewhere; don't fight it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# nginx and redis are started by the tests/bench on their own ports; don't leave the
# distribution's default instances holding :80 / :6379.
for svc in nginx redis-server; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done
