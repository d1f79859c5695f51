//! What a thread, process or pool task runs: a short program of operations the
//! worker carries out, each standing for a line of Python.

use super::pyvalue::{PyException, PyValue};
use super::wire::{Reader, Writer};

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub ops: Vec<Op>,
}

impl Program {
    pub fn new(ops: Vec<Op>) -> Self {
        Program { ops }
    }

    pub fn write(&self, w: &mut Writer) {
        w.push_num(self.ops.len());
        for op in &self.ops {
            match op {
                Op::Print(text) => {
                    w.push_text("print");
                    w.push_text(text);
                }
                Op::PrintLen(template) => {
                    w.push_text("print-len");
                    w.push_text(template);
                }
                Op::Line(line) => {
                    w.push_text("line");
                    w.push_num(line);
                }
                Op::Sleep { ms } => {
                    w.push_text("sleep");
                    w.push_num(ms);
                }
                Op::SleepUntil { at_ms } => {
                    w.push_text("sleep-until");
                    w.push_num(at_ms);
                }
                Op::Countdown { n } => {
                    w.push_text("countdown");
                    w.push_num(n);
                }
                Op::CountPrimes { below } => {
                    w.push_text("primes");
                    w.push_num(below);
                }
                Op::Urlopen { url, latency_ms, outcome } => {
                    w.push_text("urlopen");
                    w.push_text(url);
                    w.push_num(latency_ms);
                    match outcome {
                        UrlOutcome::Bytes(n) => w.push_num(n),
                        UrlOutcome::UnknownHost => w.push_text("unknown-host"),
                    }
                }
                Op::Fetch { url } => {
                    w.push_text("fetch");
                    w.push_text(url);
                }
                Op::Raise(exc) => {
                    w.push_text("raise");
                    w.push_text(&exc.type_name);
                    w.push_text(&exc.message);
                }
                Op::Panic(message) => {
                    w.push_text("panic");
                    w.push_text(message);
                }
            }
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Program, String> {
        let count: usize = r.num()?;
        let mut ops = Vec::with_capacity(count.min(10_000));
        for _ in 0..count {
            let op = match r.raw()? {
                "print" => Op::Print(r.text()?),
                "line" => Op::Line(r.num()?),
                "print-len" => Op::PrintLen(r.text()?),
                "sleep" => Op::Sleep { ms: r.num()? },
                "sleep-until" => Op::SleepUntil { at_ms: r.num()? },
                "countdown" => Op::Countdown { n: r.num()? },
                "primes" => Op::CountPrimes { below: r.num()? },
                "urlopen" => {
                    let url = r.text()?;
                    let latency_ms = r.num()?;
                    let outcome = match r.raw()? {
                        "unknown-host" => UrlOutcome::UnknownHost,
                        size => UrlOutcome::Bytes(size.parse().map_err(|_| format!("{size:?} is not a page size"))?),
                    };
                    Op::Urlopen { url, latency_ms, outcome }
                }
                "fetch" => Op::Fetch { url: r.text()? },
                "raise" => Op::Raise(PyException { type_name: r.text()?, message: r.text()? }),
                "panic" => Op::Panic(r.text()?),
                other => return Err(format!("unknown operation {other:?}")),
            };
            ops.push(op);
        }
        Ok(Program { ops })
    }
}

/// Values on the wire: a tag field, then the value's fields.
pub fn write_value(w: &mut Writer, value: &PyValue) {
    match value {
        PyValue::None => w.push_text("N"),
        PyValue::Bool(b) => {
            w.push_text("B");
            w.push_num(u8::from(*b));
        }
        PyValue::Int(n) => {
            w.push_text("I");
            w.push_num(n);
        }
        PyValue::Float(f) => {
            w.push_text("F");
            w.push_num(f);
        }
        PyValue::Str(s) => {
            w.push_text("S");
            w.push_text(s);
        }
        PyValue::Bytes(n) => {
            w.push_text("Y");
            w.push_num(n);
        }
        PyValue::Tuple(items) | PyValue::List(items) => {
            w.push_text(if matches!(value, PyValue::Tuple(_)) { "T" } else { "L" });
            w.push_num(items.len());
            for item in items {
                write_value(w, item);
            }
        }
    }
}

pub fn read_value(r: &mut Reader<'_>) -> Result<PyValue, String> {
    read_value_at(r, 0)
}

fn read_value_at(r: &mut Reader<'_>, depth: usize) -> Result<PyValue, String> {
    if depth > 32 {
        return Err("a value is nested too deeply".into());
    }
    Ok(match r.raw()? {
        "N" => PyValue::None,
        "B" => PyValue::Bool(r.num::<u8>()? != 0),
        "I" => PyValue::Int(r.num()?),
        "F" => PyValue::Float(r.num()?),
        "S" => PyValue::Str(r.text()?),
        "Y" => PyValue::Bytes(r.num()?),
        tag @ ("T" | "L") => {
            let count: usize = r.num()?;
            let mut items = Vec::with_capacity(count.min(1000));
            for _ in 0..count {
                items.push(read_value_at(r, depth + 1)?);
            }
            if tag == "T" {
                PyValue::Tuple(items)
            } else {
                PyValue::List(items)
            }
        }
        other => return Err(format!("unknown value tag {other:?}")),
    })
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
        let mut w = Writer::new("run");
        program.write(&mut w);
        let text = w.finish();
        let mut r = Reader::new(&text, "test");
        assert_eq!(r.raw(), Ok("run"));
        assert_eq!(Program::read(&mut r), Ok(program));
        assert_eq!(r.end(), Ok(()));
    }

    #[test]
    fn values_round_trip() {
        let value = PyValue::List(vec![
            PyValue::Tuple(vec![PyValue::Int(-3), PyValue::Float(2.5)]),
            PyValue::Str("a\tb".into()),
            PyValue::Bytes(10),
            PyValue::Bool(true),
            PyValue::None,
        ]);
        let mut w = Writer::new("v");
        write_value(&mut w, &value);
        let text = w.finish();
        let mut r = Reader::new(&text, "test");
        r.raw().unwrap();
        assert_eq!(read_value(&mut r), Ok(value));
    }

    #[test]
    fn broken_programs_are_errors() {
        for text in ["run\t2\tprint\tx", "run\t1\tfly\t3", "run\tmany", "run\t1\turlopen\tu\t5\tlots"] {
            let mut r = Reader::new(text, "test");
            r.raw().unwrap();
            assert!(Program::read(&mut r).is_err(), "{text}");
        }
        let deep = format!("v\t{}N", "T\t1\t".repeat(40));
        let mut r = Reader::new(&deep, "test");
        r.raw().unwrap();
        assert!(read_value(&mut r).is_err());
    }
}
