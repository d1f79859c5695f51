// End to end: the site as a hosted link. The GitHub Pages workflow's build step
// builds it; a plain static server (no COOP/COEP headers) serves it under a
// sub-path; headless Chromium and Firefox open it. The service worker must make
// the page cross-origin isolated after one reload, keep it working with the host
// down, switch whole to a new release on the next visit, and stay out of the
// way where service workers are unavailable.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import YAML from 'yaml';
import { serveSite } from './server.mjs';
import { BROWSERS, launch, openPage } from './browsers.mjs';
import { LARGE, compressLarge, isCompressed } from '../scripts/compress.mjs';
import { siteFiles, writeServiceWorker } from '../scripts/release-files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const BASE = '/parallel-playground/';
const SAB_GIL = 'SharedArrayBuffer + Atomics lock';
const ARBITER = 'message-based arbiter';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The site under test: what the workflow's build step built (first test below);
// run alone, the hosting build (dist-hosting/) or the suite's build (dist/).
let workflowBuild = null;
let releases = null;

/** Two releases in temporary directories: the build as it is, and the same build after a change to the worker code. */
async function prepareReleases() {
  if (releases) return releases;
  const source = workflowBuild ?? [path.join(repo, 'dist-hosting'), path.join(repo, 'dist')].find((d) => existsSync(d));
  const page = await readFile(path.join(source, 'index.html'), 'utf8');
  assert.match(page, new RegExp(`<base href="${BASE}"`), `${source} is not built for ${BASE}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'pp-hosting-'));
  const first = path.join(dir, 'first');
  const second = path.join(dir, 'second');
  await cp(source, first, { recursive: true });
  await cp(source, second, { recursive: true });
  // What a rebuild after a change to the worker gives: new unhashed worker files
  // (a custom section keeps the module valid), a new release ID, a new sw.js.
  await appendFile(path.join(second, 'worker-loader.js'), '\n// rebuilt\n');
  const section = [0x00, 9, 7, ...Buffer.from('release'), 0x32];
  await appendFile(path.join(second, 'worker_bg.wasm'), Buffer.from(section));
  const release = async (d) => (await readFile(path.join(d, 'index.html'), 'utf8')).match(/name="release" content="(\w+)"/)[1];
  const { release: next } = await writeServiceWorker(second);
  await compressLarge(second);
  // The new release on a host whose sw.js cannot be fetched yet (mid-deploy): the
  // old worker stays in charge and must not serve its files to the new page.
  const midDeploy = path.join(dir, 'mid-deploy');
  await cp(second, midDeploy, { recursive: true });
  for (const name of ['sw.js', 'sw.js.br', 'sw.js.gz']) await rm(path.join(midDeploy, name), { force: true });
  releases = { dir, first, second, midDeploy, firstRelease: await release(first), secondRelease: next };
  assert.notEqual(releases.firstRelease, releases.secondRelease);
  return releases;
}

after(async () => {
  if (releases) await rm(releases.dir, { recursive: true, force: true });
  if (workflowBuild) await rm(path.dirname(workflowBuild), { recursive: true, force: true });
});

describe('the GitHub Pages workflow', () => {
  const file = path.join(repo, '.github', 'workflows', 'pages.yml');
  let workflow;

  it('is a workflow that builds with scripts/build.sh and publishes dist/ to Pages', async () => {
    workflow = YAML.parse(await readFile(file, 'utf8'), { strict: true, uniqueKeys: true });
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.equal(workflow.permissions.pages, 'write');
    assert.equal(workflow.permissions['id-token'], 'write');
    const steps = workflow.jobs.build.steps;
    const build = steps.find((s) => typeof s.run === 'string' && s.run.includes('scripts/build.sh'));
    assert.ok(build, 'a step runs scripts/build.sh');
    assert.match(build.run, /\$\{\{ steps\.pages\.outputs\.base_path \}\}\//, 'it builds under the repository sub-path');
    const pages = steps.find((s) => s.id === 'pages');
    assert.match(pages.uses, /^actions\/configure-pages@v\d+$/);
    assert.ok(steps.indexOf(pages) < steps.indexOf(build), 'the sub-path is known before the build');
    const upload = steps.find((s) => /^actions\/upload-pages-artifact@/.test(s.uses ?? ''));
    assert.equal(upload.with.path, 'dist', 'it publishes what scripts/build.sh writes');
    assert.deepEqual(workflow.jobs.deploy.needs, 'build');
    assert.ok(workflow.jobs.deploy.steps.some((s) => /^actions\/deploy-pages@/.test(s.uses ?? '')));
  });

  it("runs its build step's script here: the release site under /parallel-playground/", { timeout: 15 * 60_000 }, async () => {
    assert.ok(workflow, 'the workflow parsed');
    const build = workflow.jobs.build.steps.find((s) => s.run?.includes('scripts/build.sh'));
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'pp-pages-')), 'dist');
    // GitHub gives the repository's sub-path without its trailing slash.
    const script = build.run.replaceAll('${{ steps.pages.outputs.base_path }}', BASE.slice(0, -1));
    const started = Date.now();
    await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: repo,
      env: { ...process.env, DIST: out },
      maxBuffer: 64 << 20,
    });
    console.log(`the workflow's build step took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const page = await readFile(path.join(out, 'index.html'), 'utf8');
    assert.match(page, /<base href="\/parallel-playground\/"/);
    assert.match(page, /<script src="\/parallel-playground\/register-sw-[0-9a-f]+\.js"/);
    for (const name of ['sw.js', '_headers', 'worker-loader.js', 'worker_bg.wasm']) await stat(path.join(out, name));
    workflowBuild = out;
  });
});

describe('the release files', () => {
  it('has .br and .gz copies beside every large file, and the test server sends them to whoever accepts them', async () => {
    const { first } = await prepareReleases();
    const names = await readdir(first);
    const large = [];
    for (const name of names.filter((n) => !isCompressed(n) && !n.startsWith('_'))) {
      if ((await stat(path.join(first, name))).size >= LARGE) large.push(name);
    }
    const wasm = large.filter((n) => n.endsWith('.wasm'));
    assert.equal(wasm.length, 3, `the three wasm modules (slides, demos, worker) are large: ${large}`);
    for (const name of large) {
      assert.ok(names.includes(`${name}.br`) && names.includes(`${name}.gz`), `${name} has .br and .gz`);
    }
    const site = await serveSite({ root: first, isolated: false });
    try {
      const original = await readFile(path.join(first, wasm[0]));
      for (const [accept, encoding, decode] of [
        ['gzip, deflate, br', 'br', zlib.brotliDecompressSync],
        ['gzip', 'gzip', zlib.gunzipSync],
        ['br;q=0, gzip;q=0.5', 'gzip', zlib.gunzipSync],
        ['identity', undefined, (b) => b],
      ]) {
        const { headers, body } = await get(site.url + wasm[0], accept);
        assert.equal(headers['content-encoding'], encoding, accept);
        assert.equal(headers['content-type'], 'application/wasm');
        assert.ok(decode(body).equals(original), `the ${encoding ?? 'plain'} body is the module`);
      }
    } finally {
      await site.close();
    }
  });

  it("names every file of the site in sw.js, and _headers sends COOP/COEP, the page's policy and cache lifetimes", async () => {
    const { first, firstRelease } = await prepareReleases();
    const worker = await readFile(path.join(first, 'sw.js'), 'utf8');
    assert.match(worker, new RegExp(`const RELEASE = "${firstRelease}";`));
    const listed = Object.keys(JSON.parse(worker.match(/const FILES = (\{[\s\S]*?\});/)[1])).sort();
    assert.deepEqual(listed, await siteFiles(first));
    for (const name of ['index.html', 'worker_bg.wasm', 'worker-loader.js']) {
      assert.ok(listed.includes(name), `${name} is kept for offline use`);
    }
    assert.ok(listed.some((n) => /^app-\w+_bg\.wasm$/.test(n)) && listed.some((n) => /^style-\w+\.css$/.test(n)));

    const headers = await readFile(path.join(first, '_headers'), 'utf8');
    const rules = parseHeaders(headers);
    assert.equal(rules[`${BASE}*`]['Cross-Origin-Opener-Policy'], 'same-origin');
    assert.equal(rules[`${BASE}*`]['Cross-Origin-Embedder-Policy'], 'require-corp');
    const page = await readFile(path.join(first, 'index.html'), 'utf8');
    const policy = page.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
    assert.equal(rules[`${BASE}*`]['Content-Security-Policy'], policy, 'the header carries the policy the page carries');
    for (const name of listed) {
      const lifetime = rules[BASE + name]?.['Cache-Control'];
      if (/-[0-9a-f]{16}[._]/.test(name)) assert.match(lifetime, /max-age=31536000, immutable/, name);
      else assert.equal(lifetime, 'no-cache', name);
    }
    assert.equal(rules[`${BASE}sw.js`]['Cache-Control'], 'no-cache');
  });
});

for (const spec of BROWSERS) {
  describe(`a plain static host in ${spec.name}`, () => {
    let browser;
    let site;
    let rel;

    before(async () => {
      rel = await prepareReleases();
      site = await serveSite({ root: rel.first, isolated: false });
      browser = await launch(spec);
    });

    after(async () => {
      await browser?.close();
      await site?.close();
    });

    it('does nothing visible where the host sends COOP/COEP itself: no reload', async () => {
      const isolatedHost = await serveSite({ root: rel.first, isolated: true });
      try {
        const { page, problems } = await openPage(browser);
        await page.goto(isolatedHost.url);
        await until(page, async () => !!(await navigator.serviceWorker.getRegistration())?.active, 'the service worker');
        await sleep(1000);
        assert.equal(navigations(isolatedHost), 1, 'loaded once');
        assert.equal(await text(page, 'isolated'), 'yes');
        assert.equal(await text(page, 'gil-impl'), SAB_GIL);
        assert.deepEqual(problems, []);
        await page.close();
      } finally {
        await isolatedHost.close();
      }
    });

    it('is cross-origin isolated after one reload, and the GIL demo runs on the SharedArrayBuffer GIL', async () => {
      const { page, problems } = await openPage(browser);
      await page.goto(site.url);
      await until(page, () => document.querySelector('[data-testid=isolated]')?.textContent === 'yes', 'isolation');
      await sleep(1000);
      assert.equal(navigations(site), 2, 'one load and one reload');
      assert.equal(await text(page, 'gil-impl'), SAB_GIL);
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${site.url}sw.js`);
      await runGilDemo(page, site.url);
      assert.deepEqual(problems, []);
      await page.close();
    });

    it('keeps a run begun before the reload for isolation: no reload under it, isolated on the next visit', async () => {
      // A new origin, so a first visit; its worker's script comes late, so the run begins first.
      const fresh = await serveSite({ root: rel.first, isolated: false });
      fresh.respond('sw.js', { delayMs: 2_000 });
      try {
        const { page, problems } = await openPage(browser);
        await page.goto(`${fresh.url}#/the-gil?threads=2&work=0.5&speed=200`);
        await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
        assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
        await page.click('[data-testid=demo] [data-testid=run]');
        await page.waitForFunction(() => document.querySelector('[data-testid=demo]')?.dataset.status === 'done', { timeout: 30_000 });
        await until(page, async () => !!(await navigator.serviceWorker.getRegistration())?.active, 'the service worker');
        await sleep(1_500);
        assert.equal(navigations(fresh), 1, 'no reload: the run stays on screen');
        assert.equal(await page.$eval('[data-testid=demo]', (d) => d.dataset.status), 'done');
        await page.reload();
        await until(page, () => window.crossOriginIsolated, 'isolation on the next visit');
        assert.deepEqual(problems, []);
        await page.close();
      } finally {
        await fresh.close();
      }
    });

    it('opens the deck and runs a demo from the cache with the host answering 503, then stopped', async () => {
      const port = site.port;
      site.answerWith(503);
      try {
        await offline();
      } finally {
        await site.close();
        site = await serveSite({ root: rel.first, isolated: false, port });
      }
    });

    async function offline() {
      const { page, problems } = await openPage(browser);
      const asked = navigations(site);
      await page.goto(`${site.url}#/the-gil`);
      assert.equal(navigations(site), asked + 1, 'the host was asked, and failed');
      await runGilDemo(page, site.url);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await page.close();

      await site.close();
      const second = await openPage(browser);
      await second.page.goto(site.url);
      await until(second.page, () => document.querySelector('[data-testid=gil-impl]')?.textContent !== undefined, 'the title slide');
      assert.equal(await text(second.page, 'isolated'), 'yes');
      assert.equal(await text(second.page, 'gil-impl'), SAB_GIL);
      await runGilDemo(second.page, site.url);
      assert.deepEqual([...problems, ...second.problems], []);
      await second.page.close();
    }

    it('serves the new release, and only it, on the next visit after a rebuild', async () => {
      const release = () => document.querySelector('meta[name=release]')?.content;
      const workerFiles = () =>
        Promise.all([
          fetch('worker-loader.js').then((r) => r.text()),
          fetch('worker_bg.wasm').then((r) => r.arrayBuffer()).then((b) => b.byteLength),
        ]);
      const rebuilt = [true, (await stat(path.join(rel.second, 'worker_bg.wasm'))).size];
      const isRebuilt = async (page) => {
        const [glue, size] = await page.evaluate(workerFiles);
        return [glue.endsWith('// rebuilt\n'), size];
      };

      // The next visit, while the host's new sw.js is not there yet: the new page
      // comes from the network, and so does every file it asks for.
      site.setRoot(rel.midDeploy);
      const asked = navigations(site);
      const { page, problems } = await openPage(browser);
      await page.goto(site.url);
      assert.equal(await page.evaluate(release), rel.secondRelease);
      assert.deepEqual(await isRebuilt(page), rebuilt, 'the new worker files, not the cached ones');
      await page.waitForSelector('[data-testid=isolated]');
      assert.equal(await text(page, 'isolated'), 'yes');
      await runGilDemo(page, site.url);
      assert.equal(navigations(site), asked + 1, 'no reload: the page was isolated from the start');

      // Once the host has the new sw.js, the new release's worker takes over and keeps only its own cache.
      site.setRoot(rel.second);
      const want = [`parallel-playground ${site.url} ${rel.secondRelease}`];
      const inCharge = async (w) => {
        const reg = await navigator.serviceWorker.getRegistration();
        const settled = reg?.active && reg.active === navigator.serviceWorker.controller && !reg.installing && !reg.waiting;
        return settled && JSON.stringify(await caches.keys()) === JSON.stringify(w);
      };
      // Open: in about one run in three, Chromium leaves the new worker waiting
      // through a visit, the page of its own release asking it to take over (a
      // second ask in the same visit did not help either); a visit after takes
      // it. Meanwhile the page and its files are the new release's, from the host.
      for (let visit = 1; ; visit++) {
        await page.reload();
        if (await holds(page, inCharge, want, 10_000)) break;
        const state = await page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          const of = (w) => w?.state ?? 'none';
          return `installing ${of(reg?.installing)}, waiting ${of(reg?.waiting)}, active ${of(reg?.active)}, ` +
            `controlled ${!!navigator.serviceWorker.controller}, caches ${JSON.stringify(await caches.keys())}`;
        });
        assert.ok(visit < 3, `the new release's worker is not in charge with its cache alone after ${visit} visits: ${state}`);
        console.log(`figures: after visit ${visit} the new worker was not in charge (${state}); visiting once more`);
      }
      assert.equal(await page.evaluate(release), rel.secondRelease);
      assert.deepEqual(await isRebuilt(page), rebuilt);
      await runGilDemo(page, site.url);

      // Offline again, it is still the new release, whole.
      site.answerWith(503);
      await page.reload();
      await until(page, () => !!document.querySelector('[data-testid=slide]'), 'the deck');
      assert.equal(await page.evaluate(release), rel.secondRelease);
      assert.deepEqual(await isRebuilt(page), rebuilt);
      await runGilDemo(page, site.url);
      site.answerWith(null);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

// Where service workers are unavailable the page loads once and runs on the
// message-based GIL. Chromium: plain http on a network name (not a secure
// context, as on a classroom server). Firefox: service workers turned off.
for (const spec of BROWSERS) {
  const noWorkers =
    spec.name === 'chromium'
      ? { ...spec, options: { ...spec.options, args: [...spec.options.args, '--host-resolver-rules=MAP playground.test 127.0.0.1'] } }
      : { ...spec, options: { ...spec.options, extraPrefsFirefox: { 'dom.serviceWorkers.enabled': false } } };
  describe(`a browser without service workers: ${spec.name}`, () => {
    it('loads once, with no reload loop, and runs the GIL demo on the message-based arbiter', async () => {
      const rel = await prepareReleases();
      const site = await serveSite({ root: rel.first, isolated: false });
      const browser = await launch(noWorkers);
      try {
        const url = spec.name === 'chromium' ? site.url.replace('127.0.0.1', 'playground.test') : site.url;
        const { page, problems } = await openPage(browser);
        await page.goto(url);
        assert.equal(await page.evaluate(() => 'serviceWorker' in navigator && !!navigator.serviceWorker), false);
        await until(page, () => document.querySelector('[data-testid=isolated]')?.textContent === 'no', 'the title slide');
        assert.equal(await text(page, 'gil-impl'), ARBITER);
        await sleep(1500);
        assert.equal(navigations(site), 1, 'loaded once');
        await runGilDemo(page, url);
        assert.deepEqual(problems, []);
      } finally {
        await browser.close();
        await site.close();
      }
    });
  });
}

// A browser that runs the service worker but still does not isolate the page
// (here Chromium told to bypass service workers) reloads once, then stays.
describe('a browser where the service worker does not isolate the page: chromium', () => {
  it('reloads once, not again, and runs the GIL demo on the message-based arbiter', async () => {
    const rel = await prepareReleases();
    const site = await serveSite({ root: rel.first, isolated: false });
    const browser = await launch(BROWSERS.find((b) => b.name === 'chromium'));
    try {
      const { page, problems } = await openPage(browser);
      await page.setBypassServiceWorker(true);
      await page.goto(site.url);
      await until(page, async () => !!(await navigator.serviceWorker.getRegistration())?.active, 'the service worker');
      await until(page, () => document.querySelector('[data-testid=isolated]')?.textContent === 'no', 'the title slide');
      await sleep(2000);
      assert.equal(navigations(site), 2, 'one load and one reload, no loop');
      assert.equal(await text(page, 'gil-impl'), ARBITER);
      await runGilDemo(page, site.url);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});

/** How often the host was asked for the page (a load, a reload, or the service worker asking on the page's behalf). */
function navigations(site) {
  return site.requests.filter((r) => [BASE, `${BASE}index.html`].includes(r.path) && r.accept.startsWith('text/html')).length;
}

const text = (page, testid) => page.$eval(`[data-testid=${testid}]`, (el) => el.textContent);

/** Whether `fn` holds in the page within `timeout` ms, across the page's own reloads. */
async function holds(page, fn, arg, timeout) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    try {
      if (await page.evaluate(fn, arg)) return true;
    } catch {
      // the page reloading under us
    }
    await sleep(100);
  }
  return false;
}

/** Waits for `fn` in the page to be true, across the page's own reloads. */
async function until(page, fn, what, arg, timeout = 30_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      if (await page.evaluate(fn, arg)) return;
    } catch (error) {
      last = error; // the page reloading under us
    }
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
}

/** Runs the GIL demo (two CPU-bound threads under the GIL) and checks they took turns. */
async function runGilDemo(page, url) {
  const run = await runGilDemoWith(page, url, 'threads=2&work=0.3&mode=gil&speed=200');
  assert.equal(run.status, 'done', run.statusText);
  assert.equal(run.maxRunning, 1, 'one thread at a time holds the GIL');

  // The arbiter's worker is up before the program begins, as the threads' are: a lone
  // thread gets the GIL at once. It waited 0.1-0.2 Python s (20-40 ms) here while the
  // arbiter started with it; now its first request and the arbiter's first grant take
  // 0.00-0.04 s (up to 8 ms, Firefox), and once 0.09 s (18 ms) on a loaded machine,
  // which failed a bound of 0.08 s. The bound is 0.15 s: a thread that waits for its
  // arbiter to start fails it (at 0.1 s, the shortest such wait seen, only barely), and
  // the figure is printed; the benchmark's lone thread (bench/gil-demo.mjs) measures it
  // to the percent.
  const alone = await runGilDemoWith(page, url, 'threads=1&work=0.2&mode=gil&speed=200');
  assert.equal(alone.status, 'done', alone.statusText);
  await page.$eval('[data-testid=timeline-table] summary', (s) => s.parentElement.open || s.click());
  const row = await page
    .waitForFunction(() => [...document.querySelectorAll('[data-testid=timeline-table] tr')].map((r) => r.textContent).find((t) => t.startsWith('Thread-1')))
    .then((h) => h.jsonValue());
  const waited = /waiting for the GIL (\d+\.\d+)–(\d+\.\d+) s/.exec(row);
  const wait = waited ? Number(waited[2]) - Number(waited[1]) : 0;
  console.log(`figures: a lone thread's first wait for the message-based GIL: ${wait.toFixed(2)} Python s at speed=200`);
  assert.ok(wait <= 0.15, `a lone thread waited for the GIL: ${row}`);
}

/** Opens the GIL demo with `query`, runs it once, and says how the run ended. */
async function runGilDemoWith(page, url, query) {
  await page.goto(`${url}#/the-gil?${query}`);
  await until(
    page,
    (q) => location.hash.endsWith(q) && !!document.querySelector('[data-testid=demo] [data-testid=run]:not([disabled])'),
    'the GIL demo',
    query,
  );
  const runs = await page.$eval('[data-testid=demo]', (d) => Number(d.dataset.runs));
  await page.click('[data-testid=demo] [data-testid=run]');
  await until(
    page,
    (n) => {
      const demo = document.querySelector('[data-testid=demo]');
      return Number(demo?.dataset.runs) > n && ['done', 'failed', 'stopped'].includes(demo.dataset.status);
    },
    'the run to end',
    runs,
    60_000,
  );
  return page.$eval('[data-testid=demo]', (demo) => ({
    status: demo.dataset.status,
    statusText: demo.querySelector('[data-testid=run-status]')?.textContent,
    maxRunning: Number(demo.querySelector('[data-testid=run-summary]')?.dataset.maxRunning),
  }));
}

function get(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** `_headers` as { path: { name: value } }. */
function parseHeaders(textOf) {
  const rules = {};
  let current = null;
  for (const line of textOf.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      current = rules[line.trim()] ??= {};
    } else {
      const at = line.indexOf(':');
      current[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}
