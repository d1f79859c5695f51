// End to end: the release build, served over HTTP under a sub-path, opened in
// headless Chromium and Firefox, used as a presenter would.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachBrowser } from './fixtures.mjs';

// The deck's slide titles, in order, read from the deck itself (src/deck/tests.rs pins them).
const deckText = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'www', 'parallel-execution.md'), 'utf8');
const TITLES = deckText.split(/\n\^\n/).map((slide) => slide.match(/^#{1,2} (.+)$/m)?.[1] ?? '');

const heading = (page) =>
  page.$eval('[data-testid=slide]', (el) => el.querySelector('h1, h2')?.textContent ?? '');
const text = (page, testid) => page.$eval(`[data-testid=${testid}]`, (el) => el.textContent);

async function waitForHeading(page, title) {
  await page.waitForFunction(
    (t) => document.querySelector('[data-testid=slide]')?.querySelector('h1, h2')?.textContent === t,
    { timeout: 10_000 },
    title,
  );
}

assert.equal(TITLES.length, 8, `the deck has eight slides: ${TITLES.join(' | ')}`);

forEachBrowser('the built site', { plainSite: true }, (fx) => {
  it('walks all eight slides with the keyboard', async () => {
    const { page, problems } = await fx.open();
    await page.goto(fx.site.url);
    await waitForHeading(page, TITLES[0]);
    for (const [i, title] of TITLES.entries()) {
      await waitForHeading(page, title);
      assert.equal(await text(page, 'slide-counter'), `${i + 1} / 8`);
      await page.keyboard.press('ArrowRight');
    }
    assert.equal(new URL(page.url()).hash, '#/asyncio-example');
    await page.keyboard.press('Home');
    await waitForHeading(page, TITLES[0]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens a deep link, keeps it on reload, and walks back through history', async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/the-gil`);
    await waitForHeading(page, 'The GIL');
    await page.reload();
    await waitForHeading(page, 'The GIL');
    assert.equal(await text(page, 'slide-counter'), '4 / 8');
    await page.keyboard.press('ArrowRight');
    await waitForHeading(page, 'Classical Method Example');
    await page.goBack();
    await waitForHeading(page, 'The GIL');
    await page.goto(`${fx.site.url}#/6`);
    await waitForHeading(page, 'Futures/Promises Example');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens the first slide with a notice for an unknown link', async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/no-such-slide`);
    await waitForHeading(page, 'Parallel Execution');
    assert.match(await text(page, 'notice'), /no-such-slide/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows the speaker notes with N and highlights the code', async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/futures-promises-example`);
    await waitForHeading(page, 'Futures/Promises Example');
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid=notes]');
    assert.match(await text(page, 'notes'), /concurrent\.futures\.as_completed/);
    const keywords = await page.$$eval('[data-testid=code] .tok-kw', (els) => els.map((e) => e.textContent));
    assert.ok(keywords.includes('with') && keywords.includes('def'), keywords.join(','));
    await page.screenshot({ path: fx.shot('futures-notes') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const [label, getSite] of [
    ['a cross-origin isolated host', () => fx.site],
    // No COOP/COEP: the service worker reloads the page once, isolated (browsers without
    // service workers, on the message-based arbiter, are in e2e/hosting.test.mjs).
    ['a plain static host', () => fx.plainSite],
  ]) {
    it(`runs a job in a real worker on ${label}`, async () => {
      const { page, problems } = await fx.open();
      await page.goto(getSite().url);
      await page.waitForFunction(() => document.querySelector('[data-testid=isolated]')?.textContent === 'yes', { timeout: 30_000 });
      await waitForHeading(page, 'Parallel Execution');
      assert.equal(await text(page, 'gil-impl'), 'SharedArrayBuffer + Atomics lock');
      const cores = Number(await text(page, 'cores'));
      assert.ok(cores >= 1, `cores: ${cores}`);
      const field = await page.$('[data-testid=prime-limit]');
      await field.click({ clickCount: 3 });
      await page.keyboard.press('End');
      for (let i = 0; i < 12; i++) await page.keyboard.press('Backspace');
      await field.type('1_000_000');
      await page.click('[data-testid=run-worker]');
      await page.waitForSelector('[data-testid=worker-result], [data-testid=worker-error]', { timeout: 60_000 });
      assert.equal(await page.$('[data-testid=worker-error]'), null, 'the worker run failed');
      assert.equal(await text(page, 'worker-value'), '78_498');
      assert.equal(await text(page, 'worker-scope'), 'DedicatedWorkerGlobalScope');
      assert.match(await text(page, 'worker-ms'), /^\d+\.\d ms$/);
      const shot = fx.shot(label === 'a plain static host' ? 'plain' : 'isolated');
      await page.screenshot({ path: shot });
      console.log(`screenshot: ${shot}`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
