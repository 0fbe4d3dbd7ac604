// The provider matrix: every provider plugin (openai, claude, mistral, ollama) behind its fake
// upstream, driven by BOTH official clients: npm `openai` on /v1/chat/completions and
// npm `@anthropic-ai/sdk` on /v1/messages. Each cell asserts content, tool call names and
// parsed arguments, finish/stop reasons and usage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFake, startNexus } from './harness.mjs';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

// provider name in the config -> how to reach it and which models to use
const PROVIDERS = {
  openai: { fake: 'openai', plugin: 'openai', key: 'sk-test-matrix', path: '/v1', chat: 'gpt-4o-mini', embed: 'text-embedding-3-small' },
  anthropic: { fake: 'anthropic', plugin: 'claude', key: 'sk-ant-test-matrix', path: '', chat: 'claude-sonnet-4-5', embed: null },
  mistral: { fake: 'mistral', plugin: 'mistral', key: 'sk-mistral-test-matrix', path: '/v1', chat: 'mistral-small-latest', embed: 'mistral-embed' },
  ollama: { fake: 'ollama', plugin: 'ollama', key: null, path: '', chat: 'llava', embed: 'nomic-embed-text' },
};

const fakes = {};
let nexus;
let oai;
let ant;

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const weatherToolAnthropic = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

before(async () => {
  let providers = '';
  let routes = '';
  for (const [name, p] of Object.entries(PROVIDERS)) {
    fakes[name] = await startFake(p.fake);
    const keys = p.key ? `, keys: ["${p.key}"]` : '';
    providers += `  ${name}: {plugin: ${p.plugin}, base_url: "${fakes[name].url}${p.path}"${keys}}\n`;
    routes += `  - {model: chat-${name}, targets: [{provider: ${name}, model: ${p.chat}}]}\n`;
    if (p.embed) routes += `  - {model: embed-${name}, targets: [{provider: ${name}, model: ${p.embed}}]}\n`;
  }
  nexus = await startNexus(`
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
${providers}routes:
${routes}`);
  oai = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  ant = new Anthropic({ baseURL: nexus.url, apiKey: 'client-key', maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  for (const f of Object.values(fakes)) f.stop();
  assert.equal(code, 0, `nexus exited with ${code}:\n${nexus?.log()}`);
});

for (const name of Object.keys(PROVIDERS)) {
  const model = `chat-${name}`;
  const p = PROVIDERS[name];

  describe(`${name} via the openai client`, () => {
    test('plain', async () => {
      const r = await oai.chat.completions.create({ model, messages: [{ role: 'user', content: `hello ${name}` }] });
      assert.equal(r.choices[0].message.content, `You said: hello ${name}`);
      assert.equal(r.choices[0].finish_reason, 'stop');
      assert.ok(r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0, JSON.stringify(r.usage));
    });

    test('system prompt reaches the upstream in its own form', async () => {
      await fakes[name].clearRequests();
      const r = await oai.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'with a system prompt' },
        ],
      });
      assert.equal(r.choices[0].message.content, 'You said: with a system prompt');
      const [req] = await fakes[name].requests();
      if (name === 'anthropic') assert.match(JSON.stringify(req.body.system), /You are terse\./);
      else assert.deepEqual([req.body.messages[0].role, req.body.messages[0].content], ['system', 'You are terse.']);
    });

    test('multi-turn', async () => {
      const r = await oai.chat.completions.create({
        model,
        messages: [
          { role: 'user', content: 'first turn' },
          { role: 'assistant', content: 'You said: first turn' },
          { role: 'user', content: 'second turn' },
        ],
      });
      assert.equal(r.choices[0].message.content, 'You said: second turn');
    });

    test('stream with usage', async () => {
      const stream = await oai.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream me please' }],
      });
      let text = '';
      let finish = null;
      let usage = null;
      for await (const c of stream) {
        text += c.choices[0]?.delta?.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
        if (c.usage) usage = c.usage;
      }
      assert.equal(text, 'You said: stream me please');
      assert.equal(finish, 'stop');
      assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, JSON.stringify(usage));
    });

    test('tools', async () => {
      const r = await oai.chat.completions.create({
        model,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'what is the weather in Paris?' }],
      });
      const calls = r.choices[0].message.tool_calls;
      assert.equal(r.choices[0].finish_reason, 'tool_calls');
      assert.equal(calls.length, 1);
      assert.equal(calls[0].function.name, 'get_weather');
      assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: 'Paris' });
      assert.ok(calls[0].id.length > 0);
    });

    test('tools streamed', async () => {
      const stream = await oai.chat.completions.create({
        model,
        stream: true,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'weather in Paris and Tokyo' }],
      });
      const calls = [];
      let finish = null;
      for await (const c of stream) {
        for (const tc of c.choices[0]?.delta?.tool_calls ?? []) {
          calls[tc.index] ??= { name: '', args: '', id: '' };
          if (tc.id) calls[tc.index].id = tc.id;
          if (tc.function?.name) calls[tc.index].name += tc.function.name;
          calls[tc.index].args += tc.function?.arguments ?? '';
        }
        finish = c.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(finish, 'tool_calls');
      assert.deepEqual(
        calls.map((c) => [c.name, JSON.parse(c.args).city]),
        [
          ['get_weather', 'Paris'],
          ['get_weather', 'Tokyo'],
        ],
      );
      assert.ok(calls.every((c) => c.id.length > 0));
    });

    test('tool result round trip', async () => {
      const first = await oai.chat.completions.create({
        model,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'weather in Paris?' }],
      });
      const call = first.choices[0].message.tool_calls[0];
      const r = await oai.chat.completions.create({
        model,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '18C and sunny' },
        ],
      });
      assert.match(r.choices[0].message.content, /18C and sunny/);
    });

    test('image input', async () => {
      const r = await oai.chat.completions.create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'describe' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
      });
      assert.match(r.choices[0].message.content, /1 image/);
    });

    if (p.embed) {
      test('embeddings, float and base64', async () => {
        const f = await oai.embeddings.create({ model: `embed-${name}`, input: ['one', 'two'], encoding_format: 'float' });
        assert.equal(f.data.length, 2);
        assert.deepEqual(f.data.map((d) => d.index), [0, 1]);
        const b = await oai.embeddings.create({ model: `embed-${name}`, input: 'one' });
        assert.equal(b.data[0].embedding.length, f.data[0].embedding.length);
        assert.ok(Math.abs(b.data[0].embedding[0] - f.data[0].embedding[0]) < 1e-6);
      });
    } else {
      test('embeddings are refused with a clear error', async () => {
        await assert.rejects(
          oai.embeddings.create({ model: `${name}/${p.chat}`, input: 'x' }),
          (e) => e.status === 400 && /embeddings/.test(e.message),
        );
      });
    }

    test('upstream 429 is a RateLimitError', async () => {
      await assert.rejects(
        oai.chat.completions.create({ model: `${name}/fail-429`, messages: [{ role: 'user', content: 'x' }] }),
        (e) => e instanceof OpenAI.RateLimitError && e.status === 429,
      );
    });

    test('an error mid-stream is an APIError, not a silent truncation', async () => {
      const stream = await oai.chat.completions.create({
        model: `${name}/fail-midstream`,
        stream: true,
        messages: [{ role: 'user', content: 'one two three four five six seven' }],
      });
      await assert.rejects(async () => {
        for await (const _ of stream);
      }, OpenAI.APIError);
    });
  });

  describe(`${name} via the anthropic client`, () => {
    test('plain', async () => {
      const m = await ant.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: `hi ${name}` }] });
      assert.equal(m.type, 'message');
      assert.equal(m.content[0].type, 'text');
      assert.equal(m.content[0].text, `You said: hi ${name}`);
      assert.equal(m.stop_reason, 'end_turn');
      assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0, JSON.stringify(m.usage));
    });

    test('system prompt and multi-turn', async () => {
      const m = await ant.messages.create({
        model,
        max_tokens: 256,
        system: 'You are terse.',
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'You said: first' },
          { role: 'user', content: 'second' },
        ],
      });
      assert.equal(m.content[0].text, 'You said: second');
    });

    test('stream: the exact event sequence, assembled by the SDK', async () => {
      const types = [];
      const stream = ant.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'stream me' }] });
      stream.on('streamEvent', (e) => types.push(e.type));
      const m = await stream.finalMessage();
      assert.equal(m.content[0].text, 'You said: stream me');
      assert.equal(m.stop_reason, 'end_turn');
      assert.ok(m.usage.output_tokens > 0);
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      assert.ok(types.includes('content_block_start') && types.includes('content_block_delta'));
    });

    test('tools', async () => {
      const m = await ant.messages.create({
        model,
        max_tokens: 256,
        tools: [weatherToolAnthropic],
        messages: [{ role: 'user', content: 'what is the weather in Paris?' }],
      });
      assert.equal(m.stop_reason, 'tool_use');
      const use = m.content.find((b) => b.type === 'tool_use');
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, { city: 'Paris' });
    });

    test('tools streamed', async () => {
      const stream = ant.messages.stream({
        model,
        max_tokens: 256,
        tools: [weatherToolAnthropic],
        messages: [{ role: 'user', content: 'weather in Paris and Tokyo' }],
      });
      const m = await stream.finalMessage();
      assert.equal(m.stop_reason, 'tool_use');
      const uses = m.content.filter((b) => b.type === 'tool_use');
      assert.deepEqual(
        uses.map((u) => [u.name, u.input.city]),
        [
          ['get_weather', 'Paris'],
          ['get_weather', 'Tokyo'],
        ],
      );
    });

    test('tool result round trip', async () => {
      const first = await ant.messages.create({
        model,
        max_tokens: 256,
        tools: [weatherToolAnthropic],
        messages: [{ role: 'user', content: 'weather in Paris?' }],
      });
      const use = first.content.find((b) => b.type === 'tool_use');
      const m = await ant.messages.create({
        model,
        max_tokens: 256,
        tools: [weatherToolAnthropic],
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C and sunny' }] },
        ],
      });
      assert.match(m.content.find((b) => b.type === 'text').text, /18C and sunny/);
    });

    test('image input', async () => {
      const m = await ant.messages.create({
        model,
        max_tokens: 256,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'text', text: 'describe' },
            ],
          },
        ],
      });
      assert.match(m.content[0].text, /1 image/);
    });

    test('upstream 429 is a RateLimitError in Anthropic shape', async () => {
      await assert.rejects(
        ant.messages.create({ model: `${name}/fail-429`, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }),
        (e) => e instanceof Anthropic.RateLimitError && e.error?.error?.type === 'rate_limit_error',
      );
    });

    test('an error mid-stream arrives as an error event', async () => {
      const stream = ant.messages.stream({
        model: `${name}/fail-midstream`,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'one two three four five six seven' }],
      });
      await assert.rejects(stream.finalMessage(), Anthropic.APIError);
    });
  });
}

describe('count_tokens', () => {
  test('the host estimate for an Anthropic body', async () => {
    const r = await ant.messages.countTokens({ model: 'chat-anthropic', messages: [{ role: 'user', content: 'count these words please' }] });
    assert.ok(r.input_tokens > 3 && r.input_tokens < 50, JSON.stringify(r));
  });
});
