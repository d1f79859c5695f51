//! asyncio's event loop, driven by the browser's own event loop on the page's
//! main thread: tasks are futures the page polls, `sleep` is browser timers,
//! and every line a task prints comes from the MainThread lane. Each task has
//! a sub-lane of its own (`Task-1`, `Task-2`, ... as asyncio names them):
//! running a step, or awaiting, until it is done. A task awaiting a sleep or
//! I/O is drawn sleeping / in I/O; one awaiting other tasks (`await task`,
//! `gather`) is blocked on them, as a thread joining another is.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::future::Future as StdFuture;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::channel::oneshot;
use gloo_timers::future::TimeoutFuture;

use super::clock;
use super::futures::Future;
use super::pool::Executor;
use super::session::Session;
use super::waits::{yield_to_messages, LONGEST_TIMER_MS};
use crate::model::program::Program;
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::{LaneId, LaneKind, LaneState};

thread_local! {
    /// Set by an await of other tasks that is not ready: the step being
    /// polled ends blocked on them rather than in I/O.
    static AWAITS_TASKS: Cell<bool> = const { Cell::new(false) };
}

struct Inner {
    session: Session,
    /// How many task steps are running right now (nested polls count once).
    stepping: Cell<usize>,
    /// asyncio's task counter: the next task is `Task-{n}`.
    tasks: Cell<u32>,
    default_executor: RefCell<Option<Executor>>,
    sleeping: Rc<RefCell<Sleeping>>,
}

thread_local! {
    /// How many sleeps on the page's loop are in their last milliseconds,
    /// waiting by turns of the loop (a `sleep(0)` is one).
    static ENDING_SLEEPS: Cell<u32> = const { Cell::new(0) };
}

/// Whether a sleep on the page's loop is about to end: a redraw of the page
/// now would hold up its last turns (the first frame of a run takes 20-40 ms),
/// so the views wait for the frame after (see `ui::live`).
pub fn sleep_ending() -> bool {
    ENDING_SLEEPS.with(Cell::get) > 0
}

/// How long before its due time a sleep on the page stops setting timers and
/// turns the loop instead (see [`EventLoop::sleep`]). Firefox fires a short
/// timer on the page up to about 4 ms late: from 3 ms before, 10 of the
/// benchmark's 61 sleeps began their turns after they were due, and 10 ended
/// over 0.5 ms late; from 6 ms before, none began late and one ended late
/// (Chromium: 11-16 such sleeps against 5-7, whose turns themselves came late).
const PAGE_PRECISE_LAST_MS: f64 = 6.0;

/// Counts a sleep among those ending while it lives.
struct Ending;

impl Ending {
    fn new() -> Ending {
        ENDING_SLEEPS.with(|n| n.set(n.get() + 1));
        Ending
    }
}

impl Drop for Ending {
    fn drop(&mut self) {
        ENDING_SLEEPS.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// The sleeps under way on a loop, by due time and then by when they began.
#[derive(Default)]
struct Sleeping {
    under_way: BTreeSet<(u64, u64)>,
    began: u64,
}

/// A sleep under way, in its loop's list until it ends or is dropped (the
/// task cancelled, the session stopped).
struct Sleeper {
    sleeping: Rc<RefCell<Sleeping>>,
    key: (u64, u64),
}

impl Sleeper {
    fn new(sleeping: &Rc<RefCell<Sleeping>>, due: f64) -> Sleeper {
        let mut list = sleeping.borrow_mut();
        list.began += 1;
        // A due time is a time on the clock or later, never negative: its
        // bits sort as the times do.
        let key = (due.max(0.0).to_bits(), list.began);
        list.under_way.insert(key);
        Sleeper { sleeping: sleeping.clone(), key }
    }

    /// Whether no sleep due before this one is still under way.
    fn is_next(&self) -> bool {
        self.sleeping.borrow().under_way.first() == Some(&self.key)
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        self.sleeping.borrow_mut().under_way.remove(&self.key);
    }
}

/// An event loop; clones share it.
#[derive(Clone)]
pub struct EventLoop(Rc<Inner>);

/// `asyncio.Task`: a coroutine scheduled on the loop.
#[derive(Clone, Debug)]
pub struct Task {
    future: Future,
}

impl Task {
    pub fn done(&self) -> bool {
        self.future.done()
    }

    /// `await task`: the awaiting task is blocked on this one until it is done.
    pub async fn result(&self) -> Result<PyValue, PyException> {
        let mut result = std::pin::pin!(self.future.result());
        std::future::poll_fn(|cx| {
            let poll = result.as_mut().poll(cx);
            if poll.is_pending() {
                AWAITS_TASKS.set(true);
            }
            poll
        })
        .await
    }

    pub fn cancel(&self) -> bool {
        self.future.cancel()
    }
}

/// Marks the MainThread lane running while a task step runs, and waiting in
/// the selector (I/O) between steps.
struct Stepped<F> {
    inner: Pin<Box<F>>,
    event_loop: EventLoop,
    /// The task's sub-lane: running while a step runs, awaiting between steps.
    lane: LaneId,
}

impl<F: StdFuture> StdFuture for Stepped<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let event_loop = self.event_loop.clone();
        let session = event_loop.session();
        event_loop.enter();
        session.lane_state(self.lane, LaneState::Running);
        let outer = AWAITS_TASKS.replace(false);
        let out = self.inner.as_mut().poll(cx);
        let awaits_tasks = AWAITS_TASKS.replace(outer);
        match out {
            Poll::Pending if awaits_tasks => session.lane_state(self.lane, LaneState::Blocked),
            Poll::Pending => session.lane_state(self.lane, LaneState::Io),
            Poll::Ready(_) => session.lane_ended(self.lane),
        }
        event_loop.leave();
        out
    }
}

impl EventLoop {
    pub fn new(session: &Session) -> EventLoop {
        EventLoop(Rc::new(Inner {
            session: session.clone(),
            stepping: Cell::new(0),
            tasks: Cell::new(0),
            default_executor: RefCell::new(None),
            sleeping: Rc::default(),
        }))
    }

    pub fn session(&self) -> &Session {
        &self.0.session
    }

    /// A sub-lane for the next task, named as asyncio names it.
    fn task_lane(&self) -> LaneId {
        let n = self.0.tasks.get() + 1;
        self.0.tasks.set(n);
        self.0.session.new_lane(&format!("Task-{n}"), LaneKind::Task)
    }

    fn enter(&self) {
        if self.0.stepping.get() == 0 {
            self.0.session.main_state(LaneState::Running);
        }
        self.0.stepping.set(self.0.stepping.get() + 1);
    }

    fn leave(&self) {
        let depth = self.0.stepping.get().saturating_sub(1);
        self.0.stepping.set(depth);
        if depth == 0 {
            self.0.session.main_state(LaneState::Io);
        }
    }

    /// `print(...)` from a coroutine: always the MainThread lane.
    pub fn print(&self, text: impl Into<String>) {
        self.0.session.print(text);
    }

    /// `loop.create_task(coro)`: scheduled to start on a later turn of the loop.
    pub fn create_task(&self, coroutine: impl StdFuture<Output = Result<PyValue, PyException>> + 'static) -> Task {
        let future = self.0.session.new_future();
        let task = Task { future: future.clone() };
        let stepped = Stepped { inner: Box::pin(coroutine), event_loop: self.clone(), lane: self.task_lane() };
        self.0.session.spawn(async move {
            if !future.set_running() {
                return; // cancelled before it started
            }
            let outcome = stepped.await;
            future.set_outcome(outcome);
        });
        task
    }

    /// `await asyncio.sleep(seconds)`: the loop runs other tasks meanwhile.
    /// Browser timers for the bulk, each at most [`LONGEST_TIMER_MS`] (Firefox
    /// fired a 1 s timer on the page up to 8.6 ms late), then turns of the
    /// page's loop until the due time, so the sleep ends on time as asyncio's
    /// does. `sleep(0)` is one turn of the loop, as in asyncio: a timer of 0 ms
    /// waits 4 ms or more once timers nest (six `sleep(0)` tasks took 14-47 ms).
    /// The timers and turns run beside the task, which is woken once, at the
    /// due time: polled at each turn, it would be drawn running a step at each.
    /// Sleeps end in the order they are due, as asyncio's scheduled timers do.
    /// The turns keep the page's thread busy for the last [`PAGE_PRECISE_LAST_MS`]
    /// of each sleep: turns for only the last 1 ms left Chromium's p99 lateness at
    /// 3.5 ms against 1.4 ms with 3 ms (the benchmark's 61 sleeps, same minutes).
    pub async fn sleep(&self, seconds: f64) {
        let due = clock::now() + self.0.session.ms(seconds).max(0.0);
        let (done, woken) = oneshot::channel::<()>();
        let sleeper = Sleeper::new(&self.0.sleeping, due);
        self.0.session.spawn(async move {
            loop {
                let left = due - clock::now();
                if left <= PAGE_PRECISE_LAST_MS || done.is_canceled() {
                    break;
                }
                TimeoutFuture::new((left - PAGE_PRECISE_LAST_MS).min(LONGEST_TIMER_MS).round() as u32).await;
            }
            let ending = Ending::new();
            loop {
                yield_to_messages().await;
                if (clock::now() >= due && sleeper.is_next()) || done.is_canceled() {
                    break;
                }
            }
            drop(ending);
            drop(sleeper);
            let _ = done.send(());
        });
        // Dropped unsent only when the session stopped: nothing the task does shows then.
        let _ = woken.await;
    }

    /// `loop.run_until_complete(coro)`: the coroutine runs as a task (`Task-1`
    /// when it is the loop's first).
    pub async fn run_until_complete<T>(&self, coroutine: impl StdFuture<Output = T>) -> T {
        // The program begins in a fresh frame's time: begun as the page was
        // about to draw (Run's click takes a frame's time), the first frame of
        // the run came between its first turn and the next, and a task's
        // `sleep(0)` ended 0.12-0.19 Python s late at `speed=200`. A program
        // that began before (its workers started ahead) goes on at once.
        self.0.session.begin_after_paint().await;
        let out = Stepped { inner: Box::pin(coroutine), event_loop: self.clone(), lane: self.task_lane() }.await;
        self.0.session.main_state(LaneState::Running);
        out
    }

    /// `await loop.run_in_executor(executor, fn)`: the call runs on a worker
    /// while the loop goes on. `None` is the loop's default thread pool.
    pub async fn run_in_executor(&self, executor: Option<&Executor>, program: Program) -> Result<PyValue, PyException> {
        let executor = match executor {
            Some(executor) => executor.clone(),
            None => self.default_executor()?,
        };
        executor.submit(program)?.result().await
    }

    /// `await asyncio.to_thread(fn)`.
    pub async fn to_thread(&self, program: Program) -> Result<PyValue, PyException> {
        self.run_in_executor(None, program).await
    }

    fn default_executor(&self) -> Result<Executor, PyException> {
        if let Some(executor) = self.0.default_executor.borrow().as_ref() {
            return Ok(executor.clone());
        }
        // asyncio names its default pool's threads "asyncio_0", "asyncio_1", ...
        let executor = Executor::thread_pool_named(&self.0.session, None, "asyncio")?;
        *self.0.default_executor.borrow_mut() = Some(executor.clone());
        Ok(executor)
    }

    /// CPU-bound Python inside a coroutine: it never awaits, so it holds the
    /// page's thread (and the loop) for `seconds`.
    pub fn compute(&self, seconds: f64) {
        let until = clock::now() + self.0.session.ms(seconds);
        clock::on_purpose("a CPU-bound asyncio task", || {
            while clock::now() < until {
                std::hint::spin_loop();
            }
        });
    }

    /// `time.sleep(seconds)` inside a coroutine: blocks the page's thread for
    /// real, so nothing else on the loop (or on the page) runs meanwhile.
    pub fn blocking_sleep(&self, seconds: f64) {
        let session = &self.0.session;
        session.main_state(LaneState::Blocked);
        let until = clock::now() + session.ms(seconds);
        clock::on_purpose("time.sleep on the event loop", || {
            while clock::now() < until {
                std::hint::spin_loop();
            }
        });
        session.main_state(LaneState::Running);
    }
}

/// `await asyncio.gather(*tasks)`: the results in argument order; the first
/// exception is raised (the other tasks keep running, as in asyncio).
pub async fn gather(tasks: &[Task]) -> Result<Vec<PyValue>, PyException> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.result().await?);
    }
    Ok(results)
}
