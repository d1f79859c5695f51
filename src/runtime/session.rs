//! One run: its lanes, its workers, its GIL and its events. Stopping a session
//! ends every worker, timer and task it started; the events stay. Where shared
//! memory exists, a stop first sets the session's stop word and wakes every
//! waiter, so workers in a CPU loop or blocked on the GIL end at once.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable, LocalBoxFuture};
use wasm_bindgen::JsValue;

use super::clock;
use super::futures::Future;
use super::gil_link::GilLink;
use super::gil_shared::SharedGilCells;
use super::host::{Assignment, HostReport, ReportSink, TaskFailure, WorkerHost, ARBITER_LANE};
use super::module;
pub use crate::model::gil::{GilImpl, GilMode};
use crate::model::main_clock::MainClock;
use crate::model::process_start::{ChildStart, ProcessStarts, StartKind};
use crate::model::program::{thread_ident, Program};
use crate::model::protocol::ToWorker;
use crate::model::pyvalue::PyException;
use crate::model::shared_random::{Draw, Drawn, SharedRandom};
use crate::model::trace::{Event, EventKind, LaneId, LaneKind, LaneState, Trace};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    pub gil: GilMode,
    /// `sys.setswitchinterval`, in page milliseconds (CPython's default: 5 ms).
    pub switch_interval_ms: f64,
    /// Behave as on a page without shared memory even where it exists: the
    /// message-based GIL, and no stop word (workers return to their event
    /// loop every few milliseconds, so that a stop can end them).
    pub force_messages: bool,
    /// Page milliseconds per Python second.
    pub ms_per_second: f64,
    /// This computer's speed, where the program measured it: countdown
    /// iterations a page millisecond. A spawned process's start-up is then
    /// work its worker does (see `model::process_start`).
    pub cpu_rate: Option<f64>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            gil: GilMode::On,
            switch_interval_ms: 5.0,
            force_messages: false,
            ms_per_second: 1000.0,
            cpu_rate: None,
        }
    }
}

/// Something told of every event as it happens.
type Listener = Rc<dyn Fn(&Event)>;

pub struct SessionInner {
    pub config: SessionConfig,
    /// The shared lock (used if the GIL is on) and the stop word, where
    /// shared memory exists.
    shared: Option<SharedGilCells>,
    /// The message-based GIL's worker, and the threads that speak to it.
    gil_link: GilLink,
    /// `random`'s global state, shared by the main thread and the threads.
    random: RefCell<SharedRandom>,
    /// A spawned process imports `random` afresh: each has its own, seeded
    /// from entropy.
    process_randoms: RefCell<HashMap<LaneId, SharedRandom>>,
    events: RefCell<Vec<Event>>,
    listeners: RefCell<Vec<Listener>>,
    hosts: RefCell<Vec<Rc<WorkerHost>>>,
    /// Workers started ahead (see [`Session::warm`]), ready and without a lane.
    warm: RefCell<Vec<Rc<WorkerHost>>>,
    /// When the Python program began, on the page's clock (see
    /// [`Session::begin`]): the trace's time 0, and no event is earlier.
    origin: Cell<Option<f64>>,
    /// When the processes it starts run (CPython's start-up).
    process_starts: Cell<ProcessStarts>,
    aborts: RefCell<Vec<AbortHandle>>,
    futures: RefCell<Vec<Future>>,
    next_lane: Cell<LaneId>,
    next_task: Cell<u32>,
    threads: Cell<u32>,
    processes: Cell<u32>,
    pub(crate) executors: Cell<u32>,
    stopped: Cell<bool>,
    /// When the main thread does what it does: at a worker's report's time
    /// while it carries on after a wait that worker ended.
    main_clock: Cell<MainClock>,
}

/// A handle on a run; clones share it.
#[derive(Clone)]
pub struct Session(pub(crate) Rc<SessionInner>);

/// Why a start or a wait ended when the session was stopped.
const STOPPED: &str = "the run was stopped";

/// The MainThread lane of every session.
pub const MAIN_LANE: LaneId = 0;

impl Session {
    pub fn new(config: SessionConfig) -> Session {
        let shared = if config.force_messages { None } else { SharedGilCells::new(config.switch_interval_ms) };
        let inner = Rc::new(SessionInner {
            config,
            shared,
            gil_link: GilLink::new(),
            // Unseeded, as CPython's `random` is at start-up: from entropy.
            random: RefCell::new(SharedRandom::seed(entropy())),
            process_randoms: RefCell::new(HashMap::new()),
            events: RefCell::new(Vec::new()),
            listeners: RefCell::new(Vec::new()),
            hosts: RefCell::new(Vec::new()),
            warm: RefCell::new(Vec::new()),
            origin: Cell::new(None),
            process_starts: Cell::new(ProcessStarts::default()),
            aborts: RefCell::new(Vec::new()),
            futures: RefCell::new(Vec::new()),
            next_lane: Cell::new(MAIN_LANE + 1),
            next_task: Cell::new(1),
            threads: Cell::new(0),
            processes: Cell::new(0),
            executors: Cell::new(0),
            stopped: Cell::new(false),
            main_clock: Cell::new(MainClock::default()),
        });
        Session(inner)
    }

    /// The Python program begins now: MainThread's lane starts, and with it
    /// the run's clock (the trace's time 0). The first event of a session
    /// begins it if nothing did before, so a demo that starts its workers
    /// ahead ([`Session::warm`], [`super::Runner::prepare`]) calls this, or
    /// anything that makes an event, only once they are up.
    pub fn begin(&self) {
        self.0.begin_at(clock::now());
    }

    /// As [`Session::begin`], once the page has painted: the program's first
    /// moments are not held up by a frame the page was about to draw (see
    /// `waits::after_paint`). A session begun already stays as it was.
    pub async fn begin_after_paint(&self) {
        if !self.has_begun() {
            super::waits::after_paint().await;
            self.begin();
        }
    }

    /// Whether the program has begun: the run's clock runs.
    pub fn has_begun(&self) -> bool {
        self.0.origin.get().is_some()
    }

    /// As [`Session::begin`], at `at_ms` on the page's clock, which may be a
    /// little ahead: what happens before it (threads handed their programs
    /// to begin together then) is stamped at it, so that Python's time 0 is
    /// when CPython's program would begin.
    pub fn begin_at(&self, at_ms: f64) {
        self.0.begin_at(at_ms);
    }

    /// Starts `n` workers ahead, so that threads and thread-pool workers
    /// created later start at once, as a CPython thread does (a Web Worker
    /// takes milliseconds). Nothing shows until Python creates a thread; call
    /// it before the program's first statement. Fails with the first reason a
    /// worker did not start, as Python says it ("can't start new thread: ..."),
    /// and a later start tries afresh.
    pub async fn warm(&self, n: usize) -> Result<(), String> {
        self.warm_for(n, LaneKind::Thread).await
    }

    /// As [`Session::warm`], for `n` processes: a process then takes one of
    /// them and runs after CPython's start-up (`model::process_start`), not a
    /// Web Worker's, whatever the run's speed.
    pub async fn warm_processes(&self, n: usize) -> Result<(), String> {
        self.warm_for(n, LaneKind::Process).await
    }

    async fn warm_for(&self, n: usize, kind: LaneKind) -> Result<(), String> {
        // The message-based GIL's arbiter is up before the program begins too:
        // otherwise the first thread's first request waits for its worker.
        let arbiter = n > 0
            && kind == LaneKind::Thread
            && self.gil_impl() == Some(GilImpl::Messages)
            && self.0.gil_link.needs_start();
        let have = self.0.warm.borrow().iter().filter(|h| h.is_alive()).count();
        let starts = (have..n).map(|_| async {
            let host = self.spawn_host().await?;
            host.rehearse().await?;
            Ok::<_, String>(host)
        });
        let (started, ()) = futures::future::join(futures::future::join_all(starts), async {
            if arbiter {
                self.start_gil_worker_now().await;
            }
        })
        .await;
        let mut first_failure = None;
        for started in started {
            match started {
                Ok(host) => self.0.warm.borrow_mut().push(host),
                Err(reason) => {
                    first_failure.get_or_insert(reason);
                }
            }
        }
        first_failure.map_or(Ok(()), |reason| Err(cannot_start(kind, &reason).to_string()))
    }

    /// How many warm workers wait for a thread or a process.
    pub fn warm_workers(&self) -> usize {
        self.0.warm.borrow().iter().filter(|h| h.is_alive()).count()
    }

    /// Which GIL implementation threads use here, if they have a GIL.
    pub fn gil_impl(&self) -> Option<GilImpl> {
        match self.0.config.gil {
            GilMode::FreeThreaded => None,
            GilMode::On if self.0.shared.is_some() => Some(GilImpl::SharedMemory),
            GilMode::On => Some(GilImpl::Messages),
        }
    }

    pub fn config(&self) -> SessionConfig {
        self.0.config
    }

    /// Calls `listener` with every event so far, then with each new one.
    pub fn subscribe(&self, listener: impl Fn(&Event) + 'static) {
        let past = self.events();
        for event in &past {
            listener(event);
        }
        self.0.listeners.borrow_mut().push(Rc::new(listener));
    }

    pub fn events(&self) -> Vec<Event> {
        self.0.events.borrow().clone()
    }

    /// The events so far, folded; open spans are cut at this moment.
    pub fn trace(&self) -> Trace {
        let mut trace = Trace::from_events(self.events());
        trace.close(clock::now());
        trace
    }

    /// Python seconds to page milliseconds.
    pub fn ms(&self, seconds: f64) -> f64 {
        seconds * self.0.config.ms_per_second
    }

    /// `random.seed(seed)` for the whole run: every later draw by the main
    /// thread or a thread comes from this sequence, in the order the draws
    /// are made. (A process has a `random` of its own.)
    pub fn seed_random(&self, seed: i128) {
        *self.0.random.borrow_mut() = SharedRandom::seed(seed);
    }

    /// `random.randint(lo, hi)` on the main thread, from the run's generator.
    pub fn randint(&self, lo: i64, hi: i64) -> Result<i64, PyException> {
        self.0.random.borrow_mut().randint(MAIN_LANE, lo, hi)
    }

    /// The shared generator's draws since the last `seed_random`, in order,
    /// with the lane of each.
    pub fn draws(&self) -> Vec<Draw> {
        self.0.random.borrow().draws().to_vec()
    }

    /// What the program on the page does, on `lane`, now. A stopped run's
    /// program says nothing more: the joins and futures a stop settles would
    /// otherwise let it go on to lines CPython never reaches ("8 threads
    /// created" with no job done, "generated an exception: the run was stopped").
    fn program_does(&self, lane: LaneId, kind: EventKind) {
        if !self.is_stopped() {
            let at = if lane == MAIN_LANE { self.0.main_now() } else { clock::now() };
            self.0.emit(at, lane, kind);
        }
    }

    /// `print` on the main thread.
    pub fn print(&self, text: impl Into<String>) {
        self.program_does(MAIN_LANE, EventKind::Print(text.into()));
    }

    /// The main thread is at `line` of the demo's source.
    pub fn main_line(&self, line: u32) {
        self.program_does(MAIN_LANE, EventKind::Line(line));
    }

    /// Marks what the main thread does (it is Running unless it waits).
    pub fn main_state(&self, state: LaneState) {
        self.program_does(MAIN_LANE, EventKind::State(state));
    }

    /// A lane with no worker behind it (an asyncio task on the page's thread).
    pub fn new_lane(&self, name: &str, kind: LaneKind) -> LaneId {
        let lane = self.0.next_lane.get();
        self.0.next_lane.set(lane + 1);
        self.0.emit(clock::now(), lane, EventKind::Started { name: name.to_owned(), kind });
        lane
    }

    /// Marks what a lane without a worker does.
    pub fn lane_state(&self, lane: LaneId, state: LaneState) {
        self.program_does(lane, EventKind::State(state));
    }

    /// A lane without a worker is done.
    pub fn lane_ended(&self, lane: LaneId) {
        self.0.emit(clock::now(), lane, EventKind::Ended);
    }

    /// Awaits `future` with the main thread blocked, as Python code waiting on
    /// a future, a join or a queue is (`as_completed`, `map`, `result()`).
    pub async fn blocked<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.main_state(LaneState::Blocked);
        let since = self.0.main_now();
        let out = future.await;
        self.0.woke_main(since);
        self.main_state(LaneState::Running);
        out
    }

    pub fn is_stopped(&self) -> bool {
        self.0.stopped.get()
    }

    /// How many workers of this session are alive (or starting).
    pub fn live_workers(&self) -> usize {
        self.0.hosts.borrow().iter().filter(|h| h.is_alive()).count()
    }

    /// Slices of CPU work (a few microseconds each) this session's workers
    /// have done, where shared memory lets the page count them: once the
    /// session is stopped, the count stops growing.
    pub fn cpu_slices(&self) -> Option<u32> {
        self.0.shared.as_ref().map(SharedGilCells::slices)
    }

    /// Runs `future` on the page as part of this session: a stop drops it.
    pub fn spawn(&self, future: impl std::future::Future<Output = ()> + 'static) {
        if self.is_stopped() {
            return;
        }
        let (handle, registration) = AbortHandle::new_pair();
        self.0.aborts.borrow_mut().push(handle);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Abortable::new(future, registration).await;
        });
    }

    /// Stops the run now: workers are terminated, page tasks and timers
    /// dropped, and every lane ends; what happened so far is kept.
    pub fn stop(&self) {
        if self.0.stopped.replace(true) {
            return;
        }
        // First the word every worker checks, and a wake-up for any blocked
        // in Atomics.wait: they leave their loops and return to their event
        // loops, where terminate() ends them at once.
        if let Some(shared) = &self.0.shared {
            shared.stop();
        }
        for handle in self.0.aborts.borrow_mut().drain(..) {
            handle.abort();
        }
        let hosts: Vec<_> = self.0.hosts.borrow_mut().drain(..).collect();
        for host in hosts {
            host.shut(TaskFailure::Stopped);
        }
        let futures: Vec<Future> = self.0.futures.borrow_mut().drain(..).collect();
        for future in futures {
            if !future.cancel() {
                future.set_outcome(Err(TaskFailure::Stopped.into_exception()));
            }
        }
        self.0.emit(self.0.main_now(), MAIN_LANE, EventKind::Ended);
    }

    /// A future of this run: a stop settles it, so nobody waits forever.
    pub(crate) fn new_future(&self) -> Future {
        let future = Future::new(self.next_task());
        let mut futures = self.0.futures.borrow_mut();
        futures.retain(|f| !f.done());
        futures.push(future.clone());
        future
    }

    pub(crate) fn next_task(&self) -> u32 {
        let task = self.0.next_task.get();
        self.0.next_task.set(task + 1);
        task
    }

    /// "Thread-1", "Thread-2", ... as `threading` names them.
    pub(crate) fn next_thread_name(&self) -> String {
        let n = self.0.threads.get() + 1;
        self.0.threads.set(n);
        format!("Thread-{n}")
    }

    /// "Process-1", ... as `multiprocessing` names them.
    pub(crate) fn next_process_number(&self) -> u32 {
        let n = self.0.processes.get() + 1;
        self.0.processes.set(n);
        n
    }

    /// A worker that is up and ready for a lane, without one yet. One that
    /// does not start from the loader's Blob URL is started again from the
    /// loader's address (a policy may allow only the site's own scripts); if
    /// that fails too, the Blob URL was not the cause, and its reason is the one told.
    pub(crate) async fn spawn_host(&self) -> Result<Rc<WorkerHost>, String> {
        let first = self.try_spawn_host().await;
        match first {
            Err(SpawnFailure { from_blob: true, .. }) if !self.is_stopped() => {
                module::blob_refused();
                let second = self.try_spawn_host().await;
                if second.is_err() {
                    module::blob_allowed();
                }
                second.map_err(|f| f.reason)
            }
            other => other.map_err(|f| f.reason),
        }
    }

    async fn try_spawn_host(&self) -> Result<Rc<WorkerHost>, SpawnFailure> {
        let stopped = || SpawnFailure { reason: STOPPED.into(), from_blob: false };
        if self.is_stopped() {
            return Err(stopped());
        }
        let module = module::load().await.map_err(|reason| SpawnFailure { reason, from_blob: false })?;
        if self.is_stopped() {
            return Err(stopped());
        }
        let from_blob = module.from_blob;
        let weak = Rc::downgrade(&self.0);
        let report: ReportSink = Rc::new(move |lane, report| {
            if let Some(session) = weak.upgrade() {
                session.report(lane, report);
            }
        });
        let host = WorkerHost::spawn(&module, report).map_err(|reason| SpawnFailure { reason, from_blob })?;
        // Counted from now: a stop while it starts ends it too.
        self.0.hosts.borrow_mut().push(host.clone());
        if let Err(reason) = host.ready().await {
            self.0.hosts.borrow_mut().retain(|h| !Rc::ptr_eq(h, &host));
            return Err(if self.is_stopped() { stopped() } else { SpawnFailure { reason, from_blob } });
        }
        if self.is_stopped() {
            host.shut(TaskFailure::Stopped);
            return Err(stopped());
        }
        Ok(host)
    }

    /// A warm worker for a thread or a process, if one is ready.
    pub(crate) fn take_warm(&self) -> Option<Rc<WorkerHost>> {
        let mut warm = self.0.warm.borrow_mut();
        warm.retain(|h| h.is_alive());
        (!warm.is_empty()).then(|| warm.remove(0))
    }

    /// Python creates a thread or process now: its lane starts at once, and
    /// the returned future gives its worker. A thread or a process takes
    /// `prepared`, or a warm worker: a thread is ready at once, a process
    /// shows `Starting` for CPython's fork or spawn start-up. With no worker
    /// ready, the lane shows `Starting` until a fresh worker is up.
    pub(crate) fn launch(
        &self,
        name: &str,
        kind: LaneKind,
        ident: Ident,
        prepared: Option<Rc<WorkerHost>>,
    ) -> (LaneId, LocalBoxFuture<'static, Result<Rc<WorkerHost>, String>>) {
        let lane = self.0.next_lane.get();
        self.0.next_lane.set(lane + 1);
        self.0.emit(clock::now(), lane, EventKind::Started { name: name.to_owned(), kind });
        if self.is_stopped() {
            self.0.emit(clock::now(), lane, EventKind::Ended);
            return (lane, Box::pin(futures::future::ready(Err(STOPPED.into()))));
        }
        if kind == LaneKind::Process {
            self.0.process_randoms.borrow_mut().insert(lane, SharedRandom::seed(entropy()));
        }
        let ready =
            prepared.or_else(|| matches!(kind, LaneKind::Thread | LaneKind::Process).then(|| self.take_warm())?);
        // A process is forked (its ident is its parent's) or spawned.
        let start = if ident == Ident::Parent { StartKind::Fork } else { StartKind::Spawn };
        let ident = match ident {
            Ident::Own => thread_ident(lane),
            Ident::Parent => thread_ident(MAIN_LANE),
        };
        let session = self.clone();
        if let Some(host) = ready {
            // A worker started ahead plays the process from the instant
            // CPython's would run, shown starting until then.
            let child = if kind == LaneKind::Process {
                let now = clock::now();
                self.0.emit(now, lane, EventKind::State(LaneState::Starting));
                let mut starts = self.0.process_starts.get();
                let child = starts.start(now, start, self.0.config.ms_per_second, self.0.config.cpu_rate);
                self.0.process_starts.set(starts);
                child
            } else {
                ChildStart { runs_from_ms: 0.0, start_work: 0 }
            };
            let assigned = session.assign(&host, lane, kind, ident, child).map(|()| host);
            return (lane, Box::pin(futures::future::ready(assigned)));
        }
        self.0.emit(clock::now(), lane, EventKind::State(LaneState::Starting));
        let started = async move {
            match session.spawn_host().await {
                Ok(host) => session
                    .assign(&host, lane, kind, ident, ChildStart { runs_from_ms: 0.0, start_work: 0 })
                    .map(|()| host),
                Err(reason) => {
                    session.0.emit(clock::now(), lane, EventKind::Ended);
                    Err(reason)
                }
            }
        };
        (lane, Box::pin(started))
    }

    /// Hands `host` its lane; a worker that cannot take it is ended.
    fn assign(
        &self,
        host: &Rc<WorkerHost>,
        lane: LaneId,
        kind: LaneKind,
        ident: u64,
        child: ChildStart,
    ) -> Result<(), String> {
        let gil = if kind == LaneKind::Thread { self.gil_impl() } else { None };
        // Every worker gets the shared buffer, for the stop word.
        let buffer = self.0.shared.as_ref().map_or(JsValue::UNDEFINED, SharedGilCells::buffer);
        let port = match gil {
            Some(GilImpl::Messages) => match self.0.gil_link.add_lane(lane) {
                Ok((port, start)) => {
                    if start {
                        self.start_gil_worker();
                    }
                    Some(port)
                }
                Err(reason) => {
                    host.die(&reason);
                    self.0.emit(clock::now(), lane, EventKind::Ended);
                    return Err(reason);
                }
            },
            _ => None,
        };
        let assigned = host.assign(Assignment {
            lane,
            gil,
            gil_buffer: &buffer,
            gil_port: port.as_ref(),
            ident,
            switch_interval_ms: self.0.config.switch_interval_ms,
            runs_from_ms: child.runs_from_ms,
            start_work: child.start_work,
        });
        if let Err(reason) = &assigned {
            host.die(reason);
            self.0.emit(clock::now(), lane, EventKind::Ended);
        }
        assigned
    }

    /// Starts the worker that arbitrates the message-based GIL. If it does
    /// not start, the threads waiting on it fail with the reason.
    fn start_gil_worker(&self) {
        let session = self.clone();
        self.spawn(async move { session.start_gil_worker_now().await });
    }

    /// Starts the arbiter's worker and waits until it is up (or has failed,
    /// which the threads waiting on it hear).
    async fn start_gil_worker_now(&self) {
        let started = match self.spawn_host().await {
            Ok(host) => self.0.gil_link.started(host.clone()).inspect_err(|reason| host.die(reason)),
            Err(reason) => Err(reason),
        };
        if let Err(reason) = started {
            self.0.gil_lost(None, &reason);
        }
    }

    /// A new lane with a fresh worker behind it, ready for programs.
    pub(crate) async fn start_worker(&self, name: &str, kind: LaneKind) -> Result<Rc<WorkerHost>, String> {
        self.launch(name, kind, Ident::Own, None).1.await
    }

    /// `lane`'s `sleep(randint(...))` draws are served in due order with the
    /// other threads' (see [`SharedRandom`]), from `first_due_ms` on.
    pub(crate) fn draws_in_due_order(&self, lane: LaneId, program: &Program) {
        if let Some(due) = program.first_draw_due(clock::now()) {
            self.0.random.borrow_mut().join(lane, due);
        }
    }

    /// A line printed on `lane`, told by the page (a child's last words):
    /// stamped when the report that told them was, not when the page got to
    /// it. The parent learns of the death from that report, so what it
    /// prints then (stamped the same way, see [`SessionInner::woke_main`])
    /// comes after these words, as under CPython, however busy the page was.
    pub(crate) fn print_on(&self, lane: LaneId, text: String) {
        if self.is_stopped() {
            return;
        }
        let at = self.0.main_clock.get().told_at(clock::now());
        self.0.emit(at, lane, EventKind::Print(text));
    }
}

/// Which `threading.get_ident()` a new lane prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ident {
    /// Its own thread's.
    Own,
    /// Its parent's main thread's: a forked child runs on a copy of the
    /// thread that forked it.
    Parent,
}

impl SessionInner {
    /// The page's clock for the main thread: where it carries on after a wait
    /// that a worker ended, the time that worker's report was stamped with.
    fn main_now(&self) -> f64 {
        self.main_clock.get().now(clock::now())
    }

    /// The main thread woke from a wait it began at `since` (see
    /// [`MainClock::woke`]). A worker's later report may have come in the
    /// same turn of the page: that time is taken, which lies between the two.
    fn woke_main(self: &Rc<Self>, since: f64) {
        let mut main_clock = self.main_clock.get();
        if main_clock.woke(since, clock::now()) {
            self.main_clock.set(main_clock);
            // The main thread runs on until it waits again, in this turn:
            // the task that ends its carrying on runs once it has.
            let inner = Rc::downgrade(self);
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(inner) = inner.upgrade() {
                    let mut main_clock = inner.main_clock.get();
                    main_clock.waits_again();
                    inner.main_clock.set(main_clock);
                }
            });
        }
    }

    pub(crate) fn emit(&self, at_ms: f64, lane: LaneId, kind: EventKind) {
        self.begin_at(at_ms);
        self.push_event(at_ms, lane, kind);
    }

    fn begin_at(&self, at_ms: f64) {
        if self.origin.get().is_none() {
            self.origin.set(Some(at_ms));
            self.push_event(
                at_ms,
                MAIN_LANE,
                EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread },
            );
            self.push_event(at_ms, MAIN_LANE, EventKind::State(LaneState::Running));
        }
    }

    fn push_event(&self, at_ms: f64, lane: LaneId, kind: EventKind) {
        let at_ms = self.origin.get().map_or(at_ms, |origin| at_ms.max(origin));
        let event = Event::new(at_ms, lane, kind);
        self.events.borrow_mut().push(event.clone());
        let listeners: Vec<_> = self.listeners.borrow().clone();
        for listener in listeners {
            listener(&event);
        }
    }

    /// What a lane's host reports.
    fn report(self: &Rc<Self>, lane: LaneId, report: HostReport) {
        match report {
            HostReport::Gone if lane == ARBITER_LANE => {
                let host =
                    self.hosts.borrow().iter().find(|h| h.lane() == Some(ARBITER_LANE) && !h.is_alive()).cloned();
                if let Some(host) = host {
                    self.hosts.borrow_mut().retain(|h| !Rc::ptr_eq(h, &host));
                    self.gil_lost(Some(&host), "the worker that arbitrates the GIL stopped");
                }
            }
            HostReport::Event { .. } if lane == ARBITER_LANE => {}
            HostReport::Event { at_ms, kind } => {
                let mut main_clock = self.main_clock.get();
                main_clock.reported(at_ms);
                self.main_clock.set(main_clock);
                self.emit(at_ms, lane, kind)
            }
            HostReport::Gone => self.lane_gone(lane),
            HostReport::Draw(request) => {
                let served = match self.process_randoms.borrow_mut().get_mut(&lane) {
                    Some(own) => vec![(lane, own.randint(lane, request.lo, request.hi))],
                    None => self.random.borrow_mut().request(lane, request),
                };
                self.answer_draws(served);
            }
        }
    }

    fn answer_draws(&self, served: Vec<Drawn>) {
        for (lane, value) in served {
            self.post_to(lane, &ToWorker::Drawn { value });
        }
    }

    /// A lane's worker is gone: end its lane and free what it held.
    fn lane_gone(self: &Rc<Self>, lane: LaneId) {
        self.emit(clock::now(), lane, EventKind::Ended);
        let served = self.random.borrow_mut().leave(lane);
        self.answer_draws(served);
        if let Some(shared) = &self.shared {
            shared.release_for_dead(lane as i32 + 1);
        }
        // The last thread of the message-based GIL ends its arbiter too.
        if let Some(arbiter) = self.gil_link.lane_gone(lane) {
            arbiter.finish();
        }
    }

    /// The message-based GIL's worker did not start or died: its threads can
    /// never run again, so they fail with `reason`.
    fn gil_lost(&self, host: Option<&Rc<WorkerHost>>, reason: &str) {
        let lanes = self.gil_link.lost(host);
        let hosts: Vec<_> =
            self.hosts.borrow().iter().filter(|h| h.lane().is_some_and(|l| lanes.contains(&l))).cloned().collect();
        for host in hosts {
            host.die(reason);
        }
    }

    fn post_to(&self, lane: LaneId, message: &ToWorker) {
        if let Some(host) = self.hosts.borrow().iter().find(|h| h.lane() == Some(lane)) {
            host.post(message);
        }
    }
}

/// What starting a thread or process raises when its worker does not start.
pub(crate) fn cannot_start(kind: LaneKind, reason: &str) -> PyException {
    let what = if kind == LaneKind::Process { "process" } else { "thread" };
    PyException::new("RuntimeError", format!("can't start new {what}: {reason}"))
}

/// A seed for a generator nobody seeded.
fn entropy() -> i128 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as i128
}

/// Why a worker did not start, and whether it started from the loader's Blob URL.
struct SpawnFailure {
    reason: String,
    from_blob: bool,
}
