//! The messages between the page and a worker. Each worker is one lane (a
//! thread, a process, a pool worker); its events need not name it.
//!
//! They cross as bytes ([`encode`], [`decode`]: postcard, in a `Uint8Array`
//! that `runtime::messages` posts), not as objects built and read field by
//! field across the JS boundary: a message costs one copy each way, and text
//! crosses as UTF-8. Only the worker's loader, which has no Rust, posts a
//! plain object: serde's externally tagged form of a `Panicked`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::gil::GilImpl;
use super::program::Program;
use super::pyvalue::{PyException, PyValue};
use super::trace::{EventKind, LaneId, LaneState};

/// A message as the bytes that cross.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| format!("a message could not be written: {e}"))
}

/// Bytes that crossed, read back; anything malformed is an error, never a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| e.to_string())
}

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
        /// The lane's first task runs no earlier (page clock): a process
        /// played by a worker started ahead waits out CPython's start-up
        /// (see `model::process_start`). 0 for at once.
        runs_from_ms: f64,
        /// Countdown iterations the process's start-up takes from then,
        /// before the first task (a spawned interpreter starting: work that
        /// shares the cores). 0 for none.
        start_work: u64,
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
    /// `sent_ms`: when the last holder sent it, where it did (page clock):
    /// the trip tells how far ahead to hand over ([`super::gil::HandOverLead`]).
    GilGranted {
        hold: u64,
        contended: bool,
        after_ms: f64,
        next: Option<LaneId>,
        sent_ms: Option<f64>,
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

/// Something a worker's lane did, stamped on the page's clock when it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneEvent {
    pub at_ms: f64,
    pub kind: LaneEventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LaneEventKind {
    State(LaneState),
    Line(u32),
    Print(String),
}

impl From<LaneEventKind> for EventKind {
    fn from(kind: LaneEventKind) -> EventKind {
        match kind {
            LaneEventKind::State(state) => EventKind::State(state),
            LaneEventKind::Line(line) => EventKind::Line(line),
            LaneEventKind::Print(text) => EventKind::Print(text),
        }
    }
}

/// The task number of a worker's word about a message rather than a task
/// (one it could not take, or a start it could not make): a session numbers
/// its tasks from 1.
pub const NO_TASK: u32 = 0;

/// How a task ended in its worker. A `Raised` for [`NO_TASK`] is the worker's
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
    Report { events: Vec<LaneEvent>, end: Option<TaskEnd> },
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
    use crate::model::program::Op;

    /// The message as it crosses, read back.
    fn round_trip<T: Serialize + DeserializeOwned>(message: &T) -> T {
        decode(&encode(message).expect("our messages encode")).expect("and decode")
    }

    fn page_messages() -> Vec<ToWorker> {
        vec![
            ToWorker::Init {
                lane: 3,
                gil: Some(GilImpl::SharedMemory),
                page_origin_ms: 1_700_000_000_123.25,
                ident: 140_245_372_147_264,
                switch_interval_ms: 5.0,
                runs_from_ms: 0.0,
                start_work: 0,
            },
            ToWorker::Init {
                lane: 4,
                gil: None,
                page_origin_ms: 0.0,
                ident: 7,
                switch_interval_ms: 0.25,
                runs_from_ms: 1_700_000_000_125.05,
                start_work: 88_000,
            },
            ToWorker::Run {
                task: 9,
                program: Program::new(vec![Op::Print("hi\tthere".into()), Op::Sleep { ms: 2.0 }]),
            },
            ToWorker::Run { task: 10, program: Program::default() },
            ToWorker::Arbitrate,
            ToWorker::ArbiterLane { lane: 2 },
            ToWorker::LaneGone { lane: 2 },
            ToWorker::GilGranted { hold: 7, contended: true, after_ms: 12.5, next: Some(3), sent_ms: None },
            ToWorker::GilGranted { hold: 8, contended: false, after_ms: 0.0, next: None, sent_ms: Some(11.75) },
            ToWorker::GilContended { hold: 7, next: None },
            ToWorker::GilPeer { lane: 5 },
            ToWorker::Drawn { value: Ok(-2) },
            ToWorker::Drawn { value: Err(PyException::new("ValueError", "empty range in randrange(3, 2)")) },
        ]
    }

    fn worker_messages() -> Vec<FromWorker> {
        vec![
            FromWorker::Ready { scope: "DedicatedWorkerGlobalScope".into() },
            FromWorker::Report {
                events: vec![
                    LaneEvent { at_ms: 12.5, kind: LaneEventKind::State(LaneState::WaitingGil) },
                    LaneEvent { at_ms: 13.0, kind: LaneEventKind::Print("Thread-1: ünïcode 🐍\n".into()) },
                    LaneEvent { at_ms: 13.5, kind: LaneEventKind::Line(u32::MAX) },
                ],
                end: None,
            },
            FromWorker::Report {
                events: vec![LaneEvent { at_ms: 1.5, kind: LaneEventKind::State(LaneState::Idle) }],
                end: Some(TaskEnd::Done {
                    task: 1,
                    value: PyValue::List(vec![
                        PyValue::Tuple(vec![PyValue::Int(i64::MIN), PyValue::Float(2.5)]),
                        PyValue::None,
                    ]),
                    worker_ms: 3.5,
                }),
            },
            FromWorker::Report {
                events: vec![],
                end: Some(TaskEnd::Raised { task: 2, exception: PyException::new("URLError", "<urlopen error x>") }),
            },
            FromWorker::Panicked { task: 3, message: "index out of bounds".into() },
            FromWorker::GilRequest,
            FromWorker::GilRelease { at_ms: 3.0, hold: 4, handed_to: None },
            FromWorker::GilYield { at_ms: 4.5, hold: 5, handed_to: Some(2) },
            FromWorker::Draw { lo: 1, hi: 3, due_ms: 1_020.5, ms_per_second: 200.0 },
        ]
    }

    #[test]
    fn every_message_reads_back_as_it_was_sent() {
        for message in page_messages() {
            assert_eq!(round_trip(&message), message);
        }
        for message in worker_messages() {
            assert_eq!(round_trip(&message), message);
        }
    }

    /// An empty task's two messages are a few bytes each: its Run, and its
    /// events with its end.
    #[test]
    fn an_empty_tasks_messages_are_small() {
        let run = encode(&ToWorker::Run { task: 1_000, program: Program::default() }).expect("encodes");
        assert!(run.len() <= 4, "{run:?}");
        let state = |at_ms, state| LaneEvent { at_ms, kind: LaneEventKind::State(state) };
        let report = FromWorker::Report {
            events: vec![state(10.0, LaneState::Running), state(10.5, LaneState::Idle)],
            end: Some(TaskEnd::Done { task: 1_000, value: PyValue::None, worker_ms: 0.5 }),
        };
        assert!(encode(&report).expect("encodes").len() <= 40);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        // Every message cut short.
        for bytes in page_messages().iter().map(encode) {
            let bytes = bytes.expect("encodes");
            for cut in 0..bytes.len() {
                assert!(decode::<ToWorker>(&bytes[..cut]).is_err(), "{:?}", &bytes[..cut]);
            }
        }
        for bytes in worker_messages().iter().map(encode) {
            let bytes = bytes.expect("encodes");
            for cut in 0..bytes.len() {
                assert!(decode::<FromWorker>(&bytes[..cut]).is_err(), "{:?}", &bytes[..cut]);
            }
        }
        // No such message; a lane state that does not exist; a text of
        // 2^32 bytes in five; a text that is not UTF-8.
        assert!(decode::<ToWorker>(&[200]).is_err());
        assert!(decode::<FromWorker>(&[1, 1, 0, 0, 0, 0, 0, 0, 240, 63, 0, 17, 0]).is_err());
        assert!(decode::<FromWorker>(&[1, 1, 0, 0, 0, 0, 0, 0, 240, 63, 2, 255, 255, 255, 255, 15, 1]).is_err());
        assert!(decode::<FromWorker>(&[0, 2, 0xff, 0xfe]).is_err());
    }
}
