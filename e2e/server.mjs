// Serves the built site (dist/) over HTTP on loopback, under a sub-path, as a
// static host would. `isolated` adds the COOP/COEP headers that make the page
// cross-origin isolated; without them the page must still work.
//
// Like hosts that serve precompressed files, it sends `name.br` or `name.gz`
// in place of `name` when the request accepts that encoding and the file exists.
// For the hosting tests it can also play a host that is down (`answerWith(503)`),
// switch to another build (`setRoot`), listen on a given `port` (to come back
// on the same origin after `close`), and it records every request (`requests`).
// For the fault tests, `respond(name, answer)` changes what one file gets:
// another status, content type, body or extra headers (`respond(name, null)` undoes it).
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

// Preferred first.
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** The encodings an Accept-Encoding header allows (q=0 refuses one). */
function accepted(header = '') {
  const allowed = new Set();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) allowed.add(name);
  }
  return allowed;
}

async function readIfFile(file) {
  try {
    return (await stat(file)).isFile() ? await readFile(file) : null;
  } catch {
    return null;
  }
}

export async function serveSite({ root, base = '/parallel-playground/', isolated = true, port = 0 }) {
  let rootDir = path.resolve(root);
  await stat(path.join(rootDir, 'index.html'));
  let outage = null;
  const requests = [];
  const answers = new Map();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    requests.push({ path: url.pathname, accept: req.headers.accept ?? '', cookie: req.headers.cookie ?? null });
    const headers = isolated
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    if (outage) {
      res.writeHead(outage, headers).end('the host is unavailable');
      return;
    }
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
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const answer = answers.get(rel);
    if (answer) {
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      const body = answer.body ?? (await readIfFile(file)) ?? '';
      res
        .writeHead(answer.status ?? 200, {
          ...headers,
          'content-type': answer.type ?? type,
          'cache-control': 'no-cache',
          ...(answer.headers ?? {}),
        })
        .end(body);
      return;
    }
    const allowed = accepted(req.headers['accept-encoding']);
    for (const [encoding, ext] of ENCODINGS) {
      if (!allowed.has(encoding)) continue;
      const body = await readIfFile(file + ext);
      if (body) {
        res
          .writeHead(200, {
            ...headers,
            'content-type': type,
            'content-encoding': encoding,
            vary: 'accept-encoding',
            'cache-control': 'no-cache',
          })
          .end(body);
        return;
      }
    }
    const body = await readIfFile(file);
    if (body) {
      res.writeHead(200, { ...headers, 'content-type': type, vary: 'accept-encoding', 'cache-control': 'no-cache' }).end(body);
    } else {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}${base}`,
    port: address.port,
    requests,
    /** Serves another build from now on. */
    setRoot: (dir) => {
      rootDir = path.resolve(dir);
    },
    /** Answers requests for one file (a name under the site) as `answer` says: { status, type, body, headers, delayMs }. */
    respond: (name, answer) => {
      if (answer) answers.set(name, answer);
      else answers.delete(name);
    },
    /** Answers every request with this status (503: the host is down), or serves again with null. */
    answerWith: (status) => {
      outage = status;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
