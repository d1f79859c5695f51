//! The page's side of one worker: one lane. It starts the worker, sends it
//! programs, and turns what comes back into trace events and task outcomes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::js_error::describe;
use super::messages::{from_js, to_js};

use crate::model::gil::GilImpl;
use crate::model::program::{Op, Program};
use crate::model::protocol::{FromWorker, ToWorker};
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::{EventKind, LaneId};

/// What a worker's host tells its session about its lane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HostReport {
    /// Something happened on the lane, at `at_ms` on the page's clock.
    Event { at_ms: f64, kind: EventKind },
    /// The worker is gone: the lane ends, and a GIL it held must be freed.
    Gone,
    /// The worker asks the page's arbiter for the GIL.
    GilRequest,
    /// The worker lets go of the arbiter's GIL.
    GilRelease,
    /// The worker draws `random.randint(lo, hi)` from the run's generator.
    Draw { lo: i64, hi: i64 },
}

/// Where a host sends its reports: the session that started it.
pub(crate) type ReportSink = Rc<dyn Fn(HostReport)>;

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
}

pub type TaskOutcome = Result<PyValue, TaskFailure>;

/// The worker's message and error handlers, kept while it lives.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(ErrorEvent)>);

pub struct WorkerHost {
    pub lane: LaneId,
    worker: Worker,
    report: ReportSink,
    pending: RefCell<HashMap<u32, oneshot::Sender<TaskOutcome>>>,
    ready: RefCell<Option<oneshot::Sender<Result<String, String>>>>,
    panic_message: RefCell<Option<String>>,
    scope: RefCell<String>,
    last_worker_ms: Cell<f64>,
    alive: Cell<bool>,
    handlers: RefCell<Option<Handlers>>,
}

impl WorkerHost {
    /// Starts a worker on the compiled module and waits until it runs.
    /// `gil_buffer` is the shared lock's buffer for a lane that takes it,
    /// `undefined` otherwise.
    pub(crate) async fn start(
        report: ReportSink,
        lane: LaneId,
        gil: Option<GilImpl>,
        gil_buffer: JsValue,
    ) -> Result<Rc<WorkerHost>, String> {
        let module = super::module::load().await?;
        let worker = Worker::new(&module.script_url)
            .map_err(|e| format!("the browser refused to start a worker: {}", describe(e)))?;
        let (ready_tx, ready_rx) = oneshot::channel();
        let host = Rc::new(WorkerHost {
            lane,
            worker,
            report,
            pending: RefCell::new(HashMap::new()),
            ready: RefCell::new(Some(ready_tx)),
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
        let weak = Rc::downgrade(&host);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // Handled here: the page reports it, the console need not.
            event.prevent_default();
            if let Some(host) = weak.upgrade() {
                let reason = host.panic_message.borrow().clone().unwrap_or_else(|| event.message());
                host.die(&reason);
            }
        });
        host.worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        host.worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *host.handlers.borrow_mut() = Some((on_message, on_error));
        host.worker.post_message(&module.module).map_err(describe)?;

        match ready_rx.await {
            Ok(Ok(_scope)) => {}
            Ok(Err(reason)) => return Err(reason),
            Err(_) => return Err("the worker stopped before it was ready".into()),
        }
        let init = ToWorker::Init { lane, gil, page_origin_ms: super::clock::time_origin() };
        // The shared lock's buffer travels beside the message: [init, buffer].
        let message = js_sys::Array::of2(&to_js(&init)?, &gil_buffer);
        host.worker.post_message(&message).map_err(describe)?;
        Ok(host)
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
        if !self.alive.get() {
            return Err(TaskFailure::Died("the worker is gone".into()));
        }
        let (tx, rx) = oneshot::channel();
        self.pending.borrow_mut().insert(task, tx);
        let message = to_js(&ToWorker::Run { task, program: with_page_addresses(program) })
            .and_then(|message| self.worker.post_message(&message).map_err(describe));
        if let Err(reason) = message {
            self.pending.borrow_mut().remove(&task);
            return Err(TaskFailure::Died(reason));
        }
        rx.await.unwrap_or(Err(TaskFailure::Stopped))
    }

    pub(crate) fn post(&self, message: &ToWorker) {
        if self.alive.get() {
            if let Ok(message) = to_js(message) {
                let _ = self.worker.post_message(&message);
            }
        }
    }

    fn on_message(&self, event: MessageEvent) {
        let message = match from_js::<FromWorker>(event.data(), "a worker") {
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
            FromWorker::State { at_ms, state } => {
                (self.report)(HostReport::Event { at_ms, kind: EventKind::State(state) })
            }
            FromWorker::Line { at_ms, line } => (self.report)(HostReport::Event { at_ms, kind: EventKind::Line(line) }),
            FromWorker::Print { at_ms, text } => {
                (self.report)(HostReport::Event { at_ms, kind: EventKind::Print(text) })
            }
            FromWorker::Done { task, value, worker_ms } => {
                self.last_worker_ms.set(worker_ms);
                self.settle(task, Ok(value));
            }
            FromWorker::Raised { task, exception } => self.settle(task, Err(TaskFailure::Raised(exception))),
            FromWorker::Panicked { task: 0, message } if self.ready.borrow().is_some() => {
                if let Some(ready) = self.ready.borrow_mut().take() {
                    let _ = ready.send(Err(message));
                }
            }
            FromWorker::Panicked { message, .. } => *self.panic_message.borrow_mut() = Some(message),
            FromWorker::GilRequest => (self.report)(HostReport::GilRequest),
            FromWorker::GilRelease => (self.report)(HostReport::GilRelease),
            FromWorker::Draw { lo, hi } => (self.report)(HostReport::Draw { lo, hi }),
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
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        if let Some(ready) = self.ready.borrow_mut().take() {
            let _ = ready.send(Err(format!("{failure:?}")));
        }
        let pending: Vec<_> = self.pending.borrow_mut().drain().collect();
        for (_, sender) in pending {
            let _ = sender.send(Err(failure.clone()));
        }
        (self.report)(HostReport::Gone);
        // This may run inside one of the handlers: drop them a moment later.
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
        self.worker.terminate();
    }
}

/// A worker started from a Blob cannot resolve relative addresses, and only
/// the page's own origin may be fetched: resolve `Fetch` addresses here, and
/// turn others into the error `urlopen` would give.
fn with_page_addresses(program: &Program) -> Program {
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let origin = web_sys::window().and_then(|w| w.location().origin().ok());
    let ops = program
        .ops
        .iter()
        .map(|op| match op {
            Op::Fetch { url } => {
                let resolved = base.as_deref().and_then(|b| web_sys::Url::new_with_base(url, b).ok());
                match resolved {
                    Some(u) if Some(u.origin()) == origin => Op::Fetch { url: u.href() },
                    _ => Op::Raise(PyException::new(
                        "URLError",
                        format!("<urlopen error only this site's own pages can be fetched: {url}>"),
                    )),
                }
            }
            other => other.clone(),
        })
        .collect();
    Program::new(ops)
}
