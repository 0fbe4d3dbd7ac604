// Two nexus hosts share one real redis-server (started here on a free loopback port): one rate
// limit and one cache across both; Redis stopped mid-test gives the configured behaviour
// (rate limiter fails closed, cache fails open), no crash; Redis back, everything works again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { freePort, startFake, startNexus } from './harness.mjs';

let redisPort;
let redis;
let upstream;
const hosts = [];

async function startRedis() {
  const proc = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10000);
    proc.on('error', (e) => reject(new Error(`cannot run redis-server (scripts/install-deps.sh installs it): ${e.message}`)));
    proc.stdout.on('data', (b) => {
      out += b;
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return proc;
}

const stopRedis = () =>
  new Promise((resolve) => {
    if (!redis || redis.exitCode !== null) return resolve();
    redis.on('exit', resolve);
    redis.kill('SIGTERM');
  });

before(async () => {
  redisPort = await freePort();
  redis = await startRedis();
  upstream = await startFake('openai');
  for (let i = 0; i < 2; i++) {
    hosts.push(
      await startNexus(`
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "{{PLUGIN_DIR}}"}
state: {backend: redis, url: "redis://127.0.0.1:${redisPort}"}
providers:
  openai: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-redis"]}
routes:
  - {model: limited, chain: limited, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: cached, chain: cached, targets: [{provider: openai, model: gpt-4o-mini}]}
chains:
  limited: [{ratelimit: {rpm: 5, key: route}}]
  cached: [{cache: {ttl: 60s}}]
`),
    );
  }
});

after(async () => {
  for (const h of hosts) assert.equal(await h.stop(), 0, h.log());
  upstream?.stop();
  await stopRedis();
});

const client = (i) => new OpenAI({ baseURL: `${hosts[i].url}/v1`, apiKey: 'x', maxRetries: 0 });
const ask = (i, model, content = 'shared state') =>
  client(i).chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();

describe('two hosts, one redis', () => {
  test('one rate limit: 5 requests per minute across both hosts, the 6th is refused', async () => {
    for (let n = 0; n < 5; n++) {
      const { response } = await ask(n % 2, 'limited');
      assert.equal(response.headers.get('x-ratelimit-remaining-requests'), String(4 - n));
    }
    await assert.rejects(ask(1, 'limited'), (e) => e instanceof OpenAI.RateLimitError && Number(e.headers.get('retry-after')) > 0);
    await assert.rejects(ask(0, 'limited'), OpenAI.RateLimitError);
  });

  test('one cache: what host A stored, host B serves', async () => {
    await upstream.clearRequests();
    const a = await ask(0, 'cached', 'cache across hosts');
    assert.equal(a.response.headers.get('x-nexus-cache'), 'miss');
    let b;
    for (let i = 0; i < 20; i++) {
      // the store is written at completion; give it a moment
      b = await ask(1, 'cached', 'cache across hosts');
      if (b.response.headers.get('x-nexus-cache') === 'hit') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(b.response.headers.get('x-nexus-cache'), 'hit');
    assert.equal(b.data.choices[0].message.content, a.data.choices[0].message.content);
    const seen = (await upstream.requests()).filter((r) => r.body.messages?.[0]?.content === 'cache across hosts');
    assert.equal(seen.length, 1);
  });

  test('redis down: the limiter fails closed with a clear 503, the cache fails open, nobody crashes', async () => {
    await stopRedis();
    await assert.rejects(ask(0, 'limited'), (e) => e.status === 503 && /rate limiter unavailable/.test(e.message));
    const { data } = await ask(1, 'cached', 'redis is down');
    assert.equal(data.choices[0].message.content, 'You said: redis is down');
    for (const h of hosts) assert.equal((await fetch(`${h.url}/health`)).status, 200);
  });

  test('redis back: shared state works again without a restart', async () => {
    redis = await startRedis();
    let ok = false;
    for (let i = 0; i < 60 && !ok; i++) {
      // reconnection backs off up to ~2 s
      try {
        await ask(i % 2, 'cached', `after restart ${i}`);
        const again = await ask((i + 1) % 2, 'cached', `after restart ${i}`);
        ok = again.response.headers.get('x-nexus-cache') === 'hit';
      } catch {
        /* still reconnecting */
      }
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ok, 'the cache works across hosts again once redis is back');
  });
});
