//! Time on the page's clock. Workers have clocks of their own (their own
//! `timeOrigin`); they convert with the page's origin before they stamp an event.

use std::cell::Cell;

use wasm_bindgen::JsCast;

thread_local! {
    /// This context's `performance`, found once: a CPU loop reads the clock
    /// at every slice, and finding it costs more than reading it.
    static PERFORMANCE: Option<web_sys::Performance> = find_performance();
}

fn performance() -> Option<web_sys::Performance> {
    PERFORMANCE.with(Clone::clone)
}

fn find_performance() -> Option<web_sys::Performance> {
    let global = js_sys::global();
    if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        return window.performance();
    }
    global.dyn_ref::<web_sys::WorkerGlobalScope>().and_then(|w| w.performance())
}

/// `performance.now()` of this context.
pub fn now() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, web_sys::Performance::now))
}

/// The name of the User Timing measures around work that holds the page's
/// thread on purpose.
pub const ON_PURPOSE: &str = "blocks the page on purpose";

thread_local! {
    /// When this thread was last let go by work that held it on purpose.
    static HELD_UNTIL: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// Whether work that held this thread on purpose let go of it less than
/// `ms` ago: input that came meanwhile is only now being handled.
pub fn let_go_within(ms: f64) -> bool {
    now() - HELD_UNTIL.with(Cell::get) < ms
}

/// Runs `work`, which holds this thread on purpose (a CPU-bound coroutine, a
/// blocking `time.sleep` on the loop), inside a User Timing measure named
/// `"{ON_PURPOSE}: {what}"`: the browser's performance tools, and the
/// benchmark's count of long tasks, can tell it from the page's own work.
pub fn on_purpose<T>(what: &str, work: impl FnOnce() -> T) -> T {
    const MARK: &str = "parallel-playground-hold";
    let performance = performance();
    if let Some(p) = &performance {
        let _ = p.mark(MARK);
    }
    let out = work();
    HELD_UNTIL.with(|h| h.set(now()));
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark(&format!("{ON_PURPOSE}: {what}"), MARK);
        p.clear_marks_with_mark_name(MARK);
    }
    out
}

/// How far this context's clock moves at a tick, in ms, measured by watching
/// two ticks (at most two ticks' spinning): about 0.005-0.1 ms where the page is
/// cross-origin isolated, 0.1 ms in Chromium and 1 ms in Firefox where it is not.
/// A clock that does not move within a few million reads (no `performance`
/// here) is infinitely coarse.
pub fn tick_ms() -> f64 {
    let next_tick = |from: f64| (0..5_000_000).map(|_| now()).find(|t| *t != from);
    let Some(a) = next_tick(now()) else {
        return f64::INFINITY;
    };
    next_tick(a).map_or(f64::INFINITY, |b| b - a)
}

/// `performance.timeOrigin` of this context (ms since the epoch).
pub fn time_origin() -> f64 {
    performance().map_or(0.0, |p| p.time_origin())
}

/// Converts this context's clock to the clock of a page whose origin is `page_origin_ms`.
#[derive(Debug, Clone, Copy)]
pub struct PageClock {
    offset_ms: f64,
}

impl PageClock {
    pub fn new(page_origin_ms: f64) -> Self {
        PageClock { offset_ms: time_origin() - page_origin_ms }
    }

    /// This context's time `local_ms` on the page's clock.
    pub fn at(&self, local_ms: f64) -> f64 {
        local_ms + self.offset_ms
    }

    pub fn now(&self) -> f64 {
        now() + self.offset_ms
    }
}
