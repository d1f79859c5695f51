//! A run's figures, for people and (through data attributes) for tests.

use yew::prelude::*;

use super::snapshot::Snapshot;

use crate::model::figures::{
    finished, gil_wait_ms, gil_wait_text, running_text, speedup, speedup_caption, speedup_shown, work, workers_text,
    Work, CLOCK_SLACK_MS,
};
use crate::model::trace::LaneKind;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub label: AttrValue,
    pub trace: Snapshot,
    pub ms_per_second: f64,
    /// What the jobs take one after another, known from the program: their
    /// CPU seconds and sleeps. It stands unless the lanes' running and sleeping
    /// time is less (see [`speedup`]); without it, the lanes' does.
    #[prop_or_default]
    pub sequential_ms: Option<f64>,
    /// Whether "one after another" means anything for this demo.
    #[prop_or(true)]
    pub show_speedup: bool,
    /// The browser's logical cores, shown beside the speedup.
    #[prop_or_default]
    pub cores: Option<u32>,
}

#[component]
pub fn Summary(props: &SummaryProps) -> Html {
    let trace = &props.trace;
    let wall = trace.wall_ms();
    let workers = trace.lanes.iter().filter(|l| l.kind.is_worker()).count();
    let tasks = trace.lanes.iter().filter(|l| l.kind == LaneKind::Task).count();
    let finished = finished(trace);
    let running = trace.running_at_once(CLOCK_SLACK_MS);
    let in_flight = trace.in_flight_at_once();
    // Where the jobs computed, the figure is how many ran at once; where they
    // waited on sleeps or I/O, how many were under way at once.
    let work = work(trace);
    let Work { computed, waited } = work;
    let (sequential, speedup) = speedup(trace, props.sequential_ms);
    let waiting = gil_wait_ms(trace);
    let seconds = |ms: f64| format!("{:.2} s", ms / props.ms_per_second);
    let show_speedup = speedup_shown(props.show_speedup, trace, sequential, speedup);
    let running_text = running_text(running, props.cores);
    html! {
        <dl class="summary" data-testid="run-summary" data-panel={props.label.clone()} data-finished={finished.to_string()}
            data-wall-ms={format!("{wall:.1}")} data-lanes={trace.lanes.len().to_string()} data-workers={workers.to_string()}
            data-tasks={tasks.to_string()} data-events={trace.events.to_string()} data-max-running={running.to_string()}
            data-in-flight={in_flight.to_string()} data-speedup={show_speedup.then(|| format!("{speedup:.3}"))}
            data-cores={props.cores.map(|n| n.to_string())} data-gil-wait-ms={format!("{waiting:.2}")}>
            <div><dt>{ "Wall time" }</dt><dd>{ seconds(wall) }</dd></div>
            if tasks > 0 {
                <div><dt>{ "Tasks" }</dt><dd>{ tasks }</dd></div>
            }
            if workers > 0 {
                <div><dt>{ "Workers" }</dt><dd>{ workers_text(trace) }</dd></div>
            }
            if computed {
                <div><dt>{ "Running at once" }</dt><dd>{ running_text }</dd></div>
            }
            if waited {
                <div><dt>{ if tasks > 0 { "Tasks in flight at once" } else { "In flight at once" } }</dt><dd>{ in_flight }</dd></div>
            }
            if show_speedup {
                <div title="The jobs' time one after another, over the wall time"><dt>{ "Speedup" }</dt>
                     <dd>{ speedup_caption(speedup, workers, props.cores, work, running) }</dd></div>
            }
            if let Some(waiting) = gil_wait_text(work, waiting, props.ms_per_second) {
                // Added up over the threads: two threads taking turns each wait
                // about half the run, so the figure is about the wall time.
                <div title="The threads' time waiting for the GIL, added up">
                    <dt>{ "GIL wait (all threads)" }</dt><dd>{ waiting }</dd></div>
            }
        </dl>
    }
}
