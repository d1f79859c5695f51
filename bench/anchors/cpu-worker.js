// CPU-bound work in plain JS: `n` xorshift steps, which the engine cannot fold
// into a formula as it could an empty countdown. Answers with the result (so
// the loop is not dead code) and the milliseconds it took.
'use strict';
self.onmessage = (event) => {
  const t0 = performance.now();
  let x = 2463534242 | 0;
  for (let i = event.data.n; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  self.postMessage({ x, ms: performance.now() - t0 });
};
