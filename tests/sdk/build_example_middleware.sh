#!/usr/bin/env bash
# Installs the SDK component of a Nexus build into a temporary prefix, builds
# sdk/examples/header_middleware against it as a separate CMake project (the way a third
# party would), checks that `nexus plugins inspect` accepts it as a middleware, and leaves
# the plugin in OUT_DIR, where the drop-in e2e test (tests/e2e/dropin_middleware.test.mjs)
# loads it into an unchanged host.
#
# usage: build_example_middleware.sh BUILD_DIR EXAMPLE_DIR NEXUS_EXE CMAKE GENERATOR CXX OUT_DIR
set -euo pipefail

build_dir=$1 example_dir=$2 nexus=$3 cmake=$4 generator=$5 cxx=$6 out_dir=$7
work=$(mktemp -d "${TMPDIR:-/tmp}/nexus-sdk-mw-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -f "$out_dir/nexus_hello_header.so"
"$cmake" --install "$build_dir" --prefix "$work/prefix" --component sdk >"$work/install.log" ||
  { cat "$work/install.log" >&2; fail "cmake --install of the sdk component"; }

# -Werror: the installed headers must compile warning-free in someone else's project.
"$cmake" -S "$example_dir" -B "$work/build" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "configuring the example against the installed SDK"; }
grep -q "^NexusSDK_DIR:PATH=$work/prefix/" "$work/build/CMakeCache.txt" ||
  fail "the example did not find the SDK in the install prefix: $(grep NexusSDK_DIR "$work/build/CMakeCache.txt")"
"$cmake" --build "$work/build" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "building the example"; }

plugin="$work/build/nexus_hello_header.so"
[[ -f "$plugin" ]] || fail "no $plugin after the build"
exported=$(nm -D --defined-only "$plugin" | awk '{print $3}')
[[ "$exported" == "nexus_plugin_init_v1" ]] || fail "the plugin exports more than its entry point: $exported"

json=$("$nexus" plugins inspect "$plugin" --json) || fail "nexus plugins inspect refused the example"
echo "$json"
for want in '"name":"hello_header"' '"kind":"middleware"' '"abi_major":1,'; do
  [[ "$json" == *"$want"* ]] || fail "inspect output lacks $want"
done

mkdir -p "$out_dir"
cp "$plugin" "$out_dir/nexus_hello_header.so"
echo "OK: out-of-tree hello_header middleware built against the installed SDK, in $out_dir"
