//! `ThreadPoolExecutor` and `ProcessPoolExecutor`: a queue of calls and up to
//! `max_workers` workers, started lazily and reused (a forked process pool
//! starts all its processes at the first call, as CPython 3.11 does). Workers
//! started together take their first calls together, in the order they were
//! started, however long each Web Worker took to come up.
//!
//! A process pool whose child dies abruptly (its start raised, its code
//! panicked, it crashed) is broken, as CPython's is: every call pending or
//! running fails with `BrokenProcessPool`, and so does every later `submit`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::futures::Future;
use super::host::{TaskFailure, WorkerHost};
use super::session::{cannot_start, Ident, Session};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::LaneKind;
use crate::model::traceback::{exception_line, Frame, Source, Traceback, BOOTSTRAPPING_MESSAGE};

#[derive(Debug, Clone, PartialEq)]
pub enum PoolKind {
    Threads,
    Processes(StartMethod),
}

/// How a `ProcessPoolExecutor` starts its processes (`multiprocessing`'s
/// start methods).
#[derive(Debug, Clone, PartialEq)]
pub enum StartMethod {
    /// CPython's default on Linux: the children are copies of the parent,
    /// named "ForkProcess-N"; their `threading.get_ident()` is the parent's
    /// main thread's, and what the parent set up (logging) they have too.
    Fork,
    /// Each child starts a fresh interpreter, named "SpawnProcess-N", and
    /// imports the main module again: `main_module` is what that runs first.
    /// If it raises, the child prints its traceback and dies.
    Spawn { main_module: Option<MainModule> },
}

/// What a spawned child runs before it takes a call (its import of the main
/// module), and the lines it prints if that raises.
#[derive(Debug, Clone, PartialEq)]
pub struct MainModule {
    pub program: Program,
    /// The child's traceback; none: the exception's last line.
    pub dies_printing: Vec<String>,
}

impl MainModule {
    /// A main module that runs `program` on import.
    pub fn new(program: Program) -> Self {
        MainModule { program, dies_printing: Vec::new() }
    }
}

/// What a spawned child runs first when the main module creates a pool
/// without an `if __name__ == '__main__':` guard: importing it starts another
/// process while the child is still bootstrapping. `work` (a countdown) is
/// the CPU time of its imports, and of its failing and exiting, before the
/// parent hears that it died. `frames` are those of the traceback the child
/// prints, in `source`.
pub fn unguarded_main_module(work: u64, frames: Vec<Frame>, source: Source) -> MainModule {
    let exception = PyException::new("RuntimeError", BOOTSTRAPPING_MESSAGE);
    let dies_printing = Traceback::new(frames, exception_line(&exception)).lines(source);
    MainModule { program: Program::new(vec![Op::Bootstrap { n: work }, Op::Raise(exception)]), dies_printing }
}

/// What a call pending or running in a broken process pool raises.
pub fn broken_while_pending() -> PyException {
    PyException::new(
        "BrokenProcessPool",
        "A process in the process pool was terminated abruptly while the future was running or pending.",
    )
}

/// What `submit` raises once the pool is broken.
pub fn broken_pool() -> PyException {
    PyException::new("BrokenProcessPool", "A child process terminated abruptly, the process pool is not usable anymore")
}

struct Slot {
    host: Option<Rc<WorkerHost>>,
    busy: bool,
    /// The call this worker runs now.
    running: Option<Future>,
    /// It has not taken a call yet.
    fresh: bool,
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
    /// A child process died abruptly: the pool runs nothing more.
    broken: Cell<bool>,
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

    /// `ProcessPoolExecutor(max_workers)`: default `cpu`; forked processes,
    /// as CPython starts them on Linux.
    pub fn process_pool(session: &Session, max_workers: Option<usize>) -> Result<Executor, PyException> {
        Executor::process_pool_with(session, max_workers, StartMethod::Fork)
    }

    /// `ProcessPoolExecutor(max_workers, mp_context=get_context(method))`.
    pub fn process_pool_with(
        session: &Session,
        max_workers: Option<usize>,
        method: StartMethod,
    ) -> Result<Executor, PyException> {
        let max = max_workers.unwrap_or_else(cpu_count);
        Executor::new(session, PoolKind::Processes(method), max, String::new())
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
            broken: Cell::new(false),
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
        if self.0.broken.get() {
            return Err(broken_pool());
        }
        if self.0.shutdown.get() {
            return Err(PyException::new("RuntimeError", "cannot schedule new futures after shutdown"));
        }
        let future = self.0.session.new_future();
        self.0.queue.borrow_mut().push_back((future.clone(), program));
        // A forked pool starts all its processes at the first call.
        if self.0.kind == PoolKind::Processes(StartMethod::Fork) {
            while self.0.started.get() < self.0.max_workers {
                self.start_worker();
            }
        }
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
        if self.0.broken.get() {
            return;
        }
        loop {
            if self.0.queue.borrow().is_empty() {
                break;
            }
            // Calls cancelled while queued never run.
            self.0.queue.borrow_mut().retain(|(f, _)| !f.cancelled());
            // Workers started together begin together. CPython forks its
            // processes, or starts its threads, a millisecond or less apart, and
            // they take the queued calls in the order they were started; a Web
            // Worker takes tens of milliseconds, not the same for each. So a
            // worker that is up takes its first call only once every other
            // worker still starting is up too, and then the calls go out in the
            // order the workers were started: which call ends first is CPython's.
            let waiting_for_others = self.0.slots.borrow().iter().any(|s| s.host.is_none() && s.busy);
            let idle = self.0.slots.borrow().iter().position(|s| {
                !s.busy && s.host.as_ref().is_some_and(|h| h.is_alive()) && !(s.fresh && waiting_for_others)
            });
            if let Some(index) = idle {
                let Some((future, program)) = self.0.queue.borrow_mut().pop_front() else {
                    break;
                };
                if !future.set_running() {
                    continue;
                }
                let host = {
                    let mut slots = self.0.slots.borrow_mut();
                    slots[index].busy = true;
                    slots[index].fresh = false;
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
            // Idle workers waiting for the others will take calls too.
            let waiting = self
                .0
                .slots
                .borrow()
                .iter()
                .filter(|s| !s.busy && s.host.as_ref().is_some_and(|h| h.is_alive()))
                .count();
            let queued = self.0.queue.borrow().len();
            if alive + starting < self.0.max_workers && starting + waiting < queued {
                self.start_worker();
                continue;
            }
            break;
        }
        if self.0.queue.borrow().is_empty() {
            self.idle_when_up();
        }
        if self.0.shutdown.get() && self.0.queue.borrow().is_empty() {
            self.retire_idle();
        }
    }

    fn start_worker(&self) {
        let number = self.0.started.get();
        self.0.started.set(number + 1);
        let session = &self.0.session;
        let (name, kind, ident, main_module) = match &self.0.kind {
            PoolKind::Threads => (format!("{}_{number}", self.0.prefix), LaneKind::Thread, Ident::Own, None),
            PoolKind::Processes(StartMethod::Fork) => {
                (format!("ForkProcess-{}", session.next_process_number()), LaneKind::Process, Ident::Parent, None)
            }
            PoolKind::Processes(StartMethod::Spawn { main_module }) => (
                format!("SpawnProcess-{}", session.next_process_number()),
                LaneKind::Process,
                Ident::Own,
                main_module.clone(),
            ),
        };
        let index = {
            let mut slots = self.0.slots.borrow_mut();
            slots.push(Slot { host: None, busy: true, running: None, fresh: true });
            slots.len() - 1
        };
        // A thread takes a warm worker, if the session has one, at once.
        let (lane, started) = session.launch(&name, kind, ident, None);
        let pool = self.clone();
        session.spawn(async move {
            let host = match started.await {
                Ok(host) => host,
                Err(reason) => {
                    pool.0.slots.borrow_mut()[index].busy = false;
                    // Without a worker the queued calls cannot run: fail them.
                    let queued: Vec<_> = pool.0.queue.borrow_mut().drain(..).collect();
                    for (future, _) in queued {
                        if future.set_running() {
                            future.set_outcome(Err(cannot_start(kind, &reason)));
                        }
                    }
                    pool.pump();
                    return;
                }
            };
            if let Some(main_module) = main_module {
                // The child imports the main module before it takes any call.
                let task = pool.0.session.next_task();
                if let Err(failure) = host.run(task, &main_module.program).await {
                    if let TaskFailure::Raised(exception) = &failure {
                        let lines = if main_module.dies_printing.is_empty() {
                            vec![exception_line(exception)]
                        } else {
                            main_module.dies_printing.clone()
                        };
                        for line in lines {
                            pool.0.session.print_on(lane, line);
                        }
                    }
                    host.die(&failure.reason());
                    pool.0.slots.borrow_mut()[index].busy = false;
                    if failure != TaskFailure::Stopped {
                        pool.break_pool();
                    }
                    return;
                }
            }
            if pool.0.broken.get() {
                pool.0.slots.borrow_mut()[index].busy = false;
                host.finish();
                return;
            }
            pool.0.slots.borrow_mut()[index] = Slot { host: Some(host), busy: false, running: None, fresh: true };
            pool.pump();
        });
    }

    /// A process pool starts its processes before they have calls to take
    /// (a forked one all at once, as CPython 3.11 does): a process with none
    /// is up once its start-up is over, and then waits idle, as CPython's
    /// does in its loop. A call that comes meanwhile waits for the start-up.
    fn idle_when_up(&self) {
        if !matches!(self.0.kind, PoolKind::Processes(_)) || self.0.broken.get() {
            return;
        }
        let spare: Vec<(usize, Rc<WorkerHost>)> = {
            let mut slots = self.0.slots.borrow_mut();
            slots
                .iter_mut()
                .enumerate()
                .filter(|(_, s)| s.fresh && !s.busy)
                .filter_map(|(index, s)| {
                    let host = s.host.clone().filter(|h| h.is_alive())?;
                    s.busy = true;
                    s.fresh = false;
                    Some((index, host))
                })
                .collect()
        };
        for (index, host) in spare {
            let pool = self.clone();
            let outcome = host.send(self.0.session.next_task(), &Program::new(Vec::new()));
            self.0.session.spawn(async move {
                let died = matches!(outcome.await, Err(TaskFailure::Panicked(_) | TaskFailure::Died(_)));
                if died {
                    pool.break_pool();
                }
                {
                    let mut slots = pool.0.slots.borrow_mut();
                    slots[index].busy = false;
                    if died {
                        slots[index].host = None;
                    }
                }
                pool.pump();
            });
        }
    }

    fn run_on(&self, index: usize, host: Rc<WorkerHost>, future: Future, program: Program) {
        let pool = self.clone();
        let task = self.0.session.next_task();
        let outcome = host.send(task, &program);
        self.0.session.spawn(async move {
            let outcome = outcome.await;
            let died = matches!(outcome, Err(TaskFailure::Panicked(_) | TaskFailure::Died(_)));
            if died && matches!(pool.0.kind, PoolKind::Processes(_)) {
                // This call fails as every other pending or running one does.
                pool.break_pool();
            }
            {
                let mut slots = pool.0.slots.borrow_mut();
                slots[index].busy = false;
                slots[index].running = None;
                if died {
                    // The worker is gone; a new one starts when work needs it.
                    slots[index].host = None;
                }
            }
            future.set_outcome(outcome.map_err(TaskFailure::into_exception));
            pool.pump();
        });
    }

    /// A child process died abruptly: every call pending or running fails
    /// with `BrokenProcessPool`, and the other children are ended (those
    /// still starting end when they are up).
    fn break_pool(&self) {
        if self.0.broken.replace(true) {
            return;
        }
        let queued: Vec<_> = self.0.queue.borrow_mut().drain(..).map(|(f, _)| f).collect();
        let running: Vec<_> = self.0.slots.borrow().iter().filter_map(|s| s.running.clone()).collect();
        for future in queued.into_iter().chain(running) {
            future.set_running();
            future.set_outcome(Err(broken_while_pending()));
        }
        let hosts: Vec<_> = self.0.slots.borrow_mut().iter_mut().filter_map(|s| s.host.take()).collect();
        for host in hosts {
            host.finish();
        }
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
