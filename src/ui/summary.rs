//! A run's figures, for people and (through data attributes) for tests.

use yew::prelude::*;

use super::Snapshot;

use crate::model::trace::{LaneKind, LaneState};

/// Overlaps shorter than this are clock noise between workers.
const CLOCK_SLACK_MS: f64 = 1.0;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub label: AttrValue,
    pub trace: Snapshot,
    pub ms_per_second: f64,
    /// What the jobs take one after another, where the lanes cannot tell (asyncio).
    #[prop_or_default]
    pub sequential_ms: Option<f64>,
    /// Whether "one after another" means anything for this demo.
    #[prop_or(true)]
    pub show_speedup: bool,
}

#[component]
pub fn Summary(props: &SummaryProps) -> Html {
    let trace = &props.trace;
    let wall = trace.wall_ms();
    let workers = trace.lanes.iter().filter(|l| l.kind != LaneKind::MainThread).count();
    // Threads and processes where there are some (the page's thread plays
    // MainThread but takes no GIL); MainThread alone where asyncio is all there is.
    let most = if workers > 0 {
        trace.workers_at_once(LaneState::Running, CLOCK_SLACK_MS)
    } else {
        trace.max_at_once_beyond(LaneState::Running, CLOCK_SLACK_MS)
    };
    let speedup = match props.sequential_ms {
        Some(sequential) if wall > 0.0 => sequential / wall,
        _ => trace.speedup().unwrap_or(0.0),
    };
    let waiting: f64 = trace.lanes.iter().map(|l| l.time_in(LaneState::WaitingGil, trace.end_ms)).sum();
    let seconds = |ms: f64| format!("{:.2} s", ms / props.ms_per_second);
    html! {
        <dl class="summary" data-testid="run-summary" data-panel={props.label.clone()}
            data-wall-ms={format!("{wall:.1}")} data-lanes={trace.lanes.len().to_string()}
            data-workers={workers.to_string()} data-events={trace.events.to_string()} data-max-running={most.to_string()} data-speedup={format!("{speedup:.3}")}>
            <div><dt>{ "Wall time" }</dt><dd>{ seconds(wall) }</dd></div>
            <div><dt>{ "Threads / processes" }</dt><dd>{ workers }</dd></div>
            <div><dt>{ "Most running at once" }</dt><dd>{ most }</dd></div>
            if props.show_speedup && (workers > 0 || props.sequential_ms.is_some()) {
                <div><dt>{ "Speedup vs one after another" }</dt><dd>{ format!("{:.2}×", speedup.max(0.0)) }</dd></div>
            }
            if waiting > 0.0 {
                <div><dt>{ "Time spent waiting for the GIL" }</dt><dd>{ seconds(waiting) }</dd></div>
            }
        </dl>
    }
}
