// The official OpenAI SDK, changed only in its base URL, as NeMo Curator and distilabel call the hosted API.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import OpenAI from 'openai';
import { apiKey, attributes, backendCalls, model, outDir, rewardgateUrl, unique } from './env.js';

// The SDK sends its apiKey as 'Authorization: Bearer', which is how rewardgate takes a client key.
const client = new OpenAI({ baseURL: `${rewardgateUrl}/v1`, apiKey, maxRetries: 0 });

test('chat.completions.create returns the five attributes, and the repeat comes from the cache', async () => {
  const answer = unique('Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts.');
  const request: OpenAI.ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: [
      { role: 'user', content: 'I am going to Paris, what should I see?' },
      { role: 'assistant', content: answer },
    ],
  };

  const { data: first, response } = await client.chat.completions.create(request).withResponse();
  assert.equal(response.headers.get('x-rewardgate-cache'), 'MISS');
  const tokens = first.choices[0]?.logprobs?.content ?? [];
  assert.deepEqual(tokens.map((t) => t.token), attributes);
  for (const token of tokens) {
    assert.ok(token.logprob >= 0 && token.logprob <= 4, `${token.token} = ${token.logprob}`);
  }
  const pairs = (first.choices[0]?.message.content ?? '').split(',').map((pair) => pair.split(':'));
  assert.deepEqual(pairs.map(([name, value]) => [name, Number(value)]), tokens.map((t) => [t.token, t.logprob]));
  assert.equal(first.model, model);
  assert.equal(first.object, 'chat.completion');
  writeFileSync(join(outDir, 'openai-sdk-output.json'), JSON.stringify(first, null, 2) + '\n');
  console.log(JSON.stringify(first));

  const { data: second, response: again } = await client.chat.completions.create(request).withResponse();
  assert.equal(again.headers.get('x-rewardgate-cache'), 'HIT');
  assert.deepEqual(second.choices[0]?.logprobs?.content, first.choices[0]?.logprobs?.content);
  assert.equal(await backendCalls(answer), 1);
});

test('the sampling fields the SDK may send are ignored', async () => {
  const answer = unique('Seven.');
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Name a prime.' }, { role: 'assistant', content: answer }],
    temperature: 0.2,
    top_p: 0.7,
    max_tokens: 1024,
    stream: false,
  });
  assert.equal(completion.choices[0]?.logprobs?.content?.length, 5);
  assert.equal(await backendCalls(answer), 1);
});

test('models.list names the model served, with its attributes', async () => {
  const models = await client.models.list();
  const served = models.data[0] as OpenAI.Model & { backend?: string; attributes?: string[] };
  assert.equal(served.id, model);
  assert.equal(served.backend, 'nvidia');
  assert.deepEqual(served.attributes, attributes);
});

test('a wrong key is the SDK\'s AuthenticationError', async () => {
  const stranger = new OpenAI({ baseURL: `${rewardgateUrl}/v1`, apiKey: 'rg-not-a-valid-key-0123', maxRetries: 0 });
  await assert.rejects(stranger.models.list(), (e: unknown) => {
    assert.ok(e instanceof OpenAI.AuthenticationError, String(e));
    assert.equal(e.code, 'unauthorized');
    return true;
  });
});

test('another model is the SDK\'s NotFoundError with code model_not_found', async () => {
  await assert.rejects(
    client.chat.completions.create({
      model: 'meta/llama-3.1-8b-instruct',
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }],
    }),
    (e: unknown) => {
      assert.ok(e instanceof OpenAI.NotFoundError, String(e));
      assert.equal(e.code, 'model_not_found');
      assert.equal(e.param, 'model');
      assert.match(e.message, /is not served here/);
      return true;
    },
  );
});

test('streaming is the SDK\'s BadRequestError saying it is not supported', async () => {
  await assert.rejects(
    client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }],
      stream: true,
    }),
    (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'stream');
      assert.match(e.message, /stream is not supported/);
      return true;
    },
  );
});
