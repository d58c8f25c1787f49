// The official OpenAI SDK's Batch API workflow, as a script that scores a dataset runs it: upload a JSONL
// file, create a batch, poll it until it ends, download the output and parse it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { apiKey, attributes, backendCalls, model, rewardgateUrl, unique } from './env.js';

const client = new OpenAI({ baseURL: `${rewardgateUrl}/v1`, apiKey, maxRetries: 0 });
const ENDED = ['completed', 'failed', 'expired', 'cancelled'];

/** The batch once it has ended, polled every 100 ms for at most 60 s. */
async function ended(id: string): Promise<OpenAI.Batch> {
  for (let i = 0; i < 600; i++) {
    const batch = await client.batches.retrieve(id);
    if (ENDED.includes(batch.status)) {
      return batch;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`batch ${id} did not end within 60 s`);
}

/** Uploads {@code lines}, runs them as a batch on {@code endpoint}, and answers the batch and its output lines. */
async function run(endpoint: string, lines: object[]) {
  const content = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
  const file = await client.files.create({
    file: await toFile(Buffer.from(content, 'utf8'), 'requests.jsonl'),
    purpose: 'batch',
  });
  assert.equal(file.purpose, 'batch');
  assert.equal(file.bytes, Buffer.byteLength(content, 'utf8'));
  const created = await client.batches.create({
    input_file_id: file.id,
    endpoint: endpoint as OpenAI.BatchCreateParams['endpoint'],
    completion_window: '24h',
    metadata: { dataset: 'clients-test' },
  });
  assert.equal(created.status, 'validating');
  const batch = await ended(created.id);
  assert.ok(batch.output_file_id, 'an output file');
  const output = (await (await client.files.content(batch.output_file_id)).text())
    .split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  return { batch, output };
}

test('a batch of chat completions: every line answered once, identical ones scored once', async () => {
  const answers = [unique('The Louvre.'), unique('The Eiffel Tower.'), unique('Notre-Dame.')];
  const lines = [...answers, answers[0]].map((answer, i) => ({
    custom_id: `chat-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content: 'What should I see in Paris?' }, { role: 'assistant', content: answer }] },
  }));

  const { batch, output } = await run('/v1/chat/completions', lines);

  assert.equal(batch.status, 'completed');
  assert.deepEqual(batch.request_counts, { total: 4, completed: 4, failed: 0 });
  assert.deepEqual(batch.metadata, { dataset: 'clients-test' });
  assert.equal(batch.error_file_id, null);
  assert.deepEqual(output.map((o) => o.custom_id).sort(), ['chat-0', 'chat-1', 'chat-2', 'chat-3']);
  for (const line of output) {
    assert.equal(line.response.status_code, 200);
    const completion = line.response.body as OpenAI.ChatCompletion;
    assert.deepEqual(completion.choices[0]?.logprobs?.content?.map((t) => t.token), attributes);
  }
  for (const answer of answers) {
    assert.equal(await backendCalls(answer), 1, answer);
  }
  const listed = await client.batches.list({ limit: 100 });
  assert.ok(listed.data.some((b) => b.id === batch.id));
});

test('a batch of /v1/scores lines: the native body, and a bad line in the error file', async () => {
  const answer = unique('Seven.');
  const { batch, output } = await run('/v1/scores', [
    { custom_id: 'prime', method: 'POST', url: '/v1/scores', body: { prompt: 'Name a prime.', response: answer } },
    { custom_id: 'no-answer', method: 'POST', url: '/v1/scores', body: { prompt: 'Name a prime.' } },
  ]);

  assert.equal(batch.status, 'completed');
  assert.deepEqual(batch.request_counts, { total: 2, completed: 1, failed: 1 });
  const scored = output[0].response.body;
  assert.equal(output[0].custom_id, 'prime');
  assert.equal(scored.model, model);
  assert.deepEqual(Object.keys(scored.attributes), attributes);
  assert.equal(typeof scored.reward, 'number');
  const errors = (await (await client.files.content(batch.error_file_id!)).text()).trim().split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(errors.length, 1);
  assert.equal(errors[0].custom_id, 'no-answer');
  assert.equal(errors[0].response.status_code, 400);
  assert.equal(errors[0].response.body.type, 'urn:rewardgate:problem:invalid-request');
  assert.equal(errors[0].error, null);
});

test('a file that is not JSONL is refused with the SDK\'s BadRequestError', async () => {
  await assert.rejects(
    client.files.create({ file: await toFile(Buffer.from('not json\n'), 'bad.jsonl'), purpose: 'batch' }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.status === 400
      && e.message.includes('The file is not JSONL: line 1 is not a JSON object.'),
  );
});
