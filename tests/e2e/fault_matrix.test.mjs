// The fault matrix: every upstream failure the gateway must survive, for a non-streaming and
// a streaming request, against the fake upstreams. Each row says what the fake does and what
// the client must see: the request was retried on the same target, fell back to the next
// one, or got a clear error in its own wire format (for a stream that already sent a chunk:
// an error object in a `data:` frame, never a silent truncation). For every cell the gateway
// stays up, leaks no file descriptor or upstream connection, and writes an audit record that
// lists each attempt. The outcomes are the ones docs/DESIGN-NOTES.md ("What an upstream
// failure does") documents. Also here: a client that leaves cancels the upstream request at
// once, and the failure-ratio circuit breaker.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NEXUS_EXE, freePort, processFds, run, settled, startFake, startNexus } from './harness.mjs';

const ADMIN = 'adm-fault-matrix';
const THREADS = 2;
const STALL_MS = 1500;  // how long a stalling fake holds; the route timeouts are 300 ms

// What the gateway does for each fault, before the client has seen a byte and after. The
// attempt outcomes are the error classes the audit record and /metrics use.
const RETRIED = 'retried';  // same target again, then served by it
const FELL_BACK = 'fell back';  // served by the route's next target
const IN_BAND = 'in-band error';  // the stream had started: an error frame ends it

const CASES = [
  {
    name: '429 with Retry-After',
    fault: { kind: 'status', status: 429, retry_after: 1, times: 1 },
    json: { outcome: RETRIED, attempts: ['rate_limited', 'ok'], minMs: 950 },
    stream: { outcome: RETRIED, attempts: ['rate_limited', 'ok'], minMs: 950 },
  },
  {
    name: '500',
    fault: { kind: 'status', status: 500 },
    json: { outcome: FELL_BACK, attempts: ['server', 'server', 'ok'] },
    stream: { outcome: FELL_BACK, attempts: ['server', 'server', 'ok'] },
  },
  {
    name: '503',
    fault: { kind: 'status', status: 503, times: 1 },
    json: { outcome: RETRIED, attempts: ['overloaded', 'ok'] },
    stream: { outcome: RETRIED, attempts: ['overloaded', 'ok'] },
  },
  {
    name: '529 (Anthropic overloaded)',
    target: { provider: 'claude', model: 'fail-529' },
    json: { outcome: FELL_BACK, attempts: ['overloaded', 'overloaded', 'ok'] },
    stream: { outcome: FELL_BACK, attempts: ['overloaded', 'overloaded', 'ok'] },
  },
  {
    name: 'connection refused',
    target: { provider: 'dead', model: 'gpt-4o-mini' },
    json: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
    stream: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
  },
  {
    name: 'reset before headers',
    fault: { kind: 'reset-before-headers' },
    json: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
    stream: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
  },
  {
    name: 'reset mid-body / mid-stream',
    fault: { kind: 'reset-mid-body' },
    json: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
    stream: { outcome: IN_BAND, attempts: ['network'], error: /connection closed|reset/i },
  },
  {
    name: 'reset mid-stream, Anthropic client',
    fault: { kind: 'reset-mid-body' },
    ingress: 'anthropic',
    stream: { outcome: IN_BAND, attempts: ['network'], error: /connection closed|reset/i },
  },
  {
    // Same wire: the upstream's own bytes are relayed, so the gateway must not pass on half an
    // event before its error event.
    name: 'reset inside an event, Anthropic client to Claude (relay)',
    target: { provider: 'claude', model: 'fail-reset-partial' },
    ingress: 'anthropic',
    stream: { outcome: IN_BAND, attempts: ['network'], error: /connection closed|reset/i },
  },
  {
    // ... while a cut inside the first event, before the client got a byte, still falls back.
    name: 'reset inside the first event, Anthropic client to Claude (relay)',
    target: { provider: 'claude', model: 'fail-reset-first' },
    ingress: 'anthropic',
    stream: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
  },
  {
    name: 'reset after the stream head, before any event',
    fault: { kind: 'reset-mid-body', after: 0 },
    stream: { outcome: FELL_BACK, attempts: ['network', 'network', 'ok'] },
  },
  {
    name: 'stall before the first byte',
    fault: { kind: 'stall-first-byte', ms: STALL_MS },
    json: { outcome: FELL_BACK, attempts: ['timeout', 'timeout', 'ok'] },
    stream: { outcome: FELL_BACK, attempts: ['timeout', 'timeout', 'ok'] },
  },
  {
    name: 'stall mid-body / mid-stream',
    fault: { kind: 'stall-mid-body', ms: STALL_MS },
    json: { outcome: FELL_BACK, attempts: ['timeout', 'timeout', 'ok'] },
    stream: { outcome: IN_BAND, attempts: ['timeout'], error: /idle timeout/i },
  },
  {
    name: 'malformed JSON',
    fault: { kind: 'malformed-json' },
    json: { outcome: FELL_BACK, attempts: ['protocol', 'ok'] },
    stream: { outcome: IN_BAND, attempts: ['protocol'], error: /not JSON/ },
  },
  {
    name: 'malformed first stream event',
    fault: { kind: 'malformed-json', after: 0 },
    stream: { outcome: FELL_BACK, attempts: ['protocol', 'ok'] },
  },
  {
    name: 'truncated JSON body / truncated SSE',
    fault: { kind: 'truncated' },
    json: { outcome: FELL_BACK, attempts: ['protocol', 'ok'] },
    stream: { outcome: IN_BAND, attempts: ['protocol'], error: /ended before \[DONE\]/ },
  },
  {
    name: 'truncated NDJSON (ollama)',
    target: { provider: 'llama', model: 'fail-truncated' },
    stream: { outcome: IN_BAND, attempts: ['protocol'], error: /ended/ },
  },
];

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const cells = [];
for (const c of CASES)
  for (const mode of ['json', 'stream'])
    if (c[mode]) {
      const id = `${slug(c.name)}-${mode}`;
      const target = c.target ?? { provider: 'up', model: `fm-${id}` };
      cells.push({ ...c, mode, id, route: `case-${id}`, target, expect: c[mode] });
    }

let fakes;
let nexus;
let auditDir;
let auditPath;
let deadPort;

const config = () => `
server: {listen: "127.0.0.1:{{PORT}}", threads: ${THREADS}}
plugins: {dir: "{{PLUGIN_DIR}}"}
admin: {key: "${ADMIN}"}
providers:
  up: {plugin: openai, base_url: "${fakes.openai.url}/v1", keys: ["sk-test-up"]}
  dead: {plugin: openai, base_url: "http://127.0.0.1:${deadPort}/v1", keys: ["sk-test-dead"]}
  claude: {plugin: claude, base_url: "${fakes.anthropic.url}", keys: ["sk-ant-test-matrix"]}
  llama: {plugin: ollama, base_url: "${fakes.ollama.url}"}
chains:
  default:
    - {audit: {path: "${auditPath}", fsync: always}}
routes:
${cells
  .map(
    (c) =>
      `  - {model: ${c.route}, retry: {max_attempts: 2, backoff: 10ms, max_backoff: 2s}, breaker: {failures: 100},` +
      ` timeouts: {first_byte: 300ms, idle: 300ms, total: 10s},` +
      ` targets: [{provider: ${c.target.provider}, model: ${c.target.model}}, {provider: up, model: gpt-4o-mini}]}`,
  )
  .join('\n')}
  - {model: case-cancel, timeouts: {idle: 10s}, targets: [{provider: up, model: fm-cancel}]}
  - {model: ratio, retry: {max_attempts: 1}, breaker: {failures: 100, failure_ratio: 0.5, window: 10s, min_requests: 6, cooldown: 30s},
     targets: [{provider: up, model: fm-ratio}]}
`;

before(async () => {
  fakes = {
    openai: await startFake('openai'),
    anthropic: await startFake('anthropic'),
    ollama: await startFake('ollama'),
  };
  deadPort = await freePort();  // nothing listens there: connection refused
  auditDir = mkdtempSync(path.join(os.tmpdir(), 'nexus-fault-matrix-'));
  auditPath = path.join(auditDir, 'audit.jsonl');
  nexus = await startNexus(config());
});

after(async () => {
  const code = await nexus?.stop();
  for (const f of Object.values(fakes ?? {})) f.stop();
  if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  assert.equal(code, 0, nexus?.log());
});

// ------------------------------------------------------------------ helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function scriptFault(model, fault) {
  const r = await fetch(`${fakes.openai.url}/__faults`, { method: 'POST', body: JSON.stringify({ model, ...fault }) });
  assert.equal(r.status, 200, await r.text());
}

// The nexus process's descriptors: its connections to the upstreams (pooled ones stay open a
// while), those the test made to it (keep-alive), and all the others, which must not change.
function fds() {
  const f = processFds(nexus.proc.pid);
  const upstream = f.to(Object.values(fakes).map((x) => x.port));
  return { all: f.all, upstream, others: f.all - upstream - f.accepted(nexus.port) };
}

// Connections the openai fake holds open, as it counts them.
async function upstreamConnections() {
  return (await (await fetch(`${fakes.openai.url}/__connections`)).json()).open;
}

function request(cell) {
  const anthropic = cell.ingress === 'anthropic';
  const stream = cell.mode === 'stream';
  const body = anthropic
    ? { model: cell.route, max_tokens: 64, stream, messages: [{ role: 'user', content: 'tell me about faults' }] }
    : { model: cell.route, stream, messages: [{ role: 'user', content: 'tell me about faults' }] };
  return fetch(`${nexus.url}${anthropic ? '/v1/messages' : '/v1/chat/completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(anthropic ? { 'anthropic-version': '2023-06-01' } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
}

// SSE frames as {event, data}.
function frames(text) {
  return text
    .split('\n\n')
    .filter((f) => f.trim())
    .map((f) => {
      const event = /^event: ?(.*)$/m.exec(f)?.[1] ?? null;
      const data = f
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      return { event, data };
    });
}

// The audit record of one request (the writer is asynchronous: wait for it).
async function auditRecord(requestId) {
  for (let i = 0; i < 100; i++) {
    const text = existsSync(auditPath) ? readFileSync(auditPath, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (!line.includes(requestId)) continue;
      const rec = JSON.parse(line);
      if (rec.request_id === requestId) return rec;
    }
    await sleep(20);
  }
  assert.fail(`no audit record for ${requestId}`);
}

// ------------------------------------------------------------------ the matrix

let baseline;

describe('fault matrix', () => {
  before(async () => {
    // Warm both loops' pools, then take the baseline.
    for (let i = 0; i < 4; i++) await (await request({ route: 'up/gpt-4o-mini', mode: 'json' })).text();
    await sleep(100);
    baseline = await settled(fds, (f) => f.others === fds().others);
  });

  for (const cell of cells) {
    test(`${cell.name} [${cell.mode}${cell.ingress ? `, ${cell.ingress} client` : ''}]: ${cell.expect.outcome}`, async () => {
      if (cell.fault) await scriptFault(cell.target.model, cell.fault);
      const before = await settled(fds, (f) => f.others === baseline.others);
      const t0 = Date.now();
      const r = await request(cell);
      const text = await r.text();
      const ms = Date.now() - t0;
      const { expect } = cell;
      const requestId = r.headers.get('x-request-id');
      assert.ok(requestId);

      if (expect.outcome === IN_BAND) {
        assert.equal(r.status, 200, text);
        const fs = frames(text);
        const last = fs[fs.length - 1];
        assert.ok(fs.length >= 2, `a chunk came before the error:\n${text}`);
        for (const f of fs) assert.doesNotThrow(() => JSON.parse(f.data), `a whole event: ${f.data}`);
        if (cell.ingress === 'anthropic') {
          assert.equal(last.event, 'error', text);
          const err = JSON.parse(last.data);
          assert.equal(err.type, 'error');
          assert.match(err.error.message, expect.error);
          assert.ok(!fs.some((f) => f.event === 'message_stop'), text);
        } else {
          const err = JSON.parse(last.data);
          assert.ok(err.error, `the last frame is an error object:\n${text}`);
          assert.match(err.error.message, expect.error);
          assert.match(err.error.message, new RegExp(`upstream provider '${cell.target.provider}'`));
          assert.ok(err.error.type);
          assert.ok(!fs.some((f) => f.data === '[DONE]'), text);
        }
      } else {
        assert.equal(r.status, 200, text);
        const served = expect.outcome === RETRIED ? cell.target.model : 'gpt-4o-mini';
        assert.equal(r.headers.get('x-nexus-model'), served);
        assert.equal(r.headers.get('x-nexus-attempts'), String(expect.attempts.length));
        if (cell.mode === 'stream' && cell.ingress === 'anthropic') {
          const fs = frames(text);
          assert.equal(fs[0].event, 'message_start', text);
          assert.equal(fs[fs.length - 1].event, 'message_stop', text);
          const deltas = fs.filter((f) => f.event === 'content_block_delta').map((f) => JSON.parse(f.data).delta.text);
          assert.equal(deltas.join(''), 'You said: tell me about faults');
        } else if (cell.mode === 'stream') {
          const fs = frames(text);
          assert.equal(fs[fs.length - 1].data, '[DONE]', text);
          const chunks = fs.slice(0, -1).map((f) => JSON.parse(f.data));
          assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'), text);
          assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'You said: tell me about faults');
          assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'));
        } else {
          assert.equal(JSON.parse(text).choices[0].message.content, 'You said: tell me about faults');
        }
      }
      if (expect.minMs) assert.ok(ms >= expect.minMs, `waited for retry-after: ${ms} ms`);

      // The audit record lists every attempt.
      const rec = await auditRecord(requestId);
      assert.equal(rec.route, cell.route);
      assert.equal(rec.stream, cell.mode === 'stream');
      assert.equal(rec.outcome, expect.outcome === IN_BAND ? 'error' : 'ok');
      assert.equal(rec.status, 200);
      assert.equal(rec.attempts.length, expect.attempts.length, JSON.stringify(rec));
      assert.deepEqual(rec.attempts.map((a) => a.outcome), expect.attempts);
      const servedBy = (i) =>
        i < expect.attempts.length - 1 || expect.outcome !== FELL_BACK ? cell.target : { provider: 'up', model: 'gpt-4o-mini' };
      rec.attempts.forEach((a, i) => {
        assert.equal(a.provider, servedBy(i).provider, JSON.stringify(a));
        assert.equal(a.model, servedBy(i).model, JSON.stringify(a));
        assert.ok(Number.isInteger(a.status), JSON.stringify(a));
        assert.ok(typeof a.ms === 'number' && a.ms >= 0, JSON.stringify(a));
      });
      if (expect.attempts[0] === 'rate_limited') assert.equal(rec.attempts[0].status, 429);
      if (expect.attempts[0] === 'network' && cell.target.provider === 'dead') assert.equal(rec.attempts[0].status, 0);
      if (expect.attempts.at(-1) === 'ok') assert.equal(rec.attempts.at(-1).status, 200);

      // Still up, and nothing leaked: descriptors and sockets, ours and the upstream's.
      assert.equal(nexus.proc.exitCode, null);
      assert.equal((await fetch(`${nexus.url}/health`)).status, 200);
      const now = await settled(fds, (f) => f.others === baseline.others);
      assert.equal(now.others, baseline.others, `descriptors other than connections: at the start ${baseline.others}, now ${now.others}`);
      // Idle pooled connections: one or two per upstream per loop; a leak per failure would grow.
      assert.ok(now.upstream <= 2 * THREADS * Object.keys(fakes).length, `${now.upstream} upstream connections`);
      assert.ok(now.upstream <= before.upstream + 2, `upstream connections before ${before.upstream}, after ${now.upstream}`);
    });
  }

  // A client that leaves: the upstream request is cancelled at once (its connection closes
  // long before any timeout), and the request is recorded as cancelled.
  for (const when of ['mid-stream', 'before the first byte']) {
    test(`a client that leaves ${when} cancels the upstream request at once, recorded as cancelled`, async () => {
      const early = when !== 'mid-stream';
      await scriptFault('fm-cancel', { kind: early ? 'stall-first-byte' : 'stall-mid-body', ms: 8000 });
      const requestId = `req_cancel_${early ? 'early' : 'mid'}_${Date.now()}`;
      const idle = await upstreamConnections();
      await fakes.openai.clearRequests();
      const ac = new AbortController();
      const response = fetch(`${nexus.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ model: 'case-cancel', stream: true, messages: [{ role: 'user', content: 'tell me about faults' }] }),
        signal: ac.signal,
      });
      if (early) {
        response.catch(() => {});  // aborted before any answer
        await settled(async () => (await fakes.openai.requests()).length, (n) => n === 1);  // the upstream has it
      } else {
        const reader = (await response).body.getReader();
        assert.match(new TextDecoder().decode((await reader.read()).value), /^data: \{/);
      }
      const busy = await upstreamConnections();
      ac.abort();
      const t0 = Date.now();
      const now = await settled(upstreamConnections, (n) => n < busy, 2000);
      assert.ok(now < busy, `the upstream connection was closed (${idle} idle, ${busy} busy, ${now} after)`);
      assert.ok(Date.now() - t0 < 1000, 'closed at once, not at a timeout');
      const rec = await auditRecord(requestId);
      assert.equal(rec.outcome, 'cancelled');
      assert.equal(rec.status, early ? 499 : 200);  // 200: the stream's head had gone out
      assert.deepEqual(rec.attempts.map((a) => [a.outcome, a.status]), [['cancelled', early ? 0 : 200]]);
    });
  }

  test('after the whole matrix: the same descriptors as before it, the audit chain verifies', async () => {
    const now = await settled(fds, (f) => f.others === baseline.others);
    assert.equal(now.others, baseline.others, 'descriptors other than connections');
    // Each loop may pool an idle connection or two per upstream; a leak per failure would be dozens.
    assert.ok(now.upstream <= 2 * THREADS * Object.keys(fakes).length, `${now.upstream} upstream connections`);
    const v = await run(NEXUS_EXE, ['audit', 'verify', auditPath]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });
});

// ------------------------------------------------------------------ failure ratio

describe('circuit breaker, failure-ratio mode', () => {
  const chat = () =>
    fetch(`${nexus.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ratio', messages: [{ role: 'user', content: 'hi' }] }),
    });
  const target = async () =>
    (await (await fetch(`${nexus.url}/admin/targets`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()).targets.find(
      (t) => t.provider === 'up' && t.model === 'fm-ratio',
    );

  test('a mix of successes and failures opens it once the ratio is reached, never two failures in a row', async () => {
    // ok, fail, ok, fail, ok: 2 of 5, under min_requests; then fail: 3 of 6 = the ratio.
    const statuses = [];
    for (const fails of [false, true, false, true, false]) {
      if (fails) await scriptFault('fm-ratio', { kind: 'status', status: 500, times: 1 });
      statuses.push((await chat()).status);
      assert.equal((await target()).state, 'closed', `closed after ${statuses.join(',')}`);
    }
    await scriptFault('fm-ratio', { kind: 'status', status: 500, times: 1 });
    statuses.push((await chat()).status);
    assert.deepEqual(statuses, [200, 502, 200, 502, 200, 502]);

    const t = await target();
    assert.equal(t.state, 'open');
    assert.equal(t.consecutive_failures, 1);  // the consecutive rule (100) did not do it
    const m = await (await fetch(`${nexus.url}/metrics`)).text();
    assert.match(m, /nexus_circuit_state\{provider="up",model="fm-ratio"\} 1\n/);

    await fakes.openai.clearRequests();
    const open = await chat();
    assert.equal(open.status, 503);
    assert.match((await open.json()).error.message, /all targets of route 'ratio' are unavailable \(circuit open\)/);
    assert.equal((await fakes.openai.requests()).length, 0, 'an open circuit sends nothing upstream');
  });
});
