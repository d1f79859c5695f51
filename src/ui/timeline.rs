//! The run as a Gantt chart: one row per lane, spans shaded by state (by
//! pattern as well as colour), an axis in Python seconds, a tooltip per span.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::trace::{LaneState, Trace};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub trace: Rc<Trace>,
    pub ms_per_second: f64,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

const WIDTH: f64 = 560.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 24.0;
const AXIS: f64 = 26.0;

pub fn state_class(state: LaneState) -> &'static str {
    match state {
        LaneState::Running => "st-running",
        LaneState::WaitingGil => "st-gil",
        LaneState::Io => "st-io",
        LaneState::Blocked => "st-blocked",
        LaneState::Idle => "st-idle",
    }
}

fn state_key(state: LaneState) -> &'static str {
    match state {
        LaneState::Running => "running",
        LaneState::WaitingGil => "gil",
        LaneState::Io => "io",
        LaneState::Blocked => "blocked",
        LaneState::Idle => "idle",
    }
}

/// A tick step that gives five to ten ticks.
fn tick_step(seconds: f64) -> f64 {
    let raw = (seconds / 6.0).max(1e-3);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw);
    step.unwrap_or(10.0 * magnitude)
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let trace = &props.trace;
    let Some(start) = trace.start_ms else {
        return html! { <p class="hint" data-testid="timeline-empty">{ "Press Run to see the lanes fill." }</p> };
    };
    let end = trace.end_ms.max(start + 1.0);
    let span_ms = end - start;
    let plot = WIDTH - LABEL - 10.0;
    let x = |t: f64| LABEL + (t - start) / span_ms * plot;
    let height = AXIS + ROW * trace.lanes.len() as f64 + 6.0;
    let seconds = span_ms / props.ms_per_second;
    let step = tick_step(seconds);
    let ticks: Vec<f64> = (0..=((seconds / step).floor() as usize).min(50))
        .map(|i| i as f64 * step)
        .collect();
    let seconds_label = |s: f64| {
        let decimals = if step >= 1.0 {
            0
        } else if step >= 0.1 {
            1
        } else {
            2
        };
        format!("{s:.decimals$} s")
    };

    html! {
        <figure class="timeline" data-testid="timeline">
            if let Some(label) = &props.label {
                <figcaption>{ label.clone() }</figcaption>
            }
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                 aria-label={format!("Timeline of {} lanes over {:.2} Python seconds", trace.lanes.len(), seconds)}>
                <defs>
                    <pattern id="hatch-gil" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" class="pat-gil-bg" />
                        <line x1="0" y1="0" x2="0" y2="6" class="pat-gil-line" stroke-width="3" />
                    </pattern>
                    <pattern id="dots-io" width="5" height="5" patternUnits="userSpaceOnUse">
                        <rect width="5" height="5" class="pat-io-bg" />
                        <circle cx="2.5" cy="2.5" r="1.2" class="pat-io-dot" />
                    </pattern>
                    <pattern id="cross-blocked" width="6" height="6" patternUnits="userSpaceOnUse">
                        <rect width="6" height="6" class="pat-blocked-bg" />
                        <path d="M0 0L6 6M6 0L0 6" class="pat-blocked-line" stroke-width="1" />
                    </pattern>
                </defs>
                { for ticks.iter().map(|s| {
                    let tx = x(start + s * props.ms_per_second);
                    html! {
                        <g class="tick">
                            <line x1={tx.to_string()} x2={tx.to_string()} y1={(AXIS - 4.0).to_string()} y2={height.to_string()} />
                            <text x={tx.to_string()} y="14" text-anchor="middle">{ seconds_label(*s) }</text>
                        </g>
                    }
                }) }
                { for trace.lanes.iter().enumerate().map(|(row, lane)| {
                    let y = AXIS + row as f64 * ROW;
                    html! {
                        <g class="lane" data-testid="lane" data-lane={lane.id.to_string()} data-name={lane.name.clone()}>
                            <text class="lane-name" x="4" y={(y + ROW * 0.68).to_string()}>{ lane.name.clone() }</text>
                            { for lane.spans_until(trace.end_ms).filter(|s| s.state != LaneState::Idle && s.duration_ms() > 0.0).map(|s| {
                                let x0 = x(s.start_ms);
                                let w = (x(s.end_ms) - x0).max(0.6);
                                let from = (s.start_ms - start) / props.ms_per_second;
                                let to = (s.end_ms - start) / props.ms_per_second;
                                html! {
                                    <rect class={classes!("span", state_class(s.state))} data-testid="span"
                                          data-state={state_key(s.state)} data-start={format!("{from:.4}")} data-end={format!("{to:.4}")}
                                          x={format!("{x0:.2}")} y={(y + 3.0).to_string()} width={format!("{w:.2}")} height={(ROW - 6.0).to_string()}>
                                        <title>{ format!("{}: {} from {from:.3} s to {to:.3} s", lane.name, s.state.label()) }</title>
                                    </rect>
                                }
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <ul class="legend" aria-label="Legend">
                { for [LaneState::Running, LaneState::WaitingGil, LaneState::Io, LaneState::Blocked].iter().map(|s| html! {
                    <li><svg width="22" height="12" aria-hidden="true"><rect width="22" height="12" class={classes!("span", state_class(*s))} /></svg>{ s.label() }</li>
                }) }
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::tick_step;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(5.0), 1.0);
        assert_eq!(tick_step(11.0), 2.0);
        assert_eq!(tick_step(0.5), 0.1);
        assert_eq!(tick_step(60.0), 10.0);
    }
}
