// End to end: the presenter's keys of reveal.js (overview, help, black screen,
// go to a slide, fullscreen) in the release build, in Chromium and Firefox.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachBrowser } from './fixtures.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const deckText = readFileSync(path.join(root, 'www', 'parallel-execution.md'), 'utf8');
const TITLES = deckText.split(/\n\^\n/).map((slide) => slide.match(/^#{1,2} (.+)$/m)?.[1] ?? '');
// The README's key table, as the help overlay must list it.
const README_KEYS = readFileSync(path.join(root, 'README.md'), 'utf8')
  .split('| key | does |')[1]
  .split('\n')
  .slice(2)
  .filter((line, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('|')))
  .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));

const counter = (page) => page.$eval('[data-testid=slide-counter]', (el) => el.textContent);
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { testid: el?.dataset.testid ?? el?.tagName ?? null, slide: el?.dataset.slide ?? null };
  });
const gone = (page, testid) =>
  page.waitForFunction((t) => !document.querySelector(`[data-testid=${t}]`), { timeout: 5_000 }, testid);

async function waitForSlide(page, number) {
  await page.waitForFunction(
    (n, title) =>
      document.querySelector('[data-testid=slide-counter]')?.textContent === `${n} / 8` &&
      document.querySelector('[data-testid=slide]')?.querySelector('h1, h2')?.textContent === title,
    { timeout: 10_000 },
    number,
    TITLES[number - 1],
  );
}

async function open(fx, slide) {
  const { page, problems } = await fx.open();
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(`${fx.site.url}#/${slide}`);
  await waitForSlide(page, slide);
  return { page, problems };
}

/** The dialog's role, modality and the text of what labels it. */
const dialog = (page, testid) =>
  page.$eval(`[data-testid=${testid}]`, (el) => ({
    role: el.getAttribute('role'),
    modal: el.getAttribute('aria-modal'),
    label:
      el.getAttribute('aria-label') ??
      document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ??
      null,
  }));

assert.equal(TITLES.length, 8, `the deck has eight slides: ${TITLES.join(' | ')}`);
assert.ok(README_KEYS.length >= 10, `the README's key table: ${JSON.stringify(README_KEYS)}`);

forEachBrowser('the presentation keys', (fx) => {
  it('→ opens the next slide\'s demo once: R pressed as it appears runs to the end', async () => {
    const { page, problems } = await open(fx, 3);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    // Every demo section drawn from here on.
    await page.evaluate(() => {
      window.demosDrawn = 0;
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (n.nodeType === 1 && (n.matches('[data-testid=demo]') || n.querySelector('[data-testid=demo]'))) window.demosDrawn++;
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.keyboard.press('ArrowRight');
    await waitForSlide(page, 4);
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]')?.dataset.demo === 'gil' && document.querySelector('[data-testid=demo] [data-testid=run]:not([disabled])'), { polling: 'mutation' });
    await page.keyboard.press('r');
    await page.waitForFunction(() => ['done', 'stopped', 'failed'].includes(document.querySelector('[data-testid=demo]')?.dataset.status), { timeout: 60_000 });
    assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.status), 'done', 'the run was not stopped by the move it followed');
    assert.equal(await page.evaluate(() => window.demosDrawn), 1, 'the slide\'s demo was drawn once');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Space turns the slide from the first load on, and after a run R started; a clicked checkbox or slider leaves → and R to the deck', async () => {
    const { page, problems } = await open(fx, 1);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.keyboard.press(' ');
    await waitForSlide(page, 2);
    await page.keyboard.down('Shift');
    await page.keyboard.press(' ');
    await page.keyboard.up('Shift');
    await waitForSlide(page, 1);
    assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.runs), '0', 'Space ran nothing');
    // A run R started and that ended leaves the focus on the slide, not on Run.
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.2&speed=200`);
    await waitForSlide(page, 4);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'done', { timeout: 30_000 });
    await page.keyboard.press(' ');
    await waitForSlide(page, 5);
    await page.keyboard.press('ArrowLeft');
    await waitForSlide(page, 4);
    assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.runs), '1', 'one run, by R');
    // Run clicked with the mouse lets the focus go: Space turns the slide, and comes back.
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.runs === '2');
    await page.keyboard.press(' ');
    await waitForSlide(page, 5);
    await page.keyboard.press('ArrowLeft');
    await waitForSlide(page, 4);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    // A clicked checkbox keeps Space; → and R act on the deck and the demo.
    await page.click('[data-testid=params-summary]');
    await page.waitForSelector('[data-testid=params][open] [data-testid=param-io]', { visible: true });
    await page.click('[data-testid=param-io]');
    assert.equal(await page.$eval('[data-testid=param-io]', (c) => c.checked), true);
    const runs = await page.$eval('[data-testid=demo]', (d) => Number(d.dataset.runs));
    await page.keyboard.press('r');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=demo]').dataset.runs) > n, {}, runs);
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status !== 'running', { timeout: 30_000 });
    // A slider keeps its arrows, and gives the deck the rest.
    await page.click('[data-testid=params-summary]');
    await page.waitForSelector('[data-testid=params][open] [data-testid=param-interval]', { visible: true });
    await page.focus('[data-testid=param-interval]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.$eval('[data-testid=param-interval]', (r) => r.value), '6');
    assert.equal(await counter(page), '4 / 8');
    await page.focus('[data-testid=param-io]');
    await page.keyboard.press('ArrowRight');
    await waitForSlide(page, 5);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('O opens the overview on the current slide; arrows choose and Enter opens', async () => {
    const { page, problems } = await open(fx, 2);
    await page.keyboard.press('o');
    await page.waitForSelector('[data-testid=overview]');
    assert.deepEqual(await dialog(page, 'overview'), { role: 'dialog', modal: 'true', label: 'All slides' });
    const cards = await page.$$eval('[data-testid=overview-slide]', (els) =>
      els.map((e) => e.querySelector('.overview-title').textContent),
    );
    assert.deepEqual(cards, TITLES);
    assert.deepEqual(await focused(page), { testid: 'overview-slide', slide: '2' });
    assert.equal(await page.$eval('[aria-current=true]', (e) => e.dataset.slide), '2');
    const shot = fx.shot('overview');
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);

    // → to 3, ↓ a row of four to 7, ← to 6; the slide behind stays until Enter.
    for (const [key, slide] of [['ArrowRight', '3'], ['ArrowDown', '7'], ['ArrowLeft', '6']]) {
      await page.keyboard.press(key);
      await page.waitForFunction((s) => document.activeElement?.dataset.slide === s, { timeout: 5_000 }, slide);
    }
    assert.equal(await counter(page), '2 / 8');
    await page.keyboard.press('Enter');
    await waitForSlide(page, 6);
    await gone(page, 'overview');

    // Esc opens it too, and Esc or O closes it without moving.
    for (const close of ['Escape', 'o']) {
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=overview]');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press(close);
      await gone(page, 'overview');
      assert.equal(await counter(page), '6 / 8');
    }
    // Tab and Shift+Tab choose too, and the focus stays in the overview.
    await page.keyboard.press('o');
    await page.waitForSelector('[data-testid=overview]');
    const focusIs = (slide) =>
      page.waitForFunction((s) => document.activeElement?.dataset.slide === s, { timeout: 5_000 }, slide);
    await page.keyboard.press('Home');
    await focusIs('1');
    // Shift+Tab before the first slide would reach the page behind: the focus comes back.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    await focusIs('1');
    await page.keyboard.press('Tab');
    await focusIs('2');
    assert.equal(await page.$eval('.overview-slide.selected', (e) => e.dataset.slide), '2');
    await page.keyboard.press('ArrowRight');
    await focusIs('3');
    // A click beside the slides closes it.
    await page.mouse.click(640, 600);
    await gone(page, 'overview');
    assert.equal(await counter(page), '6 / 8');
    // A click on a slide opens it.
    await page.keyboard.press('O');
    await page.click('[data-testid=overview-slide][data-slide="1"]');
    await waitForSlide(page, 1);
    await gone(page, 'overview');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('? shows every key in a labelled dialog; Esc closes it and the focus goes back', async () => {
    const { page, problems } = await open(fx, 4);
    await page.focus('[data-testid=next]');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]');
    assert.deepEqual(await dialog(page, 'help'), { role: 'dialog', modal: 'true', label: 'Keys' });
    assert.deepEqual(await focused(page), { testid: 'help', slide: null });
    const rows = await page.$$eval('[data-testid=help] tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())),
    );
    assert.deepEqual(rows, README_KEYS);
    const shot = fx.shot('help');
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    // The slide behind keeps still.
    await page.keyboard.press('ArrowRight');
    assert.equal(await counter(page), '4 / 8');
    await page.keyboard.press('Escape');
    await gone(page, 'help');
    assert.deepEqual(await focused(page), { testid: 'next', slide: null });
    // ? closes it too, and so does a click.
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]');
    await page.keyboard.press('?');
    await gone(page, 'help');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]');
    await page.mouse.click(20, 20);
    await gone(page, 'help');
    assert.equal(await counter(page), '4 / 8');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('B blacks the page out and B, ., Esc or a click brings it back', async () => {
    const { page, problems } = await open(fx, 3);
    const covered = () =>
      page.evaluate(() => {
        const el = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
        return el?.dataset.testid === 'blackout' && getComputedStyle(el).backgroundColor === 'rgb(0, 0, 0)';
      });
    for (const [on, off] of [['b', 'b'], ['.', '.'], ['B', 'Escape'], ['b', 'click']]) {
      await page.keyboard.press(on);
      await page.waitForSelector('[data-testid=blackout]');
      assert.ok(await covered(), `${on} covers the page in black`);
      assert.equal((await dialog(page, 'blackout')).role, 'dialog');
      await page.keyboard.press('PageDown');
      if (off === 'click') await page.mouse.click(640, 360);
      else await page.keyboard.press(off);
      await gone(page, 'blackout');
      assert.ok(!(await covered()), `${off} ends the black screen`);
    }
    assert.equal(await counter(page), '3 / 8');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a typed number and Enter go to its slide; one beyond the deck says so and stays', async () => {
    const { page, problems } = await open(fx, 1);
    await page.keyboard.press('5');
    await page.waitForSelector('[data-testid=goto]');
    assert.deepEqual(await dialog(page, 'goto'), { role: 'dialog', modal: 'true', label: 'Go to slide:' });
    await page.keyboard.press('Enter');
    await waitForSlide(page, 5);
    await gone(page, 'goto');

    await page.keyboard.press('g');
    await page.waitForSelector('[data-testid=goto]');
    assert.deepEqual(await focused(page), { testid: 'goto-input', slide: null });
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=goto-error]');
    assert.equal(
      await page.$eval('[data-testid=goto-error]', (e) => e.textContent),
      'There is no slide 9: the slides are numbered 1 to 8.',
    );
    assert.equal(await counter(page), '5 / 8');
    await page.keyboard.press('Escape');
    await gone(page, 'goto');
    assert.equal(await counter(page), '5 / 8');
    // A click beside the box cancels it too.
    await page.keyboard.press('3');
    await page.waitForSelector('[data-testid=goto]');
    await page.mouse.click(40, 600);
    await gone(page, 'goto');
    assert.equal(await counter(page), '5 / 8');
    // Two digits, one after the other.
    await page.keyboard.type('08');
    await page.keyboard.press('Enter');
    await waitForSlide(page, 8);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('F asks for fullscreen, or says the browser refused; F again leaves it', async () => {
    const { page, problems } = await open(fx, 2);
    await page.keyboard.press('f');
    const outcome = await page.waitForFunction(
      () =>
        (document.fullscreenElement === document.documentElement && 'fullscreen') ||
        (/Fullscreen is not available/.test(document.querySelector('[data-testid=notice]')?.textContent ?? '') &&
          'refused'),
      { timeout: 5_000 },
    );
    const result = await outcome.jsonValue();
    console.log(`${fx.spec.name}: F gave ${result}`);
    if (result === 'fullscreen') {
      await page.keyboard.press('f');
      await page.waitForFunction(() => document.fullscreenElement === null, { timeout: 5_000 });
    }
    // Nothing else broke: the deck still moves.
    await page.keyboard.press('ArrowRight');
    await waitForSlide(page, 3);
    // A browser that refuses: the page says so, and goes on.
    await page.evaluate(() => {
      document.documentElement.requestFullscreen = () => Promise.reject(new TypeError('Fullscreen request denied'));
    });
    await page.keyboard.press('F');
    await page.waitForSelector('[data-testid=notice]');
    assert.equal(
      await page.$eval('[data-testid=notice] span', (e) => e.textContent),
      'Fullscreen is not available here: Fullscreen request denied',
    );
    assert.equal(await page.evaluate(() => document.fullscreenElement), null);
    await page.keyboard.press('ArrowRight');
    await waitForSlide(page, 4);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('keys typed in a demo field do nothing to the deck; Esc leaves the field first', async () => {
    const { page, problems } = await open(fx, 3);
    // The demos' module draws the pane once the slide is drawn.
    await page.waitForSelector('[data-testid=param-jobs]');
    await page.focus('[data-testid=param-jobs]');
    await page.$eval('[data-testid=param-jobs]', (field) => field.select());
    await page.keyboard.type('5o?b.g9fnr');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.$eval('[data-testid=param-jobs]', (e) => e.value), '5o?b.g9fnr');
    const overlays = () =>
      page.$$eval('[data-testid=overview], [data-testid=help], [data-testid=blackout], [data-testid=goto], [data-testid=notes]', (els) => els.length);
    assert.equal(await overlays(), 0);
    assert.equal(await counter(page), '3 / 8');
    assert.equal(await page.$eval('[data-testid=demo]', (e) => e.dataset.runs), '0');
    // Esc in the field leaves it, and opens nothing.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.dataset.testid !== 'param-jobs', { timeout: 5_000 });
    assert.equal(await overlays(), 0);
    // With Ctrl held, a key stays the browser's.
    await page.keyboard.down('Control');
    await page.keyboard.press('g');
    await page.keyboard.up('Control');
    assert.equal(await overlays(), 0);
    // Out of the field, Esc is the overview's.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=overview]');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
