// A client generated from the repository's openapi.yaml (openapi-typescript types, openapi-fetch calls):
// the contract type-checks against real calls, and the answers match it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/rewardgate.js';
import { apiKey, attributes, backendCalls, model, rewardgateUrl, unique } from './env.js';

type ScoreResponse = components['schemas']['ScoreResponse'];

const client = createClient<paths>({ baseUrl: rewardgateUrl, headers: { 'X-API-Key': apiKey } });

function assertScores(score: ScoreResponse | undefined): asserts score is ScoreResponse {
  assert.ok(score);
  assert.equal(score.model, model);
  assert.equal(score.backend, 'nvidia');
  assert.deepEqual(Object.keys(score.attributes), attributes);
  for (const [name, value] of Object.entries(score.attributes)) {
    assert.ok(value.raw >= 0 && value.raw <= 4, `${name}.raw = ${value.raw}`);
    assert.equal(value.normalized, value.raw / 4);
  }
  assert.ok(score.rewardNormalized >= 0 && score.rewardNormalized <= 1);
}

test('POST /v1/scores', async () => {
  const answer = unique('The Louvre.');
  const { data, error, response } = await client.POST('/v1/scores', {
    body: { prompt: 'What should I see in Paris?', response: answer, weights: { verbosity: 0 } },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assertScores(data);
  assert.equal(data.cached, false);
  const weights: Record<string, number> = { helpfulness: 0.3, correctness: 0.74, coherence: 0.46, complexity: 0.47, verbosity: 0 };
  const expected = attributes.reduce((sum, name) => sum + (weights[name] ?? NaN) * (data.attributes[name]?.raw ?? NaN), 0);
  assert.ok(Math.abs(data.reward - expected) < 1e-9, `${data.reward} vs ${expected}`);

  // @ts-expect-error prompt is a string in the contract; the generated types must say so
  const wrong = await client.POST('/v1/scores', { body: { prompt: 42, response: 'x' } });
  assert.equal(wrong.response.status, 400);
  assert.equal(wrong.error?.violations?.[0]?.field, 'prompt');
  assert.equal(await backendCalls(answer), 1);
});

test('POST /v1/scores/batch', async () => {
  const a = unique('First answer.');
  const b = unique('Second answer.');
  const { data, response } = await client.POST('/v1/scores/batch', {
    body: {
      items: [
        { id: 'a', prompt: 'Q?', response: a },
        { id: 'b', messages: [{ role: 'user', content: 'Q?' }, { role: 'assistant', content: b }] },
        { id: 'a-again', prompt: 'Q?', response: a },
        { id: 'bad', prompt: 'Q?', response: ' ' },
      ],
    },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.deepEqual(data.results.map((r) => [r.index, r.id]), [[0, 'a'], [1, 'b'], [2, 'a-again'], [3, 'bad']]);
  assertScores(data.results[0] as ScoreResponse);
  assert.equal(data.results[2]?.reward, data.results[0]?.reward);
  assert.equal(data.results[3]?.error?.status, 400);
  assert.equal(data.results[3]?.error?.violations?.[0]?.field, 'response');
  assert.deepEqual(data.summary, { total: 4, succeeded: 3, failed: 1, cached: 0 });
  assert.equal(await backendCalls(a), 1);
  assert.equal(await backendCalls(b), 1);
});

test('without the key, a 401 problem', async () => {
  const stranger = createClient<paths>({ baseUrl: rewardgateUrl });
  const { error, response } = await stranger.POST('/v1/scores', { body: { prompt: 'Q?', response: 'A.' } });
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="rewardgate"');
  assert.equal(error?.type, 'urn:rewardgate:problem:unauthorized');
});

test('POST /v1/rankings', async () => {
  const responses = [unique('Maybe.'), unique('Paris, the capital.'), unique('Lyon?')];
  const { data, response } = await client.POST('/v1/rankings', {
    body: { prompt: 'What is the capital of France?', responses },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.deepEqual(data.ranking.map((r) => r.index).sort(), [0, 1, 2]);
  const rewards = data.ranking.map((r) => r.reward);
  assert.deepEqual(rewards, [...rewards].sort((x, y) => y - x));
  assert.equal(data.best, data.ranking[0]?.index);
  for (const [i, response] of responses.entries()) {
    assert.equal(await backendCalls(response), 1, `response ${i}`);
  }
});

test('POST /v1/rerank, and Cache-Control: no-cache scores again', async () => {
  const documents = [unique('Paris.'), unique('Lyon.')];
  const body = { model, query: 'What is the capital of France?', documents, return_documents: true };
  const { data, response } = await client.POST('/v1/rerank', { body });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.deepEqual(data.results.map((r) => r.index).sort(), [0, 1]);
  assert.deepEqual(data.results.map((r) => r.document), data.results.map((r) => ({ text: documents[r.index] })));
  assert.equal(response.headers.get('x-rewardgate-cache'), null);

  const fresh = await client.POST('/v1/rerank', { body, headers: { 'Cache-Control': 'no-cache' } });
  assert.equal(fresh.response.headers.get('x-rewardgate-cache'), 'BYPASS');
  assert.deepEqual(fresh.data?.results, data.results);
  for (const document of documents) {
    assert.equal(await backendCalls(document), 2, document);
  }
});
