#!/usr/bin/env python3
"""Writes chain_vector_v2.jsonl from FORMAT.md alone (no Nexus code): three version 2 records,
chained from the 64-zero genesis. The unit tests check that the audit middleware writes the
same bytes and that `nexus audit verify` accepts them."""
import hashlib
import json
import sys

Z = "0" * 64


def line(members, prev, genesis=None):
    body = dict(members)
    if genesis is not None:
        body["genesis"] = genesis
    body["prev"] = prev
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    h = hashlib.sha256(text.encode()).hexdigest()
    return text[:-1] + ',"hash":"' + h + '"}', h


def attempt(provider, model, outcome, status, ms):
    return {"provider": provider, "model": model, "outcome": outcome, "status": status, "ms": ms}


records = [
    {"v": 2, "time": "2025-01-02T03:04:05.678Z", "request_id": "req_vector_1", "key_id": "team-a",
     "client_ip": "127.0.0.1", "ingress": "openai", "route": "gpt-test", "model": "gpt-test", "provider": "openai",
     "upstream_model": "gpt-4o-mini", "stream": False, "outcome": "ok", "status": 200, "error_class": None,
     "prompt_tokens": 12, "completion_tokens": 5, "cached_tokens": 0, "latency_ms": 12.5, "upstream_latency_ms": 10.25,
     "attempts": [attempt("openai", "gpt-4o-mini", "ok", 200, 10.25)], "cache_hit": False, "redactions": 1,
     "prompt": ["mail [EMAIL]"], "response": ["You said: mail [EMAIL]"]},
    {"v": 2, "time": "2025-01-02T03:04:06.001Z", "request_id": "req_vector_2", "key_id": None, "client_ip": "::1",
     "ingress": "anthropic", "route": None, "model": "openai/gpt-4o", "provider": "openai", "upstream_model": "gpt-4o",
     "stream": True, "outcome": "error", "status": 429, "error_class": "rate_limited", "prompt_tokens": None,
     "completion_tokens": None, "cached_tokens": None, "cost_usd": 0.0012, "latency_ms": 3.0, "upstream_latency_ms": 2.75,
     "attempts": [attempt("openai", "gpt-4o", "rate_limited", 429, 1.5),
                  attempt("openai", "gpt-4o", "rate_limited", 429, 1.25)],
     "cache_hit": False, "redactions": 0},
    {"v": 2, "time": "2025-01-02T03:04:07.999Z", "request_id": "req_vector_3", "key_id": "team-b",
     "client_ip": "10.0.0.8", "ingress": "openai", "route": "gpt-test", "model": "gpt-test", "provider": None,
     "upstream_model": None, "stream": False, "outcome": "rejected", "status": 400, "error_class": None,
     "prompt_tokens": None, "completion_tokens": None, "cached_tokens": None, "latency_ms": 0.125,
     "upstream_latency_ms": 0.0, "attempts": [], "cache_hit": False, "redactions": 0},
]

prev = Z
out = []
for i, r in enumerate(records):
    text, prev = line(r, prev, Z if i == 0 else None)
    out.append(text)
sys.stdout.write("\n".join(out) + "\n")
