// Headless Chromium (over CDP) and Firefox ESR (over WebDriver BiDi), the
// browsers Debian ships, driven by puppeteer-core: no browser is downloaded.
import puppeteer from 'puppeteer-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BROWSERS = [
  {
    name: 'chromium',
    options: {
      browser: 'chrome',
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  {
    name: 'firefox',
    options: { browser: 'firefox', executablePath: '/usr/bin/firefox-esr' },
  },
];

// Each browser gets a new empty profile, removed again when it closes: a
// Firefox profile is tens of megabytes, and the suite starts dozens of browsers.
export async function launch(spec) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), `pp-${spec.name}-`));
  const removeProfile = () => rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  let browser;
  try {
    browser = await puppeteer.launch({ headless: true, userDataDir, ...spec.options });
  } catch (err) {
    await removeProfile();
    throw err;
  }
  const close = browser.close.bind(browser);
  browser.close = async () => {
    try {
      await close();
    } finally {
      await removeProfile();
    }
  };
  return browser;
}

// A page that records everything a viewer would count as broken: console
// errors, uncaught exceptions, failed requests and error responses.
// `options` as puppeteer's `newPage` takes them (`{ type: 'window' }`: a window of its own).
export async function openPage(browser, options) {
  const page = await browser.newPage(options);
  await page.setViewport({ width: 1400, height: 900 });
  const problems = [];
  // Firefox reports a load that the service worker was answering, cut short by
  // leaving or reloading the page, as the worker's failure, with no address:
  // the body it was handing over had nowhere to go. Like an aborted request
  // (below), that is not a fault of the page, but only just after a navigation.
  let navigatedAt = -Infinity;
  page.on('request', (req) => {
    if (req.isNavigationRequest()) navigatedAt = Date.now();
  });
  page.on('framenavigated', () => {
    navigatedAt = Date.now();
  });
  const cutShort = (text) =>
    text === 'Failed to load ‘’. A ServiceWorker intercepted the request and encountered an unexpected error.' &&
    Date.now() - navigatedAt < 5_000;
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !cutShort(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => {
    const text = String(err.message ?? err);
    if (!cutShort(text)) problems.push(`uncaught: ${text}`);
  });
  // Whatever the page's Content Security Policy refuses is a problem too.
  await page.evaluateOnNewDocument(() => {
    addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP refused ${e.blockedURI || 'an inline resource'} (${e.violatedDirective})`),
    );
  });
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? '';
    // A load cut short by leaving or reloading the page is not a fault of the page.
    if (/^(net::ERR_ABORTED|NS_BINDING_ABORTED)$/.test(reason)) return;
    problems.push(`request failed: ${req.url()} ${reason}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems };
}
