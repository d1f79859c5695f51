// Every worker of the runtime starts from `worker-loader.js` (src/runtime/module.rs):
// the page fetches it once and starts workers from a Blob URL of its text (the
// site's policy says `worker-src 'self' blob:`), or from its address where a
// policy of `worker-src 'self'` refuses that. The build (scripts/post-build.mjs) writes the wasm-bindgen glue
// Trunk made for the worker (its `let wasm_bindgen`) above this file's text,
// so a worker loads one script, not a loader and then its glue: that second
// load cost 4-6 ms of every worker's start.
//
// The first message is `{ module }`: the `WebAssembly.Module` the page
// compiled once. It is instantiated at once (`initSync`), so the worker's own
// message handler is in place before the page's next message arrives.
//
// If the worker cannot start, no Rust runs to say why: this file posts
// `FromWorker::Panicked { task: 0, message }` in its plain-object form
// itself, with a message a person can read.

function fail(message) {
  self.postMessage({ Panicked: { task: 0, message: String(message) } });
}

function text(error) {
  if (error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return String(error);
}

self.onmessage = function (event) {
  self.onmessage = null;
  const start = event.data || {};
  // The glue above declares `let wasm_bindgen`: a global binding, not a property of self.
  if (typeof wasm_bindgen !== 'function' || typeof wasm_bindgen.initSync !== 'function') {
    fail('the worker script worker-loader.js holds no worker code (was it built by scripts/post-build.mjs?)');
    return;
  }
  if (!(start.module instanceof WebAssembly.Module)) {
    fail('the page did not hand the worker its compiled code');
    return;
  }
  try {
    wasm_bindgen.initSync({ module: start.module });
  } catch (error) {
    fail(`the worker's code failed as it started: ${text(error)}`);
  }
};
