//! `ThreadPoolExecutor` and `ProcessPoolExecutor`: a queue of calls and up to
//! `max_workers` workers, started lazily and reused.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::futures::Future;
use super::host::{TaskFailure, WorkerHost};
use super::session::{cannot_start, Session};
use crate::model::program::Program;
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::LaneKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    Threads,
    Processes,
}

struct Slot {
    host: Option<Rc<WorkerHost>>,
    busy: bool,
    /// The call this worker runs now.
    running: Option<Future>,
}

struct Inner {
    session: Session,
    kind: PoolKind,
    max_workers: usize,
    prefix: String,
    slots: RefCell<Vec<Slot>>,
    started: Cell<usize>,
    queue: RefCell<VecDeque<(Future, Program)>>,
    shutdown: Cell<bool>,
}

/// A pool; clones share it.
#[derive(Clone)]
pub struct Executor(Rc<Inner>);

/// `os.cpu_count()` as the browser tells it.
pub fn cpu_count() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as usize)
}

impl Executor {
    /// `ThreadPoolExecutor(max_workers)`: default `min(32, cpu + 4)`; threads
    /// named "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", ...
    pub fn thread_pool(session: &Session, max_workers: Option<usize>) -> Result<Executor, PyException> {
        let max = max_workers.unwrap_or_else(|| (cpu_count() + 4).min(32));
        let n = session.0.executors.get();
        session.0.executors.set(n + 1);
        Executor::new(session, PoolKind::Threads, max, format!("ThreadPoolExecutor-{n}"))
    }

    /// `ThreadPoolExecutor(max_workers, thread_name_prefix=prefix)`: threads "prefix_0", ...
    pub fn thread_pool_named(
        session: &Session,
        max_workers: Option<usize>,
        prefix: &str,
    ) -> Result<Executor, PyException> {
        let max = max_workers.unwrap_or_else(|| (cpu_count() + 4).min(32));
        Executor::new(session, PoolKind::Threads, max, prefix.to_owned())
    }

    /// `ProcessPoolExecutor(max_workers)`: default `cpu`; each worker a fresh
    /// process, as the "spawn" start method makes them.
    pub fn process_pool(session: &Session, max_workers: Option<usize>) -> Result<Executor, PyException> {
        let max = max_workers.unwrap_or_else(cpu_count);
        Executor::new(session, PoolKind::Processes, max, String::new())
    }

    fn new(session: &Session, kind: PoolKind, max_workers: usize, prefix: String) -> Result<Executor, PyException> {
        if max_workers == 0 {
            return Err(PyException::new("ValueError", "max_workers must be greater than 0"));
        }
        Ok(Executor(Rc::new(Inner {
            session: session.clone(),
            kind,
            max_workers,
            prefix,
            slots: RefCell::new(Vec::new()),
            started: Cell::new(0),
            queue: RefCell::new(VecDeque::new()),
            shutdown: Cell::new(false),
        })))
    }

    pub fn max_workers(&self) -> usize {
        self.0.max_workers
    }

    /// How many workers the pool has started so far.
    pub fn workers_started(&self) -> usize {
        self.0.started.get()
    }

    /// `submit(fn, *args)`: queues the call and returns its future at once.
    pub fn submit(&self, program: Program) -> Result<Future, PyException> {
        if self.0.shutdown.get() {
            return Err(PyException::new("RuntimeError", "cannot schedule new futures after shutdown"));
        }
        let future = self.0.session.new_future();
        self.0.queue.borrow_mut().push_back((future.clone(), program));
        self.pump();
        Ok(future)
    }

    /// `map(fn, iterable)`: submits every call now; results come back in
    /// submission order, and iteration stops at the first exception, which is
    /// raised when its result is reached.
    pub fn map(&self, programs: Vec<Program>) -> Result<MapResults, PyException> {
        let futures = programs.into_iter().map(|p| self.submit(p)).collect::<Result<VecDeque<_>, _>>()?;
        Ok(MapResults { futures, failed: false })
    }

    /// `shutdown(wait, cancel_futures)`.
    pub async fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.0.shutdown.set(true);
        if cancel_futures {
            let queued: Vec<_> = self.0.queue.borrow_mut().drain(..).collect();
            for (future, _) in queued {
                future.cancel();
            }
        }
        self.pump();
        if wait {
            // Every call still queued or running; each worker frees itself
            // before its call's future settles.
            let queued = self.0.queue.borrow().iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
            let running = self.0.slots.borrow().iter().filter_map(|s| s.running.clone()).collect::<Vec<_>>();
            for future in queued.into_iter().chain(running) {
                future.wait_done().await;
            }
            self.retire_idle();
        }
    }

    /// `with Executor(...) as executor:` — runs `body`, then `shutdown(wait=True)`.
    pub async fn scope<T, F>(self, body: impl FnOnce(Executor) -> F) -> T
    where
        F: std::future::Future<Output = T>,
    {
        let out = body(self.clone()).await;
        self.shutdown(true, false).await;
        out
    }

    /// Hands queued calls to idle workers, and starts a worker when none is
    /// idle and the pool is below `max_workers`.
    fn pump(&self) {
        loop {
            if self.0.queue.borrow().is_empty() {
                break;
            }
            // Calls cancelled while queued never run.
            self.0.queue.borrow_mut().retain(|(f, _)| !f.cancelled());
            let idle =
                self.0.slots.borrow().iter().position(|s| !s.busy && s.host.as_ref().is_some_and(|h| h.is_alive()));
            if let Some(index) = idle {
                // Workers started together take the queued calls in the order they
                // were started, as CPython's threads do: a worker that comes up early
                // leaves the calls ahead of it to the workers started before it.
                let ahead = self.0.slots.borrow()[..index].iter().filter(|s| s.host.is_none() && s.busy).count();
                let Some((future, program)) = self.0.queue.borrow_mut().remove(ahead) else {
                    break;
                };
                if !future.set_running() {
                    continue;
                }
                let host = {
                    let mut slots = self.0.slots.borrow_mut();
                    slots[index].busy = true;
                    slots[index].running = Some(future.clone());
                    slots[index].host.clone()
                };
                if let Some(host) = host {
                    self.run_on(index, host, future, program);
                }
                continue;
            }
            let starting = self.0.slots.borrow().iter().filter(|s| s.host.is_none() && s.busy).count();
            let alive = self.0.slots.borrow().iter().filter(|s| s.host.as_ref().is_some_and(|h| h.is_alive())).count();
            let queued = self.0.queue.borrow().len();
            if alive + starting < self.0.max_workers && starting < queued {
                self.start_worker();
                continue;
            }
            break;
        }
        if self.0.shutdown.get() && self.0.queue.borrow().is_empty() {
            self.retire_idle();
        }
    }

    fn start_worker(&self) {
        let number = self.0.started.get();
        self.0.started.set(number + 1);
        let (name, kind) = match self.0.kind {
            PoolKind::Threads => (format!("{}_{number}", self.0.prefix), LaneKind::Thread),
            PoolKind::Processes => {
                (format!("SpawnProcess-{}", self.0.session.next_process_number()), LaneKind::Process)
            }
        };
        let index = {
            let mut slots = self.0.slots.borrow_mut();
            slots.push(Slot { host: None, busy: true, running: None });
            slots.len() - 1
        };
        let pool = self.clone();
        self.0.session.spawn(async move {
            match pool.0.session.start_worker(&name, kind).await {
                Ok(host) => {
                    let mut slots = pool.0.slots.borrow_mut();
                    slots[index] = Slot { host: Some(host), busy: false, running: None };
                }
                Err(reason) => {
                    pool.0.slots.borrow_mut()[index].busy = false;
                    // Without a worker the queued calls cannot run: fail them.
                    let queued: Vec<_> = pool.0.queue.borrow_mut().drain(..).collect();
                    for (future, _) in queued {
                        if future.set_running() {
                            future.set_outcome(Err(cannot_start(kind, &reason)));
                        }
                    }
                }
            }
            pool.pump();
        });
    }

    fn run_on(&self, index: usize, host: Rc<WorkerHost>, future: Future, program: Program) {
        let pool = self.clone();
        self.0.session.spawn(async move {
            let task = pool.0.session.next_task();
            let outcome = host.run(task, &program).await;
            let broken = matches!(outcome, Err(TaskFailure::Panicked(_) | TaskFailure::Died(_)));
            {
                let mut slots = pool.0.slots.borrow_mut();
                slots[index].busy = false;
                slots[index].running = None;
                if broken {
                    // The worker is gone; a new one starts when work needs it.
                    slots[index].host = None;
                }
            }
            future.set_outcome(outcome.map_err(TaskFailure::into_exception));
            pool.pump();
        });
    }

    /// After shutdown, idle workers exit.
    fn retire_idle(&self) {
        let idle: Vec<Rc<WorkerHost>> =
            self.0.slots.borrow_mut().iter_mut().filter(|s| !s.busy).filter_map(|s| s.host.take()).collect();
        for host in idle {
            host.finish();
        }
    }
}

/// The results of `Executor::map`, in submission order.
pub struct MapResults {
    futures: VecDeque<Future>,
    failed: bool,
}

impl MapResults {
    /// The next result; after an exception there are no more.
    pub async fn next(&mut self) -> Option<Result<PyValue, PyException>> {
        if self.failed {
            return None;
        }
        let future = self.futures.pop_front()?;
        let result = future.result().await;
        if result.is_err() {
            self.failed = true;
            // Python cancels the calls that have not started when map's iterator dies.
            for rest in &self.futures {
                rest.cancel();
            }
        }
        Some(result)
    }
}
