// Every worker of the runtime starts from this file (src/runtime/module.rs):
// a same-origin script, so a Content Security Policy of `worker-src 'self'`
// allows it. Its first message is `{ module, glue }`: the `WebAssembly.Module`
// the page compiled once, and the address of the wasm-bindgen glue
// (`worker.js`, next to this file; the page resolves it against its <base>,
// since a worker's own address may be a wrapper's blob: in test runners).
//
// If the worker cannot start, no Rust runs to say why: this file posts
// `FromWorker::Panicked { task: 0, message }` in its serde form itself, with a
// message a person can read.
'use strict';

const GLUE = 'worker.js';
let glueUrl = GLUE;

function fail(message) {
  self.postMessage({ Panicked: { task: 0, message: String(message) } });
}

function text(error) {
  if (error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return String(error);
}

// Why `importScripts` failed, in words: a missing file, the wrong type, or a
// broken script.
async function glueFault(error) {
  if (error instanceof SyntaxError) {
    return `the worker code ${GLUE} is not valid JavaScript: ${text(error)}`;
  }
  try {
    const response = await fetch(glueUrl, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      return `the worker code ${GLUE} could not be loaded (HTTP ${response.status})`;
    }
    const type = (response.headers.get('content-type') || 'no type').split(';')[0].trim();
    if (!/javascript|ecmascript/i.test(type)) {
      return `the worker code ${GLUE} is served as ${type}, not as JavaScript`;
    }
  } catch (_) {
    return `the worker code ${GLUE} could not be loaded (network error)`;
  }
  return `the worker code ${GLUE} could not be loaded: ${text(error)}`;
}

self.onmessage = function (event) {
  self.onmessage = null;
  const start = event.data || {};
  if (typeof start.glue === 'string') {
    glueUrl = start.glue;
  }
  try {
    importScripts(glueUrl);
  } catch (error) {
    glueFault(error).then(fail);
    return;
  }
  // The glue declares `let wasm_bindgen`: a global binding, not a property of self.
  if (typeof wasm_bindgen !== 'function') {
    fail(`the worker code ${GLUE} did not define wasm_bindgen`);
    return;
  }
  let started;
  try {
    started = wasm_bindgen({ module_or_path: start.module });
  } catch (error) {
    fail(`the worker's code failed as it started: ${text(error)}`);
    return;
  }
  Promise.resolve(started).catch(function (error) {
    fail(`the worker's code failed as it started: ${text(error)}`);
  });
};
