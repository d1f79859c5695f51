//! `concurrent.futures.Future`, `as_completed` and `wait`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::StreamExt;

use crate::model::pyvalue::{PyException, PyValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FutureState {
    Pending,
    Running,
    Cancelled,
    Finished,
}

type Callback = Box<dyn FnOnce(&Future)>;

struct Inner {
    id: u32,
    state: Cell<FutureState>,
    outcome: RefCell<Option<Result<PyValue, PyException>>>,
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
    callbacks: RefCell<Vec<Callback>>,
}

/// The eventual result of a submitted call. Clones are the same future.
#[derive(Clone)]
pub struct Future(Rc<Inner>);

impl PartialEq for Future {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Future {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<Future {} state={:?}>", self.0.id, self.state())
    }
}

fn cancelled_error() -> PyException {
    PyException::new("CancelledError", "")
}

impl Future {
    pub(crate) fn new(id: u32) -> Future {
        Future(Rc::new(Inner {
            id,
            state: Cell::new(FutureState::Pending),
            outcome: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
            callbacks: RefCell::new(Vec::new()),
        }))
    }

    pub fn id(&self) -> u32 {
        self.0.id
    }

    pub fn state(&self) -> FutureState {
        self.0.state.get()
    }

    pub fn running(&self) -> bool {
        self.state() == FutureState::Running
    }

    pub fn cancelled(&self) -> bool {
        self.state() == FutureState::Cancelled
    }

    pub fn done(&self) -> bool {
        matches!(self.state(), FutureState::Cancelled | FutureState::Finished)
    }

    /// Cancels the call if it has not started; `false` once it runs or ran.
    pub fn cancel(&self) -> bool {
        match self.state() {
            FutureState::Running | FutureState::Finished => false,
            FutureState::Cancelled => true,
            FutureState::Pending => {
                self.0.state.set(FutureState::Cancelled);
                self.settled();
                true
            }
        }
    }

    /// `result()`: the value, or the exception the call raised
    /// (`CancelledError` for a cancelled future).
    pub async fn result(&self) -> Result<PyValue, PyException> {
        self.wait_done().await;
        self.result_now().unwrap_or_else(|| Err(cancelled_error()))
    }

    /// `exception()`: the exception the call raised, `None` if it returned.
    pub async fn exception(&self) -> Result<Option<PyException>, PyException> {
        self.wait_done().await;
        match self.result_now() {
            Some(Ok(_)) => Ok(None),
            Some(Err(e)) if self.cancelled() => Err(e),
            Some(Err(e)) => Ok(Some(e)),
            None => Err(cancelled_error()),
        }
    }

    /// The outcome if the future is done.
    pub fn result_now(&self) -> Option<Result<PyValue, PyException>> {
        if self.cancelled() {
            return Some(Err(cancelled_error()));
        }
        self.0.outcome.borrow().clone()
    }

    /// Calls `callback` once the future is done (at once if it is).
    pub fn add_done_callback(&self, callback: impl FnOnce(&Future) + 'static) {
        if self.done() {
            callback(self);
        } else {
            self.0.callbacks.borrow_mut().push(Box::new(callback));
        }
    }

    pub async fn wait_done(&self) {
        if self.done() {
            return;
        }
        let (tx, rx) = oneshot::channel();
        self.0.waiters.borrow_mut().push(tx);
        let _ = rx.await;
    }

    /// Pending -> Running; `false` if it was cancelled first.
    pub(crate) fn set_running(&self) -> bool {
        if self.state() != FutureState::Pending {
            return false;
        }
        self.0.state.set(FutureState::Running);
        true
    }

    pub(crate) fn set_outcome(&self, outcome: Result<PyValue, PyException>) {
        if self.done() {
            return;
        }
        *self.0.outcome.borrow_mut() = Some(outcome);
        self.0.state.set(FutureState::Finished);
        self.settled();
    }

    fn settled(&self) {
        for waiter in self.0.waiters.borrow_mut().drain(..) {
            let _ = waiter.send(());
        }
        let callbacks: Vec<Callback> = self.0.callbacks.borrow_mut().drain(..).collect();
        for callback in callbacks {
            callback(self);
        }
    }
}

/// `as_completed(fs)`: the futures in the order they finish, those already
/// done first.
pub struct AsCompleted {
    ready: VecDeque<Future>,
    receiver: mpsc::UnboundedReceiver<Future>,
    left: usize,
}

pub fn as_completed(futures: &[Future]) -> AsCompleted {
    let (sender, receiver) = mpsc::unbounded();
    let mut ready = VecDeque::new();
    let mut left = 0;
    let mut seen: Vec<&Future> = Vec::new();
    for future in futures {
        // A future given twice is yielded once, as in Python (it takes a set).
        if seen.contains(&future) {
            continue;
        }
        seen.push(future);
        if future.done() {
            ready.push_back(future.clone());
        } else {
            left += 1;
            let sender = sender.clone();
            future.add_done_callback(move |f| {
                let _ = sender.unbounded_send(f.clone());
            });
        }
    }
    AsCompleted { ready, receiver, left }
}

impl AsCompleted {
    /// The next future to finish; `None` when all have.
    pub async fn next(&mut self) -> Option<Future> {
        if let Some(future) = self.ready.pop_front() {
            return Some(future);
        }
        if self.left == 0 {
            return None;
        }
        let future = self.receiver.next().await?;
        self.left -= 1;
        Some(future)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    FirstCompleted,
    FirstException,
    AllCompleted,
}

/// `wait(fs, return_when=...)`: `(done, not_done)`.
pub async fn wait(futures: &[Future], return_when: ReturnWhen) -> (Vec<Future>, Vec<Future>) {
    let finished = |f: &Future| -> bool {
        match return_when {
            ReturnWhen::FirstCompleted => f.done(),
            ReturnWhen::FirstException => matches!(f.result_now(), Some(Err(_))) && !f.cancelled(),
            ReturnWhen::AllCompleted => false,
        }
    };
    let mut pending = as_completed(futures);
    loop {
        let all_done = futures.iter().all(Future::done);
        if all_done || futures.iter().any(finished) {
            break;
        }
        if pending.next().await.is_none() {
            break;
        }
    }
    futures.iter().cloned().partition(Future::done)
}
