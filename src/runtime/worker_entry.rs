//! The code inside a worker: it takes the GIL as its page says, carries out
//! programs op by op, and reports every change of state, stamped on the
//! page's clock. It stops as soon as its session's stop word is set, or, on a
//! page without shared memory, returns to its event loop often enough that
//! `Worker.terminate()` ends it at once.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Int32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

use super::clock::{self, PageClock};
use super::gil_shared::{SharedGil, StopWord};
use super::messages::{from_js, to_js};
use super::waits::{sleep, yield_to_messages, PreciseWait, LONGEST_TIMER_MS, PRECISE_LAST_MS};
use super::worker_arbiter;
use super::worker_fetch::fetch_length;
use crate::model::gil::{GilImpl, HandOverLead};
use crate::model::job::is_prime;
use crate::model::lease::{Grant, Lease};
use crate::model::outbox::Outbox;
use crate::model::program::{
    unknown_host_error, unknown_url_type_error, Deadlines, Op, Program, UrlOutcome, THREAD_IDENT,
};
use crate::model::protocol::{FromWorker, LaneEvent, LaneEventKind, TaskEnd, ToWorker, NO_TASK};
use crate::model::pyvalue::percent_format;
use crate::model::pyvalue::{PyException, PyValue};
use crate::model::trace::{LaneId, LaneState};

/// Iterations of a CPU-bound loop between two checks of the GIL's drop request
/// and the stop word: about 30 us here, so a check (a third of a microsecond)
/// costs about 1% and a drop request waits at most that long.
const COUNTDOWN_SLICE: u64 = 20_000;
const PRIMES_SLICE: u32 = 2_000;
/// With the message-based GIL, how often a CPU-bound loop lets messages in.
const YIELD_EVERY_MS: f64 = 1.0;
/// Without a stop word (no shared memory), how often a CPU-bound loop returns
/// to its event loop: a terminated worker ends there, not seconds later when
/// the browser forces its thread down.
const YIELD_FOR_STOP_MS: f64 = 5.0;
/// The longest a thread granted the GIL ahead waits for the last turn to end
/// (on the page's clock, read from two workers' clocks that may differ a
/// little): the longest lead a holder hands over by ([`HandOverLead`]), and a
/// little more.
const LONGEST_EARLY_WAIT_MS: f64 = HandOverLead::LONGEST_MS + 0.2;
/// A clock that ticks this coarsely cannot time a hand-over ahead: two
/// workers' clocks, read at 1 ms ticks a fraction of a millisecond apart, put
/// the next turn's start up to a tick late (Firefox, without cross-origin
/// isolation: two threads took 1.21-1.26x their work, with gaps of 1-2 ms
/// between turns and the next thread spinning through a lead of 1.5 ms).
const COARSE_TICK_MS: f64 = 0.5;
/// A draw the page has not answered by then is held for another thread:
/// the GIL is let go while it waits.
const DRAW_HELD_AFTER_MS: u32 = 1;

/// Why an operation gave no value.
enum Interrupt {
    Raised(PyException),
    /// The session was stopped: the worker ends without a reply.
    Stopped,
}

impl From<PyException> for Interrupt {
    fn from(exception: PyException) -> Self {
        Interrupt::Raised(exception)
    }
}

/// This worker's hold on the GIL.
enum LaneGil {
    Off,
    Shared(SharedGil),
    /// The session's arbiter, a worker spoken to over `port`: the holder
    /// times its own switch interval once it knows someone waits, and then yields.
    Arbiter {
        port: MessagePort,
        granted: RefCell<Option<oneshot::Sender<()>>>,
        lease: Box<Lease>,
        /// Channels to other lanes, to hand the GIL over without the arbiter.
        peers: RefCell<HashMap<LaneId, Peer>>,
    },
}

/// A channel to another lane of the message-based GIL, and its handler.
struct Peer {
    port: MessagePort,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// A `randint` asked of the page before the thread needs it: the draw for a
/// sleep due to start at `due_ms`, and where its answer comes.
struct DrawAhead {
    lo: i64,
    hi: i64,
    due_ms: f64,
    answer: oneshot::Receiver<Result<i64, PyException>>,
}

struct Worker {
    scope: DedicatedWorkerGlobalScope,
    clock: PageClock,
    gil: LaneGil,
    /// The session's stop word, where shared memory exists.
    stop: Option<StopWord>,
    /// The task being run, for the panic hook's report.
    task: Cell<u32>,
    /// `threading.get_ident()` of this worker's thread, as printed.
    ident: String,
    /// Where the deadline-based sleeps stand.
    deadlines: Cell<Deadlines>,
    /// Where a sleep's last milliseconds are waited for precisely, if
    /// `Atomics.wait` can be used here.
    precise: Option<PreciseWait>,
    /// Waits for the page's answer to a `randint`.
    drawn: RefCell<Option<oneshot::Sender<Result<i64, PyException>>>>,
    /// A draw asked for ahead, while the sleep before it ran.
    drawn_ahead: RefCell<Option<DrawAhead>>,
    /// The lane's events, stamped, until they are sent (see [`Worker::flush`]).
    outbox: RefCell<Outbox>,
    /// The lane's first task waits until then (page clock): CPython's
    /// start-up of the process this worker plays.
    runs_from: Cell<f64>,
    /// The countdown that start-up takes from then, before the first task.
    start_work: Cell<u64>,
}

thread_local! {
    static WORKER: RefCell<Option<Rc<Worker>>> = const { RefCell::new(None) };
    static SCOPE: RefCell<Option<DedicatedWorkerGlobalScope>> = const { RefCell::new(None) };
}

/// Posts `message` to the page; it fails only if the message cannot be
/// written (see [`to_js`]).
fn try_post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) -> Result<(), String> {
    let value = to_js(message)?;
    // Bytes always clone.
    let _ = scope.post_message(&value);
    Ok(())
}

fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) {
    let _ = try_post(scope, message);
}

/// The worker's word that it could not take a message ([`NO_TASK`]) or run a task.
fn raised(task: u32, type_name: &str, message: impl Into<String>) -> FromWorker {
    let exception = PyException::new(type_name, message);
    FromWorker::Report { events: Vec::new(), end: Some(TaskEnd::Raised { task, exception }) }
}

/// A GIL request, release or yield, to the session's arbiter.
fn post_to_arbiter(port: &MessagePort, message: &FromWorker) {
    if let Ok(value) = to_js(message) {
        let _ = port.post_message(&value);
    }
}

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    SCOPE.with(|s| *s.borrow_mut() = Some(scope.clone()));
    std::panic::set_hook(Box::new(|info| {
        // The wasm instance traps right after this: tell the page why first.
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_owned(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| info.to_string()),
        };
        // What the lane did before the panic goes first.
        let (task, events) = WORKER.with(|w| match w.try_borrow().ok().as_deref() {
            Some(Some(worker)) => {
                let events = worker.outbox.try_borrow_mut().map(|mut o| o.take());
                (worker.task.get(), events.unwrap_or_default())
            }
            _ => (0, Vec::new()),
        });
        SCOPE.with(|s| {
            if let Some(scope) = s.borrow().as_ref() {
                if !events.is_empty() {
                    post(scope, &FromWorker::Report { events, end: None });
                }
                post(scope, &FromWorker::Panicked { task, message });
            }
        });
    }));
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        on_message(&handler_scope, event);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives exactly as long as the worker does.
    on_message.forget();
    post(&scope, &FromWorker::Ready { scope: constructor_name(&scope) });
}

fn on_message(scope: &DedicatedWorkerGlobalScope, event: MessageEvent) {
    let data = event.data();
    // `Init` comes as [message, SharedArrayBuffer-or-undefined, GIL port-or-undefined]
    // (a rehearsal's as [message, undefined]), `ArbiterLane`
    // and `GilPeer` as [message, port]; the rest alone.
    let (value, extra, port) = match data.dyn_ref::<Array>() {
        Some(array) => {
            let port = [array.get(1), array.get(2)].into_iter().find_map(|v| v.dyn_into::<MessagePort>().ok());
            (array.get(0), Some(array.get(1)), port)
        }
        None => (data, None, None),
    };
    let message = match from_js::<ToWorker>(value, "the page") {
        Ok(message) => message,
        Err(message) => {
            post(scope, &raised(NO_TASK, "SystemError", message));
            return;
        }
    };
    match message {
        ToWorker::Init { lane, gil, page_origin_ms, ident, switch_interval_ms, runs_from_ms, start_work } => {
            let cells = extra.and_then(|b| b.dyn_into::<js_sys::SharedArrayBuffer>().ok()).map(|b| Int32Array::new(&b));
            let gil = match (gil, &cells, port) {
                (None, _, _) => LaneGil::Off,
                (Some(GilImpl::SharedMemory), Some(cells), _) => {
                    LaneGil::Shared(SharedGil::new(cells.clone(), lane as i32 + 1))
                }
                (Some(_), _, Some(port)) => {
                    // The arbiter's answers come in on the port, as the page's do.
                    let handler_scope = scope.clone();
                    let on_grant = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                        on_message(&handler_scope, event);
                    });
                    port.set_onmessage(Some(on_grant.as_ref().unchecked_ref()));
                    // The port and its handler live as long as the worker.
                    on_grant.forget();
                    LaneGil::Arbiter {
                        port,
                        granted: RefCell::new(None),
                        lease: Box::new(Lease::new(switch_interval_ms, clock::tick_ms() >= COARSE_TICK_MS)),
                        peers: RefCell::new(HashMap::new()),
                    }
                }
                (Some(_), _, None) => {
                    let message = "the page gave a thread neither a shared GIL nor a port to its arbiter";
                    post(scope, &FromWorker::Panicked { task: NO_TASK, message: message.into() });
                    return;
                }
            };
            let worker = Worker {
                ident: ident.to_string(),
                scope: scope.clone(),
                clock: PageClock::new(page_origin_ms),
                gil,
                precise: PreciseWait::new(cells.as_ref()),
                stop: cells.map(StopWord::new),
                task: Cell::new(0),
                deadlines: Cell::new(Deadlines::default()),
                drawn: RefCell::new(None),
                drawn_ahead: RefCell::new(None),
                outbox: RefCell::new(Outbox::new()),
                runs_from: Cell::new(runs_from_ms),
                start_work: Cell::new(start_work),
            };
            WORKER.with(|w| *w.borrow_mut() = Some(Rc::new(worker)));
        }
        ToWorker::Arbitrate => worker_arbiter::start(),
        ToWorker::ArbiterLane { lane } => match port {
            Some(port) => worker_arbiter::add_lane(lane, port),
            None => post(scope, &raised(NO_TASK, "SystemError", "a lane came without its port")),
        },
        ToWorker::LaneGone { lane } => worker_arbiter::lane_gone(lane),
        ToWorker::Run { task, program } => {
            let Some(worker) = WORKER.with(|w| w.borrow().clone()) else {
                post(scope, &raised(task, "SystemError", "run before init"));
                return;
            };
            // A task that never waits ends within this message's turn; one
            // that waits goes on from where it stopped, woken as usual.
            let mut run = Box::pin(async move { worker.run(task, program).await });
            if (&mut run).now_or_never().is_none() {
                wasm_bindgen_futures::spawn_local(run);
            }
        }
        // From the arbiter, or from the last holder over their own channel.
        ToWorker::GilGranted { hold, contended, after_ms, next, sent_ms } => {
            with_arbiter(|granted, lease, _, page_ms| {
                // This lane waits for the GIL: the grant is handled as it arrives.
                let grant = Grant { hold, contended, after_ms, next, sent_ms };
                if lease.grant(grant, clock::now(), page_ms) {
                    if let Some(sender) = granted.borrow_mut().take() {
                        let _ = sender.send(());
                    }
                }
            })
        }
        ToWorker::GilContended { hold, next } => with_arbiter(|_, lease, _, _| lease.told(hold, next, clock::now())),
        ToWorker::GilPeer { lane } => match port {
            Some(port) => with_arbiter(|_, _, peers, _| {
                // A holder's grant comes in on the channel, as the arbiter's do.
                let handler_scope = scope.clone();
                let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    on_message(&handler_scope, event);
                });
                port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                peers.borrow_mut().insert(lane, Peer { port, _on_message: on_message });
            }),
            None => post(scope, &raised(NO_TASK, "SystemError", "a GIL peer came without its port")),
        },
        ToWorker::Drawn { value } => WORKER.with(|w| {
            if let Some(sender) = w.borrow().as_ref().and_then(|w| w.drawn.borrow_mut().take()) {
                let _ = sender.send(value);
            }
        }),
    }
}

type Granted = RefCell<Option<oneshot::Sender<()>>>;

/// Calls `f` with the lane's hold on the message-based GIL, and the time now
/// on the page's clock.
fn with_arbiter(f: impl FnOnce(&Granted, &Lease, &RefCell<HashMap<LaneId, Peer>>, f64)) {
    WORKER.with(|w| {
        if let Some(worker) = w.borrow().as_ref() {
            if let LaneGil::Arbiter { granted, lease, peers, .. } = &worker.gil {
                f(granted, lease, peers, worker.clock.now());
            }
        }
    });
}

/// Lets go of the message-based GIL at `at_ms` by handing it straight to the
/// lane the arbiter named, over their own channel: the next hold is theirs.
/// `contended`: this lane waits for it again; `sent_ms`: the page's clock
/// now. Returns whom it went to; `None` where no one was named, and the
/// arbiter hands it on.
fn hand_over(
    lease: &Lease,
    peers: &RefCell<HashMap<LaneId, Peer>>,
    contended: bool,
    at_ms: f64,
    sent_ms: f64,
) -> Option<LaneId> {
    let next = lease.take_next()?;
    let peers = peers.borrow();
    let peer = peers.get(&next)?;
    let grant =
        ToWorker::GilGranted { hold: lease.hold() + 1, contended, after_ms: at_ms, next: None, sent_ms: Some(sent_ms) };
    let message = to_js(&grant).ok()?;
    peer.port.post_message(&message).ok()?;
    Some(next)
}

impl Worker {
    /// Notes what the lane does, stamped now: it reaches the page with the
    /// rest of this stretch of work (see [`Worker::flush`]).
    fn report(&self, kind: LaneEventKind) {
        self.outbox.borrow_mut().note(kind, self.clock.now());
    }

    /// As `report`, stamped `at_ms` (page clock) where that is still in order.
    fn report_at(&self, kind: LaneEventKind, at_ms: f64) {
        self.outbox.borrow_mut().note(kind, at_ms);
    }

    fn print(&self, text: String) {
        self.report(LaneEventKind::Print(text));
    }

    fn state(&self, state: LaneState) {
        self.report(LaneEventKind::State(state));
    }

    fn take_events(&self) -> Vec<LaneEvent> {
        self.outbox.borrow_mut().take()
    }

    /// Sends the page what the lane did since its last report. Called
    /// before every wait and at a CPU loop's checkpoints, so the page sees
    /// a state while it lasts and a print as it is made; a stretch that
    /// ends its task sends its events with the task's end instead.
    fn flush(&self) {
        let events = self.outbox.borrow_mut().take_report(clock::now());
        self.send(events);
    }

    fn send(&self, events: Option<Vec<LaneEvent>>) {
        if let Some(events) = events {
            post(&self.scope, &FromWorker::Report { events, end: None });
        }
    }

    /// At a CPU loop's checkpoint: sends what the lane did once the last
    /// report is a report's age (a task's first checkpoint always sends),
    /// running restated as of now (see [`Outbox::checkpoint_report`]).
    fn flush_if_due(&self) {
        let now = clock::now();
        if !self.outbox.borrow().is_due(now) {
            return;
        }
        let handed = matches!(&self.gil, LaneGil::Arbiter { lease, .. } if lease.is_handed());
        let events = self.outbox.borrow_mut().checkpoint_report(now, self.clock.now(), handed);
        self.send(events);
    }

    /// The time to stamp an event with: the page's clock, never before an
    /// event this lane already stamped.
    fn stamp(&self) -> f64 {
        self.outbox.borrow_mut().stamp(self.clock.now())
    }

    /// The last time an event of this lane was stamped with.
    fn stamped(&self) -> f64 {
        self.outbox.borrow().stamped()
    }

    /// Stamps `Running` once the GIL is held: with the message-based GIL, no
    /// earlier than the last holder let go, as its clock told.
    fn running(&self) {
        let after = match &self.gil {
            LaneGil::Arbiter { lease, .. } => {
                // A grant handed over ahead: the last turn ends at `after`.
                let after = lease.granted_after();
                // Handed over as the last turn ended: nothing to wait out.
                let longest = if lease.coarse_clock() { 0.0 } else { LONGEST_EARLY_WAIT_MS };
                let until = after.min(self.clock.now() + longest);
                while self.clock.now() < until {
                    std::hint::spin_loop();
                }
                lease.begin_turn(clock::now());
                after
            }
            _ => 0.0,
        };
        self.outbox.borrow_mut().no_earlier_than(after);
        self.state(LaneState::Running);
    }

    /// With the message-based GIL, a holder whose lease ends within a
    /// grant's trip ([`HandOverLead`]) hands the GIL to the next thread now,
    /// to start when the lease ends; it keeps running until then.
    fn hand_over_ahead(&self) {
        let LaneGil::Arbiter { lease, peers, .. } = &self.gil else {
            return;
        };
        let (Some(ends_at), Some(from)) = (lease.ends_at(), lease.hand_over_from()) else {
            return;
        };
        if clock::now() < from {
            return;
        }
        let at_ms = self.clock.at(ends_at).max(self.stamped());
        if let Some(to) = hand_over(lease, peers, true, at_ms, self.clock.now()) {
            lease.handed_over(to, at_ms);
        }
    }

    async fn acquire(&self) -> Result<(), Interrupt> {
        self.check_stop()?;
        match &self.gil {
            LaneGil::Off => {}
            LaneGil::Shared(gil) => {
                if !gil.try_acquire() {
                    // A turn's events go with the next one's, or once the
                    // wait is a report's age: a message per switch kept the
                    // page's thread busy.
                    self.state(LaneState::WaitingGil);
                    self.flush_if_due();
                    if !gil.acquire(|| self.flush_if_due()) {
                        return Err(Interrupt::Stopped);
                    }
                }
            }
            LaneGil::Arbiter { port, granted, lease, peers } => {
                self.ask_arbiter(port, granted, lease, peers, FromWorker::GilRequest).await
            }
        }
        self.running();
        Ok(())
    }

    fn check_stop(&self) -> Result<(), Interrupt> {
        match &self.stop {
            Some(stop) if stop.is_set() => Err(Interrupt::Stopped),
            _ => Ok(()),
        }
    }

    /// Lets go of the GIL, after stamping what the lane does next, so that no
    /// two lanes ever both claim to be running.
    fn release(&self, next: LaneState, forced: bool) {
        self.state(next);
        match &self.gil {
            LaneGil::Off => {}
            LaneGil::Shared(gil) => gil.release(forced),
            LaneGil::Arbiter { port, lease, peers, .. } => {
                lease.end();
                let at_ms = self.stamp();
                // Handed over ahead, the next turn starts when this lease would have ended.
                let handed_to = match lease.take_handed() {
                    Some((to, _)) => Some(to),
                    None => hand_over(lease, peers, false, at_ms, self.clock.now()),
                };
                post_to_arbiter(port, &FromWorker::GilRelease { at_ms, hold: lease.hold(), handed_to });
            }
        }
    }

    fn drop_requested(&self) -> bool {
        match &self.gil {
            LaneGil::Off => false,
            LaneGil::Shared(gil) => gil.drop_requested(),
            LaneGil::Arbiter { lease, .. } => lease.over(clock::now()),
        }
    }

    /// Asks the arbiter for the GIL (`GilRequest`, or `GilYield` from
    /// its holder) and waits until it is granted.
    async fn ask_arbiter(
        &self,
        port: &MessagePort,
        granted: &Granted,
        lease: &Lease,
        peers: &RefCell<HashMap<LaneId, Peer>>,
        ask: FromWorker,
    ) {
        let (sender, receiver) = oneshot::channel();
        *granted.borrow_mut() = Some(sender);
        lease.end();
        // A yield lets go now, after the stamp, to the lane named if any; or
        // it was handed over ahead, and this turn ended when that one began.
        let handed = lease.take_handed();
        match handed {
            Some((_, at_ms)) => self.report_at(LaneEventKind::State(LaneState::WaitingGil), at_ms),
            None => self.state(LaneState::WaitingGil),
        }
        let ask = match (ask, handed) {
            (FromWorker::GilYield { .. }, Some((to, _))) => {
                FromWorker::GilYield { at_ms: self.stamped(), hold: lease.hold(), handed_to: Some(to) }
            }
            (FromWorker::GilYield { .. }, None) => {
                let at_ms = self.stamp();
                let handed_to = hand_over(lease, peers, true, at_ms, self.clock.now());
                FromWorker::GilYield { at_ms, hold: lease.hold(), handed_to }
            }
            (other, _) => other,
        };
        if matches!(ask, FromWorker::GilRequest) {
            lease.asked(self.clock.now());
        }
        post_to_arbiter(port, &ask);
        self.await_grant(receiver).await;
    }

    /// Asks the arbiter for the GIL without waiting for it: the lane goes on
    /// with what it does (the end of a sleep). The grant settles the receiver.
    fn ask_for_gil(&self, port: &MessagePort, granted: &Granted, lease: &Lease) -> oneshot::Receiver<()> {
        let (sender, receiver) = oneshot::channel();
        *granted.borrow_mut() = Some(sender);
        lease.asked(self.clock.now());
        post_to_arbiter(port, &FromWorker::GilRequest);
        receiver
    }

    /// Waits for the grant `receiver` settles. As with the shared GIL, a
    /// turn's events go with the next one's, or once they are a report's age
    /// if the wait goes on that long.
    async fn await_grant(&self, receiver: oneshot::Receiver<()>) {
        self.flush_if_due();
        let due_in = {
            let outbox = self.outbox.borrow();
            (!outbox.is_empty()).then(|| outbox.due_in_ms(clock::now()))
        };
        let receiver = match due_in {
            None => receiver,
            Some(due_in) => match select(receiver, TimeoutFuture::new(due_in.ceil() as u32)).await {
                Either::Left(_) => return,
                Either::Right((_, receiver)) => {
                    self.flush();
                    receiver
                }
            },
        };
        let _ = receiver.await;
    }

    /// The switch interval is over and someone waits: let go, and wait for
    /// the GIL again behind them.
    async fn switch(&self) -> Result<(), Interrupt> {
        match &self.gil {
            LaneGil::Arbiter { port, granted, lease, peers } => {
                let ask = FromWorker::GilYield { at_ms: 0.0, hold: 0, handed_to: None };
                self.ask_arbiter(port, granted, lease, peers, ask).await;
                self.check_stop()?;
                self.running();
                Ok(())
            }
            _ => {
                self.release(LaneState::WaitingGil, true);
                self.acquire().await
            }
        }
    }

    /// Counts down a process's start-up: work, shown as starting, that a
    /// stop ends.
    async fn start_up(&self, work: u64) -> Result<(), Interrupt> {
        let mut last_yield = clock::now();
        let mut left = work;
        while left > 0 {
            let slice = left.min(COUNTDOWN_SLICE);
            countdown(slice);
            left -= slice;
            if let Some(stop) = &self.stop {
                stop.count_slice();
            }
            self.check_stop()?;
            if self.stop.is_none() && clock::now() - last_yield >= YIELD_FOR_STOP_MS {
                yield_to_messages().await;
                last_yield = clock::now();
            }
        }
        Ok(())
    }

    /// At a slice boundary: stop if the session did, give the GIL away if
    /// asked to, and let messages in where the GIL or a stop needs them.
    async fn checkpoint(&self, last_yield: &mut f64) -> Result<(), Interrupt> {
        if let Some(stop) = &self.stop {
            stop.count_slice();
        }
        self.check_stop()?;
        self.flush_if_due();
        // A holder of the arbiter's GIL listens for word of a waiter, and
        // then of whom to hand over to (a grant from the last holder says
        // someone waits, not who: the arbiter's word follows it); once it
        // knows, it times its lease itself. Deaf to that word until its turn
        // ended, it could not hand over ahead, nor straight to the next.
        let every = match (&self.gil, &self.stop) {
            (LaneGil::Arbiter { lease, .. }, _) if lease.listens() => Some(YIELD_EVERY_MS),
            (_, None) => Some(YIELD_FOR_STOP_MS),
            (_, Some(_)) => None,
        };
        self.hand_over_ahead();
        if self.drop_requested() {
            self.switch().await?;
            // The switch waited for the GIL (for the message-based one, on the
            // event loop): no need to listen again at once.
            *last_yield = clock::now();
            return Ok(());
        }
        if every.is_some_and(|every| clock::now() - *last_yield >= every) {
            yield_to_messages().await;
            *last_yield = clock::now();
        }
        Ok(())
    }

    async fn run(&self, task: u32, mut program: Program) {
        self.task.set(task);
        // The page hears of a new task at its first checkpoint.
        self.outbox.borrow_mut().new_task();
        // A process started ahead runs once CPython's would have started.
        let runs_from = self.runs_from.replace(0.0);
        let mut waited = if runs_from > self.clock.now() { self.wait_until(runs_from).await } else { Ok(()) };
        // Then its start-up's work, still starting (a spawned interpreter,
        // and what the program does before the process is up).
        let start_work = self.start_work.replace(0) + program.take_bootstrap();
        if waited.is_ok() && start_work > 0 {
            waited = self.start_up(start_work).await;
        }
        let started = clock::now();
        let mut value = PyValue::None;
        let mut raised = None;
        self.drawn_ahead.borrow_mut().take();
        // A process with nothing to run (a pool's, up before it has a call)
        // goes from starting to waiting, as CPython's does in its loop.
        let idle_start = program.ops.is_empty() && matches!(self.gil, LaneGil::Off);
        let mut outcome = match waited {
            Ok(()) if idle_start => Ok(()),
            Ok(()) => self.acquire().await,
            Err(interrupt) => Err(interrupt),
        };
        let draws_next = program.draws_next();
        for (op, draw_next) in program.ops.into_iter().zip(draws_next) {
            if outcome.is_err() {
                break;
            }
            // Printing and line marks are statements: the call's value is the
            // last value an operation produced (`return output`).
            let statement = matches!(op, Op::Print(_) | Op::PrintLen(_) | Op::Line(_));
            outcome = match self.op(op, &value, draw_next).await {
                Ok(v) if !statement => {
                    value = v;
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(interrupt) => Err(interrupt),
            };
        }
        match outcome {
            Ok(()) => {}
            Err(Interrupt::Raised(exception)) => raised = Some(exception),
            Err(Interrupt::Stopped) => {
                // The page is terminating this worker: end here, back in the
                // event loop, and leave the GIL to the page to free.
                self.scope.close();
                return;
            }
        }
        self.release(LaneState::Idle, false);
        let worker_ms = clock::now() - started;
        let end = match raised {
            None => TaskEnd::Done { task, value, worker_ms },
            Some(exception) => TaskEnd::Raised { task, exception },
        };
        // The task's last events and its end: one message.
        let report = FromWorker::Report { events: self.take_events(), end: Some(end) };
        if let Err(reason) = try_post(&self.scope, &report) {
            if let FromWorker::Report { events, .. } = report {
                let exception = PyException::new("SystemError", reason);
                post(&self.scope, &FromWorker::Report { events, end: Some(TaskEnd::Raised { task, exception }) });
            }
        }
    }

    /// `random.randint(lo, hi)` from the run's shared generator, on the page,
    /// for a sleep due to start at `due_ms`.
    async fn randint(
        &self,
        lo: i64,
        hi: i64,
        due_ms: f64,
        ms_per_second: f64,
    ) -> Result<Result<i64, PyException>, Interrupt> {
        let ahead = self.drawn_ahead.borrow_mut().take();
        let mut receiver = match ahead {
            // Asked for while the last sleep ran (the same draw: the same bounds, due then).
            Some(ahead) if ahead.lo == lo && ahead.hi == hi && (ahead.due_ms - due_ms).abs() < 1e-6 => ahead.answer,
            _ => {
                self.flush();
                self.ask_draw(lo, hi, due_ms, ms_per_second)
            }
        };
        let unanswered = || PyException::new("SystemError", "the page did not answer a draw");
        // Asked for ahead, it is nearly always here: no timer is set.
        match receiver.try_recv() {
            Ok(Some(drawn)) => return Ok(drawn),
            Ok(None) => {}
            Err(_) => return Ok(Err(unanswered())),
        }
        // The page holds a draw while another thread due earlier has yet to
        // draw; that thread may need the GIL to get there.
        let receiver = match select(receiver, TimeoutFuture::new(DRAW_HELD_AFTER_MS)).await {
            Either::Left((drawn, _)) => return Ok(drawn.unwrap_or_else(|_| Err(unanswered()))),
            Either::Right((_, receiver)) => receiver,
        };
        self.release(LaneState::WaitingGil, false);
        self.flush();
        let drawn = receiver.await.unwrap_or_else(|_| Err(unanswered()));
        self.acquire().await?;
        Ok(drawn)
    }

    /// Asks the page for `random.randint(lo, hi)` for a sleep due to start at
    /// `due_ms`; the answer comes on the receiver.
    fn ask_draw(
        &self,
        lo: i64,
        hi: i64,
        due_ms: f64,
        ms_per_second: f64,
    ) -> oneshot::Receiver<Result<i64, PyException>> {
        let (sender, receiver) = oneshot::channel();
        *self.drawn.borrow_mut() = Some(sender);
        post(&self.scope, &FromWorker::Draw { lo, hi, due_ms, ms_per_second });
        receiver
    }

    /// Asks now for `draw_next`, the draw due as a sleep ends at `due_ms`: its
    /// answer is here when the thread wakes, and the thread does not hold the
    /// GIL through a round trip to the page (which kept the other thread
    /// waiting for it each time both woke at once). Asked once the GIL is
    /// let go, like the report sent with it: a thread that woke with another
    /// holds the GIL only for its Python (posting both while holding it kept
    /// the other waiting 0.8-7.3 ms over a run of the classical example in
    /// Firefox, 0.2-0.7 ms since; CPython's wait is microseconds).
    fn ask_draw_ahead(&self, draw_next: Option<(i64, i64, f64)>, due_ms: f64) {
        if let Some((lo, hi, ms_per_second)) = draw_next {
            self.flush();
            let answer = self.ask_draw(lo, hi, due_ms, ms_per_second);
            *self.drawn_ahead.borrow_mut() = Some(DrawAhead { lo, hi, due_ms, answer });
        }
    }

    /// Sleeps until `due`, where `deadlines` (which it becomes) put it, with
    /// the GIL released, and asks meanwhile for `draw_next`, the draw due then.
    async fn sleep_until_due_at(
        &self,
        deadlines: Deadlines,
        due: f64,
        draw_next: Option<(i64, i64, f64)>,
    ) -> Result<(), Interrupt> {
        self.deadlines.set(deadlines);
        self.sleep_until_due(due, draw_next).await
    }

    /// `time.sleep`, with the GIL released, until `due` on the page's clock;
    /// `draw_next`: the draw due as it ends, asked for once the GIL is let go.
    async fn sleep_until_due(&self, due: f64, draw_next: Option<(i64, i64, f64)>) -> Result<(), Interrupt> {
        self.release(LaneState::Io, false);
        self.ask_draw_ahead(draw_next, due);
        if let LaneGil::Arbiter { port, granted, lease, .. } = &self.gil {
            // CPython's thread takes a free GIL as its sleep ends: the
            // arbiter is asked a round trip ahead, so its grant comes then,
            // not a round trip late (0.9 ms at the median in Firefox, up to
            // 6 ms). A thread that asked ahead for a GIL that is held waits
            // for it a little sooner than CPython's would, by that much.
            let ahead = lease.ask_lead_ms();
            self.wait_until(due - ahead).await?;
            let mut receiver = self.ask_for_gil(port, granted, lease);
            // Listen for the grant (a blocking wait would hold it up), then
            // wait out the sleep's rest precisely.
            let mut got = false;
            while self.clock.now() < due {
                got = got || matches!(receiver.try_recv(), Ok(Some(())));
                match (&self.precise, got) {
                    (Some(precise), true) => precise.wait(due - self.clock.now()),
                    _ => yield_to_messages().await,
                }
                self.check_stop()?;
            }
            if !(got || matches!(receiver.try_recv(), Ok(Some(())))) {
                self.state(LaneState::WaitingGil);
                self.await_grant(receiver).await;
            }
            self.check_stop()?;
            self.running();
            return Ok(());
        }
        self.wait_until(due).await?;
        self.acquire().await
    }

    /// Waits until `due` on the page's clock, within a fraction of a
    /// millisecond: timers for the bulk (short ones: a browser may fire a
    /// long timer late), then a precise wait for the last milliseconds.
    async fn wait_until(&self, due: f64) -> Result<(), Interrupt> {
        self.flush();
        loop {
            let left = due - self.clock.now();
            if left <= PRECISE_LAST_MS {
                break;
            }
            sleep((left - PRECISE_LAST_MS).min(LONGEST_TIMER_MS)).await;
            self.check_stop()?;
        }
        match &self.precise {
            Some(precise) => precise.wait(due - self.clock.now()),
            None => {
                while self.clock.now() < due {
                    yield_to_messages().await;
                }
            }
        }
        self.check_stop()
    }

    async fn io<T>(&self, wait: impl std::future::Future<Output = T>) -> Result<T, Interrupt> {
        self.release(LaneState::Io, false);
        self.flush();
        let out = wait.await;
        self.acquire().await?;
        Ok(out)
    }

    /// Runs `op`; `draw_next`: the `sleep(randint(...))` that follows it with
    /// nothing between that draws or waits ([`Program::draws_next`]).
    async fn op(&self, op: Op, last: &PyValue, draw_next: Option<(i64, i64, f64)>) -> Result<PyValue, Interrupt> {
        let mut last_yield = clock::now();
        match op {
            Op::Line(line) => {
                self.report(LaneEventKind::Line(line));
                Ok(PyValue::None)
            }
            Op::Print(text) => {
                self.print(text.replace(THREAD_IDENT, &self.ident));
                Ok(PyValue::None)
            }
            Op::PrintLen(template) => {
                let len = last.py_len().unwrap_or(0) as i64;
                let text = percent_format(&template, &[PyValue::Int(len)])?;
                self.print(text.replace(THREAD_IDENT, &self.ident));
                Ok(PyValue::None)
            }
            Op::SleepUntil { at_ms } => {
                let mut deadlines = self.deadlines.get();
                let due = deadlines.until(at_ms);
                // A draw due as the threads begin, as after any sleep.
                self.sleep_until_due_at(deadlines, due, draw_next).await?;
                Ok(PyValue::None)
            }
            Op::SleepRandint { lo, hi, ms_per_second } => {
                let now = self.clock.now();
                let due = self.deadlines.get().due(now);
                let seconds = self.randint(lo, hi, due, ms_per_second).await??;
                if seconds < 0 {
                    return Err(PyException::new("ValueError", "sleep length must be non-negative").into());
                }
                let mut deadlines = self.deadlines.get();
                let ends = deadlines.after(now, seconds as f64 * ms_per_second);
                self.sleep_until_due_at(deadlines, ends, draw_next).await?;
                Ok(PyValue::None)
            }
            Op::Sleep { ms } => {
                self.sleep_until_due(self.clock.now() + ms, None).await?;
                Ok(PyValue::None)
            }
            // Only where a program begins: taken out before it runs.
            Op::Bootstrap { n } => {
                self.state(LaneState::Starting);
                self.start_up(n).await?;
                self.running();
                Ok(PyValue::None)
            }
            Op::Countdown { n } => {
                let mut left = n;
                while left > 0 {
                    let slice = left.min(COUNTDOWN_SLICE);
                    countdown(slice);
                    left -= slice;
                    self.checkpoint(&mut last_yield).await?;
                }
                Ok(PyValue::None)
            }
            Op::CountPrimes { below } => {
                let mut count = 0i64;
                let mut k = 0u32;
                while k < below {
                    let end = below.min(k.saturating_add(PRIMES_SLICE));
                    count += (k..end).filter(|&n| is_prime(n)).count() as i64;
                    k = end;
                    self.checkpoint(&mut last_yield).await?;
                }
                Ok(PyValue::Int(count))
            }
            Op::Urlopen { latency_ms, outcome, .. } => {
                self.sleep_until_due(self.clock.now() + latency_ms, None).await?;
                match outcome {
                    UrlOutcome::Bytes(n) => Ok(PyValue::Bytes(n)),
                    UrlOutcome::UnknownHost => Err(unknown_host_error().into()),
                    UrlOutcome::UnknownUrlType(scheme) => Err(unknown_url_type_error(&scheme).into()),
                }
            }
            Op::Fetch { url } => Ok(self.io(fetch_length(&self.scope, &url)).await??),
            Op::Raise(exception) => Err(exception.into()),
            Op::Panic(message) => panic!("{message}"),
        }
    }
}

/// One slice of `while n > 0: n -= 1`: `n` steps of a xorshift, each waiting
/// on the last. A call of its own, so the engine can swap in optimised code
/// between slices (wasm has no on-stack replacement): a long countdown runs
/// at one speed, not at the first tier's. A chain of register operations,
/// not a counter kept in memory (`black_box` on every step): on this kind of
/// machine that loop ran at one of two speeds, 1.7x apart, switching by
/// itself, and two of them on two cores slowed each other by up to 65%, which
/// broke both the one CPU second the page measures and the processes'
/// speedup. This one ran at one speed, alone or two at once (1.00-1.02x).
#[inline(never)]
fn countdown(n: u64) {
    let mut x = std::hint::black_box(0x9E37_79B9_7F4A_7C15u64);
    let mut i = n;
    while i > 0 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        i -= 1;
    }
    std::hint::black_box(x);
}

fn constructor_name(scope: &DedicatedWorkerGlobalScope) -> String {
    js_sys::Reflect::get(scope, &JsValue::from_str("constructor"))
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.name().as_string())
        .unwrap_or_else(|| "unknown scope".into())
}
