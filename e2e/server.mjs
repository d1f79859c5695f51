// Serves the built site (dist/) over HTTP on loopback, under a sub-path, as a
// static host would. `isolated` adds the COOP/COEP headers that make the page
// cross-origin isolated; without them the page must still work.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
};

export async function serveSite({ root, base = '/parallel-playground/', isolated = true }) {
  const rootDir = path.resolve(root);
  await stat(path.join(rootDir, 'index.html'));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const headers = isolated
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404, headers).end('not under the site path');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    const file = path.resolve(rootDir, rel);
    if (!file.startsWith(rootDir + path.sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
