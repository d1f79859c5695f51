// The stage as a class sees it: on a projector or a laptop (1280x720, 1440x900,
// 1920x1080) every slide and its demo's results share the screen after a run,
// with no scrolling of the page; on a phone (390x844, 360 wide) nothing is cut
// off or wider than the screen, and a swipe turns the slide; before the wasm arrives the page already shows
// the deck's title. Screenshots of every slide after a run go to
// e2e/artifacts/ at 1280x720 and 390x844.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { launch, openPage } from './browsers.mjs';
import { dist, forEachBrowser } from './fixtures.mjs';

// 1536x864 and 1280x720 are also 1920x1080 at 125% and 150% zoom.
const SCREENS = [
  [1280, 720],
  [1440, 900],
  [1536, 864],
  [1920, 1080],
];
const SLIDES = 8;

/** Lets the page redraw at a new size: the charts measure their width on resize. */
async function settle(page) {
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
  await new Promise((r) => setTimeout(r, 250));
}

/** Where things are, in viewport pixels, and whether the page itself scrolls. */
function geometry() {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  };
  const pane = document.querySelector('[data-testid=demo-pane]');
  const slide = document.querySelector('[data-testid=slide]');
  const heading = slide.querySelector('h1, h2');
  return {
    pageScrolls: document.scrollingElement.scrollHeight > innerHeight + 1,
    wider: document.scrollingElement.scrollWidth > innerWidth + 1,
    heading: box(heading),
    slide: box(slide),
    pane: box(pane),
    timelines: [...pane.querySelectorAll('[data-testid=panel] [data-testid=timeline-chart]')].map(box),
    figures: [...pane.querySelectorAll('[data-testid=panel] .panel-head')].map(box),
    race: [...pane.querySelectorAll('[data-testid=race-row]')].map((row) => ({
      ...box(row),
      name: row.dataset.name,
      // A figure cut short ("1.12 s · 1.79× on 2 c…") or running past the pane.
      cut: (() => {
        const f = row.querySelector('[data-testid=race-figure]');
        return f.scrollWidth > f.clientWidth + 1 || f.getBoundingClientRect().right > pane.getBoundingClientRect().right;
      })(),
    })),
    folded: pane.querySelector('[data-testid=params]')?.open === false,
  };
}

forEachBrowser('the stage', (fx) => {
  it('shows each slide with its demo\'s figures and timeline on one screen after a run, at projector sizes and zoomed', async () => {
    const { page, problems } = await fx.open();
    for (let n = 1; n <= SLIDES; n++) {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`${fx.site.url}#/${n}?speed=150`);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      await page.click('[data-testid=demo] [data-testid=run]');
      await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 60_000 });
      // The figures settle on their last frame.
      await new Promise((r) => setTimeout(r, 300));
      await page.screenshot({ path: fx.shot(`stage-1280x720-slide-${n}`) });
      for (const [width, height] of SCREENS) {
        await page.setViewport({ width, height });
        await settle(page);
        const g = await page.evaluate(geometry);
        const where = `slide ${n} at ${width}x${height}`;
        assert.equal(g.pageScrolls, false, `${where}: the page scrolls`);
        assert.equal(g.wider, false, `${where}: the page is wider than the screen`);
        assert.ok(g.folded, `${where}: the parameters fold after a run`);
        assert.ok(g.heading.top >= g.slide.top && g.heading.bottom <= Math.min(height, g.slide.bottom), `${where}: the slide's heading is cut off`);
        assert.ok(g.timelines.length > 0, `${where}: no timeline`);
        // Side by side: the slide on the left, the demo on the right.
        assert.ok(g.pane.left >= g.slide.right - 1, `${where}: the demo is not beside the slide`);
        // A race's bars, one per part of the run, show whole with their figures:
        // the title slide's, the Introduction's (three parts) and the pools' (two).
        assert.equal(g.race.length, [3, 3, 2][n - 1] ?? 0, `${where}: the race's bars`);
        for (const row of g.race) {
          assert.ok(row.top >= g.pane.top && row.bottom <= Math.min(height, g.pane.bottom), `${where}: the race's ${row.name} is out of sight`);
          assert.equal(row.cut, false, `${where}: the race's ${row.name} figure is cut short`);
        }
        // The first panel's figures and timeline show whole without scrolling.
        const bottom = Math.min(height, g.pane.bottom);
        assert.ok(g.figures[0].top >= g.pane.top && g.figures[0].bottom <= bottom, `${where}: the first panel's figures are out of sight`);
        assert.ok(g.timelines[0].bottom <= bottom + 1, `${where}: the first panel's timeline ends at ${g.timelines[0].bottom}, below ${bottom}`);
      }
      // On a phone the slide comes first, then the demo, and nothing is wider than the screen.
      await page.setViewport({ width: 390, height: 844 });
      await settle(page);
      await page.screenshot({ path: fx.shot(`stage-390x844-slide-${n}`) });
      // The navigation keeps to one row, so it covers as little of a phone's screen as it can.
      const rows = await page.$$eval('.nav > *', (items) => new Set(items.filter((i) => i.offsetParent).map((i) => Math.round((i.getBoundingClientRect().top + i.getBoundingClientRect().bottom) / 80))).size);
      assert.equal(rows, 1, `slide ${n} at 390 px: the navigation wraps to ${rows} rows`);
      // A control scrolled into view with the least scrolling (as moving the focus down
      // with Tab does, and WebDriver before a click) stops above the navigation, which
      // sticks to the screen's foot, not under it.
      const covered = await page.evaluate(() => {
        window.scrollTo(0, 0);
        const run = document.querySelector('[data-testid=run]');
        run.scrollIntoView({ block: 'nearest' });
        const r = run.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return run.contains(hit) ? null : `${hit?.tagName}.${hit?.className} at ${Math.round(r.top)}-${Math.round(r.bottom)} px`;
      });
      assert.equal(covered, null, `slide ${n} at 390 px: the Run button scrolled into view is under ${covered}`);
      await page.setViewport({ width: 360, height: 740 });
      await settle(page);
      const phone = await page.evaluate(geometry);
      assert.equal(phone.wider, false, `slide ${n} at 360 px: the page is wider than the screen`);
      for (const row of phone.race) assert.equal(row.cut, false, `slide ${n} at 360 px: the race's ${row.name} figure is cut short`);
      assert.ok(phone.pane.top >= phone.slide.bottom - 1, `slide ${n} at 360 px: the demo is not under the slide`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('fits a slide to the stage the same way however it was reached', async () => {
    const { page, problems } = await fx.open();
    await page.setViewport({ width: 1280, height: 720 });
    const fitted = async () => {
      await settle(page);
      return page.$eval('[data-testid=slide]', (s) => `${s.dataset.slide}: ${s.style.getPropertyValue('--fit')} ${getComputedStyle(s.querySelector('pre')).fontSize}`);
    };
    await page.goto(`${fx.site.url}#/classical-method-example`);
    await page.waitForSelector('[data-testid=slide] pre');
    const direct = await fitted();
    // From the futures slide, whose long program takes the smallest scale, and from the GIL's.
    await page.keyboard.press('ArrowRight');
    const futures = await fitted();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await fitted(), direct, `after ${futures}`);
    await page.goto(`${fx.site.url}#/the-gil`);
    await page.waitForSelector('[data-testid=slide][data-slide="4"]');
    await settle(page);
    await page.keyboard.press('ArrowRight');
    assert.equal(await fitted(), direct);
    // The futures slide's code stays readable (12 px at least) and the slide scrolls for the rest,
    // showing the lines its demo lights as it runs: the workers' near the top, the main thread's at the foot.
    assert.ok(Number.parseFloat(futures.split(' ').at(-1)) >= 12, futures);
    await page.goto(`${fx.site.url}#/futures-promises-example?speed=1000`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=demo] [data-testid=run]');
    const hidden = new Set();
    let samples = 0;
    while ((await page.$eval('[data-testid=demo]', (d) => d.dataset.status)) !== 'done') {
      const out = await page.$eval('[data-testid=slide]', (slide) => {
        const box = slide.getBoundingClientRect();
        return [...slide.querySelectorAll('.line[data-active]')]
          .filter((l) => l.getBoundingClientRect().top < box.top || l.getBoundingClientRect().bottom > box.top + slide.clientHeight)
          .map((l) => l.textContent.trim());
      });
      out.forEach((line) => hidden.add(line));
      samples++;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(samples >= 5, `${samples} looks during the run`);
    assert.deepEqual([...hidden], [], 'lit lines out of the slide\'s sight');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows the deck\'s title while the app loads, and only the app once it runs', async () => {
    const { page, problems } = await fx.open();
    const wasm = (await readdir(dist)).find((f) => /^app-.*_bg\.wasm$/.test(f));
    // A cold load: no service worker or cache from an earlier test answers for the host
    // (taken away once the page has loaded all it loads, the demos' module included).
    await page.goto(fx.site.url);
    await page.waitForSelector('[data-testid=demo]');
    await page.evaluate(async () => {
      for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
      for (const key of await caches.keys()) await caches.delete(key);
    });
    fx.site.respond(wasm, { delayMs: 2500 });
    try {
      await page.goto(fx.site.url, { waitUntil: 'domcontentloaded' });
      const boot = await page.$eval('#boot', (b) => ({ title: b.querySelector('h1').textContent, note: b.querySelector('[role=status]').textContent }));
      assert.deepEqual(boot, { title: 'Parallel Execution', note: 'Loading the playground…' });
      assert.equal(await page.$('[data-testid=slide]'), null, 'the wasm has not arrived yet');
      await page.waitForSelector('[data-testid=slide] h1', { timeout: 30_000 });
      assert.equal(await page.$('#boot'), null, 'the loading screen is gone once the app runs');
    } finally {
      fx.site.respond(wasm, null);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('draws the first slide before the demos arrive, turns slides meanwhile, then draws the demo', async () => {
    const { page, problems } = await fx.open();
    await page.goto(fx.site.url);
    await page.waitForSelector('[data-testid=demo]');
    await page.evaluate(async () => {
      for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
      for (const key of await caches.keys()) await caches.delete(key);
    });
    fx.site.respond('demos_bg.wasm', { delayMs: 2500 });
    try {
      await page.goto(fx.site.url);
      await page.waitForSelector('[data-testid=slide] h1');
      const pane = await page.$eval('[data-testid=demo-pane]', (p) => ({ busy: p.getAttribute('aria-busy'), text: p.textContent }));
      assert.deepEqual(pane, { busy: 'true', text: 'Live demoLoading the demos…' });
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.querySelector('[data-testid=slide] h1, [data-testid=slide] h2')?.textContent === 'Introduction');
      assert.ok(await page.$('[data-testid=demo-pane][aria-busy=true]'), 'still loading on the next slide');
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])', { timeout: 30_000 });
      assert.equal(await page.$eval('[data-testid=demo] h3', (h) => h.textContent.length > 0), true);
      assert.equal(await page.$$eval('[data-testid=demo-pane]', (p) => p.length), 1, 'one pane, the demos\' own');
      assert.ok(!(await page.$eval('[data-testid=demo-pane]', (p) => p.textContent)).includes('Loading the demos'));
    } finally {
      fx.site.respond('demos_bg.wasm', null);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('turns the slides with a sideways swipe on a touch screen, and not with a scroll', async () => {
    // Desktop Firefox has touch events only on a touch screen: this one is told it has one.
    const touch =
      fx.spec.name === 'firefox'
        ? await launch({ ...fx.spec, options: { ...fx.spec.options, extraPrefsFirefox: { 'dom.w3c_touch_events.enabled': 1 } } })
        : null;
    const { page, problems } = touch ? await openPage(touch) : await fx.open();
    await page.setViewport({ width: 390, height: 844, hasTouch: true, isMobile: true });
    await page.goto(`${fx.site.url}#/2`);
    await page.waitForSelector('[data-testid=slide][data-slide="2"]');
    const swipe = async (from, to) => {
      await page.touchscreen.touchStart(from[0], from[1]);
      await page.touchscreen.touchMove((from[0] + to[0]) / 2, (from[1] + to[1]) / 2);
      await page.touchscreen.touchMove(to[0], to[1]);
      await page.touchscreen.touchEnd();
    };
    const at = () => page.$eval('[data-testid=slide]', (s) => s.dataset.slide);
    /** Waits for slide `n`; if it does not come, says what the page shows instead. */
    const reaches = async (n, what) => {
      try {
        await page.waitForSelector(`[data-testid=slide][data-slide="${n}"]`, { timeout: 10_000 });
      } catch {
        assert.fail(`${what}: slide ${await at()} is shown, not ${n}; problems: ${problems.join(' | ') || 'none'}`);
      }
    };
    await swipe([320, 200], [60, 210]);
    await reaches('3', 'a leftward swipe');
    await swipe([60, 200], [330, 190]);
    await reaches('2', 'a rightward swipe');
    await swipe([200, 500], [190, 200]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await at(), '2', 'an upward stroke scrolls, it does not turn the slide');
    assert.deepEqual(problems, []);
    await page.close();
    await touch?.close();
  });

  it('opens a link\'s parameters every time it is followed, after Reset too', async () => {
    const { page, problems } = await fx.open();
    const threads = () => page.$eval('[data-testid=param-threads]', (e) => e.value);
    const link = `${fx.site.url}#/the-gil?threads=4&work=0.5&speed=200`;
    await page.goto(link);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    assert.equal(await threads(), '4');
    // Reset goes back to the defaults and says so in the address, without the app hearing of it.
    await page.click('[data-testid=reset]');
    await page.waitForFunction(() => document.querySelector('[data-testid=param-threads]').value === '2');
    assert.equal(new URL(page.url()).hash, '#/the-gil');
    // The same link again: its parameters, not the defaults the page was left with.
    await page.goto(link);
    await page.waitForFunction(() => document.querySelector('[data-testid=param-threads]')?.value === '4', { timeout: 5000 })
      .catch(async () => assert.fail(`the link opened threads=${await threads()}`));
    assert.equal(await page.$eval('[data-testid=param-work]', (e) => e.value), '0.5');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('keeps each slide\'s parameters and last finished run: leaving and coming back, Back and Forward, a reload', async () => {
    const { page, problems } = await fx.open();
    const shown = () =>
      page.$eval('[data-testid=demo]', (demo) => ({
        status: demo.dataset.status,
        threads: demo.querySelector('[data-testid=param-threads]')?.value,
        lanes: [...demo.querySelectorAll('[data-testid=lane]')].map((l) => l.dataset.name).join(','),
        spans: Number(demo.querySelector('[data-testid=timeline-canvas]')?.dataset.drawn ?? 0),
        wall: demo.querySelector('[data-testid=run-summary]')?.dataset.wallMs,
      }));
    await page.goto(`${fx.site.url}#/the-gil?threads=3&work=0.2&speed=200`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 200));
    const ran = await shown();
    assert.equal(ran.threads, '3');
    assert.ok(ran.spans > 0 && ran.wall, 'the run shows');
    const back = async (what) => {
      await page.waitForFunction(() => location.hash.startsWith('#/the-gil') && document.querySelector('[data-testid=demo] [data-testid=run-summary]'));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(await shown(), ran, what);
      assert.match(await page.evaluate(() => location.hash), /threads=3/, `${what}: the link names the parameters`);
    };
    const away = () => page.waitForFunction(() => !location.hash.startsWith('#/the-gil'));
    // Away with the arrows and back.
    await page.keyboard.press('ArrowRight');
    await away();
    await page.keyboard.press('ArrowLeft');
    await back('back with the arrow keys');
    // Back and Forward.
    await page.keyboard.press('ArrowRight');
    await away();
    await page.goBack();
    await back('back with the browser');
    await page.goForward();
    await away();
    await page.goBack();
    await back('Back again');
    // A reload keeps it too.
    await page.reload();
    await back('after a reload');
    // Reset forgets it.
    await page.click('[data-testid=reset]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=demo] [data-testid=run-summary]'));
    await page.reload();
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    assert.equal(await page.$('[data-testid=demo] [data-testid=run-summary]'), null, 'Reset leaves nothing to come back to');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('folds a demo\'s parameters into one line after a run, and opens them again on a click', async () => {
    const { page, problems } = await fx.open();
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.2&speed=200`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    assert.equal(await page.$eval('[data-testid=params]', (d) => d.open), true, 'open before the first run');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    assert.equal(await page.$eval('[data-testid=params]', (d) => d.open), false);
    assert.match(await page.$eval('[data-testid=params-summary]', (s) => s.textContent), /threads=2 · work=0\.2 · mode=gil/);
    await page.click('[data-testid=params-summary]');
    await page.waitForFunction(() => document.querySelector('[data-testid=params]').open);
    await page.click('[data-testid=params-summary]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=params]').open);
    // A bad value keeps them open, with its message.
    await page.click('[data-testid=params-summary]');
    await page.click('[data-testid=param-threads]', { clickCount: 3 });
    await page.keyboard.type('99');
    await page.waitForSelector('[data-testid=param-threads][aria-invalid=true]');
    await page.click('[data-testid=params-summary]');
    assert.equal(await page.$eval('[data-testid=params]', (d) => d.open), true, 'a field in error stays in sight');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
