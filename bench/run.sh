#!/usr/bin/env bash
# Nexus benchmark, all on loopback in one run:
#   upstream  nginx serving canned OpenAI JSON / SSE bodies (the "provider")
#   proxy     nginx as a plain reverse proxy in front of it (the floor for any proxy hop)
#   nexus     the gateway with the openai plugin in front of it
# wrk at c=1,16,64 against each; RPS, p50/p99 and their ratios; RSS idle and after load;
# streaming time to first byte; request body size scaling (1 KiB vs 256 KiB); the cost of a
# production chain (auth, ratelimit, sanitize, audit) against no chain.
# Usage: bench/run.sh [--duration 10] [--out bench/results/latest.json]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
OUT=bench/results/latest.json
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--duration SECONDS] [--out FILE]" >&2; exit 2 ;;
  esac
done
[ -x build/nexus ] || BUILD_TARGET=gateway scripts/build.sh >/dev/null
command -v wrk >/dev/null && command -v nginx >/dev/null || scripts/install-deps.sh

WORK=$(mktemp -d /tmp/nexus-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
UP_JSON=$(free_port); UP_SSE=$(free_port); PROXY=$(free_port); NEXUS=$(free_port); NEXUS_CHAIN=$(free_port)
CANNED=$(pwd)/bench/canned
json_body=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$CANNED/chat.json")
sse_body=$(python3 -c 'import sys;print(open(sys.argv[1]).read().replace("\\","\\\\").replace("\x27","\\\x27").replace("\n","\\n"),end="")' "$CANNED/chat.sse")

mkdir -p "$WORK/logs"
cat > "$WORK/upstream.conf" <<NGINX
worker_processes 1;
pid $WORK/upstream.pid;
error_log $WORK/logs/upstream.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_buffer_size 512k;
  client_max_body_size 16m;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP_JSON; default_type application/json;
           location / { return 200 '$json_body'; } }
  server { listen 127.0.0.1:$UP_SSE; default_type text/event-stream;
           location / { return 200 '$sse_body'; } }
}
NGINX
cat > "$WORK/proxy.conf" <<NGINX
worker_processes 2;
pid $WORK/proxy.pid;
error_log $WORK/logs/proxy.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_buffer_size 512k;
  client_max_body_size 16m;
  keepalive_requests 1000000;
  upstream up { server 127.0.0.1:$UP_JSON; keepalive 128; }
  server { listen 127.0.0.1:$PROXY;
           location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
cat > "$WORK/nexus.yaml" <<YAML
server: {listen: "127.0.0.1:$NEXUS", threads: 2, max_body: 16MiB}
log: {level: warn}
plugins: {dir: $(pwd)/build/plugins}
providers:
  json: {plugin: openai, base_url: "http://127.0.0.1:$UP_JSON/v1", keys: ["sk-upstream"]}
  sse:  {plugin: openai, base_url: "http://127.0.0.1:$UP_SSE/v1", keys: ["sk-upstream"]}
routes:
  - {model: bench, targets: [{provider: json, model: gpt-4o-mini}]}
  - {model: bench-stream, targets: [{provider: sse, model: gpt-4o-mini}]}
chains: {default: []}
YAML

# The same gateway with a production-style chain (no cache: a hit would skip the upstream and
# flatter the number): auth, a rate limit that never trips, PII redaction, audit to a file.
KEY_HASH=$(printf '%s' sk-bench | sha256sum | cut -d' ' -f1)
sed -e "s/127.0.0.1:$NEXUS/127.0.0.1:$NEXUS_CHAIN/" -e '/^chains:/d' "$WORK/nexus.yaml" > "$WORK/nexus-chain.yaml"
cat >> "$WORK/nexus-chain.yaml" <<YAML
chains:
  default:
    - {auth: {keys: [{id: bench, hash: "sha256:$KEY_HASH"}]}}
    - {ratelimit: {rpm: 1000000000, key: virtual_key}}
    - {sanitize: {pii: redact}}
    - {audit: {path: $WORK/audit.jsonl, fsync: interval}}
YAML

nginx -c "$WORK/upstream.conf" -g 'daemon off;' & PIDS+=($!)
nginx -c "$WORK/proxy.conf" -g 'daemon off;' & PIDS+=($!)
./build/nexus serve -c "$WORK/nexus.yaml" 2>"$WORK/logs/nexus.err" & NEXUS_PID=$!; PIDS+=($NEXUS_PID)
./build/nexus serve -c "$WORK/nexus-chain.yaml" 2>"$WORK/logs/nexus-chain.err" & PIDS+=($!)
for port in $UP_JSON $PROXY $NEXUS $NEXUS_CHAIN; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.05; done
done
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
RSS_IDLE=$(rss_kb $NEXUS_PID)

make_body() {  # make_body FILE MODEL STREAM PAD_BYTES
  python3 - "$@" <<'PY'
import json, sys
path, model, stream, pad = sys.argv[1], sys.argv[2], sys.argv[3] == "true", int(sys.argv[4])
text = "Summarize the following notes. " + ("lorem ipsum dolor sit amet " * (pad // 27 + 1))[:pad]
body = {"model": model, "messages": [{"role": "system", "content": "You are terse."},
                                     {"role": "user", "content": text}], "temperature": 0.2}
if stream: body["stream"] = True
open(path, "w").write(json.dumps(body))
PY
}
make_body "$WORK/small.json" bench false 700
make_body "$WORK/big.json" bench false 262144
make_body "$WORK/stream.json" bench-stream true 700

run_wrk() {  # run_wrk URL CONNS BODY -> JSON
  local conns=$2 threads=1
  [ "$conns" -ge 16 ] && threads=2
  BENCH_BODY_FILE=$3 wrk -t"$threads" -c"$conns" -d"${DURATION}s" -s bench/post.lua "$1" 2>&1 | sed -n 's/^WRKJSON //p'
}

results="{}"
add() { results=$(python3 -c 'import json,sys;r=json.loads(sys.argv[1]);r.setdefault(sys.argv[2],{})[sys.argv[3]]=json.loads(sys.argv[4]);print(json.dumps(r))' "$results" "$1" "$2" "$3"); }

for c in 1 16 64; do
  add "c$c" direct "$(run_wrk "http://127.0.0.1:$UP_JSON/v1/chat/completions" $c "$WORK/small.json")"
  add "c$c" nginx_proxy "$(run_wrk "http://127.0.0.1:$PROXY/v1/chat/completions" $c "$WORK/small.json")"
  add "c$c" nexus "$(run_wrk "http://127.0.0.1:$NEXUS/v1/chat/completions" $c "$WORK/small.json")"
done
for c in 16 64; do
  add "c$c" nexus_chain "$(run_wrk "http://127.0.0.1:$NEXUS_CHAIN/v1/chat/completions" $c "$WORK/small.json")"
done
add body_256k direct "$(run_wrk "http://127.0.0.1:$UP_JSON/v1/chat/completions" 16 "$WORK/big.json")"
add body_256k nexus "$(run_wrk "http://127.0.0.1:$NEXUS/v1/chat/completions" 16 "$WORK/big.json")"
add stream_c16 nexus "$(run_wrk "http://127.0.0.1:$NEXUS/v1/chat/completions" 16 "$WORK/stream.json")"
RSS_LOADED=$(rss_kb $NEXUS_PID)

ttfb() {  # median time to first byte in microseconds over 50 streamed requests
  for _ in $(seq 50); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -H 'Content-Type: application/json' \
      -H 'Authorization: Bearer sk-bench' --data-binary @"$WORK/stream.json" "$1"
  done | sort -n | awk '{a[NR]=$1} END {printf "%d", a[int((NR+1)/2)]*1e6}'
}
TTFB_DIRECT=$(ttfb "http://127.0.0.1:$UP_SSE/v1/chat/completions")
TTFB_NEXUS=$(ttfb "http://127.0.0.1:$NEXUS/v1/chat/completions")

mkdir -p "$(dirname "$OUT")"
python3 - "$results" "$RSS_IDLE" "$RSS_LOADED" "$TTFB_DIRECT" "$TTFB_NEXUS" "$DURATION" "$OUT" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
rss_idle, rss_loaded, ttfb_d, ttfb_n, dur, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
rep = {"duration_s": dur, "runs": r, "ratios": {}, "rss_kb": {"idle": rss_idle, "after_load": rss_loaded},
       "stream_ttfb_us": {"direct": ttfb_d, "nexus": ttfb_n, "added": ttfb_n - ttfb_d}}
print(f"{'run':<12}{'target':<13}{'rps':>10}{'p50 us':>9}{'p99 us':>9}{'errors':>8}")
for run, targets in r.items():
    for t, v in targets.items():
        print(f"{run:<12}{t:<13}{v['rps']:>10.0f}{v['p50_us']:>9}{v['p99_us']:>9}{v['errors']+v['non2xx']:>8}")
for c in ("c1", "c16", "c64"):
    d, p, n = r[c]["direct"], r[c]["nginx_proxy"], r[c]["nexus"]
    rep["ratios"][c] = {"rps_vs_direct": n["rps"] / d["rps"], "rps_vs_nginx_proxy": n["rps"] / p["rps"],
                        "p50_added_us_vs_direct": n["p50_us"] - d["p50_us"],
                        "p50_added_us_vs_nginx_proxy": n["p50_us"] - p["p50_us"]}
for c in ("c16", "c64"):
    n, ch = r[c]["nexus"], r[c]["nexus_chain"]
    rep["ratios"][c]["chain_rps_vs_no_chain"] = ch["rps"] / n["rps"]
    rep["ratios"][c]["chain_p50_added_us"] = ch["p50_us"] - n["p50_us"]
b = r["body_256k"]
rep["ratios"]["body_256k"] = {"rps_vs_direct": b["nexus"]["rps"] / b["direct"]["rps"],
                              "p50_added_us": b["nexus"]["p50_us"] - b["direct"]["p50_us"]}
print()
for k, v in rep["ratios"].items():
    print(k, " ".join(f"{a}={x:.2f}" if isinstance(x, float) else f"{a}={x}" for a, x in v.items()))
print(f"rss idle {rss_idle/1024:.1f} MiB, after load {rss_loaded/1024:.1f} MiB")
print(f"stream ttfb: direct {ttfb_d} us, nexus {ttfb_n} us, added {ttfb_n-ttfb_d} us")
json.dump(rep, open(out, "w"), indent=2)
print(f"results written to {out}")
PY
