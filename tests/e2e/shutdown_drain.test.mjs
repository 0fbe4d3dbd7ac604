// Graceful shutdown: on SIGTERM a stream already in flight runs to its end (within
// shutdown_grace) before the process exits with 0.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFake, startNexus } from './harness.mjs';

let upstream;
let nexus;

before(async () => {
  upstream = await startFake('openai', ['--chunk-delay-ms', '150']);
  nexus = await startNexus(`
server: {listen: "127.0.0.1:{{PORT}}", threads: 2, shutdown_grace: 10s}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  openai: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-drain"]}
`);
});

after(() => upstream?.stop());

test('SIGTERM drains an in-flight stream to its end, then exits 0', async () => {
  const r = await fetch(`${nexus.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'one two three four five six' }] }),
  });
  assert.equal(r.status, 200);
  const reader = r.body.getReader();
  const first = await reader.read();
  assert.ok(!first.done);
  const exited = new Promise((resolve) => nexus.proc.on('exit', (code) => resolve(code)));
  nexus.proc.kill('SIGTERM');
  let text = new TextDecoder().decode(first.value);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  assert.match(text, /data: \[DONE\]/);
  assert.equal(await exited, 0);
});
