//! Every `Worker` the runtime starts goes through [`LiveWorker`], so the page
//! can tell how many are still alive.

use std::cell::Cell;

use web_sys::Worker;

thread_local! {
    static ALIVE: Cell<usize> = const { Cell::new(0) };
}

/// How many workers the runtime has started on this page and not yet
/// terminated, across all sessions.
pub fn workers_alive() -> usize {
    ALIVE.with(Cell::get)
}

/// A worker, counted from its start until it is terminated (or dropped).
pub(crate) struct LiveWorker {
    worker: Worker,
    alive: Cell<bool>,
}

impl LiveWorker {
    /// `new Worker(script_url)`, a classic script.
    pub fn start(script_url: &str) -> Result<LiveWorker, wasm_bindgen::JsValue> {
        let worker = Worker::new(script_url)?;
        ALIVE.with(|n| n.set(n.get() + 1));
        Ok(LiveWorker { worker, alive: Cell::new(true) })
    }

    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// `worker.terminate()`, once.
    pub fn terminate(&self) {
        if self.alive.replace(false) {
            self.worker.terminate();
            ALIVE.with(|n| n.set(n.get().saturating_sub(1)));
        }
    }
}

impl Drop for LiveWorker {
    fn drop(&mut self) {
        self.terminate();
    }
}
