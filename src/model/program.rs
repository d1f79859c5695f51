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
    /// schedule uses it so timer overheads do not add up. Later
    /// `SleepRandint`s count from here.
    SleepUntil { at_ms: f64 },
    /// `time.sleep(random.randint(lo, hi))` with the run's `random` (one
    /// shared by its threads; a process has its own): the worker asks the
    /// page for the draw ahead, during the sleep before it and once it has let
    /// go of the GIL ([`Program::draws_next`]), or when it gets here if it
    /// could not; then it sleeps that many seconds from where its previous
    /// sleep was due to end (see [`Deadlines`]), so timer overheads do not add up.
    SleepRandint { lo: i64, hi: i64, ms_per_second: f64 },
    /// Beazley's `while n > 0: n -= 1`: pure CPU, in slices that can yield the GIL.
    Countdown { n: u64 },
    /// A process still starting: CPU work (a countdown) before its first
    /// statement, such as a spawned child's import of the main module. Only
    /// where a program begins; its lane shows `starting` through it.
    Bootstrap { n: u64 },
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UrlOutcome {
    Bytes(u64),
    UnknownHost,
    /// An address whose scheme `urlopen` has no handler for (`javascript:`,
    /// `mailto:`): it raises at once, naming the scheme in lower case.
    UnknownUrlType(String),
}

/// A lane's deadline-based sleeps: each sleep ends a whole number of
/// intervals after the previous one was due to, not after it really ended.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Deadlines {
    /// When the previous sleep was due to end, on the page's clock.
    cursor: Option<f64>,
}

impl Deadlines {
    /// `SleepUntil { at_ms }`: the next sleep counts from `at_ms`.
    pub fn until(&mut self, at_ms: f64) -> f64 {
        self.cursor = Some(at_ms);
        at_ms
    }

    /// Where the next deadline-based sleep counts from: where the previous
    /// one was due to end, or `now_ms` if there was none.
    pub fn due(&self, now_ms: f64) -> f64 {
        self.cursor.unwrap_or(now_ms)
    }

    /// A sleep of `ms` that starts where the previous one was due to end
    /// (or at `now_ms` if there was none); returns when it is due to end.
    pub fn after(&mut self, now_ms: f64, ms: f64) -> f64 {
        let due = self.cursor.unwrap_or(now_ms) + ms;
        self.cursor = Some(due);
        due
    }
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

/// `URLError('unknown url type: ...')`, as `str(exc)` prints it: `urlopen`
/// of an address whose scheme it has no handler for.
pub fn unknown_url_type_error(scheme: &str) -> PyException {
    PyException::new("URLError", format!("<urlopen error unknown url type: {scheme}>"))
}

/// `URLError(ConnectionRefusedError(111, ...))`, as `str(exc)` prints it: what
/// `urlopen` gives for an address the page will not fetch (another origin, a
/// path outside the site, a redirect) and for any failure to connect.
pub fn connection_refused_error() -> PyException {
    PyException::new("URLError", "<urlopen error [Errno 111] Connection refused>")
}

/// Whether `href`, an absolute address as the URL parser wrote it, lies under
/// the directory of `base` (the page's `document.baseURI`): the only addresses
/// a real fetch may load. The directory includes the origin, so another origin
/// never matches. Escaped dots, slashes and backslashes are refused too: a
/// server may decode them into a path outside.
pub fn within_base(href: &str, base: &str) -> bool {
    let base = base.split(['?', '#']).next().unwrap_or_default();
    let Some(slash) = base.rfind('/') else {
        return false;
    };
    let dir = &base[..=slash];
    if !dir.contains("://") || dir.ends_with("://") {
        return false;
    }
    let Some(rest) = href.strip_prefix(dir) else {
        return false;
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    !["%2e", "%2f", "%5c"].iter().any(|escape| path.contains(escape))
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Program {
    pub ops: Vec<Op>,
}

impl Program {
    pub fn new(ops: Vec<Op>) -> Self {
        Program { ops }
    }

    /// The program's leading [`Op::Bootstrap`] work (its process still
    /// starting), taken out: what runs after it is the rest.
    pub fn take_bootstrap(&mut self) -> u64 {
        let leading = self.ops.iter().take_while(|op| matches!(op, Op::Bootstrap { .. })).count();
        self.ops.drain(..leading).map(|op| if let Op::Bootstrap { n } = op { n } else { 0 }).sum()
    }

    /// When a thread that starts at `start_ms` asks for its first
    /// `sleep(randint(...))` draw, at the earliest: where the deadlines stand
    /// at its first `SleepRandint`. `None` if it never draws.
    pub fn first_draw_due(&self, start_ms: f64) -> Option<f64> {
        let mut deadlines = Deadlines::default();
        for op in &self.ops {
            match op {
                Op::SleepUntil { at_ms } => {
                    deadlines.until(*at_ms);
                }
                Op::SleepRandint { .. } => return Some(deadlines.due(start_ms)),
                _ => {}
            }
        }
        None
    }
    /// For each op, the `sleep(randint(lo, hi))` that comes next after it
    /// with only prints and line marks between (nothing that could draw or
    /// wait), as (lo, hi, ms_per_second): a thread that knows it may ask for
    /// that draw while it still sleeps.
    pub fn draws_next(&self) -> Vec<Option<(i64, i64, f64)>> {
        let mut next = None;
        let mut out = vec![None; self.ops.len()];
        for (i, op) in self.ops.iter().enumerate().rev() {
            out[i] = next;
            next = match op {
                Op::SleepRandint { lo, hi, ms_per_second } => Some((*lo, *hi, *ms_per_second)),
                Op::Print(_) | Op::Line(_) => next,
                _ => None,
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_s_bootstrap_is_taken_from_its_start_only() {
        let mut program = Program::new(vec![
            Op::Bootstrap { n: 5 },
            Op::Bootstrap { n: 2 },
            Op::Print("x".into()),
            Op::Countdown { n: 3 },
        ]);
        assert_eq!(program.take_bootstrap(), 7);
        assert_eq!(program.ops, vec![Op::Print("x".into()), Op::Countdown { n: 3 }]);
        assert_eq!(program.take_bootstrap(), 0);
    }

    #[test]
    fn a_thread_knows_the_draw_after_each_sleep() {
        let draw = Op::SleepRandint { lo: 1, hi: 3, ms_per_second: 250.0 };
        let program = Program::new(vec![
            Op::Print("a".into()),
            draw.clone(),
            Op::Line(4),
            Op::Print("b".into()),
            draw.clone(),
            Op::Countdown { n: 5 },
            draw,
        ]);
        let next = program.draws_next();
        let d = Some((1, 3, 250.0));
        // After the countdown comes a draw; after the first sleep, one past prints and a line mark.
        assert_eq!(next, vec![d, d, d, d, None, d, None]);
    }

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
            Op::SleepRandint { lo: 1, hi: 3, ms_per_second: 250.0 },
        ]);
        let json = serde_json::to_value(&program).expect("a program serializes");
        assert_eq!(serde_json::from_value::<Program>(json).ok(), Some(program));
    }

    #[test]
    fn deadlines_count_from_the_previous_due_time_not_from_now() {
        let mut deadlines = Deadlines::default();
        assert_eq!(deadlines.after(100.0, 2000.0), 2100.0, "the first sleep starts now");
        // The timer fired 7 ms late; the next sleep still ends on the beat.
        assert_eq!(deadlines.after(2107.0, 1000.0), 3100.0);
        assert_eq!(deadlines.until(5000.0), 5000.0);
        assert_eq!(deadlines.after(5003.0, 3000.0), 8000.0);
        assert_eq!(deadlines.after(9000.0, 0.0), 8000.0, "a due time in the past means no sleep at all");
    }

    #[test]
    fn the_first_draw_is_due_where_the_deadlines_stand() {
        let draw = Op::SleepRandint { lo: 1, hi: 3, ms_per_second: 100.0 };
        let program = Program::new(vec![Op::SleepUntil { at_ms: 520.0 }, Op::Print("x".into()), draw.clone()]);
        assert_eq!(program.first_draw_due(10.0), Some(520.0));
        assert_eq!(Program::new(vec![Op::Print("x".into()), draw]).first_draw_due(10.0), Some(10.0));
        assert_eq!(Program::new(vec![Op::SleepUntil { at_ms: 520.0 }]).first_draw_due(10.0), None);
    }

    #[test]
    fn only_addresses_under_the_base_directory_are_fetchable() {
        let base = "https://example.org/parallel-playground/index.html?x=1#slide";
        for href in [
            "https://example.org/parallel-playground/index.html",
            "https://example.org/parallel-playground/www/deck.md?v=2",
            "https://example.org/parallel-playground/a%20b.txt#frag%2e%2e",
        ] {
            assert!(within_base(href, base), "{href}");
        }
        for href in [
            "https://example.org/index.html",
            "https://example.org/parallel-playground-2/x",
            "https://example.org/parallel-playground",
            "https://example.org:8443/parallel-playground/x",
            "http://example.org/parallel-playground/x",
            "https://evil.example/parallel-playground/x",
            "https://example.org/parallel-playground/%2e%2e/secret",
            "https://example.org/parallel-playground/..%2Fsecret",
            "https://example.org/parallel-playground/..%5csecret",
        ] {
            assert!(!within_base(href, base), "{href}");
        }
        assert!(within_base("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/"));
        assert!(!within_base("http://127.0.0.1:8080/x", "no base"));
        assert!(!within_base("http://x/y", "http://"));
        assert_eq!(connection_refused_error().to_string(), "<urlopen error [Errno 111] Connection refused>");
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
