// Swagger UI in a real Chromium, as a person exploring the API would use it: expand POST /v1/scores,
// "Try it out", execute the example, and see a 200 with scores.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { apiKey, outDir, rewardgateUrl } from './env.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const skip = existsSync(executablePath) ? false : `no Chromium at ${executablePath} (install it, or set CHROMIUM_PATH)`;

test('Swagger UI executes the POST /v1/scores example and shows a 200 with scores', { skip }, async () => {
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') {
        pageErrors.push(m.text());
      }
    });

    await page.goto(`${rewardgateUrl}/q/swagger-ui`, { waitUntil: 'domcontentloaded' });
    // Client keys are on: authorize once with the bearer scheme, as a user with a key would.
    await page.locator('button.authorize').first().click();
    const bearer = page.locator('.modal-ux .auth-container', { has: page.locator('#auth-bearer-value') });
    await bearer.locator('#auth-bearer-value').fill(apiKey);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await page.locator('.modal-ux', { hasText: 'Authorized' }).locator('button.close-modal').click();

    const operation = page.locator('#operations-Scores-score');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const example = await operation.locator('textarea.body-param__text').inputValue();
    assert.match(example, /"prompt": "I am going to Paris, what should I see\?"/);

    const answered = page.waitForResponse((r) => r.url() === `${rewardgateUrl}/v1/scores` && r.request().method() === 'POST');
    await operation.getByRole('button', { name: 'Execute' }).click();
    assert.equal((await answered).status(), 200);

    const live = operation.locator('.live-responses-table');
    await live.locator('.response-col_status', { hasText: '200' }).waitFor();
    const shown = await live.locator('.response-col_description .microlight').first().innerText();
    for (const name of ['helpfulness', 'correctness', 'coherence', 'complexity', 'verbosity', 'rewardNormalized']) {
      assert.ok(shown.includes(`"${name}"`), `the rendered body lacks ${name}: ${shown}`);
    }
    await live.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(outDir, 'swagger-ui.png') });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
  }
});
