// The main thread's long tasks (over 50 ms) on a page, from before its first
// script: the Long Tasks API where the browser has it (Chromium). Firefox has
// none, so there a probe timer ticks every 10 ms and each tick that comes more
// than 50 ms late counts as a long task of that lateness (a task holding the
// main thread delays the tick behind it).
export async function watchLongTasks(page) {
  await page.evaluateOnNewDocument(() => {
    const seen = { source: 'Long Tasks API', durations: [] };
    window.__longTasks = seen;
    if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
      new PerformanceObserver((list) => seen.durations.push(...list.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
      return;
    }
    seen.source = 'timer probe';
    const every = 10;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      const late = now - last - every;
      if (late > 50) seen.durations.push(late);
      last = now;
    }, every);
  });
}

/** The long tasks seen since the page loaded (or since the last call): { source, durations }. */
export function takeLongTasks(page) {
  return page.evaluate(() => ({ source: window.__longTasks.source, durations: window.__longTasks.durations.splice(0) }));
}
