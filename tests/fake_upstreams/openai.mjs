#!/usr/bin/env node
// A fake OpenAI API on loopback for tests: Chat Completions (JSON and SSE, tool calls,
// images, json modes), Embeddings (float and base64) and Models, in OpenAI's wire format,
// with deterministic content and fault injection by model name. Node 20, no dependencies.
//
// Command line, LISTENING line and the control endpoints /__requests and /__connections:
// see common.mjs (this fake takes --no-auth).
//
// Shapes follow the API reference (https://platform.openai.com/docs/api-reference/chat,
// /embeddings, /models), error bodies the error-code guide
// (https://platform.openai.com/docs/guides/error-codes), and field order the streams the
// official SDKs record in their test snapshots (openai-python .inline-snapshot files).
//
// Behaviour
//   POST /v1/chat/completions  reply "You said: <last user text>" (+ " [N images received]"
//     when the last user message had image parts); tool calls when the request has tools
//     and the last user text contains "weather" (one call per city in "weather in A and B",
//     one only when parallel_tool_calls is false), or tool_choice forces one;
//     "Tool results: <...>" when the last message is a tool result;
//     response_format json_object / json_schema answer JSON; max_tokens /
//     max_completion_tokens truncate with finish_reason "length"; n choices.
//     Streams: role chunk, one chunk per word, finish chunk, then the usage chunk with
//     `choices: []` only when stream_options.include_usage is true; `obfuscation` padding
//     unless stream_options.include_obfuscation is false.
//   POST /v1/embeddings  string, string[], token[] or token[][] input; deterministic unit
//     vectors; `dimensions` honoured (refused for text-embedding-ada-002); float or base64.
//   GET /v1/models, GET /v1/models/{id}
//   Auth: "Authorization: Bearer sk-test-..." unless --no-auth; otherwise 401 as OpenAI.
//   Fault models (chat and embeddings): fail-401, fail-404, fail-429, fail-quota,
//     fail-400-context, fail-500, fail-503; streams only: fail-midstream (a few chunks then
//     a data: {"error":...} event, no [DONE]), fail-truncated (chunks, then the response
//     ends without [DONE]), fail-reset (chunks, then the connection is destroyed);
//     slow-first-byte (waits --slow-ms, default 2000, before the status line).
//   Scripted faults (chat): POST /__faults {model, kind, times?, status?, retry_after?, ms?,
//     after?} makes the next `times` chat requests for `model` (all of them when `times` is
//     absent) fail as `kind` says, after which the model answers normally; DELETE /__faults
//     clears them. Kinds:
//       status                the error body of `status` (429, 500, 503, 529...), with
//                             `retry-after: <retry_after>` when given
//       reset-before-headers  the connection is destroyed before the status line
//       stall-first-byte      waits `ms` before the status line, then answers
//       reset-mid-body        JSON: headers and half the body, then the connection is
//                             destroyed; stream: `after` chunks (default 2), then destroyed
//       stall-mid-body        the same, but waits `ms` and then sends the rest
//       malformed-json        JSON: a 200 whose body is not JSON; stream: `after` chunks,
//                             then a data: event that is not JSON
//       truncated             JSON: a 200 whose body stops half way (its content-length
//                             says so); stream: `after` chunks, then the end without [DONE]

import {
  NO_AUTH, hash32, lastUser, objectForSchema, partsOf, readOptions, sendBody, serve, sleep, streamFrames, textTokens,
  token, unitVector, words, writeFrames,
} from './common.mjs';

const opts = readOptions('openai.mjs', NO_AUTH);

// ------------------------------------------------------------ deterministic ids

let requestCounter = 0;
const SYSTEM_FINGERPRINT = 'fp_f33640a400';

// ----------------------------------------------------------------- HTTP helpers

function baseHeaders(startedAt) {
  requestCounter += 1;
  return {
    'access-control-expose-headers': 'X-Request-ID',
    'openai-organization': 'user-fakeorg0000000000000000',
    'openai-processing-ms': String(Math.max(1, Date.now() - startedAt)),
    'openai-project': 'proj_fake00000000000000000000',
    'openai-version': '2020-10-01',
    'x-request-id': `req_${token(`req${requestCounter}`, 32, '0123456789abcdef')}`,
  };
}

function rateLimitHeaders(promptTokens) {
  return {
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-remaining-tokens': String(30000000 - promptTokens),
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '0s',
  };
}

// OpenAI pretty-prints JSON response bodies (two spaces).
const sendJson = (res, status, headers, obj) => sendBody(res, status, headers, 'application/json', JSON.stringify(obj, null, 2));

// OpenAI's error bodies: four-space indentation and a trailing newline.
function sendError(res, startedAt, status, message, type, param = null, code = null, extraHeaders = {}) {
  if (res.destroyed) return;
  const body = JSON.stringify({ error: { message, type, param, code } }, null, 4) + '\n';
  sendBody(res, status, { ...baseHeaders(startedAt), ...extraHeaders }, 'application/json; charset=utf-8', body);
}

// --------------------------------------------------------------- token counting

const IMAGE_TOKENS = 85;

function promptTokens(body) {
  let n = 3; // every reply is primed with <|start|>assistant<|message|>
  for (const m of body.messages) {
    const { text, images } = partsOf(m.content);
    n += 3 + textTokens(text) + images * IMAGE_TOKENS;
    if (m.tool_calls) n += textTokens(JSON.stringify(m.tool_calls));
  }
  if (Array.isArray(body.tools)) n += textTokens(JSON.stringify(body.tools));
  return n;
}

function usageObject(prompt, completion) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

// ------------------------------------------------------------- chat: the answer

// The tool calls this request triggers, or [] for a text answer.
function plannedToolCalls(body, userText, seed) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t && t.type === 'function' && t.function) : [];
  if (tools.length === 0 || body.tool_choice === 'none') return [];
  const forced = body.tool_choice === 'required' || (body.tool_choice && typeof body.tool_choice === 'object');
  if (!forced && !/weather/i.test(userText)) return [];

  let tool = tools.find((t) => /weather/i.test(t.function.name)) || tools[0];
  if (body.tool_choice && typeof body.tool_choice === 'object' && body.tool_choice.function) {
    tool = tools.find((t) => t.function.name === body.tool_choice.function.name) || tool;
  }
  const m = /weather\s+(?:in|for|at)\s+(.+?)[?.!]*$/i.exec(userText);
  let cities = m ? m[1].split(/\s+and\s+/i).map((c) => c.trim()).filter(Boolean) : [];
  if (cities.length === 0) cities = ['San Francisco, CA'];
  if (body.parallel_tool_calls === false) cities = cities.slice(0, 1);

  return cities.map((city, i) => {
    const args = tool.function.parameters ? objectForSchema(tool.function.parameters, 'example', city) : {};
    return {
      id: `call_${token(`${seed}/call/${i}`, 24)}`,
      type: 'function',
      function: { name: tool.function.name, arguments: JSON.stringify(args) },
    };
  });
}

function answerText(body, userText, images) {
  let reply = `You said: ${userText}`;
  if (images > 0) reply += ` [${images} image${images === 1 ? '' : 's'} received]`;
  const rf = body.response_format;
  if (rf && rf.type === 'json_object') return JSON.stringify({ reply });
  if (rf && rf.type === 'json_schema' && rf.json_schema && rf.json_schema.schema) {
    return JSON.stringify(objectForSchema(rf.json_schema.schema, reply, 'San Francisco, CA'));
  }
  return reply;
}

// Everything a chat answer needs, computed once for the JSON and the stream forms.
function planChat(body) {
  const user = lastUser(body.messages);
  const { text: userText, images } = user ? partsOf(user.content) : { text: '', images: 0 };
  const seed = `${body.model}|${JSON.stringify(body.messages)}`;
  // After tool results the model answers from them, as the other fakes do.
  const last = body.messages[body.messages.length - 1];
  const afterTools = last && last.role === 'tool';
  const toolCalls = afterTools ? [] : plannedToolCalls(body, userText, seed);
  const limit = body.max_completion_tokens ?? body.max_tokens;
  let pieces = [];
  let finishReason = 'stop';
  if (toolCalls.length === 0) {
    const toolResults = body.messages.slice(body.messages.findLastIndex((m) => m.role !== 'tool') + 1);
    const text = afterTools ? `Tool results: ${toolResults.map((m) => partsOf(m.content).text).join('; ')}`
                            : answerText(body, userText, images);
    pieces = words(text);
    if (Number.isInteger(limit) && limit > 0 && pieces.length > limit) {
      pieces = pieces.slice(0, limit);
      finishReason = 'length';
    }
  } else {
    finishReason = 'tool_calls';
  }
  const n = Number.isInteger(body.n) && body.n > 0 ? Math.min(body.n, 8) : 1;
  const completion = toolCalls.length ? toolCalls.reduce((s, c) => s + textTokens(c.function.arguments) + 5, 0) : pieces.length;
  return {
    id: `chatcmpl-${token(seed + requestCounter, 29)}`,
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    n,
    pieces,
    toolCalls,
    finishReason,
    usage: usageObject(promptTokens(body), completion * n),
  };
}

function chatCompletionObject(plan) {
  const message = plan.toolCalls.length
    ? { role: 'assistant', content: null, tool_calls: plan.toolCalls, refusal: null, annotations: [] }
    : { role: 'assistant', content: plan.pieces.join(''), refusal: null, annotations: [] };
  const choices = [];
  for (let i = 0; i < plan.n; i++) choices.push({ index: i, message, logprobs: null, finish_reason: plan.finishReason });
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    choices,
    usage: plan.usage,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

// Splits tool-call arguments the way the API streams them: punctuation and words apart.
const argumentFragments = (args) => args.match(/[{}":,]+|\s*[^{}":,\s]+/g) || [];

// The chunk objects of a streamed answer (without the final usage chunk and [DONE]).
function streamChunks(plan, body) {
  const includeUsage = !!(body.stream_options && body.stream_options.include_usage === true);
  const obfuscate = !(body.stream_options && body.stream_options.include_obfuscation === false);
  let seq = 0;
  const chunk = (choices, usage) => {
    const c = {
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (includeUsage) c.usage = usage === undefined ? null : usage;
    if (obfuscate) c.obfuscation = token(`${plan.id}/${seq++}`, 1 + (hash32(`${plan.id}${seq}`) % 12));
    return c;
  };
  const choice = (index, delta, finish = null) => ({ index, delta, logprobs: null, finish_reason: finish });

  const chunks = [];
  for (let i = 0; i < plan.n; i++) {
    if (plan.toolCalls.length) {
      plan.toolCalls.forEach((call, k) => {
        const head = { index: k, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } };
        const delta = k === 0 ? { role: 'assistant', content: null, tool_calls: [head], refusal: null } : { tool_calls: [head] };
        chunks.push(chunk([choice(i, delta)]));
        for (const frag of argumentFragments(call.function.arguments)) {
          chunks.push(chunk([choice(i, { tool_calls: [{ index: k, function: { arguments: frag } }] })]));
        }
      });
    } else {
      chunks.push(chunk([choice(i, { role: 'assistant', content: '', refusal: null })]));
    }
  }
  for (const piece of plan.pieces) for (let i = 0; i < plan.n; i++) chunks.push(chunk([choice(i, { content: piece })]));
  for (let i = 0; i < plan.n; i++) chunks.push(chunk([choice(i, {}, plan.finishReason)]));
  const usageChunk = includeUsage ? chunk([], plan.usage) : null;
  return { chunks, usageChunk };
}

// ------------------------------------------------------------------ validation

function validateChat(body) {
  if (typeof body.model !== 'string' || body.model === '') {
    return ['you must provide a model parameter', null, null];
  }
  if (body.messages === undefined) return ["Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter'];
  if (!Array.isArray(body.messages)) {
    return ["Invalid type for 'messages': expected an array of objects, but got a non-array value instead.", 'messages', 'invalid_type'];
  }
  if (body.messages.length === 0) {
    return ["Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array'];
  }
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i];
    const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
    if (!m || !roles.includes(m.role)) {
      return [`Invalid value: '${m && m.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`, 'invalid_value'];
    }
  }
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return ["The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', null];
  }
  return null;
}

// Faults shared by chat and embeddings; returns true when it answered.
function injectFault(res, startedAt, model) {
  switch (model) {
    case 'fail-401':
      sendError(res, startedAt, 401,
        'Incorrect API key provided: sk-test-****************************fail. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error', null, 'invalid_api_key');
      return true;
    case 'fail-404':
      sendError(res, startedAt, 404, `The model \`${model}\` does not exist or you do not have access to it.`,
        'invalid_request_error', null, 'model_not_found');
      return true;
    case 'fail-429':
      sendError(res, startedAt, 429,
        `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'requests', null, 'rate_limit_exceeded', {
          'retry-after': '1',
          'x-ratelimit-limit-requests': '3',
          'x-ratelimit-limit-tokens': '40000',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-remaining-tokens': '39990',
          'x-ratelimit-reset-requests': '1s',
          'x-ratelimit-reset-tokens': '15ms',
        });
      return true;
    case 'fail-quota':
      sendError(res, startedAt, 429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota', null, 'insufficient_quota');
      return true;
    case 'fail-400-context':
      sendError(res, startedAt, 400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130542 tokens. Please reduce the length of the messages.",
        'invalid_request_error', 'messages', 'context_length_exceeded');
      return true;
    case 'fail-500':
      sendError(res, startedAt, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
      return true;
    case 'fail-503':
      sendError(res, startedAt, 503, 'The server is overloaded or not ready yet.', 'server_error');
      return true;
    default:
      return false;
  }
}

// ------------------------------------------------------------ scripted faults

const FAULT_KINDS = ['status', 'reset-before-headers', 'stall-first-byte', 'reset-mid-body', 'stall-mid-body',
  'malformed-json', 'truncated'];
const scripted = new Map();  // model -> {kind, times (null: always), status, retry_after, ms, after}

function scriptFault(spec) {
  if (!spec || typeof spec.model !== 'string' || !FAULT_KINDS.includes(spec.kind)) {
    return `expected {model, kind} with kind one of ${FAULT_KINDS.join(', ')}`;
  }
  if (spec.kind === 'status' && !Number.isInteger(spec.status)) return 'kind status needs an integer status';
  scripted.set(spec.model, {
    kind: spec.kind,
    times: Number.isInteger(spec.times) ? spec.times : null,
    status: spec.status,
    retryAfter: spec.retry_after,
    ms: Number.isInteger(spec.ms) ? spec.ms : 2000,
    after: Number.isInteger(spec.after) ? spec.after : 2,
  });
  return null;
}

// The fault this request gets, if any (and counts it).
function takeFault(model) {
  const f = scripted.get(model);
  if (!f) return null;
  if (f.times !== null && --f.times <= 0) scripted.delete(model);
  return f;
}

const STATUS_ERRORS = {
  429: ['Rate limit reached for requests. Please try again in 1s.', 'requests', 'rate_limit_exceeded'],
  500: ['The server had an error while processing your request. Sorry about that!', 'server_error', null],
  502: ['Bad gateway.', 'server_error', null],
  503: ['The server is overloaded or not ready yet.', 'server_error', null],
  529: ['The server is overloaded.', 'server_error', null],
};

// Faults that strike before the status line; true when the request was answered (or cut).
async function faultBeforeHeaders(res, startedAt, f) {
  if (f.kind === 'status') {
    const [message, type, code] = STATUS_ERRORS[f.status] ?? [`Scripted error ${f.status}.`, 'server_error', null];
    sendError(res, startedAt, f.status, message, type, null, code,
      f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {});
    return true;
  }
  if (f.kind === 'reset-before-headers') {
    res.socket?.destroy();
    return true;
  }
  if (f.kind === 'stall-first-byte') await sleep(f.ms);
  return res.destroyed;
}

// A JSON answer broken as the fault says.
async function sendFaultyJson(res, headers, obj, f) {
  const full = Buffer.from(JSON.stringify(obj, null, 2));
  const half = full.subarray(0, full.length >> 1);
  if (f.kind === 'malformed-json' || f.kind === 'truncated') {
    const body = f.kind === 'truncated' ? half : Buffer.from('{"id": "chatcmpl-broken", "choices": [oops]}');
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': body.length });
    return res.end(body);
  }
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': full.length });
  res.write(half);
  if (f.kind === 'reset-mid-body') return setTimeout(() => res.destroy(), 50);
  await sleep(f.ms);  // stall-mid-body
  if (!res.destroyed) res.end(full.subarray(half.length));
}

// A stream broken after `after` chunks as the fault says.
async function writeFaultyStream(res, chunks, f) {
  await writeStream(res, chunks.slice(0, f.after), () => {});
  if (res.destroyed) return;
  if (f.kind === 'reset-mid-body') return setTimeout(() => res.destroy(), 50);
  if (f.kind === 'truncated') return res.end();
  if (f.kind === 'malformed-json') return res.end('data: {"id": "chatcmpl-broken", "choices": [oops\n\n');
  await sleep(f.ms);  // stall-mid-body
  return writeStream(res, chunks.slice(f.after), () => res.end('data: [DONE]\n\n'));
}

// ------------------------------------------------------------------ endpoints

const sse = (chunk) => `data: ${JSON.stringify(chunk)}\n\n`;
const writeStream = (res, chunks, end) => writeFrames(res, chunks.map(sse), end, opts.chunkDelayMs);

async function chatCompletions(req, res, body, startedAt) {
  const invalid = validateChat(body);
  if (invalid) return sendError(res, startedAt, 400, invalid[0], 'invalid_request_error', invalid[1], invalid[2]);
  const fault = takeFault(body.model);
  if (fault && (await faultBeforeHeaders(res, startedAt, fault))) return;
  if (injectFault(res, startedAt, body.model)) return;
  if (body.model === 'slow-first-byte') await sleep(opts.slowMs);

  const plan = planChat(body);
  const headers = { ...baseHeaders(startedAt), ...rateLimitHeaders(plan.usage.prompt_tokens) };
  const bodyFault = fault && fault.kind !== 'stall-first-byte' ? fault : null;
  if (body.stream !== true) {
    if (bodyFault) return sendFaultyJson(res, headers, chatCompletionObject(plan), bodyFault);
    return sendJson(res, 200, headers, chatCompletionObject(plan));
  }

  if (res.destroyed) return;
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const { chunks, usageChunk } = streamChunks(plan, body);
  if (bodyFault) return writeFaultyStream(res, usageChunk ? [...chunks, usageChunk] : chunks, bodyFault);
  const error = { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } };
  return streamFrames(res, body.model, {
    frames: (usageChunk ? [...chunks, usageChunk] : chunks).map(sse),
    head: chunks.slice(0, 3).map(sse),
    errorFrame: sse(error),
    endFrame: 'data: [DONE]\n\n',
    delayMs: opts.chunkDelayMs,
  });
}

const EMBEDDING_MODELS = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };

// The shortest decimal that reads back as the same float32, as OpenAI prints them.
function float32Number(f) {
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return Number(s);
  }
  return f;
}

const embeddingVector = (input, dims, model) => unitVector(`${model}|${typeof input === 'string' ? input : JSON.stringify(input)}`, dims);

function embeddingInputs(input) {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0) {
    if (input.every((x) => typeof x === 'string')) return input;
    if (input.every((x) => Number.isInteger(x))) return [input];
    if (input.every((x) => Array.isArray(x) && x.length > 0 && x.every(Number.isInteger))) return input;
  }
  return null;
}

function embeddings(req, res, body, startedAt) {
  if (typeof body.model !== 'string' || body.model === '') {
    return sendError(res, startedAt, 400, 'you must provide a model parameter', 'invalid_request_error');
  }
  if (body.input === undefined) {
    return sendError(res, startedAt, 400, "Missing required parameter: 'input'.", 'invalid_request_error', 'input', 'missing_required_parameter');
  }
  const inputs = embeddingInputs(body.input);
  if (!inputs || inputs.some((x) => x === '')) {
    return sendError(res, startedAt, 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      'invalid_request_error');
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return sendError(res, startedAt, 400, `Invalid value: '${format}'. Supported values are: 'float' and 'base64'.`,
      'invalid_request_error', 'encoding_format', 'invalid_value');
  }
  if (injectFault(res, startedAt, body.model)) return;
  let dims = EMBEDDING_MODELS[body.model] ?? 1536;
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (body.model === 'text-embedding-ada-002') {
      return sendError(res, startedAt, 400, 'This model does not support specifying dimensions.', 'invalid_request_error');
    }
    if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > dims) {
      return sendError(res, startedAt, 400, `Invalid value for 'dimensions' = ${body.dimensions}. Must be between 1 and ${dims}.`,
        'invalid_request_error', 'dimensions', 'invalid_value');
    }
    dims = body.dimensions;
  }
  let prompt = 0;
  const data = inputs.map((input, index) => {
    prompt += typeof input === 'string' ? textTokens(input) : input.length;
    const v = embeddingVector(input, dims, body.model);
    const embedding = format === 'base64' ? Buffer.from(v.buffer).toString('base64') : Array.from(v, float32Number);
    return { object: 'embedding', index, embedding };
  });
  const headers = { ...baseHeaders(startedAt), ...rateLimitHeaders(prompt) };
  sendJson(res, 200, headers, { object: 'list', data, model: body.model, usage: { prompt_tokens: prompt, total_tokens: prompt } });
}

const MODELS = [
  { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
  { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
  { id: 'gpt-4.1', object: 'model', created: 1744316542, owned_by: 'system' },
  { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
  { id: 'text-embedding-3-large', object: 'model', created: 1705953180, owned_by: 'system' },
  { id: 'text-embedding-ada-002', object: 'model', created: 1671217299, owned_by: 'openai-internal' },
];

function models(req, res, id, startedAt) {
  if (id === undefined) return sendJson(res, 200, baseHeaders(startedAt), { object: 'list', data: MODELS });
  const m = MODELS.find((x) => x.id === id);
  if (!m) {
    return sendError(res, startedAt, 404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
  }
  return sendJson(res, 200, baseHeaders(startedAt), m);
}

// -------------------------------------------------------------------- server

function checkAuth(req, res, startedAt) {
  if (!opts.auth) return true;
  const h = req.headers.authorization;
  if (!h) {
    sendError(res, startedAt, 401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error');
    return false;
  }
  const key = h.startsWith('Bearer ') ? h.slice(7) : h;
  if (!key.startsWith('sk-test-')) {
    const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : key;
    sendError(res, startedAt, 401,
      `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error', null, 'invalid_api_key');
    return false;
  }
  return true;
}

// POST /__faults {model, kind, ...} scripts a fault (see the top of this file); DELETE clears them.
function faultsControl(req, res, raw) {
  if (req.method === 'DELETE') {
    scripted.clear();
    res.writeHead(204);
    return res.end();
  }
  let spec = null;
  try {
    spec = JSON.parse(raw);
  } catch {}
  const err = scriptFault(spec);
  return sendJson(res, err ? 400 : 200, {}, err ? { error: err } : { ok: true });
}

async function handle(req, res, { url, body, bodyError, startedAt }) {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const modelMatch = /^GET \/v1\/models\/(.+)$/.exec(route);
  const known = ['POST /v1/chat/completions', 'POST /v1/embeddings', 'GET /v1/models'].includes(route) || modelMatch;
  if (!known) return sendError(res, startedAt, 404, `Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error');
  if (!checkAuth(req, res, startedAt)) return;

  if (route.startsWith('GET ')) return models(req, res, modelMatch ? decodeURIComponent(modelMatch[1]) : undefined, startedAt);
  if (bodyError || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return sendError(res, startedAt, 400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please visit https://platform.openai.com/docs/guides/error-codes/api-errors.)",
      'invalid_request_error');
  }
  if (route === 'POST /v1/chat/completions') return chatCompletions(req, res, body, startedAt);
  return embeddings(req, res, body, startedAt);
}

serve('openai.mjs', opts, {
  handle,
  internalError: (res) => sendError(res, Date.now(), 500, 'fake upstream failure', 'server_error'),
  controls: { '/__faults': faultsControl },
});
