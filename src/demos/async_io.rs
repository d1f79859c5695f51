//! Async I/O on one thread: tasks await sleeps beside a heartbeat drawn by
//! `requestAnimationFrame`; a blocking `time.sleep` freezes both, the same
//! sleep through `asyncio.to_thread` does not.

use super::{line_of, RunContext};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::{PyException, PyValue};
use crate::runtime::{gather, EventLoop, SessionConfig};

pub const SPECS: &[Spec] = &[
    Spec { key: "tasks", label: "Tasks", kind: Kind::Int { min: 1, max: 6 }, default: "3", help: "" },
    Spec {
        key: "seconds",
        label: "Seconds the run lasts",
        kind: Kind::Int { min: 2, max: 30 },
        default: "6",
        help: "Use the buttons while it runs.",
    },
    SPEED,
];

/// What the heartbeat panel's buttons send to a running demo.
pub const HEARTBEAT_SPECS: [&str; 2] = ["blocking", "to_thread"];

pub const CODE: &str = "import asyncio, time

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

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let session = ctx.session("MainThread and its helpers", SessionConfig::default());
    let event_loop = EventLoop::new(&session);
    let source = ctx.code().to_owned();
    let tasks = params.int("tasks") as usize;
    let total = params.int("seconds") as f64;
    let inner = event_loop.clone();
    let run_ctx = ctx.clone();
    event_loop
        .run_until_complete(async move {
            let lp = inner;
            let deadline = crate::runtime::clock::now() + lp.session().ms(total);
            let mut handles = Vec::new();
            for i in 0..tasks {
                let task_loop = lp.clone();
                let print_line = line_of(&source, "tick')");
                let sleep_line = line_of(&source, "await asyncio.sleep(period)");
                handles.push(lp.create_task(async move {
                    let period = 0.5 + i as f64 / 4.0;
                    while crate::runtime::clock::now() < deadline {
                        task_loop.session().main_line(print_line);
                        task_loop.print(format!("task-{i} tick"));
                        task_loop.session().main_line(sleep_line);
                        task_loop.sleep(period).await;
                    }
                    Ok::<_, PyException>(PyValue::None)
                }));
            }
            // The buttons' requests, served on the loop like any other callback.
            while crate::runtime::clock::now() < deadline {
                for action in run_ctx.take_actions() {
                    match action.as_str() {
                        "blocking" => {
                            lp.session().main_line(line_of(&source, "time.sleep(1)"));
                            lp.print("time.sleep(1) on the loop's thread");
                            lp.blocking_sleep(1.0);
                        }
                        "to_thread" => {
                            let helper = lp.clone();
                            let line = line_of(&source, "to_thread(time.sleep, 1)");
                            lp.create_task(async move {
                                helper.session().main_line(line);
                                helper.print("await asyncio.to_thread(time.sleep, 1)");
                                let sleep = Program::new(vec![Op::Sleep { ms: helper.session().ms(1.0) }]);
                                helper.to_thread(sleep).await
                            });
                        }
                        _ => {}
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
