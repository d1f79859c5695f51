// Figures, printed rather than asserted (a shared machine makes timings noisy):
// how the page copes with a run of thousands of events, in Chromium and
// Firefox: its long tasks, the longest gap between animation frames, and (in
// Chromium, from the DevTools protocol) how much of the run the page's main
// thread spent in script, style and layout. Not part of `node --test e2e/`
// (it lives outside e2e/): scripts/bench.sh runs it once, after its rounds.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBrowser } from '../e2e/fixtures.mjs';
import { watchLongTasks, takeLongTasks, splitOnPurpose } from './long-tasks.mjs';

/** Records the gaps between animation frames from the page's first script. */
function watchFrames(page) {
  return page.evaluateOnNewDocument(() => {
    const gaps = [];
    window.__frameGaps = gaps;
    let last = 0;
    const frame = (t) => {
      if (last) gaps.push({ start: last, duration: t - last });
      last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** The frame gaps since the last call: { durations, onPurpose }, as long tasks are split. */
const takeFrameGaps = (page) =>
  page.evaluate(`(${splitOnPurpose.toString()})(window.__frameGaps.splice(0))`);

/** The main thread's busy times so far, in ms (Chromium only). */
async function busy(cdp) {
  if (!cdp) return null;
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value * 1000]));
  return { task: m.TaskDuration, script: m.ScriptDuration, style: m.RecalcStyleDuration, layout: m.LayoutDuration };
}

/** Runs the demo at `url` and prints what its run cost the page's main thread. */
async function measureRun(fx, url, what) {
  const { page, problems } = await fx.open();
  await watchLongTasks(page);
  await watchFrames(page);
  const cdp = fx.spec.name === 'chromium' ? await page.createCDPSession() : null;
  await cdp?.send('Performance.enable');
  await page.goto(url);
  await page.waitForSelector('[data-testid=demo] [data-testid=run]');
  // Loading is measured by bench/round.mjs; only the run counts here.
  await new Promise((r) => setTimeout(r, 500));
  await takeLongTasks(page);
  await takeFrameGaps(page);
  const before = await busy(cdp);
  await page.click('[data-testid=run]');
  // Polled every 100 ms: puppeteer's default polls at every animation frame,
  // which would add its own frames to the page's busy time.
  await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', {
    timeout: 120_000,
    polling: 100,
  });
  const after = await busy(cdp);
  await new Promise((r) => setTimeout(r, 200));
  const longTasks = await takeLongTasks(page);
  const gaps = await takeFrameGaps(page);
  const run = await page.$eval('[data-testid=run-summary]', (s) => ({ ...s.dataset }));
  const lanes = await page.$$eval('[data-testid=lane]', (l) => l.length);
  const wall = Number(run.wallMs);
  const share = (key) => `${key} ${(after[key] - before[key]).toFixed(0)} ms`;
  const main = after
    ? `; main thread busy ${(((after.task - before.task) / wall) * 100).toFixed(0)}% of the run (${['task', 'script', 'style', 'layout'].map(share).join(', ')})`
    : '';
  const held = longTasks.onPurpose.length
    ? `; held on purpose by the demo: ${longTasks.onPurpose.length} (longest ${Math.max(...longTasks.onPurpose).toFixed(0)} ms)`
    : '';
  console.log(
    `figures (${fx.spec.name}): ${what}: wall ${wall.toFixed(0)} ms, ` +
      `${lanes} lanes, ${run.events} events; main-thread long tasks during the run ` +
      `(${longTasks.source}): ${longTasks.durations.length} (longest ${Math.max(0, ...longTasks.durations).toFixed(0)} ms); ` +
      `frame gaps over 50 ms: ${gaps.durations.filter((g) => g > 50).length} (longest ${Math.max(0, ...gaps.durations).toFixed(0)} ms)${held}${main}`,
  );
  assert.deepEqual(problems, []);
  await page.close();
  return run;
}

/** Each slide's demo at its own parameters, brisk enough to keep the benchmark short. */
const SLIDES = [
  ['parallel-execution', 'speed=500'],
  ['introduction', 'speed=500'],
  ['multithreading-multiprocessing', 'speed=300'],
  ['classical-method-example', 'speed=150'],
  ['futures-promises-example', 'speed=200'],
  ['async-i-o', 'speed=300'],
  ['asyncio-example', 'speed=300'],
];

forEachBrowser('figures', (fx) => {
  it("prints the main thread's long tasks, frame gaps and busy time during a busy GIL run", async () => {
    const url = `${fx.site.url}#/the-gil?threads=8&work=2&mode=gil&io=1&interval=1&speed=300`;
    const run = await measureRun(fx, url, 'GIL run of 8 CPU threads + 1 I/O thread at a 1 ms switch interval');
    assert.equal(run.maxRunning, '1');
  });

  it("prints the same for every other slide's demo", async () => {
    for (const [slide, query] of SLIDES) await measureRun(fx, `${fx.site.url}#/${slide}?${query}`, `#/${slide}?${query}`);
  });
});
