// A fast fake of NVIDIA's hosted reward API for the benchmarks: answers POST /v1/chat/completions with fixed
// reward-format scores, optionally after a delay, and counts its answers so that a run can tell how many
// requests reached the backend (GET /calls: the calls answered, and all received, answered or not;
// POST /calls/reset). It also answers as vLLM's pooling runner (POST /classify, one label per input) and as
// text-embeddings-inference (POST /predict, a list of predictions per input), each score the input's length
// in characters, as OpenRLHF's remote reward server (POST /get_reward, one reward per query), and GET /health. The fixed parts of the answer are built once
// and the server takes every connection offered, so that the fake is never what a benchmark measures.
//
// Two optional limits make POST /v1/chat/completions behave like a loaded or metered model; both answer 429 with
// {"status":429,"title":"Too Many Requests"}, and GET /calls counts those answers as "rejected" ("calls" stays the
// scored answers, "received" everything):
//   --capacity N     with n calls in flight at arrival (this one included), the delay is delay-ms x max(1, n / N),
//                    and past n > 2N the call is refused at once, with no Retry-After; POST /control
//                    {"capacity": M} changes N at run time (204).
//   --rate-limit N   at most N calls accepted in any 60 s (a sliding window of accepted calls' arrivals); a call
//                    past it is refused with Retry-After: the whole seconds until the oldest one leaves, at least 1.
// The rate limit is checked first, and only accepted calls count in flight and in the window.
//
//   node bench/fake-backend.mjs --port 18089 [--host 127.0.0.1] [--delay-ms 0] [--capacity N] [--rate-limit N]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const USAGE = 'usage: node bench/fake-backend.mjs --port PORT [--host 127.0.0.1] [--delay-ms 0] [--capacity N] [--rate-limit N]';
const DEFAULT_MODEL = 'nvidia/nemotron-4-340b-reward';
const SCORES = [
  ['helpfulness', 3.0234375],
  ['correctness', 1.84375],
  ['coherence', 0.03125],
  ['complexity', 1.125],
  ['verbosity', 3.4921875],
];
// Clients keep connections open between runs: idle ones must outlive their pools' timeouts.
const KEEP_ALIVE_MS = 65_000;

function fail(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'delay-ms': { type: 'string', default: '0' },
      capacity: { type: 'string' },
      'rate-limit': { type: 'string' },
    },
    strict: true,
  }));
} catch (err) {
  fail(err.message);
}
const port = Number(values.port);
if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
  fail('--port must be an integer in 0..65535');
}
const delayMs = Number(values['delay-ms']);
if (!Number.isFinite(delayMs) || delayMs < 0) {
  fail('--delay-ms must be a number >= 0');
}

function positive(name) {
  const raw = values[name];
  if (raw === undefined) {
    return null;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    fail(`--${name} must be a number > 0`);
  }
  return value;
}
let capacity = positive('capacity');
const rateLimit = positive('rate-limit');
const RATE_WINDOW_MS = 60_000;

const choicesAndUsage = `,"choices":${JSON.stringify([{
  index: 0,
  message: { role: 'assistant', content: SCORES.map(([name, value]) => `${name}:${value}`).join(',') },
  logprobs: { content: SCORES.map(([name, value]) => ({ token: name, logprob: value, top_logprobs: [] })) },
  finish_reason: 'length',
}])},"usage":{"prompt_tokens":52,"total_tokens":53,"completion_tokens":1}}`;
const defaultModelJson = JSON.stringify(DEFAULT_MODEL);
const NOT_FOUND = '{"status":404,"title":"Not Found"}';
const TOO_MANY = '{"status":429,"title":"Too Many Requests"}';
const LIMITED = '/v1/chat/completions';

let calls = 0;
let received = 0;
let rejected = 0;
let nextId = 0;
// Accepted calls of LIMITED now in their delay, and the arrival times of those in the rate window, oldest first.
let inFlight = 0;
const acceptedAt = [];

function modelJsonOf(chunks) {
  try {
    const { model } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof model === 'string' ? JSON.stringify(model) : defaultModelJson;
  } catch {
    return defaultModelJson;
  }
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function inputsOf(chunks, field) {
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8'))[field];
    return Array.isArray(value) ? value : [value];
  } catch {
    return [];
  }
}

// vLLM's ClassificationResponse and TEI's batch answer of /predict, as their servers write them.
function classify(chunks, modelJson, created) {
  const input = inputsOf(chunks, 'input');
  const texts = input.length > 0 && input[0] !== undefined ? input : [''];
  const data = texts.map((text, index) => ({ index, label: 'LABEL_0', probs: [String(text).length], num_classes: 1 }));
  return `{"id":"classify-fake-${nextId}","object":"list","created":${created},"model":${modelJson},`
    + `"data":${JSON.stringify(data)},"usage":{"prompt_tokens":${texts.length},"total_tokens":${texts.length}}}`;
}

// OpenRLHF's remote reward server: one reward per query.
function rewards(chunks) {
  return JSON.stringify({ rewards: inputsOf(chunks, 'query').map((text) => String(text).length % 97 / 8) });
}

function predict(chunks) {
  return JSON.stringify(inputsOf(chunks, 'inputs').map((text) => [{ score: String(text).length, label: 'LABEL_0' }]));
}

// Refuses a call of LIMITED past a limit (true), or admits it and says how long it takes (a number).
function admit(res) {
  const now = Date.now();
  if (rateLimit !== null) {
    while (acceptedAt.length > 0 && acceptedAt[0] <= now - RATE_WINDOW_MS) {
      acceptedAt.shift();
    }
    if (acceptedAt.length >= rateLimit) {
      const retryAfter = Math.max(1, Math.ceil((acceptedAt[0] + RATE_WINDOW_MS - now) / 1000));
      refuse(res, { 'Retry-After': String(retryAfter) });
      return true;
    }
  }
  const n = inFlight + 1;
  if (capacity !== null && n > 2 * capacity) {
    refuse(res, {});
    return true;
  }
  if (rateLimit !== null) {
    acceptedAt.push(now);
  }
  return capacity === null ? delayMs : delayMs * Math.max(1, n / capacity);
}

function refuse(res, headers) {
  rejected += 1;
  res.writeHead(429, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(TOO_MANY), ...headers });
  res.end(TOO_MANY);
}

function answer(res, path, chunks) {
  // A client that gave up while we waited was not answered, so it is not counted.
  if (res.destroyed) {
    return;
  }
  calls += 1;
  nextId += 1;
  const created = Math.floor(Date.now() / 1000);
  const modelJson = modelJsonOf(chunks);
  if (path === '/classify') {
    sendJson(res, 200, classify(chunks, modelJson, created));
  } else if (path === '/predict') {
    sendJson(res, 200, predict(chunks));
  } else if (path === '/get_reward') {
    sendJson(res, 200, rewards(chunks));
  } else {
    sendJson(res, 200,
      `{"id":"chatcmpl-fake-${nextId}","object":"chat.completion","created":${created},"model":${modelJson}${choicesAndUsage}`);
  }
}

// POST /control {"capacity": M}: a model that lost (or gained) replicas while a benchmark runs.
function control(res, chunks) {
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = null;
  }
  const value = body?.capacity;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    sendJson(res, 400, '{"status":400,"title":"Bad Request","detail":"expected {\\"capacity\\": a number > 0}"}');
    return;
  }
  capacity = value;
  res.writeHead(204);
  res.end();
}

const SCORED = new Set(['/v1/chat/completions', '/classify', '/predict', '/get_reward']);

const server = createServer({ headersTimeout: KEEP_ALIVE_MS + 1_000, requestTimeout: 0 }, (req, res) => {
  const path = req.url.split('?', 1)[0];
  if (req.method === 'POST' && SCORED.has(path)) {
    received += 1;
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (path === LIMITED && (capacity !== null || rateLimit !== null)) {
        const delay = admit(res);
        if (delay !== true) {
          inFlight += 1;
          setTimeout(() => {
            inFlight -= 1;
            answer(res, path, chunks);
          }, delay);
        }
      } else if (delayMs === 0) {
        answer(res, path, chunks);
      } else {
        setTimeout(answer, delayMs, res, path, chunks);
      }
    });
    return;
  }
  if (req.method === 'POST' && path === '/control') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => control(res, chunks));
    return;
  }
  req.resume();
  if (req.method === 'GET' && path === '/health') {
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
  } else if (req.method === 'GET' && path === '/calls') {
    sendJson(res, 200, `{"calls":${calls},"received":${received},"rejected":${rejected}}`);
  } else if (req.method === 'POST' && path === '/calls/reset') {
    calls = 0;
    received = 0;
    rejected = 0;
    sendJson(res, 200, '{"calls":0,"received":0,"rejected":0}');
  } else {
    sendJson(res, 404, NOT_FOUND);
  }
});
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = KEEP_ALIVE_MS + 1_000;
server.requestTimeout = 0;
server.maxConnections = Infinity;

server.on('error', (err) => {
  process.stderr.write(`fake-backend: ${err.message}\n`);
  process.exit(1);
});
server.listen({ port, host: values.host, backlog: 65535 }, () => {
  process.stdout.write(`fake-backend listening on ${values.host}:${server.address().port}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
