// Cohere's official Node SDK (cohere-ai), changed only in its base URL, as RAG pipelines call a reranker:
// CohereClientV2.rerank posts {"model", "query", "documents", "top_n"} to <baseUrl>/v2/rerank and parses
// V2RerankResponse (cohere-ai: api/resources/v2/client/Client.js, __rerank).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Cohere, CohereClientV2, CohereError } from 'cohere-ai';
import { apiKey, backendCalls, model, outDir, rewardgateUrl, unique } from './env.js';

// The SDK sends its token as 'Authorization: Bearer', which is how rewardgate takes a client key.
const cohere = new CohereClientV2({ token: apiKey, baseUrl: rewardgateUrl, maxRetries: 0 });

async function reward(prompt: string, response: string): Promise<number> {
  const answer = await fetch(`${rewardgateUrl}/v1/scores`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, prompt, response }),
  });
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { reward: number }).reward;
}

test('rerank returns the top documents by reward, best first, and the repeat comes from the cache', async () => {
  const query = unique('What is the capital of the United States?');
  const documents = [
    'Carson City is the capital city of the American state of Nevada.',
    'Washington, D.C. is the capital of the United States. It is a federal district.',
    'Capitalization in English grammar is the use of a capital letter at the start of a word.',
    'Capital punishment has existed in the United States since before it was a country.',
  ].map(unique);

  const first = await cohere.rerank({ model, query, documents, topN: 3 });

  const rewards = await Promise.all(documents.map((document) => reward(query, document)));
  const bestFirst = rewards.map((r, i) => [r, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  assert.deepEqual(first.results.map((r) => r.index), bestFirst.slice(0, 3));
  assert.deepEqual(first.results.map((r) => r.relevanceScore), bestFirst.slice(0, 3).map((i) => rewards[i]));
  assert.equal(first.meta?.apiVersion?.version, '2');
  writeFileSync(join(outDir, 'cohere-sdk-output.json'), JSON.stringify(first, null, 2) + '\n');
  console.log(JSON.stringify(first));

  const second = await cohere.rerank({ model, query, documents, topN: 3 });
  assert.deepEqual(second.results, first.results);
  for (const document of documents) {
    assert.equal(await backendCalls(document), 1, document);
  }
});

test('another model is the SDK\'s NotFoundError with Cohere\'s message', async () => {
  await assert.rejects(
    cohere.rerank({ model: 'rerank-v3.5', query: 'Hi', documents: ['Hello'] }),
    (e: unknown) => {
      assert.ok(e instanceof Cohere.NotFoundError, String(e));
      assert.equal(e.statusCode, 404);
      const body = e.body as { id: string; message: string };
      assert.match(body.message, /^The model 'rerank-v3\.5' is not served here/);
      assert.match(body.id, /^[0-9a-f-]{36}$/);
      return true;
    },
  );
});

test('no documents is the SDK\'s BadRequestError, and a wrong key its UnauthorizedError', async () => {
  await assert.rejects(cohere.rerank({ model, query: 'Hi', documents: [] }), (e: unknown) => {
    assert.ok(e instanceof Cohere.BadRequestError, String(e));
    assert.match((e.body as { message: string }).message, /^invalid request: .*documents must hold 1 to 1000/);
    return true;
  });
  const stranger = new CohereClientV2({ token: 'rg-not-a-valid-key-0123', baseUrl: rewardgateUrl, maxRetries: 0 });
  await assert.rejects(stranger.rerank({ model, query: 'Hi', documents: ['Hello'] }), (e: unknown) => {
    assert.ok(e instanceof Cohere.UnauthorizedError, String(e));
    assert.ok(e instanceof CohereError);
    return true;
  });
});
