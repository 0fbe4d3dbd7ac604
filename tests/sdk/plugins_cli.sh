#!/usr/bin/env bash
# `nexus plugins inspect` and `nexus plugins list` against the test plugins.
# usage: plugins_cli.sh NEXUS_EXE TEST_PLUGIN_DIR
set -uo pipefail

nexus=$1 plugins=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/nexus-plugins-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The ABI the in-tree plugins and this host are built with, from the live header.
header="$(dirname "$0")/../../sdk/include/nexus/nexus.h"
major=$(sed -n 's/^#define NX_ABI_MAJOR \([0-9]*\).*/\1/p' "$header")
minor=$(sed -n 's/^#define NX_ABI_MINOR \([0-9]*\).*/\1/p' "$header")
abi="$major.$minor"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run ARGS...: sets $out, $err, $rc
run() { "$nexus" "$@" >"$work/out" 2>"$work/err"; rc=$?; out=$(cat "$work/out"); err=$(cat "$work/err"); }

run plugins inspect "$plugins/nexus_good_provider.so"
[[ $rc == 0 ]] || fail "inspect good_provider: exit $rc ($err)"
sha=$(sha256sum "$plugins/nexus_good_provider.so" | cut -d' ' -f1)
for want in "name:          good_provider" "version:       1.2.3" "kind:          provider" "abi:           $abi" \
            "capabilities:  chat,tools" "file:          $plugins/nexus_good_provider.so" "sha256:        $sha"; do
  grep -qxF "$want" <<<"$out" || fail "inspect good_provider: no line '$want' in: $out"
done

run plugins inspect "$plugins/nexus_good_middleware.so" --json
[[ $rc == 0 ]] || fail "inspect --json: exit $rc"
[[ "$out" == '{"name":"good_middleware","version":"0.4.0","kind":"middleware","abi":"'"$abi"'","abi_major":'"$major"',"abi_minor":'"$minor"',"capabilities":["on_request"],"description":"Minimal middleware for the loader tests","file":"'"$plugins"'/nexus_good_middleware.so","sha256":"'"$(sha256sum "$plugins/nexus_good_middleware.so" | cut -d' ' -f1)"'"}' ]] ||
  fail "inspect --json good_middleware: $out"

run plugins inspect "$plugins/nexus_wrong_major.so"
[[ $rc == 1 && -z "$out" ]] || fail "inspect wrong_major: exit $rc, stdout '$out'"
[[ "$err" == "plugin 'wrong_major' ($plugins/nexus_wrong_major.so): ABI major 2 is not supported by this host (host ABI $abi)" ]] ||
  fail "inspect wrong_major: $err"

echo "just text" >"$work/text.so"
run plugins inspect "$work/text.so" --json
[[ $rc == 1 && "$err" == "plugin $work/text.so: not a loadable shared object: "* ]] || fail "inspect text.so: exit $rc, $err"

run plugins list --dir "$plugins/duplicates"
[[ $rc == 1 ]] || fail "list duplicates: exit $rc"
[[ $(wc -l <<<"$out") == 2 ]] || fail "list duplicates: expected 2 lines: $out"
grep -qE "^dup +1\.0\.0-a +middleware +abi ${abi/./\\.} +on_request +$plugins/duplicates/nexus_dup_a\.so$" <<<"$out" ||
  fail "list duplicates: no dup_a line: $out"
grep -qxF "REFUSED  duplicate plugin name 'dup': $plugins/duplicates/nexus_dup_a.so and $plugins/duplicates/nexus_dup_b.so" <<<"$out" ||
  fail "list duplicates: no refusal line: $out"

mkdir "$work/good"
cp "$plugins/nexus_good_provider.so" "$plugins/nexus_good_middleware.so" "$work/good/"
printf 'plugins:\n  dir: %s\n' "$work/good" >"$work/nexus.yaml"
run plugins list -c "$work/nexus.yaml"
[[ $rc == 0 && $(wc -l <<<"$out") == 2 ]] || fail "list -c: exit $rc, $out $err"
[[ "$out" == "good_middleware "* && "$out" == *$'\n'"good_provider "* ]] || fail "list -c: $out"

run plugins list --dir "$work/good" --json
[[ $rc == 0 && "$out" == '{"dir":"'"$work/good"'","plugins":[{"name":"good_middleware",'*'"errors":[]}' ]] ||
  fail "list --json: $out"

printf 'plugins: {dri: x}\n' >"$work/bad.yaml"
run plugins list -c "$work/bad.yaml"
[[ $rc == 1 && "$err" == "$work/bad.yaml:1:"* ]] || fail "list -c bad config: exit $rc, $err"

run plugins list --dir "$work/missing"
[[ $rc == 1 && "$out" == "REFUSED  plugin directory $work/missing: "* ]] || fail "list missing dir: exit $rc, $out"

run plugins inspect
[[ $rc == 2 ]] || fail "inspect without FILE: exit $rc"
run plugins list --dir a -c b
[[ $rc == 2 ]] || fail "list with --dir and -c: exit $rc"

[[ $failures == 0 ]] && echo "OK" || exit 1
