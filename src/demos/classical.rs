//! The classical example: two `MyThread`s, started then joined. Each draws its
//! sleeps from the run's one `random` (seeded as `random.seed(n)`) when it
//! wakes, as CPython's threads share the module's generator: the transcript
//! comes out of the run, in the order the threads wake.

use futures::FutureExt;

use super::context::{Code, RunContext};
use super::demo::{no_note, slide_code, Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::{percent_format, PyValue};
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

/// Time to send both programs before the threads begin, and for the page to
/// answer their first draws from `random` (asked for meanwhile) while it draws
/// the run's first frames: with 20 ms, the answers came 5-10 ms after the
/// threads began at times, and they waited for them. Not Python time.
const START_MARGIN_MS: f64 = 100.0;

/// `MyThread.run`: ten lines, each followed by `sleep(randint(1, 3))` drawn
/// from the run's one `random` when the thread gets there.
fn my_thread_run(name: &str, begin_ms: f64, ms_per_second: f64, lines: &Lines) -> Program {
    let mut ops = vec![Op::SleepUntil { at_ms: begin_ms }];
    for i in 0..10 {
        let text = percent_format("%s: %3d", &[PyValue::Str(name.to_owned()), PyValue::Int(i)]).unwrap_or_default();
        ops.push(Op::Line(lines.print));
        ops.push(Op::Print(text));
        ops.push(Op::Line(lines.sleep));
        ops.push(Op::SleepRandint { lo: 1, hi: 3, ms_per_second });
    }
    Program::new(ops)
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let lines = Lines::find(ctx.code())?;
    let session = ctx.session("threads", SessionConfig::default());
    session.seed_random(i128::from(settings.seed));
    let threads: Vec<Thread> = (0..2).map(|_| Thread::new(&session, Program::default())).collect();
    // CPython starts a thread in microseconds; a worker takes milliseconds.
    // Start the workers first, so the two threads begin together as in CPython.
    for thread in &threads {
        thread.prepare().await.map_err(|e| e.to_string())?;
        ctx.check()?;
    }
    // Both threads begin at one instant. Where both are due at once, the
    // session serves their draws in start order, as CPython's threads wake,
    // and the console lists their lines so (its grid of whole seconds).
    // CPython's program begins then too: the margin for handing the threads
    // their programs is not Python time.
    let begin = now() + START_MARGIN_MS;
    session.begin_at(begin);
    for thread in &threads {
        thread.set_program(my_thread_run(thread.name(), begin, ctx.ms_per_second(), &lines));
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(lines.start[t]);
        thread.start().map_err(|e| e.to_string())?;
    }
    for (t, thread) in threads.iter().enumerate() {
        session.main_line(lines.join[t]);
        thread.join().await.map_err(|e| e.to_string())?;
        if let Some(Err(exception)) = thread.outcome() {
            return Err(format!("{} raised {exception}", thread.name()));
        }
    }
    session.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;
    use crate::demos::context::tests::slide_code_of;

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

    #[test]
    fn my_thread_prints_ten_lines_each_followed_by_a_drawn_sleep() {
        let code = slide_code_of(DEMO.name).expect("the classical slide shows its program");
        let lines = Lines::find(Code(&code)).unwrap();
        let program = my_thread_run("Thread-2", 100.0, 250.0, &lines);
        assert_eq!(program.ops.first(), Some(&Op::SleepUntil { at_ms: 100.0 }));
        let printed: Vec<&str> = program
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Print(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(printed.len(), 10);
        assert_eq!((printed[0], printed[9]), ("Thread-2:   0", "Thread-2:   9"));
        let sleeps = program.ops.iter().filter(|op| **op == Op::SleepRandint { lo: 1, hi: 3, ms_per_second: 250.0 });
        assert_eq!(sleeps.count(), 10, "no sleep is drawn ahead of the run");
    }
}
