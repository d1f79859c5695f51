//! The timeline in words: a table, one row per lane, of what the lane did when,
//! for a screen reader or anyone who would rather read than look. Folded under
//! its summary until opened, and only built while open.

use yew::prelude::*;

use super::snapshot::Snapshot;
use crate::model::trace::{Lane, LaneKind, LaneState, Span, Trace};

/// Where a lane has more spans than this, its row sums them up per state.
const LISTED: usize = 12;

/// The lanes in the order the chart draws them: asyncio's tasks right under the
/// thread whose loop runs them.
pub fn rows(trace: &Trace) -> Vec<&Lane> {
    let mut rows: Vec<&Lane> = trace.lanes.iter().collect();
    rows.sort_by_key(|l| match l.kind {
        LaneKind::MainThread => 0,
        LaneKind::Task => 1,
        _ => 2,
    });
    rows
}

/// What a lane did, in Python seconds from `origin_ms`: each span where there are
/// few ("running 0.00–0.12 s, waiting for the GIL 0.12–0.20 s, running at 0.20 s"),
/// else the time in each state. Spans of one state that follow each other are one.
pub fn spans_text(spans: impl Iterator<Item = Span>, origin_ms: f64, ms_per_second: f64) -> String {
    let seconds = |ms: f64| (ms - origin_ms) / ms_per_second;
    let mut merged: Vec<Span> = Vec::new();
    for span in spans.filter(|s| s.state != LaneState::Idle && s.duration_ms() > 0.0) {
        match merged.last_mut() {
            Some(last) if last.state == span.state && span.start_ms - last.end_ms < 1e-6 => last.end_ms = span.end_ms,
            _ => merged.push(span),
        }
    }
    let (Some(first), Some(last)) = (merged.first(), merged.last()) else {
        return "nothing yet".to_owned();
    };
    if merged.len() <= LISTED {
        // A span too short to show at this precision is said as a moment.
        let said = |s: &Span| match (seconds(s.start_ms), seconds(s.end_ms)) {
            (from, to) if to - from < 0.005 => format!("{} at {from:.2} s", s.state.label()),
            (from, to) => format!("{} {from:.2}–{to:.2} s", s.state.label()),
        };
        return merged.iter().map(said).collect::<Vec<_>>().join(", ");
    }
    let totals: Vec<String> = LaneState::ALL
        .into_iter()
        .filter_map(|state| {
            let ms: f64 = merged.iter().filter(|s| s.state == state).map(Span::duration_ms).sum();
            (ms > 0.0).then(|| format!("{} {:.2} s", state.label(), ms / ms_per_second))
        })
        .collect();
    format!(
        "{} spans from {:.2} s to {:.2} s; in all: {}",
        merged.len(),
        seconds(first.start_ms),
        seconds(last.end_ms),
        totals.join(", ")
    )
}

#[derive(Properties, PartialEq)]
pub struct TimelineTableProps {
    pub trace: Snapshot,
    pub ms_per_second: f64,
}

#[component]
pub fn TimelineTable(props: &TimelineTableProps) -> Html {
    let open = use_state(|| false);
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(!*open);
        })
    };
    let trace = &props.trace;
    let origin = trace.start_ms.unwrap_or(0.0);
    html! {
        <details class="timeline-table" open={*open} data-testid="timeline-table">
            <summary onclick={on_toggle}>{ "Table" }<span class="sr-only">{ " of the timeline" }</span></summary>
            if *open {
                <table>
                    <thead>
                        <tr><th scope="col">{ "Lane" }</th><th scope="col">{ "What it did, in Python seconds" }</th></tr>
                    </thead>
                    <tbody>
                        { for rows(trace).into_iter().map(|lane| html! {
                            <tr>
                                <th scope="row">{ lane.name.clone() }</th>
                                <td>{ spans_text(lane.spans_until(trace.end_ms), origin, props.ms_per_second) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(state: LaneState, start_ms: f64, end_ms: f64) -> Span {
        Span { state, start_ms, end_ms }
    }

    #[test]
    fn few_spans_are_listed_with_their_times() {
        let spans = [
            span(LaneState::Starting, 100.0, 110.0),
            span(LaneState::Running, 110.0, 220.0),
            span(LaneState::Running, 220.0, 300.0),
            span(LaneState::Idle, 300.0, 400.0),
            span(LaneState::WaitingGil, 400.0, 500.0),
            span(LaneState::Running, 500.0, 501.0),
        ];
        assert_eq!(
            spans_text(spans.into_iter(), 100.0, 1000.0),
            "starting 0.00–0.01 s, running 0.01–0.20 s, waiting for the GIL 0.30–0.40 s, running at 0.40 s"
        );
    }

    #[test]
    fn many_spans_are_summed_up_per_state() {
        let spans = (0..40).map(|i| {
            let state = if i % 2 == 0 { LaneState::Running } else { LaneState::WaitingGil };
            span(state, f64::from(i) * 10.0, f64::from(i + 1) * 10.0)
        });
        assert_eq!(
            spans_text(spans, 0.0, 100.0),
            "40 spans from 0.00 s to 4.00 s; in all: running 2.00 s, waiting for the GIL 2.00 s"
        );
    }

    #[test]
    fn a_lane_that_did_nothing_says_so() {
        assert_eq!(spans_text(std::iter::empty(), 0.0, 1000.0), "nothing yet");
    }
}
