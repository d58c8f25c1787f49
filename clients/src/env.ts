// Where the harness started things, and what the fake backend has seen.
import { randomUUID } from 'node:crypto';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests through harness.mjs (npm test)`);
  }
  return value;
}

export const rewardgateUrl = required('REWARDGATE_URL');
export const apiKey = required('REWARDGATE_API_KEY');
export const fakeNvidiaUrl = required('FAKE_NVIDIA_URL');
export const outDir = required('CLIENTS_OUT');
export const model = 'nvidia/nemotron-4-340b-reward';
export const attributes = ['helpfulness', 'correctness', 'coherence', 'complexity', 'verbosity'];

/** Backend calls the fake has answered for conversations whose scored turn is this text. */
export async function backendCalls(assistantTurn: string): Promise<number> {
  const answer = await fetch(`${fakeNvidiaUrl}/calls?assistant=${encodeURIComponent(assistantTurn)}`);
  const body = (await answer.json()) as { calls: number };
  return body.calls;
}

/** A text no other test uses, so that its first scoring is a cache miss. */
export function unique(text: string): string {
  return `${text} (${randomUUID()})`;
}
