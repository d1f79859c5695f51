//! The classical example: two `MyThread`s, started then joined, sleeping as
//! CPython's seeded `random` makes them.

use super::{ms, RunContext};
use crate::model::classical::{schedule, thread_name};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::runtime::clock::now;
use crate::runtime::{SessionConfig, Thread};

pub const SPECS: &[Spec] = &[
    Spec {
        key: "seed",
        label: "random.seed",
        kind: Kind::Int { min: 0, max: 1_000_000_000 },
        default: "1",
        help: "The same seed gives the same sleeps as CPython after random.seed(n).",
    },
    SPEED,
];

// Lines of the slide's program.
const PRINT: u32 = 9;
const SLEEP: u32 = 10;
const START: [u32; 2] = [13, 15];
const JOIN: [u32; 2] = [16, 17];
/// Time to send both programs before the first line is due.
const START_MARGIN_MS: f64 = 20.0;
/// How far the second thread runs behind the first: more than a timer's jitter.
const STAGGER_MS: f64 = 4.0;

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let session = ctx.session("threads", SessionConfig::default());
    let run = schedule(i128::from(params.int("seed")), 2, 10);
    let names: Vec<String> = (0..2).map(thread_name).collect();
    let threads: Vec<Thread> =
        names.iter().map(|name| Thread::with_name(&session, name.clone(), Program::default())).collect();
    // CPython starts a thread in microseconds; a worker takes milliseconds.
    // Start the workers first, so the two threads begin together as in CPython.
    for thread in &threads {
        thread.prepare().await.map_err(|e| e.to_string())?;
    }
    // Each line is due at a Python time; sleeping until it (rather than for a
    // while) keeps timer overheads from adding up over twenty sleeps. The second
    // thread runs a hair behind the first, as it starts second in CPython.
    let t0 = now() + START_MARGIN_MS;
    for (t, thread) in threads.iter().enumerate() {
        {
            let offset = t0 + t as f64 * STAGGER_MS;
            let mut ops = Vec::new();
            for due in run.iter().filter(|d| d.thread == t) {
                ops.push(Op::SleepUntil { at_ms: offset + ms(ctx, due.at as f64) });
                ops.push(Op::Line(PRINT));
                ops.push(Op::Print(due.text.clone()));
                ops.push(Op::Line(SLEEP));
            }
            let last = run.iter().rfind(|d| d.thread == t).map_or(0.0, |d| (d.at + d.sleep) as f64);
            ops.push(Op::SleepUntil { at_ms: offset + ms(ctx, last) });
            thread.set_program(Program::new(ops));
        }
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(START[t]);
        thread.start().map_err(|e| e.to_string())?;
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(JOIN[t]);
        thread.join().await.map_err(|e| e.to_string())?;
    }
    session.stop();
    Ok(())
}
