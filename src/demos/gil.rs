//! Beazley's picture of the GIL, live: CPU-bound threads (and optionally an
//! I/O thread) taking turns, or running side by side without a GIL.

use futures::FutureExt;

use super::context::{countdown_n, cpu_iterations, start_and_join, switch_interval_ms, Code, RunContext};
use super::demo::{Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::runtime::{capabilities, GilImpl, GilMode, Process, Runner, SessionConfig, Thread};

pub const DEMO: Demo = Demo {
    name: "gil",
    heading: "The GIL, live",
    intro: "CPU-bound threads take turns holding the GIL; an I/O thread waits for it each time it wakes \
            (the convoy effect). Free-threaded Python and processes run side by side.",
    specs: SPECS,
    code: |_, params| code(&Settings::read(params)),
    note: |params| interval_note(params, capabilities::detect().gil_impl()),
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View::RUNS,
};

const THREADS: Spec = Spec {
    key: "threads",
    label: "CPU-bound threads",
    kind: Kind::Int { min: 1, max: 8 },
    default: "2",
    help: "Each runs countdown(n).",
};
const WORK: Spec = Spec {
    key: "work",
    label: "CPU seconds each",
    kind: Kind::Numbers { min: 0.1, max: 10.0, max_len: 1 },
    default: "1",
    help: "How long one countdown takes alone.",
};
const MODE: Spec = Spec {
    key: "mode",
    label: "Run them as",
    kind: Kind::Choice(&["gil", "free-threaded", "processes"]),
    default: "gil",
    help: "CPython with its GIL, free-threaded CPython (PEP 703), or processes.",
};
const IO: Spec = Spec {
    key: "io",
    label: "Add an I/O thread",
    kind: Kind::Flag,
    default: "0",
    help: "A thread that sleeps 0.1 s again and again, and needs the GIL each time it wakes.",
};
const INTERVAL: Spec = Spec {
    key: "interval",
    label: "sys.setswitchinterval (ms)",
    kind: Kind::Slider { min: 1, max: 50 },
    default: "5",
    help: "How long a waiting thread waits before it asks the holder to let go.",
};
const SPECS: &[Spec] = &[THREADS, WORK, MODE, IO, INTERVAL, SPEED];

/// Said where the run's speed would make the switch interval shorter than a
/// switch of `gil` costs: the GIL then switches less often than the code says.
fn interval_note(params: &Params, gil: GilImpl) -> Option<&'static str> {
    let settings = Settings::read(params);
    let ms_per_second = params.int(SPEED.key) as f64;
    let python_ms = settings.interval_ms as f64;
    // The floor applies where the run's interval is longer than the code's, scaled.
    if settings.mode != Mode::Gil
        || switch_interval_ms(python_ms, ms_per_second, gil) <= python_ms * ms_per_second / 1000.0
    {
        return None;
    }
    Some(match gil {
        GilImpl::SharedMemory => {
            "At this speed the GIL switches less often than `sys.setswitchinterval` says: a switch costs the \
             browser real time that the speed cannot shrink, so a turn lasts at least 1 ms of page time."
        }
        GilImpl::Messages => {
            "At this speed the GIL switches less often than `sys.setswitchinterval` says: on this page \
             (not cross-origin isolated) threads take turns by messages, which cost the browser real time \
             that the speed cannot shrink, so a turn lasts at least 5 ms of page time."
        }
    })
}

/// The I/O thread's `time.sleep(0.1)`.
const IO_SLEEP: f64 = 0.1;

/// How the CPU-bound work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Threads of CPython with its GIL.
    Gil,
    /// Threads of free-threaded CPython (PEP 703).
    FreeThreaded,
    /// `multiprocessing.Process`es.
    Processes,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Settings {
    threads: usize,
    work: f64,
    mode: Mode,
    io_thread: bool,
    interval_ms: i64,
}

impl Settings {
    fn read(params: &Params) -> Settings {
        Settings {
            threads: params.int(THREADS.key).max(1) as usize,
            work: params.seconds(WORK.key),
            mode: match params.choice(MODE.key) {
                "free-threaded" => Mode::FreeThreaded,
                "processes" => Mode::Processes,
                _ => Mode::Gil,
            },
            io_thread: params.flag(IO.key),
            interval_ms: params.int(INTERVAL.key).max(1),
        }
    }

    /// Python seconds the jobs take one after another: each countdown, and
    /// the I/O thread's sleeps and little countdowns.
    fn one_after_another(&self) -> f64 {
        let io = if self.io_thread { self.io_rounds() as f64 * (IO_SLEEP + self.work / 1000.0) } else { 0.0 };
        self.threads as f64 * self.work + io
    }

    /// Enough 0.1 s rounds for the I/O thread to outlast the CPU-bound work.
    fn io_rounds(&self) -> usize {
        ((self.work * self.threads as f64) / 0.1).ceil().max(1.0) as usize + 2
    }
}

fn code(settings: &Settings) -> String {
    let (import, make) = match (settings.mode, settings.io_thread) {
        (Mode::Processes, false) => ("from multiprocessing import Process", "Process(target=countdown, args=(N,))"),
        (Mode::Processes, true) => (
            "from multiprocessing import Process\nfrom threading import Thread",
            "Process(target=countdown, args=(N,))",
        ),
        _ => ("from threading import Thread", "Thread(target=countdown, args=(N,))"),
    };
    let io = if settings.io_thread {
        format!(
            "\n\n    def io_loop():\n        for _ in range({}):\n            time.sleep(0.1)   # releases the GIL\n            countdown(N // 1000)\n\n    workers.append(Thread(target=io_loop))",
            settings.io_rounds()
        )
    } else {
        String::new()
    };
    // `time` only for the I/O thread's sleeps: the program imports what it uses.
    let modules = if settings.io_thread { "sys, time" } else { "sys" };
    format!(
        "import {modules}\n{import}\n\nsys.setswitchinterval({})\nN = {}          # about {} s for CPython at 36M loops/s\n\ndef countdown(n):\n    while n > 0:\n        n -= 1\n\nif __name__ == '__main__':\n    workers = [{make} for _ in range({})]{io}\n    for w in workers:\n        w.start()\n    for w in workers:\n        w.join()",
        settings.interval_ms as f64 / 1000.0,
        countdown_n(settings.work),
        PyValue::Float(settings.work).repr(),
        settings.threads,
    )
}

/// Where the lanes are lit in the code shown.
struct Lines {
    countdown: u32,
    io_sleep: Option<u32>,
    io_countdown: Option<u32>,
    start: u32,
    join: u32,
}

impl Lines {
    fn find(code: Code, io_thread: bool) -> Result<Lines, String> {
        let io = |needle| if io_thread { code.line(needle).map(Some) } else { Ok(None) };
        Ok(Lines {
            countdown: code.line("n -= 1")?,
            io_sleep: io("time.sleep(0.1)")?,
            io_countdown: io("countdown(N // 1000)")?,
            start: code.line("w.start()")?,
            join: code.line("w.join()")?,
        })
    }
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let lines = Lines::find(ctx.code(), settings.io_thread)?;
    // Measured before the run's session starts, so it does not show in it.
    let n = cpu_iterations(ctx, settings.work).await?;
    let gil = if settings.mode == Mode::FreeThreaded { GilMode::FreeThreaded } else { GilMode::On };
    let config = SessionConfig { gil, switch_interval_ms: settings.interval_ms as f64, ..SessionConfig::default() };
    // The panel is named for what runs the countdowns.
    let label = if settings.mode == Mode::Processes { "processes" } else { "threads" };
    let session = ctx.session_doing(label, config, Some(settings.one_after_another()));
    let program = Program::new(vec![Op::Line(lines.countdown), Op::Countdown { n }]);
    let processes = settings.mode == Mode::Processes;
    let mut workers: Vec<Runner> = (0..settings.threads)
        .map(|_| {
            if processes {
                (*Process::new(&session, program.clone())).clone()
            } else {
                (*Thread::with_target(&session, "countdown", program.clone())).clone()
            }
        })
        .collect();
    if let (Some(sleep_line), Some(cpu_line)) = (lines.io_sleep, lines.io_countdown) {
        let ops = (0..settings.io_rounds())
            .flat_map(|_| {
                [
                    Op::Line(sleep_line),
                    Op::Sleep { ms: ctx.ms(IO_SLEEP) },
                    Op::Line(cpu_line),
                    Op::Countdown { n: n / 1000 },
                ]
            })
            .collect();
        workers.push((*Thread::with_target(&session, "io_loop", Program::new(ops))).clone());
    }
    start_and_join(ctx, &session, &workers, !processes, (lines.start, lines.join)).await?;
    session.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;

    #[test]
    fn a_note_says_when_the_speed_would_make_turns_shorter_than_a_switch_costs() {
        let note = |query: &str| interval_note(&Params::from_query(SPECS, query).0, GilImpl::SharedMemory);
        assert_eq!(note("speed=1000&interval=5"), None);
        assert_eq!(note("speed=200&interval=5"), None, "5 ms at 200 ms a second is 1 ms of page time");
        assert!(note("speed=100&interval=5").is_some_and(|n| n.contains("at least 1 ms")));
        assert_eq!(note("speed=100&interval=20"), None);
        assert_eq!(note("speed=10&interval=5&mode=processes"), None, "processes have no GIL to switch");
        let by_messages = |query: &str| interval_note(&Params::from_query(SPECS, query).0, GilImpl::Messages);
        assert_eq!(by_messages("speed=1000&interval=5"), None);
        assert!(by_messages("speed=400&interval=5").is_some_and(|n| n.contains("at least 5 ms")));
    }

    #[test]
    fn lit_lines_point_at_their_statements() {
        for mode in [Mode::Gil, Mode::Processes] {
            let settings = Settings { threads: 3, work: 1.0, mode, io_thread: true, interval_ms: 5 };
            let code = code(&settings);
            let l = Lines::find(Code(&code), true).unwrap();
            assert_lines(
                &code,
                &[
                    (l.countdown, "n -= 1"),
                    (l.io_sleep.unwrap(), "time.sleep(0.1)   # releases the GIL"),
                    (l.io_countdown.unwrap(), "countdown(N // 1000)"),
                    (l.start, "w.start()"),
                    (l.join, "w.join()"),
                ],
            );
        }
        let quiet = code(&Settings { threads: 2, work: 1.0, mode: Mode::Gil, io_thread: false, interval_ms: 5 });
        let l = Lines::find(Code(&quiet), false).unwrap();
        assert_eq!((l.io_sleep, l.io_countdown), (None, None));
        // It imports only what it uses: `time` is for the I/O thread's sleeps.
        assert!(quiet.starts_with("import sys\n"), "{quiet}");
        assert!(code(&Settings {
            io_thread: true,
            ..Settings { threads: 2, work: 1.0, mode: Mode::Gil, io_thread: false, interval_ms: 5 }
        })
        .starts_with("import sys, time\n"));
    }
}
