//! Async I/O on one thread: tasks await sleeps beside a heartbeat drawn by
//! `requestAnimationFrame`; a blocking `time.sleep` freezes both, the same
//! sleep through `asyncio.to_thread` does not.

use futures::FutureExt;

use super::context::{warm_up, Action, Code, RunContext};
use super::demo::{no_note, Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::{PyException, PyValue};
use crate::runtime::clock::now;
use crate::runtime::{gather, EventLoop, SessionConfig};

pub const DEMO: Demo = Demo {
    name: "async-io",
    heading: "One thread, many tasks",
    intro: "The heartbeat is drawn by requestAnimationFrame on the page's one thread, beside asyncio tasks. \
            A blocking time.sleep freezes both; the same sleep through to_thread does not.",
    specs: SPECS,
    code: |_, params| code(&Settings::read(params)),
    note: no_note,
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    // The run lasts as long as asked: a speedup would mean nothing.
    view: View { heartbeat: true, speedup: false, ..View::RUNS },
};

const TASKS: Spec = Spec { key: "tasks", label: "Tasks", kind: Kind::Int { min: 1, max: 6 }, default: "3", help: "" };
const SECONDS: Spec = Spec {
    key: "seconds",
    label: "Seconds the run lasts",
    kind: Kind::Int { min: 2, max: 30 },
    default: "6",
    help: "Use the buttons while it runs.",
};
const SPECS: &[Spec] = &[TASKS, SECONDS, SPEED];

#[derive(Debug, Clone, Copy, PartialEq)]
struct Settings {
    tasks: usize,
    seconds: f64,
}

impl Settings {
    fn read(params: &Params) -> Settings {
        Settings { tasks: params.int(TASKS.key).max(1) as usize, seconds: params.int(SECONDS.key) as f64 }
    }
}

/// The program: tickers on the loop for `seconds`; the buttons add one of
/// the two sleepers as a task while it runs.
fn code(settings: &Settings) -> String {
    format!(
        "import asyncio, time

async def ticker(name, period):
    while True:
        print(f'{{name}} tick')
        await asyncio.sleep(period)

async def blocking():
    print('time.sleep(1) on the loop')
    time.sleep(1)                         # blocks the loop's one thread

async def off_the_loop():
    print('await asyncio.to_thread(time.sleep, 1)')
    await asyncio.to_thread(time.sleep, 1)   # a worker thread sleeps

async def main():
    tasks = [asyncio.create_task(ticker(f'task-{{i}}', 0.5 + i / 4)) for i in range({tasks})]
    # Each button press adds asyncio.create_task(blocking()) or
    # asyncio.create_task(off_the_loop()) while main sleeps.
    await asyncio.sleep({seconds})

asyncio.run(main())   # cancels the tickers once main returns",
        tasks = settings.tasks,
        seconds = settings.seconds as i64,
    )
}

/// Where the lanes are lit in the code shown.
#[derive(Clone, Copy)]
struct Lines {
    tick: u32,
    sleep: u32,
    blocking: u32,
    to_thread: u32,
    blocking_print: u32,
    to_thread_print: u32,
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            tick: code.line("tick')")?,
            sleep: code.line("await asyncio.sleep(period)")?,
            blocking: code.line("time.sleep(1)  ")?,
            to_thread: code.line("await asyncio.to_thread(time.sleep, 1)  ")?,
            blocking_print: code.line("print('time.sleep(1)")?,
            to_thread_print: code.line("print('await asyncio.to_thread")?,
        })
    }
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let lines = Lines::find(ctx.code())?;
    let session = ctx.session("MainThread and its helpers", SessionConfig::default());
    // The default executor's thread (for to_thread) starts as fast as CPython's.
    warm_up(ctx, &session, 1).await?;
    let event_loop = EventLoop::new(&session);
    let Settings { tasks, seconds } = *settings;
    let inner = event_loop.clone();
    let run_ctx = ctx.clone();
    event_loop
        .run_until_complete(async move {
            let lp = inner;
            let deadline = now() + lp.session().ms(seconds);
            let mut handles = Vec::new();
            for i in 0..tasks {
                let task_loop = lp.clone();
                handles.push(lp.create_task(async move {
                    let period = 0.5 + i as f64 / 4.0;
                    // When this tick is due, in Python seconds from the start:
                    // CPython's sleeps never end early, so neither is a tick
                    // taken to have come before it (a browser's timer may fire
                    // a little before its time by the page's clock).
                    let mut due = 0.0;
                    // asyncio.run cancels the tickers when main returns at the
                    // deadline: a sleep that would end later, or with it (main's
                    // sleep began first), is cut there.
                    loop {
                        task_loop.session().main_line(lines.tick);
                        task_loop.print(format!("task-{i} tick"));
                        task_loop.session().main_line(lines.sleep);
                        let at = (seconds - (deadline - now()) / task_loop.session().ms(1.0)).max(due);
                        let left = seconds - at;
                        if left <= period {
                            task_loop.sleep(left.max(0.0)).await;
                            break;
                        }
                        due = at + period;
                        task_loop.sleep(period).await;
                    }
                    Ok::<_, PyException>(PyValue::None)
                }));
            }
            // Each button press creates its task on the loop as it comes, as
            // `loop.call_soon_threadsafe(asyncio.create_task, blocking())`
            // would: main itself only sleeps.
            let serving = lp.clone();
            let _served = run_ctx.serve_actions(move |action| {
                let task_loop = serving.clone();
                match action {
                    Action::BlockingSleep => serving.create_task(async move {
                        task_loop.session().main_line(lines.blocking_print);
                        task_loop.print("time.sleep(1) on the loop");
                        task_loop.session().main_line(lines.blocking);
                        task_loop.blocking_sleep(1.0);
                        Ok(PyValue::None)
                    }),
                    Action::SleepInThread => serving.create_task(async move {
                        task_loop.session().main_line(lines.to_thread_print);
                        task_loop.print("await asyncio.to_thread(time.sleep, 1)");
                        task_loop.session().main_line(lines.to_thread);
                        let sleep = Program::new(vec![Op::Sleep { ms: task_loop.session().ms(1.0) }]);
                        task_loop.to_thread(sleep).await
                    }),
                };
            });
            let left = (deadline - now()) / lp.session().ms(1.0);
            lp.sleep(left.max(0.0)).await;
            gather(&handles).await
        })
        .await
        .map_err(|e| e.to_string())?;
    session.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;

    #[test]
    fn lit_lines_point_at_their_statements() {
        let code = code(&Settings { tasks: 3, seconds: 6.0 });
        let l = Lines::find(Code(&code)).unwrap();
        assert_lines(
            &code,
            &[
                (l.tick, "print(f'{name} tick')"),
                (l.sleep, "await asyncio.sleep(period)"),
                (l.blocking_print, "print('time.sleep(1) on the loop')"),
                (l.blocking, "time.sleep(1)                         # blocks the loop's one thread"),
                (l.to_thread_print, "print('await asyncio.to_thread(time.sleep, 1)')"),
                (l.to_thread, "await asyncio.to_thread(time.sleep, 1)   # a worker thread sleeps"),
            ],
        );
        assert!(code.contains("for i in range(3)]") && code.contains("await asyncio.sleep(6)"));
    }
}
