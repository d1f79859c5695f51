//! One module per live demo: each turns its parameters into a run on the
//! runtime. The views draw what the run's sessions record.

mod async_io;
mod asyncio_example;
mod classical;
mod futures_example;
mod gil;
mod models;
mod pools;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::model::params::{Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::runtime::clock::now;
use crate::runtime::{Executor, Runner, Session, SessionConfig};

pub use async_io::HEARTBEAT_SPECS as ACTIONS;

/// The demos a deck can attach with `<!-- .demo: name -->`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    Title,
    Models,
    Pools,
    Gil,
    Classical,
    Futures,
    AsyncIo,
    AsyncioExample,
}

pub const ALL: [Demo; 8] = [
    Demo::Title,
    Demo::Models,
    Demo::Pools,
    Demo::Gil,
    Demo::Classical,
    Demo::Futures,
    Demo::AsyncIo,
    Demo::AsyncioExample,
];

impl Demo {
    pub fn from_name(name: &str) -> Option<Demo> {
        ALL.into_iter().find(|d| d.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Demo::Title => "title",
            Demo::Models => "models",
            Demo::Pools => "pools",
            Demo::Gil => "gil",
            Demo::Classical => "classical",
            Demo::Futures => "futures",
            Demo::AsyncIo => "async-io",
            Demo::AsyncioExample => "asyncio",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Demo::Title => "A race of the three models",
            Demo::Models => "The same jobs, three ways",
            Demo::Pools => "Threads by hand or a pool",
            Demo::Gil => "The GIL, live",
            Demo::Classical => "Two MyThreads",
            Demo::Futures => "A pool of URL fetchers",
            Demo::AsyncIo => "One thread, many tasks",
            Demo::AsyncioExample => "The asyncio example",
        }
    }

    pub fn intro(self) -> &'static str {
        match self {
            Demo::Title => "CPU-bound jobs on threads (under the GIL), on processes, and as asyncio tasks.",
            Demo::Models => {
                "With I/O-bound jobs all three overlap; with CPU-bound jobs only processes get faster, \
                 threads take about as long as one after another, and asyncio stays on one lane."
            }
            Demo::Pools => "One thread per job, started and joined by hand, against a pool of max_workers that reuses its threads.",
            Demo::Gil => {
                "CPU-bound threads take turns holding the GIL; an I/O thread waits for it each time it wakes \
                 (the convoy effect). Free-threaded Python and processes run side by side."
            }
            Demo::Classical => "The slide's program: two threads printing and sleeping randint(1, 3) seconds, seeded as random.seed(n).",
            Demo::Futures => {
                "The slide's program on a ThreadPoolExecutor. Browsers cannot read those sites, so each URL's \
                 latency and size come from the table below (same-site addresses are fetched for real)."
            }
            Demo::AsyncIo => {
                "The heartbeat is drawn by requestAnimationFrame on the page's one thread, beside asyncio tasks. \
                 A blocking time.sleep freezes both; the same sleep through to_thread does not."
            }
            Demo::AsyncioExample => "The slide's program: every task runs on MainThread, and the total is near the longest sleep, not the sum.",
        }
    }

    pub fn specs(self) -> &'static [Spec] {
        match self {
            Demo::Title => models::TITLE_SPECS,
            Demo::Models => models::SPECS,
            Demo::Pools => pools::SPECS,
            Demo::Gil => gil::SPECS,
            Demo::Classical => classical::SPECS,
            Demo::Futures => futures_example::SPECS,
            Demo::AsyncIo => async_io::SPECS,
            Demo::AsyncioExample => asyncio_example::SPECS,
        }
    }

    /// The Python the demo runs: the slide's own code where it has some.
    pub fn code(self, slide_code: Option<&str>, params: &Params) -> String {
        match self {
            Demo::Classical | Demo::AsyncioExample => slide_code.map(str::to_owned).unwrap_or_default(),
            Demo::Futures => futures_example::code(slide_code, params),
            Demo::Title | Demo::Models => models::code(params),
            Demo::Pools => pools::code(params),
            Demo::Gil => gil::code(params),
            Demo::AsyncIo => async_io::CODE.to_owned(),
        }
    }

    /// The grid of Python seconds the demo's lines are due on, if any.
    pub fn grid_seconds(self) -> Option<f64> {
        (self == Demo::Classical).then_some(1.0)
    }

    /// A note shown under the code.
    pub fn note(self, params: &Params) -> Option<&'static str> {
        match self {
            Demo::AsyncioExample => Some(asyncio_example::NOTE),
            Demo::Futures => futures_example::note(params),
            _ => None,
        }
    }

    pub async fn run(self, ctx: RunContext, params: Params) -> Result<(), String> {
        match self {
            Demo::Title | Demo::Models => models::run(&ctx, &params).await,
            Demo::Pools => pools::run(&ctx, &params).await,
            Demo::Gil => gil::run(&ctx, &params).await,
            Demo::Classical => classical::run(&ctx, &params).await,
            Demo::Futures => futures_example::run(&ctx, &params).await,
            Demo::AsyncIo => async_io::run(&ctx, &params).await,
            Demo::AsyncioExample => asyncio_example::run(&ctx, &params).await,
        }
    }
}

type SessionHook = Rc<dyn Fn(&str, &Session, Option<f64>)>;

/// What a run creates its sessions through, so the views can follow each.
#[derive(Clone)]
pub struct RunContext {
    ms_per_second: f64,
    /// The Python shown beside the run: line marks point into it.
    code: Rc<str>,
    /// Requests from the page's buttons (the async demo's blocking sleep).
    actions: Rc<RefCell<Vec<String>>>,
    /// Set by `stop`: a run checks it between its parts.
    stopped: Rc<Cell<bool>>,
    sessions: Rc<RefCell<Vec<Session>>>,
    on_session: SessionHook,
}

impl RunContext {
    pub fn new(params: &Params, code: &str, on_session: impl Fn(&str, &Session, Option<f64>) + 'static) -> RunContext {
        RunContext {
            ms_per_second: params.int(SPEED.key).max(1) as f64,
            code: code.into(),
            actions: Rc::new(RefCell::new(Vec::new())),
            stopped: Rc::new(Cell::new(false)),
            sessions: Rc::new(RefCell::new(Vec::new())),
            on_session: Rc::new(on_session),
        }
    }

    /// Asks the running demo to do something (a button was pressed).
    pub fn send(&self, action: &str) {
        self.actions.borrow_mut().push(action.to_owned());
    }

    pub fn take_actions(&self) -> Vec<String> {
        std::mem::take(&mut *self.actions.borrow_mut())
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn ms_per_second(&self) -> f64 {
        self.ms_per_second
    }

    /// A new session, shown as its own timeline under `label`.
    pub fn session(&self, label: &str, config: SessionConfig) -> Session {
        self.session_doing(label, config, None)
    }

    /// A new session whose jobs would take `sequential_seconds` one after
    /// another: for asyncio, whose tasks share one lane, the figures cannot
    /// be read off the lanes.
    pub fn session_doing(&self, label: &str, config: SessionConfig, sequential_seconds: Option<f64>) -> Session {
        let session = Session::new(SessionConfig { ms_per_second: self.ms_per_second, ..config });
        self.sessions.borrow_mut().push(session.clone());
        (self.on_session)(label, &session, sequential_seconds.map(|s| s * self.ms_per_second));
        session
    }

    /// Stops every session of the run.
    pub fn stop(&self) {
        self.stopped.set(true);
        for session in self.sessions.borrow().iter() {
            session.stop();
        }
    }

    /// Whether the viewer stopped the run.
    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }
}

/// Python seconds to whole page milliseconds, for `Op::Sleep`.
pub fn ms(ctx: &RunContext, seconds: f64) -> f64 {
    seconds * ctx.ms_per_second()
}

/// Python's `for w in workers: w.start()` then `for w in workers: w.join()`,
/// with MainThread at the lines (in `code`) that hold `start` and `join`.
/// Threads are prepared first: CPython starts a thread in microseconds, a Web
/// Worker takes milliseconds. Processes pay their start-up, as in Python.
pub async fn start_and_join(
    session: &Session,
    workers: &[Runner],
    threads: bool,
    (code, start, join): (&str, &str, &str),
) -> Result<(), String> {
    if threads {
        for worker in workers {
            worker.prepare().await.map_err(|e| e.to_string())?;
        }
    }
    session.main_line(line_of(code, start));
    for worker in workers {
        worker.start().map_err(|e| e.to_string())?;
    }
    session.main_line(line_of(code, join));
    for worker in workers {
        worker.join().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The 1-based line of `code` that holds `needle` (0 if none does).
pub fn line_of(code: &str, needle: &str) -> u32 {
    code.lines().position(|l| l.contains(needle)).map_or(0, |i| i as u32 + 1)
}

thread_local! {
    /// Countdown iterations per page millisecond in a worker, measured once.
    static RATE: Cell<Option<f64>> = const { Cell::new(None) };
}

/// How many countdown iterations take `seconds` Python seconds of CPU in a
/// worker at this run's speed. The rate is measured once per page.
pub async fn cpu_iterations(ctx: &RunContext, seconds: f64) -> Result<u64, String> {
    let rate = match RATE.with(Cell::get) {
        Some(rate) => rate,
        None => {
            let session = Session::new(SessionConfig::default());
            let pool = Executor::process_pool(&session, Some(1)).map_err(|e| e.to_string())?;
            let count = |n| Program::new(vec![Op::Countdown { n }]);
            // Long enough for the engine to tier the countdown up first.
            pool.submit(count(100_000_000)).map_err(|e| e.to_string())?.result().await.map_err(|e| e.to_string())?;
            let n = 200_000_000u64;
            let started = now();
            pool.submit(count(n)).map_err(|e| e.to_string())?.result().await.map_err(|e| e.to_string())?;
            let rate = n as f64 / (now() - started).max(1.0);
            session.stop();
            RATE.with(|r| r.set(Some(rate)));
            rate
        }
    };
    Ok((seconds * ctx.ms_per_second() * rate) as u64)
}
