//! One thread per job, started by hand, against a pool of `max_workers`.

use super::{line_of, ms, start_and_join, RunContext};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program};
use crate::model::pyvalue::PyValue;
use crate::runtime::{Executor, Runner, SessionConfig, Thread};

pub const SPECS: &[Spec] = &[
    Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 16 }, default: "8", help: "" },
    Spec {
        key: "workers",
        label: "max_workers",
        kind: Kind::Int { min: 1, max: 8 },
        default: "3",
        help: "The pool never runs more threads than this.",
    },
    Spec {
        key: "work",
        label: "Seconds per job (I/O)",
        kind: Kind::Numbers { min: 0.05, max: 5.0, max_len: 1 },
        default: "1",
        help: "Each job sleeps, as a download would wait.",
    },
    SPEED,
];

pub fn code(params: &Params) -> String {
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
        secs = PyValue::Float(params.seconds("work")).repr(),
        jobs = params.int("jobs"),
        workers = params.int("workers"),
    )
}

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let secs = params.seconds("work");
    let jobs = params.int("jobs") as usize;
    let source = ctx.code().to_owned();
    let job = |n: usize| {
        Program::new(vec![
            Op::Line(line_of(&source, "time.sleep(")),
            Op::Sleep { ms: ms(ctx, secs) },
            Op::Line(line_of(&source, "print(f'job")),
            Op::Print(format!("job {n} done")),
            Op::Line(line_of(&source, "return n")),
        ])
    };

    let session = ctx.session("one thread per job", SessionConfig::default());
    let threads: Vec<Runner> = (0..jobs).map(|n| (*Thread::with_target(&session, "job", job(n))).clone()).collect();
    start_and_join(&session, &threads, true, (&source, "t.start()", "t.join()")).await?;
    session.main_line(line_of(&source, "{len(threads)}"));
    session.print(format!("{jobs} threads created"));
    session.stop();
    if ctx.is_stopped() {
        return Ok(());
    }

    let workers = params.int("workers") as usize;
    let session = ctx.session(&format!("ThreadPoolExecutor(max_workers={workers})"), SessionConfig::default());
    let pool = Executor::thread_pool(&session, Some(workers)).map_err(|e| e.to_string())?;
    session.main_line(line_of(&source, "executor.map"));
    let mut results = pool.map((0..jobs).map(job).collect()).map_err(|e| e.to_string())?;
    while let Some(result) = session.blocked(results.next()).await {
        result.map_err(|e| e.to_string())?;
    }
    session.blocked(pool.shutdown(true, false)).await;
    session.main_line(line_of(&source, "{len(executor._threads)}"));
    session.print(format!("{} threads created", pool.workers_started()));
    session.stop();
    Ok(())
}
