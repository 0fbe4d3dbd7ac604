// What the fake upstreams (openai.mjs, anthropic.mjs, mistral.mjs, ollama.mjs) share: the
// command line, the HTTP server with its control endpoints, paced streaming with the
// stream-breaking fault models, and deterministic ids, vectors and answers. Each fake keeps
// its provider's wire format (bodies, headers, error shapes) to itself. Node 20, no dependencies.
//
// Command line of every fake:
//   node <fake>.mjs [--port 0] [--host 127.0.0.1] [--chunk-delay-ms 0] [--slow-ms 2000] <auth flag>
// where the auth flag is --no-auth (openai, anthropic, mistral: every request needs a key
// unless it is given) or --api-key KEY (ollama: no key unless it is given). A fake prints
// "LISTENING <port>" on stdout once bound, and exits on SIGTERM or SIGINT.
//
// Control endpoints of every fake (not recorded):
//   GET /__requests     every other request received so far: [{method, path, headers, body}]
//                       (body parsed as JSON when it is, the raw text otherwise, null if empty)
//   DELETE /__requests  clears that list
//   GET /__connections  {"open": N}: connections to the fake other than the asking one

import http from 'node:http';

// ------------------------------------------------------------------ arguments

// The auth flag of a fake, as an entry of readOptions' `flags`.
export const NO_AUTH = { '--no-auth': { option: 'auth', initial: true, takesValue: false, value: () => false } };
export const API_KEY = { '--api-key': { option: 'apiKey', initial: '', takesValue: true, value: (v) => v } };

function parseArgs(argv, flags) {
  const opts = { port: 0, host: '127.0.0.1', chunkDelayMs: 0, slowMs: 2000 };
  for (const f of Object.values(flags)) opts[f.option] = f.initial;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const num = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a}: expected a non-negative integer, got "${v}"`);
      return n;
    };
    if (a === '--port') opts.port = num(next());
    else if (a === '--host') opts.host = next();
    else if (a === '--chunk-delay-ms') opts.chunkDelayMs = num(next());
    else if (a === '--slow-ms') opts.slowMs = num(next());
    else if (Object.hasOwn(flags, a)) opts[flags[a].option] = flags[a].value(flags[a].takesValue ? next() : undefined);
    else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}

// The options of this process's command line; a bad one ends the process with status 2.
export function readOptions(script, flags) {
  try {
    return parseArgs(process.argv.slice(2), flags);
  } catch (e) {
    process.stderr.write(`${script}: ${e.message}\n`);
    process.exit(2);
  }
}

// ------------------------------------------------------------ deterministic data

// FNV-1a, 32 bit.
export function hash32(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// mulberry32: a small seeded PRNG.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

// `length` characters of `alphabet`, the same for the same seed.
export function token(seed, length, alphabet = ALNUM) {
  const rnd = prng(hash32(seed));
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

// A float32 vector of length one, the same for the same seed.
export function unitVector(seed, dims) {
  const rnd = prng(hash32(seed));
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    v[i] = rnd() * 2 - 1;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) v[i] = Math.fround(v[i] / norm);
  return v;
}

// ------------------------------------------------------------------ answers

// Deterministic stand-in for a tokenizer: about four characters per token.
export const textTokens = (text) => (text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4)));

// The words of a text, each with the white space before it: one "token" of an answer.
export const words = (text) => text.match(/\s*\S+/g) || [];

export function lastUser(messages) {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i] && messages[i].role === 'user') return messages[i];
  return null;
}

// The text and the image count of OpenAI-style content (a string or text/image_url parts).
export function partsOf(content) {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: '', images: 0 };
  const texts = [];
  let images = 0;
  for (const p of content) {
    if (p && p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
    else if (p && p.type === 'image_url') images += 1;
  }
  return { text: texts.join(' '), images };
}

function valueForSchema(schema, name, text, city, empty) {
  if (!schema || typeof schema !== 'object') return text;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return /loc|city|place|where/i.test(name) ? city : text;
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return objectForSchema(schema, text, city, empty);
    default:
      return text;
  }
}

// An object that fits a JSON schema: strings are `city` where the property names a place and
// `text` elsewhere; `empty(city)` is what a schema without properties gets.
export function objectForSchema(schema, text, city, empty = () => ({})) {
  const props = schema && typeof schema.properties === 'object' && schema.properties ? schema.properties : null;
  if (!props || Object.keys(props).length === 0) return empty(city);
  const out = {};
  for (const [name, sub] of Object.entries(props)) out[name] = valueForSchema(sub, name, text, city, empty);
  return out;
}

// ----------------------------------------------------------------- responses

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Answers `body` (a string) whole, unless the connection is gone.
export function sendBody(res, status, headers, contentType, body) {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// Writes `frames` (strings) one by one, `delayMs` apart, then calls `end`; stops when the
// connection is gone.
export async function writeFrames(res, frames, end, delayMs) {
  for (const f of frames) {
    if (res.destroyed) return;
    res.write(f);
    if (delayMs > 0) await sleep(delayMs);
  }
  if (!res.destroyed) end();
}

// Streams `frames` whole and ends with `endFrame`, unless `model` is a stream fault:
//   fail-midstream  the `head` frames, then `errorFrame`, then the end
//   fail-truncated  the `head` frames, then the end
//   fail-reset      the `head` frames, then the connection is destroyed (after a moment, so
//                   that they reach the client first)
export function streamFrames(res, model, { frames, head = frames.slice(0, 3), errorFrame, endFrame = '', delayMs }) {
  if (model === 'fail-midstream') return writeFrames(res, head, () => res.end(errorFrame), delayMs);
  if (model === 'fail-truncated') return writeFrames(res, head, () => res.end(), delayMs);
  if (model === 'fail-reset') return writeFrames(res, head, () => setTimeout(() => res.destroy(), 50), delayMs);
  return writeFrames(res, frames, () => res.end(endFrame), delayMs);
}

// ------------------------------------------------------------------- server

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const sendControl = (res, obj) => sendBody(res, 200, {}, 'application/json', JSON.stringify(obj));

// Serves the fake: the control endpoints above, then `controls[path](req, res, raw)` for the
// fake's own ones, then records the request and hands it to
// `handle(req, res, {url, raw, body, bodyError, startedAt})`, where body is the parsed JSON
// (null when there was none) and bodyError the parse error's message (null when it parsed).
// An exception out of `handle` is logged and answered with `internalError(res)` when nothing
// was sent yet, or cuts the connection otherwise.
export function serve(script, opts, { handle, internalError, controls = {} }) {
  const recorded = [];

  async function dispatch(req, res) {
    const startedAt = Date.now();
    const url = new URL(req.url, 'http://fake');
    const raw = await readBody(req);

    if (url.pathname === '/__requests') {
      if (req.method === 'GET') return sendControl(res, recorded);
      if (req.method === 'DELETE') {
        recorded.length = 0;
        res.writeHead(204);
        return res.end();
      }
    }
    if (url.pathname === '/__connections') {
      const open = await new Promise((resolve) => server.getConnections((e, n) => resolve(e ? -1 : n - 1)));
      return sendControl(res, { open });
    }
    if (Object.hasOwn(controls, url.pathname)) return controls[url.pathname](req, res, raw);

    let body = null;
    let bodyError = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (e) {
        bodyError = e.message;
      }
    }
    recorded.push({ method: req.method, path: req.url, headers: req.headers, body: bodyError ? raw : body });
    return handle(req, res, { url, raw, body, bodyError, startedAt });
  }

  const server = http.createServer((req, res) => {
    dispatch(req, res).catch((e) => {
      process.stderr.write(`${script}: ${e && e.stack ? e.stack : e}\n`);
      if (!res.headersSent) internalError(res);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30000;

  server.listen(opts.port, opts.host, () => {
    process.stdout.write(`LISTENING ${server.address().port}\n`);
  });

  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
  }
  return server;
}
