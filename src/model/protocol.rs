//! The messages between the page and a worker. Each worker is one lane (a
//! thread, a process, a pool worker); its events need not name it.
//!
//! They cross as structured clones of plain objects (`runtime::messages`
//! converts them), in serde's externally tagged form: a unit variant is its
//! name (`"GilRequest"`), any other variant an object with one key
//! (`{"Panicked": {"task": 1, "message": "oops"}}`); a lane's events cross
//! packed into bytes (`model::lane_events`).

use serde::{Deserialize, Serialize};

use super::gil::GilImpl;
use super::lane_events::LaneEvents;
use super::program::Program;
use super::pyvalue::{PyException, PyValue};
use super::trace::LaneId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// `page_origin_ms` is the page's `performance.timeOrigin`: the worker
    /// stamps events on the page's clock with it.
    /// `gil`: how the lane takes the GIL; `None` for a process or a
    /// free-threaded thread. The shared lock's buffer travels beside the
    /// message, and for the message-based GIL the port to its arbiter.
    /// `ident`: what `threading.get_ident()` prints on the lane (a forked
    /// child prints its parent's).
    Init {
        lane: LaneId,
        gil: Option<GilImpl>,
        page_origin_ms: f64,
        ident: u64,
        /// `sys.getswitchinterval()` in page milliseconds: how long a lane
        /// holds the message-based GIL while others wait.
        switch_interval_ms: f64,
    },
    Run {
        task: u32,
        program: Program,
    },
    /// This worker is the session's message-based GIL: lanes speak to it
    /// over ports of their own (a lane's travels beside its `Init`), and
    /// it answers with `GilGranted`, `GilContended` and `GilPeer`.
    Arbitrate,
    /// `lane` takes the GIL through the port that travels beside this.
    ArbiterLane {
        lane: LaneId,
    },
    /// `lane`'s worker is gone: a GIL it held or waited for is freed.
    LaneGone {
        lane: LaneId,
    },
    /// The lane holds the message-based GIL, in hold number `hold`;
    /// `contended`: others wait, and `next` (if known) is the first of them,
    /// to hand the GIL to over their own channel. It comes from the arbiter,
    /// or straight from the last holder over that channel.
    /// `after_ms`: when the last holder let go, stamped on its clock: the
    /// lane's running starts no earlier, however coarse or apart the
    /// workers' clocks are (Firefox rounds them to 1 ms without isolation).
    GilGranted {
        hold: u64,
        contended: bool,
        after_ms: f64,
        next: Option<LaneId>,
    },
    /// Someone waits for the GIL the lane holds in hold `hold` (an older
    /// hold's notice is stale); `next`: whom to hand it to.
    GilContended {
        hold: u64,
        next: Option<LaneId>,
    },
    /// From the arbiter: the port beside this is a channel to `lane`, for
    /// handing the GIL to each other.
    GilPeer {
        lane: LaneId,
    },
    /// The answer to [`FromWorker::Draw`]: the drawn int, or what `randint` raised.
    Drawn {
        value: Result<i64, PyException>,
    },
}

/// How a task ended in its worker. A `Raised` for task 0 is the worker's
/// word about a message it could not take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskEnd {
    Done { task: u32, value: PyValue, worker_ms: f64 },
    Raised { task: u32, exception: PyException },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm runs; `scope` is its global scope's constructor name.
    Ready { scope: String },
    /// What the lane did in one stretch of the worker's work, in order and
    /// stamped on the page's clock, and how its task ended if the stretch
    /// ended one. A worker reports once a stretch: before it waits, at a CPU
    /// loop's checkpoint, and when a task ends, so an empty task's round trip
    /// is one message each way.
    Report { events: LaneEvents, end: Option<TaskEnd> },
    /// The worker's Rust code panicked while running `task`, or (`task` 0)
    /// its wasm did not start: the loader (`www/worker-loader.js`) posts
    /// this shape itself.
    Panicked { task: u32, message: String },
    /// To the arbiter, over the lane's port: the lane wants the GIL.
    GilRequest,
    /// The holder lets go of hold `hold`, at `at_ms` on its clock;
    /// `handed_to`: the lane it gave the GIL to itself.
    GilRelease { at_ms: f64, hold: u64, handed_to: Option<LaneId> },
    /// The holder's switch interval is over: it lets go of hold `hold` (at
    /// `at_ms`) and asks again; `handed_to` as for `GilRelease`.
    GilYield { at_ms: f64, hold: u64, handed_to: Option<LaneId> },
    /// `random.randint(lo, hi)` from the run's shared generator, for a
    /// `sleep(randint(lo, hi))` due to start at `due_ms` (page clock) with
    /// `ms_per_second`; the page answers with [`ToWorker::Drawn`], serving
    /// the lanes' draws in the order they are due.
    Draw { lo: i64, hi: i64, due_ms: f64, ms_per_second: f64 },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lane_events::{LaneEvent, LaneEventKind};
    use crate::model::program::Op;
    use crate::model::trace::LaneState;

    fn round_trip<T: Serialize + serde::de::DeserializeOwned>(message: &T) -> T {
        serde_json::from_value(serde_json::to_value(message).expect("our messages serialize")).expect("and read back")
    }

    #[test]
    fn page_messages_round_trip() {
        for message in [
            ToWorker::Init {
                lane: 3,
                gil: Some(GilImpl::SharedMemory),
                page_origin_ms: 1_700_000_000_123.25,
                ident: 140_245_372_147_264,
                switch_interval_ms: 5.0,
            },
            ToWorker::Init { lane: 4, gil: None, page_origin_ms: 0.0, ident: 7, switch_interval_ms: 0.25 },
            ToWorker::Run {
                task: 9,
                program: Program::new(vec![Op::Print("hi\tthere".into()), Op::Sleep { ms: 2.0 }]),
            },
            ToWorker::Arbitrate,
            ToWorker::ArbiterLane { lane: 2 },
            ToWorker::LaneGone { lane: 2 },
            ToWorker::GilGranted { hold: 7, contended: true, after_ms: 12.5, next: Some(3) },
            ToWorker::GilGranted { hold: 8, contended: false, after_ms: 0.0, next: None },
            ToWorker::GilContended { hold: 7, next: None },
            ToWorker::GilPeer { lane: 5 },
            ToWorker::Drawn { value: Ok(-2) },
            ToWorker::Drawn { value: Err(PyException::new("ValueError", "empty range in randrange(3, 2)")) },
        ] {
            assert_eq!(round_trip(&message), message);
        }
    }

    #[test]
    fn worker_messages_round_trip() {
        for message in [
            FromWorker::Ready { scope: "DedicatedWorkerGlobalScope".into() },
            FromWorker::Report {
                events: LaneEvents(vec![
                    LaneEvent { at_ms: 12.5, kind: LaneEventKind::State(LaneState::WaitingGil) },
                    LaneEvent { at_ms: 13.0, kind: LaneEventKind::Print("Thread-1:   0".into()) },
                    LaneEvent { at_ms: 13.5, kind: LaneEventKind::Line(7) },
                ]),
                end: None,
            },
            FromWorker::Report {
                events: LaneEvents(vec![LaneEvent { at_ms: 1.5, kind: LaneEventKind::State(LaneState::Idle) }]),
                end: Some(TaskEnd::Done {
                    task: 1,
                    value: PyValue::List(vec![
                        PyValue::Tuple(vec![PyValue::Int(-3), PyValue::Float(2.5)]),
                        PyValue::None,
                    ]),
                    worker_ms: 3.5,
                }),
            },
            FromWorker::Report {
                events: LaneEvents::default(),
                end: Some(TaskEnd::Raised { task: 2, exception: PyException::new("URLError", "<urlopen error x>") }),
            },
            FromWorker::Panicked { task: 3, message: "index out of bounds".into() },
            FromWorker::GilRequest,
            FromWorker::GilRelease { at_ms: 3.0, hold: 4, handed_to: None },
            FromWorker::GilYield { at_ms: 4.5, hold: 5, handed_to: Some(2) },
            FromWorker::Draw { lo: 1, hi: 3, due_ms: 1_020.5, ms_per_second: 200.0 },
        ] {
            assert_eq!(round_trip(&message), message);
        }
    }

    /// The shape the worker's loader posts by hand when its wasm fails to start.
    #[test]
    fn the_loaders_message_is_a_panic_before_any_task() {
        let posted = serde_json::json!({ "Panicked": { "task": 0, "message": "no wasm" } });
        let message: FromWorker = serde_json::from_value(posted).expect("the loader's shape");
        assert_eq!(message, FromWorker::Panicked { task: 0, message: "no wasm".into() });
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        use serde_json::json;
        for value in [
            json!(""),
            json!("Run"),
            json!({ "Run": { "task": "x" } }),
            json!({ "Init": { "lane": 1, "gil": "Maybe", "page_origin_ms": 0 } }),
            json!({ "GilContended": 1, "extra": 2 }),
            json!(null),
            json!([1, 2]),
        ] {
            assert!(serde_json::from_value::<ToWorker>(value.clone()).is_err(), "{value}");
        }
        for value in [
            json!({ "Report": { "events": [], "end": { "Done": { "task": 1 } } } }),
            json!({ "Report": { "events": [0, 0, 0, 0, 0, 0, 240, 63, 0, 17], "end": null } }),
            json!({ "Report": { "events": "Running", "end": null } }),
            json!({ "Report": { "events": [1, 2], "end": null } }),
            json!({ "State": { "at_ms": 1, "state": "Running" } }),
            json!("Ready"),
            json!(17),
        ] {
            assert!(serde_json::from_value::<FromWorker>(value.clone()).is_err(), "{value}");
        }
    }
}
