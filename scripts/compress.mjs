// Writes `name.br` and `name.gz` beside every large file of a built site, for
// hosts that send precompressed files (nginx gzip_static/brotli_static, Caddy's
// `precompressed`, e2e/server.mjs). A copy is kept only when it is smaller.
//   node scripts/compress.mjs DIR
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Below this many bytes a compressed copy saves less than a round trip's worth. */
export const LARGE = 1024;
const TEXT = new Set(['.html', '.js', '.css', '.svg', '.md', '.json', '.txt']);
const KINDS = new Set(['.js', '.wasm', ...TEXT]);
const ENCODINGS = ['.br', '.gz'];

export const isCompressed = (name) => ENCODINGS.includes(path.extname(name));

export async function compressLarge(dir) {
  const written = [];
  const names = await readdir(dir);
  for (const name of names.filter(isCompressed)) {
    // A copy whose original is gone or changed is written again below or removed.
    await rm(path.join(dir, name));
  }
  for (const name of names.filter((n) => !isCompressed(n) && KINDS.has(path.extname(n)))) {
    const file = path.join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    const bytes = await readFile(file);
    if (bytes.length < LARGE) continue;
    const br = await brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: TEXT.has(path.extname(name))
          ? zlib.constants.BROTLI_MODE_TEXT
          : zlib.constants.BROTLI_MODE_GENERIC,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gz = await gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION });
    for (const [ext, copy] of [['.br', br], ['.gz', gz]]) {
      if (copy.length >= bytes.length) continue;
      await writeFile(file + ext, copy);
      written.push(name + ext);
    }
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/compress.mjs DIR');
    process.exit(2);
  }
  console.log((await compressLarge(dir)).join('\n'));
}
