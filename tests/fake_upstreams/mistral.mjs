#!/usr/bin/env node
// A fake Mistral API on loopback for tests: chat completions (JSON and SSE, tool calls,
// images, JSON mode), embeddings and models, in Mistral's wire format, validating requests
// as strictly as the real API, with deterministic content and fault injection by model
// name. Node 20, no dependencies.
//
// Command line, LISTENING line and the control endpoints /__requests and /__connections:
// see common.mjs (this fake takes --no-auth).
//
// Shapes follow the API reference (https://docs.mistral.ai/api/: chat completion,
// embeddings, models; the request schemas as generated into mistralai/client-ts), error
// bodies the error glossary (https://docs.mistral.ai/resources/error-glossary) and bodies
// quoted in public bug reports (422 {"object":"error","message":{"detail":[...]}} for a
// member Mistral does not know, 400 invalid_function_call for a tool call id that is not
// nine alphanumerics, 429 rate_limited code 1300).
//
// Behaviour
//   POST /v1/chat/completions
//     Checks like the real API: the Bearer key starts with "sk-mistral-test" (unless
//     --no-auth: 401 {"message":"Unauthorized"}); any top-level member outside Mistral's
//     schema (max_completion_tokens, seed, stream_options, user, logprobs, ...) and any
//     message or content-part member outside it (name on a user message, refusal,
//     reasoning_content, cache_control, ...) -> 422 extra_forbidden with its `loc`; roles
//     system|user|assistant|tool; tool call ids (assistant tool_calls[].id and tool
//     tool_call_id) of exactly nine [A-Za-z0-9] -> else 400 invalid_function_call
//     code 3280; a tool message must answer an id of an earlier assistant tool call
//     (this fake's stand-in for mistral-common's call/result pairing check);
//     tool_choice auto|none|any|required or {type:function,function:{name}}.
//     Reply: "You said: <text of the last user message>"; "I see N image(s)" (then
//     ". You said: <text>") when it holds images; "Tool results: <...>" when the last
//     message is a tool result. With tools and "weather" in that text (or tool_choice
//     any/required/function), one tool call per city in "weather in A and B" (Paris when
//     none is named; one only with parallel_tool_calls false): {"city": <city>}, id of nine
//     alphanumerics, finish_reason tool_calls. response_format json_object / json_schema
//     answer JSON; max_tokens truncates (one token per word, finish_reason length); n
//     choices; model "context-full" ends with finish_reason model_length.
//     Streams: a role chunk, one chunk per word, and the last content chunk carries
//     finish_reason and usage (no separate usage chunk); tool calls arrive whole in one
//     chunk without `index`; then data: [DONE].
//   POST /v1/embeddings  input string or string[]; deterministic unit vectors of 1024 dims
//     (or output_dimension); members outside the schema (dimensions, user) -> 422.
//   GET /v1/models, GET /v1/models/{id}
//   Headers on every answer: mistral-correlation-id, x-kong-request-id; on chat and
//     embeddings x-ratelimit-{limit,remaining}-{tokens,req}-minute, -tokens-month.
//   Fault models (chat and embeddings): fail-401, fail-404 (invalid model), fail-429
//     (rate_limited + retry-after: 1), fail-quota (429, monthly tokens remaining 0),
//     fail-500, fail-503; streams only: fail-midstream (a few chunks, then a data: error
//     object, no [DONE]), fail-truncated (chunks, then the response ends without [DONE]),
//     fail-reset (chunks, then the connection is destroyed); slow-first-byte (waits
//     --slow-ms before the status line).

import {
  HEX, NO_AUTH, lastUser, partsOf, readOptions, sendBody, serve, sleep, streamFrames, textTokens, token, unitVector,
  words,
} from './common.mjs';

const opts = readOptions('mistral.mjs', NO_AUTH);

let requestCounter = 0;
const TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;

// ----------------------------------------------------------------- HTTP helpers

function baseHeaders() {
  requestCounter += 1;
  const id = token(`req${requestCounter}`, 32, HEX);
  return { 'mistral-correlation-id': id, 'x-kong-request-id': id.slice(0, 24) };
}

function rateLimitHeaders(tokens, monthRemaining = 1000000000) {
  return {
    'x-ratelimit-limit-req-minute': '720',
    'x-ratelimit-remaining-req-minute': '719',
    'x-ratelimit-limit-tokens-minute': '5000000',
    'x-ratelimit-remaining-tokens-minute': String(5000000 - tokens),
    'x-ratelimit-tokens-query-cost': String(tokens),
    'x-ratelimit-limit-tokens-month': '1000000000',
    'x-ratelimit-remaining-tokens-month': String(monthRemaining),
  };
}

const sendJson = (res, status, headers, obj) => sendBody(res, status, headers, 'application/json', JSON.stringify(obj));

// {"object":"error","message":...,"type":...,"param":null,"code":...}
function sendError(res, status, message, type, code = null, extraHeaders = {}) {
  sendJson(res, status, { ...baseHeaders(), ...extraHeaders }, { object: 'error', message, type, param: null, code });
}

class Invalid extends Error {
  constructor(status, message, type, code = null) {
    super(typeof message === 'string' ? message : 'validation');
    this.status = status;
    this.body = message;
    this.type = type;
    this.code = code;
  }
}

// A pydantic-style 422 with one or more detail items.
const validation = (items) => new Invalid(422, { detail: items }, 'invalid_request_error');
const extraForbidden = (loc, input) => ({ type: 'extra_forbidden', loc: ['body', ...loc], msg: 'Extra inputs are not permitted', input });
const missing = (loc) => ({ type: 'missing', loc: ['body', ...loc], msg: 'Field required', input: null });
const badValue = (loc, msg, input) => ({ type: 'value_error', loc: ['body', ...loc], msg, input });

// --------------------------------------------------------------- validation

const CHAT_MEMBERS = new Set(['model', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'messages',
  'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction',
  'parallel_tool_calls', 'prompt_mode', 'safe_prompt']);
const MESSAGE_MEMBERS = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'prefix']),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
};
const CHUNK_MEMBERS = { text: new Set(['type', 'text']), image_url: new Set(['type', 'image_url']) };

function checkContent(content, loc, role, items) {
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) {
    items.push(badValue([...loc, 'content'], 'Input should be a valid string or list', content));
    return;
  }
  content.forEach((chunk, j) => {
    const at = [...loc, 'content', j];
    const allowed = chunk && CHUNK_MEMBERS[chunk.type];
    if (!allowed || (chunk.type === 'image_url' && role !== 'user')) {
      items.push(badValue([...at, 'type'], `Input tag '${chunk && chunk.type}' found using 'type' does not match any of the expected tags`, chunk));
      return;
    }
    for (const k of Object.keys(chunk)) if (!allowed.has(k)) items.push(extraForbidden([...at, chunk.type, k], chunk[k]));
    if (chunk.type === 'text' && typeof chunk.text !== 'string') items.push(missing([...at, 'text', 'text']));
    if (chunk.type === 'image_url') {
      const iu = chunk.image_url;
      const ok = typeof iu === 'string' || (iu && typeof iu === 'object' && typeof iu.url === 'string');
      if (!ok) items.push(badValue([...at, 'image_url', 'image_url'], 'Input should be a valid string or ImageURL', iu));
    }
  });
}

function checkToolCallId(id) {
  if (typeof id !== 'string' || !TOOL_CALL_ID.test(id)) {
    throw new Invalid(400, `Tool call id was ${id} but must be a-z, A-Z, 0-9, with a length of 9.`, 'invalid_function_call', '3280');
  }
}

function validateChat(body) {
  const items = [];
  for (const k of Object.keys(body)) if (!CHAT_MEMBERS.has(k)) items.push(extraForbidden([k], body[k]));
  if (typeof body.model !== 'string' || body.model === '') items.push(missing(['model']));
  if (!Array.isArray(body.messages)) items.push(missing(['messages']));
  if (body.tool_choice !== undefined) {
    const tc = body.tool_choice;
    const ok = ['auto', 'none', 'any', 'required'].includes(tc) ||
      (tc && typeof tc === 'object' && tc.type === 'function' && tc.function && typeof tc.function.name === 'string');
    if (!ok) items.push(badValue(['tool_choice'], "Input should be 'auto', 'none', 'any' or 'required'", tc));
  }
  if (body.max_tokens !== undefined && body.max_tokens !== null && !(Number.isInteger(body.max_tokens) && body.max_tokens >= 0)) {
    items.push(badValue(['max_tokens'], 'Input should be a valid integer', body.max_tokens));
  }
  if (Array.isArray(body.messages)) {
    body.messages.forEach((m, i) => {
      const role = m && m.role;
      const allowed = MESSAGE_MEMBERS[role];
      if (!allowed) {
        items.push(badValue(['messages', i, 'role'], "Input tag found using 'role' does not match any of the expected tags: 'system', 'user', 'assistant', 'tool'", role));
        return;
      }
      for (const k of Object.keys(m)) if (!allowed.has(k)) items.push(extraForbidden(['messages', i, role, k], m[k]));
      checkContent(m.content, ['messages', i, role], role, items);
    });
  }
  if (items.length > 0) throw validation(items);

  if (body.messages.length === 0) throw new Invalid(400, 'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant', 'invalid_request_error', '3230');
  const issued = new Set();
  for (const m of body.messages) {
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        checkToolCallId(call && call.id);
        const args = call.function && call.function.arguments;
        if (typeof args === 'string') {
          try {
            JSON.parse(args);
          } catch {
            throw new Invalid(400, `Invalid tool call arguments: ${args}`, 'invalid_function_call', '3281');
          }
        }
        issued.add(call.id);
      }
    }
    if (m.role === 'tool') {
      checkToolCallId(m.tool_call_id);
      if (!issued.has(m.tool_call_id)) {
        throw new Invalid(400, `Unexpected tool call id ${m.tool_call_id} in tool results`, 'invalid_function_call', '3230');
      }
    }
  }
}

// ----------------------------------------------------------- chat: the answer

function replyText(messages) {
  const last = messages[messages.length - 1];
  if (last && last.role === 'tool') {
    const results = [];
    for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) results.unshift(partsOf(messages[i].content).text);
    return `Tool results: ${results.join('; ')}`;
  }
  const user = lastUser(messages);
  const { text, images } = user ? partsOf(user.content) : { text: '', images: 0 };
  if (images > 0) return `I see ${images} image${images === 1 ? '' : 's'}` + (text ? `. You said: ${text}` : '');
  return `You said: ${text}`;
}

function plannedToolCalls(body, seed) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t && t.type === 'function' && t.function) : [];
  const last = body.messages[body.messages.length - 1];
  if (tools.length === 0 || body.tool_choice === 'none' || last.role === 'tool') return [];
  const user = lastUser(body.messages);
  const text = user ? partsOf(user.content).text : '';
  const forced = ['any', 'required'].includes(body.tool_choice) || (body.tool_choice && typeof body.tool_choice === 'object');
  if (!forced && !/weather/i.test(text)) return [];
  let tool = tools[0];
  if (body.tool_choice && typeof body.tool_choice === 'object') {
    tool = tools.find((t) => t.function.name === body.tool_choice.function.name) || tool;
  }
  const m = /weather (?:in|for) ([A-Za-z ,]+?)(?:[?.!]|$)/i.exec(text);
  let cities = m ? m[1].split(/\s+and\s+|,\s*/i).map((c) => c.trim()).filter(Boolean) : [];
  if (cities.length === 0) cities = ['Paris'];
  if (body.parallel_tool_calls === false) cities = cities.slice(0, 1);
  return cities.map((city, i) => ({
    id: token(`${seed}/call/${i}`, 9),
    function: { name: tool.function.name, arguments: JSON.stringify({ city }) },
  }));
}

function answerText(body) {
  const reply = replyText(body.messages);
  const rf = body.response_format;
  if (rf && rf.type === 'json_object') return JSON.stringify({ reply });
  if (rf && rf.type === 'json_schema') {
    const props = (rf.json_schema && rf.json_schema.schema && rf.json_schema.schema.properties) || {};
    const out = {};
    for (const [k, v] of Object.entries(props)) out[k] = v && (v.type === 'number' || v.type === 'integer') ? 1 : v && v.type === 'boolean' ? true : reply;
    return JSON.stringify(out);
  }
  return reply;
}

function planChat(body) {
  const seed = `${body.model}|${JSON.stringify(body.messages)}`;
  const toolCalls = plannedToolCalls(body, seed);
  let pieces = [];
  let finishReason = 'stop';
  if (toolCalls.length > 0) {
    finishReason = 'tool_calls';
  } else {
    pieces = words(answerText(body));
    if (Number.isInteger(body.max_tokens) && pieces.length > body.max_tokens) {
      pieces = pieces.slice(0, body.max_tokens);
      finishReason = 'length';
    } else if (body.model === 'context-full') {
      finishReason = 'model_length';
    }
  }
  let prompt = 3;
  for (const m of body.messages) prompt += 3 + textTokens(partsOf(m.content).text) + partsOf(m.content).images * 64;
  if (Array.isArray(body.tools)) prompt += textTokens(JSON.stringify(body.tools));
  const n = Number.isInteger(body.n) && body.n > 0 ? Math.min(body.n, 8) : 1;
  const completion = (toolCalls.length ? toolCalls.reduce((s, c) => s + textTokens(c.function.arguments) + 5, 0) : pieces.length) * n;
  return {
    id: token(seed + requestCounter, 32, HEX),
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    n,
    pieces,
    toolCalls,
    finishReason,
    // Mistral's key order: prompt, total, completion.
    usage: { prompt_tokens: prompt, total_tokens: prompt + completion, completion_tokens: completion },
  };
}

function chatCompletionObject(plan) {
  const choices = [];
  for (let i = 0; i < plan.n; i++) {
    const message = plan.toolCalls.length
      ? { role: 'assistant', content: '', tool_calls: plan.toolCalls.map((c) => ({ id: c.id, type: 'function', function: c.function })), prefix: false }
      : { role: 'assistant', content: plan.pieces.join(''), tool_calls: null, prefix: false };
    choices.push({ index: i, message, finish_reason: plan.finishReason });
  }
  return { id: plan.id, object: 'chat.completion', model: plan.model, usage: plan.usage, created: plan.created, choices };
}

// The chunk objects of a streamed answer, the last one with finish_reason and usage.
function streamChunks(plan) {
  const chunk = (choices, usage) => {
    const c = { id: plan.id, object: 'chat.completion.chunk', created: plan.created, model: plan.model, choices };
    if (usage) c.usage = usage;
    return c;
  };
  const choice = (index, delta, finish = null) => ({ index, delta, finish_reason: finish });
  const chunks = [];
  for (let i = 0; i < plan.n; i++) chunks.push(chunk([choice(i, { role: 'assistant', content: '' })]));
  if (plan.toolCalls.length > 0) {
    for (let i = 0; i < plan.n; i++) {
      const last = i === plan.n - 1;
      chunks.push(chunk([choice(i, { content: '', tool_calls: plan.toolCalls.map((c) => ({ id: c.id, function: c.function })) }, plan.finishReason)],
        last ? plan.usage : undefined));
    }
    return chunks;
  }
  plan.pieces.forEach((piece, k) => {
    const lastPiece = k === plan.pieces.length - 1;
    for (let i = 0; i < plan.n; i++) {
      const last = lastPiece && i === plan.n - 1;
      chunks.push(chunk([choice(i, { content: piece }, lastPiece ? plan.finishReason : null)], last ? plan.usage : undefined));
    }
  });
  if (plan.pieces.length === 0) {
    for (let i = 0; i < plan.n; i++) chunks.push(chunk([choice(i, { content: '' }, plan.finishReason)], i === plan.n - 1 ? plan.usage : undefined));
  }
  return chunks;
}

// ------------------------------------------------------------------- faults

// Faults shared by chat and embeddings; returns true when it answered.
function injectFault(res, model) {
  switch (model) {
    case 'fail-401':
      sendJson(res, 401, baseHeaders(), { message: 'Unauthorized', request_id: token(`401/${requestCounter}`, 32, HEX) });
      return true;
    case 'fail-404':
      sendError(res, 404, `Invalid model: ${model}`, 'invalid_model', '1500');
      return true;
    case 'fail-429':
      sendError(res, 429, 'Rate limit exceeded', 'rate_limited', '1300', {
        'retry-after': '1',
        ...rateLimitHeaders(0),
        'x-ratelimit-remaining-req-minute': '0',
      });
      return true;
    case 'fail-quota':
      sendError(res, 429, 'Monthly token limit exceeded', 'rate_limited', '1300', { ...rateLimitHeaders(0, 0) });
      return true;
    case 'fail-500':
      sendError(res, 500, 'Internal server error', 'internal_server_error', '3000');
      return true;
    case 'fail-503':
      sendError(res, 503, 'Service unavailable.', 'service_unavailable', '3505');
      return true;
    default:
      return false;
  }
}

// ------------------------------------------------------------------ endpoints

const sse = (chunk) => `data: ${JSON.stringify(chunk)}\n\n`;

async function chatCompletions(res, body) {
  validateChat(body);
  if (injectFault(res, body.model)) return;
  if (body.model === 'slow-first-byte') await sleep(opts.slowMs);

  const plan = planChat(body);
  const headers = { ...baseHeaders(), ...rateLimitHeaders(plan.usage.total_tokens) };
  if (body.stream !== true) return sendJson(res, 200, headers, chatCompletionObject(plan));

  if (res.destroyed) return;
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const error = { object: 'error', message: 'Internal server error', type: 'internal_server_error', param: null, code: '3000' };
  return streamFrames(res, body.model, {
    frames: streamChunks(plan).map(sse),
    errorFrame: sse(error),
    endFrame: 'data: [DONE]\n\n',
    delayMs: opts.chunkDelayMs,
  });
}

const EMBEDDING_MEMBERS = new Set(['model', 'input', 'output_dimension', 'output_dtype', 'encoding_format', 'metadata']);

const embeddingVector = (text, dims, model) => unitVector(`${model}|${text}`, dims);

function embeddings(res, body) {
  const items = [];
  for (const k of Object.keys(body)) if (!EMBEDDING_MEMBERS.has(k)) items.push(extraForbidden([k], body[k]));
  if (typeof body.model !== 'string' || body.model === '') items.push(missing(['model']));
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((x) => typeof x !== 'string')) {
    items.push(badValue(['input'], 'Input should be a valid string or a list of strings', body.input));
  }
  const dimsAsked = body.output_dimension;
  if (dimsAsked !== undefined && dimsAsked !== null && !(Number.isInteger(dimsAsked) && dimsAsked > 0 && dimsAsked <= 3072)) {
    items.push(badValue(['output_dimension'], 'Input should be a positive integer', dimsAsked));
  }
  if (body.encoding_format !== undefined && !['float', 'base64'].includes(body.encoding_format)) {
    items.push(badValue(['encoding_format'], "Input should be 'float' or 'base64'", body.encoding_format));
  }
  if (items.length > 0) throw validation(items);
  if (injectFault(res, body.model)) return;
  const dims = Number.isInteger(dimsAsked) ? dimsAsked : 1024;
  let prompt = 0;
  const data = inputs.map((text, index) => {
    prompt += textTokens(text);
    const v = embeddingVector(text, dims, body.model);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(v.buffer).toString('base64') : Array.from(v);
    return { object: 'embedding', embedding, index };
  });
  sendJson(res, 200, { ...baseHeaders(), ...rateLimitHeaders(prompt) }, {
    id: token(`emb/${requestCounter}`, 32, HEX),
    object: 'list',
    data,
    model: body.model,
    usage: { prompt_tokens: prompt, total_tokens: prompt, completion_tokens: 0 },
  });
}

function modelCard(id, created, chat, maxContext) {
  return {
    id,
    object: 'model',
    created,
    owned_by: 'mistralai',
    capabilities: { completion_chat: chat, completion_fim: false, function_calling: chat, fine_tuning: false, vision: chat, classification: false },
    name: id,
    description: `Fake ${id}`,
    max_context_length: maxContext,
    aliases: [],
    deprecation: null,
    default_model_temperature: chat ? 0.3 : null,
    type: 'base',
  };
}

const MODELS = [
  modelCard('mistral-large-latest', 1731024000, true, 131072),
  modelCard('mistral-small-latest', 1726358400, true, 131072),
  modelCard('pixtral-large-latest', 1731024000, true, 131072),
  modelCard('mistral-embed', 1702252800, false, 8192),
  modelCard('codestral-embed', 1748390400, false, 8192),
];

function models(res, id) {
  if (id === undefined) return sendJson(res, 200, baseHeaders(), { object: 'list', data: MODELS });
  const m = MODELS.find((x) => x.id === id);
  if (!m) return sendJson(res, 404, baseHeaders(), { detail: 'Model not found' });
  return sendJson(res, 200, baseHeaders(), m);
}

// -------------------------------------------------------------------- server

function checkAuth(req, res) {
  if (!opts.auth) return true;
  const h = req.headers.authorization || '';
  const key = h.startsWith('Bearer ') ? h.slice(7) : '';
  if (!key.startsWith('sk-mistral-test')) {
    sendJson(res, 401, baseHeaders(), { message: 'Unauthorized', request_id: token(`auth/${requestCounter}`, 32, HEX) });
    return false;
  }
  return true;
}

async function handle(req, res, { url, body, bodyError }) {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const modelMatch = /^GET \/v1\/models\/(.+)$/.exec(route);
  const known = ['POST /v1/chat/completions', 'POST /v1/embeddings', 'GET /v1/models'].includes(route) || modelMatch;
  if (!known) return sendJson(res, 404, baseHeaders(), { detail: 'Not Found' });
  if (!checkAuth(req, res)) return;

  if (route.startsWith('GET ')) return models(res, modelMatch ? decodeURIComponent(modelMatch[1]) : undefined);
  if (bodyError || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return sendError(res, 422, { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }] }, 'invalid_request_error');
  }
  try {
    if (route === 'POST /v1/chat/completions') return await chatCompletions(res, body);
    return embeddings(res, body);
  } catch (e) {
    if (e instanceof Invalid) return sendError(res, e.status, e.body, e.type, e.code);
    throw e;
  }
}

serve('mistral.mjs', opts, { handle, internalError: (res) => sendError(res, 500, 'fake upstream failure', 'internal_server_error') });
