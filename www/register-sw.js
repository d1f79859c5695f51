// Registers the release site's service worker (sw.js, see www/sw.js), which
// makes the page cross-origin isolated on hosts that do not send COOP/COEP and
// keeps the site for offline use. A same-origin file, so the page keeps no
// inline script and its Content Security Policy holds; at the end of the page's
// body, so the boot screen is painted without waiting for it.
//
// The first visit on such a host loads without isolation; once the worker is
// active the page reloads itself, once, and comes back isolated, unless a
// demo has been run meanwhile (a teacher pressing Run at once keeps the run). If it still is
// not (a browser that will not isolate this way), or the reload cannot be
// remembered, it never reloads again in this tab: the app runs on the
// message-based GIL and its title slide says so. Where service workers are
// unavailable (private windows, file://, plain http on a network address,
// blocked by settings) nothing happens at all.
(function () {
  'use strict';
  var RELOADED = 'parallel-playground: reloaded for isolation';
  var container = navigator.serviceWorker;
  var mark = document.querySelector('meta[name="release"]');
  var scope = new URL('.', document.baseURI).href;

  if (!container) {
    if (!window.crossOriginIsolated) {
      console.info('Parallel Playground: no service workers here, so no cross-origin isolation: the GIL uses the message-based arbiter.');
    }
    return;
  }
  if (!mark) {
    // A development build has no sw.js: drop the worker a release build left here.
    container.getRegistration(scope).then(function (registration) {
      if (registration && registration.scope === scope) registration.unregister();
    }, function () {});
    return;
  }
  var release = mark.getAttribute('content');

  var memory = null;
  try {
    memory = window.sessionStorage;
    memory.getItem(RELOADED);
  } catch (_) {
    memory = null;
  }
  if (window.crossOriginIsolated && memory) memory.removeItem(RELOADED);

  // A run the viewer has begun is not reloaded away: this visit goes on
  // without isolation, and the next one, which the worker serves, has it.
  function runBegun() {
    return !!document.querySelector('[data-testid=demo]:not([data-runs="0"])');
  }

  function reloadOnceForIsolation() {
    if (window.crossOriginIsolated || !memory || memory.getItem(RELOADED) || runBegun()) return;
    memory.setItem(RELOADED, '1');
    location.reload();
  }

  // A newer worker waits while pages of the older release are open; this page
  // lets it take over when it serves this very page's release.
  function offer(worker) {
    if (!worker) return;
    var ask = function () {
      if (worker.state === 'installed') worker.postMessage({ activate: release });
    };
    ask();
    worker.addEventListener('statechange', ask);
  }

  container.register(new URL('sw.js', scope).href, { scope: scope }).then(
    function (registration) {
      offer(registration.waiting);
      offer(registration.installing);
      registration.addEventListener('updatefound', function () {
        offer(registration.installing);
      });
      return container.ready.then(reloadOnceForIsolation);
    },
    function (error) {
      console.info('Parallel Playground: the service worker could not start (' + error.message + '), so no cross-origin isolation: the GIL uses the message-based arbiter.');
    },
  );
})();
