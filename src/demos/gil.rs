//! Beazley's picture of the GIL, live: CPU-bound threads (and optionally an
//! I/O thread) taking turns, or running side by side without a GIL.

use super::{cpu_iterations, line_of, ms, start_and_join, RunContext};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::runtime::{GilMode, Process, Runner, SessionConfig, Thread};

pub const SPECS: &[Spec] = &[
    Spec {
        key: "threads",
        label: "CPU-bound threads",
        kind: Kind::Int { min: 1, max: 8 },
        default: "2",
        help: "Each runs countdown(n).",
    },
    Spec {
        key: "work",
        label: "CPU seconds each",
        kind: Kind::Numbers { min: 0.1, max: 10.0, max_len: 1 },
        default: "1",
        help: "How long one countdown takes alone.",
    },
    Spec {
        key: "mode",
        label: "Run them as",
        kind: Kind::Choice(&["gil", "free-threaded", "processes"]),
        default: "gil",
        help: "CPython with its GIL, free-threaded CPython (PEP 703), or processes.",
    },
    Spec {
        key: "io",
        label: "Add an I/O thread",
        kind: Kind::Flag,
        default: "0",
        help: "A thread that sleeps 0.1 s again and again, and needs the GIL each time it wakes.",
    },
    Spec {
        key: "interval",
        label: "sys.setswitchinterval (ms)",
        kind: Kind::Slider { min: 1, max: 50 },
        default: "5",
        help: "How long a waiting thread waits before it asks the holder to let go.",
    },
    SPEED,
];

pub fn code(params: &Params) -> String {
    let mode = params.choice("mode");
    let (import, make) = if mode == "processes" {
        ("from multiprocessing import Process", "Process(target=countdown, args=(N,))")
    } else {
        ("from threading import Thread", "Thread(target=countdown, args=(N,))")
    };
    let interval = params.int("interval");
    let io = if params.flag("io") {
        format!(
            "\n\ndef io_loop():\n    for _ in range({}):\n        time.sleep(0.1)   # releases the GIL\n        countdown(N // 1000)\n\nworkers.append(Thread(target=io_loop))",
            io_rounds(params)
        )
    } else {
        String::new()
    };
    format!(
        "import sys, time\n{import}\n\nsys.setswitchinterval({})\n\ndef countdown(n):\n    while n > 0:\n        n -= 1\n\nworkers = [{make} for _ in range({})]{io}\nfor w in workers:\n    w.start()\nfor w in workers:\n    w.join()",
        interval as f64 / 1000.0,
        params.int("threads"),
    )
}

/// Enough 0.1 s rounds for the I/O thread to outlast the CPU-bound work.
fn io_rounds(params: &Params) -> usize {
    ((params.seconds("work") * params.int("threads") as f64) / 0.1).ceil().max(1.0) as usize + 2
}

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let mode = params.choice("mode");
    let work = params.seconds("work");
    let source = ctx.code().to_owned();
    // Measured before the run's session starts, so it does not show in it.
    let n = cpu_iterations(ctx, work).await?;
    let gil = if mode == "free-threaded" { GilMode::FreeThreaded } else { GilMode::On };
    let session = ctx.session(
        "threads",
        SessionConfig { gil, switch_interval_ms: params.int("interval") as f64, ..SessionConfig::default() },
    );
    let program = Program::new(vec![Op::Line(line_of(&source, "n -= 1")), Op::Countdown { n }]);
    let mut workers: Vec<Runner> = (0..params.int("threads"))
        .map(|_| {
            if mode == "processes" {
                (*Process::new(&session, program.clone())).clone()
            } else {
                (*Thread::with_target(&session, "countdown", program.clone())).clone()
            }
        })
        .collect();
    if params.flag("io") {
        let (sleep_line, cpu_line) = (line_of(&source, "time.sleep(0.1)"), line_of(&source, "countdown(N // 1000)"));
        let ops = (0..io_rounds(params))
            .flat_map(|_| {
                [
                    Op::Line(sleep_line),
                    Op::Sleep { ms: ms(ctx, 0.1) },
                    Op::Line(cpu_line),
                    Op::Countdown { n: n / 1000 },
                ]
            })
            .collect();
        workers.push((*Thread::with_target(&session, "io_loop", Program::new(ops))).clone());
    }
    start_and_join(&session, &workers, mode != "processes", (&source, "w.start()", "w.join()")).await?;
    session.stop();
    Ok(())
}
