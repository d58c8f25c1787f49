// The hosted reward API, faked: answers POST /v1/chat/completions in the reward format with scores derived
// from the scored turn, and counts its calls so that tests can tell a cache hit from a backend call.
import { createServer } from 'node:http';

const ATTRIBUTES = ['helpfulness', 'correctness', 'coherence', 'complexity', 'verbosity'];

/** Scores in [0, 4], multiples of 1/64 (exact in binary), fixed by the text. */
function scoresOf(text) {
  let hash = 2166136261;
  for (const ch of text) {
    hash = Math.imul(hash ^ ch.codePointAt(0), 16777619) >>> 0;
  }
  return ATTRIBUTES.map((name, i) => [name, ((hash >>> (i * 5)) % 257) / 64]);
}

export function startFakeNvidia(apiKey) {
  const calls = new Map();
  let total = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://fake');
      if (req.method === 'GET' && url.pathname === '/calls') {
        const turn = url.searchParams.get('assistant');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ total, calls: turn === null ? total : calls.get(turn) ?? 0 }));
        return;
      }
      if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"status":404,"title":"Not Found"}');
        return;
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end('{"status":401,"title":"Unauthorized","detail":"Authentication failed"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const turn = body.messages.at(-1).content;
      total += 1;
      calls.set(turn, (calls.get(turn) ?? 0) + 1);
      const scores = scoresOf(body.messages.map((m) => m.content).join('\u0000'));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        id: crypto.randomUUID(),
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{
          index: 0,
          message: { role: 'assistant', content: scores.map(([n, v]) => `${n}:${v}`).join(',') },
          logprobs: { content: scores.map(([n, v]) => ({ token: n, logprob: v, top_logprobs: [] })) },
          finish_reason: 'length',
        }],
        usage: { prompt_tokens: 52, total_tokens: 53, completion_tokens: 1 },
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
