// The anchors the benchmark reads the app's runtime against, as functions on
// `window` that bench/round.mjs calls through puppeteer. Each mirrors a figure
// of tests/figures.rs: the same count of rounds, workers and jobs.

/** Posts `message` to `worker` and resolves with the first answer. */
function ask(worker, message) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
    worker.postMessage(message);
  });
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

// The workers' scripts sit beside this one, whichever page loads it (the
// anchors page, or the runtime's test page, which measures them beside the runtime).
const beside = (name) => new URL(name, import.meta.url).href;

/** An empty message's round trip through a warm echo worker, in ms (mean over `rounds`). */
window.echoRoundTrip = async (rounds) => {
  const worker = new Worker(beside('echo-worker.js'));
  await ask(worker, { task: 0 });
  const t0 = performance.now();
  for (let task = 1; task <= rounds; task++) await ask(worker, { task });
  const ms = (performance.now() - t0) / rounds;
  worker.terminate();
  return ms;
};

/** `pool.exec` of an empty function on a warm workerpool worker, in ms (mean over `rounds`). */
window.workerpoolRoundTrip = async (rounds) => {
  // The worker loads the same workerpool build as the page: its address is
  // the worker's name (a page that wraps workers keeps their options).
  const lib = document.querySelector('script[data-workerpool]').src;
  const pool = window.workerpool.pool(beside('workerpool-worker.js'), { maxWorkers: 1, workerOpts: { name: lib } });
  await pool.exec('empty', []);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await pool.exec('empty', []);
  const ms = (performance.now() - t0) / rounds;
  await pool.terminate();
  return ms;
};

/**
 * A message's round trip between two workers over a MessageChannel (the way
 * the runtime's threads reach the message-based GIL's arbiter and each
 * other), in ms (mean over `rounds`).
 */
window.portRoundTrip = async (rounds) => {
  const [pinger, ponger] = [new Worker(beside('port-worker.js')), new Worker(beside('port-worker.js'))];
  const channel = new MessageChannel();
  await new Promise((resolve) => {
    ponger.onmessage = resolve;
    ponger.postMessage({ port: channel.port2 }, [channel.port2]);
  });
  const ms = await new Promise((resolve) => {
    pinger.onmessage = (event) => resolve(event.data);
    pinger.postMessage({ port: channel.port1, rounds }, [channel.port1]);
  });
  pinger.terminate();
  ponger.terminate();
  return ms;
};

/**
 * Round trips between a worker and a worker it started, in ms (means over
 * `rounds`): `direct` by the nested worker's own postMessage, `port` over a
 * MessageChannel between the two. Where a browser carries a MessagePort's
 * messages through another process, the two differ by several times.
 */
window.nestedRoundTrip = async (rounds) => {
  const worker = new Worker(beside('nest-worker.js'));
  // A nested worker that never answers costs this figure, not the benchmark.
  const late = new Promise((resolve) => setTimeout(() => resolve({ direct: NaN, port: NaN }), 30_000));
  const figures = await Promise.race([ask(worker, { rounds }), late]);
  worker.terminate();
  return figures;
};

/**
 * A warm echo worker and a warm workerpool worker, kept between calls, for a
 * benchmark that takes turns with them: `echo(rounds)` and `workerpool(rounds)`
 * time as `echoRoundTrip` and `workerpoolRoundTrip` do, on the same workers
 * each call; `close()` ends them. A message's trip between threads moves by
 * two or more times from second to second on a shared machine, so a figure
 * read against an anchor is fairest taken in turns with it.
 */
window.warmAnchors = async () => {
  const worker = new Worker(beside('echo-worker.js'));
  await ask(worker, { task: 0 });
  const lib = document.querySelector('script[data-workerpool]').src;
  const pool = window.workerpool.pool(beside('workerpool-worker.js'), { maxWorkers: 1, workerOpts: { name: lib } });
  await pool.exec('empty', []);
  let task = 0;
  return {
    echo: async (rounds) => {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) await ask(worker, { task: ++task });
      return (performance.now() - t0) / rounds;
    },
    workerpool: async (rounds) => {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) await pool.exec('empty', []);
      return (performance.now() - t0) / rounds;
    },
    close: async () => {
      worker.terminate();
      await pool.terminate();
    },
  };
};

/** One echo worker's start, from `new Worker` to its first message back, in ms. */
window.echoStart = async () => {
  const t0 = performance.now();
  const worker = new Worker(beside('echo-worker.js'));
  await ask(worker, { task: 0 });
  worker.terminate();
  return performance.now() - t0;
};

/**
 * A worker's start: from `new Worker` to its first message back, in ms (mean
 * over `workers`, one after another). One worker first, so the script comes
 * from the cache, as the app's worker code is compiled once before it counts.
 */
window.echoReady = async (workers) => {
  const start = window.echoStart;
  await start();
  const times = [];
  for (let i = 0; i < workers; i++) times.push(await start());
  return mean(times);
};

/**
 * Two warm CPU workers for a benchmark that takes turns with them:
 * `wall(count)` runs four jobs of about 400 ms each on `count` of them (1 or
 * 2, a free worker taking the next job) and resolves with the wall time in
 * ms; `close()` ends them. The machine's speed moves from second to second,
 * so the runtime's walls are read against these taken between them.
 */
window.warmCpu = async () => {
  const workers = [new Worker(beside('cpu-worker.js')), new Worker(beside('cpu-worker.js'))];
  // Started and compiled first, so neither start-up nor the JIT is timed.
  for (const worker of workers) await ask(worker, { n: 20_000_000 });
  const probe = 100_000_000;
  const { ms } = await ask(workers[0], { n: probe });
  const n = Math.round((probe / ms) * 400);
  return {
    wall: async (count) => {
      let left = 4;
      const drain = async (worker) => {
        while (left > 0) {
          left--;
          await ask(worker, { n });
        }
      };
      const t0 = performance.now();
      await Promise.all(workers.slice(0, count).map(drain));
      return performance.now() - t0;
    },
    close: async () => {
      for (const worker of workers) worker.terminate();
    },
  };
};

/**
 * Four CPU-bound jobs of about 400 ms each on one JS worker, then on two (a
 * free worker takes the next job, as a pool does): the wall times and the speedup.
 */
window.cpuSpeedup = async () => {
  const cpu = await window.warmCpu();
  const oneMs = await cpu.wall(1);
  const twoMs = await cpu.wall(2);
  await cpu.close();
  return { oneMs, twoMs, speedup: oneMs / twoMs };
};
