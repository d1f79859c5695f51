// End to end: Stop means stopped, whenever it is pressed, and no link can
// break the page. Run in headless Chromium and Firefox on the built site.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { forEachBrowser } from './fixtures.mjs';

/** A small seeded generator, so a failing cycle can be replayed. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const status = (page) => page.$eval('[data-testid=demo]', (d) => d.dataset.status);
const workersAlive = (page) => page.evaluate(() => window.wasmBindings.workersAlive());

/** Dedicated workers the browser itself still has for the page (Chromium's targets). */
function browserWorkers(fx) {
  if (fx.spec.name !== 'chromium') return null;
  return fx.browser.targets().filter((t) => t.type() === 'worker' && t.url().startsWith(fx.site.url)).length;
}

/** CPU time (in clock ticks, 1/100 s) the browser's processes have used so far: Linux's /proc. */
function browserTicks(fx) {
  const parents = new Map();
  const ticks = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(pid, fields[1]);
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const family = new Set([String(fx.browser.process()?.pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!family.has(pid) && family.has(parent)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  return [...family].reduce((sum, pid) => sum + (ticks.get(pid) ?? 0), 0);
}

/** Waits up to `ms` for `check` to hold, polling; returns whether it did. */
async function within(ms, check) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await sleep(5);
  }
}

forEachBrowser('stop means stopped', (fx) => {
  it('50 Run/Stop cycles at random moments: the status tells the truth and no worker outlives its Stop', async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/the-gil?threads=4&work=2&speed=1000`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    const next = random(20261126);
    const slow = [];
    const idle = [];
    for (let cycle = 0; cycle < 50; cycle++) {
      // From the CPU calibration of the first run, through worker start-up, to mid-run.
      const delay = Math.floor(next() * 1200);
      await page.click('[data-testid=run]');
      await sleep(delay);
      assert.equal(await status(page), 'running', `cycle ${cycle}: still running ${delay} ms after Run`);
      await page.click('[data-testid=stop]');
      const stoppedAt = Date.now();
      assert.ok(await within(1000, async () => (await status(page)) === 'stopped'), `cycle ${cycle}: the page says stopped`);
      assert.ok(await within(100, async () => (await workersAlive(page)) === 0), `cycle ${cycle} (Stop ${delay} ms after Run): the runtime still has workers 100 ms after Stop`);
      const gone = await within(250, async () => (browserWorkers(fx) ?? 0) === 0);
      const took = Date.now() - stoppedAt;
      if (took > 100) slow.push(took);
      assert.ok(gone, `cycle ${cycle}: the browser still has ${browserWorkers(fx)} workers 250 ms after Stop`);
      assert.equal(await page.$eval('[data-testid=run]', (b) => b.disabled), false, `cycle ${cycle}: Run is ready again`);
      if (cycle % 10 === 9) {
        // The cores are idle again: over half a second the browser uses a fraction of one.
        const before = browserTicks(fx);
        await sleep(500);
        const cores = (browserTicks(fx) - before) / 100 / 0.5;
        idle.push(cores.toFixed(2));
        assert.ok(cores < 0.5, `cycle ${cycle}: the browser still uses ${cores.toFixed(2)} cores after Stop`);
      }
      assert.equal(await page.$eval('[data-testid=stop]', (b) => b.disabled), true, `cycle ${cycle}: Stop is off`);
    }
    console.log(`figures: ${fx.spec.name}: 50 stops; all workers gone within 100 ms of Stop in ${50 - slow.length}, later in ${slow.length} (${slow.join(', ')} ms); cores busy after Stop: ${idle.join(', ')}`);
    // After all that, a run still runs to its end.
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.2&speed=500`);
    await page.waitForFunction(() => location.hash.endsWith('speed=500') && !document.querySelector('[data-testid=run]').disabled);
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    assert.ok(await within(500, async () => (await workersAlive(page)) === 0), 'a finished run leaves no worker');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a stopped run claims no speedup and prints nothing its program had not reached', async () => {
    const { page, problems } = await fx.open();
    const stopMidRun = async (url, ms) => {
      await page.goto(url);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      await page.click('[data-testid=run]');
      await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'running');
      await sleep(ms);
      await page.click('[data-testid=stop]');
      await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'stopped');
      return page.evaluate(() => ({
        summaries: [...document.querySelectorAll('[data-testid=run-summary]')].map((d) => d.parentElement.textContent),
        outcome: document.querySelector('[data-testid=run-outcome]').textContent,
        lines: [...document.querySelectorAll('[data-testid=console-line]')].map((l) => l.textContent),
      }));
    };
    // Threads by hand: "8 threads created" is printed after the joins, which
    // a stop 0.5 s into jobs of 2 s never reaches.
    const threads = await stopMidRun(`${fx.site.url}#/multithreading-multiprocessing?jobs=8&workers=2&work=2&speed=1000`, 500);
    assert.ok(!threads.lines.some((l) => l.includes('threads created')), threads.lines.join(' | '));
    // asyncio and a process pool: no speedup for jobs that did not all run.
    const asyncio = await stopMidRun(`${fx.site.url}#/asyncio-example?jobs=5,2,1,3&speed=1000`, 1500);
    const futures = await stopMidRun(`${fx.site.url}#/futures-promises-example?pool=ProcessPoolExecutor&speed=1000`, 300);
    for (const run of [threads, asyncio, futures]) {
      assert.ok(run.summaries.length > 0);
      for (const summary of run.summaries) assert.ok(!summary.includes('Speedup'), summary);
      assert.ok(!/speedup/i.test(run.outcome), run.outcome);
      assert.ok(!run.lines.some((l) => l.includes('the run was stopped')), run.lines.join(' | '));
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('leaving a slide mid-run, or during its first calibration, leaves no worker behind, and coming back shows the run stopped where it was', async () => {
    const { page, problems } = await fx.open();
    for (const [wait, url] of [
      [200, '#/the-gil?threads=4&work=3&speed=1000'],
      [1500, '#/the-gil?threads=4&work=3&speed=1000'],
      [800, '#/futures-promises-example?speed=2000'],
      [600, '#/introduction?kind=io&jobs=8&work=3&speed=1000'],
    ]) {
      await page.goto(`${fx.site.url}${url}`);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      await page.click('[data-testid=run]');
      await sleep(wait);
      await page.keyboard.press('ArrowRight');
      assert.ok(await within(150, async () => (await workersAlive(page)) === 0), `${url}: workers left after leaving ${wait} ms into the run`);
      assert.ok(await within(250, async () => (browserWorkers(fx) ?? 0) === 0), `${url}: the browser still runs workers`);
      // Back on the slide: the run as far as it got, said to be stopped, with no speedup claimed.
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => document.querySelector('[data-testid=demo]')?.dataset.status === 'stopped', { timeout: 5000 })
        .catch(async () => assert.fail(`${url}: back on the slide, the demo is ${await page.evaluate(() => document.querySelector('[data-testid=demo]')?.dataset.status)}`));
      const back = await page.evaluate(() => ({
        status: document.querySelector('[data-testid=run-status]').textContent,
        summaries: [...document.querySelectorAll('[data-testid=run-summary]')].map((d) => d.parentElement.textContent),
      }));
      assert.equal(back.status, 'stopped when its slide was left or opened again', url);
      if (wait >= 600) assert.ok(back.summaries.length > 0, `${url}: the run left ${wait} ms in is not shown`);
      for (const summary of back.summaries) assert.ok(!summary.includes('Speedup'), summary);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("leaving the title slide while its job runs in a worker ends that worker", async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/`);
    const field = await page.waitForSelector('[data-testid=prime-limit]');
    await field.click({ clickCount: 3 });
    await page.keyboard.press('End');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Backspace');
    await field.type('10_000_000');
    await page.click('[data-testid=run-worker]');
    await page.waitForSelector('[data-testid=worker-running]');
    assert.ok(await within(2000, async () => (await workersAlive(page)) === 1), 'the job has its worker');
    await page.keyboard.press('ArrowRight');
    assert.ok(await within(150, async () => (await workersAlive(page)) === 0), 'the job left behind computes on');
    assert.ok(await within(250, async () => (browserWorkers(fx) ?? 0) === 0), 'the browser still runs the worker');
    // Back on the title slide the job can run again.
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('[data-testid=run-worker]:not([disabled])');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("R pressed while the asyncio tasks hold the page is a Stop that came too late: it starts no second run", async () => {
    const { page, problems } = await fx.open();
    // Threads of 4 x 1 s, processes, then asyncio tasks that compute on the
    // page's own thread for 4 s: the page hears no key meanwhile.
    await page.goto(`${fx.site.url}#/introduction?kind=cpu&jobs=4&work=1&speed=1000`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=race-row][data-name^=processes]'), { timeout: 30_000, polling: 50 });
    // The processes take about 2 s; then the tasks hold the page for 4.
    await sleep(3500);
    const pressed = Date.now();
    await page.keyboard.press('r');
    const held = Date.now() - pressed;
    await page.waitForFunction(() => ['done', 'stopped'].includes(document.querySelector('[data-testid=demo]').dataset.status), { timeout: 30_000 });
    await sleep(500);
    const after = await page.$eval('[data-testid=demo]', (d) => ({ status: d.dataset.status, runs: d.dataset.runs }));
    assert.ok(held > 300, `the press came while the page was held (it waited ${held} ms)`);
    assert.deepEqual(after, { status: 'done', runs: '1' }, 'no second run began');
    assert.equal(await workersAlive(page), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a few hundred generated links: never a blank page, an error, an injected element or a page wider than the window', async () => {
    const { page, problems } = await fx.open();
    const next = random(7);
    const pick = (items) => items[Math.floor(next() * items.length)];
    const slides = ['', '1', '8', '9', '0', '-1', 'the-gil', 'async-i-o', 'futures-promises-example', 'nope', '%E0%A4%A', '..%2F..', '<b>x</b>', '𝔘𝔫𝔦', 'x'.repeat(300)];
    const keys = ['jobs', 'threads', 'work', 'mode', 'io', 'interval', 'speed', 'seed', 'urls', 'workers', 'pool', 'consume', 'kind', 'tasks', 'seconds', 'colour', 'k'.repeat(10_000), '<img src=x onerror=window.__pwned=1>'];
    const values = [
      '', '0', '-1', '1', '3', 'NaN', 'Infinity', '1e309', '99999999999999999999', '0.5', '5,2,1,3', '1,,2', 'gil', 'processes', 'map', 'ProcessPoolExecutor',
      '%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E', '<script>window.__pwned=1</script>', '%25%00%ZZ', '😀'.repeat(50), 'v'.repeat(10_000),
      'index.html', 'http%3A%2F%2Fa.com%2F%200.5%20-5', '..%2F..%2Fx%200%20unknown',
    ];
    const links = [];
    for (let i = 0; i < 300; i++) {
      const params = Array.from({ length: Math.floor(next() * 4) }, () => `${pick(keys)}=${pick(values)}`).join('&');
      links.push(`#/${pick(slides)}${params ? `?${params}` : ''}`);
    }
    await page.goto(fx.site.url);
    await page.waitForSelector('[data-testid=slide] h1, [data-testid=slide] h2');
    for (const [i, link] of links.entries()) {
      if (i % 60 === 59) await page.reload();
      await page.goto(`${fx.site.url}${link}`);
      await page.waitForFunction(() => document.querySelector('[data-testid=slide] h1, [data-testid=slide] h2')?.textContent, { timeout: 5000 });
      const seen = await page.evaluate(() => ({
        pwned: window.__pwned !== undefined,
        injected: document.querySelectorAll('[onerror], script:not([src]), img[src="x"]').length,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      const shown = link.length > 120 ? `${link.slice(0, 120)}…` : link;
      assert.equal(seen.pwned, false, `${shown}: a script ran`);
      assert.equal(seen.injected, 0, `${shown}: markup from the link became elements`);
      assert.ok(seen.overflow <= 1, `${shown}: the page is ${seen.overflow} px wider than the window`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});
