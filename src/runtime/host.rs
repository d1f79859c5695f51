//! The page's side of one worker: one lane. It starts the worker, sends it
//! programs, and turns what comes back into trace events and task outcomes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, MessagePort};

use super::js_error::describe;
use super::live::LiveWorker;
use super::messages::{from_worker, to_js};
use super::module::{WorkerModule, LOADER};

use crate::model::gil::GilImpl;
use crate::model::program::{connection_refused_error, within_base, Op, Program};
use crate::model::protocol::{FromWorker, LaneEvent, TaskEnd, ToWorker, NO_TASK};
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::shared_random::DrawRequest;
use crate::model::trace::{EventKind, LaneId};

/// What a worker's host tells its session about its lane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HostReport {
    /// Something happened on the lane, at `at_ms` on the page's clock.
    Event { at_ms: f64, kind: EventKind },
    /// The worker is gone: the lane ends, and a GIL it held must be freed.
    Gone,
    /// The worker draws `random.randint(lo, hi)` from the run's generator
    /// for a sleep due to start at `due_ms`.
    Draw(DrawRequest),
}

/// Where a host sends its reports, with its lane: the session that started it.
pub(crate) type ReportSink = Rc<dyn Fn(LaneId, HostReport)>;

/// Why a task gave no value.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskFailure {
    /// The program raised a Python exception.
    Raised(PyException),
    /// The job's own code panicked; the worker is gone.
    Panicked(String),
    /// The worker died or could not start.
    Died(String),
    /// The run was stopped.
    Stopped,
}

impl TaskFailure {
    /// The exception Python code would see.
    pub fn into_exception(self) -> PyException {
        match self {
            TaskFailure::Raised(exception) => exception,
            TaskFailure::Panicked(message) => PyException::new("RuntimeError", format!("the job panicked: {message}")),
            TaskFailure::Died(message) => PyException::new("RuntimeError", format!("the worker died: {message}")),
            TaskFailure::Stopped => PyException::new("CancelledError", "the run was stopped"),
        }
    }

    /// Why, in a sentence a person can read.
    pub fn reason(&self) -> String {
        match self {
            TaskFailure::Raised(exception) => format!("{}: {}", exception.type_name, exception.message),
            TaskFailure::Panicked(message) => format!("the job panicked: {message}"),
            TaskFailure::Died(message) => message.clone(),
            TaskFailure::Stopped => "the run was stopped".into(),
        }
    }
}

pub type TaskOutcome = Result<PyValue, TaskFailure>;

/// The worker's handlers (message, error, messageerror), kept while it lives
/// and dropped only once the worker can no longer call them.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(Event)>, Closure<dyn FnMut(MessageEvent)>);

/// The lane a worker plays while it rehearses, before it has one.
const REHEARSAL_LANE: LaneId = LaneId::MAX;

/// The task a worker rehearses: a number of its own, neither a session's
/// (numbered from 1 up) nor the worker's word about a message ([`NO_TASK`]).
const REHEARSAL_TASK: u32 = u32::MAX;

/// What a worker that arbitrates the message-based GIL reports as: no lane
/// of the trace.
pub(crate) const ARBITER_LANE: LaneId = LaneId::MAX - 1;

/// How long a worker may take to say it runs.
const START_DEADLINE_MS: u32 = 10_000;

pub struct WorkerHost {
    /// The lane this worker plays, once it has one: a warm worker waits
    /// without one until Python creates its thread.
    lane: Cell<Option<LaneId>>,
    worker: LiveWorker,
    report: ReportSink,
    pending: RefCell<HashMap<u32, oneshot::Sender<TaskOutcome>>>,
    /// Told once whether the worker started: its scope, or why not.
    ready: RefCell<Option<oneshot::Sender<Result<String, TaskFailure>>>>,
    ready_rx: RefCell<Option<oneshot::Receiver<Result<String, TaskFailure>>>>,
    panic_message: RefCell<Option<String>>,
    scope: RefCell<String>,
    last_worker_ms: Cell<f64>,
    alive: Cell<bool>,
    handlers: RefCell<Option<Handlers>>,
}

/// The lane a ready worker is to play.
pub(crate) struct Assignment<'a> {
    pub lane: LaneId,
    pub gil: Option<GilImpl>,
    /// The session's shared buffer (the lock and the stop word) where shared
    /// memory exists, `undefined` otherwise.
    pub gil_buffer: &'a JsValue,
    /// The lane's port to the message-based GIL's arbiter.
    pub gil_port: Option<&'a MessagePort>,
    /// What `threading.get_ident()` prints there.
    pub ident: u64,
    /// How long it holds the message-based GIL while others wait.
    pub switch_interval_ms: f64,
    /// Its first task runs no earlier (page clock; 0 for at once).
    pub runs_from_ms: f64,
    /// The countdown its start-up takes from then (0 for none).
    pub start_work: u64,
}

impl WorkerHost {
    /// Starts a worker from the loaded module's script and hands it the
    /// compiled module; [`WorkerHost::ready`] waits until it runs, and
    /// [`WorkerHost::assign`] gives it its lane.
    pub(crate) fn spawn(module: &WorkerModule, report: ReportSink) -> Result<Rc<WorkerHost>, String> {
        let worker = LiveWorker::start(&module.script_url)
            .map_err(|e| format!("the browser refused to start a worker from {LOADER}: {}", describe(e)))?;
        let (ready_tx, ready_rx) = oneshot::channel();
        let host = Rc::new(WorkerHost {
            lane: Cell::new(None),
            worker,
            report,
            pending: RefCell::new(HashMap::new()),
            ready: RefCell::new(Some(ready_tx)),
            ready_rx: RefCell::new(Some(ready_rx)),
            panic_message: RefCell::new(None),
            scope: RefCell::new(String::new()),
            last_worker_ms: Cell::new(0.0),
            alive: Cell::new(true),
            handlers: RefCell::new(None),
        });
        let weak = Rc::downgrade(&host);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(host) = weak.upgrade() {
                host.on_message(event);
            }
        });
        // A script that fails to load fires a plain `Event`; an uncaught
        // exception in the worker an `ErrorEvent`.
        let weak = Rc::downgrade(&host);
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // Handled here: the page reports it, the console need not.
            event.prevent_default();
            if let Some(host) = weak.upgrade() {
                host.on_error(&event);
            }
        });
        let weak = Rc::downgrade(&host);
        let on_message_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            if let Some(host) = weak.upgrade() {
                host.die("a message from the worker could not be read");
            }
        });
        let worker = host.worker.worker();
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        *host.handlers.borrow_mut() = Some((on_message, on_error, on_message_error));
        if let Err(e) = worker.post_message(&module.start_message) {
            let reason = format!("the worker's code could not be handed to it: {}", describe(e));
            host.die(&reason);
            return Err(reason);
        }
        Ok(host)
    }

    /// Waits until the worker runs (at most [`START_DEADLINE_MS`]). A worker
    /// that does not start is terminated, and the loaded code is dropped so
    /// that the next start loads it afresh.
    pub(crate) async fn ready(&self) -> Result<(), String> {
        let Some(ready_rx) = self.ready_rx.borrow_mut().take() else {
            return Err("the worker was already started".into());
        };
        let deadline = TimeoutFuture::new(START_DEADLINE_MS);
        let outcome = match select(ready_rx, deadline).await {
            Either::Left((Ok(outcome), _)) => outcome,
            Either::Left((Err(_), _)) => Err(TaskFailure::Died("the worker stopped before it was ready".into())),
            Either::Right(_) => {
                let seconds = START_DEADLINE_MS / 1000;
                Err(TaskFailure::Died(format!("the worker did not start within {seconds} seconds")))
            }
        };
        if let Err(failure) = outcome {
            self.shut(failure.clone());
            if failure != TaskFailure::Stopped {
                super::module::forget();
            }
            return Err(failure.reason());
        }
        Ok(())
    }

    /// Gives a ready worker its lane: from now on it plays that thread or
    /// process (see [`Assignment`]).
    pub(crate) fn assign(&self, assignment: Assignment) -> Result<(), String> {
        let Assignment { lane, gil, gil_buffer, gil_port, ident, switch_interval_ms, runs_from_ms, start_work } =
            assignment;
        if !self.alive.get() {
            return Err("the worker is gone".into());
        }
        if self.lane.replace(Some(lane)).is_some() {
            return Err("the worker already plays a lane".into());
        }
        let page_origin_ms = super::clock::time_origin();
        let init = ToWorker::Init { lane, gil, page_origin_ms, ident, switch_interval_ms, runs_from_ms, start_work };
        // The shared buffer and the arbiter's port travel beside the message:
        // [init, buffer, port].
        let port = gil_port.map_or(JsValue::UNDEFINED, |p| p.clone().into());
        let message = js_sys::Array::of3(&to_js(&init)?, gil_buffer, &port);
        self.post_transferring(&message, gil_port)
    }

    /// Makes this ready worker the session's message-based GIL
    /// (see `worker_arbiter`): it plays no lane.
    pub(crate) fn arbitrate(&self) -> Result<(), String> {
        if self.lane.replace(Some(ARBITER_LANE)).is_some() {
            return Err("the worker already plays a lane".into());
        }
        self.post_transferring(&to_js(&ToWorker::Arbitrate)?, None)
    }

    /// Posts `message` to the worker, beside `port` (moved to the worker).
    pub(crate) fn post_with_port(&self, message: &ToWorker, port: &MessagePort) -> Result<(), String> {
        let message = js_sys::Array::of2(&to_js(message)?, port);
        self.post_transferring(&message, Some(port))
    }

    fn post_transferring(&self, message: &JsValue, port: Option<&MessagePort>) -> Result<(), String> {
        if !self.alive.get() {
            return Err("the worker is gone".into());
        }
        let worker = self.worker.worker();
        match port {
            Some(port) => worker.post_message_with_transfer(message, &js_sys::Array::of1(port)),
            None => worker.post_message(message),
        }
        .map_err(describe)
    }

    /// Runs a short program on a worker without a lane, whose reports go
    /// nowhere: the engine compiles the code a program runs the first time it
    /// runs, so a warm worker's first real line comes at once.
    pub(crate) async fn rehearse(&self) -> Result<(), String> {
        if self.lane.get().is_some() {
            return Ok(());
        }
        let init = ToWorker::Init {
            lane: REHEARSAL_LANE,
            gil: None,
            page_origin_ms: super::clock::time_origin(),
            ident: 0,
            switch_interval_ms: 5.0,
            runs_from_ms: 0.0,
            start_work: 0,
        };
        let message = js_sys::Array::of2(&to_js(&init)?, &JsValue::UNDEFINED);
        self.worker.worker().post_message(&message).map_err(describe)?;
        let program = Program::new(vec![Op::Line(0), Op::Print(String::new()), Op::Sleep { ms: 0.0 }]);
        self.run(REHEARSAL_TASK, &program).await.map(|_| ()).map_err(|failure| failure.reason())
    }

    /// The lane this worker plays, once it has one.
    pub fn lane(&self) -> Option<LaneId> {
        self.lane.get()
    }

    /// The worker's global scope, as it reported it.
    pub fn scope(&self) -> String {
        self.scope.borrow().clone()
    }

    /// How long the last task took inside the worker.
    pub fn last_worker_ms(&self) -> f64 {
        self.last_worker_ms.get()
    }

    pub fn is_alive(&self) -> bool {
        self.alive.get()
    }

    /// Runs `program` on this worker.
    pub(crate) async fn run(&self, task: u32, program: &Program) -> TaskOutcome {
        self.send(task, program).await
    }

    /// Posts `program` to the worker now, before the caller yields, and
    /// returns its outcome to come: a pool hands a call to its worker in the
    /// same turn as `submit`, not a microtask later.
    pub(crate) fn send(
        &self,
        task: u32,
        program: &Program,
    ) -> impl std::future::Future<Output = TaskOutcome> + 'static {
        let posted = self.post_task(task, program);
        async move {
            match posted {
                Ok(reply) => reply.await.unwrap_or(Err(TaskFailure::Stopped)),
                Err(failure) => Err(failure),
            }
        }
    }

    fn post_task(&self, task: u32, program: &Program) -> Result<oneshot::Receiver<TaskOutcome>, TaskFailure> {
        if !self.alive.get() {
            return Err(TaskFailure::Died("the worker is gone".into()));
        }
        let (tx, rx) = oneshot::channel();
        self.pending.borrow_mut().insert(task, tx);
        let message = to_js(&ToWorker::Run { task, program: with_page_addresses(program) })
            .and_then(|message| self.worker.worker().post_message(&message).map_err(describe));
        if let Err(reason) = message {
            self.pending.borrow_mut().remove(&task);
            return Err(TaskFailure::Died(reason));
        }
        Ok(rx)
    }

    pub(crate) fn post(&self, message: &ToWorker) {
        if self.alive.get() {
            if let Ok(message) = to_js(message) {
                let _ = self.worker.worker().post_message(&message);
            }
        }
    }

    fn on_message(&self, event: MessageEvent) {
        let message = match from_worker(event.data()) {
            Ok(message) => message,
            Err(reason) => {
                self.die(&reason);
                return;
            }
        };
        match message {
            FromWorker::Ready { scope } => {
                *self.scope.borrow_mut() = scope.clone();
                if let Some(ready) = self.ready.borrow_mut().take() {
                    let _ = ready.send(Ok(scope));
                }
            }
            FromWorker::Report { events, end } => {
                for LaneEvent { at_ms, kind } in events {
                    self.tell(HostReport::Event { at_ms, kind: kind.into() });
                }
                match end {
                    None => {}
                    Some(TaskEnd::Done { task, value, worker_ms }) => {
                        self.last_worker_ms.set(worker_ms);
                        self.settle(task, Ok(value));
                    }
                    // The worker could not take a message the page sent: what
                    // that message set up is missing, so the worker is of no use.
                    Some(TaskEnd::Raised { task: NO_TASK, exception }) => {
                        self.die(&format!("the worker could not take a message: {}", exception.message))
                    }
                    Some(TaskEnd::Raised { task, exception }) => self.settle(task, Err(TaskFailure::Raised(exception))),
                }
            }
            // The loader, or the worker's start, says why it could not start.
            FromWorker::Panicked { task: NO_TASK, message } if self.ready.borrow().is_some() => self.die(&message),
            FromWorker::Panicked { message, .. } => *self.panic_message.borrow_mut() = Some(message),
            // A lane asks its arbiter over its own port, never the page.
            FromWorker::GilRequest | FromWorker::GilRelease { .. } | FromWorker::GilYield { .. } => {}
            FromWorker::Draw { lo, hi, due_ms, ms_per_second } => {
                self.tell(HostReport::Draw(DrawRequest { lo, hi, due_ms, ms_per_second }))
            }
        }
    }

    fn on_error(self: &Rc<Self>, event: &Event) {
        let starting = self.ready.borrow().is_some();
        match event.dyn_ref::<ErrorEvent>() {
            Some(error) => {
                let message = error.message();
                let message = if message.is_empty() { "an error it did not describe".to_owned() } else { message };
                let reason = if starting {
                    // Where in the worker's script, for whoever deployed it.
                    let file = error.filename();
                    let file = file.rsplit('/').next().unwrap_or_default();
                    let place =
                        if file.is_empty() { String::new() } else { format!(" ({file}, line {})", error.lineno()) };
                    format!("the worker failed as it started: {message}{place}")
                } else {
                    format!("the worker failed: {message}")
                };
                self.die(&reason);
            }
            // The script itself did not load; the event does not say why.
            None if starting => {
                // Nothing runs in the worker: end it now, then find the reason.
                self.worker.terminate();
                let host = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    let reason = super::module::diagnose_loader().await;
                    if let Some(host) = host.upgrade() {
                        host.die(&reason);
                    }
                });
            }
            None => self.die("the worker stopped with an error"),
        }
    }

    /// Reports to the session, once the worker plays a lane: a warm worker
    /// has nothing to report.
    fn tell(&self, report: HostReport) {
        if let Some(lane) = self.lane.get() {
            (self.report)(lane, report);
        }
    }

    fn settle(&self, task: u32, outcome: TaskOutcome) {
        if let Some(sender) = self.pending.borrow_mut().remove(&task) {
            let _ = sender.send(outcome);
        }
    }

    /// The worker is gone (a panic, a crash, a stop): its tasks fail, its lane
    /// ends, and a GIL it held is freed.
    pub(crate) fn die(&self, reason: &str) {
        self.shut(match self.panic_message.borrow().clone() {
            Some(message) => TaskFailure::Panicked(message),
            None => TaskFailure::Died(reason.to_owned()),
        });
    }

    /// Terminates the worker; its pending tasks end with `failure`.
    pub(crate) fn shut(&self, failure: TaskFailure) {
        if !self.alive.replace(false) {
            return;
        }
        self.worker.terminate();
        self.drop_handlers();
        if let Some(ready) = self.ready.borrow_mut().take() {
            let _ = ready.send(Err(failure.clone()));
        }
        let pending: Vec<_> = self.pending.borrow_mut().drain().collect();
        for (_, sender) in pending {
            let _ = sender.send(Err(failure.clone()));
        }
        // A worker without a lane yet (starting, or warm) ends no lane: its
        // session ends the lane when the start fails.
        self.tell(HostReport::Gone);
    }

    /// Unhooks the handlers, then drops them a moment later: this may run
    /// inside one of them, and an event already queued must find none.
    fn drop_handlers(&self) {
        let worker = self.worker.worker();
        worker.set_onmessage(None);
        worker.set_onerror(None);
        worker.set_onmessageerror(None);
        if let Some(handlers) = self.handlers.borrow_mut().take() {
            wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
        }
    }

    /// Ends the worker after its work: an exited thread or a shut-down pool.
    pub(crate) fn finish(&self) {
        self.shut(TaskFailure::Stopped);
    }
}

impl Drop for WorkerHost {
    fn drop(&mut self) {
        // The worker itself is terminated when `LiveWorker` drops.
        self.drop_handlers();
    }
}

/// Resolves `Fetch` addresses against the page's `<base>`; only those under
/// its directory may be fetched, others end as `urlopen` ends for a refused
/// connection.
fn with_page_addresses(program: &Program) -> Program {
    if !program.ops.iter().any(|op| matches!(op, Op::Fetch { .. })) {
        return program.clone();
    }
    let base = super::module::page_base().ok();
    let ops = program
        .ops
        .iter()
        .map(|op| match op {
            Op::Fetch { url } => {
                let resolved = base.as_deref().and_then(|b| web_sys::Url::new_with_base(url, b).ok().map(|u| (u, b)));
                match resolved {
                    Some((u, b)) if within_base(&u.href(), b) => Op::Fetch { url: u.href() },
                    _ => Op::Raise(connection_refused_error()),
                }
            }
            other => other.clone(),
        })
        .collect();
    Program::new(ops)
}
