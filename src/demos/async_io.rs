//! Async I/O on one thread: tasks await sleeps beside a heartbeat drawn by
//! `requestAnimationFrame`; a blocking `time.sleep` freezes both, the same
//! sleep through `asyncio.to_thread` does not.

use futures::FutureExt;

use super::context::{Action, Code, RunContext};
use super::{no_note, Demo, View};
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
    code: |_, _| CODE.to_owned(),
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

const CODE: &str = "import asyncio, time

async def ticker(name, period):
    while True:
        print(f'{name} tick')
        await asyncio.sleep(period)

async def blocking():
    time.sleep(1)                         # blocks the loop's one thread

async def off_the_loop():
    await asyncio.to_thread(time.sleep, 1)   # a worker thread sleeps

async def main():
    tasks = [asyncio.create_task(ticker(f'task-{i}', 0.5 + i / 4)) for i in range(TASKS)]
    await asyncio.sleep(SECONDS)

asyncio.run(main())";

/// Where the lanes are lit in the code shown.
#[derive(Clone, Copy)]
struct Lines {
    tick: u32,
    sleep: u32,
    blocking: u32,
    to_thread: u32,
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            tick: code.line("tick')")?,
            sleep: code.line("await asyncio.sleep(period)")?,
            blocking: code.line("time.sleep(1) ")?,
            to_thread: code.line("to_thread(time.sleep, 1)")?,
        })
    }
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let lines = Lines::find(ctx.code())?;
    let session = ctx.session("MainThread and its helpers", SessionConfig::default());
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
                    while now() < deadline {
                        task_loop.session().main_line(lines.tick);
                        task_loop.print(format!("task-{i} tick"));
                        task_loop.session().main_line(lines.sleep);
                        task_loop.sleep(period).await;
                    }
                    Ok::<_, PyException>(PyValue::None)
                }));
            }
            // The buttons' requests, served on the loop like any other callback.
            while now() < deadline {
                for action in run_ctx.take_actions() {
                    match action {
                        Action::BlockingSleep => {
                            lp.session().main_line(lines.blocking);
                            lp.print("time.sleep(1) on the loop's thread");
                            lp.blocking_sleep(1.0);
                        }
                        Action::SleepInThread => {
                            let helper = lp.clone();
                            lp.create_task(async move {
                                helper.session().main_line(lines.to_thread);
                                helper.print("await asyncio.to_thread(time.sleep, 1)");
                                let sleep = Program::new(vec![Op::Sleep { ms: helper.session().ms(1.0) }]);
                                helper.to_thread(sleep).await
                            });
                        }
                    }
                }
                lp.sleep(0.05).await;
            }
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
        let l = Lines::find(Code(CODE)).unwrap();
        assert_lines(
            CODE,
            &[
                (l.tick, "print(f'{name} tick')"),
                (l.sleep, "await asyncio.sleep(period)"),
                (l.blocking, "time.sleep(1)                         # blocks the loop's one thread"),
                (l.to_thread, "await asyncio.to_thread(time.sleep, 1)   # a worker thread sleeps"),
            ],
        );
    }
}
