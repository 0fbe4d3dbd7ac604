#!/usr/bin/env bash
# User-space instructions per request, counted by callgrind: deterministic, so it shows changes
# too small for wall-clock noise (bench/run.sh gives the wall-clock numbers). Serves the bench's
# canned upstream (nginx), runs `nexus serve` under valgrind, warms up with 200 requests, then
# counts N more, without a chain and with the production-style chain of bench/run.sh.
# Usage: bench/instructions.sh [N]   (default 1000; about a minute per 1000 requests)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
[ -x build/nexus ] || BUILD_TARGET=gateway scripts/build.sh >/dev/null
command -v nginx >/dev/null || scripts/install-deps.sh
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }

WORK=$(mktemp -d /tmp/nexus-instr.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
UP=$(free_port)
json_body=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" bench/canned/chat.json)
cat > "$WORK/upstream.conf" <<NGINX
worker_processes 1; pid $WORK/upstream.pid; error_log $WORK/upstream.err warn;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP; default_type application/json; location / { return 200 '$json_body'; } } }
NGINX
nginx -c "$WORK/upstream.conf" -g 'daemon off;' & PIDS+=($!)
python3 - "$WORK/small.json" <<'PY'
import json, sys
text = "Summarize the following notes. " + ("lorem ipsum dolor sit amet " * 30)[:700]
json.dump({"model": "bench", "messages": [{"role": "system", "content": "You are terse."},
                                          {"role": "user", "content": text}], "temperature": 0.2}, open(sys.argv[1], "w"))
PY
KEY_HASH=$(printf '%s' sk-bench | sha256sum | cut -d' ' -f1)

count() {  # count NAME CHAIN_YAML -> prints instructions per request
  local port; port=$(free_port)
  cat > "$WORK/$1.yaml" <<YAML
server: {listen: "127.0.0.1:$port", threads: 2}
log: {level: warn}
plugins: {dir: $(pwd)/build/plugins}
providers:
  json: {plugin: openai, base_url: "http://127.0.0.1:$UP/v1", keys: ["sk-upstream"]}
routes:
  - {model: bench, targets: [{provider: json, model: gpt-4o-mini}]}
$2
YAML
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$1.%p" build/nexus serve -c "$WORK/$1.yaml" 2>"$WORK/$1.err" &
  local pid=$!
  for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  send() { python3 - "$1" "$port" "$WORK/small.json" <<'PY'
import http.client, sys
n, port, body = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "rb").read()
c = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    c.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json", "Authorization": "Bearer sk-bench"})
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
  }
  send 200
  callgrind_control -z "$pid" >/dev/null 2>&1
  send "$N"
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local total; total=$(grep -h '^summary:' "$WORK/$1".*.1 | awk '{s+=$2} END {print s}')
  echo "$1: $((total / N)) instructions per request (user space, all threads)"
}
count no_chain "chains: {default: []}"
count chain "chains:
  default:
    - {auth: {keys: [{id: bench, hash: \"sha256:$KEY_HASH\"}]}}
    - {ratelimit: {rpm: 1000000000, key: virtual_key}}
    - {sanitize: {pii: redact}}
    - {audit: {path: $WORK/audit.jsonl, fsync: interval}}"
