// End to end: a host that breaks the worker's files ends the run with a
// message a person can read, and the next Run loads them again; the futures
// demo's real fetches stay on the app's own path. Chromium and Firefox.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveSite } from './server.mjs';
import { dist, forEachBrowser } from './fixtures.mjs';

// The loader as written, without the worker code the build puts above it.
const bareLoader = await readFile(new URL('../www/worker-loader.js', import.meta.url), 'utf8');

const DEMO = '#/multithreading-multiprocessing?jobs=2&workers=1&work=0.05&speed=100';

// How a host can break the worker's start, and what the page must then say.
const FAULTS = [
  ['the loader is missing', 'worker-loader.js', { status: 404, body: 'not found' }, /could not load worker-loader\.js \(HTTP 404\)/],
  ['the loader is served as an image', 'worker-loader.js', { type: 'image/png' }, /worker-loader\.js/],
  ['the worker script has a syntax error', 'worker-loader.js', { body: 'let wasm_bindgen = (;' }, /worker-loader\.js|SyntaxError/],
  ['the worker script throws as it starts', 'worker-loader.js', { body: 'throw new Error("broken deployment");' }, /broken deployment/],
  ['the worker script holds no worker code', 'worker-loader.js', { body: bareLoader }, /worker-loader\.js holds no worker code/],
  ['the wasm is missing', 'worker_bg.wasm', { status: 404, body: 'not found' }, /could not load worker_bg\.wasm \(HTTP 404\)/],
  ['the wasm is not WebAssembly', 'worker_bg.wasm', { body: 'this is not wasm' }, /worker_bg\.wasm/],
  [
    'the page demands Trusted Types',
    'index.html',
    { headers: { 'content-security-policy': "require-trusted-types-for 'script'" } },
    /refused|Trusted|TrustedScriptURL/i,
    // Only where the browser enforces Trusted Types.
    () => 'trustedTypes' in window,
  ],
  [
    'the page forbids workers (CSP)',
    'index.html',
    { headers: { 'content-security-policy': "worker-src 'none'" } },
    /refused|Content Security Policy|worker-src/,
  ],
];

const status = (page) => page.$eval('[data-testid=demo]', (d) => d.dataset.status);

/** Presses Run and waits for the run to end; returns its status, its words and how long it took. */
async function run(page, timeout = 30_000) {
  const runs = await page.$eval('[data-testid=demo]', (d) => Number(d.dataset.runs));
  const started = Date.now();
  await page.click('[data-testid=run]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=demo]').dataset.runs) > n, {}, runs);
  await page.waitForFunction(() => document.querySelector('[data-testid=demo]').dataset.status !== 'running', { timeout });
  return {
    status: await status(page),
    text: await page.$eval('[data-testid=run-status]', (e) => e.textContent),
    ms: Date.now() - started,
  };
}

forEachBrowser('worker faults', (fx) => {
  it('every way a worker can fail to start ends the run readably, and the next Run works', async () => {
    const site = await serveSite({ root: dist, isolated: true });
    // No service worker here: its cache would hide what the host sends.
    site.respond('sw.js', { status: 404, body: 'not found' });
    const { page, problems } = await fx.open();
    try {
      const figures = [];
      for (const [what, file, answer, message, applies] of FAULTS) {
        site.respond(file, answer);
        await page.goto(`${site.url}${DEMO}`);
        await page.reload();
        await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
        if (applies && !(await page.evaluate(applies))) {
          console.log(`skipped: ${fx.spec.name} does not enforce what "${what}" needs`);
          site.respond(file, null);
          continue;
        }
        const failed = await run(page);
        assert.equal(failed.status, 'failed', `${what}: ${failed.text}`);
        assert.match(failed.text, /^failed: can't start new thread: /, what);
        assert.match(failed.text, message, what);
        assert.doesNotMatch(failed.text, /Died\(|Error\(|JsValue|\bObject\b|undefined/, `${what}: plain English, not debug text`);
        figures.push(`${what} ${failed.ms} ms`);
        // The host is mended: the next Run loads the worker again, on the same
        // page (a page's own policy holds until it is loaded again).
        site.respond(file, null);
        if (file === 'index.html') {
          await page.reload();
          await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
        }
        const mended = await run(page);
        assert.equal(mended.status, 'done', `${what}, then mended: ${mended.text}`);
      }
      console.log(`figures: ${fx.spec.name}: a failed start ended the run after ${figures.join(', ')}`);
      const unexpected = problems.filter(
        // The browser reports the injected faults in its own words.
        (p) => !/worker-loader\.js|worker\.js|worker_bg\.wasm|sw\.js|CSP refused|Content.Security.Policy|worker-src|Trusted|broken deployment|SyntaxError|WebAssembly|MIME|bad HTTP response code|Failed to load resource/i.test(p),
      );
      assert.deepEqual(unexpected, [], 'nothing else went wrong');
      assert.ok(!problems.some((p) => /closure invoked/.test(p)), problems.join('\n'));
    } finally {
      await page.close();
      await site.close();
    }
  });

  it("workers start from the loader fetched once, and from its address where the page's policy allows only that", async () => {
    const site = await serveSite({ root: dist, isolated: true });
    site.respond('sw.js', { status: 404, body: 'not found' });
    const { page } = await fx.open();
    const loaderFetches = (from) => site.requests.slice(from).filter((r) => r.path.endsWith('/worker-loader.js')).length;
    try {
      // The site's own policy allows workers from a Blob URL: the script is fetched once, however many start.
      await page.goto(`${site.url}${DEMO}`);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      let before = site.requests.length;
      const first = await run(page);
      assert.equal(first.status, 'done', first.text);
      assert.equal(loaderFetches(before), 1, 'one fetch of the loader for every worker of the run');
      // A host whose policy allows only the site's own worker scripts: the first
      // worker from the Blob URL is refused, and workers start from the address.
      site.respond('index.html', { headers: { 'content-security-policy': "worker-src 'self'" } });
      await page.reload();
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      before = site.requests.length;
      const second = await run(page);
      assert.equal(second.status, 'done', second.text);
      assert.ok(loaderFetches(before) >= 2, `the loader fetched once, then by each worker: ${loaderFetches(before)}`);
    } finally {
      await page.close();
      await site.close();
    }
  });

  it("the futures demo fetches only the app's own files: no redirect, no cookie, nothing outside its path", async () => {
    const site = await serveSite({ root: dist, isolated: true });
    const elsewhere = await serveSite({ root: dist, isolated: true });
    site.respond('sw.js', { status: 404, body: 'not found' });
    site.respond('moved.html', { status: 302, headers: { location: `${elsewhere.url}index.html` }, body: '' });
    const { page } = await fx.open();
    try {
      await page.goto(`${site.url}#/`);
      await page.waitForSelector('[data-testid=slide] h1');
      await page.evaluate(() => {
        document.cookie = 'session=secret; path=/';
      });
      // An address on this site written in full is fetched too, whatever its
      // row says; one on the same host outside the app's folder is not.
      const loader = `${site.url}worker-loader.js`;
      const beside = new URL('/beside.html', site.url).href;
      const table = [
        'index.html',
        'moved.html',
        '../../outside.html',
        '..%2F..%2Felsewhere.html',
        `${loader} 0.2 5`,
        `${beside} 0.1 7`,
      ].join('\n');
      await page.goto(`${site.url}#/futures-promises-example?urls=${encodeURIComponent(table)}&workers=2&speed=100`);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      assert.equal(await page.$$eval('[data-testid=demo-notice]', (n) => n.length), 0, 'the table is valid');
      const before = site.requests.length;
      const result = await run(page);
      assert.equal(result.status, 'done', result.text);
      await new Promise((r) => setTimeout(r, 200));
      const lines = await page.$$eval('[data-testid=console-line] .text', (ls) => ls.map((l) => l.textContent));
      const refused = '<urlopen error [Errno 111] Connection refused>';
      // urlopen takes full addresses only ('index.html' would be "unknown url
      // type"): the program shown and its lines name each one as the page resolves it.
      const full = (url) => new URL(url, site.url).href;
      const own = full('index.html');
      assert.equal(own, `${site.url}index.html`);
      assert.ok(lines.some((l) => l.startsWith(`'${own}' page is `) && /page is \d+ bytes$/.test(l)), lines.join('\n'));
      assert.ok(lines.some((l) => /^LOGGING -> \d+ - /.test(l) && l.endsWith(` - '${own}': fetching....`)), lines.join('\n'));
      for (const url of ['moved.html', '../../outside.html', '..%2F..%2Felsewhere.html']) {
        assert.ok(lines.includes(`'${full(url)}' generated an exception: ${refused}`), `${url}:\n${lines.join('\n')}`);
      }
      assert.ok(!lines.some((l) => l.includes("'index.html'")), 'no line names an address urlopen would refuse');
      const loaderBytes = (await readFile(`${dist}/worker-loader.js`)).length;
      assert.ok(lines.includes(`'${loader}' page is ${loaderBytes} bytes`), `the full address was fetched:\n${lines.join('\n')}`);
      assert.ok(lines.includes(`'${beside}' page is 7 bytes`), `outside the app's folder, the row's size:\n${lines.join('\n')}`);
      const shown = await page.$eval('[data-testid=demo] [data-testid=code]', (c) => c.textContent);
      assert.ok(shown.includes(`"${own}",`) && shown.includes(`"${full('../../outside.html')}",`), shown);
      const during = site.requests.slice(before);
      assert.ok(during.some((r) => r.path.endsWith('/index.html')), 'index.html was fetched for real');
      assert.ok(during.every((r) => !r.path.endsWith('/index.html') || r.cookie === null), 'no cookie went with the fetch');
      assert.ok(
        !during.some((r) => ['/outside.html', '/elsewhere.html', '/beside.html'].includes(r.path)),
        'nothing outside the app was asked for',
      );
      assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed');
    } finally {
      await page.close();
      await site.close();
      await elsewhere.close();
    }
  });

  it("a demos' module that cannot load leaves the slides working, and the pane says why", async () => {
    const site = await serveSite({ root: dist, isolated: true });
    site.respond('sw.js', { status: 404, body: 'not found' });
    const { page, problems } = await fx.open();
    try {
      for (const [what, answer] of [
        ['missing', { status: 404, body: 'not found' }],
        ['not WebAssembly', { body: 'this is not wasm' }],
      ]) {
        site.respond('demos_bg.wasm', answer);
        await page.goto(`${site.url}#/the-gil`);
        await page.reload();
        const said = await page.waitForSelector('[data-testid=demo-pane] [data-testid=demos-failed]', { timeout: 15_000 });
        const text = await said.evaluate((e) => e.textContent);
        assert.match(text, /^The demos could not start \(demos\.js did not load: .+\)\. The slides work without them; reload the page to try again\.$/, `${what}: ${text}`);
        assert.doesNotMatch(text, /JsValue|\bObject\b|undefined/, `${what}: plain English, not debug text`);
        // The slides still turn, and the next slide's pane says the same.
        const heading = '[data-testid=slide] h1, [data-testid=slide] h2';
        assert.equal(await page.$eval(heading, (h) => h.textContent), 'The GIL');
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((h) => document.querySelector(h)?.textContent === 'Classical Method Example', {}, heading);
        assert.equal(await page.$$eval('[data-testid=demos-failed]', (e) => e.length), 1);
      }
      // Mended: a reload brings the demos.
      site.respond('demos_bg.wasm', null);
      await page.reload();
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      assert.equal(await page.$$eval('[data-testid=demos-failed]', (e) => e.length), 0);
      assert.ok(!problems.some((p) => /panicked|unreachable/.test(p)), problems.join('\n'));
    } finally {
      await page.close();
      await site.close();
    }
  });

  it('a bug that panics the demos mid-run ends its workers, says so in the pane, and the slides go on', async () => {
    const { page, problems } = await fx.open();
    try {
      await page.goto(`${fx.site.url}#/the-gil?threads=2&work=2&speed=1000`);
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      await page.click('[data-testid=run]');
      await page.waitForFunction(() => window.wasmBindings.workersAlive() >= 2);
      // The same module the page loaded (a module is loaded once per address).
      const threw = await page.evaluate(async () => {
        const demos = await import(new URL('demos.js', document.baseURI).href);
        try {
          demos.panicOnPurpose('a bug, on purpose');
          return null;
        } catch (e) {
          return String(e);
        }
      });
      assert.ok(threw, 'the panic ends the call');
      const said = await page.waitForSelector('[data-testid=demo-pane] [data-testid=demos-failed]', { timeout: 5_000 });
      assert.equal(
        await said.evaluate((e) => e.textContent),
        'The demos stopped on a bug (a bug, on purpose). The slides work without them; reload the page to try again.',
      );
      assert.equal(await page.$('[data-testid=demo]'), null, 'what the demos drew is gone');
      assert.equal(await page.evaluate(() => window.wasmBindings.workersAlive()), 0, 'no worker computes on');
      const heading = '[data-testid=slide] h1, [data-testid=slide] h2';
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((h) => document.querySelector(h)?.textContent === 'Classical Method Example', {}, heading);
      assert.equal(await page.$$eval('[data-testid=demos-failed]', (e) => e.length), 1, 'the next slide says it too');
      // A reload brings them back.
      await page.reload();
      await page.waitForSelector('[data-testid=demo] [data-testid=run]:not([disabled])');
      const unexpected = problems.filter((p) => !/a bug, on purpose|unreachable|panicked/.test(p));
      assert.deepEqual(unexpected, [], 'nothing else went wrong');
    } finally {
      await page.close();
    }
  });
});
