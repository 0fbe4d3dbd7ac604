// The `nexus` command line as a user meets it: config check/show, plugins inspect/list,
// models list/pull, serve refusing a bad config, starting without a key, and SIGHUP reload.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NEXUS_EXE, PLUGIN_DIR, run, startFake, startNexus } from './harness.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nexus-cli-'));
const file = (name, text) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

let ollama;
before(async () => {
  ollama = await startFake('ollama');
});
after(() => ollama?.stop());

describe('nexus config', () => {
  test('check accepts a good file and counts what it holds', async () => {
    const p = file('good.yaml', `plugins: {dir: "${PLUGIN_DIR}"}
providers:
  openai: {plugin: openai, keys: ["sk-test-secret-value"]}
routes:
  - {model: fast, targets: [{provider: openai, model: gpt-4o-mini}]}
`);
    const r = await run(NEXUS_EXE, ['config', 'check', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /ok \(1 providers, 1 routes/);
  });

  test('check reports every problem with file:line:column and exits 1', async () => {
    const p = file('bad.yaml', `server:
  lisen: 127.0.0.1:8080
  threads: many
plugins: {dir: "${PLUGIN_DIR}"}
providers:
  openai: {plugin: openai}
  odd: {plugin: no-such-plugin}
routes:
  - {model: fast, targets: [{provider: nowhere, model: x}]}
`);
    const r = await run(NEXUS_EXE, ['config', 'check', p]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yaml:2:3: .*'server\.lisen'.*did you mean 'listen'/);
    assert.match(r.stderr, /bad\.yaml:3:\d+: .*'server\.threads'.*found 'many'/);
    assert.match(r.stderr, /bad\.yaml:7:\d+: .*no-such-plugin/);
    assert.match(r.stderr, /bad\.yaml:9:\d+: .*nowhere/);
  });

  test('check names a YAML syntax error by line', async () => {
    const p = file('syntax.yaml', 'server:\n  listen: [unclosed\n');
    const r = await run(NEXUS_EXE, ['config', 'check', p]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /syntax\.yaml:\d+:\d+: /);
  });

  test('show prints the effective config with every secret masked', async () => {
    const p = file('secret.yaml', `plugins: {dir: "${PLUGIN_DIR}"}
providers:
  openai: {plugin: openai, keys: ["sk-live-abcdefghijklmnop", "\${NEXUS_TEST_UNSET_KEY}"]}
`);
    const r = await run(NEXUS_EXE, ['config', 'show', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('abcdefghijklmnop'), r.stdout);
    assert.match(r.stdout, /\*\*\*\*/);
    assert.match(r.stdout, /threads/, 'defaults are filled in');
  });
});

describe('nexus plugins', () => {
  test('inspect --json describes a plugin without serving', async () => {
    const r = await run(NEXUS_EXE, ['plugins', 'inspect', path.join(PLUGIN_DIR, 'nexus_openai.so'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.equal(info.name, 'openai');
    assert.equal(info.kind, 'provider');
    assert.match(String(info.abi ?? `${info.abi_major}.${info.abi_minor}`), /^1\./);
  });

  test('inspect refuses a file that is not a plugin with one line', async () => {
    const p = file('fake.so', 'not an ELF file');
    const r = await run(NEXUS_EXE, ['plugins', 'inspect', p]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fake\.so/);
  });

  test('list shows the configured directory', async () => {
    const r = await run(NEXUS_EXE, ['plugins', 'list', '--dir', PLUGIN_DIR]);
    assert.equal(r.code, 0, r.stderr);
    for (const name of ['openai', 'claude', 'mistral', 'ollama']) assert.match(r.stdout, new RegExp(`\\b${name}\\b`));
  });
});

describe('nexus models', () => {
  const cfg = () => file('ollama.yaml', `plugins: {dir: "${PLUGIN_DIR}"}
providers:
  local: {plugin: ollama, base_url: "${ollama.url}"}
`);

  test('list asks the provider', async () => {
    const r = await run(NEXUS_EXE, ['models', 'list', '--provider', 'local', '-c', cfg()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^llama3\.2:latest$/m);
  });

  test('pull streams progress to success and the model is listed afterwards', async () => {
    const c = cfg();
    const r = await run(NEXUS_EXE, ['models', 'pull', 'tinyllama', '--provider', 'local', '-c', c]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pulling manifest/);
    assert.match(r.stdout, /100%/);
    assert.match(r.stdout, /success\s*$/);
    const after = await run(NEXUS_EXE, ['models', 'list', '--provider', 'local', '-c', c]);
    assert.match(after.stdout, /tinyllama/);
  });

  test('a failed pull is an error naming the reason', async () => {
    const r = await run(NEXUS_EXE, ['models', 'pull', 'missing-model', '--provider', 'local', '-c', cfg()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /file does not exist/);
  });

  test('an unknown provider is named', async () => {
    const r = await run(NEXUS_EXE, ['models', 'list', '--provider', 'nope', '-c', cfg()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no provider 'nope'.*configured: local/);
  });
});

describe('nexus serve', () => {
  test('a broken config refuses to start, naming file and line', async () => {
    const p = file('refuse.yaml', 'server: {listen: "127.0.0.1:notaport"}\n');
    const r = await run(NEXUS_EXE, ['serve', '-c', p], { timeoutMs: 10000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refuse\.yaml:1:\d+: /);
  });

  test('a missing key leaves the provider unavailable with the variable named; the gateway starts', async () => {
    const nexus = await startNexus(`server: {listen: "127.0.0.1:{{PORT}}"}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  openai: {plugin: openai, keys: ["\${NEXUS_TEST_NO_SUCH_KEY}"]}
`);
    try {
      assert.match(nexus.log(), /NEXUS_TEST_NO_SUCH_KEY/);
      const res = await fetch(`${nexus.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
      });
      const body = await res.json();
      assert.equal(res.status, 503);
      assert.match(body.error.message, /set NEXUS_TEST_NO_SUCH_KEY/);
    } finally {
      assert.equal(await nexus.stop(), 0);
    }
  });

  test('SIGHUP reloads a good file and keeps the running config on a bad one', async () => {
    const nexus = await startNexus(`server: {listen: "127.0.0.1:{{PORT}}"}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  local: {plugin: ollama, base_url: "${ollama.url}"}
routes:
  - {model: before, targets: [{provider: local, model: llama3.2}]}
`);
    const ask = async (model) =>
      (await fetch(`${nexus.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }),
      })).status;
    try {
      assert.equal(await ask('before'), 200);
      writeFileSync(nexus.configPath, `server: {listen: "127.0.0.1:${nexus.port}"}
plugins: {dir: "${PLUGIN_DIR}"}
providers:
  local: {plugin: ollama, base_url: "${ollama.url}"}
routes:
  - {model: after, targets: [{provider: local, model: llama3.2}]}
`);
      nexus.proc.kill('SIGHUP');
      for (let i = 0; i < 50 && !/reloaded/.test(nexus.log()); i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await ask('after'), 200);
      assert.equal(await ask('before'), 404);
      writeFileSync(nexus.configPath, 'routes: [oops\n');
      nexus.proc.kill('SIGHUP');
      for (let i = 0; i < 50 && !/reload refused/.test(nexus.log()); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(nexus.log(), /reload refused, keeping the running config/);
      assert.equal(await ask('after'), 200);
    } finally {
      assert.equal(await nexus.stop(), 0);
    }
  });
});

describe('logging', () => {
  test('log.format json writes one JSON object per line', async () => {
    const nexus = await startNexus(`server: {listen: "127.0.0.1:{{PORT}}"}
log: {level: info, format: json}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  local: {plugin: ollama, base_url: "${ollama.url}"}
`);
    try {
      await fetch(`${nexus.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'x-request-id': 'json-"quoted"-id' },
        body: JSON.stringify({ model: 'local/llama3.2', messages: [{ role: 'user', content: 'x' }] }),
      }).then((r) => r.text());
      for (let i = 0; i < 50 && !nexus.log().includes('json-'); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      assert.equal(await nexus.stop(), 0);
    }
    const lines = nexus.log().trim().split('\n');
    assert.ok(lines.length > 3);
    for (const line of lines) {
      const rec = JSON.parse(line);
      assert.ok(rec.time && rec.level && typeof rec.msg === 'string', line);
    }
    assert.ok(lines.some((l) => JSON.parse(l).msg.includes('[json-"quoted"-id]')), 'quotes in messages are escaped');
  });
});

describe('the command itself', () => {
  test('version, help, and an unknown command', async () => {
    assert.match((await run(NEXUS_EXE, ['version'])).stdout, /nexus .*plugin ABI 1\./);
    assert.equal((await run(NEXUS_EXE, ['--help'])).code, 0);
    const bad = await run(NEXUS_EXE, ['frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command 'frobnicate'/);
  });
});
