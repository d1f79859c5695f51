// Printing and PDF as reveal.js users expect: `?print-pdf` (and the browser's
// Print) lays out every slide on a page of its own, in order, without controls or
// navigation, each with its demo's last run if it ran in this tab, else its code;
// `notes=1` puts the speaker notes under each slide.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { forEachBrowser } from './fixtures.mjs';

const SLIDES = 8;

/** The page count of a PDF: its page tree's /Count, also inside compressed object streams. */
function pdfPages(pdf) {
  const bytes = Buffer.from(pdf);
  const texts = [bytes.toString('latin1')];
  const streams = /stream\r?\n/g;
  let m;
  while ((m = streams.exec(texts[0]))) {
    const end = texts[0].indexOf('endstream', m.index);
    try {
      texts.push(inflateSync(bytes.subarray(m.index + m[0].length, end)).toString('latin1'));
    } catch {
      // Not a deflated stream.
    }
  }
  const counts = texts.flatMap((t) => [...t.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)]);
  return Math.max(0, ...counts.map((c) => Number(c[1] ?? c[2])));
}

forEachBrowser('printing', (fx) => {
  it('prints every slide on a page of its own, with the last run of a demo that ran, as a PDF of 8 pages', async () => {
    const { page, problems } = await fx.open();
    await page.setViewport({ width: 1280, height: 720 });
    // Run one demo first: its page shows the run; the others show their code or intro.
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.2&speed=200`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    // And a race: its page shows the race's bars above its three panels.
    // Eight jobs: three panels of eight lanes, twice a page's height on the screen.
    await page.goto(`${fx.site.url}#/introduction?kind=io&jobs=8&work=0.1&speed=200`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    const titles = [];
    for (let n = 1; n <= SLIDES; n++) {
      await page.goto(`${fx.site.url}#/${n}`);
      await page.waitForFunction((k) => document.querySelector('[data-testid=slide]')?.dataset.slide === String(k), {}, n);
      titles.push(await page.$eval('[data-testid=slide] h1, [data-testid=slide] h2', (h) => h.textContent));
    }
    await page.goto(`${fx.site.url.replace(/\/$/, '/')}?print-pdf#/1`);
    await page.waitForSelector('[data-testid=print-page]');
    // The demos' module draws each demo's page once it has loaded.
    await page.waitForFunction(() => {
      const hosts = document.querySelectorAll('[data-testid=print-deck] .pane-host');
      return hosts.length > 0 && document.querySelectorAll('[data-testid=print-demo]').length === hosts.length;
    });
    const pages = await page.$$eval('[data-testid=print-page]', (sections) =>
      sections.map((s) => ({
        heading: s.querySelector('[data-testid=slide] h1, [data-testid=slide] h2')?.textContent,
        timelines: s.querySelectorAll('[data-testid=timeline-chart]').length,
        race: s.querySelectorAll('[data-testid=race-row]').length,
        code: s.querySelectorAll('[data-testid=print-demo] [data-testid=code]').length,
        notes: s.querySelectorAll('[data-testid=notes]').length,
        madeWith: s.querySelector('[data-testid=print-ran-with]')?.textContent,
        // What is cut off on paper: the slide's code lines and the demo's content below their box, or code wider than it.
        cut: (() => {
          const below = (el, box) => el.getBoundingClientRect().bottom > box.getBoundingClientRect().bottom + 1;
          const slide = s.querySelector('[data-testid=slide]');
          const demo = s.querySelector('[data-testid=print-demo]');
          const demoBody = demo?.firstElementChild;
          const zoom = Number(demoBody?.style.zoom || 1);
          return [
            ...[...slide.querySelectorAll('pre, li, p')].filter((el) => below(el, slide)).map((el) => `slide: ${el.textContent.slice(-40)}`),
            ...(demoBody && below(demoBody, demo) ? ['the demo below its box'] : []),
            ...[...(demo?.querySelectorAll('pre') ?? [])].filter((pre) => pre.scrollWidth * zoom > pre.parentElement.clientWidth * zoom + 1 && pre.scrollWidth > pre.clientWidth + 1).map(() => 'demo code wider than its box'),
          ];
        })(),
        // Controls, and switches such as a timeline's table, shown on paper.
        controls: [...s.querySelectorAll('button, input, select, textarea, summary')].filter((c) => c.offsetParent !== null).length,
      })),
    );
    assert.deepEqual(pages.map((p) => p.heading), titles, 'every slide, in order');
    assert.equal(await page.$('nav, [data-testid=demo-pane]'), null, 'no navigation or live demo pane');
    assert.ok(pages.every((p) => p.controls === 0), 'no controls on paper');
    assert.ok(pages.every((p) => p.notes === 0), 'no notes unless asked');
    assert.ok(pages[3].timelines > 0, 'the GIL slide shows the run it had');
    assert.deepEqual([pages[1].race, pages[1].timelines], [3, 3], 'the Introduction shows its race and its three panels');
    assert.match(pages[1].madeWith ?? '', /^Made with kind=io · jobs=8 · work=0\.1 · speed=200$/);
    assert.deepEqual(pages.map((p) => p.cut), pages.map(() => []), 'nothing cut off on any page');
    assert.ok(pages.filter((p, i) => i !== 1 && i !== 3).every((p) => p.timelines === 0 && p.race === 0), 'the others show no run');
    await page.screenshot({ path: fx.shot('print') });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    assert.equal(pdfPages(pdf), SLIDES, 'one PDF page per slide');
    // With the notes.
    await page.goto(`${fx.site.url.replace(/\/$/, '/')}?print-pdf&notes=1#/1`);
    await page.waitForSelector('[data-testid=print-page] [data-testid=notes]');
    assert.equal(await page.$$eval('[data-testid=print-page] [data-testid=notes]', (n) => n.length), SLIDES);
    assert.equal(pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true })), SLIDES);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("prints the deck from the browser's Print while a run goes on, and the run carries on to its end", async () => {
    const { page, problems } = await fx.open();
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.5&speed=400`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'running');
    // What the browser does when Print is chosen, and when its dialog closes.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=print-page]').length === n, {}, SLIDES);
    assert.equal(await page.$eval('.app', (app) => getComputedStyle(app).display), 'none', 'the live page is not on paper');
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=print-page]').length === 0);
    await page.waitForFunction(() => ['done', 'stopped', 'failed'].includes(document.querySelector('[data-testid=demo]').dataset.status), { timeout: 30_000 });
    assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.status), 'done', 'printing did not stop the run');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
