// Reload under load loses no request: the npm openai client keeps a steady stream of
// concurrent requests (streaming and not) going while the config is swapped several times,
// by POST /admin/reload and by SIGHUP, between two configs that route the same model to
// different upstream models with different API keys. Every request succeeds, every stream
// ends with its finish chunk, and a stream that started before a reload finishes on the
// runtime it started with (its model and key), while requests after it get the new one. The
// audit log, shared by the runtimes, has one record per request and still verifies, and the
// reloads leave no descriptor behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { NEXUS_EXE, PLUGIN_DIR, processFds, run, settled, startFake, startNexus } from './harness.mjs';

const ADMIN = 'adm-reload-load';
const WORKERS = 6;
const RELOADS = 8;

let upstream;
let nexus;
let client;
let auditDir;

// Two configs: the route `live` goes to a different upstream model with a different key.
const VERSIONS = {
  a: { model: 'gpt-4o-mini', key: 'sk-test-version-a' },
  b: { model: 'gpt-4o', key: 'sk-test-version-b' },
};
const config = (v) => `
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "{{PLUGIN_DIR}}"}
admin: {key: "${ADMIN}"}
providers:
  up: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["${VERSIONS[v].key}"]}
routes:
  - {model: live, targets: [{provider: up, model: ${VERSIONS[v].model}}]}
chains:
  default: [{audit: {path: "${path.join(auditDir, 'audit.jsonl')}", fsync: never}}]
`;
const writeConfig = (v) =>
  writeFileSync(nexus.configPath, config(v).replaceAll('{{PORT}}', String(nexus.port)).replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function reloadByPost() {
  const r = await fetch(`${nexus.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), { status: 'reloaded' });
}

async function reloadBySighup() {
  const before = (nexus.log().match(/reloaded /g) ?? []).length;
  nexus.proc.kill('SIGHUP');
  for (let i = 0; i < 200 && (nexus.log().match(/reloaded /g) ?? []).length === before; i++) await sleep(10);
  assert.equal((nexus.log().match(/reloaded /g) ?? []).length, before + 1, 'SIGHUP reloaded');
}

// One streamed answer: its chunks' model, its text, and whether it finished.
async function streamOnce(content, onFirstChunk) {
  const stream = await client.chat.completions.create({ model: 'live', stream: true, messages: [{ role: 'user', content }] });
  const models = new Set();
  let text = '';
  let finish = null;
  let first = true;
  for await (const chunk of stream) {
    models.add(chunk.model);
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (first && onFirstChunk) await onFirstChunk();
    first = false;
  }
  return { models: [...models], text, finish };
}

before(async () => {
  upstream = await startFake('openai', ['--chunk-delay-ms', '25']);
  auditDir = mkdtempSync(path.join(os.tmpdir(), 'nexus-reload-load-'));
  nexus = await startNexus(config('a').replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
  client = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: 'sk-client-not-forwarded', maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  assert.equal(code, 0, nexus?.log());
});

test('a stream that started before a reload finishes on the old runtime; the next request gets the new one', async () => {
  await upstream.clearRequests();
  const words = 'one two three four five six seven eight nine ten eleven twelve';
  const s = await streamOnce(words, async () => {
    writeConfig('b');
    await reloadByPost();
  });
  assert.deepEqual(s.models, ['gpt-4o-mini']);
  assert.equal(s.text, `You said: ${words}`);
  assert.equal(s.finish, 'stop');
  const next = await client.chat.completions.create({ model: 'live', messages: [{ role: 'user', content: 'after' }] });
  assert.equal(next.model, 'gpt-4o');
  const keys = (await upstream.requests()).map((r) => r.headers.authorization);
  assert.deepEqual(keys, [`Bearer ${VERSIONS.a.key}`, `Bearer ${VERSIONS.b.key}`]);
});

test('no request is lost while the config is swapped again and again (POST /admin/reload and SIGHUP)', async () => {
  const fds = () => processFds(nexus.proc.pid);
  const others = (f) => f.all - f.to([upstream.port]) - f.accepted(nexus.port);
  const fdsBefore = await settled(fds, (f) => others(f) === others(fds()));
  const auditPath = path.join(auditDir, 'audit.jsonl');
  const recordCount = () => readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).length;
  const recordsBefore = await settled(async () => {
    const n = recordCount();  // the writer is asynchronous: wait until it has caught up
    await sleep(100);
    return n === recordCount() ? n : -1;
  }, (n) => n >= 0);
  let running = true;
  const counts = { json: 0, stream: 0, failed: [] };
  const worker = async (w) => {
    for (let i = 0; running; i++) {
      const content = `worker ${w} request ${i}`;
      try {
        if ((w + i) % 2 === 0) {
          const r = await client.chat.completions.create({ model: 'live', messages: [{ role: 'user', content }] });
          assert.equal(r.choices[0].message.content, `You said: ${content}`);
          assert.ok(['gpt-4o-mini', 'gpt-4o'].includes(r.model), r.model);
          counts.json++;
        } else {
          const s = await streamOnce(content);
          assert.equal(s.text, `You said: ${content}`);
          assert.equal(s.finish, 'stop');
          assert.equal(s.models.length, 1, `one runtime per stream: ${s.models}`);
          counts.stream++;
        }
      } catch (e) {
        counts.failed.push(`${content}: ${e.message}`);
      }
    }
  };
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));

  const served = new Set();
  for (let i = 0; i < RELOADS; i++) {
    await sleep(250);
    const v = i % 2 === 0 ? 'a' : 'b';
    writeConfig(v);
    if (i % 2 === 0) await reloadByPost();
    else await reloadBySighup();
    await sleep(100);
    const r = await client.chat.completions.create({ model: 'live', messages: [{ role: 'user', content: 'which' }] });
    assert.equal(r.model, VERSIONS[v].model, `reload ${i} took effect`);
    served.add(r.model);
  }
  await sleep(250);
  running = false;
  await Promise.all(workers);

  assert.deepEqual(counts.failed, []);
  assert.ok(counts.json >= 20 && counts.stream >= 20, JSON.stringify(counts));
  assert.equal(served.size, 2);
  assert.equal(nexus.proc.exitCode, null);
  assert.doesNotMatch(nexus.log(), /reload refused/);

  // Every request is in the one audit chain the runtimes share, and the chain holds.
  const total = counts.json + counts.stream + RELOADS;  // and one check after each reload
  const records = await settled(() => recordCount() - recordsBefore, (n) => n === total);
  assert.equal(records, total);
  const v = await run(NEXUS_EXE, ['audit', 'verify', auditPath]);
  assert.equal(v.code, 0, v.stdout + v.stderr);

  const fdsAfter = await settled(fds, (f) => others(f) === others(fdsBefore));
  assert.equal(others(fdsAfter), others(fdsBefore), 'descriptors other than connections after the reloads');
  console.log(`requests: ${counts.json} JSON, ${counts.stream} streamed, ${RELOADS} reloads, none lost`);
});
