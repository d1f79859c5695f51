//! One job's round trip through a fresh worker: the capability demo's proof
//! that the worker pipeline works.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;

use super::clock;
use super::session::{Session, SessionConfig};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::model::trace::LaneKind;

/// What a round trip measured.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundTrip {
    pub below: u32,
    pub value: i64,
    /// The worker's global scope, as the worker itself reports it.
    pub scope: String,
    /// From `new Worker` to the worker's first message (the wasm module compiled once before).
    pub startup_ms: f64,
    /// The job's own time, measured inside the worker.
    pub worker_ms: f64,
    /// From posting the job to receiving its result, on the page.
    pub round_trip_ms: f64,
    /// Ticks of a 10 ms page timer during the job: the page's own thread kept running.
    pub page_ticks: u32,
}

/// A session for [`round_trip`]: whoever shows the job keeps it, to stop it
/// if the job is left before it ends.
pub fn session() -> Session {
    Session::new(SessionConfig::default())
}

/// Starts a worker in `session`, counts the primes below `below` in it, and
/// ends the session.
pub async fn round_trip(session: &Session, below: u32) -> Result<RoundTrip, String> {
    // Compile the worker's wasm first, so the start-up figure is the worker's own.
    super::module::load().await?;
    let started = clock::now();
    let host = session.start_worker("Process-1", LaneKind::Process).await?;
    let startup_ms = clock::now() - started;

    let ticks = Rc::new(Cell::new(0u32));
    let counter = ticks.clone();
    let interval = Interval::new(10, move || counter.set(counter.get() + 1));
    let sent = clock::now();
    let outcome = host.run(session.next_task(), &Program::new(vec![Op::CountPrimes { below }])).await;
    let round_trip_ms = clock::now() - sent;
    drop(interval);
    let worker_ms = host.last_worker_ms();
    let scope = host.scope();
    session.stop();
    match outcome {
        Ok(PyValue::Int(value)) => {
            Ok(RoundTrip { below, value, scope, startup_ms, worker_ms, round_trip_ms, page_ticks: ticks.get() })
        }
        Ok(other) => Err(format!("the worker answered {} instead of a count", other.repr())),
        Err(failure) => Err(failure.into_exception().to_string()),
    }
}
