// Load for what wrk cannot do: a fixed-rate open-loop run, a burst of N concurrent requests, and a closed loop
// of N clients with a distinct body every request.
//
//   node bench/load.mjs rate --url URL --rate R --duration S [--warmup S] [--connections 64] [OPTIONS]
//   node bench/load.mjs burst --url URL --count N [--connections N] [OPTIONS]
//   node bench/load.mjs closed --url URL --clients N --duration S [--warmup S] [OPTIONS]
//   OPTIONS: --header 'Name: value' (repeatable), --body-kind chat|score|rewards|classify, --distinct | --identical,
//            --size-bytes N (pads the answer text so that a body is about N bytes), --json-out FILE,
//            --http2 (cleartext HTTP/2 with prior knowledge, 100 streams per connection)
//
// rate: request i is due at start + i/R whatever became of the earlier ones, and its latency counts from that
// moment, so a stalled server shows in the percentiles instead of slowing the sender down (no coordinated
// omission); serviceMs counts from when the request got its socket. Requests due during --warmup are sent but
// not recorded; outstanding ones get at most 10 s after the run. burst: all N requests start together, each on
// its own socket when --connections >= N, and latency counts from the start of the burst; after 120 s it
// reports whatever is still outstanding as unanswered. closed: each of N clients, on a keep-alive socket of its
// own, sends its next request as soon as its last one is answered; an answer counts when it arrives within the
// measured window (after --warmup), its latency from when its request was sent, and timeline holds the answers
// of each second of the window. When the warm-up ends it writes "closed: measuring" to stderr, so that a caller
// can time its own actions to the window. After the window no request is sent; outstanding ones get at most
// 10 s and are not recorded.
// A burst opens N sockets (N / 100 with --http2) and raises no limit itself: the caller's `ulimit -n` must be
// above that plus a few hundred.
//
// Prints a one-line summary (and the whole result as JSON with --json-out). Exits 0 whenever the run took
// place, whatever the statuses (the caller judges them), and 2 on bad arguments.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const USAGE = `usage: node bench/load.mjs rate --url URL --rate R --duration S [--warmup S] [--connections 64] [OPTIONS]
       node bench/load.mjs burst --url URL --count N [--connections N] [OPTIONS]
       node bench/load.mjs closed --url URL --clients N --duration S [--warmup S] [OPTIONS]
OPTIONS: --header 'Name: value' ... --body-kind chat|score|rewards|classify --distinct|--identical --size-bytes N --json-out FILE --http2`;
const MODEL = 'nvidia/nemotron-4-340b-reward';
const QUESTION = 'What is the capital of France?';
const ANSWER = 'The capital of France is Paris.';
const FILLER = 'Paris has been the capital of France for most of the last thousand years. ';
const GRACE_MS = 10_000;

// Waits GRACE_MS for the last answers, or less: the function given receives the call that ends the wait at once,
// for whoever sees the last answer come in.
function grace(onWake) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GRACE_MS);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
// A burst ends after this long whatever is still outstanding; those requests count as unanswered.
const BURST_LIMIT_MS = 120_000;
// The options of each mode beyond the common ones.
const MODE_OPTIONS = {
  rate: ['rate', 'duration', 'warmup', 'connections'],
  burst: ['count', 'connections'],
  closed: ['clients', 'duration', 'warmup'],
};

function fail(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberOption(values, name, { integer = false, min = 0, above = false, fallback } = {}) {
  const raw = values[name];
  if (raw === undefined) {
    if (fallback === undefined) {
      fail(`--${name} is required`);
    }
    return fallback;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))
      || (above ? value <= min : value < min)) {
    fail(`--${name} must be ${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}, not '${raw}'`);
  }
  return value;
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        header: { type: 'string', multiple: true, default: [] },
        'json-out': { type: 'string' },
        'body-kind': { type: 'string', default: 'chat' },
        distinct: { type: 'boolean', default: false },
        identical: { type: 'boolean', default: false },
        'size-bytes': { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        count: { type: 'string' },
        clients: { type: 'string' },
        http2: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    fail(err.message);
  }
  const { values, positionals } = parsed;
  const mode = positionals[0];
  if (positionals.length !== 1 || !Object.hasOwn(MODE_OPTIONS, mode)) {
    fail('the first argument must be the mode, rate, burst or closed');
  }
  const foreign = Object.values(MODE_OPTIONS).flat()
    .find((name) => values[name] !== undefined && !MODE_OPTIONS[mode].includes(name));
  if (foreign) {
    fail(`--${foreign} is not an option of ${mode}`);
  }
  let url;
  try {
    url = new URL(values.url ?? '');
  } catch {
    fail('--url must be a full http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('--url must be a full http:// or https:// URL');
  }
  const headers = {};
  for (const line of values.header) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !/^[!#$%&'*+.^`|~\w-]+$/.test(name)) {
      fail(`--header must look like 'Name: value', not '${line}'`);
    }
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (!Object.hasOwn(RENDER, values['body-kind'])) {
    fail(`--body-kind must be one of ${Object.keys(RENDER).join(', ')}`);
  }
  if (values.distinct && values.identical) {
    fail('--distinct and --identical exclude each other');
  }
  const common = {
    mode,
    url,
    headers,
    jsonOut: values['json-out'],
    bodyKind: values['body-kind'],
    distinct: !values.identical,
    sizeBytes: numberOption(values, 'size-bytes', { integer: true, fallback: null }),
    http2: values.http2,
  };
  if (values.http2 && url.protocol !== 'http:') {
    fail('--http2 speaks cleartext HTTP/2 (h2c) to an http:// URL');
  }
  if (mode === 'rate') {
    return {
      ...common,
      rate: numberOption(values, 'rate', { above: true }),
      duration: numberOption(values, 'duration', { above: true }),
      warmup: numberOption(values, 'warmup', { fallback: 0 }),
      connections: numberOption(values, 'connections', { integer: true, min: 1, fallback: 64 }),
    };
  }
  if (mode === 'closed') {
    const clients = numberOption(values, 'clients', { integer: true, min: 1 });
    return {
      ...common,
      clients,
      duration: numberOption(values, 'duration', { above: true }),
      warmup: numberOption(values, 'warmup', { fallback: 0 }),
      connections: clients,
    };
  }
  const count = numberOption(values, 'count', { integer: true, min: 1 });
  return {
    ...common,
    count,
    connections: numberOption(values, 'connections', { integer: true, min: 1, fallback: count }),
  };
}

const chatml = (prompt) => `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n`;
// Each kind's body for one conversation: the hosted API's, /v1/scores', OpenRLHF's one sample per request
// (openrlhf/utils/remote_rm_utils.py: {"query", "prompts", "labels"}) and verl's /classify
// (verl/experimental/reward_loop/reward_loop.py: {"model", "input", "use_activation": false}), with no model
// for the last two so that the service's default model answers.
const RENDER = {
  chat: (prompt, response) => ({ model: MODEL, messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: response }] }),
  score: (prompt, response) => ({ prompt, response }),
  rewards: (prompt, response) => ({ query: [`${chatml(prompt)}${response}<|im_end|>`], prompts: [chatml(prompt)], labels: [''] }),
  classify: (prompt, response) => ({ input: `${chatml(prompt)}${response}<|im_end|>\n`, use_activation: false }),
};

// The random run prefix keeps two runs from ever sending the same text, so that no cache answers for a backend.
function bodyMaker({ bodyKind, distinct, sizeBytes }) {
  const run = randomBytes(6).toString('hex');
  const promptOf = (i) => (distinct ? `Run ${run}, request ${i}. ${QUESTION}` : `Run ${run}. ${QUESTION}`);
  const render = (prompt, response) => JSON.stringify(RENDER[bodyKind](prompt, response));
  let response = ANSWER;
  const missing = sizeBytes === null ? 0 : sizeBytes - Buffer.byteLength(render(promptOf(0), ANSWER));
  if (missing > 0) {
    response += ` ${FILLER.repeat(Math.ceil(missing / FILLER.length)).slice(0, missing - 1)}`;
  }
  if (!distinct) {
    const shared = Buffer.from(render(promptOf(0), response));
    return () => shared;
  }
  return (i) => Buffer.from(render(promptOf(i), response));
}

// HTTP/2 without TLS (prior knowledge), at most STREAMS_PER_SESSION requests at once on each connection (a
// server's usual limit), so that thousands of requests in flight need only tens of sockets on either side.
const STREAMS_PER_SESSION = 100;

function http2ClientFor({ url, headers }) {
  const sessions = [];
  const base = { ':method': 'POST', ':path': `${url.pathname}${url.search}`, 'content-type': 'application/json', ...headers };
  let sent = 0;
  const send = (body, onDone) => {
    const index = Math.floor(sent / STREAMS_PER_SESSION);
    sent += 1;
    if (!sessions[index]) {
      sessions[index] = http2.connect(url.origin);
      sessions[index].on('error', () => {});
    }
    const socketAt = performance.now();
    let settled = false;
    const settle = (status) => {
      if (!settled) {
        settled = true;
        onDone(status, socketAt, performance.now());
      }
    };
    const stream = sessions[index].request({ ...base, 'content-length': body.length });
    let status = 0;
    stream.once('response', (h) => {
      status = h[':status'];
    });
    stream.on('data', () => {});
    stream.once('end', () => settle(status));
    stream.once('close', () => settle(stream.rstCode === 0 ? status : 0));
    stream.on('error', () => settle(0));
    stream.end(body);
  };
  return { send, close: () => sessions.forEach((s) => s.destroy()) };
}

// onDone(status, socketAt, doneAt) runs once per request; status 0 means a socket error.
function clientFor({ url, headers, connections, http2: useHttp2 }) {
  if (useHttp2) {
    return http2ClientFor({ url, headers });
  }
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: connections });
  const base = { 'content-type': 'application/json', ...headers };
  const send = (body, onDone) => {
    let settled = false;
    let socketAt = 0;
    const settle = (status) => {
      if (!settled) {
        settled = true;
        onDone(status, socketAt, performance.now());
      }
    };
    const req = transport.request(url, { method: 'POST', agent, headers: { ...base, 'content-length': body.length } });
    req.once('socket', () => {
      socketAt = performance.now();
    });
    req.once('response', (res) => {
      res.once('end', () => settle(res.statusCode));
      res.once('close', () => settle(res.complete ? res.statusCode : 0));
      res.on('error', () => settle(0));
      res.resume();
    });
    req.on('error', () => settle(0));
    req.end(body);
  };
  return { send, close: () => agent.destroy() };
}

function round(value) {
  return value === null ? null : Math.round(value * 1000) / 1000;
}

// Exact percentiles (nearest rank) over every recorded value: at these rates sorting is cheap.
function summarize(values, points) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => (sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]);
  const summary = {};
  for (const [name, p] of points) {
    summary[name] = round(at(p));
  }
  return summary;
}

function mean(values) {
  return values.length === 0 ? null : round(values.reduce((sum, v) => sum + v, 0) / values.length);
}

async function runRate(options, client, makeBody) {
  const { rate, duration, warmup } = options;
  const interval = 1000 / rate;
  const warmupCount = Math.round(warmup * rate);
  const total = warmupCount + Math.round(duration * rate);
  const latencies = [];
  const services = [];
  const statuses = {};
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let outstanding = 0;
  let lastDoneAt = 0;
  let finished = false;
  let wake = null;
  const start = performance.now();
  const measureStart = start + warmupCount * interval;

  const fire = (i, dueAt) => {
    const recorded = i >= warmupCount;
    if (recorded) {
      sent += 1;
      outstanding += 1;
    }
    client.send(makeBody(i), (status, socketAt, doneAt) => {
      if (!recorded || finished) {
        return;
      }
      outstanding -= 1;
      if (status === 0) {
        errors += 1;
      } else {
        completed += 1;
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(doneAt - dueAt);
        services.push(doneAt - socketAt);
        lastDoneAt = doneAt;
      }
      if (outstanding === 0 && wake) {
        wake();
      }
    });
  };

  await new Promise((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      for (; i < total && start + i * interval <= now; i += 1) {
        fire(i, start + i * interval);
      }
      if (i === total) {
        resolve();
      } else {
        setTimeout(tick, start + i * interval - performance.now());
      }
    };
    tick();
  });
  if (outstanding > 0) {
    await grace((resolve) => {
      wake = resolve;
    });
  }
  finished = true;

  // Answers per second over the measured window, stretched to the last answer when the server lagged behind.
  const windowMs = Math.max(duration * 1000, lastDoneAt - measureStart);
  return {
    mode: 'rate',
    url: options.url.href,
    rate,
    duration,
    sent,
    completed,
    statuses,
    errors,
    latencyMs: {
      ...summarize(latencies, [['p50', 0.5], ['p90', 0.9], ['p99', 0.99], ['p999', 0.999], ['max', 1]]),
      mean: mean(latencies),
    },
    serviceMs: summarize(services, [['p50', 0.5], ['p90', 0.9], ['p99', 0.99], ['max', 1]]),
    achievedRate: round(completed / (windowMs / 1000)),
  };
}

async function runBurst(options, client, makeBody) {
  const { count } = options;
  // Bodies are built beforehand so that the requests leave as close together as possible.
  const bodies = Array.from({ length: count }, (_, i) => makeBody(i));
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let lastDoneAt = 0;
  let pending = count;
  const start = performance.now();
  await new Promise((resolve) => {
    const limit = setTimeout(resolve, BURST_LIMIT_MS);
    for (const body of bodies) {
      client.send(body, (status, _socketAt, doneAt) => {
        if (status === 0) {
          errors += 1;
        } else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(doneAt - start);
        }
        lastDoneAt = doneAt;
        pending -= 1;
        if (pending === 0) {
          clearTimeout(limit);
          resolve();
        }
      });
    }
  });
  return {
    mode: 'burst',
    url: options.url.href,
    count,
    statuses,
    errors,
    unanswered: pending,
    elapsedMs: round(lastDoneAt - start),
    latencyMs: summarize(latencies, [['p50', 0.5], ['p99', 0.99], ['max', 1]]),
  };
}

async function runClosed(options, client, makeBody) {
  const { clients, duration, warmup } = options;
  const latencies = [];
  const statuses = {};
  const timeline = Array.from({ length: Math.ceil(duration) }, () => ({ statuses: {}, errors: 0 }));
  let errors = 0;
  let sent = 0;
  let outstanding = 0;
  let wake = null;
  const start = performance.now();
  const measureStart = start + warmup * 1000;
  const end = measureStart + duration * 1000;

  const next = () => {
    const sentAt = performance.now();
    const i = sent;
    sent += 1;
    outstanding += 1;
    client.send(makeBody(i), (status, _socketAt, doneAt) => {
      outstanding -= 1;
      if (doneAt >= measureStart && doneAt <= end) {
        const second = timeline[Math.min(timeline.length - 1, Math.floor((doneAt - measureStart) / 1000))];
        if (status === 0) {
          errors += 1;
          second.errors += 1;
        } else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          second.statuses[status] = (second.statuses[status] ?? 0) + 1;
          if (status === 200) {
            latencies.push(doneAt - sentAt);
          }
        }
      }
      if (performance.now() < end) {
        // A refused connection answers at once: a pause keeps a dead server from spinning the loop.
        if (status === 0) {
          setTimeout(next, 100);
        } else {
          next();
        }
      } else if (outstanding === 0 && wake) {
        wake();
      }
    });
  };

  const marker = setTimeout(() => process.stderr.write('closed: measuring\n'), warmup * 1000);
  for (let c = 0; c < clients; c += 1) {
    next();
  }
  await new Promise((resolve) => setTimeout(resolve, end - performance.now()));
  clearTimeout(marker);
  const unfinished = outstanding;
  if (outstanding > 0) {
    await grace((resolve) => {
      wake = resolve;
    });
  }
  const ok = statuses[200] ?? 0;
  return {
    mode: 'closed',
    url: options.url.href,
    clients,
    duration,
    sent,
    completed: Object.values(statuses).reduce((sum, n) => sum + n, 0),
    statuses,
    errors,
    // Requests in flight when the window closed, and those of them still unanswered 10 s later.
    outstandingAtEnd: unfinished,
    unanswered: outstanding,
    latencyMs: {
      ...summarize(latencies, [['p50', 0.5], ['p90', 0.9], ['p99', 0.99], ['max', 1]]),
      mean: mean(latencies),
    },
    okPerSecond: round(ok / duration),
    timeline,
  };
}

function summaryLine(result) {
  const statuses = Object.entries(result.statuses).map(([status, n]) => `${status}: ${n}`).join(', ') || 'none';
  const { latencyMs: l } = result;
  if (result.mode === 'rate') {
    return `rate ${result.rate}/s for ${result.duration} s: sent ${result.sent}, completed ${result.completed}`
      + ` (${statuses}), errors ${result.errors}, achieved ${result.achievedRate}/s;`
      + ` latency ms p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} p99.9 ${l.p999} max ${l.max};`
      + ` service ms p50 ${result.serviceMs.p50} p99 ${result.serviceMs.p99}`;
  }
  if (result.mode === 'closed') {
    return `closed loop of ${result.clients} for ${result.duration} s: completed ${result.completed} (${statuses}),`
      + ` errors ${result.errors}, ${result.okPerSecond} x 200/s; latency of 200s ms p50 ${l.p50} p99 ${l.p99}`
      + ` max ${l.max}`;
  }
  return `burst of ${result.count}: ${statuses}, errors ${result.errors}, all done in ${result.elapsedMs} ms;`
    + ` latency ms p50 ${l.p50} p99 ${l.p99} max ${l.max}`;
}

const options = parseOptions();
const client = clientFor(options);
const makeBody = bodyMaker(options);
const RUN = { rate: runRate, burst: runBurst, closed: runClosed };
const result = await RUN[options.mode](options, client, makeBody);
process.stdout.write(`${summaryLine(result)}\n`);
if (options.jsonOut) {
  writeFileSync(options.jsonOut, `${JSON.stringify(result, null, 2)}\n`);
}
client.close();
// Requests still unanswered after the grace period must not keep the process alive.
process.exit(0);
