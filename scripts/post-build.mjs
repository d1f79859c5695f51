// Trunk's post-build hook (see Trunk.toml): the page keeps no inline script, so
// a strict Content Security Policy can hold. Trunk writes its wasm loader into
// index.html as an inline module; this moves it into a file of its own, named
// by its content, and, for release builds, adds the policy to the page, takes
// the comments out of the page and the stylesheets and minifies every script
// (esbuild). It also writes the worker's glue and loader into one script
// (worker-loader.js).
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transform } from 'esbuild';
import { finishRelease } from './release-files.mjs';

// The policy the release site ships (also in the hosting headers).
const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self' blob:; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'self'";

const staging = process.env.TRUNK_STAGING_DIR;
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';
if (!staging) {
  console.error('post-build: run by Trunk, which sets TRUNK_STAGING_DIR');
  process.exit(2);
}
const html = path.join(staging, 'index.html');
let page = await readFile(html, 'utf8');

const inline = /<script type="module"([^>]*)>([\s\S]*?)<\/script>/g;
const found = [...page.matchAll(inline)].filter((m) => !/\bsrc=/.test(m[1]));
for (const [whole, , code] of found) {
  const name = `boot-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  await writeFile(path.join(staging, name), code.trim() + '\n');
  page = page.replace(whole, `<script type="module" src="${publicUrl}${name}"></script>`);
}
// The first paint shows the deck's title before the wasm arrives: the deck's
// first heading, written into the loading screen.
const deck = await readFile(new URL('../www/parallel-execution.md', import.meta.url), 'utf8').catch(() => '');
const title = deck.match(/^#{1,2}\s+(.+?)\s*#*\s*$/m)?.[1];
if (title) {
  const escaped = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  page = page.replace(/(<h1 class="boot-title" data-deck-title>)[^<]*(<\/h1>)/, `$1${escaped}$2`);
}
// One script per worker: the worker's wasm-bindgen glue, then the loader
// (www/worker-loader.js), so starting a worker loads one file, not two.
const glue = path.join(staging, 'worker.js');
const loader = path.join(staging, 'worker-loader.js');
const glueText = await readFile(glue, 'utf8').catch(() => null);
const loaderText = await readFile(loader, 'utf8').catch(() => null);
if (glueText === null || loaderText === null || !/^let wasm_bindgen\b/m.test(glueText)) {
  console.error('post-build: the worker glue (worker.js with `let wasm_bindgen`) or worker-loader.js is missing');
  process.exit(1);
}
await writeFile(loader, `${glueText.trimEnd()}\n\n${loaderText}`);
await rm(glue);
const release = process.env.TRUNK_PROFILE === 'release';
// A release page must hold its policy. `trunk serve` adds its own inline
// live-reload script to debug builds (its address is filled in as it serves
// the page), and a debug page carries no policy.
const left = release && page.match(/<script(?![^>]*\bsrc=)[^>]*>[\s\S]{0,200}/);
if (left) {
  console.error(`post-build: index.html still has an inline script: ${left[0]}`);
  process.exit(1);
}
if (release) {
  // Less to fetch and to parse before the first slide, and at each worker's
  // start: the stylesheet without its comments and spare whitespace, every
  // script minified (the wasm-bindgen glue is about half its size, gzipped
  // 2 KB less for the slides' module); each file's integrity attribute in the
  // page follows its new bytes.
  const renew = (name, text) => {
    const integrity = `sha384-${createHash('sha384').update(text).digest('base64')}`;
    const tags = new RegExp(`<[^>]*(?:href|src)="[^"]*?/?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`, 'g');
    page = page.replace(tags, (tag) => tag.replace(/integrity="[^"]*"/, `integrity="${integrity}"`));
  };
  // The page's stylesheet, the demos' (their module adds it to the page) and
  // the speaker view's (its window adds it).
  const sheets = [...page.matchAll(/<link rel="stylesheet" href="[^"]*?([^"/]+\.css)"[^>]*>/g)].map((m) => m[1]);
  for (const href of [...sheets, 'demos.css', 'speaker.css']) {
    const file = path.join(staging, href);
    const css = `${(await readFile(file, 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};])\s*/g, '$1')
      .trim()}\n`;
    await writeFile(file, css);
    renew(href, css);
  }
  // The page's classic scripts and the worker's keep their top-level names
  // (the worker's loader calls the glue's `wasm_bindgen`); modules keep their exports.
  const classic = new Set(['worker-loader.js', ...[...page.matchAll(/<script src="[^"]*?([^"/]+\.js)"[^>]*>/g)].map((m) => m[1])]);
  for (const name of (await readdir(staging)).filter((f) => f.endsWith('.js'))) {
    const file = path.join(staging, name);
    const format = classic.has(name) ? undefined : 'esm';
    const { code } = await transform(await readFile(file, 'utf8'), { minify: true, loader: 'js', format, charset: 'utf8' });
    await writeFile(file, code);
    renew(name, code);
  }
  // The page itself without its comments and the blank space between tags.
  page = page.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').trim() + '\n';
  page = page.replace(
    /<meta charset="utf-8"\s*\/?>/,
    (charset) => `${charset}<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`,
  );
}
await writeFile(html, page);
// The service worker, the hosting headers and the compressed copies (release builds).
if (release) await finishRelease(staging, publicUrl);
