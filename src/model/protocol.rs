//! The messages between the page and a worker. Each worker is one lane (a
//! thread, a process, a pool worker); its events need not name it.

use super::gil::GilImpl;
use super::program::{read_value, write_value, Program};
use super::pyvalue::{PyException, PyValue};
use super::trace::{LaneId, LaneState};
use super::wire::{Reader, Writer};

#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    /// `page_origin_ms` is the page's `performance.timeOrigin`: the worker
    /// stamps events on the page's clock with it.
    /// `gil`: how the lane takes the GIL; `None` for a process or a
    /// free-threaded thread. The shared lock's buffer travels beside the message.
    Init {
        lane: LaneId,
        gil: Option<GilImpl>,
        page_origin_ms: f64,
    },
    Run {
        task: u32,
        program: Program,
    },
    GilGranted,
    GilDrop,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FromWorker {
    /// The worker's wasm runs; `scope` is its global scope's constructor name.
    Ready {
        scope: String,
    },
    State {
        at_ms: f64,
        state: LaneState,
    },
    Print {
        at_ms: f64,
        text: String,
    },
    Line {
        at_ms: f64,
        line: u32,
    },
    Done {
        task: u32,
        value: PyValue,
        worker_ms: f64,
    },
    Raised {
        task: u32,
        exception: PyException,
    },
    Panicked {
        task: u32,
        message: String,
    },
    GilRequest,
    GilRelease,
}

fn gil_name(gil: Option<GilImpl>) -> &'static str {
    match gil {
        None => "off",
        Some(GilImpl::SharedMemory) => "shared",
        Some(GilImpl::Messages) => "arbiter",
    }
}

impl ToWorker {
    pub fn encode(&self) -> String {
        match self {
            ToWorker::Init { lane, gil, page_origin_ms } => {
                Writer::new("init").num(lane).text(gil_name(*gil)).num(page_origin_ms).finish()
            }
            ToWorker::Run { task, program } => {
                let mut w = Writer::new("run").num(task);
                program.write(&mut w);
                w.finish()
            }
            ToWorker::GilGranted => "gil-granted".into(),
            ToWorker::GilDrop => "gil-drop".into(),
        }
    }

    pub fn decode(text: &str) -> Result<ToWorker, String> {
        let mut r = Reader::new(text, "page");
        let message = match r.raw()? {
            "init" => ToWorker::Init {
                lane: r.num()?,
                gil: match r.raw()? {
                    "off" => None,
                    "shared" => Some(GilImpl::SharedMemory),
                    "arbiter" => Some(GilImpl::Messages),
                    other => return Err(format!("unknown GIL kind {other:?}")),
                },
                page_origin_ms: r.num()?,
            },
            "run" => ToWorker::Run { task: r.num()?, program: Program::read(&mut r)? },
            "gil-granted" => ToWorker::GilGranted,
            "gil-drop" => ToWorker::GilDrop,
            other => return Err(format!("the worker got a message it does not know: {other:?}")),
        };
        r.end()?;
        Ok(message)
    }
}

impl FromWorker {
    pub fn encode(&self) -> String {
        match self {
            FromWorker::Ready { scope } => Writer::new("ready").text(scope).finish(),
            FromWorker::State { at_ms, state } => Writer::new("state").num(at_ms).text(state.key()).finish(),
            FromWorker::Print { at_ms, text } => Writer::new("print").num(at_ms).text(text).finish(),
            FromWorker::Line { at_ms, line } => Writer::new("line").num(at_ms).num(line).finish(),
            FromWorker::Done { task, value, worker_ms } => {
                let mut w = Writer::new("done").num(task).num(worker_ms);
                write_value(&mut w, value);
                w.finish()
            }
            FromWorker::Raised { task, exception } => {
                Writer::new("raised").num(task).text(&exception.type_name).text(&exception.message).finish()
            }
            FromWorker::Panicked { task, message } => Writer::new("panicked").num(task).text(message).finish(),
            FromWorker::GilRequest => "gil-request".into(),
            FromWorker::GilRelease => "gil-release".into(),
        }
    }

    pub fn decode(text: &str) -> Result<FromWorker, String> {
        let mut r = Reader::new(text, "worker");
        let message = match r.raw()? {
            "ready" => FromWorker::Ready { scope: r.text()? },
            "state" => {
                let at_ms = r.num()?;
                let key = r.raw()?;
                let state = LaneState::from_key(key).ok_or_else(|| format!("unknown lane state {key:?}"))?;
                FromWorker::State { at_ms, state }
            }
            "line" => FromWorker::Line { at_ms: r.num()?, line: r.num()? },
            "print" => FromWorker::Print { at_ms: r.num()?, text: r.text()? },
            "done" => {
                let task = r.num()?;
                let worker_ms = r.num()?;
                FromWorker::Done { task, worker_ms, value: read_value(&mut r)? }
            }
            "raised" => FromWorker::Raised {
                task: r.num()?,
                exception: PyException { type_name: r.text()?, message: r.text()? },
            },
            "panicked" => FromWorker::Panicked { task: r.num()?, message: r.text()? },
            "gil-request" => FromWorker::GilRequest,
            "gil-release" => FromWorker::GilRelease,
            other => return Err(format!("a worker sent a message the page does not know: {other:?}")),
        };
        r.end()?;
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::program::Op;

    #[test]
    fn page_messages_round_trip() {
        for message in [
            ToWorker::Init { lane: 3, gil: Some(GilImpl::SharedMemory), page_origin_ms: 1_700_000_000_123.25 },
            ToWorker::Run {
                task: 9,
                program: Program::new(vec![Op::Print("hi\tthere".into()), Op::Sleep { ms: 2.0 }]),
            },
            ToWorker::GilGranted,
            ToWorker::GilDrop,
        ] {
            assert_eq!(ToWorker::decode(&message.encode()), Ok(message));
        }
    }

    #[test]
    fn worker_messages_round_trip() {
        for message in [
            FromWorker::Ready { scope: "DedicatedWorkerGlobalScope".into() },
            FromWorker::State { at_ms: 12.5, state: LaneState::WaitingGil },
            FromWorker::Print { at_ms: 13.0, text: "Thread-1:   0".into() },
            FromWorker::Line { at_ms: 1.5, line: 7 },
            FromWorker::Done { task: 1, value: PyValue::Bytes(5), worker_ms: 3.5 },
            FromWorker::Raised { task: 2, exception: PyException::new("URLError", "<urlopen error x>") },
            FromWorker::Panicked { task: 3, message: "index out of bounds".into() },
            FromWorker::GilRequest,
            FromWorker::GilRelease,
        ] {
            assert_eq!(FromWorker::decode(&message.encode()), Ok(message));
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in ["", "run", "run\tx", "init\t1\tmaybe\t0", "gil-drop\textra", "hello"] {
            assert!(ToWorker::decode(text).is_err(), "{text:?}");
        }
        for text in ["", "done\t1", "state\t1\tdancing", "print\tnow\tx", "ready"] {
            assert!(FromWorker::decode(text).is_err(), "{text:?}");
        }
    }
}
