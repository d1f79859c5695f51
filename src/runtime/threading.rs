//! `threading.Thread` and `multiprocessing.Process`: one program on one Web
//! Worker, started and joined by hand.

use std::cell::RefCell;
use std::rc::Rc;

use super::futures::Future;
use super::host::WorkerHost;
use super::session::{cannot_start, Ident, Session};
use crate::model::program::Program;
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::LaneKind;

struct Inner {
    session: Session,
    name: String,
    kind: LaneKind,
    program: RefCell<Program>,
    /// Set by `start`; done when the worker has run the program.
    run: RefCell<Option<Future>>,
    /// Done when the worker is up and the program has been sent.
    started: Future,
    /// A worker started ahead by `prepare`.
    prepared: RefCell<Option<Rc<WorkerHost>>>,
}

/// What `Thread` and `Process` share: `name`, `start`, `join`, `is_alive`.
#[derive(Clone)]
pub struct Runner(Rc<Inner>);

impl Runner {
    fn new(session: &Session, name: String, kind: LaneKind, program: Program) -> Self {
        Runner(Rc::new(Inner {
            session: session.clone(),
            name,
            kind,
            program: RefCell::new(program),
            run: RefCell::new(None),
            started: session.new_future(),
            prepared: RefCell::new(None),
        }))
    }

    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// `start()`: the lane appears now. A thread whose worker is ready (see
    /// `prepare` and [`Session::warm`]) runs at once; otherwise the lane shows
    /// its worker starting first. A process is forked, as CPython does by
    /// default on Linux: its `threading.get_ident()` is its parent's.
    pub fn start(&self) -> Result<(), PyException> {
        if self.0.run.borrow().is_some() {
            let what = if self.0.kind == LaneKind::Process { "processes" } else { "threads" };
            return Err(PyException::new("RuntimeError", format!("{what} can only be started once")));
        }
        let session = &self.0.session;
        let future = session.new_future();
        future.set_running();
        *self.0.run.borrow_mut() = Some(future.clone());
        let prepared = self.0.prepared.borrow_mut().take();
        let ident = if self.0.kind == LaneKind::Process { Ident::Parent } else { Ident::Own };
        let (lane, host) = session.launch(&self.0.name, self.0.kind, ident, prepared);
        let program = self.0.program.borrow().clone();
        if self.0.kind == LaneKind::Thread {
            session.draws_in_due_order(lane, &program);
        }
        let inner = self.0.clone();
        session.spawn(async move {
            let outcome = match host.await {
                Ok(host) => {
                    inner.started.set_running();
                    inner.started.set_outcome(Ok(PyValue::None));
                    let task = inner.session.next_task();
                    let outcome = host.run(task, &program).await;
                    // The thread's run() returned: the thread exits.
                    host.finish();
                    outcome.map_err(|f| f.into_exception())
                }
                Err(reason) => Err(cannot_start(inner.kind, &reason)),
            };
            // A thread that could not start is not waited for either.
            inner.started.set_outcome(Ok(PyValue::None));
            future.set_outcome(outcome);
        });
        Ok(())
    }

    /// Gets the worker behind this thread ready ahead of `start()`, without a
    /// lane: a CPython thread starts in microseconds, a Web Worker in
    /// milliseconds. A demo prepares its threads before the program begins,
    /// then starts them. Takes a warm worker if the session has one.
    pub async fn prepare(&self) -> Result<(), PyException> {
        if self.0.run.borrow().is_some() || self.0.prepared.borrow().is_some() {
            return Ok(());
        }
        let warm = if self.0.kind == LaneKind::Thread { self.0.session.take_warm() } else { None };
        let host = match warm {
            Some(host) => host,
            None => self.0.session.spawn_host().await.map_err(|reason| cannot_start(self.0.kind, &reason))?,
        };
        *self.0.prepared.borrow_mut() = Some(host);
        Ok(())
    }

    /// Replaces what the thread will run; only before `start()`.
    pub fn set_program(&self, program: Program) {
        if self.0.run.borrow().is_none() {
            *self.0.program.borrow_mut() = program;
        }
    }

    /// Waits until the thread runs, as CPython's `start()` does before it returns.
    pub async fn started(&self) {
        self.0.started.wait_done().await;
    }

    pub async fn join(&self) -> Result<(), PyException> {
        let Some(run) = self.0.run.borrow().clone() else {
            return Err(PyException::new("RuntimeError", "cannot join thread before it is started"));
        };
        if !run.done() {
            // The main thread blocks in join().
            self.0.session.blocked(run.wait_done()).await;
        }
        Ok(())
    }

    pub fn is_alive(&self) -> bool {
        self.0.run.borrow().as_ref().is_some_and(|r| !r.done())
    }

    /// What `run()` returned or raised, once it has ended (an exception in a
    /// thread is reported, not raised in the joiner).
    pub fn outcome(&self) -> Option<Result<PyValue, PyException>> {
        self.0.run.borrow().as_ref().and_then(Future::result_now)
    }
}

/// `threading.Thread(target=...)`: shares the GIL with the session's other threads.
#[derive(Clone)]
pub struct Thread(Runner);

impl Thread {
    /// A thread named as CPython names it: "Thread-1", "Thread-2", ...
    pub fn new(session: &Session, program: Program) -> Thread {
        Thread(Runner::new(session, session.next_thread_name(), LaneKind::Thread, program))
    }

    /// `Thread(target=f)`: CPython 3.10+ names it "Thread-1 (f)".
    pub fn with_target(session: &Session, target: &str, program: Program) -> Thread {
        let name = format!("{} ({target})", session.next_thread_name());
        Thread(Runner::new(session, name, LaneKind::Thread, program))
    }

    pub fn with_name(session: &Session, name: impl Into<String>, program: Program) -> Thread {
        Thread(Runner::new(session, name.into(), LaneKind::Thread, program))
    }
}

/// `multiprocessing.Process(target=...)`: its own memory, no shared GIL, and
/// CPython's start-up (a fork or a spawn, `model::process_start`), played by a
/// worker started ahead where there is one, else by a fresh worker's start.
#[derive(Clone)]
pub struct Process(Runner);

impl Process {
    /// A process named as `multiprocessing` names it: "Process-1", ...
    pub fn new(session: &Session, program: Program) -> Process {
        let name = format!("Process-{}", session.next_process_number());
        Process(Runner::new(session, name, LaneKind::Process, program))
    }
}

/// `multiprocessing.Process` mirrors `threading.Thread`: both are a `Runner`.
impl std::ops::Deref for Thread {
    type Target = Runner;
    fn deref(&self) -> &Runner {
        &self.0
    }
}

impl std::ops::Deref for Process {
    type Target = Runner;
    fn deref(&self) -> &Runner {
        &self.0
    }
}
