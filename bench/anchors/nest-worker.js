// A worker that starts a worker of its own and times messages to it both ways
// threads could speak: the nested worker's own postMessage, and a
// MessageChannel between the two. `{ rounds }` makes it post
// `{ direct, port }`, the mean round trip of each in ms, to the page. As the
// nested worker it answers every message, on whichever way it came.
'use strict';
if (self.name === 'nested') {
  self.onmessage = (event) => {
    if (event.data?.port) {
      const { port } = event.data;
      port.onmessage = (m) => port.postMessage(m.data);
      self.postMessage('ready');
      return;
    }
    self.postMessage(event.data);
  };
} else {
  self.onmessage = async (event) => {
    const { rounds } = event.data;
    const nested = new Worker(self.location.href, { name: 'nested' });
    const channel = new MessageChannel();
    await new Promise((resolve) => {
      nested.onmessage = resolve;
      nested.postMessage({ port: channel.port2 }, [channel.port2]);
    });
    // Mean round trip of `send`, answered on `target`, after one to warm it up.
    const time = async (send, target) => {
      const trip = (i) => new Promise((resolve) => {
        target.onmessage = resolve;
        send(i);
      });
      await trip(-1);
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) await trip(i);
      return (performance.now() - t0) / rounds;
    };
    const direct = await time((i) => nested.postMessage(i), nested);
    const port = await time((i) => channel.port1.postMessage(i), channel.port1);
    nested.terminate();
    self.postMessage({ direct, port });
  };
}
