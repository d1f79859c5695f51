// What a release build adds for static hosting, once index.html is final
// (called by scripts/post-build.mjs for release builds):
//   - the release mark: <meta name="release" content="ID"> in index.html, ID
//     naming the exact contents of every file of the site;
//   - sw.js, the service worker (www/sw.js with this release's ID and file list
//     filled in) that makes the page cross-origin isolated on hosts without
//     COOP/COEP and keeps the release in a cache for offline use;
//   - _headers, for hosts that honour it (Netlify, Cloudflare Pages): COOP/COEP,
//     the page's Content Security Policy, long cache lifetimes for hashed files;
//   - .br and .gz beside every large file (scripts/compress.mjs).
// `node scripts/release-files.mjs DIR` does it again for a built site whose
// files were changed afterwards (the release ID and sw.js follow the change).
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressLarge, isCompressed } from './compress.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATE = path.join(here, '..', 'www', 'sw.js');

const RELEASE_MARK = /\n?[ \t]*<meta name="release" content="[^"]*"\s*\/?>/;
// Trunk names a file it hashes `name-<16 hex digits>.ext` (or `name-<hash>_bg.wasm`).
const HASHED = /-[0-9a-f]{16}[._]/;
const YEAR = 365 * 24 * 3600;

/** The files of the site a page can load: not sw.js, not the hosting metadata, not compressed copies. */
export async function siteFiles(dir) {
  const names = await readdir(dir);
  return names
    .filter((n) => !n.startsWith('.') && !n.startsWith('_') && n !== 'sw.js' && !isCompressed(n))
    .sort();
}

const sri = (bytes) => `sha256-${createHash('sha256').update(bytes).digest('base64')}`;

/**
 * Marks index.html with this release's ID and writes sw.js. The ID is a hash of
 * every file's name and contents (index.html without its mark), so any change
 * to any file gives a new ID, a new service worker and a new cache.
 */
export async function writeServiceWorker(dir) {
  const files = await siteFiles(dir);
  const indexPath = path.join(dir, 'index.html');
  const page = (await readFile(indexPath, 'utf8')).replace(RELEASE_MARK, '');
  const integrity = {};
  const id = createHash('sha256');
  for (const name of files) {
    const bytes = name === 'index.html' ? Buffer.from(page) : await readFile(path.join(dir, name));
    integrity[name] = sri(bytes);
    id.update(`${name}\0${integrity[name]}\0`);
  }
  const release = id.digest('hex').slice(0, 16);
  const marked = page.replace(
    /<meta charset="utf-8"\s*\/?>/,
    (charset) => `${charset}\n    <meta name="release" content="${release}" />`,
  );
  if (marked === page) throw new Error('release-files: index.html has no <meta charset="utf-8" /> to mark after');
  await writeFile(indexPath, marked);
  // index.html is checked by its release mark, not its bytes: a host may rewrite HTML.
  integrity['index.html'] = '';
  const template = await readFile(TEMPLATE, 'utf8');
  const worker = template
    .replace("const RELEASE = 'unbuilt';", `const RELEASE = ${JSON.stringify(release)};`)
    .replace('const FILES = {};', `const FILES = ${JSON.stringify(integrity, null, 2)};`);
  if (!worker.includes(release) || !worker.includes('"index.html"')) {
    throw new Error('release-files: www/sw.js no longer has the RELEASE and FILES lines to fill in');
  }
  await writeFile(path.join(dir, 'sw.js'), worker);
  return { release, files };
}

/**
 * _headers for Netlify and Cloudflare Pages, with paths under the site's public
 * URL. Every path gets exactly one Cache-Control (those hosts merge the values of
 * every rule that matches), so hashed files are listed one by one.
 */
export async function writeHeaders(dir, publicUrl) {
  const page = await readFile(path.join(dir, 'index.html'), 'utf8');
  const policy = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
  const lines = [
    '# Response headers for hosts that read this file (Netlify, Cloudflare Pages); written',
    '# by scripts/release-files.mjs. Elsewhere sw.js makes the page cross-origin isolated.',
    `${publicUrl}*`,
    '  Cross-Origin-Opener-Policy: same-origin',
    '  Cross-Origin-Embedder-Policy: require-corp',
    '  Cross-Origin-Resource-Policy: same-origin',
    '  X-Content-Type-Options: nosniff',
  ];
  if (policy) lines.push(`  Content-Security-Policy: ${policy}`);
  for (const name of [...(await siteFiles(dir)), 'sw.js']) {
    const lifetime = HASHED.test(name) ? `public, max-age=${YEAR}, immutable` : 'no-cache';
    lines.push(`${publicUrl}${name === 'index.html' ? '' : name}`, `  Cache-Control: ${lifetime}`);
    if (name === 'index.html') lines.push(`${publicUrl}index.html`, `  Cache-Control: ${lifetime}`);
  }
  await writeFile(path.join(dir, '_headers'), lines.join('\n') + '\n');
}

/** Everything a release build adds, in order: the mark and sw.js, _headers, compressed copies. */
export async function finishRelease(dir, publicUrl) {
  const done = await writeServiceWorker(dir);
  await writeHeaders(dir, publicUrl);
  await compressLarge(dir);
  return done;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/release-files.mjs DIR   (a built release site)');
    process.exit(2);
  }
  const { release } = await writeServiceWorker(dir);
  await compressLarge(dir);
  console.log(`release ${release}`);
}
