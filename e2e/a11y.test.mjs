// Accessibility, as axe-core (package.json pins it) judges it: every slide, before
// and after a run of its demo, in the light and the dark colour scheme, with no
// violation of any rule axe runs by default. The run's outcome is announced in
// a live region that stays the same element through the run, and the timeline
// has a table to read by keyboard. Screenshots at 1280x720 after a run, in both
// schemes, go to e2e/artifacts/ (a11y-light-slide-N, a11y-dark-slide-N; a11y-light
// and a11y-dark with slide 3's tables open).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { forEachBrowser } from './fixtures.mjs';
import { launch, openPage } from './browsers.mjs';

const SLIDES = 8;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations on the page as it is now, one line each. Evaluated rather
 *  than added as a script tag: the release page's CSP allows only its own scripts. */
async function violations(page) {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target}: ${n.summary.replace(/\s+/g, ' ')}`));
}

/** Runs the slide's demo and checks what a screen reader hears of it: the live
 *  region, empty before, says the outcome after, and is the same element throughout. */
async function runDemo(page, where) {
  const region = await page.$('[data-testid=demo] [data-testid=run-outcome]');
  assert.ok(region, `${where}: no live region for the run's outcome`);
  assert.deepEqual(
    await region.evaluate((el) => [el.getAttribute('role'), el.getAttribute('aria-live'), el.textContent]),
    ['status', 'polite', ''],
    `${where}: the live region before a run`,
  );
  await page.click('[data-testid=demo] [data-testid=run]');
  await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status !== 'running', { timeout: 60_000 });
  // The figures settle on their last frame.
  await new Promise((r) => setTimeout(r, 300));
  const [connected, said] = await region.evaluate((el) => [el.isConnected, el.textContent]);
  assert.ok(connected, `${where}: the live region was rebuilt during the run`);
  assert.match(said, /^Run finished[:.] .*wall time \d+\.\d\d s/, `${where}: the live region says ${JSON.stringify(said)}`);
  // It says each speedup as the figures show it ("2.20× on one thread").
  const shown = await page.$$eval('[data-testid=demo] [data-testid=run-summary] > div', (divs) =>
    divs.filter((d) => d.querySelector('dt')?.textContent === 'Speedup').map((d) => d.querySelector('dd').textContent),
  );
  for (const speedup of shown) assert.ok(said.includes(`speedup ${speedup}`), `${where}: the live region says ${JSON.stringify(said)}, the figures ${speedup}`);
}

/** Opens each panel's timeline table, the first with the keyboard, and checks it has
 *  a row per lane of the chart. */
async function openTables(page, where) {
  const summaries = await page.$$('[data-testid=panel] [data-testid=timeline-table] > summary');
  assert.ok(summaries.length > 0, `${where}: no timeline table`);
  for (const [i, summary] of summaries.entries()) {
    if (i === 0) {
      await summary.focus();
      await page.keyboard.press('Enter');
    } else {
      await summary.click();
    }
  }
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=timeline-table][open] tbody tr').length > 0 &&
    document.querySelectorAll('[data-testid=timeline-table][open]').length === n, {}, summaries.length);
  const counts = await page.$$eval('[data-testid=panel]', (panels) =>
    panels.map((p) => [p.querySelectorAll('[data-testid=lane]').length, p.querySelectorAll('[data-testid=timeline-table] tbody tr').length]));
  for (const [lanes, rows] of counts) assert.equal(rows, lanes, `${where}: the table has a row per lane`);
}

/** A page in the dark scheme: Chromium emulates it; Firefox is a browser of its
 *  own, started with the content's colour scheme set to dark. */
async function darkPage(fx) {
  if (fx.spec.name === 'chromium') {
    const opened = await fx.open();
    await opened.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    return { ...opened, close: () => opened.page.close() };
  }
  const browser = await launch({
    ...fx.spec,
    options: { ...fx.spec.options, extraPrefsFirefox: { 'layout.css.prefers-color-scheme.content-override': 0 } },
  });
  const opened = await openPage(browser);
  return { ...opened, close: () => browser.close() };
}

forEachBrowser('accessibility', (fx) => {
  for (const scheme of ['light', 'dark']) {
    it(`has no axe violations on any slide, before and after a run, in the ${scheme} scheme`, async () => {
      const { page, problems, close } = scheme === 'dark' ? await darkPage(fx) : { ...(await fx.open()), close: undefined };
      try {
        const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
        assert.equal(dark, scheme === 'dark', `the page sees the ${scheme} scheme`);
        const found = [];
        // A laptop or projector: the slide and the demo each scroll in a column.
        await page.setViewport({ width: 1280, height: 720 });
        for (let n = 1; n <= SLIDES; n++) {
          const where = `slide ${n} (${scheme})`;
          await page.goto(`${fx.site.url}#/${n}?speed=150`);
          await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
          assert.equal(await page.$$eval('h1', (h) => h.length), 1, `${where}: one h1`);
          found.push(...(await violations(page)).map((v) => `slide ${n} before a run: ${v}`));
          await runDemo(page, where);
          await page.screenshot({ path: fx.shot(`a11y-${scheme}-slide-${n}`) });
          await openTables(page, where);
          // The threads-and-pools slide with its tables open: a11y-light, a11y-dark.
          if (n === 3) await page.screenshot({ path: fx.shot(`a11y-${scheme}`) });
          found.push(...(await violations(page)).map((v) => `slide ${n} after a run: ${v}`));
        }
        // The speaker view, and the deck on paper with its notes and these runs.
        for (const [query, ready] of [['?speaker#/3', '[data-testid=speaker-notes]'], ['?print-pdf&notes=1#/1', '[data-testid=print-demo]']]) {
          await page.goto(`${fx.site.url.replace(/\/$/, '/')}${query}`);
          await page.waitForSelector(ready);
          await page.waitForFunction(() => document.querySelectorAll('.pane-host').length === document.querySelectorAll('.pane-host > *').length);
          found.push(...(await violations(page)).map((v) => `${query}: ${v}`));
        }
        assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
        assert.deepEqual(problems, []);
      } finally {
        await (close ? close() : page.close());
      }
    });
  }
});
