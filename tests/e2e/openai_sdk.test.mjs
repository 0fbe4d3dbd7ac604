// The official `openai` npm SDK drives the real nexus process (openai plugin) against the fake
// OpenAI upstream: chat, stream, tools, streamed tools, images, embeddings, errors; plus curl
// and `nexus chat`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { NEXUS_EXE, run, startFake, startNexus } from './harness.mjs';

let upstream;
let nexus;
let client;

const config = (upstreamUrl) => `
server: {listen: "127.0.0.1:{{PORT}}", threads: 2}
log: {level: info}
plugins: {dir: "{{PLUGIN_DIR}}"}
providers:
  openai: {plugin: openai, base_url: "${upstreamUrl}/v1", keys: ["sk-test-upstream-key"]}
routes:
  - {model: gpt-test, targets: [{provider: openai, model: gpt-4o-mini}]}
  - {model: embed-test, targets: [{provider: openai, model: text-embedding-3-small}]}
  - {model: limited, targets: [{provider: openai, model: fail-429}]}
`;

before(async () => {
  upstream = await startFake('openai');
  nexus = await startNexus(config(upstream.url));
  client = new OpenAI({ baseURL: `${nexus.url}/v1`, apiKey: 'sk-client-not-forwarded', maxRetries: 0 });
});

after(async () => {
  const code = await nexus?.stop();
  upstream?.stop();
  assert.equal(code, 0, `nexus exited with ${code}:\n${nexus?.log()}`);
});

describe('chat completions through the openai SDK', () => {
  test('a plain chat returns the upstream answer, usage and a request id', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hello gateway' }] })
      .withResponse();
    assert.equal(data.choices[0].message.content, 'You said: hello gateway');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0);
    assert.match(response.headers.get('x-request-id'), /^req_[0-9a-f]{24}$/);
    assert.equal(response.headers.get('x-nexus-provider'), 'openai');
    assert.equal(response.headers.get('x-nexus-model'), 'gpt-4o-mini');
  });

  test('the upstream sees the configured key and model, never the client key', async () => {
    await upstream.clearRequests();
    await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'key check' }],
      temperature: 0.3,
      seed: 7,
      some_future_field: { kept: true },
    });
    const [req] = await upstream.requests();
    assert.equal(req.headers.authorization, 'Bearer sk-test-upstream-key');
    assert.equal(req.body.model, 'gpt-4o-mini');
    assert.equal(req.body.temperature, 0.3);
    assert.equal(req.body.seed, 7);
    assert.deepEqual(req.body.some_future_field, { kept: true }, 'unknown fields pass through');
    assert.equal(req.body.messages[0].role, 'system');
    assert.ok(!JSON.stringify(req).includes('sk-client-not-forwarded'));
  });

  test('a stream yields the content word by word and ends cleanly', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      stream: true,
      messages: [{ role: 'user', content: 'stream this please' }],
    });
    let text = '';
    let finish = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert.ok(chunk.choices.length > 0, 'no usage-only chunk unless the client asked for it');
      text += chunk.choices[0].delta.content ?? '';
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    assert.equal(text, 'You said: stream this please');
    assert.equal(finish, 'stop');
    assert.ok(chunks > 3);
  });

  test('a stream with include_usage ends with the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count me' }],
    });
    let usage = null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);
  });

  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];

  test('tool calls come back with parsed arguments', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-test',
      tools,
      messages: [{ role: 'user', content: 'what is the weather in Paris and Tokyo?' }],
    });
    const calls = res.choices[0].message.tool_calls;
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls.map((c) => [c.function.name, JSON.parse(c.function.arguments).city]),
      [
        ['get_weather', 'Paris'],
        ['get_weather', 'Tokyo'],
      ],
    );
  });

  test('streamed tool call fragments reassemble by index', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      tools,
      stream: true,
      messages: [{ role: 'user', content: 'weather in Paris and Tokyo' }],
    });
    const calls = [];
    let finish = null;
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta?.tool_calls ?? []) {
        calls[tc.index] ??= { id: '', name: '', args: '' };
        if (tc.id) calls[tc.index].id = tc.id;
        if (tc.function?.name) calls[tc.index].name = tc.function.name;
        calls[tc.index].args += tc.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, 'tool_calls');
    assert.equal(calls.length, 2);
    assert.deepEqual(JSON.parse(calls[0].args), { city: 'Paris' });
    assert.deepEqual(JSON.parse(calls[1].args), { city: 'Tokyo' });
    assert.ok(calls.every((c) => c.id.startsWith('call_') && c.name === 'get_weather'));
  });

  test('a tool result round trip reaches the upstream intact', async () => {
    await upstream.clearRequests();
    await client.chat.completions.create({
      model: 'gpt-test',
      tools,
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_abc', content: '18C and sunny' },
      ],
    });
    const [req] = await upstream.requests();
    assert.equal(req.body.messages[2].tool_call_id, 'call_abc');
    assert.equal(req.body.messages[1].tool_calls[0].function.arguments, '{"city":"Paris"}');
  });

  test('image input is forwarded as image_url parts', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const res = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'low' } },
          ],
        },
      ],
    });
    assert.match(res.choices[0].message.content, /1 image/);
  });
});

describe('embeddings through the openai SDK', () => {
  test('float and base64 (the SDK default) both decode to vectors', async () => {
    const asFloat = await client.embeddings.create({ model: 'embed-test', input: ['a', 'b'], encoding_format: 'float' });
    assert.equal(asFloat.data.length, 2);
    assert.ok(asFloat.data[0].embedding.length > 8);
    const asBase64 = await client.embeddings.create({ model: 'embed-test', input: 'a' });
    assert.equal(asBase64.data[0].embedding.length, asFloat.data[0].embedding.length);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(asBase64.data[0].embedding[i] - asFloat.data[0].embedding[i]) < 1e-6);
    const dims = await client.embeddings.create({ model: 'embed-test', input: 'a', dimensions: 16, encoding_format: 'float' });
    assert.equal(dims.data[0].embedding.length, 16);
  });
});

describe('errors through the openai SDK', () => {
  test('an upstream 429 is a RateLimitError with Retry-After', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.RateLimitError, `got ${err.constructor.name}`);
        assert.equal(err.status, 429);
        assert.equal(err.code, 'rate_limit_exceeded');
        assert.equal(err.headers.get('retry-after'), '1');
        return true;
      },
    );
  });

  test('an unknown model is a NotFoundError naming the model', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.NotFoundError);
        assert.equal(err.code, 'model_not_found');
        assert.match(err.message, /no-such-model/);
        return true;
      },
    );
  });

  test('an error in the middle of a stream surfaces as an APIError', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/fail-midstream',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six' }],
    });
    await assert.rejects(async () => {
      for await (const _ of stream);
    }, OpenAI.APIError);
  });

  test('a stream the upstream cuts short ends with an error, not silently', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/fail-truncated',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four' }],
    });
    await assert.rejects(async () => {
      for await (const _ of stream);
    }, /before \[DONE\]|stream/);
  });

  test('bad requests are 400s that name the field', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'robot', content: 'x' }] }),
      (err) => err.status === 400 && err.param === 'messages[0].role',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }),
      (err) => err.status === 400 && err.param === 'temperature',
    );
  });
});

describe('curl, models, metrics and nexus chat', () => {
  test('curl: JSON in, JSON out; malformed JSON is a clear 400', async () => {
    const ok = await run('curl', ['-s', '-w', '\n%{http_code}', `${nexus.url}/v1/chat/completions`, '-H', 'content-type: application/json',
      '-d', '{"model":"gpt-test","messages":[{"role":"user","content":"curl here"}]}']);
    const [body, status] = ok.stdout.trim().split('\n').reduce((acc, line, i, all) => (i === all.length - 1 ? [acc[0], line] : [acc[0] + line, acc[1]]), ['', '']);
    assert.equal(status, '200');
    assert.equal(JSON.parse(body).choices[0].message.content, 'You said: curl here');
    const bad = await run('curl', ['-s', '-w', '\n%{http_code}', `${nexus.url}/v1/chat/completions`, '-d', '{"model": "gpt-test", "messages": [']);
    assert.match(bad.stdout, /not valid JSON/);
    assert.match(bad.stdout, /400$/);
  });

  test('a body nested a million levels deep is a 400 on both APIs, and the gateway stays up', async () => {
    const deep = '['.repeat(500000) + ']'.repeat(500000);
    for (const path of ['/v1/chat/completions', '/v1/messages']) {
      const r = await fetch(`${nexus.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
      assert.equal(r.status, 400, path);
      assert.match(await r.text(), /nested deeper than 256 levels/);
    }
    assert.equal((await fetch(`${nexus.url}/health`)).status, 200);
  });

  test('GET /v1/models lists routes and what the provider lists', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    assert.ok(models.includes('gpt-test'));
    assert.ok(models.includes('openai/gpt-4o-mini'), models.join(','));
  });

  test('/health, /ready and /metrics', async () => {
    assert.equal((await fetch(`${nexus.url}/health`)).status, 200);
    assert.equal((await fetch(`${nexus.url}/ready`)).status, 200);
    const metrics = await (await fetch(`${nexus.url}/metrics`)).text();
    assert.match(metrics, /nexus_requests_total\{route="gpt-test",provider="openai",model="gpt-4o-mini",status="200"\} \d+/);
    assert.match(metrics, /nexus_request_duration_seconds_bucket/);
    assert.match(metrics, /nexus_tokens_total\{provider="openai",model="gpt-4o-mini",direction="in"\}/);
    assert.ok(!metrics.includes('sk-test-upstream-key'));
  });

  test('the client x-request-id is kept and logged', async () => {
    const res = await fetch(`${nexus.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(res.headers.get('x-request-id'), 'trace-me-123');
    await res.text();
    for (let i = 0; i < 50 && !nexus.log().includes('[trace-me-123]'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(nexus.log(), /\[trace-me-123\] POST \/v1\/chat\/completions/);
    assert.ok(!nexus.log().includes('sk-test-upstream-key'), 'the upstream key never reaches the log');
  });

  test('nexus chat streams an answer to the terminal through the same path', async () => {
    const res = await run(NEXUS_EXE, ['chat', '-c', nexus.configPath, '-m', 'gpt-test', 'hello from the cli']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'You said: hello from the cli');
    const bad = await run(NEXUS_EXE, ['chat', '-c', nexus.configPath, '-m', 'missing-model', 'x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /missing-model/);
  });
});
