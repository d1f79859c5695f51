// Trunk's post-build hook on the pages Trunk writes: the loader leaves the
// page for a file; a release page keeps no inline script and gets its policy;
// a debug page served by `trunk serve` (the README's serve command) keeps
// Trunk's own live-reload script and builds; the worker's glue and loader
// become one script.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'post-build.mjs');
const LOADER = `<script type="module">
import init from '/pp/app.js';
const wasm = await init({ module_or_path: '/pp/app_bg.wasm' });
</script>`;
const GLUE = 'let wasm_bindgen = (function (exports) { return exports; })({});\n';
const WORKER_LOADER = 'self.onmessage = () => wasm_bindgen.initSync({});\n';
const LIVE_RELOAD = `<script>"use strict"; (function () { const address = '{{__TRUNK_ADDRESS__}}'; })()</script>`;

const stagings = [];
after(() => Promise.all(stagings.map((dir) => rm(dir, { recursive: true, force: true }))));

async function runHook(profile, extra = '', worker = { 'worker.js': GLUE, 'worker-loader.js': WORKER_LOADER }) {
  const staging = await mkdtemp(path.join(tmpdir(), 'pp-post-build-'));
  stagings.push(staging);
  const page = `<!doctype html><html><head><meta charset="utf-8" />${LOADER}</head><body>${extra}</body></html>`;
  await writeFile(path.join(staging, 'index.html'), page);
  for (const [name, text] of Object.entries(worker)) await writeFile(path.join(staging, name), text);
  const result = spawnSync('node', [hook], {
    env: { ...process.env, TRUNK_STAGING_DIR: staging, TRUNK_PUBLIC_URL: '/pp/', TRUNK_PROFILE: profile },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, staging, page: await readFile(path.join(staging, 'index.html'), 'utf8') };
}

it("a debug page keeps trunk serve's live-reload script and builds", async () => {
  const { status, stderr, staging, page } = await runHook('debug', LIVE_RELOAD);
  assert.equal(status, 0, stderr);
  assert.match(page, /<script type="module" src="\/pp\/boot-[0-9a-f]{16}\.js"><\/script>/);
  assert.ok(page.includes('__TRUNK_ADDRESS__'), 'the live-reload script stays');
  assert.ok(!page.includes('Content-Security-Policy'), 'no policy on a debug page');
  assert.ok((await readdir(staging)).some((f) => /^boot-.*\.js$/.test(f)));
});

it('a release page refuses an inline script that is left', async () => {
  const { status, stderr } = await runHook('release', '<script>alert(1)</script>');
  assert.equal(status, 1);
  assert.match(stderr, /still has an inline script/);
});

it("writes the worker's glue and its loader into one script, the glue first", async () => {
  const { status, stderr, staging } = await runHook('debug');
  assert.equal(status, 0, stderr);
  const files = await readdir(staging);
  assert.ok(!files.includes('worker.js'), 'no second script for a worker to load');
  const script = await readFile(path.join(staging, 'worker-loader.js'), 'utf8');
  assert.ok(script.startsWith(GLUE.trimEnd()), 'the glue comes first');
  assert.ok(script.endsWith(WORKER_LOADER), 'the loader after it');
});

it('fails the build when the worker glue is missing', async () => {
  const { status, stderr } = await runHook('debug', '', { 'worker-loader.js': WORKER_LOADER });
  assert.equal(status, 1);
  assert.match(stderr, /worker glue/);
});
