// End to end: every slide's live demo, run from its link in the built site,
// in headless Chromium and Firefox. Transcripts are checked against CPython
// itself where CPython can run the same program here.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachBrowser } from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const deck = path.join(here, '..', 'www', 'parallel-execution.md');
const python = (script, ...args) =>
  execFileSync('python3', [path.join(here, 'python', script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * CPython's tracebacks on stderr as the console shows them: the frames of the
 * program (`file`) as CPython prints them, each run of other frames (the
 * standard library's) as one line counting them; one array of lines per
 * traceback, chained exceptions apart.
 */
function tracebacks(stderr, file) {
  const blocks = [];
  let out = null;
  let library = 0;
  const flush = () => {
    if (library) out.push(`  [${library} frame${library === 1 ? '' : 's'} in the standard library]`);
    library = 0;
  };
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'Traceback (most recent call last):') blocks.push((out = []));
    if (!out) continue;
    const frame = /^  File "(.*)", line (\d+), in (.*)$/.exec(lines[i]);
    if (!frame) {
      flush();
      out.push(lines[i].trimEnd());
      continue;
    }
    const body = [];
    while (i + 1 < lines.length && lines[i + 1].startsWith('    ')) body.push(lines[++i].trimEnd());
    if (path.basename(frame[1]) === file) {
      flush();
      out.push(`  File "${file}", line ${frame[2]}, in ${frame[3]}`, ...body);
    } else {
      library++;
    }
  }
  return blocks.map((b) => {
    while (b.length && b[b.length - 1] === '') b.pop();
    return b;
  });
}

/** Opens a demo's link, presses Run, waits for the run to end, and reads what a viewer sees. */
async function runDemo(page, url, { timeout = 60_000, during } = {}) {
  await page.goto(url);
  // A link to the slide already shown changes only the hash: wait for the demo to take the new parameters.
  const query = new URL(url).hash.split('?')[1] ?? '';
  await page.waitForFunction(
    (q) => document.querySelector('[data-testid=demo] [data-testid=run]:not([disabled])') && location.hash.endsWith(q),
    {},
    query,
  );
  const runs = await page.$eval('[data-testid=demo]', (d) => Number(d.dataset.runs));
  await page.click('[data-testid=demo] [data-testid=run]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=demo]')?.dataset.runs) > n, {}, runs);
  if (during) await during(page);
  // Polled every 100 ms, not at every animation frame (puppeteer's default),
  // so the page draws no more frames during the run than a viewer's does.
  await page.waitForFunction(
    () => ['done', 'failed', 'stopped'].includes(document.querySelector('[data-testid=demo]')?.dataset.status),
    { timeout, polling: 100 },
  );
  // Let the last animation frame fold the last events in.
  await new Promise((r) => setTimeout(r, 150));
  const run = await readDemo(page);
  const speed = Number(await page.$eval('[data-testid=param-speed]', (e) => e.value));
  for (const p of run.panels) {
    console.log(
      `figures: ${new URL(url).hash.split('?')[0]} [${p.label}] wall ${(p.wallMs / speed).toFixed(2)} Python s ` +
        `(${p.wallMs.toFixed(0)} ms at ${speed} ms/s), speedup ${p.speedup == null ? 'not shown' : `${p.speedup.toFixed(2)}x`}, most running at once ${p.maxRunning}`,
    );
  }
  return run;
}

/** Reads the first panel's "running at once" into `seen` every 20 ms while the demo runs. */
async function watchRunning(page, seen) {
  for (;;) {
    const { status, running } = await page.$eval('[data-testid=demo]', (d) => ({
      status: d.dataset.status,
      running: d.querySelector('[data-testid=run-summary]')?.dataset.maxRunning,
    }));
    if (status !== 'running') return;
    if (running !== undefined) seen.push(Number(running));
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readDemo(page) {
  return page.$eval('[data-testid=demo]', (demo) => ({
    status: demo.dataset.status,
    statusText: demo.querySelector('[data-testid=run-status]').textContent,
    panels: [...demo.querySelectorAll('[data-testid=panel]')].map((panel) => {
      const summary = panel.querySelector('[data-testid=run-summary]').dataset;
      // A figure as the summary shows it, by the start of its name; none where it is not shown.
      const shown = (name) => [...panel.querySelectorAll('[data-testid=run-summary] > div')]
        .find((d) => d.querySelector('dt')?.textContent.startsWith(name))
        ?.querySelector('dd').textContent;
      return {
        label: panel.dataset.label,
        wallMs: Number(summary.wallMs),
        lanes: Number(summary.lanes),
        workers: Number(summary.workers),
        maxRunning: Number(summary.maxRunning),
        inFlight: Number(summary.inFlight),
        tasks: Number(summary.tasks),
        finished: summary.finished === 'true',
        // As shown (none: not shown), to more places.
        speedup: summary.speedup === undefined ? null : Number(summary.speedup),
        // The speedup as shown, with what it was had on ("2.18× on one thread").
        speedupText: shown('Speedup'),
        wallText: shown('Wall time'),
        // The threads' GIL wait, measured (ms) and as shown (only where it rounds above 0.00 s).
        gilWaitMs: Number(summary.gilWaitMs),
        gilWaitText: shown('GIL wait'),
        laneNames: [...panel.querySelectorAll('[data-testid=lane]')].map((l) => l.dataset.name),
        // The states each lane's bar is painted in, and how many rectangles the chart painted.
        laneStates: Object.fromEntries([...panel.querySelectorAll('[data-testid=lane]')].map((l) => [l.dataset.name, l.dataset.states.split(' ')])),
        drawn: Number(panel.querySelector('[data-testid=timeline-canvas]')?.dataset.drawn ?? 0),
        lines: [...panel.querySelectorAll('[data-testid=console-line]')].map((l) => ({
          lane: l.dataset.lane,
          at: Number(l.dataset.at),
          text: l.querySelector('.text').textContent,
        })),
      };
    }),
  }));
}

/** The row of the first panel's chart where `lane`'s bar is, in CSS pixels from the canvas's top. */
function laneRow(lane) {
  const panel = document.querySelector('[data-testid=panel]');
  const canvas = panel.querySelector('[data-testid=timeline-canvas]');
  const name = [...panel.querySelectorAll('[data-testid=lane]')].find((l) => l.dataset.name === lane).querySelector('text');
  const [c, n] = [canvas.getBoundingClientRect(), name.getBoundingClientRect()];
  return { canvas, c, y: n.top + n.height / 2 - c.top, x0: n.right - c.left + 4 };
}

/** For each lane of the first panel, what is painted along its bar's middle:
 *  how many pixels in each state's colours (the stylesheet's --span-* colours),
 *  and which columns in the running colour. */
async function paintedRows(page) {
  return page.evaluate(`(() => {
    const laneRow = ${laneRow.toString()};
    const panel = document.querySelector('[data-testid=panel]');
    const canvas = panel.querySelector('[data-testid=timeline-canvas]');
    const style = getComputedStyle(canvas);
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const rgb = (colour) => { probe.fillStyle = colour; probe.fillRect(0, 0, 1, 1); return [...probe.getImageData(0, 0, 1, 1).data.slice(0, 3)]; };
    const states = { running: ['--span-running'], gil: ['--span-gil', '--span-gil-bg'], blocked: ['--span-blocked', '--span-blocked-bg'], io: ['--span-io', '--span-io-bg', '--span-io-ink'] };
    const palette = Object.entries(states).flatMap(([state, names]) => names.map((n) => [state, rgb(style.getPropertyValue(n).trim())]));
    const ctx = canvas.getContext('2d');
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const out = {};
    for (const lane of [...panel.querySelectorAll('[data-testid=lane]')].map((l) => l.dataset.name)) {
      const { y, x0 } = laneRow(lane);
      const row = ctx.getImageData(Math.round(x0 * ratio), Math.round(y * ratio), canvas.width - Math.round(x0 * ratio), 1).data;
      const counts = { running: 0, gil: 0, blocked: 0, io: 0 };
      const runningAt = [];
      for (let i = 0; i < row.length; i += 4) {
        if (row[i + 3] < 200) continue;
        const hit = palette.find(([, c]) => Math.abs(c[0] - row[i]) + Math.abs(c[1] - row[i + 1]) + Math.abs(c[2] - row[i + 2]) < 30);
        if (hit) counts[hit[0]] += 1;
        if (hit?.[0] === 'running') runningAt.push(i / 4);
      }
      out[lane] = { counts, runningAt };
    }
    return out;
  })()`);
}

/** For each lane of the first panel, how many pixels along its bar's middle are
 *  painted in each state's colours. */
async function paintedColours(page) {
  const rows = await paintedRows(page);
  return Object.fromEntries(Object.entries(rows).map(([lane, row]) => [lane, row.counts]));
}

/** The columns of the first panel's chart where more than one of `lanes` is painted running. */
async function paintedRunningTogether(page, lanes) {
  const rows = await paintedRows(page);
  const seen = new Map();
  for (const lane of lanes) for (const x of rows[lane]?.runningAt ?? []) seen.set(x, (seen.get(x) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([x]) => x);
}

/** Moves the pointer along `lane`'s bar until the chart gives a tooltip, and returns it. */
async function hoverTip(page, lane) {
  const spots = await page.evaluate(`(() => {
    const laneRow = ${laneRow.toString()};
    const { c, y, x0 } = laneRow(${JSON.stringify(lane)});
    return [0.2, 0.4, 0.6].map((f) => [c.left + x0 + (c.width - x0) * f, c.top + y]);
  })()`);
  for (const [x, y] of spots) {
    await page.mouse.move(x, y);
    const tip = await page.$eval('[data-testid=panel] [data-testid=timeline-canvas]', (c) => c.getAttribute('title') ?? '');
    if (tip) return tip;
  }
  return '';
}

forEachBrowser('the live demos', (fx) => {
  const shoot = async (page, name) => {
    const file = fx.shot(`demo-${name}`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  };

  it('ends a task\'s sleep(0) at once, as asyncio does', async () => {
    const { page, problems } = await fx.open();
    // The program begins after the page has painted, and the page draws the run once
    // no sleep is ending by turns of its loop: the run's first frame (20-40 ms) came
    // between two turns, and sleep(0) took 0.12-0.25 Python s at this speed. Now 0.001-0.03 s;
    // a busy machine may still hold up a turn, so the median of a page's later runs is checked.
    const url = `${fx.site.url}#/asyncio-example?jobs=0,0.5,3,0&speed=200`;
    const at = (r, text) => r.panels[0].lines.find((l) => l.text === text)?.at;
    const runs = [];
    for (let n = 0; n < 4; n++) {
      const run = await runDemo(page, url);
      assert.equal(run.status, 'done', run.statusText);
      assert.ok(Math.abs(at(run, 'Job #1 finished') - 0.5) <= 0.05, `Job #1 finished at ${at(run, 'Job #1 finished')} s`);
      runs.push(Math.max(at(run, 'Job #0 finished'), at(run, 'Job #3 finished')));
    }
    console.log(`figures: sleep(0) on the page at 200 ms/s ended by ${runs.join(', ')} Python s (a page's first run, then three)`);
    const median = runs.slice(1).sort((a, b) => a - b)[1];
    assert.ok(median <= 0.05, `the two sleep(0) tasks ended by ${runs.slice(1).join(', ')} s`);
    assert.ok(runs[0] <= 0.1, `in the page's first run, by ${runs[0]} s`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const jobs of ['5,2,1,3', '1,1,0.5,2.0', '0.5,1.5,0.5,1']) {
    it(`prints what CPython prints for the asyncio example with jobs ${jobs}`, async () => {
      const { page, problems } = await fx.open();
      const speed = 60;
      const run = await runDemo(page, `${fx.site.url}#/asyncio-example?jobs=${jobs}&speed=${speed}`);
      assert.equal(run.status, 'done', run.statusText);
      const [panel] = run.panels;
      const expected = python('asyncio_example.py', deck, `[${jobs.split(',').join(', ')}]`, '20').trimEnd().split('\n');
      assert.deepEqual(panel.lines.map((l) => l.text), expected);
      assert.ok(panel.lines.every((l) => l.lane === 'MainThread'), 'every line comes from MainThread');
      // One thread; under it process() as Task-1 and a task per job, as asyncio names them.
      const count = jobs.split(',').length;
      assert.deepEqual(panel.laneNames, ['MainThread', ...Array.from({ length: count + 1 }, (_, i) => `Task-${i + 1}`)]);
      assert.equal(panel.workers, 0);
      // The waits overlapped on the page's one thread: no core is credited.
      assert.match(panel.speedupText ?? '', /^\d+\.\d\d× on one thread$/);
      assert.equal(panel.inFlight, count, 'the job tasks awaited their sleeps together, and nothing else was in flight');
      // process() awaits the job tasks: blocked on them, as a thread joining others is, never sleeping.
      const painted = (lane) => panel.laneStates[lane].filter((s) => s !== 'running');
      assert.deepEqual(painted('Task-1'), ['blocked']);
      for (let i = 2; i <= count + 1; i++) assert.deepEqual(painted(`Task-${i}`), ['io'], `Task-${i}`);
      const sleeps = jobs.split(',').map(Number);
      const longest = Math.max(...sleeps);
      const sum = sleeps.reduce((a, b) => a + b, 0);
      const total = panel.lines.at(-1).at - panel.lines[0].at;
      assert.ok(total >= longest * 0.95 && total < (longest + sum) / 2, `total ${total} s: near ${longest}, not ${sum}`);
      if (jobs === '5,2,1,3') {
        // The note names Python's code as code, not between literal backticks.
        const note = await page.$eval('[data-testid=demo-note]', (n) => ({ text: n.textContent, code: [...n.querySelectorAll('code')].map((c) => c.textContent) }));
        assert.ok(!note.text.includes('`'), note.text);
        assert.deepEqual(note.code, ['get_event_loop()', 'result = asyncio.run(process(jobs))', 'loop = asyncio.get_running_loop()', 'process()']);
        await shoot(page, 'asyncio');
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it('runs the classical example as CPython runs it: the same lines at the same times, twice', async () => {
    const { page, problems } = await fx.open();
    const seed = 7;
    const speed = 300;
    // The slide's program under CPython, its threads sharing random, on a simulated clock.
    const expected = JSON.parse(python('classical_example.py', deck, String(seed)));
    const transcripts = [];
    for (let round = 0; round < 2; round++) {
      const run = await runDemo(page, `${fx.site.url}#/classical-method-example?seed=${seed}&speed=${speed}`);
      assert.equal(run.status, 'done', run.statusText);
      const [panel] = run.panels;
      assert.deepEqual(panel.lines.map((l) => l.text), expected.map((e) => e.text));
      // Python's time 0 is when CPython's program begins: the threads' first
      // lines come at once, not after the workers were handed their programs.
      assert.ok(Math.abs(panel.lines[0].at - expected[0].at) < 0.05, `the first line at ${panel.lines[0].at} s, CPython's at ${expected[0].at} s`);
      panel.lines.forEach((line, i) => {
        assert.ok(Math.abs(line.at - expected[i].at) < 0.3, `${line.text} at ${line.at} s, CPython at ${expected[i].at} s`);
        assert.equal(line.lane, line.text.split(':')[0]);
      });
      // Two threads that sleep nearly all the time hardly wait for the GIL: the
      // thread that woke first holds it only for its Python, and asks the page
      // for its next draw from random once it has let go. CPython's wait is
      // microseconds; the page's is 0.2-0.7 ms on this machine at rest and up
      // to 6.4 ms while the suite loads it. The bound, 12 ms here, is under
      // what one round trip to the page with the GIL held costs (18-30 ms).
      const { gilWaitMs, gilWaitText: shown } = panel;
      console.log(`figures: classical GIL wait ${gilWaitMs} ms (${(gilWaitMs / speed).toFixed(4)} Python s) at ${speed} ms/s`);
      assert.ok(gilWaitMs / speed <= 0.04, `GIL wait ${gilWaitMs} ms at ${speed} ms a Python second`);
      // Not shown: these threads only sleep and print, and what they wait is the page's hand-overs, not Python's.
      assert.equal(shown, undefined, `a GIL wait of ${gilWaitMs} ms shown as ${shown}`);
      transcripts.push(panel.lines.map((l) => l.text));
      assert.ok(panel.laneStates['MainThread']?.includes('blocked'), 'join() blocks MainThread');
    }
    assert.deepEqual(transcripts[0], transcripts[1]);
    await shoot(page, 'classical');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('says why the first CPU-bound run on a page takes a moment to start, and only the first', async () => {
    const { page, problems } = await fx.open();
    // Every status the run shows, however briefly.
    const watch = () =>
      page.evaluate(() => {
        window.__statuses = [];
        const status = document.querySelector('[data-testid=run-status]');
        new MutationObserver(() => window.__statuses.push(status.textContent)).observe(status, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=0.2&speed=500`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await watch();
    const first = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=0.2&speed=500`);
    assert.equal(first.status, 'done', first.statusText);
    const seen = await page.evaluate(() => window.__statuses);
    assert.ok(seen.includes("measuring this computer's speed first…"), `statuses: ${JSON.stringify(seen)}`);
    assert.equal(seen.at(-1), 'finished');
    await watch();
    const second = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=0.2&speed=500`);
    assert.equal(second.status, 'done', second.statusText);
    const again = await page.evaluate(() => window.__statuses);
    assert.ok(!again.some((t) => t.startsWith('measuring')), `the speed is measured once a page: ${JSON.stringify(again)}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows one thread running at a time under the GIL, and overlap with processes', async () => {
    const { page, problems } = await fx.open();
    // "Running at once" as the run goes: a thread whose turn ended is not yet
    // known to have stopped until its report comes, and must not count beside the next.
    const midRun = [];
    const gil = await runDemo(page, `${fx.site.url}#/the-gil?threads=3&work=0.5&mode=gil&io=1&speed=400`, {
      during: () => watchRunning(page, midRun),
    });
    assert.equal(gil.status, 'done', gil.statusText);
    const [threads] = gil.panels;
    assert.equal(threads.maxRunning, 1, 'never two threads running at once');
    assert.ok(midRun.length >= 10 && midRun.every((n) => n <= 1), `running at once during the run: ${midRun.join(' ')}`);
    assert.deepEqual(threads.laneNames.slice(1), ['Thread-1 (countdown)', 'Thread-2 (countdown)', 'Thread-3 (countdown)', 'Thread-4 (io_loop)']);
    assert.ok(threads.laneStates['Thread-4 (io_loop)']?.includes('gil'), 'the I/O thread waits for the GIL (convoy)');
    // Its speedup comes from the I/O thread's sleeps overlapping the others' turns, not from the cores.
    assert.match(threads.speedupText ?? '', /^\d+\.\d\d× from overlapping waits$/);
    // Threads that compute show their GIL wait, as it is (the attribute is rounded to 0.01 ms).
    const gilSpeed = 400;
    assert.ok(threads.gilWaitText !== undefined, `a GIL wait of ${threads.gilWaitMs} ms is not shown`);
    assert.ok(Math.abs(Number.parseFloat(threads.gilWaitText) - threads.gilWaitMs / gilSpeed) <= 0.0051, `${threads.gilWaitText} shown for ${threads.gilWaitMs} ms`);
    // What is painted: each thread's row in the running green and the GIL's orange, MainThread's in the blocked red.
    const painted = await paintedColours(page);
    // Three threads taking turns each run about a third of the time, and are painted so.
    const share = (c) => c.running / (c.running + c.gil);
    for (const lane of ['Thread-1 (countdown)', 'Thread-2 (countdown)', 'Thread-3 (countdown)']) {
      assert.ok(share(painted[lane]) > 0.2 && share(painted[lane]) < 0.5, `${lane}: ${JSON.stringify(painted[lane])}`);
    }
    // MainThread runs a few pixels before its first join() and after its last.
    assert.ok(painted.MainThread.blocked > 50 && painted.MainThread.running < 10, `MainThread: ${JSON.stringify(painted.MainThread)}`);
    // A pointer over a bar says what it is.
    const tip = await hoverTip(page, 'Thread-2 (countdown)');
    assert.match(tip, /^Thread-2 \(countdown\): (running|waiting for the GIL|\d+ spans) .*from \d\.\d{3} s to \d\.\d{3} s/);
    await shoot(page, 'gil');
    // On a projector, turns of 1 ms of page time are thinner than a pixel: each of
    // two threads still shows running half of its bar (painted by the larger
    // state of each pixel, both showed waiting almost throughout).
    await page.setViewport({ width: 1280, height: 720 });
    const fast = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=1&mode=gil&speed=200`);
    assert.equal(fast.status, 'done', fast.statusText);
    const thin = await paintedColours(page);
    for (const lane of ['Thread-1 (countdown)', 'Thread-2 (countdown)']) {
      assert.ok(share(thin[lane]) > 0.3 && share(thin[lane]) < 0.7, `${lane} at speed=200: ${JSON.stringify(thin[lane])}`);
    }
    // While the run goes on, and once it is stopped (its workers' last reports
    // never come), the picture shows each thread's running as far as it was
    // reported: never two threads running at once. Turns of 20 ms are several
    // pixels wide, so a pixel shows one turn (shorter ones share pixels, painted
    // by each state's share of the bar); where one turn ends and the next
    // begins, a column may show both.
    const countdowns = ['Thread-1 (countdown)', 'Thread-2 (countdown)'];
    const longestStretch = (columns) => {
      let longest = 0;
      for (let i = 0, run = 0; i < columns.length; i++) {
        run = i > 0 && columns[i] === columns[i - 1] + 1 ? run + 1 : 1;
        longest = Math.max(longest, run);
      }
      return longest;
    };
    const overlaps = [];
    const stopped = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=2&mode=gil&interval=20&speed=1000`, {
      during: async () => {
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 110));
          overlaps.push(await paintedRunningTogether(page, countdowns));
        }
        await page.click('[data-testid=demo] [data-testid=stop]');
      },
    });
    assert.equal(stopped.status, 'stopped', stopped.statusText);
    const halted = await paintedColours(page);
    assert.ok(countdowns.every((lane) => halted[lane].running > 20), JSON.stringify(halted));
    overlaps.push(await paintedRunningTogether(page, countdowns));
    assert.ok(
      overlaps.every((columns) => longestStretch(columns) <= 2),
      `columns showing two threads running, as the run went and once stopped: ${overlaps.map((c) => c.join(' ')).join(' | ')}`,
    );
    const procsMidRun = [];
    const procs = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=1.5&mode=processes&speed=400`, {
      during: () => watchRunning(page, procsMidRun),
    });
    assert.equal(procs.panels[0].maxRunning, 2, 'processes run side by side');
    // While the run goes on too: processes computing for 0.6 s say nothing new
    // until they end, and count as running all the same; never more than ran.
    assert.ok(procsMidRun.includes(2) && procsMidRun.every((n) => n <= 2), `running at once during the run: ${procsMidRun.join(' ')}`);
    assert.equal(procs.panels[0].label, 'processes', 'the panel is named for what runs the countdowns');
    assert.match(procs.panels[0].speedupText ?? '', / on \d+ cores?$/);
    const free = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=0.5&mode=free-threaded&speed=400`);
    assert.equal(free.panels[0].maxRunning, 2, 'free-threaded threads run side by side');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('prints a page line for each URL and the exception for the unknown host', async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/futures-promises-example?speed=200`);
    assert.equal(run.status, 'done', run.statusText);
    const lines = run.panels[0].lines;
    const main = lines.filter((l) => l.lane === 'MainThread').map((l) => l.text).sort();
    assert.deepEqual(main, [
      "'http://europe.wsj.com/' page is 845126 bytes",
      "'http://some-made-up-domain.com/' generated an exception: <urlopen error [Errno -2] Name or service not known>",
      "'http://www.bbc.co.uk/' page is 318204 bytes",
      "'http://www.cnn.com/' page is 1127356 bytes",
      "'http://www.foxnews.com/' page is 302410 bytes",
    ]);
    const logging = lines.filter((l) => l.text.startsWith('LOGGING -> '));
    // The pool starts its threads one at a time, each taking the next URL: CPython prints them in the order of URLS.
    assert.deepEqual(
      logging.filter((l) => l.text.endsWith(': fetching....')).map((l) => `${l.lane} ${l.text.split(' - ')[1]}`),
      [
        "ThreadPoolExecutor-0_0 'http://www.foxnews.com/': fetching....",
        "ThreadPoolExecutor-0_1 'http://www.cnn.com/': fetching....",
        "ThreadPoolExecutor-0_2 'http://europe.wsj.com/': fetching....",
        "ThreadPoolExecutor-0_3 'http://www.bbc.co.uk/': fetching....",
        "ThreadPoolExecutor-0_4 'http://some-made-up-domain.com/': fetching....",
      ],
    );
    assert.equal(logging.filter((l) => / {2}got \d+ bytes$/.test(l.text)).length, 4);
    assert.ok(logging.every((l) => /^LOGGING -> \d+ - '/.test(l.text) && l.lane.startsWith('ThreadPoolExecutor-')));
    // as_completed: the quickest answer first, the unknown host's error quickest of all.
    assert.match(lines.find((l) => l.lane === 'MainThread').text, /some-made-up-domain/);
    await shoot(page, 'futures');

    const mapped = await runDemo(page, `${fx.site.url}#/futures-promises-example?consume=map&workers=2&pool=ProcessPoolExecutor&speed=200`);
    const mapLines = mapped.panels[0].lines.filter((l) => l.lane === 'MainThread').map((l) => l.text);
    assert.deepEqual(mapLines.slice(0, 4), [
      "'http://www.foxnews.com/' page is 302410 bytes",
      "'http://www.cnn.com/' page is 1127356 bytes",
      "'http://europe.wsj.com/' page is 845126 bytes",
      "'http://www.bbc.co.uk/' page is 318204 bytes",
    ]);
    assert.equal(mapLines.at(-1), 'urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>');
    assert.equal(mapped.status, 'failed', 'the program ended with an uncaught exception');
    assert.equal(mapped.panels[0].speedupText, undefined, 'no speedup for a program that did not run to its end');
    // Forked children have the parent's logging set-up, and the forking thread's ident.
    const childLogs = mapped.panels[0].lines.filter((l) => l.text.startsWith('LOGGING'));
    assert.ok(childLogs.length >= 5 && childLogs.every((l) => /^ForkProcess-\d$/.test(l.lane)), childLogs.map((l) => l.lane).join(','));
    assert.equal(new Set(childLogs.map((l) => l.text.split(' - ')[0])).size, 1, 'one ident: the thread that forked them');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('races the three models: only processes speed up CPU-bound jobs, asyncio keeps one lane', async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/introduction?kind=cpu&jobs=2&work=0.4&speed=500`);
    assert.equal(run.status, 'done', run.statusText);
    const [threads, processes, tasks] = run.panels;
    assert.equal(threads.maxRunning, 1);
    assert.equal(processes.maxRunning, 2);
    assert.equal(tasks.laneNames[0], 'MainThread');
    assert.equal(tasks.workers, 0, 'asyncio adds no thread');
    assert.equal(tasks.tasks, 3, 'main() and its two tasks');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.match(processes.speedupText ?? '', new RegExp(`^\\d+\\.\\d\\d× on ${cores} cores?$`));
    assert.match(tasks.speedupText ?? '', / on one thread$/);
    await shoot(page, 'models');
    const io = await runDemo(page, `${fx.site.url}#/introduction?kind=io&jobs=3&work=0.5&speed=400`);
    for (const panel of io.panels.slice(0, 2)) {
      assert.ok(panel.speedup > 2, `${panel.label}: I/O-bound jobs overlap (speedup ${panel.speedup})`);
      // Their speedup comes from waiting side by side, not from the cores.
      assert.match(panel.speedupText ?? '', /^\d+\.\d\d× from overlapping waits$/, panel.label);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('creates one thread per job by hand and max_workers threads in a pool', async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/multithreading-multiprocessing?jobs=6&workers=2&work=0.3&speed=300`);
    assert.equal(run.status, 'done', run.statusText);
    const [manual, pool] = run.panels;
    assert.equal(manual.workers, 6);
    assert.equal(pool.workers, 2);
    assert.equal(manual.lines.at(-1).text, '6 threads created');
    assert.equal(pool.lines.at(-1).text, '2 threads created');
    assert.equal(pool.lines.filter((l) => l.text.endsWith(' done')).length, 6);
    await shoot(page, 'pools');
    // A pool of one thread: one lane did all the work, nothing overlapped, and no speedup is claimed.
    const one = await runDemo(page, `${fx.site.url}#/multithreading-multiprocessing?jobs=3&workers=1&work=0.1&speed=300`);
    assert.equal(one.status, 'done', one.statusText);
    assert.match(one.panels[0].speedupText ?? '', / from overlapping waits$/, 'one thread per job');
    assert.equal(one.panels[1].speedupText, undefined, `a pool of one thread: ${one.panels[1].speedupText}`);
    // Sixteen jobs of 10 ms, shorter than a frame of the page drawing sixteen lanes: the
    // main thread carries on when the last thread ended, not when the page, busy drawing,
    // heard of it, and the run ends there. Before, it ended 0.1-0.3 Python s later, and the
    // pool was called fastest where CPython's one thread per job is (0.053 s against 0.103 s).
    const short = await runDemo(page, `${fx.site.url}#/multithreading-multiprocessing?jobs=16&workers=8&work=0.05&speed=200`);
    assert.equal(short.status, 'done', short.statusText);
    // 10 ms jobs: the page says its own milliseconds are a large share of them.
    assert.match(await page.$eval('[data-testid=short-work-note]', (n) => n.textContent), /^A job lasts 10 ms of page time at this speed/);
    const [byHand] = short.panels;
    const lastDone = Math.max(...byHand.lines.filter((l) => l.text.endsWith(' done')).map((l) => l.at));
    const created = byHand.lines.find((l) => l.text === '16 threads created');
    assert.ok(created.at - lastDone <= 0.02, `'16 threads created' at ${created.at} s, the last job done at ${lastDone} s`);
    assert.ok(byHand.wallMs / 200 <= created.at + 0.02, `the run took ${byHand.wallMs / 200} s, its last line came at ${created.at} s`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('freezes the heartbeat with a blocking sleep and not with to_thread', async () => {
    const { page, problems } = await fx.open();
    // "1012 ms", or "none over 100 ms".
    const freeze = () => page.$eval('[data-testid=heartbeat-freeze]', (e) => (e.textContent.startsWith('none') ? 0 : Number.parseFloat(e.textContent)));
    let blocked = 0;
    let offloaded = 0;
    const run = await runDemo(page, `${fx.site.url}#/async-i-o?tasks=2&seconds=5&speed=400`, {
      during: async () => {
        await new Promise((r) => setTimeout(r, 300));
        await page.click('[data-testid=blocking-sleep]');
        await new Promise((r) => setTimeout(r, 700));
        blocked = await freeze();
        await page.click('[data-testid=to-thread-sleep]');
        await new Promise((r) => setTimeout(r, 700));
        offloaded = await freeze();
      },
    });
    assert.equal(run.status, 'done', run.statusText);
    console.log(`figures: heartbeat froze ${blocked.toFixed(0)} ms for time.sleep(1) on the loop, ${offloaded.toFixed(0)} ms for to_thread (400 ms a Python second)`);
    assert.ok(blocked >= 300, `a blocking time.sleep(1) at 400 ms a second froze the page ${blocked} ms`);
    assert.ok(offloaded < blocked / 2, `to_thread froze it ${offloaded} ms`);
    const [panel] = run.panels;
    assert.ok(panel.lines.filter((l) => l.text.endsWith('tick')).every((l) => l.lane === 'MainThread'));
    assert.ok(panel.laneNames.includes('asyncio_0'), 'to_thread ran on the default executor');
    assert.ok(panel.laneStates['MainThread']?.includes('blocked'));
    // main() only sleeps, as its code says: its task is one sleep from start to
    // end, and each button press is a task of its own (Task-4 and Task-5).
    assert.deepEqual(panel.laneNames.filter((n) => n.startsWith('Task-')), ['Task-1', 'Task-2', 'Task-3', 'Task-4', 'Task-5']);
    await page.$eval('[data-testid=timeline-table] summary', (s) => s.parentElement.open || s.click());
    await page.waitForSelector('[data-testid=timeline-table][open] tbody tr');
    const rows = Object.fromEntries(await page.$$eval('[data-testid=timeline-table] tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])));
    const sleeps = [...rows['Task-1'].matchAll(/sleeping \/ in I\/O (\d+\.\d+)–(\d+\.\d+) s/g)];
    assert.equal(sleeps.length, 1, `main's task: ${rows['Task-1']}`);
    assert.ok(Number(sleeps[0][2]) - Number(sleeps[0][1]) > 4.9, `main sleeps the whole run: ${rows['Task-1']}`);
    assert.match(rows['Task-4'], /^running /, `the blocking sleep is a task that runs: ${rows['Task-4']}`);
    await shoot(page, 'async-io');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('runs the title race, stops a run midway, and explains bad parameters', async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/parallel-execution`);
    assert.equal(run.status, 'done', run.statusText);
    assert.equal(run.panels.length, 3);
    await shoot(page, 'title');

    await page.goto(`${fx.site.url}#/the-gil?threads=4&work=5&speed=1000`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=timeline-canvas]')?.dataset.drawn) > 3, { timeout: 20_000 });
    await page.click('[data-testid=stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status === 'stopped');
    const stopped = await readDemo(page);
    assert.ok(stopped.panels[0].drawn > 0, 'the partial trace is kept');
    assert.equal(await page.$$eval('[data-testid=speed-note]', (n) => n.length), 0, 'no note on the speed at 1000 ms a second');

    // At 10 ms a Python second, a millisecond of the browser's is a tenth of a Python second: said under the figures.
    await page.goto(`${fx.site.url}#/futures-promises-example?speed=10`);
    await page.waitForSelector('[data-testid=speed-note]');
    assert.match(await page.$eval('[data-testid=speed-note]', (n) => n.textContent), /^At 10 ms a Python second, .* counts as 0\.1 Python s: /);
    // A race at that speed names no winner (a frame of the page's is 2 Python s there), and says why above its bars.
    const fast = await runDemo(page, `${fx.site.url}#/parallel-execution?kind=io&jobs=8&speed=10`);
    assert.equal(fast.status, 'done', fast.statusText);
    assert.equal(await page.$$eval('[data-testid=race-fastest]', (n) => n.length), 0, 'no fastest at 10 ms a second');
    const [noteTop, raceTop] = await page.$$eval('[data-testid=speed-note], [data-testid=runs]', (els) => els.map((e) => e.getBoundingClientRect().top));
    assert.ok(noteTop < raceTop, `the note (${noteTop}) comes before the race (${raceTop})`);
    assert.match(await page.$eval('[data-testid=speed-note]', (n) => n.textContent), /So the race names no part fastest\.$/);

    await page.goto(`${fx.site.url}#/asyncio-example?jobs=1,banana&speed=5&colour=red`);
    await page.waitForSelector('[data-testid=demo-notice]');
    const notices = await page.$$eval('[data-testid=demo-notice]', (els) => els.map((e) => e.textContent));
    assert.equal(notices.length, 3, notices.join(' | '));
    assert.equal(await page.$eval('[data-testid=param-jobs]', (e) => e.value), '5,2,1,3');
    // Said, and then the address carries what the demo uses: a link shared from here runs what this page runs.
    await page.waitForFunction(() => location.hash === '#/asyncio-example?jobs=5,2,1,3&speed=1000', { timeout: 5_000 })
      .catch(async () => assert.fail(`the address still says ${await page.evaluate(() => location.hash)}`));
    assert.equal((await page.$$eval('[data-testid=demo-notice]', (els) => els.length)), 3, 'the notices stay');
    await page.$eval('[data-testid=param-jobs]', (e) => { e.focus(); e.select(); });
    await page.keyboard.type('1, -2');
    await page.waitForSelector('[data-testid=param-error]');
    assert.equal(await page.$eval('[data-testid=run]', (b) => b.disabled), true, 'nothing runs on invalid input');
    // The address says what the field shows (not `jobs=1`, the last valid text on the way), so a shared link or a reload tells what is wrong.
    await page.waitForFunction(() => location.hash.includes('jobs=1,%20-2'), { timeout: 5_000 }).catch(() => {});
    assert.match(await page.evaluate(() => location.hash), /[?&]jobs=1,%20-2(&|$)/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('lights the line each lane is at, in the code shown and on the slide', async () => {
    const { page, problems } = await fx.open();
    /** Every line lit under `root` while the demo runs, by its text. */
    const litWhileRunning = async (url, root) => {
      const seen = new Set();
      await runDemo(page, url, {
        during: async () => {
          while ((await page.$eval('[data-testid=demo]', (d) => d.dataset.status)) === 'running') {
            const lit = await page.$$eval(`${root} [data-testid=code] .line[data-active]`, (ls) => ls.map((l) => l.textContent.trim()));
            lit.forEach((line) => seen.add(line));
            await new Promise((r) => setTimeout(r, 40));
          }
        },
      });
      return [...seen];
    };
    const gil = await litWhileRunning(`${fx.site.url}#/the-gil?threads=2&work=1&io=1&speed=600`, '[data-testid=demo]');
    for (const line of gil) {
      assert.ok(['n -= 1', 'w.start()', 'w.join()', 'time.sleep(0.1)   # releases the GIL', 'countdown(N // 1000)'].includes(line), `lit: ${line}`);
    }
    assert.ok(gil.includes('n -= 1') && gil.includes('w.join()'), `lit: ${gil.join(' | ')}`);
    // The classical demo runs the slide's own code: the slide lights up.
    const classical = await litWhileRunning(`${fx.site.url}#/classical-method-example?speed=150`, '[data-testid=slide]');
    const statements = ["print('%s: %3d' % (self.name, i))", 'sleep(randint(1, 3))', 'thread.start()', 'thread2.start()', 'thread.join()', 'thread2.join()'];
    for (const line of classical) assert.ok(statements.includes(line), `lit: ${line}`);
    assert.ok(classical.includes('sleep(randint(1, 3))') && classical.includes('thread.join()'), `lit: ${classical.join(' | ')}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("draws a forked pool's processes that get no call as CPython's: up within milliseconds, then idle", async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/futures-promises-example?pool=ProcessPoolExecutor&workers=8&speed=200`);
    assert.equal(run.status, 'done', run.statusText);
    await page.$eval('[data-testid=timeline-table] summary', (s) => s.parentElement.open || s.click());
    await page.waitForSelector('[data-testid=timeline-table][open] tbody tr');
    const rows = Object.fromEntries(await page.$$eval('[data-testid=timeline-table] tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])));
    // Eight processes forked for five URLs: the last three wait in their loop.
    for (const name of ['ForkProcess-6', 'ForkProcess-7', 'ForkProcess-8']) {
      const starting = /starting (?:at (\d+\.\d+)|(\d+\.\d+)–(\d+\.\d+)) s/.exec(rows[name] ?? '');
      assert.ok(starting, `${name}: ${rows[name]}`);
      const until = Number(starting[1] ?? starting[3]);
      assert.ok(until <= 0.05, `${name} is shown starting until ${until} s: ${rows[name]}`);
      assert.doesNotMatch(rows[name], /running|sleeping|in I\/O/, `${name} took no call: ${rows[name]}`);
    }
    assert.equal(run.panels[0].inFlight, 5, 'five calls in flight, one a URL');
    assert.deepEqual(problems, []);
    await page.close();
  });

  // Tables whose finish times differ by 5% or more: CPython's order is then not a matter of luck.
  const TABLES = {
    default: null,
    queued: ['http://a.com/ 0.4 100', 'http://b.com/ 0.25 200', 'http://c.com/ 0.6 300', 'http://d.com/ 0.1 unknown',
      'http://e.com/ 0.3 500', 'http://f.com/ 0.5 600', 'http://g.com/ 0.15 700'].join('\n'),
  };
  const DEFAULT_TABLE = ['http://www.foxnews.com/ 0.8 302410', 'http://www.cnn.com/ 0.5 1127356', 'http://europe.wsj.com/ 1.1 845126',
    'http://www.bbc.co.uk/ 0.3 318204', 'http://some-made-up-domain.com/ 0.05 unknown'].join('\n');
  for (const [name, table, workers, pool, consume, start] of [
    ['default', TABLES.default, 5, 'ThreadPoolExecutor', 'as_completed', 'fork'],
    ['queued', TABLES.queued, 3, 'ThreadPoolExecutor', 'as_completed', 'fork'],
    ['queued', TABLES.queued, 3, 'ThreadPoolExecutor', 'map', 'fork'],
    ['queued', TABLES.queued, 2, 'ProcessPoolExecutor', 'as_completed', 'fork'],
    ['queued', TABLES.queued, 2, 'ProcessPoolExecutor', 'map', 'spawn'],
  ]) {
    it(`prints what CPython prints, when CPython prints it: the ${name} table on ${workers} ${pool} workers (${start}), ${consume}`, async () => {
      const speed = 200;
      const query = new URLSearchParams({ workers: String(workers), pool, consume, start, speed: String(speed) });
      if (table) query.set('urls', table);
      const expected = python('futures_example.py', deck, table ?? DEFAULT_TABLE, String(workers), pool, consume, start)
        .trim().split('\n').map((l) => JSON.parse(l));
      const same = (text) => text.replace(/^LOGGING -> \d+ - /, 'LOGGING -> N - ');
      // What CPython writes to stdout: the program's prints, its logging, and the last line of an
      // uncaught exception's traceback (the traceback's frames and the children's own errors go to stderr).
      const mainTraceback = (ls) => {
        const at = ls.findIndex((l) => l.lane === 'MainThread' && /^(Traceback \(most recent call last\)|concurrent\.futures\.process\._RemoteTraceback):$/.test(l.text));
        return at < 0 ? [] : ls.slice(at);
      };
      const stderr = (l, ls) => /^SpawnProcess-/.test(l.lane ?? '') || (mainTraceback(ls).includes(l) && l !== ls[ls.length - 1]);
      const printed = (ls) => ls.map((l) => same(l.text)).filter((t) => !t.startsWith('LOGGING'));
      // The order and times depend on the machine's load as well as on the demo: on a
      // loaded 2-core machine, builds that passed otherwise missed them in about one
      // run in three. A miss gets one more run on a fresh page; both are reported.
      const misses = [];
      for (let attempt = 1; ; attempt++) {
        const { page, problems } = await fx.open();
        const run = await runDemo(page, `${fx.site.url}#/futures-promises-example?${query.toString().replace(/\+/g, '%20')}`);
        // map meets the unknown host's error (or the broken pool's) and ends the program, as CPython's ends.
        if (consume === 'map') assert.match(run.statusText, /^failed: the program ended with an uncaught (urllib\.error\.URLError|concurrent\.futures\.process\.BrokenProcessPool); its traceback is in the console$/);
        else assert.equal(run.status, 'done', run.statusText);
        const lines = run.panels[0].lines.filter((l, _, all) => !stderr(l, all));
        assert.deepEqual(lines.map((l) => same(l.text)).sort(), expected.map((l) => same(l.text)).sort(), 'the same lines, logging included');
        if (start === 'spawn') {
          const children = run.panels[0].lines.filter((l) => /^SpawnProcess-/.test(l.lane));
          // The child's traceback and the main thread's are CPython's, the standard library's frames
          // counted (CPython with one worker, whose child's lines no other child's interleave with).
          const ran = spawnSync('python3', [path.join(here, 'python', 'futures_example.py'), deck, table ?? DEFAULT_TABLE, '1', pool, consume, start], { encoding: 'utf8' });
          const [child, main] = tracebacks(ran.stderr, 'futures_example.py');
          const first = children.filter((l) => l.lane === children[0]?.lane).map((l) => l.text.trimEnd());
          assert.deepEqual(first, child, first.join('\n'));
          assert.ok(first.includes("            if __name__ == '__main__':"), 'the child says what the program lacks');
          if (consume === 'map') assert.deepEqual(mainTraceback(run.panels[0].lines).map((l) => l.text.trimEnd()), main);
          // The parent learns of the pool's breaking from the child that died: its error comes first.
          const all = run.panels[0].lines;
          const firstBroken = all.findIndex((l) => /terminated abruptly|BrokenProcessPool/.test(l.text));
          assert.ok(all.indexOf(children[0]) < firstBroken, all.map((l) => `${l.at} ${l.lane}: ${l.text}`).join('\n'));
          assert.equal(run.panels[0].speedupText, undefined, 'no speedup for calls that never ran');
        }
        assert.deepEqual(problems, []);
        await page.close();
        let miss = null;
        if (start === 'spawn') {
          // The pool breaks once a child has started (44 ms of CPU under CPython here),
          // imported the program (24 ms) and died of it: never before, and about when
          // CPython's did (its children share the cores for all of it, as the page's do).
          const broken = (ls) => ls.find((l) => /terminated abruptly|BrokenProcessPool/.test(l.text))?.at;
          const [got, want] = [broken(lines), broken(expected)];
          console.log(`figures: futures on ${workers} spawned processes at ${speed} ms/s: the pool broke at ${got} Python s, CPython's at ${want}`);
          assert.ok(got >= 0.068, `the pool broke at ${got} s, before a child could have started and imported the program`);
          if (got > want + 0.2) miss = `the pool broke at ${got} s, CPython's at ${want} s`;
        }
        if (!miss && JSON.stringify(printed(lines)) !== JSON.stringify(printed(expected))) {
          miss = `the main thread printed ${JSON.stringify(printed(lines))}, CPython ${JSON.stringify(printed(expected))}`;
        }
        // The times of every line are compared where the workers are threads or forked
        // processes. The first lines (the workers' first fetches) come within 0.05 Python s of
        // CPython's; later ones within 0.2 s (40 ms here), as the page's one thread also
        // draws the run meanwhile.
        const timed = start === 'fork';
        const unused = timed ? [...lines] : [];
        let worst = 0;
        for (const want of timed ? expected : []) {
          const k = unused.findIndex((l) => same(l.text) === same(want.text));
          const got = unused.splice(k, 1)[0];
          const off = Math.abs(got.at - want.at);
          worst = Math.max(worst, off);
          const within = want.at < 0.01 ? 0.05 : 0.2;
          if (!miss && off > within) miss = `${want.text}: at ${got.at.toFixed(3)} s, CPython at ${want.at.toFixed(3)} s`;
        }
        if (timed) console.log(`figures: futures at ${speed} ms/s on ${pool}: lines at most ${worst.toFixed(3)} Python s from CPython's times`);
        if (!miss) break;
        misses.push(`run ${attempt}: ${miss}`);
        if (attempt === 2) assert.fail(misses.join('; '));
      }
    });
  }

  it("keeps a run's figures at its own speed, and says what made it once the parameters differ", async () => {
    const { page, problems } = await fx.open();
    const run = await runDemo(page, `${fx.site.url}#/the-gil?threads=2&work=0.5&speed=400`);
    assert.equal(run.status, 'done', run.statusText);
    assert.equal(await page.$$eval('[data-testid=ran-with]', (n) => n.length), 0, 'the parameters are the run\'s');
    const wall = run.panels[0].wallText;
    // Another speed typed in: the run's figures stay its own.
    if (!(await page.$eval('[data-testid=params]', (d) => d.open))) await page.click('[data-testid=params-summary]');
    await page.waitForSelector('[data-testid=param-speed]', { visible: true });
    await page.$eval('[data-testid=param-speed]', (e) => { e.focus(); e.select(); });
    await page.keyboard.type('800');
    await page.waitForSelector('[data-testid=ran-with]');
    assert.match(await page.$eval('[data-testid=ran-with]', (n) => n.textContent), /^This run was made with threads=2 .*speed=400; Run uses the parameters above\.$/);
    assert.equal((await readDemo(page)).panels[0].wallText, wall, 'the wall time as it was');
    // A link to the same slide with other parameters: the kept run says what made it.
    await page.goto(`${fx.site.url}#/the-gil?threads=3&work=0.5&speed=400`);
    await page.waitForFunction(() => document.querySelector('[data-testid=param-threads]')?.value === '3');
    await page.waitForSelector('[data-testid=ran-with]');
    assert.match(await page.$eval('[data-testid=ran-with]', (n) => n.textContent), /made with threads=2 /);
    assert.equal((await readDemo(page)).panels[0].wallText, wall);
    // Run again: the new run's parameters are the fields', and the line goes.
    const again = await runDemo(page, `${fx.site.url}#/the-gil?threads=3&work=0.5&speed=400`);
    assert.equal(again.panels[0].laneNames.filter((n) => n.startsWith('Thread-')).length, 3);
    assert.equal(await page.$$eval('[data-testid=ran-with]', (n) => n.length), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('runs from the keyboard: R runs and stops, focus goes Run to Stop and back, Enter in a field runs, Esc leaves it', async () => {
    const { page, problems } = await fx.open();
    const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
    const waitStatus = (want) =>
      page.waitForFunction((w) => document.querySelector('[data-testid=demo]').dataset.status === w, { timeout: 30_000 }, want);
    await page.goto(`${fx.site.url}#/the-gil?threads=2&work=3&speed=1000`);
    await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
    await page.focus('[data-testid=run]');
    await page.keyboard.press('Enter');
    await waitStatus('running');
    assert.equal(await focused(), 'stop', 'Run hands the focus to Stop');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await focused(), 'stop', 'the focus stays on Stop while the run goes on');
    await page.keyboard.press('r');
    await waitStatus('stopped');
    assert.equal(await focused(), 'run', 'the focus is back on Run');
    await page.keyboard.press('r');
    await waitStatus('running');
    await page.keyboard.press('r');
    await waitStatus('stopped');
    // Once run, the parameters fold into one line; a click opens them again.
    assert.equal(await page.$eval('[data-testid=params]', (d) => d.open), false, 'the parameters fold after a run');
    assert.match(await page.$eval('[data-testid=params-summary]', (s) => s.textContent), /threads=2 · work=3/);
    await page.click('[data-testid=params-summary]');
    await page.waitForFunction(() => document.querySelector('[data-testid=params]').open);
    // In a field, R is a letter: it types, it does not run.
    await page.focus('[data-testid=param-work]');
    await page.$eval('[data-testid=param-work]', (field) => field.select());
    await page.keyboard.type('0.2');
    await page.keyboard.press('r');
    assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.status), 'stopped');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await waitStatus('done');
    await page.click('[data-testid=params-summary]');
    await page.focus('[data-testid=param-threads]');
    await page.keyboard.press('Escape');
    assert.equal(await focused(), 'BODY', 'Esc leaves the field');
    // Reset leaves no run to show: the parameters are open again, the demo's words above them.
    await page.click('[data-testid=params-summary]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=params]').open);
    await page.click('[data-testid=reset]');
    await waitStatus('idle');
    assert.equal(await page.$eval('[data-testid=params]', (d) => d.open), true, 'the parameters open after Reset');
    assert.equal(await page.$$eval('[data-testid=demo] > .hint.intro', (i) => i.length), 1);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('runs the pools program as CPython runs the code it shows: the same lines, at the same times', async () => {
    const { page, problems } = await fx.open();
    const speed = 300;
    const run = await runDemo(page, `${fx.site.url}#/multithreading-multiprocessing?jobs=6&workers=2&work=0.3&speed=${speed}`);
    assert.equal(run.status, 'done', run.statusText);
    const shown = await page.$eval('[data-testid=demo] [data-testid=code]', (c) => c.textContent);
    const expected = execFileSync('python3', [path.join(here, 'python', 'run_shown.py'), String(speed / 1000)], { input: shown, encoding: 'utf8' })
      .trim().split('\n').map((l) => JSON.parse(l));
    const lines = run.panels.flatMap((p, panel) => p.lines.map((l) => ({ ...l, panel })));
    assert.deepEqual(lines.map((l) => l.text).sort(), expected.map((l) => l.text).sort(), 'the same lines');
    const counts = expected.filter((l) => l.text.endsWith('threads created')).map((l) => l.text);
    assert.deepEqual(lines.filter((l) => l.text.endsWith('threads created')).map((l) => l.text), counts);
    // The page times each panel from its own start; CPython's second part starts when the first ends.
    const firstEnd = expected.find((l) => l.text.endsWith('threads created')).at;
    const unused = [...lines];
    for (const [k, want] of expected.entries()) {
      const second = k > expected.findIndex((l) => l.text.endsWith('threads created'));
      const at = second ? want.at - firstEnd : want.at;
      const found = unused.findIndex((l) => l.text === want.text && l.panel === (second ? 1 : 0));
      const got = unused.splice(found, 1)[0];
      assert.ok(Math.abs(got.at - at) <= 0.15, `${want.text}: at ${got.at.toFixed(3)} s, CPython at ${at.toFixed(3)} s`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('never claims more speedup than the cores: 4 CPU-bound processes on this machine', async () => {
    const { page, problems } = await fx.open();
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const run = await runDemo(page, `${fx.site.url}#/the-gil?threads=4&work=0.5&mode=processes&speed=400`);
    assert.equal(run.status, 'done', run.statusText);
    const [panel] = run.panels;
    assert.ok(panel.speedup <= cores + 0.1, `speedup ${panel.speedup} on ${cores} cores`);
    assert.ok(panel.speedup > 1, `processes ran side by side (speedup ${panel.speedup})`);
    const axes = await page.$$eval('[data-testid=timeline]', (t) => t.map((f) => f.dataset.axisMs));
    assert.equal(new Set(axes).size, 1, 'one axis');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('draws the panels of one race on one time axis', async () => {
    // Which model wins depends on the cores being free while it runs: on this shared
    // 2-core machine a burst of other work once slowed the processes 2.3x (0.70 s for
    // 0.3 s jobs) after the threads' panel. A run where they do not win gets one more
    // run on a fresh page; both are reported. Everything else holds on every run.
    const misses = [];
    for (let attempt = 1; ; attempt++) {
      const { page, problems } = await fx.open();
      const run = await runDemo(page, `${fx.site.url}#/introduction?kind=cpu&jobs=2&work=0.3&speed=500`);
      assert.equal(run.status, 'done', run.statusText);
      const axes = await page.$$eval('[data-testid=timeline]', (t) => t.map((f) => Number(f.dataset.axisMs)));
      assert.equal(axes.length, 3);
      assert.equal(new Set(axes).size, 1, `the three panels share one axis: ${axes.join(', ')}`);
      const longest = Math.max(...run.panels.map((p) => p.wallMs));
      assert.ok(axes[0] >= longest, `the axis covers the longest run (${axes[0]} >= ${longest})`);
      // Above the panels, the race: a bar per panel on the same axis, with its wall time.
      const race = await page.$$eval('[data-testid=race-row]', (rows) => rows.map((r) => {
        const track = r.querySelector('.race-track');
        const inner = track.clientWidth - parseFloat(getComputedStyle(track).paddingRight);
        return {
          name: r.dataset.name,
          wallMs: Number(r.dataset.wallMs),
          share: r.querySelector('.race-bar').getBoundingClientRect().width / inner,
          figure: r.querySelector('[data-testid=race-figure]').textContent,
          fastest: !!r.querySelector('[data-testid=race-fastest]'),
        };
      }));
      assert.deepEqual(race.map((r) => r.name), ['threads', 'processes', 'asyncio tasks']);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      for (const [i, row] of race.entries()) {
        const panel = run.panels[i];
        assert.ok(Math.abs(row.wallMs - panel.wallMs) < 0.2, `${row.name}: the race says ${row.wallMs} ms, its panel ${panel.wallMs} ms`);
        assert.ok(Math.abs(row.share - row.wallMs / axes[0]) < 0.01, `${row.name}: a bar of ${row.share.toFixed(3)} of the axis for ${row.wallMs} of ${axes[0]} ms`);
        // The figure is the panel's wall time in Python seconds, as the panel shows it (the
        // attribute read here is rounded to 0.1 ms, so its last digit may differ from the page's).
        assert.ok(Math.abs(Number.parseFloat(panel.wallText) - panel.wallMs / 500) <= 0.0052, `${row.name}: ${panel.wallText} for ${panel.wallMs} ms`);
        const figure = panel.speedupText ? `${panel.wallText} · ${panel.speedupText}` : panel.wallText;
        assert.equal(row.figure, figure, `${row.name}: the race's figure and its panel's`);
      }
      // At most one winner, and only the quickest.
      const marked = race.filter((r) => r.fastest);
      assert.ok(marked.length <= 1, JSON.stringify(race));
      if (marked.length) assert.equal(marked[0].wallMs, Math.min(...race.map((r) => r.wallMs)), JSON.stringify(race));
      assert.deepEqual(problems, []);
      await page.close();
      // Two CPU-bound jobs: on two cores or more the processes win, by far.
      if (cores < 2 || JSON.stringify(race.map((r) => r.fastest)) === JSON.stringify([false, true, false])) break;
      misses.push(`run ${attempt}: ${race.map((r) => `${r.name} ${r.figure}${r.fastest ? ' (fastest)' : ''}`).join(', ')}`);
      console.log(`figures: the processes did not win the race: ${misses.at(-1)}`);
      if (attempt === 2) assert.fail(`the processes did not win: ${misses.join('; ')}`);
    }
  });

  for (const link of [
    '#/introduction?kind=cpu&jobs=2&work=0.1&speed=200',
    '#/introduction?kind=io&jobs=3&work=0.2&speed=200',
    '#/the-gil?threads=2&work=0.1&io=1&speed=200',
    '#/the-gil?threads=2&work=0.1&mode=processes&speed=200',
    '#/async-i-o?tasks=2&seconds=2&speed=500',
  ]) {
    it(`shows a program CPython runs and prints what it prints: ${link}`, async () => {
      const { page, problems } = await fx.open();
      const run = await runDemo(page, `${fx.site.url}${link}`);
      assert.equal(run.status, 'done', run.statusText);
      const shown = await page.$eval('[data-testid=demo] [data-testid=code]', (c) => c.textContent);
      // time.sleep is scaled; asyncio's sleeps run at full length (two seconds here).
      const out = execFileSync('python3', [path.join(here, 'python', 'run_shown.py'), '0.2'], { input: shown, encoding: 'utf8' });
      const expected = out.trim() ? out.trim().split('\n').map((l) => JSON.parse(l).text) : [];
      const printed = run.panels.flatMap((p) => p.lines.map((l) => l.text));
      assert.deepEqual(printed.sort(), expected.sort());
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
