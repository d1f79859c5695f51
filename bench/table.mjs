// The benchmark's tables, one per browser, from the lines scripts/bench.sh
// gathered round by round:
//   runtime <browser> <round> {…}   the app's runtime, from tests/figures.rs
//   pages <browser> <round> {…}     first loads and the JS anchors, from bench/round.mjs
// Each measure stands beside its anchor measured in the same round; a ratio is
// taken round by round (app over anchor, both from that round), then its
// min / median / max over the rounds. A budget is "met" when every round meets
// it, "median only" when the median does but some round does not.
//   node bench/table.mjs FIGURES_FILE
import { readFileSync } from 'node:fs';

const KB = 1000;

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/table.mjs FIGURES_FILE');
  process.exit(2);
}

/** rounds[browser][round] = { runtime, pages } */
const rounds = {};
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const m = line.match(/^(runtime|pages) (\w+) (\d+) (\{.*\})$/);
  if (!m) continue;
  const [, kind, browser, round, json] = m;
  ((rounds[browser] ??= {})[round] ??= {})[kind] = JSON.parse(json);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const spread = (xs) => (xs.length ? { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) } : null);

/** A figure with as many decimals as its size wants. */
function num(x, decimals) {
  if (!Number.isFinite(x)) return '—';
  const d = decimals ?? (Math.abs(x) < 1 ? 3 : Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0);
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
const cell = (s, decimals, unit = '') => (s ? [s.min, s.median, s.max].map((x) => num(x, decimals)).join(' / ') + unit : '—');

/** "met", "median only" or "not met": whether `ok(value)` holds in every round, at the median, or not. */
function verdict(values, ok) {
  if (!values.length) return 'not measured';
  if (values.every(ok)) return 'met';
  return ok(median(values)) ? 'median only' : 'not met';
}

function tables(browser, byRound) {
  const all = Object.values(byRound);
  const both = all.filter((r) => r.runtime && r.pages);
  const runtimeRounds = all.filter((r) => r.runtime);
  const pagesRounds = all.filter((r) => r.pages);
  const loads = (site) => pagesRounds.flatMap((r) => r.pages[site].loads);
  // A round's paint is the median of its loads of that app.
  const fcp = (r, site) => median(r.pages[site].loads.map((l) => l.fcpMs));
  const drawn = (r, site) => median(r.pages[site].loads.map((l) => l.drawnMs));
  const demoDrawn = (r) => median(r.pages.app.loads.map((l) => l.thenMs));

  const rows = [];
  /**
   * A measure beside its anchor, both as round → value functions over rounds
   * that have what they need; `ratio` says whether to divide them, `budget`
   * is [text, test of the ratio or of the app's value].
   */
  const row = (label, inRounds, app, anchorLabel, anchor, { decimals, unit = '', ratio = true, budget, on = 'ratio' }) => {
    const a = inRounds.map(app);
    const b = anchor ? inRounds.map(anchor) : [];
    const ratios = ratio && anchor ? inRounds.map((r) => app(r) / anchor(r)) : [];
    const tested = on === 'ratio' ? ratios : a;
    rows.push([
      label,
      cell(spread(a), decimals, unit),
      anchor ? `${anchorLabel}: ${cell(spread(b), decimals, unit)}` : '—',
      ratios.length ? cell(spread(ratios), 2, 'x') : '—',
      budget ? budget[0] : '—',
      budget ? verdict(tested, budget[1]) : '—',
    ]);
  };

  const firstBytes = (r, site) => r.pages[site].loads[0].bytes / KB;
  row('first-load bytes to the first slide, gzip -9 (KB)', pagesRounds, (r) => firstBytes(r, 'app'), 'Yew hello', (r) => firstBytes(r, 'hello'), {
    decimals: 1,
    budget: ['app ≤ 150 KB', (kb) => kb <= 150],
    on: 'app',
  });
  row('then the demos\' module, asked for once the slide is drawn (KB)', pagesRounds, (r) => r.pages.app.loads[0].laterBytes / KB, '', null, {
    decimals: 1,
  });
  row('fetched after load by the service worker (KB)', pagesRounds, (r) => r.pages.app.loads[0].backgroundBytes / KB, '', null, {
    decimals: 1,
  });
  row('first contentful paint (ms)', pagesRounds, (r) => fcp(r, 'app'), 'Yew hello', (r) => fcp(r, 'hello'), {
    budget: ['≤ 1.5x', (x) => x <= 1.5],
  });
  row('app drawn: its first slide in the page (ms)', pagesRounds, (r) => drawn(r, 'app'), 'Yew hello', (r) => drawn(r, 'hello'), {});
  row('the demo pane drawn, its Run button in the page (ms)', pagesRounds, demoDrawn, '', null, {});
  // Long tasks are counted per load (several loads of each app a round), not per round.
  const source = loads('app')[0]?.longTaskSource ?? '';
  const counts = (site) => loads(site).map((l) => l.longTasks.length);
  const longest = (site) => Math.max(0, ...loads(site).flatMap((l) => l.longTasks));
  rows.push([
    `long tasks > 50 ms while loading, per load${source === 'timer probe' ? ' (timer probe)' : ''}`,
    `${cell(spread(counts('app')), 0)} (longest ${num(longest('app'), 0)} ms)`,
    `Yew hello: ${cell(spread(counts('hello')), 0)} (longest ${num(longest('hello'), 0)} ms)`,
    '—',
    'app 0',
    verdict(counts('app'), (n) => n === 0),
  ]);
  // The runtime's figures come from the test runner's page, which wraps every
  // worker (a console shim inside, a listener outside). Its budgets are read
  // against the same JS anchors measured in that page (`runtime.anchors`); the
  // anchors in a page of their own follow, to show what the wrapping costs.
  const same = runtimeRounds.filter((r) => r.runtime.anchors);
  const rt = (r) => r.runtime.round_trip_ms;
  // The round trip is read against anchors taken in turns with it (blocks of
  // 20 round trips each, in the same minute), where the rounds have them: a
  // trip between threads moves by two or more times from second to second.
  const turns = runtimeRounds.filter((r) => r.runtime.round_trip_turns);
  const tripRounds = turns.length ? turns : same;
  const tripAnchor = (name) => (r) => r.runtime.round_trip_turns?.[`${name}Ms`] ?? r.runtime.anchors[`${name}RoundTripMs`];
  const inTurns = turns.length ? ', in turns' : ', same page';
  row('empty task round trip, warm worker (ms)', tripRounds, rt, `workerpool${inTurns}`, tripAnchor('workerpool'), {
    budget: ['≤ 1.5x', (x) => x <= 1.5],
  });
  row('empty task round trip, warm worker (ms)', tripRounds, rt, `raw echo${inTurns}`, tripAnchor('echo'), {
    budget: ['≤ 2.5x', (x) => x <= 2.5],
  });
  const readyTurns = runtimeRounds.filter((r) => r.runtime.worker_ready_turns);
  row('worker ready, new Worker to first message (ms)', readyTurns.length ? readyTurns : same, (r) => r.runtime.worker_ready_ms, `echo worker${readyTurns.length ? ', in turns' : ', same page'}`, (r) => r.runtime.worker_ready_turns?.echoMs ?? r.runtime.anchors.echoReadyMs, {
    budget: ['≤ 1.5x', (x) => x <= 1.5],
  });
  // The same in the app's own page, served as the anchors page is.
  const appPage = pagesRounds.filter((r) => Number.isFinite(r.pages.app.workerReadyMs));
  row('worker ready in the app\'s page (its "Run in a worker") (ms)', appPage, (r) => r.pages.app.workerReadyMs, 'echo worker', (r) => r.pages.echo.readyMs, {
    budget: ['≤ 1.5x', (x) => x <= 1.5],
  });
  const cpuTurns = runtimeRounds.filter((r) => r.runtime.cpu_turns);
  row('speedup of 4 CPU-bound jobs, 2 workers vs 1', cpuTurns.length ? cpuTurns : same, (r) => r.runtime.cpu_speedup, `JS workers${cpuTurns.length ? ', in turns' : ', same page'}`, (r) => r.runtime.cpu_turns?.speedup ?? r.runtime.anchors.js.speedup, {
    decimals: 2,
    unit: 'x',
    budget: ['≥ 0.97x', (x) => x >= 0.97],
  });
  // The anchors in a page of their own, beside the same anchors in the test runner's page.
  const anchorPage = [
    ['raw echo round trip (ms)', (r) => r.pages.echo.roundTripMs, (r) => r.runtime.anchors.echoRoundTripMs],
    ['workerpool round trip (ms)', (r) => r.pages.workerpool.roundTripMs, (r) => r.runtime.anchors.workerpoolRoundTripMs],
    ['echo worker ready (ms)', (r) => r.pages.echo.readyMs, (r) => r.runtime.anchors.echoReadyMs],
  ];
  for (const [label, own, wrapped] of anchorPage) {
    row(`${label}, test runner's page`, both.filter((r) => r.runtime.anchors), wrapped, 'own page', own, {});
  }
  // What taking turns changes: the same echo, in turns with the runtime and alone.
  const turnsAndAlone = turns.filter((r) => r.runtime.anchors);
  if (turnsAndAlone.length) {
    row('raw echo round trip (ms), in turns with the runtime', turnsAndAlone, (r) => r.runtime.round_trip_turns.echoMs, 'alone, same page', (r) => r.runtime.anchors.echoRoundTripMs, {});
  }
  row('JS workers\' speedup, 2 workers vs 1', both, (r) => r.pages.js.speedup, '', null, { decimals: 2, unit: 'x' });
  // What a message between two workers costs (the message-based GIL's hand-overs
  // and asks travel so), beside the page's own messages to a worker.
  const ports = pagesRounds.filter((r) => Number.isFinite(r.pages.port?.roundTripMs));
  if (ports.length) {
    row('round trip between two workers over a MessageChannel (ms), own page', ports, (r) => r.pages.port.roundTripMs, 'raw echo, page and worker', (r) => r.pages.echo.roundTripMs, {});
  }
  // The same between a worker and one it started: over a MessageChannel, and by
  // the nested worker's own postMessage, the way that stays in the page's process.
  const nested = pagesRounds.filter((r) => Number.isFinite(r.pages.nested?.port));
  if (nested.length) {
    row('round trip between a worker and one it started, over a MessageChannel (ms), own page', nested, (r) => r.pages.nested.port, 'the nested worker\'s postMessage', (r) => r.pages.nested.direct, {});
  }

  const own = [];
  const figure = (label, key, decimals) => own.push([label, cell(spread(runtimeRounds.map((r) => r.runtime[key])), decimals)]);
  figure('worker countdown speed (million iterations/s)', 'countdown_mips', 0);
  figure('4 CPU-bound jobs on 1 process (ms)', 'cpu_one_ms', 0);
  figure('4 CPU-bound jobs on 2 processes (ms)', 'cpu_two_ms', 0);
  for (const [gil, name] of [
    ['gil_shared', 'shared-memory GIL'],
    ['gil_messages', 'message-based GIL'],
  ]) {
    figure(`${name}: two CPU-bound threads, time over one after the other (x)`, `${gil}_over_serial`, 2);
    figure(`${name}: a thread runs between switches, interval 5 ms (ms)`, `${gil}_run_ms`, 2);
    figure(`${name}: hand-over p50 (ms)`, `${gil}_handover_p50_ms`, 3);
    figure(`${name}: hand-over p90 (ms)`, `${gil}_handover_p90_ms`, 3);
    figure(`${name}: hand-over max (ms)`, `${gil}_handover_max_ms`, 3);
    figure(`${name}: turns that start as the last ends (%)`, `${gil}_turns_met_pct`, 0);
    figure(`${name}: no thread running (% of the threads' time)`, `${gil}_idle_pct`, 1);
  }
  for (const [sleep, name] of [
    ['sleep_stop_word', 'with the stop word (shared memory)'],
    ['sleep_no_stop_word', 'without it (messages)'],
  ]) {
    for (const q of ['p50', 'p99', 'max']) figure(`sleep lateness ${q}, ${name} (ms)`, `${sleep}_${q}_ms`, 2);
  }
  for (const q of ['p50', 'p99', 'max']) figure(`asyncio.sleep lateness ${q}, on the page's loop (ms)`, `sleep_page_${q}_ms`, 2);
  figure('asyncio.sleep(0), one turn of the page\'s loop, p50 (ms)', 'sleep_page_zero_p50_ms', 3);

  const lines = [];
  lines.push(
    `### ${browser}: ${both.length} rounds (${runtimeRounds.length} of the runtime, ${pagesRounds.length} of the pages and anchors)`,
    '',
    '| measure | app: min / median / max | anchor: min / median / max | ratio app / anchor | budget | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '| the runtime alone | min / median / max |',
    '| --- | --- |',
    ...own.map((r) => `| ${r.join(' | ')} |`),
    '',
  );
  return lines.join('\n');
}

const browsers = Object.keys(rounds);
if (!browsers.length) {
  console.error(`no figures in ${file}`);
  process.exit(1);
}
for (const browser of browsers) console.log(tables(browser, rounds[browser]));
