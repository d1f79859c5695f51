//! One run: its lanes, its workers, its GIL and its events. Stopping a session
//! ends every worker, timer and task it started; the events stay.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use gloo_timers::callback::Timeout;
use js_sys::Int32Array;
use wasm_bindgen::JsValue;

use super::clock;
use super::futures::Future;
use super::gil_shared::SharedGilCells;
use super::host::{TaskFailure, WorkerHost};
use crate::model::protocol::{GilWire, ToWorker};
use crate::model::trace::{Event, EventKind, LaneId, LaneKind, LaneState, Trace};

/// How threads share the interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GilMode {
    /// CPython's default: one thread runs Python code at a time.
    On,
    /// PEP 703 free-threaded CPython: no GIL, threads run in parallel.
    FreeThreaded,
}

/// Which GIL implementation a session uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GilImpl {
    /// A lock in a `SharedArrayBuffer` that workers block on (cross-origin isolated pages).
    SharedMemory,
    /// An arbiter on the page, spoken to by messages (any page).
    Messages,
}

impl GilImpl {
    pub fn label(self) -> &'static str {
        match self {
            GilImpl::SharedMemory => "SharedArrayBuffer + Atomics lock",
            GilImpl::Messages => "message-based arbiter",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    pub gil: GilMode,
    /// `sys.setswitchinterval`, in page milliseconds (CPython's default: 5 ms).
    pub switch_interval_ms: f64,
    /// Force the message-based GIL even where shared memory exists.
    pub force_messages: bool,
    /// Page milliseconds per Python second.
    pub ms_per_second: f64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig { gil: GilMode::On, switch_interval_ms: 5.0, force_messages: false, ms_per_second: 1000.0 }
    }
}

/// The page's GIL arbiter, for pages without shared memory. It behaves as the
/// shared lock does: a waiter waits one interval, then the holder is asked to drop.
#[derive(Default)]
struct Arbiter {
    holder: Option<LaneId>,
    queue: VecDeque<LaneId>,
    switches: u64,
    drop_timer: Option<Timeout>,
}

/// Something told of every event as it happens.
type Listener = Rc<dyn Fn(&Event)>;

pub struct SessionInner {
    pub config: SessionConfig,
    shared: Option<SharedGilCells>,
    arbiter: RefCell<Arbiter>,
    events: RefCell<Vec<Event>>,
    listeners: RefCell<Vec<Listener>>,
    hosts: RefCell<Vec<Rc<WorkerHost>>>,
    aborts: RefCell<Vec<AbortHandle>>,
    futures: RefCell<Vec<Future>>,
    next_lane: Cell<LaneId>,
    next_task: Cell<u32>,
    threads: Cell<u32>,
    processes: Cell<u32>,
    pub(crate) executors: Cell<u32>,
    stopped: Cell<bool>,
}

/// A handle on a run; clones share it.
#[derive(Clone)]
pub struct Session(pub(crate) Rc<SessionInner>);

/// The MainThread lane of every session.
pub const MAIN_LANE: LaneId = 0;

impl Session {
    pub fn new(config: SessionConfig) -> Session {
        let wants_lock = config.gil == GilMode::On && !config.force_messages;
        let shared = if wants_lock { SharedGilCells::new(config.switch_interval_ms) } else { None };
        let inner = Rc::new(SessionInner {
            config,
            shared,
            arbiter: RefCell::new(Arbiter::default()),
            events: RefCell::new(Vec::new()),
            listeners: RefCell::new(Vec::new()),
            hosts: RefCell::new(Vec::new()),
            aborts: RefCell::new(Vec::new()),
            futures: RefCell::new(Vec::new()),
            next_lane: Cell::new(MAIN_LANE + 1),
            next_task: Cell::new(1),
            threads: Cell::new(0),
            processes: Cell::new(0),
            executors: Cell::new(0),
            stopped: Cell::new(false),
        });
        let now = clock::now();
        inner.emit(now, MAIN_LANE, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread });
        inner.emit(now, MAIN_LANE, EventKind::State(LaneState::Running));
        Session(inner)
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

    /// `print` on the main thread.
    pub fn print(&self, text: impl Into<String>) {
        self.0.emit(clock::now(), MAIN_LANE, EventKind::Print(text.into()));
    }

    /// The main thread is at `line` of the demo's source.
    pub fn main_line(&self, line: u32) {
        self.0.emit(clock::now(), MAIN_LANE, EventKind::Line(line));
    }

    /// Marks what the main thread does (it is Running unless it waits).
    pub fn main_state(&self, state: LaneState) {
        self.0.emit(clock::now(), MAIN_LANE, EventKind::State(state));
    }

    /// Awaits `future` with the main thread blocked, as Python code waiting on
    /// a future, a join or a queue is (`as_completed`, `map`, `result()`).
    pub async fn blocked<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.main_state(LaneState::Blocked);
        let out = future.await;
        self.main_state(LaneState::Running);
        out
    }

    pub fn is_stopped(&self) -> bool {
        self.0.stopped.get()
    }

    /// How many workers of this session are alive.
    pub fn live_workers(&self) -> usize {
        self.0.hosts.borrow().iter().filter(|h| h.is_alive()).count()
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
        for handle in self.0.aborts.borrow_mut().drain(..) {
            handle.abort();
        }
        let hosts: Vec<_> = self.0.hosts.borrow_mut().drain(..).collect();
        for host in hosts {
            host.shut(TaskFailure::Stopped);
        }
        self.0.arbiter.borrow_mut().drop_timer = None;
        let futures: Vec<Future> = self.0.futures.borrow_mut().drain(..).collect();
        for future in futures {
            if !future.cancel() {
                future.set_outcome(Err(TaskFailure::Stopped.into_exception()));
            }
        }
        self.0.emit(clock::now(), MAIN_LANE, EventKind::Ended);
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

    /// A new lane with a worker behind it, ready for programs.
    pub(crate) async fn start_worker(&self, name: &str, kind: LaneKind) -> Result<Rc<WorkerHost>, String> {
        if self.is_stopped() {
            return Err("the run was stopped".into());
        }
        let lane = self.0.next_lane.get();
        self.0.next_lane.set(lane + 1);
        self.0.emit(clock::now(), lane, EventKind::Started { name: name.to_owned(), kind });
        let gil = match (kind, self.gil_impl()) {
            (LaneKind::Thread, Some(GilImpl::SharedMemory)) => GilWire::Shared,
            (LaneKind::Thread, Some(GilImpl::Messages)) => GilWire::Arbiter,
            _ => GilWire::Off,
        };
        let host = match WorkerHost::start(&self.0, lane, gil).await {
            Ok(host) => host,
            Err(reason) => {
                self.0.emit(clock::now(), lane, EventKind::Ended);
                return Err(reason);
            }
        };
        if self.is_stopped() {
            host.shut(TaskFailure::Stopped);
            return Err("the run was stopped".into());
        }
        self.0.hosts.borrow_mut().push(host.clone());
        Ok(host)
    }
}

impl SessionInner {
    pub(crate) fn emit(&self, at_ms: f64, lane: LaneId, kind: EventKind) {
        let event = Event::new(at_ms, lane, kind);
        self.events.borrow_mut().push(event.clone());
        let listeners: Vec<_> = self.listeners.borrow().clone();
        for listener in listeners {
            listener(&event);
        }
    }

    pub(crate) fn shared_gil(&self) -> Option<&SharedGilCells> {
        self.shared.as_ref()
    }

    /// A lane's worker is gone: end its lane and free what it held.
    pub(crate) fn lane_gone(self: &Rc<Self>, lane: LaneId) {
        self.emit(clock::now(), lane, EventKind::Ended);
        if let Some(shared) = &self.shared {
            shared.release_for_dead(lane as i32 + 1);
        }
        let holder = {
            let mut arbiter = self.arbiter.borrow_mut();
            arbiter.queue.retain(|l| *l != lane);
            arbiter.holder
        };
        if holder == Some(lane) {
            self.gil_release(lane);
        }
    }

    fn post_to(&self, lane: LaneId, message: &ToWorker) {
        if let Some(host) = self.hosts.borrow().iter().find(|h| h.lane == lane) {
            host.post(message);
        }
    }

    pub(crate) fn gil_request(self: &Rc<Self>, lane: LaneId) {
        let free = {
            let mut arbiter = self.arbiter.borrow_mut();
            if arbiter.holder.is_none() {
                true
            } else {
                arbiter.queue.push_back(lane);
                false
            }
        };
        if free {
            self.grant(lane);
        } else {
            self.arm_drop_timer();
        }
    }

    pub(crate) fn gil_release(self: &Rc<Self>, lane: LaneId) {
        let next = {
            let mut arbiter = self.arbiter.borrow_mut();
            if arbiter.holder != Some(lane) {
                return;
            }
            arbiter.holder = None;
            arbiter.drop_timer = None;
            arbiter.queue.pop_front()
        };
        if let Some(next) = next {
            self.grant(next);
        }
    }

    fn grant(self: &Rc<Self>, lane: LaneId) {
        let waiting = {
            let mut arbiter = self.arbiter.borrow_mut();
            arbiter.holder = Some(lane);
            arbiter.switches += 1;
            !arbiter.queue.is_empty()
        };
        self.post_to(lane, &ToWorker::GilGranted);
        if waiting {
            self.arm_drop_timer();
        }
    }

    /// After one switch interval without a switch, ask the holder to drop the GIL.
    fn arm_drop_timer(self: &Rc<Self>) {
        let mut arbiter = self.arbiter.borrow_mut();
        if arbiter.drop_timer.is_some() || self.stopped.get() {
            return;
        }
        let switches = arbiter.switches;
        let weak = Rc::downgrade(self);
        let interval = self.config.switch_interval_ms.max(0.1).round() as u32;
        arbiter.drop_timer = Some(Timeout::new(interval.max(1), move || {
            let Some(session) = weak.upgrade() else {
                return;
            };
            let holder = {
                let mut arbiter = session.arbiter.borrow_mut();
                arbiter.drop_timer = None;
                (arbiter.switches == switches && !arbiter.queue.is_empty()).then_some(arbiter.holder).flatten()
            };
            match holder {
                Some(holder) => session.post_to(holder, &ToWorker::GilDrop),
                None => {
                    // A switch happened meanwhile: the next waiter waits a fresh interval.
                    if !session.arbiter.borrow().queue.is_empty() {
                        session.arm_drop_timer();
                    }
                }
            }
        }));
    }
}

impl SharedGilCells {
    pub(crate) fn buffer(&self) -> JsValue {
        Int32Array::buffer(&self.cells).into()
    }
}
