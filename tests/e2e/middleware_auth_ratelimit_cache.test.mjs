// The built-in middleware through the real nexus process, the openai plugin, the fake OpenAI
// upstream and the official `openai` npm client: auth (virtual keys made by `nexus keys new`),
// ratelimit (rpm and tpm) and cache (hits, streamed replays, bypass, single flight). State is
// the host's in-memory key-value store; tests/e2e for Redis and two hosts live elsewhere.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { NEXUS_EXE, PLUGIN_DIR, run, startFake, startNexus } from './harness.mjs';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let upstream;
let nexus;
let keyA; // made by `nexus keys new --id team-a`
const keyB = 'nx-e2e-team-b-fixed-key';

// Waits until `windowMs` has at least `marginMs` left, so that a test's requests share one
// fixed window.
async function awayFromWindowEdge(windowMs, marginMs = 5000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 50);
}

const config = (upstreamUrl, keyLineA) => {
  const auth = `{auth: {keys: [${keyLineA.replace(/^- /, '')},
                          {id: team-b, hash: "sha256:${sha256(keyB)}", models: ["gpt-test", "cached-*"], metadata: {team: B}}]}}`;
  return `
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
log: {level: info}
plugins: {dir: "{{PLUGIN_DIR}}"}
state: {backend: memory}
providers:
  openai: {plugin: openai, base_url: "${upstreamUrl}/v1", keys: ["sk-test-upstream-key"]}
routes:
  - {model: gpt-test, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: other-model, targets: [{provider: openai, model: gpt-4o}]}
  - {model: limited-test, chain: limited, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: tokens-test, chain: tokens, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: cached-test, chain: cached, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: cached-slow, chain: cached, targets: [{provider: openai, model: slow-first-byte}]}
  - {model: cached-fail, chain: cached, retry: {max_attempts: 1}, targets: [{provider: openai, model: fail-500}]}
chains:
  default: [${auth}]
  limited: [${auth}, {ratelimit: {rpm: 3, window: 60s}}]
  tokens: [{ratelimit: {tpm: 50, key: client_ip, window: 1h}}]
  cached: [{cache: {ttl: 60s}}]
`;
};

before(async () => {
  const made = await run(NEXUS_EXE, ['keys', 'new', '--id', 'team-a']);
  assert.equal(made.code, 0, made.stderr);
  const [key, line] = made.stdout.trim().split('\n');
  keyA = key;
  upstream = await startFake('openai', ['--slow-ms', '400']);
  nexus = await startNexus(config(upstream.url, line));
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  if (nexus) rmSync(nexus.dir, { recursive: true, force: true });
  assert.equal(code, 0, `nexus exited with ${code}:\n${nexus?.log()}`);
});

const clientWith = (apiKey, extra = {}) =>
  new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey, maxRetries: 0, ...extra });

describe('nexus keys new', () => {
  test('prints a fresh nx- key and the config line holding only its SHA-256', async () => {
    const a = await run(NEXUS_EXE, ['keys', 'new', '--id', 'ops.team_1']);
    const b = await run(NEXUS_EXE, ['keys', 'new']);
    assert.equal(a.code, 0);
    const [key, line] = a.stdout.trim().split('\n');
    assert.match(key, /^nx-[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(line, `- {id: ops.team_1, hash: "sha256:${sha256(key)}"}`);
    assert.match(a.stderr, /shown only now/);
    const [keyB2, lineB2] = b.stdout.trim().split('\n');
    assert.notEqual(keyB2, key);
    assert.match(lineB2, /^- \{id: key-[0-9a-f]{8}, hash: "sha256:[0-9a-f]{64}"\}$/);
  });

  test('refuses a bad id', async () => {
    const r = await run(NEXUS_EXE, ['keys', 'new', '--id', 'no spaces']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--id 'no spaces' is not a valid id/);
    assert.equal(r.stdout, '');
  });
});

describe('auth', () => {
  test('a valid key via Authorization: Bearer reaches the upstream, which never sees it', async () => {
    await upstream.clearRequests();
    const data = await clientWith(keyA).chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'auth bearer' }],
    });
    assert.equal(data.choices[0].message.content, 'You said: auth bearer');
    const [req] = await upstream.requests();
    assert.equal(req.headers.authorization, 'Bearer sk-test-upstream-key');
    assert.ok(!JSON.stringify(req).includes(keyA));
  });

  test('a valid key via x-api-key', async () => {
    const res = await fetch(`${nexus.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keyB },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'auth x-api-key' }] }),
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).choices[0].message.content, 'You said: auth x-api-key');
    // The openai SDK always sends a Bearer token; a wrong one does not hide a good x-api-key.
    const data = await clientWith('nx-wrong', { defaultHeaders: { 'x-api-key': keyB } }).chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'both headers' }],
    });
    assert.equal(data.choices[0].message.content, 'You said: both headers');
  });

  test('an Anthropic client authenticates with x-api-key, and gets its own 401 shape', async () => {
    const anthropic = (apiKey) => new Anthropic({ baseURL: nexus.url, apiKey, maxRetries: 0 });
    const msg = await anthropic(keyB).messages.create({
      model: 'gpt-test',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'from anthropic' }],
    });
    assert.equal(msg.content[0].text, 'You said: from anthropic');
    await assert.rejects(
      anthropic('nx-nope').messages.create({ model: 'gpt-test', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof Anthropic.AuthenticationError);
        assert.equal(err.error.type, 'error');
        assert.equal(err.error.error.type, 'authentication_error');
        assert.equal(err.error.error.message, 'invalid or missing API key');
        return true;
      },
    );
  });

  test('a missing or unknown key is a 401 that says nothing more', async () => {
    await upstream.clearRequests();
    const missing = await fetch(`${nexus.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'no key' }] }),
    });
    assert.equal(missing.status, 401);
    const body = await missing.json();
    assert.deepEqual(body.error.message, 'invalid or missing API key');
    assert.equal(body.error.type, 'authentication_error');

    const unknown = 'nx-not-a-key-we-issued-0123456789';
    await assert.rejects(
      clientWith(unknown).chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.AuthenticationError);
        assert.equal(err.status, 401);
        assert.equal(err.error.message, 'invalid or missing API key');
        assert.ok(!JSON.stringify(err.error).includes(unknown));
        return true;
      },
    );
    assert.deepEqual(await upstream.requests(), [], 'nothing went upstream');
    assert.ok(!nexus.log().includes(unknown), 'the key is not logged');
  });

  test('a key limited to some models gets 403 for the others', async () => {
    await assert.rejects(
      clientWith(keyB).chat.completions.create({ model: 'other-model', messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.PermissionDeniedError);
        assert.equal(err.status, 403);
        assert.equal(err.error.message, "key 'team-b' may not use model 'other-model'");
        return true;
      },
    );
    // team-a has no model list.
    const ok = await clientWith(keyA).chat.completions.create({ model: 'other-model', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ok.choices[0].finish_reason, 'stop');
  });
});

describe('ratelimit', () => {
  test('rpm: 3 -> the 4th request in the window is a 429 with Retry-After and x-ratelimit-* headers', async () => {
    await awayFromWindowEdge(60_000);
    const client = clientWith(keyA);
    const ask = () =>
      client.chat.completions.create({ model: 'limited-test', messages: [{ role: 'user', content: 'count me' }] }).withResponse();
    for (let i = 1; i <= 3; i++) {
      const { response } = await ask();
      assert.equal(response.headers.get('x-ratelimit-limit-requests'), '3');
      assert.equal(response.headers.get('x-ratelimit-remaining-requests'), String(3 - i));
      assert.match(response.headers.get('x-ratelimit-reset-requests'), /^\d+s$/);
    }
    await assert.rejects(ask(), (err) => {
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.status, 429);
      assert.match(err.error.message, /^Rate limit reached for virtual key 'team-a': 3 requests per 60s\. Retry in \d+s\.$/);
      assert.equal(err.error.type, 'rate_limit_error');
      const retry = Number(err.headers.get('retry-after'));
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.equal(err.headers.get('x-ratelimit-limit-requests'), '3');
      assert.equal(err.headers.get('x-ratelimit-remaining-requests'), '0');
      return true;
    });
    // Another key has its own counter.
    const { response } = await clientWith(keyB, { defaultHeaders: {} }).chat.completions
      .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    assert.equal(response.status, 200);
  });

  test('tpm: the estimate is reserved up front, settled with the real usage', async () => {
    await awayFromWindowEdge(3_600_000);
    const client = clientWith('unused');
    const first = await client.chat.completions
      .create({ model: 'tokens-test', messages: [{ role: 'user', content: 'tokens' }] })
      .withResponse();
    assert.equal(first.response.headers.get('x-ratelimit-limit-tokens'), '50');
    const used = first.data.usage.prompt_tokens + first.data.usage.completion_tokens;
    const second = await client.chat.completions
      .create({ model: 'tokens-test', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    // After the first settled: its real usage, plus the second's reservation: the host's
    // prompt_tokens_estimate (host/core/token_estimate.cpp: 3 priming + 4 per message +
    // ceil(chars / 4)) = 3 + 4 + 1 for one message "hi".
    assert.equal(second.response.headers.get('x-ratelimit-remaining-tokens'), String(Math.max(0, 50 - used - 8)));

    await assert.rejects(
      client.chat.completions.create({ model: 'tokens-test', messages: [{ role: 'user', content: 'x'.repeat(1000) }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.RateLimitError);
        // the host's estimate: 3 + 4 + ceil(1000 / 4)
        assert.match(err.error.message, /^Request too large for client 127\.0\.0\.1: about 257 tokens, over the limit of 50 tokens per 3600s\.$/);
        assert.ok(err.headers.get('retry-after'));
        assert.equal(err.headers.get('x-ratelimit-limit-tokens'), '50');
        return true;
      },
    );
  });
});

describe('cache', () => {
  let cached;
  before(() => {
    cached = clientWith('unused');
  });

  test('a second identical request is a hit; the upstream saw one request', async () => {
    await upstream.clearRequests();
    const body = { model: 'cached-test', messages: [{ role: 'user', content: 'cache me once' }], temperature: 0 };
    const first = await cached.chat.completions.create(body).withResponse();
    assert.equal(first.response.headers.get('x-nexus-cache'), 'miss');
    const second = await cached.chat.completions.create({ ...body, user: 'someone-else' }).withResponse();
    assert.equal(second.response.headers.get('x-nexus-cache'), 'hit');
    assert.deepEqual(second.data, first.data);
    assert.equal((await upstream.requests()).length, 1);
  });

  test('a streamed request after a plain one is served from the cache as a proper stream', async () => {
    await upstream.clearRequests();
    const messages = [{ role: 'user', content: 'stream me from the cache' }];
    const plain = await cached.chat.completions.create({ model: 'cached-test', messages });
    const { data: stream, response } = await cached.chat.completions
      .create({ model: 'cached-test', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    assert.equal(response.headers.get('x-nexus-cache'), 'hit');
    assert.match(response.headers.get('content-type'), /text\/event-stream/);
    let text = '';
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        text += c.delta?.content ?? '';
        finish = c.finish_reason ?? finish;
      }
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, plain.choices[0].message.content);
    assert.equal(finish, 'stop');
    assert.deepEqual(usage, plain.usage);
    assert.equal((await upstream.requests()).length, 1);
  });

  test('a streamed answer is assembled and stored: the plain request after it is a hit', async () => {
    await upstream.clearRequests();
    const messages = [{ role: 'user', content: 'first as a stream' }];
    const stream = await cached.chat.completions.create({ model: 'cached-test', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    const { data, response } = await cached.chat.completions.create({ model: 'cached-test', messages }).withResponse();
    assert.equal(response.headers.get('x-nexus-cache'), 'hit');
    assert.equal(data.choices[0].message.content, text);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.equal((await upstream.requests()).length, 1);
  });

  test('x-nexus-cache: bypass and Cache-Control: no-cache go upstream', async () => {
    await upstream.clearRequests();
    const body = { model: 'cached-test', messages: [{ role: 'user', content: 'bypass me' }] };
    await cached.chat.completions.create(body);
    const bypass = await cached.chat.completions.create(body, { headers: { 'x-nexus-cache': 'bypass' } }).withResponse();
    assert.equal(bypass.response.headers.get('x-nexus-cache'), 'bypass');
    const noCache = await cached.chat.completions.create(body, { headers: { 'cache-control': 'no-cache' } }).withResponse();
    assert.equal(noCache.response.headers.get('x-nexus-cache'), 'bypass');
    assert.equal((await upstream.requests()).length, 3);
    const hit = await cached.chat.completions.create(body).withResponse();
    assert.equal(hit.response.headers.get('x-nexus-cache'), 'hit');
    assert.equal((await upstream.requests()).length, 3);
  });

  test('a burst of 5 identical requests to a slow upstream makes one upstream call', async () => {
    await upstream.clearRequests();
    const body = { model: 'cached-slow', messages: [{ role: 'user', content: 'burst' }] };
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => cached.chat.completions.create(body).withResponse()),
    );
    assert.ok(Date.now() - started >= 400, 'the upstream was slow, so the others waited for the first');
    assert.equal((await upstream.requests()).length, 1);
    const states = results.map((r) => r.response.headers.get('x-nexus-cache')).sort();
    assert.deepEqual(states, ['hit', 'hit', 'hit', 'hit', 'miss']);
    for (const r of results) assert.equal(r.data.choices[0].message.content, 'You said: burst');
  });

  test('when the first of a burst fails, the ones waiting for it go upstream themselves', async () => {
    await upstream.clearRequests();
    const body = { model: 'cached-slow', messages: [{ role: 'user', content: 'leader gives up' }] };
    const abort = new AbortController();
    const leader = cached.chat.completions.create(body, { signal: abort.signal });
    await sleep(100);
    const waiters = [cached.chat.completions.create(body).withResponse(), cached.chat.completions.create(body).withResponse()];
    await sleep(100);
    abort.abort();
    await assert.rejects(leader, OpenAI.APIUserAbortError);
    const results = await Promise.all(waiters);
    for (const r of results) {
      assert.equal(r.response.headers.get('x-nexus-cache'), 'miss');
      assert.equal(r.data.choices[0].message.content, 'You said: leader gives up');
    }
    assert.equal((await upstream.requests()).length, 3, 'the cancelled leader and both waiters');
  });

  test('upstream errors are not cached', async () => {
    await upstream.clearRequests();
    const body = { model: 'cached-fail', messages: [{ role: 'user', content: 'fail' }] };
    for (let i = 0; i < 2; i++) {
      await assert.rejects(cached.chat.completions.create(body).withResponse(), (err) => {
        assert.ok(err.status >= 500, `status ${err.status}`);
        assert.equal(err.headers.get('x-nexus-cache'), 'miss');
        return true;
      });
    }
    assert.equal((await upstream.requests()).length, 2);
  });
});

describe('bad middleware settings stop the gateway at start', () => {
  for (const [chain, message] of [
    ['[{ratelimit: {rpm: 0}}]', "ratelimit: 'rpm': expected an integer from 1 to 1125899906842624, found the number 0"],
    ['[{cache: {ttl: soon}}]', "cache: 'ttl': expected a duration such as 300s, 5m or a number of seconds, found a string \"soon\""],
    ['[{auth: {keys: [{id: a, hash: "sha256:12"}]}}]', "auth: 'keys[0].hash': expected \"sha256:\" followed by 64 hex digits, found a string of 9 characters"],
  ]) {
    test(chain, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'nexus-e2e-'));
      const file = path.join(dir, 'nexus.yaml');
      writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nplugins: {dir: "${PLUGIN_DIR}"}\nchains:\n  default: ${chain}\n`);
      const r = await run(NEXUS_EXE, ['serve', '-c', file], { timeoutMs: 15000 });
      rmSync(dir, { recursive: true, force: true });
      assert.notEqual(r.code, 0);
      assert.ok((r.stdout + r.stderr).includes(message), r.stdout + r.stderr);
    });
  }
});
