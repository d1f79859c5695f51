//! Every `Worker` the runtime starts goes through [`LiveWorker`], so the page
//! can tell how many are still alive.

use std::cell::{Cell, RefCell};

use web_sys::Worker;

thread_local! {
    static ALIVE: Cell<usize> = const { Cell::new(0) };
    /// Every worker alive, by number, for [`terminate_all`].
    static WORKERS: RefCell<Vec<(u64, Worker)>> = const { RefCell::new(Vec::new()) };
    static NEXT: Cell<u64> = const { Cell::new(0) };
}

/// How many workers the runtime has started on this page and not yet
/// terminated, across all sessions.
pub fn workers_alive() -> usize {
    ALIVE.with(Cell::get)
}

/// Terminates every worker the runtime has alive, whatever holds it: for the
/// demos' module as it panics (it can run nothing after), so no worker
/// computes on for a run no one can stop. Never panics itself.
pub fn terminate_all() {
    let workers = WORKERS.with(|w| w.try_borrow_mut().map(|mut w| std::mem::take(&mut *w)).unwrap_or_default());
    for (_, worker) in workers {
        worker.terminate();
    }
    ALIVE.with(|n| n.set(0));
}

/// A worker, counted from its start until it is terminated (or dropped).
pub(crate) struct LiveWorker {
    worker: Worker,
    number: u64,
    alive: Cell<bool>,
}

impl LiveWorker {
    /// `new Worker(script_url)`, a classic script.
    pub fn start(script_url: &str) -> Result<LiveWorker, wasm_bindgen::JsValue> {
        let worker = Worker::new(script_url)?;
        ALIVE.with(|n| n.set(n.get() + 1));
        let number = NEXT.with(|n| n.replace(n.get() + 1));
        WORKERS.with(|w| w.borrow_mut().push((number, worker.clone())));
        Ok(LiveWorker { worker, number, alive: Cell::new(true) })
    }

    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// `worker.terminate()`, once.
    pub fn terminate(&self) {
        if self.alive.replace(false) {
            self.worker.terminate();
            let listed = WORKERS.with(|w| {
                let mut w = w.borrow_mut();
                let before = w.len();
                w.retain(|(n, _)| *n != self.number);
                w.len() < before
            });
            // Not listed: `terminate_all` ended it and counted it already.
            if listed {
                ALIVE.with(|n| n.set(n.get().saturating_sub(1)));
            }
        }
    }
}

impl Drop for LiveWorker {
    fn drop(&mut self) {
        self.terminate();
    }
}
