//! The asyncio slide's program, run on the page's event loop.

use futures::FutureExt;

use super::context::{Code, RunContext};
use super::demo::{Demo, View};
use crate::model::params::{Kind, Spec, SPEED};
use crate::model::pyvalue::{PyException, PyValue};
use crate::runtime::{gather, EventLoop, SessionConfig};

pub const DEMO: Demo = Demo {
    name: "asyncio",
    heading: "The asyncio example",
    intro: "The slide's program: every task runs on MainThread, and the total is near the longest sleep, not the sum.",
    specs: SPECS,
    code: |slide_code, params| code(slide_code, &params.numbers(JOBS.key)),
    note: |_| Some(NOTE),
    run: |ctx, params| async move { run(&ctx, params.numbers(JOBS.key)).await }.boxed_local(),
    view: View::RUNS,
};

const JOBS: Spec = Spec {
    key: "jobs",
    label: "Sleep times (s)",
    kind: Kind::Numbers { min: 0.0, max: 30.0, max_len: 12 },
    default: "5, 2, 1, 3",
    help: "The list passed to process(); ints and floats print as Python prints them.",
};
const SPECS: &[Spec] = &[JOBS, SPEED];

const NOTE: &str = "Current Python deprecates `get_event_loop()` outside a running loop; \
the modern form of the last lines is `result = asyncio.run(process(jobs))`, with \
`loop = asyncio.get_running_loop()` inside `process()`.";

/// The slide's program with this run's job list in its `process([...], loop)` call.
fn code(slide_code: Option<&str>, jobs: &[PyValue]) -> String {
    let Some(code) = slide_code else {
        return String::new();
    };
    let list = PyValue::List(jobs.to_vec()).repr();
    let call = "process([";
    match code.find(call).and_then(|at| code[at..].find(']').map(|end| (at + call.len() - 1, at + end + 1))) {
        Some((from, to)) => format!("{}{list}{}", &code[..from], &code[to..]),
        None => code.to_owned(),
    }
}

/// Where the lanes are lit in the slide's program.
#[derive(Clone, Copy)]
struct Lines {
    fetch_print: u32,
    fetch_sleep: u32,
    fetch_done: u32,
    adding: u32,
    gather: u32,
    results: u32,
}

impl Lines {
    fn find(code: Code) -> Result<Lines, String> {
        Ok(Lines {
            fetch_print: code.line("is sleeping for")?,
            fetch_sleep: code.line("await sleep(")?,
            fetch_done: code.line("finished')")?,
            adding: code.line("Adding process")?,
            gather: code.line("await gather(")?,
            results: code.line("Result for job")?,
        })
    }
}

/// `sleeptime * 2`, keeping an int an int.
fn doubled(value: &PyValue) -> PyValue {
    match value {
        PyValue::Int(n) => PyValue::Int(n * 2),
        PyValue::Float(f) => PyValue::Float(f * 2.0),
        other => other.clone(),
    }
}

fn seconds(value: &PyValue) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

async fn run(ctx: &RunContext, jobs: Vec<PyValue>) -> Result<(), String> {
    let lines = Lines::find(ctx.code())?;
    let total: f64 = jobs.iter().map(seconds).sum();
    let session = ctx.session_doing("asyncio", SessionConfig::default(), Some(total));
    let event_loop = EventLoop::new(&session);
    let inner = event_loop.clone();
    let result = event_loop
        .run_until_complete(async move {
            let lp = inner;
            let mut tasks = Vec::new();
            for (i, sleeptime) in jobs.iter().enumerate() {
                lp.session().main_line(lines.adding);
                lp.print(format!("Adding process #{i}, waiting for {}s", sleeptime.str()));
                let task_loop = lp.clone();
                let sleeptime = sleeptime.clone();
                tasks.push(lp.create_task(async move {
                    let lp = task_loop;
                    lp.session().main_line(lines.fetch_print);
                    lp.print(format!("Job #{i} is sleeping for {}s", sleeptime.str()));
                    lp.session().main_line(lines.fetch_sleep);
                    lp.sleep(seconds(&sleeptime)).await;
                    lp.session().main_line(lines.fetch_done);
                    lp.print(format!("Job #{i} finished"));
                    Ok::<_, PyException>(PyValue::Tuple(vec![PyValue::Int(i as i64), doubled(&sleeptime)]))
                }));
            }
            lp.session().main_line(lines.gather);
            gather(&tasks).await
        })
        .await
        .map_err(|e| format!("{}: {e}", e.type_name))?;
    session.main_line(lines.results);
    for item in result {
        if let PyValue::Tuple(pair) = item {
            if let [i, jobresult] = pair.as_slice() {
                session.print(format!("Result for job #{}: {}", i.str(), jobresult.str()));
            }
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
    use crate::model::params::Params;

    #[test]
    fn lit_lines_point_at_their_statements() {
        let code = slide_code_of(DEMO.name).expect("the asyncio slide shows its program");
        let l = Lines::find(Code(&code)).unwrap();
        assert_lines(
            &code,
            &[
                (l.fetch_print, "print(f'Job #{i} is sleeping for {sleeptime}s')"),
                (l.fetch_sleep, "await sleep(sleeptime)"),
                (l.fetch_done, "print(f'Job #{i} finished')"),
                (l.adding, "print(f'Adding process #{i}, waiting for {sleeptime}s')"),
                (l.gather, "result = await gather(*tasks)"),
                (l.results, "print(f'Result for job #{i}: {jobresult}')"),
            ],
        );
    }

    #[test]
    fn the_code_shown_runs_this_job_list() {
        let slide = slide_code_of(DEMO.name).expect("the asyncio slide shows its program");
        let defaults = Params::defaults(SPECS);
        assert_eq!(code(Some(&slide), &defaults.numbers(JOBS.key)), slide, "the defaults are the slide's program");
        let jobs = [PyValue::Int(1), PyValue::Float(0.5), PyValue::Int(2)];
        let changed = code(Some(&slide), &jobs);
        assert!(changed.contains("loop.run_until_complete(process([1, 0.5, 2], loop))"), "{changed}");
        assert_eq!(changed.lines().count(), slide.lines().count());
    }
}
