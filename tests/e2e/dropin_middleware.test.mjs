// A third-party middleware dropped into an unchanged host: sdk/examples/header_middleware,
// built out of tree against the installed SDK by tests/sdk/build_example_middleware.sh (the
// ctest fixture sdk_example_middleware), loads next to the in-tree openai plugin; the
// upstream receives its system prompt and the client sees its header.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { NEXUS_EXE, PLUGIN_DIR, startFake, startNexus } from './harness.mjs';

const EXAMPLE_DIR = process.env.NEXUS_EXAMPLE_PLUGIN_DIR ?? path.join(path.dirname(NEXUS_EXE), 'sdk-example-plugins');
const EXAMPLE = path.join(EXAMPLE_DIR, 'nexus_hello_header.so');

let upstream;
let nexus;
let client;
let pluginDir;

before(async () => {
  assert.ok(
    existsSync(EXAMPLE),
    `${EXAMPLE} is missing: it is built by tests/sdk/build_example_middleware.sh (ctest -R "sdk: build the out-of-tree middleware example")`,
  );
  // A plugin directory holding only what this host needs: the openai provider and the example.
  pluginDir = mkdtempSync(path.join(os.tmpdir(), 'nexus-dropin-'));
  symlinkSync(path.join(PLUGIN_DIR, 'nexus_openai.so'), path.join(pluginDir, 'nexus_openai.so'));
  symlinkSync(EXAMPLE, path.join(pluginDir, 'nexus_hello_header.so'));
  upstream = await startFake('openai');
  nexus = await startNexus(`
server: {listen: "127.0.0.1:{{PORT}}", threads: 1}
plugins: {dir: "${pluginDir}"}
providers:
  openai: {plugin: openai, base_url: "${upstream.url}/v1", keys: ["sk-test-upstream-key"]}
routes:
  - {model: gpt-test, targets: [{provider: openai, model: gpt-4o-mini}]}
chains:
  default:
    - {hello_header: {header: x-hello, value: from-the-dropin, system_prompt: "Always answer in French."}}
`);
  client = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  if (pluginDir) rmSync(pluginDir, { recursive: true, force: true });
  assert.equal(code, 0, `nexus exited with ${code}:\n${nexus?.log()}`);
});

test('the example middleware adds its system prompt and its response header', async () => {
  await upstream.clearRequests();
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'bonjour' }] })
    .withResponse();
  assert.equal(response.headers.get('x-hello'), 'from-the-dropin');
  assert.equal(data.choices[0].message.content, 'You said: bonjour');
  const [req] = await upstream.requests();
  assert.deepEqual(req.body.messages, [
    { role: 'system', content: 'Always answer in French.' },
    { role: 'user', content: 'bonjour' },
  ]);
});

test('an existing system message gets the prompt in front of its text; streams get the header too', async () => {
  await upstream.clearRequests();
  const { data: stream, response } = await client.chat.completions
    .create({
      model: 'gpt-test',
      stream: true,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'salut' }],
    })
    .withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'You said: salut');
  assert.equal(response.headers.get('x-hello'), 'from-the-dropin');
  const [req] = await upstream.requests();
  assert.equal(req.body.messages.length, 2);
  assert.deepEqual(req.body.messages[0], { role: 'system', content: 'Always answer in French.\n\nBe brief.' });
});
