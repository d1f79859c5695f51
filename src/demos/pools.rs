//! One thread per job, started by hand, against a pool of `max_workers`.

use futures::FutureExt;

use super::context::{start_and_join, warm_up, Code, RunContext};
use super::demo::{no_note, Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::runtime::{Executor, Runner, SessionConfig, Thread};

pub const DEMO: Demo = Demo {
    name: "pools",
    heading: "Threads by hand or a pool",
    intro: "One thread per job, started and joined by hand, against a pool of max_workers that reuses its threads.",
    specs: SPECS,
    code: |_, params| code(&Settings::read(params)),
    note: no_note,
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View { panels: 2, ..View::RUNS },
};

const JOBS: Spec = Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 16 }, default: "8", help: "" };
const WORKERS: Spec = Spec {
    key: "workers",
    label: "max_workers",
    kind: Kind::Int { min: 1, max: 8 },
    default: "3",
    help: "The pool never runs more threads than this.",
};
const WORK: Spec = Spec {
    key: "work",
    label: "Seconds per job (I/O)",
    kind: Kind::Numbers { min: 0.05, max: 5.0, max_len: 1 },
    default: "1",
    help: "Each job sleeps, as a download would wait.",
};
const SPECS: &[Spec] = &[JOBS, WORKERS, WORK, SPEED];

#[derive(Debug, Clone, Copy, PartialEq)]
struct Settings {
    jobs: usize,
    workers: usize,
    work: f64,
}

impl Settings {
    fn read(params: &Params) -> Settings {
        Settings {
            jobs: params.int(JOBS.key).max(1) as usize,
            workers: params.int(WORKERS.key).max(1) as usize,
            work: params.seconds(WORK.key),
        }
    }
}

fn code(settings: &Settings) -> String {
    format!(
        "import threading, time
from concurrent.futures import ThreadPoolExecutor

def job(n):
    time.sleep({secs})
    print(f'job {{n}} done')
    return n

# 1. Classical: one thread per job, started and joined by hand
threads = [threading.Thread(target=job, args=(n,)) for n in range({jobs})]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f'{{len(threads)}} threads created')

# 2. A pool: at most max_workers threads, started as needed and reused
with ThreadPoolExecutor(max_workers={workers}) as executor:
    results = list(executor.map(job, range({jobs})))
print(f'{{len(executor._threads)}} threads created')",
        secs = PyValue::Float(settings.work).repr(),
        jobs = settings.jobs,
        workers = settings.workers,
    )
}

/// Where the lanes are lit in the code shown.
struct Lines {
    sleep: u32,
    print: u32,
    ret: u32,
    start: u32,
    join: u32,
    threads_created: u32,
    map: u32,
    pool_threads_created: u32,
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            sleep: code.line("time.sleep(")?,
            print: code.line("print(f'job")?,
            ret: code.line("return n")?,
            start: code.line("t.start()")?,
            join: code.line("t.join()")?,
            threads_created: code.line("{len(threads)}")?,
            map: code.line("executor.map")?,
            pool_threads_created: code.line("{len(executor._threads)}")?,
        })
    }
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let Settings { jobs, workers, work } = *settings;
    let lines = Lines::find(ctx.code())?;
    let job = |n: usize| {
        Program::new(vec![
            Op::Line(lines.sleep),
            Op::Sleep { ms: ctx.ms(work) },
            Op::Line(lines.print),
            Op::Print(format!("job {n} done")),
            Op::Line(lines.ret),
        ])
    };

    let session = ctx.session_doing("one thread per job", SessionConfig::default(), Some(work * jobs as f64));
    let threads: Vec<Runner> = (0..jobs).map(|n| (*Thread::with_target(&session, "job", job(n))).clone()).collect();
    start_and_join(ctx, &session, &threads, true, (lines.start, lines.join)).await?;
    session.main_line(lines.threads_created);
    session.print(format!("{jobs} threads created"));
    session.stop();
    ctx.check()?;

    let threads = if workers == 1 { "1 thread".to_owned() } else { format!("{workers} threads") };
    let label = format!("a pool of {threads} (ThreadPoolExecutor(max_workers={workers}))");
    let session = ctx.session_doing(&label, SessionConfig::default(), Some(work * jobs as f64));
    warm_up(ctx, &session, workers.min(jobs)).await?;
    let pool = Executor::thread_pool(&session, Some(workers)).map_err(|e| e.to_string())?;
    session.main_line(lines.map);
    let mut results = pool.map((0..jobs).map(job).collect()).map_err(|e| e.to_string())?;
    while let Some(result) = session.blocked(results.next()).await {
        result.map_err(|e| e.to_string())?;
    }
    session.blocked(pool.shutdown(true, false)).await;
    session.main_line(lines.pool_threads_created);
    session.print(format!("{} threads created", pool.workers_started()));
    session.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;

    #[test]
    fn lit_lines_point_at_their_statements() {
        let code = code(&Settings { jobs: 4, workers: 2, work: 0.5 });
        let l = Lines::find(Code(&code)).unwrap();
        assert_lines(
            &code,
            &[
                (l.sleep, "time.sleep(0.5)"),
                (l.print, "print(f'job {n} done')"),
                (l.ret, "return n"),
                (l.start, "t.start()"),
                (l.join, "t.join()"),
                (l.threads_created, "print(f'{len(threads)} threads created')"),
                (l.map, "results = list(executor.map(job, range(4)))"),
                (l.pool_threads_created, "print(f'{len(executor._threads)} threads created')"),
            ],
        );
    }
}
