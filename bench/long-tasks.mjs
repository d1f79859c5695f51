// The main thread's long tasks (over 50 ms) on a page, from before its first
// script: the Long Tasks API where the browser has it (Chromium). Firefox has
// none, so there a probe timer ticks every 10 ms and each tick that comes more
// than 50 ms late counts as a long task of that lateness (a task holding the
// main thread delays the tick behind it).
//
// A demo may hold the page's thread on purpose (a CPU-bound asyncio task, a
// blocking time.sleep on the loop): the page wraps those moments in User Timing
// measures named "blocks the page on purpose: ...", and a long task that
// overlaps one is counted apart from the page's own.
export async function watchLongTasks(page) {
  await page.evaluateOnNewDocument(() => {
    const seen = { source: 'Long Tasks API', tasks: [] };
    window.__longTasks = seen;
    if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
      new PerformanceObserver((list) =>
        seen.tasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))),
      ).observe({ type: 'longtask', buffered: true });
      return;
    }
    seen.source = 'timer probe';
    const every = 10;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      const late = now - last - every;
      if (late > 50) seen.tasks.push({ start: last + every, duration: late });
      last = now;
    }, every);
  });
}

/** Splits `spans` ({ start, duration } on the page's clock) into those that
 *  overlap a moment the page holds its thread on purpose and the others. Runs in the page. */
export function splitOnPurpose(spans) {
  const held = performance
    .getEntriesByType('measure')
    .filter((m) => m.name.startsWith('blocks the page on purpose'))
    .map((m) => [m.startTime, m.startTime + m.duration]);
  const onPurpose = (s) => held.some(([from, to]) => s.start < to + 20 && s.start + s.duration > from - 20);
  return {
    durations: spans.filter((s) => !onPurpose(s)).map((s) => s.duration),
    onPurpose: spans.filter(onPurpose).map((s) => s.duration),
  };
}

/** The long tasks seen since the page loaded (or since the last call):
 *  { source, durations, onPurpose }, the last those of a demo that holds the page on purpose. */
export function takeLongTasks(page) {
  return page.evaluate(`(() => {
    const split = ${splitOnPurpose.toString()};
    return { source: window.__longTasks.source, ...split(window.__longTasks.tasks.splice(0)) };
  })()`);
}
