// Figures, printed rather than asserted (a shared machine makes timings noisy):
// how the page copes with a run of thousands of events, and how fast it loads.
// Not part of `node --test e2e/` (the name matches none of its patterns):
// scripts/bench.sh runs it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBrowser } from './fixtures.mjs';

forEachBrowser('figures', { only: ['chromium'] }, (fx) => {
  it('prints load time and the main thread\'s long tasks during a busy GIL run', async () => {
    const { page, problems } = await fx.open();
    await page.evaluateOnNewDocument(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    const url = `${fx.site.url}#/the-gil?threads=8&work=2&mode=gil&io=1&interval=1&speed=300`;
    await page.goto(url);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]');
    await page
      .waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, { timeout: 5_000 })
      .catch(() => {});
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    const loadLongTasks = await page.evaluate(() => window.__longTasks.splice(0));
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 120_000 });
    await new Promise((r) => setTimeout(r, 200));
    const figures = await page.evaluate(() => ({
      spans: document.querySelectorAll('[data-testid=span]').length,
      longTasks: window.__longTasks,
    }));
    const run = await page.$eval('[data-testid=run-summary]', (s) => ({ ...s.dataset }));
    const lanes = await page.$$eval('[data-testid=lane]', (l) => l.length);
    console.log(`figures: first contentful paint ${paint.toFixed(0)} ms; long tasks while loading: ${loadLongTasks.map((d) => d.toFixed(0)).join(', ') || 'none'}`);
    console.log(
      `figures: GIL run of 8 CPU threads + 1 I/O thread at a 1 ms switch interval: wall ${Number(run.wallMs).toFixed(0)} ms, ` +
        `${lanes} lanes, ${run.events} events, ${figures.spans} rectangles drawn; main-thread long tasks during the run: ` +
        `${figures.longTasks.length} (longest ${Math.max(0, ...figures.longTasks).toFixed(0)} ms)`,
    );
    assert.equal(run.maxRunning, '1');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
