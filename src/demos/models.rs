//! The same jobs three ways: threads under the GIL, processes, asyncio tasks.
//! The title slide races them too (`title.rs`), with its own defaults.

use futures::FutureExt;

use super::context::{countdown_n, cpu_iterations, start_and_join, Code, RunContext};
use super::demo::{no_note, Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::runtime::{gather, EventLoop, Process, Runner, SessionConfig, Thread};

pub const DEMO: Demo = Demo {
    name: "models",
    heading: "The same jobs, three ways",
    intro: "With I/O-bound jobs all three overlap; with CPU-bound jobs only processes get faster, \
            threads take about as long as one after another, and asyncio stays on one lane.",
    specs: SPECS,
    code: |_, params| code(&Settings::read(params)),
    note: no_note,
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View { panels: 3, ..View::RUNS },
};

pub const KIND: Spec = Spec {
    key: "kind",
    label: "Jobs are",
    kind: Kind::Choice(&["cpu", "io"]),
    default: "cpu",
    help: "cpu: countdown(N); io: time.sleep(S).",
};
pub const JOBS: Spec = Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 8 }, default: "4", help: "" };
pub const WORK: Spec = Spec {
    key: "work",
    label: "Seconds per job",
    kind: Kind::Numbers { min: 0.05, max: 5.0, max_len: 1 },
    default: "0.5",
    help: "How long one job takes alone.",
};

const SPECS: &[Spec] = &[KIND, JOBS, WORK, SPEED];

/// The parameters, read once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub cpu: bool,
    pub jobs: usize,
    pub work: f64,
}

impl Settings {
    pub fn read(params: &Params) -> Settings {
        Settings {
            cpu: params.choice(KIND.key) != "io",
            jobs: params.int(JOBS.key).max(1) as usize,
            work: params.seconds(WORK.key),
        }
    }
}

pub fn code(settings: &Settings) -> String {
    let s = PyValue::Float(settings.work).repr();
    let (setup, job, task) = if settings.cpu {
        (
            format!(
                "N = {}          # about {s} s for CPython at 36M loops/s\n\ndef countdown(n):\n    while n > 0:\n        n -= 1\n\n",
                countdown_n(settings.work)
            ),
            "    countdown(N)                 # CPU-bound".to_owned(),
            "    countdown(N)                 # never awaits".to_owned(),
        )
    } else {
        (
            String::new(),
            format!("    time.sleep({s})              # I/O-bound"),
            format!("    await asyncio.sleep({s})"),
        )
    };
    format!(
        "import asyncio, multiprocessing, threading, time\n\n{setup}def job():\n{job}\n\nasync def task():\n{task}\n\n\
         def run_all(kind):\n    workers = [kind(target=job) for _ in range({jobs})]\n    for w in workers: w.start()\n    \
         for w in workers: w.join()\n\nasync def main():\n    await asyncio.gather(*(task() for _ in range({jobs})))\n\n\
         if __name__ == '__main__':\n    run_all(threading.Thread)\n    run_all(multiprocessing.Process)\n    asyncio.run(main())",
        jobs = settings.jobs,
    )
}

/// Where the lanes are lit in the code shown.
struct Lines {
    job: u32,
    task: u32,
    start: u32,
    join: u32,
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            job: code.line("def job")? + 1,
            task: code.line("async def task")? + 1,
            start: code.line("w.start()")?,
            join: code.line("w.join()")?,
        })
    }
}

pub async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let Settings { cpu, jobs, work } = *settings;
    let lines = Lines::find(ctx.code())?;
    let op = if cpu { Op::Countdown { n: cpu_iterations(ctx, work).await? } } else { Op::Sleep { ms: ctx.ms(work) } };
    let program = Program::new(vec![Op::Line(lines.job), op]);

    for (label, process) in [("threads (threading.Thread)", false), ("processes (multiprocessing.Process)", true)] {
        ctx.check()?;
        let session = ctx.session_doing(label, SessionConfig::default(), Some(work * jobs as f64));
        let workers: Vec<Runner> = (0..jobs)
            .map(|_| {
                if process {
                    (*Process::new(&session, program.clone())).clone()
                } else {
                    (*Thread::with_target(&session, "job", program.clone())).clone()
                }
            })
            .collect();
        start_and_join(ctx, &session, &workers, !process, (lines.start, lines.join)).await?;
        session.stop();
    }

    ctx.check()?;
    let session = ctx.session_doing("asyncio tasks", SessionConfig::default(), Some(work * jobs as f64));
    let event_loop = EventLoop::new(&session);
    let inner = event_loop.clone();
    let task_line = lines.task;
    event_loop
        .run_until_complete(async move {
            let tasks: Vec<_> = (0..jobs)
                .map(|_| {
                    let lp = inner.clone();
                    inner.create_task(async move {
                        lp.session().main_line(task_line);
                        if cpu {
                            lp.compute(work);
                        } else {
                            lp.sleep(work).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;

    #[test]
    fn lit_lines_point_at_their_statements() {
        for (cpu, work) in [(true, 0.5), (false, 2.0)] {
            let code = code(&Settings { cpu, jobs: 3, work });
            let lines = Lines::find(Code(&code)).unwrap();
            let (job, task) = if cpu {
                ("countdown(N)                 # CPU-bound", "countdown(N)                 # never awaits")
            } else {
                ("time.sleep(2.0)              # I/O-bound", "await asyncio.sleep(2.0)")
            };
            assert_lines(
                &code,
                &[
                    (lines.job, job),
                    (lines.task, task),
                    (lines.start, "for w in workers: w.start()"),
                    (lines.join, "for w in workers: w.join()"),
                ],
            );
        }
    }
}
