// The sanitize and audit middleware in the real nexus process, driven by the official
// `openai` SDK against the fake OpenAI upstream: the upstream sees redacted prompts, a
// block rule answers 400 naming the rule (never the text), answers are redacted in streams
// across chunk boundaries, reversible placeholders come back as the originals, and the audit
// log has one verifiable line per request without any key in it.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { NEXUS_EXE, run, startFake, startNexus } from './harness.mjs';

const UPSTREAM_KEY = 'sk-test-upstream-key-9f8e7d6c5b4a';
const CLIENT_KEY = 'sk-client-key-not-forwarded-1234567890';

let upstream;
let nexus;
let client;
let auditDir;
let auditPath;
const requestIds = []; // every request sent, in order, with what the audit line must say

const config = (upstreamUrl, audit) => `
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  openai: {plugin: openai, base_url: "${upstreamUrl}/v1", keys: ["${UPSTREAM_KEY}"]}
routes:
  - {model: gpt-test, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: gpt-block, chain: blocking, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: gpt-echo, chain: echo, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: gpt-rev, chain: reversible, targets: [{provider: openai, model: gpt-4o-mini}]}
chains:
  default:
    - {audit: {path: "${audit}", fsync: always, capture: {prompt: true, response: true}}}
    - {sanitize: {pii: redact}}
  blocking:
    - {audit: {path: "${audit}", fsync: always, capture: {prompt: true, response: true}}}
    - {sanitize: {rules: {credit_card: block}}}
  echo:
    - {audit: {path: "${audit}", fsync: always, capture: {prompt: true, response: true}}}
    - {sanitize: {pii: "off", custom: [{name: echo, pattern: "You said"}]}}
  # With reversible placeholders audit comes after sanitize, so that it records the
  # placeholders and not the originals the client gets back.
  reversible:
    - {sanitize: {reversible: true}}
    - {audit: {path: "${audit}", fsync: always, capture: {prompt: true, response: true}}}
`;

before(async () => {
  upstream = await startFake('openai');
  auditDir = mkdtempSync(path.join(os.tmpdir(), 'nexus-audit-e2e-'));
  auditPath = path.join(auditDir, 'audit.jsonl');
  nexus = await startNexus(config(upstream.url, auditPath));
  client = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  assert.equal(code, 0, `nexus exited with ${code}:\n${nexus?.log()}`);
});

async function chat(model, content, extra = {}) {
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content }], ...extra })
    .withResponse();
  requestIds.push(response.headers.get('x-request-id'));
  return data;
}

async function streamChat(model, content) {
  const { data: stream, response } = await client.chat.completions
    .create({ model, stream: true, messages: [{ role: 'user', content }] })
    .withResponse();
  requestIds.push(response.headers.get('x-request-id'));
  const pieces = [];
  for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta?.content ?? '');
  return pieces;
}

async function auditLines(count) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const text = existsSync(auditPath) ? readFileSync(auditPath, 'utf8') : '';
    const lines = text.split('\n').filter((l) => l.length > 0);
    if (lines.length >= count || Date.now() > deadline) return { text, lines };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sanitize', () => {
  test('the upstream receives the prompt redacted', async () => {
    await upstream.clearRequests();
    const data = await chat('gpt-test', 'mail alice@example.com, card 4111 1111 1111 1111, ssn 123-45-6789');
    const [req] = await upstream.requests();
    assert.equal(req.body.messages[0].content, 'mail [EMAIL], card [CREDIT_CARD], ssn [SSN]');
    assert.ok(!JSON.stringify(req).includes('alice@example.com'));
    assert.equal(data.choices[0].message.content, 'You said: mail [EMAIL], card [CREDIT_CARD], ssn [SSN]');
  });

  test('a block rule answers 400 naming the rule, never the matched text, and nothing goes upstream', async () => {
    await upstream.clearRequests();
    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-block',
        messages: [{ role: 'user', content: 'charge 4111-1111-1111-1111 please' }],
      }),
      (err) => {
        assert.equal(err.status, 400);
        assert.equal(err.error?.type, 'invalid_request_error');
        assert.match(err.message, /request blocked by sanitize rule 'credit_card'/);
        assert.ok(!JSON.stringify(err.error).includes('4111'));
        requestIds.push(err.headers?.get?.('x-request-id') ?? err.headers?.['x-request-id']);
        return true;
      },
    );
    assert.deepEqual(await upstream.requests(), []);
  });

  test('a streamed answer is redacted across chunk boundaries', async () => {
    // The fake streams "You", " said:", " hello", ...: the rule's match spans two chunks.
    const pieces = await streamChat('gpt-echo', 'hello there friend');
    assert.equal(pieces.join(''), '[ECHO]: hello there friend');
    assert.ok(!pieces.some((p) => p.includes('You') || p.includes('said')));
    const data = await chat('gpt-echo', 'hello again');
    assert.equal(data.choices[0].message.content, '[ECHO]: hello again');
  });

  test('a streamed prompt with an email never shows it to the client', async () => {
    const pieces = await streamChat('gpt-test', 'reach me at carol@example.org tomorrow');
    assert.equal(pieces.join(''), 'You said: reach me at [EMAIL] tomorrow');
  });

  test('reversible: the upstream sees placeholders, the client gets the originals back', async () => {
    await upstream.clearRequests();
    const data = await chat('gpt-rev', 'write to bob@example.com and bob@example.com');
    const [req] = await upstream.requests();
    assert.equal(req.body.messages[0].content, 'write to [EMAIL_1] and [EMAIL_1]');
    assert.equal(data.choices[0].message.content, 'You said: write to bob@example.com and bob@example.com');
    const pieces = await streamChat('gpt-rev', 'call +1 415 555 2671 or dave@example.net');
    assert.equal(pieces.join(''), 'You said: call +1 415 555 2671 or dave@example.net');
  });
});

describe('audit', () => {
  test('one line per request, with the right fields and no secrets', async () => {
    const { text, lines } = await auditLines(requestIds.length);
    assert.equal(lines.length, requestIds.length, text);
    const records = lines.map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.request_id), requestIds);
    for (const r of records) {
      assert.equal(r.v, 2);
      assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(r.client_ip, '127.0.0.1');
      assert.equal(r.ingress, 'openai');
      assert.match(r.prev, /^[0-9a-f]{64}$/);
      assert.match(r.hash, /^[0-9a-f]{64}$/);
      assert.equal(typeof r.latency_ms, 'number');
    }
    const [first, blocked, echoStream] = records;
    assert.equal(first.genesis, '0'.repeat(64));
    assert.equal(first.model, 'gpt-test');
    assert.equal(first.route, 'gpt-test');
    assert.equal(first.provider, 'openai');
    assert.equal(first.upstream_model, 'gpt-4o-mini');
    assert.equal(first.outcome, 'ok');
    assert.equal(first.status, 200);
    assert.equal(first.error_class, null);
    assert.equal(first.stream, false);
    assert.equal(first.attempts.length, 1);
    assert.equal(first.attempts[0].provider, 'openai');
    assert.equal(first.attempts[0].model, 'gpt-4o-mini');
    assert.equal(first.attempts[0].outcome, 'ok');
    assert.equal(first.attempts[0].status, 200);
    assert.ok(first.attempts[0].ms >= 0);
    assert.equal(first.cache_hit, false);
    assert.equal(first.redactions, 3);
    assert.ok(first.prompt_tokens > 0 && first.completion_tokens > 0);
    assert.deepEqual(first.prompt, ['mail [EMAIL], card [CREDIT_CARD], ssn [SSN]']);
    assert.deepEqual(first.response, ['You said: mail [EMAIL], card [CREDIT_CARD], ssn [SSN]']);

    assert.equal(blocked.outcome, 'rejected');
    assert.equal(blocked.status, 400);
    assert.equal(blocked.provider, null);
    assert.deepEqual(blocked.attempts, []);
    assert.deepEqual(blocked.prompt, ['charge [CREDIT_CARD] please'], 'a blocked prompt is logged redacted');

    assert.equal(echoStream.stream, true);
    assert.deepEqual(echoStream.response, ['[ECHO]: hello there friend']);

    const rev = records.find((r) => r.model === 'gpt-rev');
    assert.deepEqual(rev.prompt, ['write to [EMAIL_1] and [EMAIL_1]']);
    assert.deepEqual(rev.response, ['You said: write to [EMAIL_1] and [EMAIL_1]']);

    for (const secret of [UPSTREAM_KEY, CLIENT_KEY, 'alice@example.com', 'bob@example.com', '4111']) {
      assert.ok(!text.includes(secret), `the audit log contains ${secret}`);
    }
  });

  test('nexus audit verify passes, and fails after a line is edited or deleted', async () => {
    const { lines } = await auditLines(requestIds.length);
    const ok = await run(NEXUS_EXE, ['audit', 'verify', auditPath]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^ok: ${lines.length} records`));

    const edited = path.join(auditDir, 'edited.jsonl');
    const changed = [...lines];
    changed[1] = changed[1].replace('"status":400', '"status":200');
    writeFileSync(edited, changed.join('\n') + '\n');
    const bad = await run(NEXUS_EXE, ['audit', 'verify', edited]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /edited\.jsonl:2: hash mismatch/);

    const deleted = path.join(auditDir, 'deleted.jsonl');
    writeFileSync(deleted, lines.filter((_, i) => i !== 2).join('\n') + '\n');
    const gap = await run(NEXUS_EXE, ['audit', 'verify', deleted]);
    assert.equal(gap.code, 1);
    assert.match(gap.stderr, /deleted\.jsonl:3: "prev" does not match the hash of line 2/);

    copyFileSync(auditPath, path.join(auditDir, 'copy.jsonl'));
    const copy = await run(NEXUS_EXE, ['audit', 'verify', path.join(auditDir, 'copy.jsonl')]);
    assert.equal(copy.code, 0);
  });
});
