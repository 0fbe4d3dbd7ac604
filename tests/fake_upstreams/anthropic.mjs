#!/usr/bin/env node
// A fake Anthropic API on loopback for tests: Messages (JSON and SSE, tools, images,
// extended thinking with signatures, prompt caching), token counting and Models, in
// Anthropic's wire format, with deterministic content and fault injection by model name.
// Node 20, no dependencies.
//
// Command line, LISTENING line and the control endpoints /__requests and /__connections:
// see common.mjs (this fake takes --no-auth).
//
// Shapes follow the API reference (https://docs.anthropic.com/en/api/messages,
// /en/api/messages-count-tokens, /en/api/models-list), streaming the streaming guide
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming) and the SSE fixtures of
// anthropic-sdk-typescript (tests/lib/fixtures/*.txt), errors https://docs.anthropic.com/en/api/errors,
// and headers the rate-limit guide (https://docs.anthropic.com/en/api/rate-limits).
//
// Behaviour
//   POST /v1/messages
//     Checks like the real API: x-api-key "sk-ant-test..." (or the same key as
//     "Authorization: Bearer", as @anthropic-ai/sdk 1.x sends it; unless --no-auth),
//     anthropic-version present, model, max_tokens (a positive integer), messages with
//     roles user|assistant that alternate (role "system" messages are refused under
//     anthropic-version 2023-06-01 and skipped under later versions), non-empty text
//     blocks, every tool_use answered
//     by a tool_result in the next user message (and no tool_result without its tool_use),
//     thinking budget_tokens >= 1024 and < max_tokens, and thinking block signatures
//     that this server issued (a changed signature or thinking text is refused, as
//     Anthropic does).
//     Reply: "You said: <text of the last user message>"; "I see N image(s)" (then
//     ". You said: <text>" when there is text) when it holds images; "Tool results: <...>"
//     when it holds only tool results. With tools and "weather" in that text (or a forcing
//     tool_choice), a text block (none when tool_choice forces a tool) then one tool_use
//     per city in "weather in A and B"
//     (Paris when none is named; one only with disable_parallel_tool_use), input built from
//     the tool's input_schema ({"city": ...} for a city/location property), stop_reason
//     tool_use. With thinking enabled, a thinking block (with a signature) comes first.
//     max_tokens truncates (stop_reason max_tokens, one token per word); stop_sequences cut
//     the text (stop_reason stop_sequence). cache_control breakpoints: the first request
//     with a given prefix reports cache_creation_input_tokens, later ones
//     cache_read_input_tokens.
//     Streams: message_start, then per block content_block_start, ping (after the first
//     block start), content_block_delta..., content_block_stop, then message_delta,
//     message_stop. Text streams word by word, tool input as input_json_delta fragments
//     (the first one empty), thinking as thinking_delta pieces then a signature_delta.
//   POST /v1/messages/count_tokens  {input_tokens}
//   GET /v1/models (limit, after_id, before_id), GET /v1/models/{id}
//   Headers on every answer: request-id, anthropic-organization-id, and on messages
//     anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}.
//   Fault models: fail-401, fail-429 (rate_limit_error + retry-after: 1), fail-spend-limit
//     (429 without retry-after, details.error_code enforced_spend_limit_reached), fail-529
//     (overloaded_error), fail-500 (api_error), fail-400-long (prompt is too long);
//     streams only: fail-midstream (a few deltas, then event: error overloaded_error),
//     fail-truncated (the response ends before message_stop), fail-reset (the connection
//     is destroyed mid-stream), fail-reset-partial (the same, but after half of an event:
//     the bytes a client has then end inside an event), fail-reset-first (half of the first
//     event, then destroyed); slow-first-byte (waits --slow-ms before the status line).

import crypto from 'node:crypto';
import {
  ALNUM, NO_AUTH, lastUser, objectForSchema as schemaObject, readOptions, sendBody, serve, sleep, streamFrames, textTokens, words,
  writeFrames,
} from './common.mjs';

const opts = readOptions('anthropic.mjs', NO_AUTH);

// ------------------------------------------------------------ deterministic ids

function token(seed, length) {
  let s = '';
  for (let round = 0; s.length < length; round++) {
    for (const byte of crypto.createHash('sha256').update(`${round}|${seed}`).digest()) s += ALNUM[byte % ALNUM.length];
  }
  return s.slice(0, length);
}

// Thinking signatures: an HMAC of the thinking text, so a block that comes back changed
// (text or signature) is recognized, as the real API refuses it.
const SIGNING_KEY = 'fake-anthropic-thinking';
const signThinking = (text) => crypto.createHmac('sha256', SIGNING_KEY).update(text).digest('base64');

let requestCounter = 0;

// ----------------------------------------------------------------- HTTP helpers

function baseHeaders() {
  requestCounter += 1;
  return {
    'request-id': `req_011C${token(`req${requestCounter}`, 20)}`,
    'anthropic-organization-id': '1b4d1a4c-0000-4000-8000-fakeorg00001',
  };
}

function rateLimitHeaders(inputTokens, outputTokens, remainingRequests = 49) {
  const reset = new Date(Math.ceil(Date.now() / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': String(remainingRequests),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': '90000',
    'anthropic-ratelimit-tokens-remaining': String(Math.max(0, 90000 - inputTokens - outputTokens)),
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': '50000',
    'anthropic-ratelimit-input-tokens-remaining': String(Math.max(0, 50000 - inputTokens)),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': '40000',
    'anthropic-ratelimit-output-tokens-remaining': String(Math.max(0, 40000 - outputTokens)),
    'anthropic-ratelimit-output-tokens-reset': reset,
  };
}

const sendJson = (res, status, headers, obj) => sendBody(res, status, headers, 'application/json', JSON.stringify(obj));

function sendError(res, status, type, message, extraHeaders = {}, details = undefined) {
  if (res.destroyed) return;
  const headers = { ...baseHeaders(), ...extraHeaders };
  const error = details ? { type, message, details } : { type, message };
  sendJson(res, status, headers, { type: 'error', error, request_id: headers['request-id'] });
}

class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}
const invalid = (message) => new ApiError(400, 'invalid_request_error', message);

// --------------------------------------------------------------- token counting

const IMAGE_TOKENS = 1600;

function blockTokens(block) {
  if (!block || typeof block !== 'object') return 0;
  if (block.type === 'image' || block.type === 'document') return IMAGE_TOKENS;
  const { cache_control, ...rest } = block;
  return textTokens(JSON.stringify(rest));
}

// Every piece of the prompt in order (tools, system, message blocks), so that prompt caching
// can count the prefix up to a breakpoint.
function promptPieces(body) {
  const pieces = [];
  for (const t of Array.isArray(body.tools) ? body.tools : []) pieces.push(t);
  if (typeof body.system === 'string') pieces.push({ type: 'text', text: body.system });
  else if (Array.isArray(body.system)) pieces.push(...body.system);
  for (const m of body.messages) {
    if (typeof m.content === 'string') pieces.push({ type: 'text', text: m.content });
    else pieces.push(...m.content);
  }
  return pieces;
}

const cachedPrefixes = new Set();

// {input_tokens, cache_creation_input_tokens, cache_read_input_tokens}
function inputUsage(body) {
  const pieces = promptPieces(body);
  let total = 3;
  let prefix = 0;
  let breakpoint = -1;
  pieces.forEach((p, i) => {
    total += blockTokens(p);
    if (p && p.cache_control) {
      breakpoint = i;
      prefix = total;
    }
  });
  if (breakpoint < 0) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const key = `${body.model}|${JSON.stringify(pieces.slice(0, breakpoint + 1))}`;
  const hit = cachedPrefixes.has(key);
  cachedPrefixes.add(key);
  return {
    input_tokens: total - prefix,
    cache_creation_input_tokens: hit ? 0 : prefix,
    cache_read_input_tokens: hit ? prefix : 0,
  };
}

// ------------------------------------------------------------------ validation

const blocksOf = (content) => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);

// Versions whose Messages API refuses "system" as a message role (the top-level `system`
// is the only place for it). Newer SDKs type a {role:"system"} message [unverified when
// the API started taking it], so later versions are allowed to send one.
const LEGACY_VERSIONS = new Set(['2023-01-01', '2023-06-01']);

function validateMessages(body, version) {
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: Field required');
  if (body.max_tokens === undefined) throw invalid('max_tokens: Field required');
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) throw invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  if (!Array.isArray(body.messages)) throw invalid('messages: Field required');
  if (body.messages.length === 0) throw invalid('messages: at least one message is required');
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    throw invalid('system: Input should be a valid string or list of text blocks');
  }
  if (Array.isArray(body.system)) {
    body.system.forEach((b, j) => {
      if (!b || b.type !== 'text' || typeof b.text !== 'string') throw invalid(`system.${j}: Input should be a text block`);
    });
  }
  const legacy = LEGACY_VERSIONS.has(version);
  const isSystem = (m) => !legacy && m && m.role === 'system';
  let lastTurn = -1;
  body.messages.forEach((m, i) => { if (!isSystem(m)) lastTurn = i; });
  let previousToolUses = [];
  let previous = null;
  body.messages.forEach((m, i) => {
    if (isSystem(m)) {
      if (typeof m.content !== 'string' && !Array.isArray(m.content)) throw invalid(`messages.${i}.content: Input should be a valid string or list`);
      return;
    }
    if (!m || (m.role !== 'user' && m.role !== 'assistant')) {
      const role = m && m.role;
      if (role === 'system') {
        throw invalid(`messages.${i}: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`);
      }
      throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (previous && previous.role === m.role) {
      throw invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`);
    }
    previous = m;
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) throw invalid(`messages.${i}.content: Input should be a valid string or list`);
    if (Array.isArray(m.content) && m.content.length === 0 && !(i === lastTurn && m.role === 'assistant')) {
      throw invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
    const blocks = blocksOf(m.content);
    const results = [];
    const uses = [];
    blocks.forEach((b, j) => {
      const at = `messages.${i}.content.${j}`;
      if (!b || typeof b.type !== 'string') throw invalid(`${at}: Input should be a content block`);
      if (b.type === 'text' && (typeof b.text !== 'string' || b.text.length === 0)) throw invalid(`${at}: text content blocks must be non-empty`);
      if (b.type === 'image') {
        const s = b.source || {};
        if (s.type === 'base64' && !['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(s.media_type)) {
          throw invalid(`${at}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
        }
        if (s.type !== 'base64' && s.type !== 'url') throw invalid(`${at}.source: Input tag '${s.type}' found using 'type' does not match any of the expected tags: 'base64', 'url'`);
      }
      if (b.type === 'tool_use') {
        if (m.role !== 'assistant') throw invalid(`${at}: tool_use blocks may only appear in assistant messages`);
        if (!b.input || typeof b.input !== 'object' || Array.isArray(b.input)) throw invalid(`${at}.tool_use.input: Input should be a valid dictionary`);
        uses.push(b.id);
      }
      if (b.type === 'tool_result') {
        if (m.role !== 'user') throw invalid(`${at}: tool_result blocks may only appear in user messages`);
        results.push(b.tool_use_id);
        if (!previousToolUses.includes(b.tool_use_id)) {
          throw invalid(`${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
        }
        if (j > 0 && blocks.slice(0, j).some((x) => x.type !== 'tool_result')) {
          throw invalid(`${at}: tool_result blocks must come first in the content of a user message`);
        }
      }
      if (b.type === 'thinking') {
        if (m.role !== 'assistant') throw invalid(`${at}: thinking blocks may only appear in assistant messages`);
        if (typeof b.signature !== 'string' || b.signature !== signThinking(b.thinking ?? '')) {
          throw invalid(`${at}: Invalid \`signature\` in \`thinking\` block`);
        }
      }
    });
    if (m.role === 'user' && previousToolUses.length > 0) {
      const missing = previousToolUses.filter((id) => !results.includes(id));
      if (missing.length > 0) {
        throw invalid(`messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
    }
    previousToolUses = m.role === 'assistant' ? uses : [];
  });
  if (body.thinking && body.thinking.type === 'enabled') {
    const budget = body.thinking.budget_tokens;
    if (!Number.isInteger(budget) || budget < 1024) throw invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= body.max_tokens) throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`');
    if (body.temperature !== undefined && body.temperature !== 1) {
      throw invalid('`temperature` may only be set to 1 when thinking is enabled or in interleaved thinking mode');
    }
    const tc = body.tool_choice;
    if (tc && (tc.type === 'any' || tc.type === 'tool')) throw invalid('Thinking may not be enabled when tool_choice forces tool use.');
  }
  if (body.temperature !== undefined && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 1)) {
    throw invalid('temperature: Input should be less than or equal to 1');
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalid('tools: Input should be a valid list');
    body.tools.forEach((t, i) => {
      if (!t || typeof t.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(t.name)) throw invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      if (!t.input_schema || t.input_schema.type !== 'object') throw invalid(`tools.${i}.custom.input_schema.type: Field required`);
    });
  }
  if (body.tool_choice !== undefined) {
    if (!Array.isArray(body.tools) || body.tools.length === 0) throw invalid('tool_choice may only be specified while providing tools.');
    const tc = body.tool_choice;
    if (!tc || !['auto', 'any', 'tool', 'none'].includes(tc.type)) throw invalid("tool_choice.type: Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    if (tc.type === 'tool' && !body.tools.some((t) => t.name === tc.name)) throw invalid(`tool_choice.name: tool '${tc.name}' is not among the provided tools`);
  }
}

// ------------------------------------------------------------- the answer

function userParts(message) {
  const texts = [];
  const results = [];
  let images = 0;
  for (const b of message ? blocksOf(message.content) : []) {
    if (b.type === 'text') texts.push(b.text);
    else if (b.type === 'image') images += 1;
    else if (b.type === 'tool_result') {
      const c = typeof b.content === 'string' ? b.content : (b.content || []).filter((x) => x.type === 'text').map((x) => x.text).join(' ');
      results.push(c);
    }
  }
  return { text: texts.join(' '), images, results };
}

// A tool input for a schema; a tool without parameters gets {city}.
const objectForSchema = (schema, text, city) => schemaObject(schema, text, city, (c) => ({ city: c }));

function plannedToolUses(body, userText, seed) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const choice = body.tool_choice || { type: 'auto' };
  if (tools.length === 0 || choice.type === 'none') return [];
  const forced = choice.type === 'any' || choice.type === 'tool';
  if (!forced && !/weather/i.test(userText)) return [];
  let tool = tools.find((t) => /weather/i.test(t.name)) || tools[0];
  if (choice.type === 'tool') tool = tools.find((t) => t.name === choice.name) || tool;
  const m = /weather\s+(?:in|for|at)\s+(.+?)[?.!]*$/i.exec(userText);
  let cities = m ? m[1].split(/\s+and\s+/i).map((c) => c.trim()).filter(Boolean) : [];
  if (cities.length === 0) cities = ['Paris'];
  if (choice.disable_parallel_tool_use === true) cities = cities.slice(0, 1);
  return cities.map((city, i) => ({
    type: 'tool_use',
    id: `toolu_01${token(`${seed}/tool/${i}`, 22)}`,
    name: tool.name,
    input: objectForSchema(tool.input_schema, userText, city),
  }));
}

function replyText(userText, images, results) {
  if (images > 0) return `I see ${images} image${images === 1 ? '' : 's'}` + (userText ? `. You said: ${userText}` : '');
  if (!userText && results.length > 0) return `Tool results: ${results.join('; ')}`;
  return `You said: ${userText}`;
}

// Everything an answer needs, computed once for the JSON and the stream forms.
function planMessage(body) {
  const user = lastUser(body.messages);
  const { text: userText, images, results } = userParts(user);
  const seed = `${body.model}|${JSON.stringify(body.messages)}|${requestCounter}`;
  const content = [];
  let budget = body.max_tokens;
  let stopReason = 'end_turn';
  let stopSequence = null;

  if (body.thinking && body.thinking.type === 'enabled') {
    const thinking = `The user said "${userText}". A short, direct answer fits.`;
    content.push({ type: 'thinking', thinking, signature: signThinking(thinking) });
    budget -= words(thinking).length;
  }
  const toolUses = plannedToolUses(body, userText, seed);
  if (toolUses.length > 0) {
    // A forcing tool_choice prefills the turn: no text comes before the tool_use blocks.
    const forced = body.tool_choice && (body.tool_choice.type === 'any' || body.tool_choice.type === 'tool');
    if (!forced) {
      const cities = toolUses.map((t) => Object.values(t.input).find((v) => typeof v === 'string') || 'Paris');
      content.push({ type: 'text', text: `I'll check the weather in ${cities.join(' and ')}.` });
    }
    content.push(...toolUses);
    stopReason = 'tool_use';
  } else {
    let text = replyText(userText, images, results);
    for (const seq of Array.isArray(body.stop_sequences) ? body.stop_sequences : []) {
      const at = typeof seq === 'string' && seq !== '' ? text.indexOf(seq) : -1;
      if (at >= 0) {
        text = text.slice(0, at);
        stopReason = 'stop_sequence';
        stopSequence = seq;
      }
    }
    let pieces = words(text);
    if (pieces.length > Math.max(budget, 0)) {
      pieces = pieces.slice(0, Math.max(budget, 0));
      stopReason = 'max_tokens';
      stopSequence = null;
    }
    if (pieces.length > 0) content.push({ type: 'text', text: pieces.join('') });
  }
  const outputTokens = content.reduce((n, b) => n + (b.type === 'text' ? words(b.text).length : b.type === 'thinking' ? words(b.thinking).length : textTokens(JSON.stringify(b.input)) + 8), 0);
  return {
    id: `msg_01${token(seed, 22)}`,
    model: body.model,
    content,
    stopReason,
    stopSequence,
    usage: { ...inputUsage(body), output_tokens: Math.max(outputTokens, 1) },
  };
}

function messageObject(plan) {
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content: plan.content,
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: { ...plan.usage, service_tier: 'standard' },
  };
}

// Splits tool input JSON the way the API streams it: a few characters at a time.
function jsonFragments(json) {
  const out = [''];
  for (let i = 0; i < json.length; i += 9) out.push(json.slice(i, i + 9));
  return out;
}

// The SSE events of a streamed answer, as [event name, data] pairs.
function streamEvents(plan) {
  const events = [];
  const ev = (type, data) => events.push([type, { type, ...data }]);
  ev('message_start', {
    message: {
      id: plan.id, type: 'message', role: 'assistant', model: plan.model, content: [], stop_reason: null, stop_sequence: null,
      usage: { input_tokens: plan.usage.input_tokens, cache_creation_input_tokens: plan.usage.cache_creation_input_tokens,
        cache_read_input_tokens: plan.usage.cache_read_input_tokens, output_tokens: 1, service_tier: 'standard' },
    },
  });
  plan.content.forEach((block, index) => {
    if (block.type === 'text') {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (index === 0) ev('ping', {});
      for (const w of words(block.text)) ev('content_block_delta', { index, delta: { type: 'text_delta', text: w } });
    } else if (block.type === 'tool_use') {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      if (index === 0) ev('ping', {});
      for (const f of jsonFragments(JSON.stringify(block.input))) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: f } });
    } else if (block.type === 'thinking') {
      ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      if (index === 0) ev('ping', {});
      for (const w of words(block.thinking)) ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: w } });
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    }
    ev('content_block_stop', { index });
  });
  ev('message_delta', { delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: { output_tokens: plan.usage.output_tokens } });
  ev('message_stop', {});
  return events;
}

// ------------------------------------------------------------------ faults

function injectFault(res, model) {
  switch (model) {
    case 'fail-401':
      sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      return true;
    case 'fail-429':
      sendError(res, 429, 'rate_limit_error',
        'This request would exceed the rate limit for your organization (1b4d1a4c-0000-4000-8000-fakeorg00001) of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
        { 'retry-after': '1', ...rateLimitHeaders(0, 0, 0) });
      return true;
    case 'fail-spend-limit':
      sendError(res, 429, 'rate_limit_error', "You have reached your organization's monthly spend limit. Your access will resume at the start of next month.",
        {}, { error_code: 'enforced_spend_limit_reached' });
      return true;
    case 'fail-529':
      sendError(res, 529, 'overloaded_error', 'Overloaded');
      return true;
    case 'fail-500':
      sendError(res, 500, 'api_error', 'Internal server error');
      return true;
    case 'fail-400-long':
      sendError(res, 400, 'invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum');
      return true;
    default:
      return false;
  }
}

// ------------------------------------------------------------------ endpoints

const sse = ([type, data]) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

async function messages(req, res, body) {
  validateMessages(body, req.headers['anthropic-version']);
  if (injectFault(res, body.model)) return;
  if (body.model === 'slow-first-byte') await sleep(opts.slowMs);

  const plan = planMessage(body);
  const headers = { ...baseHeaders(), ...rateLimitHeaders(plan.usage.input_tokens, plan.usage.output_tokens) };
  if (body.stream !== true) return sendJson(res, 200, headers, messageObject(plan));

  if (res.destroyed) return;
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const frames = streamEvents(plan).map(sse);
  const cut = Math.min(frames.length - 2, 6); // message_start, a block start, a ping, a few deltas
  if (body.model === 'fail-reset-partial' || body.model === 'fail-reset-first') {
    const at = body.model === 'fail-reset-first' ? 0 : cut;
    return writeFrames(res, frames.slice(0, at), () => {
      res.write(frames[at].slice(0, frames[at].length >> 1));
      setTimeout(() => res.destroy(), 50);
    }, opts.chunkDelayMs);
  }
  const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
  return streamFrames(res, body.model, {
    frames,
    head: frames.slice(0, cut),
    errorFrame: sse(['error', error]),
    delayMs: opts.chunkDelayMs,
  });
}

function countTokens(req, res, body) {
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalid('messages: Field required');
  const pieces = promptPieces(body);
  const total = pieces.reduce((n, p) => n + blockTokens(p), 3);
  sendJson(res, 200, baseHeaders(), { input_tokens: total });
}

const MODELS = [
  { type: 'model', id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' },
  { type: 'model', id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z' },
  { type: 'model', id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
];

function models(req, res, url, id) {
  if (id !== undefined) {
    const m = MODELS.find((x) => x.id === id);
    if (!m) return sendError(res, 404, 'not_found_error', `model: ${id}`);
    return sendJson(res, 200, baseHeaders(), m);
  }
  const limit = Number(url.searchParams.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('limit: Input should be less than or equal to 1000');
  let list = MODELS;
  const after = url.searchParams.get('after_id');
  const before = url.searchParams.get('before_id');
  if (after) list = list.slice(list.findIndex((m) => m.id === after) + 1);
  if (before) list = list.slice(0, Math.max(0, list.findIndex((m) => m.id === before)));
  const data = list.slice(0, limit);
  sendJson(res, 200, baseHeaders(), {
    data,
    has_more: list.length > data.length,
    first_id: data.length ? data[0].id : null,
    last_id: data.length ? data[data.length - 1].id : null,
  });
}

// -------------------------------------------------------------------- server

// x-api-key as documented; newer official SDKs (@anthropic-ai/sdk 1.x) send the same key
// as "Authorization: Bearer", which the API accepts too.
function checkAuth(req) {
  if (!opts.auth) return;
  const auth = req.headers.authorization;
  const key = req.headers['x-api-key'] ?? (auth && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined);
  if (!key) throw new ApiError(401, 'authentication_error', 'x-api-key header is required');
  if (!key.startsWith('sk-ant-test')) throw new ApiError(401, 'authentication_error', 'invalid x-api-key');
}

function checkVersion(req) {
  const v = req.headers['anthropic-version'];
  if (!v) throw invalid('anthropic-version: header is required');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw invalid(`anthropic-version: invalid version '${v}'`);
}

async function routeRequest(req, res, { url, body, bodyError }) {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const modelMatch = /^GET \/v1\/models\/(.+)$/.exec(route);
  const known = ['POST /v1/messages', 'POST /v1/messages/count_tokens', 'GET /v1/models'].includes(route) || modelMatch;
  if (!known) return sendError(res, 404, 'not_found_error', 'Not Found');
  checkAuth(req);
  checkVersion(req);

  if (route.startsWith('GET ')) return models(req, res, url, modelMatch ? decodeURIComponent(modelMatch[1]) : undefined);
  if (bodyError) throw invalid('There was an issue with the format of your request: the body is not valid JSON');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('Input should be a valid dictionary');
  if (route === 'POST /v1/messages') return messages(req, res, body);
  return countTokens(req, res, body);
}

async function handle(req, res, request) {
  try {
    return await routeRequest(req, res, request);
  } catch (e) {
    if (e instanceof ApiError) return sendError(res, e.status, e.type, e.message);
    throw e;
  }
}

serve('anthropic.mjs', opts, { handle, internalError: (res) => sendError(res, 500, 'api_error', 'Internal server error') });
