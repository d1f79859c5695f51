//! A race's result at a glance: one bar per panel of the run, its wall time
//! on the axis the panels share, growing while its part runs. Above the
//! panels, so the comparison that is the slide's point stays in view on a
//! projector however many lanes the panels below have.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::use_window_event;
use super::live::Panel;
use crate::model::figures;

/// A panel's wall time must be this much under every other's to be called
/// the fastest: three runs of the same sleeps (2.00, 2.01 and 2.05 s) have no winner.
const CLEAR_LEAD: f64 = 0.95;

/// One bar of the race.
#[derive(Debug, Clone, PartialEq)]
pub struct RaceRow {
    /// What ran: the panel's label up to its parenthesis ("threads").
    pub name: String,
    /// The panel's whole label, for a tooltip.
    pub label: String,
    pub wall_ms: f64,
    /// The bar's length, as a share of the shared axis.
    pub share: f64,
    pub finished: bool,
    /// What the bar says: "2.28 s · 0.99× on 2 cores".
    pub figure: String,
    pub fastest: bool,
}

/// What the race's bars show for `panels`, drawn on an axis of `axis_ms`.
/// `done`: the run finished (not stopped), so a fastest part may be named.
pub fn rows(
    panels: &[Panel],
    axis_ms: f64,
    ms_per_second: f64,
    cores: Option<u32>,
    speedups: bool,
    done: bool,
) -> Vec<RaceRow> {
    let mut rows: Vec<RaceRow> = panels
        .iter()
        .map(|p| {
            let wall_ms = p.trace.wall_ms();
            let finished = figures::finished(&p.trace);
            let seconds = format!("{:.2} s", wall_ms / ms_per_second.max(1e-9));
            let figure = match figures::shown_speedup(&p.trace, p.sequential_ms, cores, speedups) {
                Some(speedup) => format!("{seconds} · {speedup}"),
                None => seconds,
            };
            RaceRow {
                name: p.label.split(" (").next().unwrap_or_default().to_owned(),
                label: p.label.to_string(),
                wall_ms,
                share: if axis_ms > 0.0 { (wall_ms / axis_ms).clamp(0.0, 1.0) } else { 0.0 },
                finished,
                figure,
                fastest: false,
            }
        })
        .collect();
    if done && rows.len() > 1 && rows.iter().all(|r| r.finished) {
        if let Some(best) = fastest(&rows) {
            rows[best].fastest = true;
        }
    }
    rows
}

/// The rows as lines of text ("processes: 1.04 s · 1.92× on 2 cores, fastest").
pub fn lines(rows: &[RaceRow]) -> Vec<String> {
    rows.iter().map(|r| format!("{}: {}{}", r.name, r.figure, if r.fastest { ", fastest" } else { "" })).collect()
}

/// The row whose wall time is clearly under every other's.
fn fastest(rows: &[RaceRow]) -> Option<usize> {
    let (best, row) = rows.iter().enumerate().min_by(|a, b| a.1.wall_ms.total_cmp(&b.1.wall_ms))?;
    let clear = rows.iter().enumerate().all(|(i, r)| i == best || row.wall_ms <= CLEAR_LEAD * r.wall_ms);
    (clear && row.wall_ms > 0.0).then_some(best)
}

#[derive(Properties, PartialEq)]
pub struct RaceProps {
    pub panels: std::rc::Rc<Vec<Panel>>,
    /// How many panels a run of the demo draws: the rows are kept free for them.
    pub expected: usize,
    pub axis_ms: f64,
    pub ms_per_second: f64,
    pub cores: Option<u32>,
    pub show_speedup: bool,
    pub done: bool,
}

/// Where a bar's figure goes: inside the bar where its text and padding fit
/// there, else after the bar's end where its text and the gap before it fit
/// in the `room` the row has right of the bar's start, else under the bar (a
/// bar of middling length and a long figure).
pub fn place(bar_px: f64, room_px: f64, text_px: f64, pad_px: f64) -> &'static str {
    // Widths are measured in whole pixels.
    let text_px = text_px + 2.0;
    if text_px + 2.0 * pad_px <= bar_px {
        "inside"
    } else if text_px + pad_px <= room_px - bar_px {
        "after"
    } else {
        "under"
    }
}

/// Where the figure of a part still under way goes, without measuring it:
/// it says only the time so far ("1.23 s"), which fits inside any bar of
/// over half the plot, and after any shorter one.
pub fn place_under_way(share: f64) -> &'static str {
    if share > 0.5 {
        "inside"
    } else {
        "after"
    }
}

/// For each row, the share and figure its place was last measured for.
type Measured = Vec<Option<(f64, String)>>;

/// Lays out the drawn rows of `list`: each row's `--share` (the page's
/// policy allows no style attributes, so lengths are set through the style
/// objects), and where its figure goes. A finished part's place is measured,
/// again only when its bar or figure changed (a measure right after a change
/// forces a layout, and a run redraws every 100 ms); a part under way is
/// placed by its share alone.
fn lay_out(list: &web_sys::HtmlElement, rows: &[RaceRow], reserved: usize, measured: &mut Measured) {
    let _ = list.style().set_property("--race-rows", &reserved.to_string());
    let Ok(items) = list.query_selector_all(".race-row") else {
        return;
    };
    measured.resize(rows.len(), None);
    let width =
        |el: &web_sys::Element| el.dyn_ref::<web_sys::HtmlElement>().map_or(0.0, |e| f64::from(e.offset_width()));
    // The padding on each side of a figure's text inside a bar, and the gap
    // before it after one: the stylesheet's 0.4rem, read (a computed style)
    // only when a place is measured, not at every redraw of a run.
    let mut pad = None;
    for (i, row) in rows.iter().enumerate() {
        let Some(item) = items.item(i as u32).and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) else {
            continue;
        };
        let _ = item.style().set_property("--share", &format!("{:.4}", row.share));
        if !row.finished {
            measured[i] = None;
            let _ = item.set_attribute("data-place", place_under_way(row.share));
            continue;
        }
        let now = Some((row.share, row.figure.clone()));
        if measured[i] == now {
            continue;
        }
        let (Ok(Some(bar)), Ok(Some(text))) = (item.query_selector(".race-bar"), item.query_selector(".race-text"))
        else {
            continue;
        };
        // The track's width, its right padding included: a figure after a bar may reach the row's end.
        let room = bar.parent_element().map_or(0.0, |track| f64::from(track.client_width()));
        let pad = *pad.get_or_insert_with(|| 0.4 * 16.0 * super::timeline::text_scale());
        let _ = item.set_attribute("data-place", place(width(&bar), room, width(&text), pad));
        measured[i] = now;
    }
}

#[component]
pub fn Race(props: &RaceProps) -> Html {
    let rows = rows(&props.panels, props.axis_ms, props.ms_per_second, props.cores, props.show_speedup, props.done);
    let reserved = props.expected.max(rows.len());
    let list = use_node_ref();
    // The rows last laid out, and what their places were measured for.
    let laid = use_mut_ref(|| (Vec::<RaceRow>::new(), Measured::new()));
    {
        let (list, laid) = (list.clone(), laid.clone());
        use_effect_with((rows.clone(), reserved), move |(rows, reserved)| {
            if let Some(list) = list.cast::<web_sys::HtmlElement>() {
                let mut laid = laid.borrow_mut();
                lay_out(&list, rows, *reserved, &mut laid.1);
                laid.0 = rows.clone();
            }
        });
    }
    {
        // A new width: every place is measured again.
        let (list, laid) = (list.clone(), laid.clone());
        use_window_event("resize", move |_| {
            if let Some(list) = list.cast::<web_sys::HtmlElement>() {
                let mut laid = laid.borrow_mut();
                let (rows, measured) = &mut *laid;
                measured.clear();
                lay_out(&list, rows, reserved, measured);
            }
        });
    }
    html! {
        <ol class="race" data-testid="race" aria-label="Wall time of each part of the run" ref={list}>
            { for rows.iter().map(|row| html! {
                <li class={classes!("race-row", row.finished.then_some("finished"), row.fastest.then_some("fastest"))}
                    data-testid="race-row" data-name={row.name.clone()} data-wall-ms={format!("{:.1}", row.wall_ms)}
                    data-share={format!("{:.4}", row.share)} data-finished={row.finished.to_string()} title={row.label.clone()}>
                    <span class="race-name">
                        <span class="race-what">{ row.name.clone() }</span>
                        if row.fastest {
                            <strong class="race-fastest" data-testid="race-fastest">{ "fastest" }</strong>
                        }
                    </span>
                    <span class="race-track"><span class="race-bar"></span></span>
                    <span class="race-figure" data-testid="race-figure"><span class="race-text">{ row.figure.clone() }</span></span>
                </li>
            }) }
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::model::trace::{Event, EventKind, LaneKind, LaneState, Trace};
    use crate::ui::snapshot::Snapshot;

    /// A panel whose two threads ran `ms` between them, one after the other, over or not.
    fn panel(label: &str, ms: f64, finished: bool) -> Panel {
        let ev = Event::new;
        let mut events = vec![
            ev(0.0, 0, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, EventKind::State(LaneState::Blocked)),
            ev(0.0, 1, EventKind::Started { name: "Thread-1".into(), kind: LaneKind::Thread }),
            ev(0.0, 1, EventKind::State(LaneState::Running)),
            // A worker says it is done before its lane ends.
            ev(ms / 2.0, 1, EventKind::State(LaneState::Idle)),
            ev(ms / 2.0, 1, EventKind::Ended),
            ev(ms / 2.0, 2, EventKind::Started { name: "Thread-2".into(), kind: LaneKind::Thread }),
            ev(ms / 2.0, 2, EventKind::State(LaneState::Running)),
            ev(ms, 2, EventKind::State(LaneState::Idle)),
            ev(ms, 2, EventKind::Ended),
        ];
        if finished {
            events.push(ev(ms, 0, EventKind::Ended));
        }
        Panel {
            label: AttrValue::from(label.to_owned()),
            trace: Snapshot(Rc::new(Trace::from_events(events))),
            sequential_ms: Some(ms),
        }
    }

    #[test]
    fn each_part_is_a_bar_on_the_shared_axis_with_its_figures() {
        let panels = [panel("threads (threading.Thread)", 2280.0, true), panel("processes", 1130.0, true)];
        let rows = rows(&panels, 2500.0, 1000.0, Some(2), true, true);
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["threads", "processes"]);
        assert_eq!(rows[0].label, "threads (threading.Thread)");
        assert!((rows[0].share - 0.912).abs() < 1e-9);
        assert_eq!(rows[0].figure, "2.28 s · 1.00× on 2 cores");
        assert_eq!(rows[1].figure, "1.13 s · 1.00× on 2 cores");
        assert!(rows[1].fastest && !rows[0].fastest);
        assert_eq!(
            lines(&rows),
            ["threads: 2.28 s · 1.00× on 2 cores", "processes: 1.13 s · 1.00× on 2 cores, fastest"]
        );
        // Scaled by the run's speed.
        assert_eq!(super::rows(&panels[1..], 2500.0, 200.0, Some(2), false, true)[0].figure, "5.65 s");
    }

    #[test]
    fn a_part_under_way_shows_its_time_so_far_and_no_speedup() {
        let panels = [panel("threads", 1000.0, true), panel("processes", 400.0, false)];
        let rows = rows(&panels, 1000.0, 1000.0, Some(2), true, false);
        assert!(!rows[1].finished);
        assert_eq!(rows[1].figure, "0.40 s");
        assert!(rows.iter().all(|r| !r.fastest), "no winner before the race is over");
    }

    #[test]
    fn a_figure_goes_inside_its_bar_after_it_or_under_it() {
        assert_eq!(place(300.0, 400.0, 190.0, 6.0), "inside");
        assert_eq!(place(100.0, 400.0, 190.0, 6.0), "after");
        // After a bar only the gap before the text counts, not the padding after it.
        assert_eq!(place(195.0, 400.0, 190.0, 6.0), "after");
        // Neither in the bar's 200 px nor in the 200 px after it.
        assert_eq!(place(200.0, 400.0, 260.0, 6.0), "under");
        // A part under way says only its time so far.
        assert_eq!(place_under_way(0.6), "inside");
        assert_eq!(place_under_way(0.1), "after");
    }

    #[test]
    fn a_winner_is_named_only_by_a_clear_lead_in_a_finished_run() {
        let near = [panel("threads", 2010.0, true), panel("processes", 2050.0, true), panel("asyncio", 2000.0, true)];
        assert!(rows(&near, 2500.0, 1000.0, Some(2), true, true).iter().all(|r| !r.fastest));
        let clear = [panel("threads", 2000.0, true), panel("asyncio", 1800.0, true)];
        assert!(rows(&clear, 2500.0, 1000.0, Some(2), true, true)[1].fastest);
        // A stopped run names none.
        assert!(rows(&clear, 2500.0, 1000.0, Some(2), true, false).iter().all(|r| !r.fastest));
    }
}
