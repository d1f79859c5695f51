//! The asyncio slide's program, run on the page's event loop.

use super::RunContext;
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::pyvalue::{PyException, PyValue};
use crate::runtime::{gather, EventLoop, SessionConfig};

pub const SPECS: &[Spec] = &[
    Spec {
        key: "jobs",
        label: "Sleep times (s)",
        kind: Kind::Numbers { min: 0.0, max: 30.0, max_len: 12 },
        default: "5, 2, 1, 3",
        help: "The list passed to process(); ints and floats print as Python prints them.",
    },
    SPEED,
];

pub const NOTE: &str = "Current Python deprecates get_event_loop() outside a running loop; \
the modern form of the last lines is `result = asyncio.run(process(jobs))`, with \
`loop = asyncio.get_running_loop()` inside process().";

// Lines of the slide's program.
const FETCH_PRINT: u32 = 4;
const FETCH_SLEEP: u32 = 5;
const FETCH_DONE: u32 = 6;
const ADDING: u32 = 13;
const GATHER: u32 = 15;
const RESULTS: u32 = 23;

/// `sleeptime * 2`, keeping an int an int.
fn doubled(value: &PyValue) -> PyValue {
    match value {
        PyValue::Int(n) => PyValue::Int(n * 2),
        PyValue::Float(f) => PyValue::Float(f * 2.0),
        other => other.clone(),
    }
}

fn seconds(value: &PyValue) -> f64 {
    match value {
        PyValue::Int(n) => *n as f64,
        PyValue::Float(f) => *f,
        _ => 0.0,
    }
}

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let jobs = params.numbers("jobs");
    let total: f64 = jobs.iter().map(seconds).sum();
    let session = ctx.session_doing("asyncio", SessionConfig::default(), Some(total));
    let event_loop = EventLoop::new(&session);
    let inner = event_loop.clone();
    let result = event_loop
        .run_until_complete(async move {
            let lp = inner;
            let mut tasks = Vec::new();
            for (i, sleeptime) in jobs.iter().enumerate() {
                lp.session().main_line(ADDING);
                lp.print(format!("Adding process #{i}, waiting for {}s", sleeptime.str()));
                let task_loop = lp.clone();
                let sleeptime = sleeptime.clone();
                tasks.push(lp.create_task(async move {
                    let lp = task_loop;
                    lp.session().main_line(FETCH_PRINT);
                    lp.print(format!("Job #{i} is sleeping for {}s", sleeptime.str()));
                    lp.session().main_line(FETCH_SLEEP);
                    lp.sleep(seconds(&sleeptime)).await;
                    lp.session().main_line(FETCH_DONE);
                    lp.print(format!("Job #{i} finished"));
                    Ok::<_, PyException>(PyValue::Tuple(vec![PyValue::Int(i as i64), doubled(&sleeptime)]))
                }));
            }
            lp.session().main_line(GATHER);
            gather(&tasks).await
        })
        .await
        .map_err(|e| format!("{}: {e}", e.type_name))?;
    session.main_line(RESULTS);
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
