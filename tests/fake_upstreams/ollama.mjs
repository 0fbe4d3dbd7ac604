#!/usr/bin/env node
// A fake Ollama server on loopback for tests: the native API (/api/chat as NDJSON or
// JSON, /api/embed, /api/tags, /api/pull, /api/version, /api/ps), with deterministic
// content and fault injection by model name. Node 20, no dependencies.
//
// Command line, LISTENING line and the control endpoints /__requests and /__connections:
// see common.mjs. Like a local Ollama it needs no key; with --api-key KEY (ollama.com style)
// every /api request must carry "Authorization: Bearer KEY".
//
// Shapes follow ollama docs/api.md (chat, embed, tags, pull, version, ps; durations in
// nanoseconds, created_at RFC 3339 with nanoseconds) and its error convention: a JSON
// {"error": "..."} body, and, once a stream has started, an {"error": "..."} line with the
// HTTP status still 200.
//
// Behaviour
//   POST /api/chat
//     `stream` defaults to true (NDJSON, content-type application/x-ndjson) when omitted;
//     false answers one JSON object. Checks: model present (400 "model is required") and
//     known (404 "model 'x' not found, try pulling it first"; embedding-only models 400
//     "does not support chat"); roles system|user|assistant|tool; `images` entries valid
//     base64 without a data: prefix (400 "illegal base64 data at input byte N"); tool call
//     arguments objects (a JSON string is refused as Go's decoder does); options values of
//     the right JSON type; format "json" or a schema object.
//     Reply: "You said: <text of the last user message>"; "I see N image(s)" (then
//     ". You said: <text>") when it has images; "Tool results: <...>" when the last message
//     is a tool result (naming tool_name when given). With tools and "weather" in that
//     text, one tool call per city in "weather in A and B" (Paris when none is named) with
//     {"city": <city>} arguments, all in one line, then the done line (done_reason "stop",
//     as Ollama says it). format "json" / a schema answers JSON; options.num_predict
//     truncates (one token per word, done_reason "length"). Streams: one line per word,
//     then {"done": true, "done_reason", total_duration, load_duration, prompt_eval_count,
//     prompt_eval_duration, eval_count, eval_duration}. An empty messages array loads the
//     model (done_reason "load"; "unload" with keep_alive 0).
//   POST /api/embed  input string or string[] -> {"model","embeddings":[[...]],
//     total_duration, load_duration, prompt_eval_count}; always 2-D; deterministic unit
//     vectors of the model's size (all-minilm 384, nomic-embed-text 768, others 1024) or
//     `dimensions`. POST /api/embeddings (legacy): {prompt} -> {embedding}.
//   GET /api/tags, GET /api/ps, GET /api/version {"version"}
//   POST /api/pull  {model, stream?}: NDJSON progress ({"status":"pulling manifest"},
//     several {"status":"pulling <digest>","digest","total","completed"}, "verifying sha256
//     digest", "writing manifest", {"status":"success"}); stream false -> {"status":"success"};
//     models named "missing..." fail with {"error":"pull model manifest: file does not
//     exist"} (a line when streaming, a 500 otherwise). A pulled model is listed afterwards.
//   Fault models (chat and embed): fail-400, fail-401, fail-429 (retry-after: 1), fail-500,
//     fail-503 (server busy); streams only: fail-midstream (a few lines, then an
//     {"error"} line, HTTP 200), fail-truncated (lines, then the body ends without
//     done:true), fail-reset (lines, then the connection is destroyed); slow-first-byte
//     (waits --slow-ms before the status line).

import {
  API_KEY, HEX, lastUser, readOptions, sendBody, serve, sleep, streamFrames, textTokens, token, unitVector, words,
  writeFrames,
} from './common.mjs';

const opts = readOptions('ollama.mjs', API_KEY);

// ------------------------------------------------------------ deterministic data

const hex = (seed, length) => token(seed, length, HEX);

// Go's time.Time JSON form: RFC 3339 with nanoseconds ("2024-07-22T20:33:28.123648391Z").
function goTime(ms = Date.now(), extraNs = 0) {
  const iso = new Date(ms).toISOString(); // ...T20:33:28.123Z
  return `${iso.slice(0, 23)}${String(extraNs % 1000000).padStart(6, '0')}Z`;
}

// ------------------------------------------------------------------ the models

const FAULTS = new Set(['fail-400', 'fail-401', 'fail-429', 'fail-500', 'fail-503', 'fail-midstream', 'fail-truncated',
  'fail-reset', 'slow-first-byte']);

function modelEntry(name, family, parameterSize, size, embedDims = 0) {
  return {
    name,
    model: name,
    modified_at: '2025-01-15T10:21:37.123456789-08:00',
    size,
    digest: hex(`digest/${name}`, 64),
    details: { parent_model: '', format: 'gguf', family, families: [family], parameter_size: parameterSize, quantization_level: 'Q4_K_M' },
    embedDims,
  };
}

const installed = [
  modelEntry('llama3.2:latest', 'llama', '3.2B', 2019393189),
  modelEntry('llava:latest', 'llama', '7B', 4733363377),
  modelEntry('qwen3:latest', 'qwen3', '8.2B', 5225387923),
  modelEntry('all-minilm:latest', 'bert', '23M', 45960996, 384),
  modelEntry('nomic-embed-text:latest', 'nomic-bert', '137M', 274302450, 768),
];

const fullName = (name) => (name.includes(':') ? name : `${name}:latest`);
const findModel = (name) => installed.find((m) => m.name === fullName(name));

// ----------------------------------------------------------------- HTTP helpers

const sendJson = (res, status, obj, headers = {}) =>
  sendBody(res, status, headers, 'application/json; charset=utf-8', JSON.stringify(obj));

const sendError = (res, status, message, headers = {}) => sendJson(res, status, { error: message }, headers);

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const ndjson = (line) => `${JSON.stringify(line)}\n`;
const writeLines = (res, lines, end) => writeFrames(res, lines.map(ndjson), end, opts.chunkDelayMs);

function startNdjson(res) {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' });
}

// Faults shared by chat and embed; returns true when it answered.
function injectFault(res, model) {
  switch (model) {
    case 'fail-400':
      sendError(res, 400, 'invalid options: fake failure');
      return true;
    case 'fail-401':
      sendError(res, 401, 'unauthorized');
      return true;
    case 'fail-429':
      sendError(res, 429, 'you (fake) have reached your hourly usage limit, please upgrade or try again later', { 'retry-after': '1' });
      return true;
    case 'fail-500':
      sendError(res, 500, 'llama runner process has terminated: exit status 2');
      return true;
    case 'fail-503':
      sendError(res, 503, 'server busy, please try again.  maximum pending requests exceeded');
      return true;
    default:
      return false;
  }
}

function requireModel(body, { chat }) {
  if (typeof body.model !== 'string' || body.model === '') throw new ApiError(400, 'model is required');
  if (FAULTS.has(body.model)) return null;
  const m = findModel(body.model);
  if (!m) throw new ApiError(404, `model '${body.model}' not found, try pulling it first`);
  if (chat && m.embedDims > 0) throw new ApiError(400, `"${body.model}" does not support chat`);
  if (!chat && m.embedDims === 0 && !body.model.startsWith('llama')) throw new ApiError(400, `"${body.model}" does not support embeddings`);
  return m;
}

// ------------------------------------------------------------------- validation

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const OPTION_TYPES = {
  num_keep: 'integer', seed: 'integer', num_predict: 'integer', top_k: 'integer', top_p: 'number', min_p: 'number',
  typical_p: 'number', repeat_last_n: 'integer', temperature: 'number', repeat_penalty: 'number', presence_penalty: 'number',
  frequency_penalty: 'number', mirostat: 'integer', mirostat_tau: 'number', mirostat_eta: 'number', penalize_newline: 'boolean',
  stop: 'array', numa: 'boolean', num_ctx: 'integer', num_batch: 'integer', num_gpu: 'integer', main_gpu: 'integer',
  low_vram: 'boolean', vocab_only: 'boolean', use_mmap: 'boolean', use_mlock: 'boolean', num_thread: 'integer',
};

function checkOptions(options) {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) throw new ApiError(400, 'json: cannot unmarshal into Go struct field ChatRequest.options of type map[string]interface {}');
  for (const [k, v] of Object.entries(options)) {
    const want = OPTION_TYPES[k];
    if (!want) continue; // Ollama logs "invalid option provided" and goes on
    const ok = want === 'integer' ? Number.isInteger(v) : want === 'number' ? typeof v === 'number'
      : want === 'boolean' ? typeof v === 'boolean' : Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (!ok) throw new ApiError(400, `option "${k}" must be of type ${want}`);
  }
}

function validateChat(body) {
  if (!Array.isArray(body.messages)) {
    if (body.messages !== undefined) throw new ApiError(400, 'json: cannot unmarshal into Go struct field ChatRequest.messages of type []api.Message');
    body.messages = [];
  }
  body.messages.forEach((m, i) => {
    if (!m || !['system', 'user', 'assistant', 'tool'].includes(m.role)) {
      throw new ApiError(400, `invalid role "${m && m.role}" in messages[${i}]`);
    }
    if (m.content !== undefined && typeof m.content !== 'string') {
      throw new ApiError(400, 'json: cannot unmarshal array into Go struct field Message.messages.content of type string');
    }
    for (const img of m.images || []) {
      if (typeof img !== 'string' || !BASE64.test(img) || img.length % 4 !== 0) {
        const at = typeof img === 'string' ? [...img].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c)) : 0;
        throw new ApiError(400, `illegal base64 data at input byte ${Math.max(at, 0)}`);
      }
    }
    for (const call of m.tool_calls || []) {
      const args = call && call.function && call.function.arguments;
      if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
        throw new ApiError(400, `json: cannot unmarshal ${Array.isArray(args) ? 'array' : typeof args} into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments`);
      }
    }
  });
  checkOptions(body.options);
  if (body.format !== undefined && body.format !== '' && body.format !== 'json' && (typeof body.format !== 'object' || body.format === null)) {
    throw new ApiError(400, `invalid format: "${body.format}"`);
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw new ApiError(400, 'json: cannot unmarshal into Go struct field ChatRequest.stream of type bool');
}

// ----------------------------------------------------------------- the answer

function replyText(messages) {
  const last = messages[messages.length - 1];
  if (last && last.role === 'tool') {
    const results = [];
    for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) {
      const m = messages[i];
      results.unshift(m.tool_name ? `${m.tool_name}: ${m.content || ''}` : m.content || '');
    }
    return `Tool results: ${results.join('; ')}`;
  }
  const user = lastUser(messages);
  const text = (user && user.content) || '';
  const images = user && Array.isArray(user.images) ? user.images.length : 0;
  if (images > 0) return `I see ${images} image${images === 1 ? '' : 's'}` + (text ? `. You said: ${text}` : '');
  return `You said: ${text}`;
}

function plannedToolCalls(body) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t && t.type === 'function' && t.function) : [];
  const last = body.messages[body.messages.length - 1];
  if (tools.length === 0 || !last || last.role === 'tool') return [];
  const user = lastUser(body.messages);
  const text = (user && user.content) || '';
  if (!/weather/i.test(text)) return [];
  const m = /weather (?:in|for) ([A-Za-z ,]+?)(?:[?.!]|$)/i.exec(text);
  let cities = m ? m[1].split(/\s+and\s+|,\s*/i).map((c) => c.trim()).filter(Boolean) : [];
  if (cities.length === 0) cities = ['Paris'];
  return cities.map((city) => ({ function: { name: tools[0].function.name, arguments: { city } } }));
}

function answerText(body) {
  const reply = replyText(body.messages);
  if (body.format === 'json') return JSON.stringify({ reply });
  if (body.format && typeof body.format === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(body.format.properties || {})) {
      out[k] = v && (v.type === 'integer' || v.type === 'number') ? 22 : v && v.type === 'boolean' ? true : reply;
    }
    return JSON.stringify(out);
  }
  return reply;
}

function planChat(body) {
  const started = Date.now();
  if (body.messages.length === 0) {
    return { loadOnly: true, doneReason: body.keep_alive === 0 || body.keep_alive === '0' ? 'unload' : 'load', pieces: [], toolCalls: [], started };
  }
  const toolCalls = plannedToolCalls(body);
  let pieces = [];
  let doneReason = 'stop';
  if (toolCalls.length === 0) {
    pieces = words(answerText(body));
    const limit = body.options && body.options.num_predict;
    if (Number.isInteger(limit) && limit >= 0 && pieces.length > limit) {
      pieces = pieces.slice(0, limit);
      doneReason = 'length';
    }
  }
  let prompt = 1;
  for (const m of body.messages) prompt += 4 + textTokens(m.content || '') + (m.images ? m.images.length * 576 : 0);
  if (Array.isArray(body.tools)) prompt += textTokens(JSON.stringify(body.tools));
  const evalCount = toolCalls.length ? toolCalls.reduce((s, c) => s + textTokens(JSON.stringify(c)), 0) : pieces.length;
  return { loadOnly: false, doneReason, pieces, toolCalls, prompt, evalCount, started };
}

function finalFields(plan) {
  const evalNs = plan.evalCount * 18000000;
  const promptNs = plan.prompt * 1200000;
  const loadNs = 2154458;
  return {
    done_reason: plan.doneReason,
    done: true,
    total_duration: loadNs + promptNs + evalNs + 1000000,
    load_duration: loadNs,
    prompt_eval_count: plan.prompt,
    prompt_eval_duration: promptNs,
    eval_count: plan.evalCount,
    eval_duration: evalNs,
  };
}

async function chat(res, body) {
  requireModel(body, { chat: true });
  validateChat(body);
  if (injectFault(res, body.model)) return;
  if (body.model === 'slow-first-byte') await sleep(opts.slowMs);
  const plan = planChat(body);
  const stream = body.stream !== false; // Ollama streams unless told not to
  const base = (i = 0) => ({ model: body.model, created_at: goTime(plan.started + i, 123456 + i) });

  if (plan.loadOnly) {
    return sendJson(res, 200, { ...base(), message: { role: 'assistant', content: '' }, done_reason: plan.doneReason, done: true });
  }
  if (!stream) {
    const message = { role: 'assistant', content: plan.toolCalls.length ? '' : plan.pieces.join('') };
    if (plan.toolCalls.length) message.tool_calls = plan.toolCalls;
    return sendJson(res, 200, { ...base(), message, ...finalFields(plan) });
  }

  const lines = [];
  if (plan.toolCalls.length) {
    lines.push({ ...base(1), message: { role: 'assistant', content: '', tool_calls: plan.toolCalls }, done: false });
  } else {
    plan.pieces.forEach((piece, i) => lines.push({ ...base(i), message: { role: 'assistant', content: piece }, done: false }));
  }
  const done = { ...base(lines.length + 1), message: { role: 'assistant', content: '' }, ...finalFields(plan) };
  if (res.destroyed) return;
  startNdjson(res);
  return streamFrames(res, body.model, {
    frames: [...lines, done].map(ndjson),
    head: lines.slice(0, 3).map(ndjson),
    errorFrame: ndjson({ error: 'an error was encountered while running the model: unexpected EOF' }),
    delayMs: opts.chunkDelayMs,
  });
}

const embeddingVector = (text, dims, model) => Array.from(unitVector(`${model}|${text}`, dims));

function embed(res, body) {
  const m = requireModel(body, { chat: false });
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.some((x) => typeof x !== 'string')) {
    throw new ApiError(400, 'invalid input type');
  }
  if (body.dimensions !== undefined && !(Number.isInteger(body.dimensions) && body.dimensions > 0)) {
    throw new ApiError(400, 'dimensions must be a positive integer');
  }
  checkOptions(body.options);
  if (injectFault(res, body.model)) return;
  const native = (m && m.embedDims) || 1024;
  if (body.dimensions > native) throw new ApiError(400, `dimensions must be between 1 and ${native}`);
  const dims = body.dimensions || native;
  const prompt = inputs.reduce((s, t) => s + textTokens(t), 0);
  const out = { model: body.model, embeddings: inputs.map((t) => embeddingVector(t, dims, body.model)) };
  if (inputs.length > 0) Object.assign(out, { total_duration: 14143917, load_duration: 1019500, prompt_eval_count: prompt });
  sendJson(res, 200, out);
}

function legacyEmbeddings(res, body) {
  const m = requireModel(body, { chat: false });
  if (typeof body.prompt !== 'string') throw new ApiError(400, 'prompt is required');
  sendJson(res, 200, { embedding: embeddingVector(body.prompt, (m && m.embedDims) || 1024, body.model).map((x) => Number(x)) });
}

const publicEntry = ({ embedDims, ...rest }) => rest; // eslint-disable-line no-unused-vars

function tags(res) {
  sendJson(res, 200, { models: installed.map(publicEntry) });
}

function ps(res) {
  const loaded = installed.slice(0, 1).map((m) => ({
    ...publicEntry(m),
    expires_at: goTime(Date.now() + 300000),
    size_vram: m.size,
    context_length: 4096,
  }));
  sendJson(res, 200, { models: loaded });
}

async function pull(res, body) {
  const name = typeof body.model === 'string' && body.model ? body.model : body.name;
  if (typeof name !== 'string' || name === '') throw new ApiError(400, 'model is required');
  const stream = body.stream !== false;
  const failing = name.startsWith('missing');
  if (!stream) {
    if (failing) return sendError(res, 500, 'pull model manifest: file does not exist');
    if (!findModel(name)) installed.push(modelEntry(fullName(name), 'llama', '1B', 1321098329));
    return sendJson(res, 200, { status: 'success' });
  }
  startNdjson(res);
  const lines = [{ status: 'pulling manifest' }];
  if (failing) return writeLines(res, lines, () => res.end(ndjson({ error: 'pull model manifest: file does not exist' })));
  const layers = [
    { digest: `sha256:${hex(`${name}/model`, 64)}`, total: 1321082688 },
    { digest: `sha256:${hex(`${name}/template`, 64)}`, total: 1429 },
  ];
  for (const layer of layers) {
    for (const part of [0, 1, 2, 3, 4]) {
      const line = { status: `pulling ${layer.digest.slice(7, 19)}`, digest: layer.digest, total: layer.total };
      if (part > 0) line.completed = Math.floor((layer.total * part) / 4);
      lines.push(line);
    }
  }
  lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
  return writeLines(res, lines, () => {
    if (!findModel(name)) installed.push(modelEntry(fullName(name), 'llama', '1B', 1321098329));
    res.end();
  });
}

// -------------------------------------------------------------------- server

async function handle(req, res, { url, raw, body: parsed, bodyError }) {
  const body = raw.length > 0 ? parsed : {};
  if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('Ollama is running');
  }
  const route = `${req.method} ${url.pathname}`;
  const handlers = {
    'POST /api/chat': () => chat(res, body),
    'POST /api/embed': () => embed(res, body),
    'POST /api/embeddings': () => legacyEmbeddings(res, body),
    'POST /api/pull': () => pull(res, body),
    'GET /api/tags': () => tags(res),
    'GET /api/ps': () => ps(res),
    'GET /api/version': () => sendJson(res, 200, { version: '0.12.6' }),
  };
  const handler = handlers[route];
  if (!handler) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('404 page not found');
  }
  if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return sendError(res, 401, 'unauthorized');
  if (bodyError || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return sendError(res, 400, bodyError ? `invalid character in JSON body: ${bodyError}` : 'json: cannot unmarshal non-object request');
  }
  try {
    return await handler();
  } catch (e) {
    if (e instanceof ApiError) return sendError(res, e.status, e.message);
    throw e;
  }
}

serve('ollama.mjs', opts, { handle, internalError: (res) => sendError(res, 500, 'fake upstream failure') });
