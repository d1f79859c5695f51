// Figures, printed rather than asserted: what the GIL demo shows a class.
// N CPU-bound threads of `work` Python seconds each under the GIL should take
// about N x work, as under CPython; this prints the wall time the demo reports
// over N x work, drawn live at `speed=1000`, with either GIL, in Chromium and
// Firefox. The shared-memory GIL runs on the cross-origin isolated site; the
// message-based one where the browser has no service worker to isolate the
// page (Chromium: plain http on a network name; Firefox: service workers off).
// All runs on one page: the first run calibrates a CPU second, as a
// viewer's first Run does, and every case shares it. So besides wall over
// N x work, each case has its wall over N x the lone thread's wall (the
// first case) on that same page: the measure CPython's anchor prints as
// threads over one after another, which a CPU second measured a little fast
// or slow does not move. After each case, the same program runs under
// CPython here (bench/gil-cpython.py), so each line has its anchor from the
// same minutes: on a shared machine CPython's own ratio moves too (two threads
// took 0.96x the one-after-another time at one moment, 1.33x minutes later).
import { execFileSync } from 'node:child_process';
import { serveSite } from '../e2e/server.mjs';
import { BROWSERS, launch, openPage } from '../e2e/browsers.mjs';
import { dist } from '../e2e/fixtures.mjs';

// ROUNDS=5 BROWSER=firefox GIL=messages node bench/gil-demo.mjs: fewer cases, more rounds.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ONLY_BROWSER = process.env.BROWSER;
const ONLY_GIL = process.env.GIL;
const CASES = [
  [1, 1],
  [2, 0.5],
  [4, 0.5],
];

/** CPython's wall time over N x work for the same case, threads and one after another. */
function cpython(threads, work) {
  const script = new URL('./gil-cpython.py', import.meta.url).pathname;
  const out = JSON.parse(execFileSync('python3', [script, String(threads), String(work), String(ROUNDS)], { encoding: 'utf8' }));
  return out;
}

const isolated = await serveSite({ root: dist, isolated: true });
const plain = await serveSite({ root: dist, isolated: false });
try {
  for (const spec of BROWSERS.filter((b) => !ONLY_BROWSER || b.name === ONLY_BROWSER)) {
    for (const gil of ['shared memory', 'messages'].filter((g) => !ONLY_GIL || g.startsWith(ONLY_GIL))) {
      let browserSpec = spec;
      let base = isolated.url;
      if (gil === 'messages') {
        base = plain.url;
        if (spec.name === 'chromium') {
          const args = [...spec.options.args, '--host-resolver-rules=MAP playground.test 127.0.0.1'];
          browserSpec = { ...spec, options: { ...spec.options, args } };
          base = base.replace('127.0.0.1', 'playground.test');
        } else {
          browserSpec = { ...spec, options: { ...spec.options, extraPrefsFirefox: { 'dom.serviceWorkers.enabled': false } } };
        }
      }
      const browser = await launch(browserSpec);
      try {
        const { page } = await openPage(browser);
        await page.setViewport({ width: 1280, height: 720 });
        const shown = [];
        const overOne = [];
        const anchors = [];
        let python = '';
        let lone = NaN;
        await page.goto('about:blank');
        for (const [threads, work] of CASES) {
          // A new hash on the same page: the demo takes the parameters, the
          // CPU second measured by the first run stays.
          await page.goto(`${base}#/the-gil?threads=${threads}&work=${work}&mode=gil&speed=1000`);
          await page.waitForSelector('[data-testid=demo] [data-testid=run]');
          await page.waitForFunction(
            (t, w) => {
              const value = (key) => document.querySelector(`[data-testid=param-${key}]`)?.value;
              return Number(value('threads')) === t && Number(value('work')) === w;
            },
            {}, threads, work,
          );
          const ratios = [];
          for (let round = 0; round < ROUNDS; round++) {
            await page.click('[data-testid=run]');
            // Polled every 100 ms, as the page redraws: puppeteer's default polls at
            // every animation frame, which kept the page drawing 60 frames a second
            // beside the run, as no viewer's page does (two threads of 2 s took
            // 1.09x their work so, 1.07x polled every 100 ms).
            await page.waitForFunction(
              () => ['done', 'failed'].includes(document.querySelector('[data-testid=demo]').dataset.status),
              { timeout: 120_000, polling: 100 },
            );
            const wall = await page.$eval('[data-testid=run-summary]', (s) => Number(s.dataset.wallMs));
            ratios.push(wall / (threads * work * 1000));
          }
          shown.push(`${threads} x ${work} s: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
          const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
          if (threads === 1) lone = median;
          else overOne.push(`${threads} x ${work} s: ${ratios.map((r) => (r / lone).toFixed(2)).join(' ')}`);
          const py = cpython(threads, work);
          python = py.python;
          const list = (rs) => rs.map((r) => r.toFixed(2)).join(' ');
          anchors.push(
            `${threads} x ${work} s: ${list(py.threads_over_nominal)} (one after another ${list(py.serial_over_nominal)};` +
              ` threads over one after another ${list(py.threads_over_serial)})`,
          );
        }
        const impl = await page.$eval('[data-testid=gil-impl]', (e) => e.textContent).catch(() => gil);
        console.log(`figures (${spec.name}, ${impl}): GIL demo wall over N x work, ${ROUNDS} runs each: ${shown.join('; ')}`);
        console.log(`figures (${spec.name}, ${impl}): the same walls over N x the lone thread's (median) on that page: ${overOne.join('; ')}`);
        console.log(`figures (CPython ${python} here, after each case above): threads' wall over N x work: ${anchors.join('; ')}`);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await isolated.close();
  await plain.close();
}
