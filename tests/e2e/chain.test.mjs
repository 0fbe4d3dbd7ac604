// Chain semantics with the probe middleware (tests/plugins/mw_probe.cpp) in front of the fake
// OpenAI upstream: order in and out, short-circuit, reject, PENDING, failures in hooks
// (fail_closed / fail_open), chunk modify / drop / abort, and a chain named by a middleware.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { PLUGIN_DIR, startFake, startNexus } from './harness.mjs';

const TEST_PLUGIN_DIR = process.env.NEXUS_TEST_PLUGIN_DIR ?? path.resolve(PLUGIN_DIR, '../test-plugins');

let upstream;
let nexus;
let client;

before(async () => {
  // A plugin dir with the openai provider and the probe middleware only.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nexus-chain-plugins-'));
  symlinkSync(path.join(PLUGIN_DIR, 'nexus_openai.so'), path.join(dir, 'nexus_openai.so'));
  symlinkSync(path.join(TEST_PLUGIN_DIR, 'nexus_mw_probe.so'), path.join(dir, 'nexus_mw_probe.so'));
  symlinkSync(path.join(PLUGIN_DIR, 'nexus_auth.so'), path.join(dir, 'nexus_auth.so'));
  const hash = (k) => `sha256:${createHash('sha256').update(k).digest('hex')}`;
  upstream = await startFake('openai', ['--chunk-delay-ms', '5']);
  const route = (model, chain) => `  - {model: ${model}, chain: ${chain}, targets: [{provider: openai, model: gpt-4o-mini}]}\n`;
  nexus = await startNexus(`
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "${dir}"}
providers:
  openai: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-chain"]}
routes:
${route('ordered', 'ordered')}${route('short', 'short')}${route('rejecting', 'rejecting')}${route('pending', 'pending')}${route('pending-no', 'pending_no')}${route('boom', 'boom')}${route('boom-open', 'boom_open')}${route('upper', 'upper')}${route('dropping', 'dropping')}${route('aborting', 'aborting')}${route('outboom', 'outboom')}${route('keyed', 'keyed')}
chains:
  default: []
  ordered: [{mw_probe: {tag: a}}, {mw_probe: {tag: b}}, {mw_probe: {tag: c}}]
  short: [{mw_probe: {tag: a}}, {mw_probe: {tag: b, on_request: respond}}, {mw_probe: {tag: c}}]
  rejecting: [{mw_probe: {tag: a}}, {mw_probe: {tag: b, on_request: reject}}]
  pending: [{mw_probe: {tag: a, on_request: pending}}, {mw_probe: {tag: b}}]
  pending_no: [{mw_probe: {tag: a, on_request: pending_reject}}, {mw_probe: {tag: b}}]
  boom: [{mw_probe: {tag: a, on_request: throw}}]
  boom_open: [{mw_probe: {tag: a, on_request: throw, on_error: fail_open}}, {mw_probe: {tag: b}}]
  upper: [{mw_probe: {tag: a, on_chunk: upper}}]
  dropping: [{mw_probe: {tag: a, on_chunk: drop_first}}]
  aborting: [{mw_probe: {tag: a, on_chunk: abort}}]
  outboom: [{mw_probe: {tag: a, on_response: throw}}]
  keyed: [{auth: {keys: [{id: plain, hash: "${hash('nx-plain')}"}, {id: gold, hash: "${hash('nx-gold')}", chain: gold}]}}, {mw_probe: {tag: r}}]
  gold: [{mw_probe: {tag: g}}]
`);
  client = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: 'x', maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  assert.equal(code, 0, nexus?.log());
});

const chat = (model, extra = {}) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello chain' }], ...extra }).withResponse();

describe('request and response order', () => {
  test('hooks run in order on the way in and in reverse on the way out', async () => {
    const { data, response } = await chat('ordered');
    assert.equal(data.choices[0].message.content, 'You said: hello chain');
    assert.equal(response.headers.get('x-probe-trace'), '>a>b>c<c<b<a');
  });

  test('RESPOND short-circuits: no upstream call; earlier middleware still sees the response', async () => {
    await upstream.clearRequests();
    const { data, response } = await chat('short');
    assert.equal(data.choices[0].message.content, 'answered by b');
    assert.equal(response.headers.get('x-probe-trace'), '>a>b<a');
    assert.equal((await upstream.requests()).length, 0);
  });

  test('a short-circuit answer is replayed as a proper stream', async () => {
    const stream = await client.chat.completions.create({ model: 'short', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'answered by b');
  });

  test('REJECT returns the middleware error in the client format', async () => {
    await assert.rejects(chat('rejecting'), (e) => e.status === 403 && /blocked by b/.test(e.message));
  });

  test('PENDING resumes from another thread and continues', async () => {
    const { response } = await chat('pending');
    assert.equal(response.headers.get('x-probe-trace'), '>a>b<b<a');
  });

  test('PENDING that resumes with REJECT rejects', async () => {
    await assert.rejects(chat('pending-no'), (e) => e.status === 429 && /pending probe a said no/.test(e.message));
  });
});

describe('a chain per virtual key', () => {
  const keyed = (key) =>
    new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: key, maxRetries: 0 }).chat.completions
      .create({ model: 'keyed', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();

  test("a key's own chain runs after the route's chain", async () => {
    assert.equal((await keyed('nx-gold')).response.headers.get('x-probe-trace'), '>r>g<g<r');
  });

  test('a key without a chain runs the route chain only', async () => {
    assert.equal((await keyed('nx-plain')).response.headers.get('x-probe-trace'), '>r<r');
  });
});

describe('failures inside hooks are contained', () => {
  test('a throwing hook fails closed by default with a 500 naming the middleware', async () => {
    await assert.rejects(chat('boom'), (e) => e.status === 500 && /mw_probe/.test(e.message) && /exploded/.test(e.message));
  });

  test('on_error: fail_open lets the request through', async () => {
    const { response } = await chat('boom-open');
    assert.match(response.headers.get('x-probe-trace'), />b/);
  });

  test('a throwing on_response fails the request, and the process stays up', async () => {
    await assert.rejects(chat('outboom'), (e) => e.status === 500);
    const { data } = await chat('ordered');
    assert.ok(data.choices.length === 1);
  });
});

describe('stream chunks', () => {
  const streamText = async (model) => {
    const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hello chain' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    return text;
  };

  test('on_chunk may modify each chunk', async () => {
    assert.equal(await streamText('upper'), 'YOU SAID: HELLO CHAIN');
  });

  test('on_chunk may drop a chunk', async () => {
    // the first chunk (role, empty content) is dropped; the text is intact
    assert.equal(await streamText('dropping'), 'You said: hello chain');
  });

  test('on_chunk may abort the stream with an in-band error', async () => {
    await assert.rejects(streamText('aborting'), (e) => /stream aborted by a/.test(e.message));
  });
});

describe('on_complete', () => {
  test('runs for every request with its outcome, visible in /metrics', async () => {
    const metrics = await (await fetch(`${nexus.url}/metrics`)).text();
    assert.match(metrics, /probe_complete_total\{tag="a",outcome="ok"\} [1-9]/);
    assert.match(metrics, /probe_complete_total\{tag="b",outcome="responded"\} [1-9]/);
    assert.match(metrics, /probe_complete_total\{tag="b",outcome="rejected"\} [1-9]/);
    assert.match(metrics, /nexus_middleware_hook_seconds_bucket\{middleware="mw_probe",hook="on_request"/);
  });
});
