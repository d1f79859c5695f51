// Figures, printed rather than asserted (a shared machine makes timings noisy):
// how the page copes with a run of thousands of events, in Chromium and
// Firefox. Not part of `node --test e2e/` (it lives outside e2e/):
// scripts/bench.sh runs it once, after its rounds.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBrowser } from '../e2e/fixtures.mjs';
import { watchLongTasks, takeLongTasks } from './long-tasks.mjs';

forEachBrowser('figures', (fx) => {
  it("prints the main thread's long tasks during a busy GIL run", async () => {
    const { page, problems } = await fx.open();
    await watchLongTasks(page);
    const url = `${fx.site.url}#/the-gil?threads=8&work=2&mode=gil&io=1&interval=1&speed=300`;
    await page.goto(url);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]');
    // Loading is measured by bench/round.mjs; only the run counts here.
    await new Promise((r) => setTimeout(r, 500));
    await takeLongTasks(page);
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 120_000 });
    await new Promise((r) => setTimeout(r, 200));
    const longTasks = await takeLongTasks(page);
    const spans = await page.$$eval('[data-testid=span]', (s) => s.length);
    const run = await page.$eval('[data-testid=run-summary]', (s) => ({ ...s.dataset }));
    const lanes = await page.$$eval('[data-testid=lane]', (l) => l.length);
    console.log(
      `figures (${fx.spec.name}): GIL run of 8 CPU threads + 1 I/O thread at a 1 ms switch interval: wall ${Number(run.wallMs).toFixed(0)} ms, ` +
        `${lanes} lanes, ${run.events} events, ${spans} rectangles drawn; main-thread long tasks during the run ` +
        `(${longTasks.source}): ${longTasks.durations.length} (longest ${Math.max(0, ...longTasks.durations).toFixed(0)} ms)`,
    );
    assert.equal(run.maxRunning, '1');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
