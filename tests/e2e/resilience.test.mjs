// Resilience: retries with backoff (honouring retry-after), fallback on 5xx, refused
// connections and a stalled first byte, context-length fallback, in-band errors after the
// first chunk, the circuit breaker (/admin/targets, /metrics), strategies (auto and the default
// route among them), key rotation (a provider's only key taken out on 401 and brought back by a
// reload) and /admin/reload. The gateway stays up throughout and leaks no file descriptors.
// (The full fault matrix is fault_matrix.test.mjs.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PLUGIN_DIR, freePort, processFds, settled, startFake, startNexus } from './harness.mjs';

const ADMIN = 'adm-resilience-secret';
let upstream;
let nexus;
let yaml;

const config = ({ admin = true, soloKey = 'sk-bad-solo-secret' } = {}) => `
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "{{PLUGIN_DIR}}"}
${admin ? `admin: {key: "${ADMIN}"}` : ''}
models:
  fail-500: {price: {input: 0.01, output: 0.01}}
providers:
  good: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-good"]}
  brk: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-brk"]}
  dead: {plugin: openai, base_url: "http://127.0.0.1:${deadPort}/v1", keys: ["sk-test-dead"]}
  multi: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-bad-first-key", "sk-test-k2"]}
  allbad: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-bad-1-secret", "sk-bad-2-secret"]}
  rl: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-r1", "sk-test-r2"]}
  slow: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-slow"], timeouts: {first_byte: 300ms}}
  solo: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["${soloKey}"]}
routes:
  - {model: r429, retry: {max_attempts: 2, backoff: 20ms}, targets: [{provider: good, model: fail-429}, {provider: good, model: gpt-4o-mini}]}
  - {model: r429-impatient, retry: {max_backoff: 500ms}, targets: [{provider: good, model: fail-429}, {provider: good, model: gpt-4o-mini}]}
  - {model: r500, retry: {max_attempts: 1}, targets: [{provider: good, model: fail-500}, {provider: good, model: gpt-4o-mini}]}
  - {model: r503, retry: {max_attempts: 3, backoff: 10ms}, targets: [{provider: good, model: fail-503}, {provider: good, model: gpt-4o-mini}]}
  - {model: rdead, retry: {max_attempts: 2, backoff: 10ms}, targets: [{provider: dead, model: gpt-4o-mini}, {provider: good, model: gpt-4o-mini}]}
  - {model: rslow, retry: {max_attempts: 1}, targets: [{provider: slow, model: slow-first-byte}, {provider: good, model: gpt-4o-mini}]}
  - {model: rslow-route, retry: {max_attempts: 1}, timeouts: {first_byte: 300ms}, targets: [{provider: good, model: slow-first-byte}, {provider: good, model: gpt-4o-mini}]}
  - {model: rctx, targets: [{provider: good, model: fail-400-context}, {provider: good, model: gpt-4o}]}
  - {model: rctx-alone, targets: [{provider: good, model: fail-400-context}]}
  - {model: rmid, targets: [{provider: good, model: fail-midstream}, {provider: good, model: gpt-4o-mini}]}
  - {model: rkeys429, targets: [{provider: rl, model: fail-429}, {provider: good, model: gpt-4o-mini}]}
  - {model: rcost, strategy: cost, targets: [{provider: good, model: gpt-4o}, {provider: good, model: gpt-4o-mini}]}
  - {model: rweighted, strategy: weighted, targets: [{provider: good, model: gpt-4o, weight: 1}, {provider: good, model: gpt-4o-mini, weight: 3}]}
  - {model: rcost-fallback, strategy: cost, retry: {max_attempts: 1}, targets: [{provider: good, model: gpt-4o}, {provider: good, model: fail-500}]}
  - {model: rbreak, retry: {max_attempts: 1}, breaker: {failures: 3, cooldown: 1s}, targets: [{provider: brk, model: fail-500}]}
  - {model: main, default: true, retry: {max_attempts: 1}, breaker: {failures: 2, cooldown: 30s},
     targets: [{provider: good, model: auto-first}, {provider: good, model: gpt-4o-mini}]}
  - {model: pick, strategy: auto}
  - {model: rsolo, targets: [{provider: solo, model: gpt-4o-mini}, {provider: good, model: gpt-4o-mini}]}
`;
let deadPort;

const chat = (model, extra = {}) =>
  fetch(`${nexus.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }], ...extra }),
  });
const upstreamCalls = async (model) => (await upstream.requests()).filter((r) => r.body?.model === model).length;
const admin = (path, { method = 'GET', key = ADMIN } = {}) =>
  fetch(`${nexus.url}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });
const fds = () => processFds(nexus.proc.pid);

let fdsBefore;

before(async () => {
  upstream = await startFake('openai', ['--slow-ms', '2000']);
  deadPort = await freePort();  // nothing listens there: connection refused
  yaml = config();
  nexus = await startNexus(yaml);
  assert.equal((await chat('good/gpt-4o-mini')).status, 200);  // warm the pools
  fdsBefore = await settled(fds, (f) => f.all === fds().all);
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  assert.equal(code, 0, nexus?.log());
});

describe('retry and fallback', () => {
  test('429 with retry-after is retried on the same target after the delay, then falls back', async () => {
    await upstream.clearRequests();
    const t0 = Date.now();
    const r = await chat('r429');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 950, 'waited for retry-after: 1');
    assert.equal(r.headers.get('x-nexus-attempts'), '3');
    assert.equal(await upstreamCalls('fail-429'), 2);
  });

  test('retry-after beyond max_backoff falls back at once instead of waiting', async () => {
    await upstream.clearRequests();
    const t0 = Date.now();
    const r = await chat('r429-impatient');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 900);
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
    assert.equal(await upstreamCalls('fail-429'), 1);
  });

  test('500 falls back to the next target (max_attempts 1: no retry)', async () => {
    const r = await chat('r500');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
  });

  test('503 is retried with backoff up to max_attempts, then falls back', async () => {
    await upstream.clearRequests();
    const r = await chat('r503');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-attempts'), '4');
    assert.equal(await upstreamCalls('fail-503'), 3);
  });

  test('connection refused falls back', async () => {
    const r = await chat('rdead');
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('x-nexus-attempts'), '3');
  });

  test('a stalled first byte times out and falls back', async () => {
    const t0 = Date.now();
    const r = await chat('rslow');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 1800, 'did not wait for the slow upstream');
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
  });

  test("a route's first_byte timeout overrides the provider's", async () => {
    const t0 = Date.now();
    const r = await chat('rslow-route');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 1800, 'did not wait for the slow upstream');
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
    assert.equal(r.headers.get('x-nexus-model'), 'gpt-4o-mini');
  });

  test('a context-length error falls back to a target with a larger window, never retried', async () => {
    await upstream.clearRequests();
    const r = await chat('rctx');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
    const alone = await chat('rctx-alone');
    assert.equal(alone.status, 400);
    assert.equal(alone.headers.get('x-nexus-attempts'), '1');
    assert.equal(await upstreamCalls('fail-400-context'), 2);
  });

  test('a failure after the first chunk is an in-band error, no fallback', async () => {
    await upstream.clearRequests();
    const r = await chat('rmid', { stream: true });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.match(text, /"error"/);
    assert.equal(await upstreamCalls('gpt-4o-mini'), 0);
  });

  test('attempts are counted in /metrics', async () => {
    const m = await (await fetch(`${nexus.url}/metrics`)).text();
    assert.match(m, /nexus_upstream_attempts_total\{provider="good",model="fail-429",outcome="rate_limited"\} [3-9]/);
    assert.match(m, /nexus_upstream_attempts_total\{provider="good",model="gpt-4o-mini",outcome="ok"\} \d+/);
    assert.match(m, /nexus_upstream_attempts_total\{provider="dead",model="gpt-4o-mini",outcome="network"\} 2/);
  });
});

describe('circuit breaker', () => {
  test('opens after N consecutive failures; open targets are skipped; one probe after the cooldown', async () => {
    await upstream.clearRequests();
    for (let i = 0; i < 3; i++) assert.equal((await chat('rbreak')).status, 502);  // the gateway's status for an upstream 500
    const open = await chat('rbreak');
    assert.equal(open.status, 503);
    assert.match((await open.json()).error.message, /all targets of route 'rbreak' are unavailable \(circuit open\)/);
    assert.equal(await upstreamCalls('fail-500'), 3);

    const targets = await (await admin('/admin/targets')).json();
    const t = targets.targets.find((x) => x.provider === 'brk' && x.model === 'fail-500');
    assert.equal(t.state, 'open');
    assert.equal(t.consecutive_failures, 3);
    assert.equal(t.in_flight, 0);
    const good = targets.targets.find((x) => x.provider === 'good' && x.model === 'gpt-4o-mini');
    assert.equal(good.state, 'closed');
    assert.ok(good.ewma_ttfb_ms > 0);
    const m = await (await fetch(`${nexus.url}/metrics`)).text();
    assert.match(m, /nexus_circuit_state\{provider="brk",model="fail-500"\} 1\n/);

    await new Promise((r) => setTimeout(r, 1100));
    const probes = await Promise.all([chat('rbreak'), chat('rbreak'), chat('rbreak')]);
    assert.deepEqual(probes.map((r) => r.status).sort(), [502, 503, 503]);  // exactly one probe went out
    assert.equal(await upstreamCalls('fail-500'), 4);
    const after = (await (await admin('/admin/targets')).json()).targets.find((x) => x.provider === 'brk');
    assert.equal(after.state, 'open');  // the probe failed
  });
});

describe('strategies', () => {
  test('cost: the cheapest target by the model registry goes first', async () => {
    const r = await chat('rcost');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-model'), 'gpt-4o-mini');
    assert.equal(r.headers.get('x-nexus-attempts'), '1');
  });

  test('cost: the order is the try order, fallback continues through the rest', async () => {
    await upstream.clearRequests();
    const r = await chat('rcost-fallback');  // fail-500 is priced cheapest in the config: tried first
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-model'), 'gpt-4o');
    assert.equal(r.headers.get('x-nexus-attempts'), '2');
    assert.deepEqual((await upstream.requests()).map((x) => x.body.model), ['fail-500', 'gpt-4o']);
  });

  test('weighted: targets are picked first in proportion to their weights', async () => {
    const counts = { 'gpt-4o': 0, 'gpt-4o-mini': 0 };
    for (let i = 0; i < 80; i++) counts[(await chat('rweighted')).headers.get('x-nexus-model')]++;
    assert.ok(counts['gpt-4o-mini'] > 45 && counts['gpt-4o'] > 5, JSON.stringify(counts));
  });
});

describe('strategy auto and the default route', () => {
  test('the model auto, and an auto route without targets, take the first healthy target of the default route', async () => {
    await upstream.clearRequests();
    for (const model of ['auto', 'pick']) {
      const r = await chat(model);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-nexus-model'), 'auto-first');
      assert.equal(r.headers.get('x-nexus-attempts'), '1');
    }
    const listed = (await (await fetch(`${nexus.url}/v1/models`)).json()).data.map((m) => m.id);
    assert.ok(listed.includes('auto') && listed.includes('main') && listed.includes('pick'), listed.join(','));

    // Two failures open the first target's circuit (breaker.failures: 2) ...
    const fault = { model: 'auto-first', kind: 'status', status: 500, times: 2 };
    assert.equal((await fetch(`${upstream.url}/__faults`, { method: 'POST', body: JSON.stringify(fault) })).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await chat('main')).headers.get('x-nexus-model'), 'gpt-4o-mini');
    const first = (await (await admin('/admin/targets')).json()).targets.find((t) => t.model === 'auto-first');
    assert.equal(first.state, 'open');

    // ... and auto skips it: the next target serves, nothing is sent to the open one.
    await upstream.clearRequests();
    for (const model of ['auto', 'pick']) {
      const r = await chat(model);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-nexus-model'), 'gpt-4o-mini');
      assert.equal(r.headers.get('x-nexus-attempts'), '1');
    }
    assert.equal(await upstreamCalls('auto-first'), 0);
  });
});

describe('API keys', () => {
  test('a key that gets 401 leaves the rotation, loudly and by index; the next key serves', async () => {
    await upstream.clearRequests();
    const first = await chat('multi/gpt-4o-mini');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-nexus-attempts'), '2');
    for (let i = 0; i < 3; i++) {
      const r = await chat('multi/gpt-4o-mini');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-nexus-attempts'), '1');
    }
    const auths = (await upstream.requests()).map((r) => r.headers.authorization);
    assert.deepEqual(auths, ['Bearer sk-bad-first-key', ...Array(4).fill('Bearer sk-test-k2')]);
    assert.match(nexus.log(), /provider 'multi': API key #0 \(of 2\) was rejected with 401/);
    assert.doesNotMatch(nexus.log(), /sk-bad-first-key/);
  });

  test('all keys rejected: the provider is unavailable, named', async () => {
    assert.equal((await chat('allbad/gpt-4o-mini')).status, 401);
    const r = await chat('allbad/gpt-4o-mini');
    assert.equal(r.status, 503);
    assert.match((await r.json()).error.message, /provider 'allbad' is unavailable: all 2 API keys were rejected/);
    assert.doesNotMatch(nexus.log(), /sk-bad-[12]-secret/);
  });

  test('a key that gets 429 cools down for its retry-after; the other key is used meanwhile', async () => {
    await upstream.clearRequests();
    const r = await chat('rkeys429');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-nexus-attempts'), '3');  // r1, r2, then the fallback target
    const again = await chat('rkeys429');
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('x-nexus-attempts'), '1');  // both keys cooling: straight to the fallback
    const auths = (await upstream.requests()).filter((x) => x.body?.model === 'fail-429').map((x) => x.headers.authorization);
    assert.deepEqual(auths, ['Bearer sk-test-r1', 'Bearer sk-test-r2']);
  });
});

describe('a provider with one API key', () => {
  test('a 401 takes it out, loudly and by index; the provider then says its key was rejected; fallback skips it', async () => {
    await upstream.clearRequests();
    const first = await chat('solo/gpt-4o-mini');
    assert.equal(first.status, 401);
    const second = await chat('solo/gpt-4o-mini');
    assert.equal(second.status, 503);
    const err = (await second.json()).error;
    assert.equal(err.code, 'provider_unavailable');
    assert.match(err.message, /provider 'solo' is unavailable: its API key was rejected \(401\); fix it and reload/);
    const viaRoute = await chat('rsolo');
    assert.equal(viaRoute.status, 200);
    assert.equal(viaRoute.headers.get('x-nexus-provider'), 'good');
    assert.equal(viaRoute.headers.get('x-nexus-attempts'), '1');  // nothing was sent with the rejected key
    const sent = (await upstream.requests()).filter((r) => r.headers.authorization === 'Bearer sk-bad-solo-secret');
    assert.equal(sent.length, 1);
    assert.match(nexus.log(), /provider 'solo': API key #0 \(its only key\) was rejected with 401/);
    assert.doesNotMatch(nexus.log(), /sk-bad-solo-secret/);
  });

  test('a reload with a new key brings the provider back', async () => {
    writeFileSync(nexus.configPath, config({ soloKey: 'sk-test-solo-new' }).replaceAll('{{PORT}}', String(nexus.port)).replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
    assert.equal((await admin('/admin/reload', { method: 'POST' })).status, 200);
    const r = await chat('solo/gpt-4o-mini');
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal((await upstream.requests()).at(-1).headers.authorization, 'Bearer sk-test-solo-new');
  });
});

describe('admin endpoints', () => {
  test('need the admin key', async () => {
    assert.equal((await admin('/admin/targets', { key: null })).status, 401);
    assert.equal((await admin('/admin/targets', { key: 'wrong' })).status, 401);
    assert.equal((await admin('/admin/reload', { method: 'POST', key: 'wrong' })).status, 401);
    assert.equal((await admin('/admin/nothing')).status, 404);
  });

  test('POST /admin/reload: a bad file is refused with the reason and the old config stays', async () => {
    writeFileSync(nexus.configPath, yaml.replaceAll('{{PORT}}', String(nexus.port)).replace('max_attempts: 1}', 'max_attempts: 0}').replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
    const r = await admin('/admin/reload', { method: 'POST' });
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.equal(body.status, 'refused');
    assert.match(body.errors.join('\n'), /retry\.max_attempts': expected an integer >= 1/);
    assert.equal((await chat('r500')).status, 200);
  });

  test('POST /admin/reload applies a good file (here: one without admin.key, so /admin is gone)', async () => {
    writeFileSync(nexus.configPath, config({ admin: false }).replaceAll('{{PORT}}', String(nexus.port)).replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
    const r = await admin('/admin/reload', { method: 'POST' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'reloaded' });
    assert.equal((await admin('/admin/targets')).status, 404);
    assert.equal((await chat('good/gpt-4o-mini')).status, 200);
  });
});

test('the gateway stayed up and leaked no file descriptors', async () => {
  assert.equal(nexus.proc.exitCode, null);
  assert.equal((await fetch(`${nexus.url}/health`)).status, 200);
  // Idle pooled upstream connections stay for a while (GET /v1/models asked eight providers of
  // one upstream at once), and so do the test's own keep-alive connections; everything else is
  // exactly as it was. A leak per failed attempt would not be.
  const others = (f) => f.all - f.to([upstream.port]) - f.accepted(nexus.port);
  const after = await settled(fds, (f) => others(f) === others(fdsBefore));
  assert.equal(others(after), others(fdsBefore), 'descriptors other than connections');
  const pooled = after.to([upstream.port]);
  assert.ok(pooled <= 8 * 2, `${pooled} connections to the upstream (8 providers, 2 threads)`);
});
