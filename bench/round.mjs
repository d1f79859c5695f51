// One round of the benchmark in one browser: the first load of the app and of
// the Yew hello app (bench/yew-hello), then the plain JS anchors
// (bench/anchors) the app's runtime figures are read against. Prints one line,
// `pages <browser> <round> {…}`, which bench/table.mjs reads; scripts/bench.sh
// runs it each round in each browser, between runs of tests/figures.rs.
//   node bench/round.mjs chromium|firefox ROUND
// Everything is served on loopback by e2e/server.mjs, with COOP/COEP headers
// (cross-origin isolated, as the runtime figures' page is); every browser
// profile is fresh, so each first load is a first visit.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serveSite } from '../e2e/server.mjs';
import { BROWSERS, launch } from '../e2e/browsers.mjs';
import { watchLongTasks, takeLongTasks } from './long-tasks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// As many round trips and workers as tests/figures.rs uses.
const ROUND_TRIPS = 200;
const READY_WORKERS = 8;
// First loads of each app a round: a paint on loopback moves by a third from load to load.
const LOADS = 4;

const [browserName, roundText] = process.argv.slice(2);
const spec = BROWSERS.find((b) => b.name === browserName);
const round = Number(roundText);
if (!spec || !Number.isInteger(round)) {
  console.error('usage: node bench/round.mjs chromium|firefox ROUND');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The bytes of `gzip -9` of a served file, by its path on the site (as scripts/sizes.sh counts them). */
function gzipBytes(root, base, pathname) {
  const name = decodeURIComponent(pathname.slice(base.length)) || 'index.html';
  return execFileSync('gzip', ['-9', '-c', path.join(root, name)], { maxBuffer: 1 << 26 }).length;
}

/**
 * A first visit to a site in a browser context of its own (an empty cache):
 * its first contentful paint; when `ready` (the app drawn: for the app, its
 * first slide) entered the page, since the app's first paint is its loading
 * screen and the hello app has none; when `then` (the app's demo pane, drawn by
 * the demos' module it loads after the first slide) did; the main thread's long
 * tasks until then and half a second more; and the gzip -9 bytes of every file
 * the page requested before `ready` was drawn (the first load), and after it.
 * What a service worker fetches afterwards, in the background, is counted apart.
 */
async function firstLoad(browser, { root, base, ready, then = ready }) {
  const site = await serveSite({ root, base });
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await watchLongTasks(page);
    await page.evaluateOnNewDocument(
      (selectors) => {
        for (const [key, selector] of Object.entries(selectors)) {
          new MutationObserver((_, observer) => {
            if (!document.querySelector(selector)) return;
            window[key] = performance.now();
            observer.disconnect();
          }).observe(document, { childList: true, subtree: true });
        }
      },
      { __drawnMs: ready, __thenMs: then },
    );
    const fetched = new Set();
    const origin = new URL(site.url).origin;
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === origin) fetched.add(url.pathname);
    });
    await page.goto(site.url);
    await page.waitForSelector(then, { timeout: 30_000 });
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, {
      timeout: 10_000,
    });
    await sleep(500);
    const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
    const drawnMs = await page.evaluate(() => window.__drawnMs);
    const thenMs = await page.evaluate(() => window.__thenMs);
    // What the page asked for once `ready` was drawn (by when each request started).
    const later = new Set(
      await page.evaluate((drawn) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.startTime > drawn)
          .map((e) => new URL(e.name).pathname),
        drawnMs,
      ),
    );
    const longTasks = await takeLongTasks(page);
    // The app's service worker keeps the rest of the release once the page is
    // up: wait until it is active (the hello app registers none).
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker?.getRegistration();
      if (registration) await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 5_000))]);
    });
    await sleep(500);
    const files = {};
    const laterFiles = {};
    for (const pathname of fetched) {
      const into = later.has(pathname) ? laterFiles : files;
      into[pathname.slice(base.length) || 'index.html'] = gzipBytes(root, base, pathname);
    }
    let backgroundBytes = 0;
    const background = new Set(site.requests.map((r) => r.path).filter((p) => !fetched.has(p)));
    for (const pathname of background) backgroundBytes += gzipBytes(root, base, pathname);
    const sum = (named) => Object.values(named).reduce((a, b) => a + b, 0);
    const bytes = sum(files);
    return {
      fcpMs,
      drawnMs,
      thenMs,
      laterBytes: sum(laterFiles),
      laterFiles,
      longTasks: longTasks.durations,
      longTaskSource: longTasks.source,
      bytes,
      files,
      backgroundBytes,
    };
  } finally {
    await context.close();
    await site.close();
  }
}

/**
 * A worker's start in the app's own page, served as the anchors are: the
 * title slide's "Run in a worker" starts a fresh worker for each job and shows
 * its start-up, from `new Worker` to the worker's first message (the wasm
 * compiled once, at the first job, which is not counted), once the page's
 * service worker has kept the release. The mean over `workers`.
 */
async function appWorkerReady(browser, { root, base }, workers) {
  const site = await serveSite({ root, base });
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}#/1`);
    const field = await page.waitForSelector('[data-testid=prime-limit]');
    // A first visit's service worker fetches the release in the background:
    // the jobs start once it is done, as a viewer's would.
    await page.evaluate(() =>
      Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 5_000))].filter(Boolean)),
    );
    await sleep(500);
    await field.click({ count: 3 });
    await field.type('1000');
    const runJob = async () => {
      await page.evaluate(() => {
        window.__lastResult = document.querySelector('[data-testid=worker-result]');
      });
      await page.click('[data-testid=run-worker]');
      await page.waitForFunction(
        () => {
          const result = document.querySelector('[data-testid=worker-result]');
          return result && result !== window.__lastResult;
        },
        { timeout: 30_000 },
      );
      return page.$eval('[data-testid=worker-startup]', (e) => Number.parseFloat(e.textContent));
    };
    await runJob();
    const times = [];
    for (let i = 0; i < workers; i++) times.push(await runJob());
    return times.reduce((a, b) => a + b, 0) / times.length;
  } finally {
    await context.close();
    await site.close();
  }
}

/** The anchors page, with workerpool's browser build served beside it from node_modules. */
async function serveAnchors() {
  const site = await serveSite({ root: path.join(here, 'anchors'), base: '/anchors/' });
  const workerpool = await readFile(path.join(here, '..', 'node_modules', 'workerpool', 'dist', 'workerpool.min.js'));
  site.respond('workerpool.min.js', { body: workerpool, type: 'text/javascript; charset=utf-8' });
  return site;
}

// Each site's build, where it is served, and what shows once it is drawn.
const app = {
  root: path.join(here, '..', 'dist'),
  base: '/parallel-playground/',
  ready: '[data-testid=slide]',
  then: '[data-testid=demo] [data-testid=run]',
};
const hello = { root: path.join(here, 'yew-hello', 'dist'), base: '/yew-hello/', ready: '[data-testid=hello]' };

const anchors = await serveAnchors();
const browser = await launch(spec);
try {
  const page = await browser.newPage();
  // The anchors page first: the browser's own start-up is then behind us.
  await page.goto(anchors.url);
  await page.waitForFunction(() => typeof window.cpuSpeedup === 'function' && window.workerpool);
  // First loads of the two apps in the order A B B A, again and again (the app
  // first in odd rounds, the hello app in even ones), so neither always loads first.
  const order = round % 2 ? [['app', app], ['hello', hello]] : [['hello', hello], ['app', app]];
  const pages = { app: { loads: [] }, hello: { loads: [] } };
  for (let i = 0; i < LOADS / 2; i++) {
    for (const [name, site] of [...order, ...[...order].reverse()]) {
      pages[name].loads.push(await firstLoad(browser, site));
    }
  }
  pages.app.workerReadyMs = await appWorkerReady(browser, app, READY_WORKERS);
  const figures = {
    ...pages,
    echo: {
      roundTripMs: await page.evaluate((n) => window.echoRoundTrip(n), ROUND_TRIPS),
      readyMs: await page.evaluate((n) => window.echoReady(n), READY_WORKERS),
    },
    workerpool: { roundTripMs: await page.evaluate((n) => window.workerpoolRoundTrip(n), ROUND_TRIPS) },
    port: { roundTripMs: await page.evaluate((n) => window.portRoundTrip(n), ROUND_TRIPS) },
    nested: await page.evaluate((n) => window.nestedRoundTrip(n), ROUND_TRIPS),
    js: await page.evaluate(() => window.cpuSpeedup()),
  };
  console.log(`pages ${spec.name} ${round} ${JSON.stringify(figures)}`);
} finally {
  await browser.close();
  await anchors.close();
}
