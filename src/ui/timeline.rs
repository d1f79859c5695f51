//! The run as a Gantt chart: one row per lane, spans shaded by state (by
//! pattern as well as colour), an axis in Python seconds, a tooltip per span.
//! The axis and lane names are SVG, which changes seldom; the bars are painted
//! on a canvas over it (`timeline_canvas`), so a redraw during a run costs a
//! repaint of one bitmap, not the style and layout of thousands of elements.

use yew::prelude::*;

use super::hooks::{use_resized, use_window_event};
use super::snapshot::Snapshot;
use super::timeline_canvas;
use super::timeline_rows::{drawn, tip_at, Row};
use super::timeline_table::{self, TimelineTable};

use crate::model::trace::{LaneKind, LaneState};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub trace: Snapshot,
    pub ms_per_second: f64,
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// The page ms the axis must cover at least: the longest panel's, so the
    /// panels of one run are drawn on one scale.
    #[prop_or_default]
    pub axis_ms: Option<f64>,
    /// The legend: the states this chart shows and these (another panel's),
    /// or none where a later panel of the run has it.
    #[prop_or(Some(Vec::new()))]
    pub legend: Option<Vec<LaneState>>,
}

/// The states a legend can name, in its order.
pub const LEGEND_STATES: [LaneState; 5] =
    [LaneState::Running, LaneState::WaitingGil, LaneState::Io, LaneState::Blocked, LaneState::Starting];

/// The states `trace` shows somewhere, for a legend.
pub fn states_shown(trace: &crate::model::trace::Trace) -> Vec<LaneState> {
    LEGEND_STATES.into_iter().filter(|s| trace.lanes.iter().any(|l| l.time_in(*s, trace.end_ms) > 0.0)).collect()
}

pub fn state_class(state: LaneState) -> &'static str {
    match state {
        LaneState::Running => "st-running",
        LaneState::WaitingGil => "st-gil",
        LaneState::Io => "st-io",
        LaneState::Blocked => "st-blocked",
        LaneState::Idle => "st-idle",
        LaneState::Starting => "st-starting",
    }
}

/// The axis length for a run of `seconds`: rounded up to a tenth of its power
/// of ten where it starts with 1 to 4, to a half above, so
/// at most a tenth of the chart is left empty (a 5.03 s run had a sixth of it
/// empty on a 6 s axis). Only the ticks are labelled, so the end need not be round.
fn axis_seconds(seconds: f64) -> f64 {
    let seconds = seconds.max(1e-6);
    let magnitude = 10f64.powf(seconds.log10().floor());
    // In tenths of the power of ten (a multiple of it before the division, which is exact for whole seconds).
    let tenths = if seconds / magnitude < 5.0 { 1.0 } else { 5.0 };
    (seconds / (magnitude * tenths / 10.0) - 1e-6).ceil() * tenths * magnitude / 10.0
}

/// A tick step that gives five to ten ticks.
fn tick_step(seconds: f64) -> f64 {
    let raw = (seconds / 6.0).max(1e-3);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw);
    step.unwrap_or(10.0 * magnitude)
}

/// The decimals a tick's label needs for its step (1, 2 or 5 times a power
/// of ten), so no two ticks read alike: a 0.03 s run's ticks every 0.005 s
/// read "0.00 s, 0.01 s, 0.01 s, 0.01 s" with two.
fn tick_decimals(step: f64) -> usize {
    (-(step.log10() + 1e-9).floor()).max(0.0) as usize
}

/// The chart's geometry at a width in CSS pixels: the SVG is drawn one unit to
/// a pixel, so its text keeps its size on a phone and on a projector.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    width: f64,
    /// The page's text size over 16 px: the chart grows with the text.
    scale: f64,
    /// The height of the axis above the rows.
    axis: f64,
    /// Where the bars start; lane names sit left of it, or above the bars when narrow.
    plot_x: f64,
    row: f64,
    /// How far down a row its bar starts.
    bar_y: f64,
}

/// Below this width lane names go above their bars.
const NARROW: f64 = 480.0;
/// Half an axis label's width ("0.25 s" at 12 px), at a text scale of 1.
const LABEL_HALF_WIDTH: f64 = 22.0;

impl Layout {
    fn at(width: f64, scale: f64) -> Layout {
        let width = width.max(200.0);
        let s = scale.clamp(0.5, 3.0);
        if width < NARROW {
            Layout { width, scale: s, axis: 20.0 * s, plot_x: 4.0, row: 38.0 * s, bar_y: 17.0 * s }
        } else {
            Layout {
                width,
                scale: s,
                axis: 20.0 * s,
                plot_x: (width * 0.3).min(170.0 * s),
                row: 22.0 * s,
                bar_y: 3.0 * s,
            }
        }
    }

    fn plot_width(&self) -> f64 {
        self.width - self.plot_x - 12.0
    }

    /// Where page time `t` falls on a chart from `start` covering `span_ms`.
    fn x(&self, start: f64, span_ms: f64) -> impl Fn(f64) -> f64 {
        let (plot_x, plot) = (self.plot_x, self.plot_width());
        move |t| plot_x + (t - start) / span_ms * plot
    }

    /// The height of a lane's bar.
    fn bar_height(&self) -> f64 {
        self.row - 8.0 * self.scale - if self.width < NARROW { self.bar_y - 4.0 * self.scale } else { 0.0 }
    }
}

/// The page's text size (the root's) over 16 px.
pub fn text_scale() -> f64 {
    let root = web_sys::window().and_then(|w| {
        let html = w.document()?.document_element()?;
        w.get_computed_style(&html).ok().flatten()?.get_property_value("font-size").ok()
    });
    root.and_then(|size| size.trim_end_matches("px").parse::<f64>().ok()).map_or(1.0, |px| px / 16.0)
}

/// The axis a run is drawn on, in page ms: its own run's, or (when panels
/// share one) the longest of them.
pub fn axis_ms(trace_ms: f64, shared_ms: Option<f64>, ms_per_second: f64) -> f64 {
    let ms = shared_ms.unwrap_or(0.0).max(trace_ms).max(1.0);
    axis_seconds(ms / ms_per_second) * ms_per_second
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let figure = use_node_ref();
    let canvas = use_node_ref();
    let width = use_state(|| 560.0f64);
    let scale = use_state(|| 1.0f64);
    {
        // Drawn at the width it is shown at and the page's text size: measured
        // once laid out, whenever its box changes size (a window resized, a
        // scroll bar come or gone), and on a resize of the window, which a
        // change of zoom or text size is.
        let observed = figure.clone();
        let (figure, width, scale) = (figure.clone(), width.clone(), scale.clone());
        let measure = move || {
            if let Some(el) = figure.cast::<web_sys::Element>() {
                let w = f64::from(el.client_width());
                if w > 0.0 && (w - *width).abs() >= 1.0 {
                    width.set(w);
                }
            }
            let text = text_scale();
            if (text - *scale).abs() >= 0.01 {
                scale.set(text);
            }
        };
        let on_resize = measure.clone();
        use_resized(std::slice::from_ref(&observed), measure);
        use_window_event("resize", move |_| on_resize());
    }
    let layout = Layout::at(*width, *scale);
    let trace = &props.trace;
    let start = trace.start_ms.unwrap_or(0.0);
    // The axis grows in steps, not with every event: the picture keeps its
    // scale while a run goes on.
    let span_ms = axis_ms(trace.end_ms - start, props.axis_ms, props.ms_per_second);
    let x = layout.x(start, span_ms);
    // The rectangles, worked out once per snapshot and size; the canvas is
    // painted from them after each render that changed them.
    let drawn_for = (props.trace.clone(), layout, span_ms);
    let rows = use_memo(drawn_for.clone(), move |(trace, layout, span_ms)| {
        let x = layout.x(start, *span_ms);
        timeline_table::rows(trace)
            .iter()
            .enumerate()
            .map(|(i, lane)| Row {
                name: lane.name.clone(),
                bar_y: layout.axis + i as f64 * layout.row + layout.bar_y,
                bar_height: layout.bar_height(),
                origin_ms: start,
                rects: drawn(lane.spans_until(trace.end_ms), &x),
            })
            .collect::<Vec<Row>>()
    });
    let height = layout.axis + layout.row * trace.lanes.len() as f64 + 6.0;
    {
        // Keyed like the rectangles (a snapshot compares by identity), so a
        // render that changed nothing neither compares nor repaints them.
        let (canvas, rows) = (canvas.clone(), rows.clone());
        use_effect_with(drawn_for, move |(_, layout, _)| {
            if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                timeline_canvas::paint(&canvas, layout.width.round(), height.round(), &rows);
            }
        });
    }
    let Some(_) = trace.start_ms else {
        return html! {
            <figure class="timeline" data-testid="timeline" ref={figure}>
                <p class="hint" data-testid="timeline-empty">{ "Press Run to see the lanes fill." }</p>
            </figure>
        };
    };
    let seconds = span_ms / props.ms_per_second;
    // Fewer ticks where labels would crowd.
    let step = tick_step(seconds * (560.0 / layout.width).max(1.0));
    let ticks: Vec<f64> = (0..=((seconds / step + 1e-9).floor() as usize).min(50)).map(|i| i as f64 * step).collect();
    let decimals = tick_decimals(step);
    let seconds_label = |s: f64| format!("{s:.decimals$} s");
    let last = ticks.len().saturating_sub(1);
    // The legend names the states this run shows.
    let legend: Vec<LaneState> = match &props.legend {
        Some(also) => {
            let own = states_shown(trace);
            LEGEND_STATES.into_iter().filter(|s| own.contains(s) || also.contains(s)).collect()
        }
        None => Vec::new(),
    };
    let lanes = timeline_table::rows(trace);
    let k = layout.scale;
    let drawn_count: usize = rows.iter().map(|r| r.rects.len()).sum();
    let on_pointer = {
        let (rows, ms_per_second) = (rows.clone(), props.ms_per_second);
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            // The canvas may be shown scaled: back to chart pixels.
            let shown = f64::from(el.client_width()).max(1.0);
            let to_chart = layout.width / shown;
            let tip =
                tip_at(&rows, f64::from(e.offset_x()) * to_chart, f64::from(e.offset_y()) * to_chart, ms_per_second);
            let _ = el.set_attribute("title", tip.as_deref().unwrap_or(""));
        })
    };

    html! {
        <figure class={classes!("timeline", (layout.width < NARROW).then_some("narrow"))} data-testid="timeline" ref={figure}
                data-axis-ms={format!("{span_ms:.1}")}>
            if let Some(label) = &props.label {
                <figcaption>{ label.clone() }</figcaption>
            }
            // What the picture shows, in words; its switch sits in the chart's empty corner.
            <TimelineTable trace={trace.clone()} ms_per_second={props.ms_per_second} />
            <div class="timeline-chart" data-testid="timeline-chart" role="img"
                 aria-label={format!("Timeline of {} lanes over {:.2} Python seconds", trace.lanes.len(), seconds)}>
                // The axis and the lane names change seldom; the bars are painted on the canvas above them.
                <svg width={format!("{:.0}", layout.width)} height={format!("{height:.0}")}
                     viewBox={format!("0 0 {:.0} {height:.0}", layout.width)} aria-hidden="true">
                    { for ticks.iter().enumerate().map(|(i, s)| {
                        let tx = x(start + s * props.ms_per_second);
                        // The first and last labels stay inside the chart: the last
                        // ends at its tick when the tick is near the chart's edge.
                        let near_edge = layout.width - tx < LABEL_HALF_WIDTH * k;
                        let anchor = if i == last && i > 0 && near_edge {
                            "end"
                        } else if i == 0 && layout.width < NARROW {
                            "start"
                        } else {
                            "middle"
                        };
                        html! {
                            <g class="tick">
                                <line x1={format!("{tx:.1}")} x2={format!("{tx:.1}")} y1={(layout.axis - 4.0 * k).to_string()} y2={height.to_string()} />
                                <text x={format!("{tx:.1}")} y={format!("{:.1}", 13.0 * k)} text-anchor={anchor}>{ seconds_label(*s) }</text>
                            </g>
                        }
                    }) }
                    { for lanes.iter().zip(rows.iter()).enumerate().map(|(row, (lane, drawn))| {
                        let y = layout.axis + row as f64 * layout.row;
                        let task = lane.kind == LaneKind::Task;
                        let (name_x, name_y) = if layout.width < NARROW {
                            (if task { 16.0 } else { 4.0 }, y + 12.0 * k)
                        } else {
                            (if task { 18.0 } else { 4.0 }, y + layout.row * 0.66)
                        };
                        html! {
                            <g class={classes!("lane", task.then_some("sub-lane"))} data-testid="lane" data-lane={lane.id.to_string()}
                               data-name={lane.name.clone()} data-kind={if task { "task" } else { "thread" }} data-states={drawn.states()}>
                                <text class="lane-name" x={name_x.to_string()} y={format!("{name_y:.1}")}>{ lane.name.clone() }</text>
                            </g>
                        }
                    }) }
                </svg>
                <canvas ref={canvas} data-testid="timeline-canvas" data-drawn={drawn_count.to_string()} onmousemove={on_pointer} />
            </div>
            if !legend.is_empty() {
                <ul class="legend" aria-label="Legend">
                    { for legend.iter().map(|s| html! {
                        <li><svg width="22" height="12" aria-hidden="true"><rect width="22" height="12" class={classes!("span", state_class(*s))} /></svg>{ s.label() }</li>
                    }) }
                </ul>
            }
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_grows_in_steps() {
        assert_eq!(axis_seconds(5.03), 5.5);
        assert_eq!(axis_seconds(5.0), 5.0);
        assert!((axis_seconds(0.215) - 0.22).abs() < 1e-12);
        assert_eq!(axis_seconds(1.08), 1.1);
        assert_eq!(axis_seconds(13.0), 13.0);
        assert_eq!(axis_seconds(13.2), 14.0);
        // Never more than a tenth of the chart empty.
        for i in 1..1000 {
            let seconds = f64::from(i) * 0.0137;
            assert!(seconds / axis_seconds(seconds) > 0.9, "{seconds} s on a {} s axis", axis_seconds(seconds));
        }
        assert_eq!(axis_seconds(0.0), axis_seconds(1e-6));
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(5.0), 1.0);
        assert_eq!(tick_step(11.0), 2.0);
        assert_eq!(tick_step(0.5), 0.1);
        assert_eq!(tick_step(60.0), 10.0);
    }

    #[test]
    fn no_two_tick_labels_read_alike() {
        assert_eq!([2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.005, 0.001].map(tick_decimals), [0, 0, 1, 1, 1, 2, 3, 3]);
        for seconds in [0.004, 0.03, 0.07, 0.3, 1.0, 2.5, 9.0, 45.0] {
            let step = tick_step(seconds);
            let decimals = tick_decimals(step);
            let labels: Vec<String> =
                (0..=(seconds / step).floor() as usize).map(|i| format!("{:.decimals$}", i as f64 * step)).collect();
            let mut distinct = labels.clone();
            distinct.dedup();
            assert_eq!(distinct, labels, "{seconds} s");
        }
    }

    #[test]
    fn panels_of_one_run_share_the_longest_axis() {
        assert_eq!(axis_ms(1200.0, Some(2500.0), 1000.0), 2500.0);
        assert_eq!(axis_ms(2500.0, Some(1200.0), 1000.0), 2500.0);
        assert_eq!(axis_ms(1150.0, None, 1000.0), 1200.0);
    }

    #[test]
    fn narrow_charts_put_names_above_the_bars() {
        let phone = Layout::at(350.0, 1.0);
        assert!(phone.plot_x < 10.0 && phone.plot_width() > 300.0);
        let projector = Layout::at(900.0, 1.0);
        assert_eq!(projector.plot_x, 170.0);
        assert!(projector.plot_width() > 700.0);
    }
}
