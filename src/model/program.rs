//! What a thread, process or pool task runs: a short program of operations the
//! worker carries out, each standing for a line of Python.

use serde::{Deserialize, Serialize};

use super::pyvalue::PyException;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// `print(text)`.
    Print(String),
    /// `print(template % len(last value))`: a line that reports what the op
    /// before it returned (`'%r:  got %d bytes'`).
    PrintLen(String),
    /// The source line the lane is at now (for the code view); no time passes.
    Line(u32),
    /// `time.sleep(seconds)`, already scaled to page milliseconds; releases the GIL.
    Sleep { ms: f64 },
    /// Sleeps until this time on the page's clock: a demo that replays CPython's
    /// schedule uses it so timer overheads do not add up.
    SleepUntil { at_ms: f64 },
    /// Beazley's `while n > 0: n -= 1`: pure CPU, in slices that can yield the GIL.
    Countdown { n: u64 },
    /// Counting primes below `below` by trial division: CPU-bound.
    CountPrimes { below: u32 },
    /// `urllib.request.urlopen(url).read()`, simulated: a latency, then a page
    /// of `outcome` bytes or the error an unknown host gives. Releases the GIL.
    Urlopen { url: String, latency_ms: f64, outcome: UrlOutcome },
    /// A real same-origin fetch; the value is the body's length.
    Fetch { url: String },
    /// `raise` an exception.
    Raise(PyException),
    /// A bug in the job itself: a Rust panic inside the worker.
    Panic(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UrlOutcome {
    Bytes(u64),
    UnknownHost,
}

/// Stands in a printed line for `threading.get_ident()` of the thread that prints it.
pub const THREAD_IDENT: &str = "\u{1}ident\u{1}";

/// `threading.get_ident()` of a lane: a pthread address, as CPython on Linux
/// reports it (threads' stacks sit 8 MiB + 4 KiB apart).
pub fn thread_ident(lane: u32) -> u64 {
    140_245_372_147_264 - u64::from(lane) * 8_392_704
}

/// `URLError(gaierror(-2, ...))`, as `str(exc)` prints it.
pub fn unknown_host_error() -> PyException {
    PyException::new("URLError", "<urlopen error [Errno -2] Name or service not known>")
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Program {
    pub ops: Vec<Op>,
}

impl Program {
    pub fn new(ops: Vec<Op>) -> Self {
        Program { ops }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_round_trip() {
        let program = Program::new(vec![
            Op::Print("Thread-1:   0\twith a tab".into()),
            Op::Line(12),
            Op::PrintLen("got %d".into()),
            Op::Sleep { ms: 1500.5 },
            Op::SleepUntil { at_ms: 12345.25 },
            Op::Countdown { n: 10_000_000 },
            Op::CountPrimes { below: 1000 },
            Op::Urlopen { url: "http://www.cnn.com/".into(), latency_ms: 300.0, outcome: UrlOutcome::Bytes(1234) },
            Op::Urlopen { url: "http://x/".into(), latency_ms: 5.0, outcome: UrlOutcome::UnknownHost },
            Op::Fetch { url: "index.html".into() },
            Op::Raise(PyException::new("ValueError", "bad\nvalue")),
            Op::Panic("oops".into()),
        ]);
        let json = serde_json::to_value(&program).expect("a program serializes");
        assert_eq!(serde_json::from_value::<Program>(json).ok(), Some(program));
    }

    #[test]
    fn broken_programs_are_errors() {
        use serde_json::json;
        for value in [
            json!({ "ops": [{ "Print": 3 }] }),
            json!({ "ops": [{ "Fly": 3 }] }),
            json!({ "ops": "many" }),
            json!({ "ops": [{ "Urlopen": { "url": "u", "latency_ms": 5, "outcome": "Lots" } }] }),
            json!({ "ops": [{ "Countdown": { "n": -1 } }] }),
        ] {
            assert!(serde_json::from_value::<Program>(value.clone()).is_err(), "{value}");
        }
    }
}
