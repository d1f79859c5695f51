// The release site's service worker. A release build writes it into the site as
// sw.js with RELEASE and FILES filled in (scripts/release-files.mjs); the page
// registers it from register-sw.js. It does two things:
//
//  - Cross-origin isolation on any static host: every response it gives the
//    site's pages and workers carries COOP/COEP, so a host that cannot send
//    them (GitHub Pages) still gets a page with SharedArrayBuffer. Where the
//    host sends them already, adding them again changes nothing.
//  - Offline after the first visit: it keeps every file of its release in a
//    cache of that release's own, and serves the files from it. The page itself
//    is asked of the network first: when the host has a newer release, this
//    worker drops its cache (so nothing old is served beside the new page) and
//    asks the browser to fetch the new sw.js, whose cache then takes over.
'use strict';

// Filled in by the release build.
const RELEASE = 'unbuilt';
const FILES = {};

const SCOPE = self.registration.scope;
const SCOPE_PATH = new URL(SCOPE).pathname;
// Several sites can share an origin (a GitHub Pages user's projects): the
// cache names say whose they are, and this worker only ever deletes its own.
const CACHE_PREFIX = `parallel-playground ${SCOPE} `;
const CACHE = CACHE_PREFIX + RELEASE;
const INDEX = 'index.html';
// A page slower than this from the network opens from the cache.
const NETWORK_WAIT_MS = 4000;

const releaseOf = (html) => html.match(/<meta name="release" content="([^"]*)"/)?.[1] ?? null;
const urlOf = (name) => new URL(name, SCOPE).href;

self.addEventListener('install', (event) => event.waitUntil(keepRelease()));

// Every file of this release, checked against the hashes the build recorded, so
// the cache never holds a file of another release (a host mid-deploy, a stale
// proxy). A failed check fails the install; the next visit tries again.
async function keepRelease() {
  const cache = await caches.open(CACHE);
  try {
    await Promise.all(
      Object.entries(FILES).map(async ([name, integrity]) => {
        const response = await fetch(urlOf(name), { cache: 'no-cache', integrity });
        if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
        if (name === INDEX && releaseOf(await response.clone().text()) !== RELEASE) {
          throw new Error(`${name} is not of release ${RELEASE}`);
        }
        await cache.put(urlOf(name), response);
      }),
    );
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
}

self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  ),
);

// A newer worker waits while pages of the older release are open; a page of
// this worker's own release asks it to take over (see register-sw.js). Pages of
// the older release still open in other tabs then get the newer files, as they
// would from the host itself.
self.addEventListener('message', (event) => {
  if (event.data && event.data.activate === RELEASE) self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  const name = decodeURIComponent(url.pathname.slice(SCOPE_PATH.length)) || INDEX;
  if (request.mode === 'navigate' && name === INDEX) {
    event.respondWith(openPage(event));
  } else if (Object.hasOwn(FILES, name)) {
    event.respondWith(serveFile(request, name));
  }
  // Anything else (a demo's own requests) goes to the network untouched.
});

async function openPage(event) {
  const request = event.request;
  let response = null;
  try {
    response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the network is too slow')), NETWORK_WAIT_MS)),
    ]);
  } catch {
    // Offline, the host down, or too slow: the cache answers below.
  }
  if (response && response.ok) {
    if (releaseOf(await response.clone().text()) !== RELEASE) {
      // The host has another release: this one must not serve its files to it.
      await caches.delete(CACHE);
      // Kept alive until the update has run: a worker idle once the page is
      // served may be stopped first, and the new release would then wait for
      // the next visit.
      event.waitUntil(self.registration.update().catch(() => {}));
    }
    return isolated(response);
  }
  const cached = await caches.match(urlOf(INDEX), { cacheName: CACHE });
  if (cached) return isolated(cached);
  return response ? isolated(response) : Response.error();
}

async function serveFile(request, name) {
  const cached = await caches.match(urlOf(name), { cacheName: CACHE });
  return isolated(cached ?? (await fetch(request)));
}

function isolated(response) {
  // A redirect or an opaque response passes as it is.
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
