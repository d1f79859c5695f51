//! The classical example: two `MyThread`s, started then joined, sleeping as
//! CPython's seeded `random` makes them.

use futures::FutureExt;

use super::context::{Code, RunContext};
use super::{no_note, slide_code, Demo, View};
use crate::model::classical::{schedule, thread_name};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::runtime::clock::now;
use crate::runtime::{SessionConfig, Thread};

pub const DEMO: Demo = Demo {
    name: "classical",
    heading: "Two MyThreads",
    intro: "The slide's program: two threads printing and sleeping randint(1, 3) seconds, seeded as random.seed(n).",
    specs: SPECS,
    code: slide_code,
    note: no_note,
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View { grid_seconds: Some(1.0), ..View::RUNS },
};

const SEED: Spec = Spec {
    key: "seed",
    label: "random.seed",
    kind: Kind::Int { min: 0, max: 1_000_000_000 },
    default: "1",
    help: "The same seed gives the same sleeps as CPython after random.seed(n).",
};
const SPECS: &[Spec] = &[SEED, SPEED];

#[derive(Debug, Clone, Copy, PartialEq)]
struct Settings {
    seed: i64,
}

impl Settings {
    fn read(params: &Params) -> Settings {
        Settings { seed: params.int(SEED.key) }
    }
}

/// Where the lanes are lit in the slide's program.
struct Lines {
    print: u32,
    sleep: u32,
    start: [u32; 2],
    join: [u32; 2],
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            print: code.line("print(")?,
            sleep: code.line("sleep(randint")?,
            start: [code.line("thread.start()")?, code.line("thread2.start()")?],
            join: [code.line("thread.join()")?, code.line("thread2.join()")?],
        })
    }
}

/// Time to send both programs before the first line is due.
const START_MARGIN_MS: f64 = 20.0;
/// How far the second thread runs behind the first: more than a timer's jitter.
const STAGGER_MS: f64 = 4.0;

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let lines = Lines::find(ctx.code())?;
    let session = ctx.session("threads", SessionConfig::default());
    let run = schedule(i128::from(settings.seed), 2, 10);
    let threads: Vec<Thread> =
        (0..2).map(|t| Thread::with_name(&session, thread_name(t), Program::default())).collect();
    // CPython starts a thread in microseconds; a worker takes milliseconds.
    // Start the workers first, so the two threads begin together as in CPython.
    for thread in &threads {
        thread.prepare().await.map_err(|e| e.to_string())?;
        ctx.check()?;
    }
    // Each line is due at a Python time; sleeping until it (rather than for a
    // while) keeps timer overheads from adding up over twenty sleeps. The second
    // thread runs a hair behind the first, as it starts second in CPython.
    let t0 = now() + START_MARGIN_MS;
    for (t, thread) in threads.iter().enumerate() {
        let offset = t0 + t as f64 * STAGGER_MS;
        let mut ops = Vec::new();
        for due in run.iter().filter(|d| d.thread == t) {
            ops.push(Op::SleepUntil { at_ms: offset + ctx.ms(due.at as f64) });
            ops.push(Op::Line(lines.print));
            ops.push(Op::Print(due.text.clone()));
            ops.push(Op::Line(lines.sleep));
        }
        let last = run.iter().rfind(|d| d.thread == t).map_or(0.0, |d| (d.at + d.sleep) as f64);
        ops.push(Op::SleepUntil { at_ms: offset + ctx.ms(last) });
        thread.set_program(Program::new(ops));
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(lines.start[t]);
        thread.start().map_err(|e| e.to_string())?;
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(lines.join[t]);
        thread.join().await.map_err(|e| e.to_string())?;
    }
    session.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;
    use crate::demos::tests::slide_code_of;

    #[test]
    fn lit_lines_point_at_their_statements() {
        let code = slide_code_of(DEMO.name).expect("the classical slide shows its program");
        let l = Lines::find(Code(&code)).unwrap();
        assert_lines(
            &code,
            &[
                (l.print, "print('%s: %3d' % (self.name, i))"),
                (l.sleep, "sleep(randint(1, 3))"),
                (l.start[0], "thread.start()"),
                (l.start[1], "thread2.start()"),
                (l.join[0], "thread.join()"),
                (l.join[1], "thread2.join()"),
            ],
        );
    }
}
