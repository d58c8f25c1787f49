// Runs the client tests against the packaged jar: starts a fake hosted API and rewardgate (nvidia backend
// pointed at the fake, one client key required) on free ports, runs build/*.test.js with their URLs in the environment, then stops
// both. Build the jar first (./mvnw package); ./mvnw verify does all of it.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeNvidia } from './fake-nvidia.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const jar = resolve(here, '../target/quarkus-app/quarkus-run.jar');
const out = resolve(here, '../target/clients');
const backendKey = 'nvapi-clients-test-key';
const clientKey = 'rg-clients-test-key-0123456789';
const readyWithin = 60_000;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitUntilReady(url, app) {
  const deadline = Date.now() + readyWithin;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) {
      throw new Error(`rewardgate exited with ${app.exitCode}; see ${out}/rewardgate.log`);
    }
    try {
      if ((await fetch(url)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`rewardgate not ready within ${readyWithin} ms; see ${out}/rewardgate.log`);
}

function stop(app) {
  if (app.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => app.kill('SIGKILL'), 10_000);
    app.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    app.kill('SIGTERM');
  });
}

if (!existsSync(jar)) {
  console.error(`${jar} is missing: run ./mvnw package first`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const fake = await startFakeNvidia(backendKey);
const fakeUrl = `http://127.0.0.1:${fake.address().port}`;
const port = await freePort();
const managementPort = await freePort();
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const log = createWriteStream(join(out, 'rewardgate.log'));
const app = spawn(java, [
  `-Dquarkus.http.port=${port}`,
  '-Dquarkus.http.host=127.0.0.1',
  `-Dquarkus.management.port=${managementPort}`,
  '-Dquarkus.management.host=127.0.0.1',
  '-Drewardgate.backend=nvidia',
  `-Drewardgate.nvidia.base-url=${fakeUrl}/v1`,
  // Far above the fake's answer time: a busy machine must not turn a cold first call into a 504.
  '-Drewardgate.nvidia.timeout=30s',
  `-Drewardgate.jobs.directory=${join(out, 'jobs')}`,
  '-jar', jar,
], {
  env: { ...process.env, NVIDIA_API_KEY: backendKey, REWARDGATE_AUTH_API_KEYS: `clients=${clientKey}` },
  stdio: ['ignore', 'pipe', 'pipe'],
});
app.stdout.pipe(log);
app.stderr.pipe(log);

let status = 1;
try {
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`http://127.0.0.1:${managementPort}/q/health/ready`, app);
  const tests = readdirSync(join(here, 'build')).filter((f) => f.endsWith('.test.js')).map((f) => join('build', f));
  const run = spawn(process.execPath, ['--test', '--test-concurrency=1', ...tests], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, REWARDGATE_URL: base, REWARDGATE_API_KEY: clientKey, FAKE_NVIDIA_URL: fakeUrl, CLIENTS_OUT: out },
  });
  status = await new Promise((r) => run.once('exit', (code) => r(code ?? 1)));
} catch (e) {
  console.error(e.message);
} finally {
  await stop(app);
  fake.close();
  await new Promise((r) => log.end(r));
}
const logged = readFileSync(join(out, 'rewardgate.log'), 'utf8');
if (logged.includes(backendKey) || logged.includes(clientKey)) {
  console.error(`a key appears in ${out}/rewardgate.log`);
  status = 1;
}
process.exit(status);
