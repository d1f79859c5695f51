//! CPython's "new GIL" (3.2+) as a lock word in a `SharedArrayBuffer` that
//! workers block on with `Atomics.wait`.
//!
//! A waiting thread waits one switch interval; if the holder has not switched
//! by then it sets the drop request, and the holder lets go at its next slice
//! boundary, then waits until another thread has taken the lock (CPython's
//! FORCE_SWITCHING), so it cannot grab it straight back.
//!
//! The same buffer holds the session's stop word: every worker of the session
//! gets the buffer (with or without a GIL), checks the word at each slice of
//! CPU work and whenever `Atomics.wait` returns, so a stop ends a CPU loop or
//! a wait for the lock at once, not when the browser forces the thread down.

use js_sys::{Atomics, Int32Array, SharedArrayBuffer};
use wasm_bindgen::JsValue;

/// Cells of the shared `Int32Array`.
const LOCKED: u32 = 0;
const HOLDER: u32 = 1;
const DROP_REQUEST: u32 = 2;
const SWITCHES: u32 = 3;
const INTERVAL_US: u32 = 4;
const WAITERS: u32 = 5;
/// Non-zero once the session is stopped.
pub const STOP: u32 = 6;
/// Slices of CPU work the session's workers have done: it stops growing when
/// they stop.
const SLICES: u32 = 7;
pub const CELLS: u32 = 8;

/// The page's side: makes the buffer, can free a lock a dead worker held, and
/// sets the stop word.
pub struct SharedGilCells {
    pub cells: Int32Array,
}

impl SharedGilCells {
    pub fn new(switch_interval_ms: f64) -> Option<Self> {
        // SharedArrayBuffer exists only on cross-origin isolated pages.
        let has_sab = js_sys::Reflect::has(&js_sys::global(), &"SharedArrayBuffer".into()).unwrap_or(false);
        if !has_sab {
            return None;
        }
        let buffer = SharedArrayBuffer::new(CELLS * 4);
        let cells = Int32Array::new(&buffer);
        cells.set_index(INTERVAL_US, (switch_interval_ms * 1000.0).round().clamp(1.0, 1e9) as i32);
        Some(SharedGilCells { cells })
    }

    /// The buffer, for the workers that share the lock.
    pub fn buffer(&self) -> JsValue {
        Int32Array::buffer(&self.cells).into()
    }

    /// Tells every worker of the session to stop, and wakes those blocked in
    /// `Atomics.wait` (for the lock, or for another to take it).
    pub fn stop(&self) {
        let _ = Atomics::store(&self.cells, STOP, 1);
        for cell in [LOCKED, SWITCHES, STOP] {
            let _ = Atomics::notify(&self.cells, cell);
        }
    }

    /// Slices of CPU work done so far by the session's workers.
    pub fn slices(&self) -> u32 {
        Atomics::load(&self.cells, SLICES).map_or(0, |n| n as u32)
    }

    /// Frees the lock if `lane` holds it: a terminated worker cannot let go itself.
    pub fn release_for_dead(&self, lane: i32) {
        if Atomics::load(&self.cells, HOLDER).ok() == Some(lane) {
            let _ = Atomics::store(&self.cells, HOLDER, 0);
            let _ = Atomics::store(&self.cells, LOCKED, 0);
            let _ = Atomics::notify(&self.cells, LOCKED);
            let _ = Atomics::add(&self.cells, SWITCHES, 1);
            let _ = Atomics::notify(&self.cells, SWITCHES);
        }
    }
}

/// A worker's view of its session's stop word.
#[derive(Clone)]
pub struct StopWord {
    cells: Int32Array,
}

impl StopWord {
    pub fn new(cells: Int32Array) -> Self {
        StopWord { cells }
    }

    pub fn is_set(&self) -> bool {
        Atomics::load(&self.cells, STOP).is_ok_and(|v| v != 0)
    }

    /// One more slice of CPU work done.
    pub fn count_slice(&self) {
        let _ = Atomics::add(&self.cells, SLICES, 1);
    }
}

/// A worker's side of the shared GIL.
pub struct SharedGil {
    cells: Int32Array,
    lane: i32,
}

impl SharedGil {
    pub fn new(cells: Int32Array, lane: i32) -> Self {
        SharedGil { cells, lane }
    }

    fn load(&self, cell: u32) -> i32 {
        Atomics::load(&self.cells, cell).unwrap_or(0)
    }

    fn interval_ms(&self) -> f64 {
        f64::from(self.load(INTERVAL_US).max(1)) / 1000.0
    }

    pub fn try_acquire(&self) -> bool {
        if Atomics::compare_exchange(&self.cells, LOCKED, 0, 1).ok() != Some(0) {
            return false;
        }
        let _ = Atomics::store(&self.cells, HOLDER, self.lane);
        let _ = Atomics::store(&self.cells, DROP_REQUEST, 0);
        let _ = Atomics::add(&self.cells, SWITCHES, 1);
        let _ = Atomics::notify(&self.cells, SWITCHES);
        true
    }

    /// Blocks this worker until it holds the GIL; false if the session was
    /// stopped first. `each_interval` runs whenever a whole interval passed
    /// without the lock.
    pub fn acquire(&self, each_interval: impl Fn()) -> bool {
        if self.try_acquire() {
            return true;
        }
        // Counted as waiting until the lock is ours, so a forced releaser
        // knows someone is still coming for it.
        let _ = Atomics::add(&self.cells, WAITERS, 1);
        let acquired = loop {
            let switches = self.load(SWITCHES);
            let outcome = Atomics::wait_with_timeout(&self.cells, LOCKED, 1, self.interval_ms());
            if self.stopped() {
                break false;
            }
            if self.try_acquire() {
                break true;
            }
            let timed_out = outcome.ok().and_then(|s| s.as_string()).as_deref() == Some("timed-out");
            if timed_out && self.load(SWITCHES) == switches {
                // A whole interval without a switch: ask the holder to let go.
                let _ = Atomics::store(&self.cells, DROP_REQUEST, 1);
            }
            if timed_out {
                each_interval();
            }
        };
        let _ = Atomics::sub(&self.cells, WAITERS, 1);
        acquired
    }

    fn stopped(&self) -> bool {
        self.load(STOP) != 0
    }

    pub fn drop_requested(&self) -> bool {
        self.load(DROP_REQUEST) != 0
    }

    /// Lets go. `forced`: the holder was asked to, so it waits until someone
    /// else has taken the lock before it may try again.
    pub fn release(&self, forced: bool) {
        let switches = self.load(SWITCHES);
        let _ = Atomics::store(&self.cells, HOLDER, 0);
        let _ = Atomics::store(&self.cells, LOCKED, 0);
        let _ = Atomics::notify(&self.cells, LOCKED);
        if forced {
            while self.load(SWITCHES) == switches && self.load(WAITERS) > 0 && !self.stopped() {
                let _ = Atomics::wait_with_timeout(&self.cells, SWITCHES, switches, self.interval_ms());
            }
        }
    }
}
