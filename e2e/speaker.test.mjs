// End to end: the speaker view (S) beside the projected page, two pages of one
// browser on the same origin, in step over a BroadcastChannel, in Chromium and Firefox.
import { it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachBrowser } from './fixtures.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const slides = readFileSync(path.join(root, 'www', 'parallel-execution.md'), 'utf8').split(/\n\^\n/);
const TITLES = slides.map((slide) => slide.match(/^#{1,2} (.+)$/m)?.[1] ?? '');
// Each slide's notes, as words a reader would see (markup and comments left out).
const NOTES = slides.map((slide) =>
  (slide.split(/\nNote:\n/)[1] ?? '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    // The first words: the page runs paragraphs together in textContent.
    .slice(0, 40),
);

const counterOf = (page, testid) => page.$eval(`[data-testid=${testid}]`, (el) => el.textContent);

/** Waits until `page` shows slide `n` (1-based) in its `counter` and `title`; says where it is if it does not. */
async function showing(page, n, counter, title) {
  try {
    await page.waitForFunction(
      (n, title, counter, heading) =>
        document.querySelector(`[data-testid=${counter}]`)?.textContent === `${n} / 8` &&
        document.querySelector(heading)?.textContent === title,
      { timeout: 10_000, polling: 100 },
      n,
      TITLES[n - 1],
      counter,
      title,
    );
  } catch (error) {
    const at = await page.evaluate((c) => [location.href, document.querySelector(`[data-testid=${c}]`)?.textContent], counter);
    throw new Error(`not at slide ${n}: ${JSON.stringify(at)} (${error.message})`);
  }
}

/** The projected page shows slide `n` (1-based). */
const mainAt = (page, n) => showing(page, n, 'slide-counter', '[data-testid=slide] :is(h1, h2)');

/** The speaker view shows slide `n` (1-based). */
const speakerAt = (page, n) => showing(page, n, 'speaker-counter', '[data-testid=speaker-current-title]');

/** Waits until the projected page's demo has this `data-status`. */
const demoIs = (page, status, timeout = 10_000) =>
  page.waitForFunction((s) => document.querySelector('[data-testid=demo]')?.dataset.status === s, { timeout, polling: 100 }, status);

/** Waits until the speaker view says the demo has this status. */
const toldIs = (page, status) =>
  page.waitForFunction(
    (s) => document.querySelector('[data-testid=speaker-demo]')?.dataset.status === s,
    { timeout: 10_000, polling: 100 },
    status,
  );

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

forEachBrowser('the speaker view', (fx) => {
  const speakerUrl = (hash = '') => `${fx.site.url}?speaker${hash}`;
  // Every page a test opened closes after it, passed or not: a projected page
  // left open would answer the next test's speaker view.
  const opened = [];
  afterEach(async () => {
    for (const page of opened.splice(0)) if (!page.isClosed()) await page.close();
  });

  async function openMain(hash) {
    const { page, problems } = await fx.open();
    opened.push(page);
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${fx.site.url}${hash}`);
    return { page, problems };
  }

  // In a window of its own, as on the presenter's screen: both pages are shown
  // (a page in a background tab draws no frames and may miss keys).
  async function openSpeaker(hash) {
    const { page, problems } = await fx.open({ type: 'window' });
    opened.push(page);
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(speakerUrl(hash));
    await page.waitForSelector('[data-testid=speaker]');
    return { page, problems };
  }

  it('moves with the projected page both ways, showing the notes and the next slide', async () => {
    const main = await openMain('#/2');
    await mainAt(main.page, 2);
    // Opened without a slide: it asks, and the projected page answers.
    const speaker = await openSpeaker('');
    await speakerAt(speaker.page, 2);
    assert.equal(await speaker.page.title(), `Speaker view · ${TITLES[1]} · Parallel Playground`);
    const notes = await counterOf(speaker.page, 'speaker-notes');
    assert.ok(notes.includes(NOTES[1]), `the notes of slide 2: ${notes}`);
    assert.equal(await counterOf(speaker.page, 'speaker-next-slide-title'), TITLES[2]);
    // The projected slide shows no notes, and no part of the speaker view.
    assert.equal(await main.page.$('[data-testid=notes]'), null);
    assert.equal(await main.page.$('[data-testid=speaker]'), null);

    // The speaker view's keys and buttons move both.
    await speaker.page.keyboard.press('ArrowRight');
    await speakerAt(speaker.page, 3);
    await mainAt(main.page, 3);
    assert.ok((await counterOf(speaker.page, 'speaker-notes')).includes(NOTES[2]));
    assert.equal(await counterOf(speaker.page, 'speaker-next-slide-title'), TITLES[3]);
    const shot = fx.shot('speaker');
    await speaker.page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    await speaker.page.keyboard.press(' ');
    await mainAt(main.page, 4);
    await speaker.page.click('[data-testid=speaker-prev]');
    await mainAt(main.page, 3);
    // The projected page's keys and links move the speaker view.
    await main.page.keyboard.press('ArrowLeft');
    await speakerAt(speaker.page, 2);
    await main.page.keyboard.press('End');
    await mainAt(main.page, 8);
    await speakerAt(speaker.page, 8);
    assert.match(await counterOf(speaker.page, 'speaker-next-slide'), /last slide/);
    await main.page.goto(`${fx.site.url}#/the-gil`);
    await speakerAt(speaker.page, 4);
    assert.match(await counterOf(speaker.page, 'speaker-notes'), /No notes for this slide/);
    // Quick presses in one window leave both on the same slide, with no echo sending them back.
    for (let i = 0; i < 3; i++) await speaker.page.keyboard.press('ArrowRight');
    await speakerAt(speaker.page, 7);
    await mainAt(main.page, 7);
    await sleep(300);
    assert.equal(await counterOf(main.page, 'slide-counter'), '7 / 8');
    assert.equal(await counterOf(speaker.page, 'speaker-counter'), '7 / 8');
    // N still shows the notes on the projected slide.
    await main.page.keyboard.press('n');
    await main.page.waitForSelector('[data-testid=notes]');
    assert.ok((await counterOf(main.page, 'notes')).includes(NOTES[6]));

    assert.deepEqual(main.problems, []);
    assert.deepEqual(speaker.problems, []);
    await speaker.page.close();
    await main.page.close();
  });

  it('B in the speaker view blacks out the projected screen, not the notes; B again, or a click there, brings it back', async () => {
    const main = await openMain('#/3');
    await mainAt(main.page, 3);
    const speaker = await openSpeaker('');
    await speakerAt(speaker.page, 3);
    await speaker.page.keyboard.press('b');
    await main.page.waitForSelector('[data-testid=blackout]');
    await speaker.page.waitForSelector('[data-testid=speaker-black]');
    assert.equal(await speaker.page.$('[data-testid=blackout]'), null, 'the presenter still sees the notes');
    // The "Now" card shows what the room sees: black, its slide hidden; "Next" is as it was.
    const looks = (testid) =>
      speaker.page.$eval(`[data-testid=${testid}] .speaker-preview`, (p) => ({
        background: getComputedStyle(p).backgroundColor,
        shown: [...p.children].some((c) => getComputedStyle(c).visibility === 'visible'),
      }));
    assert.deepEqual(await looks('speaker-current'), { background: 'rgb(0, 0, 0)', shown: false });
    assert.equal((await looks('speaker-next-slide')).shown, true);
    await speaker.page.keyboard.press('b');
    await main.page.waitForFunction(() => !document.querySelector('[data-testid=blackout]'));
    await speaker.page.waitForFunction(() => !document.querySelector('[data-testid=speaker-black]'));
    assert.equal((await looks('speaker-current')).shown, true, 'the "Now" card shows its slide again');
    // Blacked out from the speaker view, brought back on the projected page: the speaker view hears it.
    await speaker.page.keyboard.press('.');
    await main.page.waitForSelector('[data-testid=blackout]');
    await main.page.click('[data-testid=blackout]');
    await speaker.page.waitForFunction(() => !document.querySelector('[data-testid=speaker-black]'));
    // And B on the projected page shows in the speaker view.
    await main.page.keyboard.press('b');
    await speaker.page.waitForSelector('[data-testid=speaker-black]');
    await main.page.keyboard.press('b');
    await speaker.page.waitForFunction(() => !document.querySelector('[data-testid=speaker-black]'));
    assert.equal(await counterOf(main.page, 'slide-counter'), '3 / 8');
    assert.deepEqual(main.problems, []);
    assert.deepEqual(speaker.problems, []);
  });

  it('Run in the speaker view runs the demo in the projected page and shows how it ends', async () => {
    const main = await openMain('#/the-gil?threads=2&work=0.2&speed=500');
    await mainAt(main.page, 4);
    // Opened with S, in a window of its own as on the presenter's screen: both
    // windows are shown (a page in a background tab draws no frames).
    const target = fx.browser.waitForTarget((t) => t.url().includes('?speaker'), { timeout: 10_000 });
    await main.page.keyboard.press('s');
    const speaker = { page: await (await target).page(), problems: [] };
    opened.push(speaker.page);
    speaker.page.on('console', (msg) => msg.type() === 'error' && speaker.problems.push(msg.text()));
    speaker.page.on('pageerror', (err) => speaker.problems.push(`uncaught: ${err.message ?? err}`));
    await speaker.page.setViewport({ width: 1280, height: 720 });
    assert.equal(speaker.page.url(), `${fx.site.url}?speaker#/the-gil?threads=2&work=0.2&speed=500`);
    await speakerAt(speaker.page, 4);
    // The projected page's status and parameters, told to the speaker view.
    await toldIs(speaker.page, 'idle');
    assert.match(await counterOf(speaker.page, 'speaker-params'), /threads=2/);
    await speaker.page.waitForFunction(() => !document.querySelector('[data-testid=speaker-run]').disabled, {
      polling: 100,
    });

    await speaker.page.click('[data-testid=speaker-run]');
    await demoIs(main.page, 'running');
    assert.equal(await main.page.$eval('[data-testid=demo]', (d) => d.dataset.runs), '1');
    await demoIs(main.page, 'done', 30_000);
    await toldIs(speaker.page, 'done');
    assert.equal(await counterOf(speaker.page, 'speaker-run-status'), 'finished');
    // And the run's figures, as the projected page shows them (told by a message:
    // a last redraw of the run reaches the speaker view a moment after the page).
    const told = async () => ({
      wall: await main.page.$eval('[data-testid=run-summary] dd', (d) => d.textContent),
      figures: await speaker.page.$$eval('[data-testid=speaker-figures] li', (ls) => ls.map((l) => l.textContent)),
    });
    let seen = await told();
    for (let i = 0; i < 50 && !seen.figures[0]?.startsWith(`threads: ${seen.wall} · `); i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await told();
    }
    const { wall, figures } = seen;
    assert.equal(figures.length, 1, JSON.stringify(figures));
    assert.ok(figures[0].startsWith(`threads: ${wall} · `) && / on \d+ cores?$/.test(figures[0]), `${figures[0]}, the page's wall time ${wall}`);
    const shot = fx.shot('speaker-run');
    await speaker.page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);

    // R in the speaker view runs it again, and R again stops it there.
    await main.page.goto(`${fx.site.url}#/the-gil?threads=2&work=3&speed=100`);
    await speaker.page.waitForFunction(
      () => document.querySelector('[data-testid=speaker-params]')?.textContent.includes('work=3') &&
        !document.querySelector('[data-testid=speaker-run]').disabled,
      { timeout: 10_000, polling: 100 },
    );
    await speaker.page.keyboard.press('r');
    await demoIs(main.page, 'running');
    await toldIs(speaker.page, 'running');
    await speaker.page.keyboard.press('r');
    await demoIs(main.page, 'stopped');
    await toldIs(speaker.page, 'stopped');

    assert.deepEqual(main.problems, []);
    assert.deepEqual(speaker.problems, []);
    await speaker.page.close();
    await main.page.close();
  });

  it('a reloaded or reopened speaker view goes back to the projected page\'s slide', async () => {
    const main = await openMain('#/5');
    await mainAt(main.page, 5);
    const speaker = await openSpeaker('#/1');
    await speakerAt(speaker.page, 5);
    // Reloaded on an older slide: it asks, and the projected page does not move.
    await speaker.page.evaluate(() => history.replaceState(null, '', `${location.pathname}${location.search}#/2`));
    await speaker.page.reload();
    await speakerAt(speaker.page, 5);
    await sleep(300);
    assert.equal(await counterOf(main.page, 'slide-counter'), '5 / 8');
    // Closed, the deck moves on; opened again, it follows.
    await speaker.page.close();
    await main.page.keyboard.press('ArrowRight');
    await mainAt(main.page, 6);
    const again = await openSpeaker('#/5');
    await speakerAt(again.page, 6);
    assert.ok((await counterOf(again.page, 'speaker-notes')).includes(NOTES[5]));

    assert.deepEqual(main.problems, []);
    assert.deepEqual(speaker.problems, []);
    assert.deepEqual(again.problems, []);
    await again.page.close();
    await main.page.close();
  });

  it('a speaker view opened first follows the projected page once it opens', async () => {
    const speaker = await openSpeaker('#/2');
    await speakerAt(speaker.page, 2);
    // No projected page yet: nothing to run.
    await speaker.page.waitForSelector('[data-testid=speaker-run]:disabled');
    assert.equal(await counterOf(speaker.page, 'speaker-run-status'), 'no projected window');
    const main = await openMain('#/6');
    await mainAt(main.page, 6);
    await speakerAt(speaker.page, 6);
    await toldIs(speaker.page, 'idle');
    await speaker.page.keyboard.press('ArrowRight');
    await mainAt(main.page, 7);

    assert.deepEqual(main.problems, []);
    assert.deepEqual(speaker.problems, []);
    await speaker.page.close();
    await main.page.close();
  });

  it('S opens the speaker view at the page\'s address with ?speaker, or offers the link when blocked', async () => {
    const main = await openMain('#/3');
    await mainAt(main.page, 3);
    // A browser that refuses the window: window.open answers null.
    await main.page.evaluate(() => {
      window.opened = [];
      window.open = (...args) => {
        window.opened.push(args);
        return null;
      };
    });
    await main.page.keyboard.press('s');
    const link = await main.page.waitForSelector('[data-testid=speaker-blocked] [data-testid=speaker-link]');
    const expected = `${fx.site.url}?speaker#/multithreading-multiprocessing`;
    const [[url, name]] = await main.page.evaluate(() => window.opened);
    assert.deepEqual([url, name], [expected, 'parallel-playground-speaker']);
    assert.equal(await link.evaluate((a) => a.href), expected);

    // The link opens the speaker view, which follows the deck.
    const target = fx.browser.waitForTarget((t) => t.url().includes('?speaker'), { timeout: 10_000, polling: 100 });
    await link.click();
    const page = await (await target).page();
    await page.waitForSelector('[data-testid=speaker]');
    await speakerAt(page, 3);
    await main.page.waitForFunction(() => !document.querySelector('[data-testid=speaker-blocked]'), { polling: 100 });
    await page.close();

    assert.deepEqual(main.problems, []);
    await main.page.close();
  });
});
