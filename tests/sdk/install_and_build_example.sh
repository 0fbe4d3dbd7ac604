#!/usr/bin/env bash
# Installs the SDK component of a Nexus build into a temporary prefix, builds
# sdk/examples/echo_provider against it as a separate CMake project (the way a third party
# would), and checks that the host's `nexus plugins inspect` accepts the result.
#
# usage: install_and_build_example.sh BUILD_DIR EXAMPLE_DIR NEXUS_EXE CMAKE GENERATOR CXX
set -euo pipefail

build_dir=$1 example_dir=$2 nexus=$3 cmake=$4 generator=$5 cxx=$6
work=$(mktemp -d "${TMPDIR:-/tmp}/nexus-sdk-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --install "$build_dir" --prefix "$work/prefix" --component sdk >"$work/install.log" ||
  { cat "$work/install.log" >&2; fail "cmake --install of the sdk component"; }
for f in include/nexus/nexus.h include/nexus/nexus.hpp lib/cmake/NexusSDK/NexusSDKConfig.cmake \
         lib/cmake/NexusSDK/NexusPlugin.cmake; do
  [[ -f "$work/prefix/$f" ]] || fail "the install lacks $f"
done
if [[ -e "$work/prefix/bin" ]]; then fail "the sdk component installed binaries: $(ls "$work/prefix/bin")"; fi

# -Werror: the installed headers must compile warning-free in someone else's project.
"$cmake" -S "$example_dir" -B "$work/build" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "configuring the example against the installed SDK"; }
grep -q "^NexusSDK_DIR:PATH=$work/prefix/" "$work/build/CMakeCache.txt" ||
  fail "the example did not find the SDK in the install prefix: $(grep NexusSDK_DIR "$work/build/CMakeCache.txt")"
"$cmake" --build "$work/build" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "building the example"; }

plugin="$work/build/nexus_echo.so"
[[ -f "$plugin" ]] || fail "no $plugin after the build"
exported=$(nm -D --defined-only "$plugin" | awk '{print $3}')
[[ "$exported" == "nexus_plugin_init_v1" ]] || fail "the plugin exports more than its entry point: $exported"

json=$("$nexus" plugins inspect "$plugin" --json) || fail "nexus plugins inspect refused the example"
echo "$json"
for want in '"name":"echo"' '"kind":"provider"' '"abi_major":1,' '"capabilities":["chat"]'; do
  [[ "$json" == *"$want"* ]] || fail "inspect output lacks $want"
done
[[ "$json" =~ \"abi\":\"1\.[0-9]+\" ]] || fail "inspect output lacks an ABI 1.x version"
echo "OK: out-of-tree echo plugin built against the installed SDK and accepted by the host"
