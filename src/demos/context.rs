//! What every demo's run shares: the `RunContext` it creates its sessions
//! through, the lines of the code it shows, Python's start-then-join, and the
//! calibrated CPU work.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::model::job::group_digits;
use crate::model::program::{Op, Program};
use crate::model::trace::{LaneKind, LaneState};
use crate::runtime::{capabilities, Executor, GilImpl, Runner, Session, SessionConfig};

/// What the page's buttons ask of a running demo (the async demo's sleeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `time.sleep(1)` on the event loop's thread.
    BlockingSleep,
    /// `await asyncio.to_thread(time.sleep, 1)`.
    SleepInThread,
}

/// The buttons' requests: queued, or handed to the run as they come.
enum Actions {
    Queued(Vec<Action>),
    Served(Rc<dyn Fn(Action)>),
}

/// While held, the run serves the buttons (see [`RunContext::serve_actions`]);
/// once dropped, presses are queued again.
pub struct ServingActions(Rc<RefCell<Actions>>);

impl Drop for ServingActions {
    fn drop(&mut self) {
        if let Ok(mut actions) = self.0.try_borrow_mut() {
            *actions = Actions::Queued(Vec::new());
        }
    }
}

type SessionHook = Rc<dyn Fn(&str, &Session, Option<f64>)>;
type TimingHook = Rc<dyn Fn(bool)>;

/// A switch interval of `python_ms` (what `sys.setswitchinterval` says), in
/// page milliseconds at `ms_per_second`: it scales with the run's speed, as
/// its sleeps and its work do, down to what a switch of `gil` costs
/// ([`GilImpl::shortest_switch_interval_ms`]).
pub fn switch_interval_ms(python_ms: f64, ms_per_second: f64, gil: GilImpl) -> f64 {
    (python_ms * ms_per_second / 1000.0).max(gil.shortest_switch_interval_ms())
}

/// What a run creates its sessions through, so the views can follow each.
#[derive(Clone)]
pub struct RunContext {
    ms_per_second: f64,
    /// The Python shown beside the run: line marks point into it.
    code: Rc<str>,
    /// Requests from the page's buttons: queued until the run serves them.
    actions: Rc<RefCell<Actions>>,
    /// Set by `stop`: a run checks it between its parts.
    stopped: Rc<Cell<bool>>,
    sessions: Rc<RefCell<Vec<Session>>>,
    on_session: SessionHook,
    /// Told when the run starts and stops timing a CPU second (the first
    /// CPU-bound run on a page does, before its program starts).
    on_timing: Option<TimingHook>,
}

impl RunContext {
    /// `on_session` is told of each new session: its label, the session, and
    /// what its jobs take one after another in page milliseconds, where the
    /// lanes cannot tell.
    pub fn new(
        ms_per_second: f64,
        code: &str,
        on_session: impl Fn(&str, &Session, Option<f64>) + 'static,
    ) -> RunContext {
        RunContext {
            ms_per_second: ms_per_second.max(1.0),
            code: code.into(),
            actions: Rc::new(RefCell::new(Actions::Queued(Vec::new()))),
            stopped: Rc::new(Cell::new(false)),
            sessions: Rc::new(RefCell::new(Vec::new())),
            on_session: Rc::new(on_session),
            on_timing: None,
        }
    }

    /// `on_timing(true)` as the run starts timing a CPU second, `false` when done.
    pub fn on_timing(mut self, on_timing: impl Fn(bool) + 'static) -> RunContext {
        self.on_timing = Some(Rc::new(on_timing));
        self
    }

    fn timing(&self, timing: bool) {
        if let Some(on_timing) = &self.on_timing {
            on_timing(timing);
        }
    }

    /// Asks the running demo to do something (a button was pressed): at once
    /// where the run serves its buttons, else once it does.
    pub fn send(&self, action: Action) {
        let serve = match &mut *self.actions.borrow_mut() {
            Actions::Served(serve) => serve.clone(),
            Actions::Queued(queued) => {
                queued.push(action);
                return;
            }
        };
        serve(action);
    }

    /// From now until the returned guard is dropped, each button press is
    /// `serve`d as it comes (those pressed before are served first), as a
    /// callback on asyncio's loop runs beside the tasks, not in one of them.
    pub fn serve_actions(&self, serve: impl Fn(Action) + 'static) -> ServingActions {
        let serve: Rc<dyn Fn(Action)> = Rc::new(serve);
        let queued = match std::mem::replace(&mut *self.actions.borrow_mut(), Actions::Served(serve.clone())) {
            Actions::Queued(queued) => queued,
            Actions::Served(_) => Vec::new(),
        };
        for action in queued {
            serve(action);
        }
        ServingActions(self.actions.clone())
    }

    /// The code shown beside the run.
    pub fn code(&self) -> Code<'_> {
        Code(&self.code)
    }

    pub fn ms_per_second(&self) -> f64 {
        self.ms_per_second
    }

    /// Python seconds to page milliseconds at this run's speed.
    pub fn ms(&self, seconds: f64) -> f64 {
        seconds * self.ms_per_second
    }

    /// A new session, shown as its own timeline under `label`.
    pub fn session(&self, label: &str, config: SessionConfig) -> Session {
        self.session_doing(label, config, None)
    }

    /// A new session whose jobs would take `sequential_seconds` one after
    /// another: for asyncio, whose tasks share one lane, the figures cannot
    /// be read off the lanes. `config`'s switch interval is in Python
    /// milliseconds, as the program's `sys.setswitchinterval` says.
    pub fn session_doing(&self, label: &str, config: SessionConfig, sequential_seconds: Option<f64>) -> Session {
        let session = Session::new(SessionConfig {
            ms_per_second: self.ms_per_second,
            switch_interval_ms: switch_interval_ms(
                config.switch_interval_ms,
                self.ms_per_second,
                if config.force_messages { GilImpl::Messages } else { capabilities::detect().gil_impl() },
            ),
            ..config
        });
        if self.is_stopped() {
            // Stopped before it began: it runs nothing.
            session.stop();
        }
        self.sessions.borrow_mut().push(session.clone());
        (self.on_session)(label, &session, sequential_seconds.map(|s| self.ms(s)));
        session
    }

    /// Stops every session of the run, and any the run would still create.
    pub fn stop(&self) {
        self.stopped.set(true);
        for session in self.sessions.borrow().iter() {
            session.stop();
        }
    }

    /// A run that failed ends here: its sessions stop, their workers with
    /// them, and the run is not taken for stopped by the viewer.
    pub fn end_failed(&self) {
        for session in self.sessions.borrow().iter() {
            session.stop();
        }
    }

    /// Whether the viewer stopped the run.
    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }

    /// Ends the run early, as stopped, if the viewer pressed Stop.
    pub fn check(&self) -> Result<(), String> {
        if self.is_stopped() {
            Err(STOPPED.to_owned())
        } else {
            Ok(())
        }
    }
}

/// What a run that was stopped ends with.
pub const STOPPED: &str = "the run was stopped";

/// The Python shown beside a run: its lines are where the lanes are lit.
#[derive(Debug, Clone, Copy)]
pub struct Code<'a>(pub &'a str);

impl Code<'_> {
    /// The 1-based line holding `needle`: a demo that cannot find the statement
    /// it runs fails with a message rather than lighting the wrong line.
    pub fn line(&self, needle: &str) -> Result<u32, String> {
        line_of(self.0, needle).ok_or_else(|| format!("the code shown has no line with {needle:?}"))
    }
}

/// The 1-based line of `code` that first holds `needle`.
pub fn line_of(code: &str, needle: &str) -> Option<u32> {
    code.lines().position(|l| l.contains(needle)).map(|i| i as u32 + 1)
}

/// `while n > 0: n -= 1` iterations CPython 3.11 runs in a second on one
/// core: measured on the project's reference machine at 36.6 million, taken
/// as 36 million, the figure the programs' comments give.
const CPYTHON_COUNTDOWN_PER_SECOND: f64 = 36_000_000.0;

/// The `N` a shown program passes to `countdown` for `seconds` of CPU, as a
/// Python literal (`18_000_000`).
pub fn countdown_n(seconds: f64) -> String {
    let n = ((seconds * CPYTHON_COUNTDOWN_PER_SECOND) / 1_000_000.0).round().max(1.0) as u64 * 1_000_000;
    group_digits(n)
}

/// Starts `threads` workers ahead, so the threads and thread-pool workers the
/// program makes start at once, as CPython's do; the run's clock then begins.
pub async fn warm_up(ctx: &RunContext, session: &Session, threads: usize) -> Result<(), String> {
    let warmed = session.warm(threads).await;
    ready(ctx, session, warmed).await
}

/// As [`warm_up`], for `processes`: they start as CPython's do, after a fork's
/// or a spawn's start-up in Python time, not a Web Worker's.
pub async fn warm_up_processes(ctx: &RunContext, session: &Session, processes: usize) -> Result<(), String> {
    let warmed = session.warm_processes(processes).await;
    ready(ctx, session, warmed).await
}

async fn ready(ctx: &RunContext, session: &Session, warmed: Result<(), String>) -> Result<(), String> {
    // A Stop while the workers start is a stop, not a failed start.
    ctx.check()?;
    warmed?;
    session.begin_after_paint().await;
    ctx.check()
}

/// Python's `for w in workers: w.start()` then `for w in workers: w.join()`,
/// with MainThread at the `start` and `join` lines of the code shown.
/// Workers are started first: CPython starts a thread in microseconds, a Web
/// Worker takes milliseconds. Processes show CPython's start-up (a fork's).
pub async fn start_and_join(
    ctx: &RunContext,
    session: &Session,
    workers: &[Runner],
    threads: bool,
    (start, join): (u32, u32),
) -> Result<(), String> {
    if threads {
        // Started together, rehearsed, with the GIL's arbiter if it has one;
        // then each thread takes one of them.
        let warmed = session.warm(workers.len()).await;
        ctx.check()?;
        warmed?;
        for worker in workers {
            worker.prepare().await.map_err(|e| e.to_string())?;
            ctx.check()?;
        }
    } else {
        let warmed = session.warm_processes(workers.len()).await;
        ctx.check()?;
        warmed?;
    }
    // The run's first frame (its panel, a lane per worker) is drawn before
    // the program begins, not between its thread starts.
    session.begin_after_paint().await;
    ctx.check()?;
    session.main_line(start);
    for worker in workers {
        worker.start().map_err(|e| e.to_string())?;
    }
    session.main_line(join);
    for worker in workers {
        worker.join().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

thread_local! {
    /// Countdown iterations per page millisecond in a worker, measured once.
    static RATE: Cell<Option<f64>> = const { Cell::new(None) };
}

/// How many countdown iterations take `seconds` Python seconds of CPU in a
/// worker at this run's speed. The rate is measured once per page; a Stop
/// while it is measured ends the measuring too.
pub async fn cpu_iterations(ctx: &RunContext, seconds: f64) -> Result<u64, String> {
    Ok((ctx.ms(seconds) * cpu_rate(ctx).await?) as u64)
}

/// This computer's speed: countdown iterations a page millisecond, measured
/// by the page's first run that needs it (see [`cpu_iterations`]).
pub async fn cpu_rate(ctx: &RunContext) -> Result<f64, String> {
    let rate = match RATE.with(Cell::get) {
        Some(rate) => rate,
        None => {
            let session = Session::new(SessionConfig::default());
            // The calibration belongs to the run: Stop ends it.
            ctx.sessions.borrow_mut().push(session.clone());
            // About half a second before the program starts: the page says why.
            ctx.timing(true);
            let rate = measure_rate(&session).await;
            ctx.timing(false);
            session.stop();
            ctx.check()?;
            let rate = rate?;
            RATE.with(|r| r.set(Some(rate)));
            rate
        }
    };
    Ok(rate)
}

async fn measure_rate(session: &Session) -> Result<f64, String> {
    let pool = Executor::process_pool(session, Some(1)).map_err(|e| e.to_string())?;
    let count = |n| Program::new(vec![Op::Countdown { n }]);
    // Long enough for the engine to tier the countdown up first (about 35 ms
    // once it has): a lone thread's first run then measures the same as later
    // ones (1.00-1.03x its work in both browsers).
    pool.submit(count(20_000_000)).map_err(|e| e.to_string())?.result().await.map_err(|e| e.to_string())?;
    // The fastest of five: a core the page or the system borrows for a moment
    // only ever slows a count, never speeds one up. With the median, a page
    // run as soon as it was drawn measured a CPU second 11% slow once (in
    // Chromium, in the benchmark), and a lone thread of 1 s of work took 0.89 s.
    // Timed by the worker's own stamps, from its lane's running time: the
    // messages to the worker and back are no part of counting (they made a
    // 35 ms count look several percent slower, and threads' work that much shorter).
    let running = || {
        let trace = session.trace();
        trace
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Process)
            .map(|l| l.time_in(LaneState::Running, trace.end_ms))
            .sum::<f64>()
    };
    // About 60 ms each: Firefox's clock without cross-origin isolation ticks
    // by whole milliseconds.
    let n = 40_000_000u64;
    let mut rates = Vec::with_capacity(5);
    for _ in 0..5 {
        let before = running();
        pool.submit(count(n)).map_err(|e| e.to_string())?.result().await.map_err(|e| e.to_string())?;
        rates.push(n as f64 / (running() - before).max(1.0));
    }
    Ok(rates.into_iter().fold(0.0, f64::max))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::deck::Deck;

    #[test]
    fn button_presses_wait_for_the_run_then_reach_it_as_they_come() {
        let ctx = RunContext::new(1000.0, "", |_, _, _| {});
        let served = Rc::new(RefCell::new(Vec::new()));
        // Pressed before the run serves the buttons: kept for it.
        ctx.send(Action::SleepInThread);
        let into = served.clone();
        let serving = ctx.serve_actions(move |action| into.borrow_mut().push(action));
        assert_eq!(*served.borrow(), [Action::SleepInThread]);
        ctx.send(Action::BlockingSleep);
        assert_eq!(*served.borrow(), [Action::SleepInThread, Action::BlockingSleep]);
        // Once the run is over, a press no longer reaches it.
        drop(serving);
        ctx.send(Action::BlockingSleep);
        assert_eq!(served.borrow().len(), 2);
    }

    #[test]
    fn a_switch_interval_scales_with_the_speed_down_to_a_floor() {
        let shared = GilImpl::SharedMemory;
        assert_eq!(switch_interval_ms(5.0, 1000.0, shared), 5.0);
        assert_eq!(switch_interval_ms(5.0, 400.0, shared), 2.0);
        assert_eq!(switch_interval_ms(5.0, 5000.0, shared), 25.0);
        assert_eq!(switch_interval_ms(5.0, 100.0, shared), 1.0);
        // By messages a switch costs more: turns stay 5 ms of page time at least.
        assert_eq!(switch_interval_ms(5.0, 400.0, GilImpl::Messages), 5.0);
        assert_eq!(switch_interval_ms(20.0, 400.0, GilImpl::Messages), 8.0);
    }

    /// The project's edition of the deck, as the app shows it.
    pub fn deck() -> Deck {
        crate::deck::builtin()
    }

    /// The Python code of the slide that shows `demo`.
    pub fn slide_code_of(demo: &str) -> Option<String> {
        let deck = deck();
        let slide = deck.slides.iter().find(|s| s.demo.as_deref() == Some(demo))?;
        slide.python_code().map(str::to_owned)
    }

    /// Asserts that each line number points at the statement expected there.
    pub fn assert_lines(code: &str, expected: &[(u32, &str)]) {
        let lines: Vec<&str> = code.lines().collect();
        for (line, statement) in expected {
            let found = (*line as usize).checked_sub(1).and_then(|i| lines.get(i)).map(|l| l.trim());
            assert_eq!(found, Some(*statement), "line {line} of:\n{code}");
        }
    }

    #[test]
    fn countdown_sizes_read_as_python_literals() {
        assert_eq!(countdown_n(0.5), "18_000_000");
        assert_eq!(countdown_n(1.0), "36_000_000");
        assert_eq!(countdown_n(0.01), "1_000_000");
    }

    #[test]
    fn lines_are_found_or_reported() {
        let code = "a = 1\nb = 2\nprint(a + b)";
        assert_eq!(line_of(code, "b ="), Some(2));
        assert_eq!(line_of(code, "nowhere"), None);
        assert_eq!(Code(code).line("print("), Ok(3));
        assert!(Code(code).line("nowhere").unwrap_err().contains("\"nowhere\""));
    }
}
