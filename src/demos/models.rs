//! The same jobs three ways: threads under the GIL, processes, asyncio tasks.

use super::{cpu_iterations, line_of, ms, start_and_join, RunContext};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::runtime::{gather, EventLoop, Process, Runner, SessionConfig, Thread};

const KIND: Spec = Spec {
    key: "kind",
    label: "Jobs are",
    kind: Kind::Choice(&["cpu", "io"]),
    default: "cpu",
    help: "cpu: countdown(N); io: time.sleep(S).",
};
const WORK: Spec = Spec {
    key: "work",
    label: "Seconds per job",
    kind: Kind::Numbers { min: 0.05, max: 5.0, max_len: 1 },
    default: "0.5",
    help: "How long one job takes alone.",
};

pub const SPECS: &[Spec] = &[
    KIND,
    Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 8 }, default: "4", help: "" },
    WORK,
    SPEED,
];

pub const TITLE_SPECS: &[Spec] = &[
    KIND,
    Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 8 }, default: "2", help: "" },
    WORK,
    Spec { default: "500", ..SPEED },
];

pub fn code(params: &Params) -> String {
    let cpu = params.choice("kind") != "io";
    let s = PyValue::Float(params.seconds("work")).repr();
    let (job, task) = if cpu {
        (
            "    countdown(N)                 # CPU-bound".to_owned(),
            "    countdown(N)                 # never awaits".to_owned(),
        )
    } else {
        (format!("    time.sleep({s})              # I/O-bound"), format!("    await asyncio.sleep({s})"))
    };
    format!(
        "import asyncio, multiprocessing, threading, time\n\ndef job():\n{job}\n\nasync def task():\n{task}\n\n\
         def run_all(kind):\n    workers = [kind(target=job) for _ in range({jobs})]\n    for w in workers: w.start()\n    \
         for w in workers: w.join()\n\nasync def main():\n    await asyncio.gather(*(task() for _ in range({jobs})))\n\n\
         run_all(threading.Thread)\nrun_all(multiprocessing.Process)\nasyncio.run(main())",
        jobs = params.int("jobs"),
    )
}

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let cpu = params.choice("kind") != "io";
    let secs = params.seconds("work");
    let jobs = params.int("jobs") as usize;
    let source = ctx.code().to_owned();
    let job_line = line_of(&source, "def job") + 1;
    let op = if cpu { Op::Countdown { n: cpu_iterations(ctx, secs).await? } } else { Op::Sleep { ms: ms(ctx, secs) } };
    let program = Program::new(vec![Op::Line(job_line), op]);

    for (label, process) in [("threads (threading.Thread)", false), ("processes (multiprocessing.Process)", true)] {
        if ctx.is_stopped() {
            return Ok(());
        }
        let session = ctx.session(label, SessionConfig::default());
        let workers: Vec<Runner> = (0..jobs)
            .map(|_| {
                if process {
                    (*Process::new(&session, program.clone())).clone()
                } else {
                    (*Thread::with_target(&session, "job", program.clone())).clone()
                }
            })
            .collect();
        start_and_join(&session, &workers, !process, (&source, "w.start()", "w.join()")).await?;
        session.stop();
    }

    if ctx.is_stopped() {
        return Ok(());
    }
    let session = ctx.session_doing("asyncio tasks", SessionConfig::default(), Some(secs * jobs as f64));
    let event_loop = EventLoop::new(&session);
    let task_line = line_of(&source, "async def task") + 1;
    let inner = event_loop.clone();
    event_loop
        .run_until_complete(async move {
            let tasks: Vec<_> = (0..jobs)
                .map(|_| {
                    let lp = inner.clone();
                    inner.create_task(async move {
                        lp.session().main_line(task_line);
                        if cpu {
                            lp.compute(secs);
                        } else {
                            lp.sleep(secs).await;
                        }
                        Ok(PyValue::None)
                    })
                })
                .collect();
            gather(&tasks).await
        })
        .await
        .map_err(|e| e.to_string())?;
    session.stop();
    Ok(())
}
