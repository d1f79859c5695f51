// A worker that talks to another worker over a MessageChannel, as the
// runtime's threads and the message-based GIL's arbiter do. `{ port }` makes
// it answer every message on the port; `{ port, rounds }` makes it time
// `rounds` round trips over the port and post the mean, in ms, to the page.
'use strict';
self.onmessage = (event) => {
  const { port, rounds } = event.data;
  if (!rounds) {
    port.onmessage = (m) => port.postMessage(m.data);
    self.postMessage('ready');
    return;
  }
  let done = -1;
  let t0 = 0;
  port.onmessage = () => {
    done += 1;
    // The first answer only warms the channel up.
    if (done === 0) t0 = performance.now();
    if (done === rounds) {
      self.postMessage((performance.now() - t0) / rounds);
      return;
    }
    port.postMessage(done);
  };
  port.postMessage(-1);
};
