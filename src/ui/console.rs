//! The transcript: every printed line with the lane that printed it.

use yew::prelude::*;

use super::snapshot::Snapshot;

use crate::model::trace::{Line, Trace};

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub trace: Snapshot,
    pub ms_per_second: f64,
    /// Where lines are due on a grid of Python seconds (the classical example's
    /// whole-second sleeps), lines due at the same instant are listed in thread
    /// start order, as CPython's demo would print them, whatever the few
    /// milliseconds of timer jitter between two workers.
    #[prop_or_default]
    pub grid_seconds: Option<f64>,
    /// The panel it belongs to, which names it where a run has several.
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// Lines printed this much earlier than a line already listed are listed
/// before it: a worker's lines reach the page with its next report, after lines
/// the page printed meanwhile (a futures run listed the main thread's line of
/// 0.159 s above two workers' lines of 0.021 s and 0.025 s). Nearer than this,
/// the order they arrived in stands: clocks of 1 ms ticks could swap a worker's
/// last line with the main thread's answer to it.
const LATE_BY_MS: f64 = 2.0;

/// Workers' first lines this near each other are listed in the order the
/// workers were started (see [`ordered`]): a worker taking its first task
/// can start milliseconds late (3 ms on a fresh page's first run, the futures
/// example's second thread; in Chromium, sixteen threads took the shared GIL
/// 0.5-1.3 ms apart for their first statements), more on a loaded machine.
/// The demos' workers that print as they start all start together.
const FIRST_LINES_WITHIN_MS: f64 = 25.0;

/// The lines in the order the console lists them: the order they were printed.
///
/// Threads and processes started one after another print their first lines
/// in the order they were started, however their workers' timers jitter:
/// CPython's `Thread.start()` returns once the new thread runs, and a pool
/// starts its threads (or forks its children) one at a time, so the first
/// statement of each comes before the next one exists. Within
/// `FIRST_LINES_WITHIN_MS`, a worker's first line is listed before the first line of a worker
/// started after it (the futures example's five `fetching....` lines come in
/// the order of `URLS`, as under CPython).
pub fn ordered(trace: &Trace, ms_per_second: f64, grid_seconds: Option<f64>) -> Vec<&Line> {
    let mut lines: Vec<&Line> = Vec::with_capacity(trace.lines.len());
    let mut first_seen = std::collections::HashSet::new();
    // For each line: the start order of its lane, if it is a worker's first line.
    let mut firsts = std::collections::HashMap::new();
    for line in &trace.lines {
        if first_seen.insert(line.lane) {
            if let Some(order) = trace.lanes.iter().position(|l| l.id == line.lane && l.kind.is_worker()) {
                firsts.insert(std::ptr::from_ref(line), order);
            }
        }
    }
    let first_of = |l: &Line| firsts.get(&std::ptr::from_ref(l)).copied();
    for line in &trace.lines {
        let mine = first_of(line);
        // A worker started later whose first line came within the window.
        let started_later = |l: &Line| {
            matches!((mine, first_of(l)), (Some(a), Some(b)) if b > a)
                && (l.at_ms - line.at_ms).abs() <= FIRST_LINES_WITHIN_MS
        };
        let started_earlier = |l: &Line| {
            matches!((mine, first_of(l)), (Some(a), Some(b)) if b < a)
                && (l.at_ms - line.at_ms).abs() <= FIRST_LINES_WITHIN_MS
        };
        let after = lines
            .iter()
            .rposition(|l| (l.at_ms <= line.at_ms + LATE_BY_MS && !started_later(l)) || started_earlier(l))
            .map_or(0, |i| i + 1);
        lines.insert(after, line);
    }
    if let (Some(grid), Some(first)) = (grid_seconds, trace.lines.first()) {
        let slot = |l: &Line| ((l.at_ms - first.at_ms) / ms_per_second / grid).round() as i64;
        let lane_order = |l: &Line| trace.lanes.iter().position(|lane| lane.id == l.lane).unwrap_or(usize::MAX);
        lines.sort_by_key(|l| (slot(l), lane_order(l)));
    }
    lines
}

/// The transcript as plain text, as a terminal would show it.
pub fn transcript(lines: &[&Line]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let trace = &props.trace;
    let lines = ordered(trace, props.ms_per_second, props.grid_seconds);
    let copied = use_state(|| false);
    let on_copy = {
        let text = transcript(&lines);
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&text);
                copied.set(true);
            }
        })
    };
    // The list follows new lines, unless the viewer scrolled up to read.
    let list = use_node_ref();
    let follow = use_mut_ref(|| true);
    {
        let (list, follow) = (list.clone(), follow.clone());
        use_effect_with(lines.len(), move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                if *follow.borrow() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let on_scroll = {
        let (list, follow) = (list.clone(), follow.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                *follow.borrow_mut() = el.scroll_top() + el.client_height() >= el.scroll_height() - 4;
            }
        })
    };
    let start = trace.start_ms.unwrap_or(0.0);
    let lane_index = |id| trace.lanes.iter().position(|l| l.id == id).unwrap_or(0);
    let name = props.label.as_ref().map_or_else(|| "Console".to_owned(), |l| format!("Console: {l}"));
    html! {
        <section class="console" aria-label={name}>
            <div class="console-head">
                <span>{ "Console" }</span>
                <button class="small" onclick={on_copy} disabled={trace.lines.is_empty()} data-testid="copy-transcript">
                    { if *copied { "Copied" } else { "Copy" } }
                </button>
            </div>
            <ol class="console-lines" data-testid="console" ref={list} onscroll={on_scroll} tabindex="0" aria-label="Printed lines">
                { for lines.iter().map(|line| {
                    let lane = trace.lane(line.lane);
                    let name = lane.map_or_else(String::new, |l| l.name.clone());
                    let seconds = (line.at_ms - start) / props.ms_per_second;
                    html! {
                        <li data-testid="console-line" data-lane={name.clone()} data-at={format!("{seconds:.3}")}>
                            <span class={classes!("tag", format!("lane-{}", lane_index(line.lane) % 8))} title={format!("at {seconds:.3} s")}>{ name }</span>
                            <span class={classes!("text", wraps_as_a_terminal(&line.text).then_some("terminal"))}>{ line.text.clone() }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// A traceback's statement, and the carets under the part that raised: in a
/// console narrower than they are, they wrap as a terminal wraps them, at the
/// same column, so the carets stay under their characters.
fn wraps_as_a_terminal(text: &str) -> bool {
    let statement = text.starts_with("    ") && !text[4..].starts_with(' ');
    let carets = text.trim_start().starts_with('^') && text.trim().chars().all(|c| c == '^');
    statement || carets
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_tracebacks_statement_and_carets_wrap_as_a_terminal() {
        assert!(wraps_as_a_terminal("    with urllib.request.urlopen(url, timeout=timeout) as conn:"));
        assert!(wraps_as_a_terminal("         ^^^^^^^^^^"));
        assert!(!wraps_as_a_terminal("        An attempt has been made to start a new process before the"));
        assert!(!wraps_as_a_terminal("  File \"futures_example.py\", line 16, in load_url"));
        assert!(!wraps_as_a_terminal("'http://www.cnn.com/' page is 1127356 bytes"));
    }

    use super::*;
    use crate::model::trace::{Lane, LaneKind};

    fn trace(lines: &[(f64, u32, &str)]) -> Trace {
        Trace {
            lines: lines.iter().map(|&(at_ms, lane, text)| Line { at_ms, lane, text: text.to_owned() }).collect(),
            ..Trace::default()
        }
    }

    fn lane(id: u32, kind: LaneKind) -> Lane {
        Lane {
            id,
            name: format!("lane {id}"),
            kind,
            spans: Vec::new(),
            open: None,
            ended: false,
            line: None,
            known_ms: 0.0,
        }
    }

    fn texts(lines: &[&Line]) -> Vec<String> {
        lines.iter().map(|l| l.text.clone()).collect()
    }

    #[test]
    fn lines_that_arrive_late_are_listed_when_they_were_printed() {
        let t =
            trace(&[(0.0, 0, "start"), (159.0, 0, "page is 0 bytes"), (21.0, 2, "fetching"), (25.0, 3, "fetching")]);
        assert_eq!(texts(&ordered(&t, 1000.0, None)), ["start", "fetching", "fetching", "page is 0 bytes"]);
    }

    #[test]
    fn lines_printed_within_a_tick_keep_the_order_they_arrived_in() {
        // A worker's last line, stamped on a coarse clock a little after the
        // main thread's answer to it, stays before it.
        let t = trace(&[(10.0, 1, "got 5 bytes"), (9.2, 0, "page is 5 bytes"), (30.0, 1, "done")]);
        assert_eq!(texts(&ordered(&t, 1000.0, None)), ["got 5 bytes", "page is 5 bytes", "done"]);
    }

    #[test]
    fn lines_due_on_the_same_tick_of_a_grid_are_listed_in_the_lanes_order() {
        // Workers that print on the same ticks (the classical example's, every
        // Python second) are listed at each tick in the order of their lanes,
        // whatever their timers' jitter.
        let t = Trace {
            lanes: vec![lane(1, LaneKind::Task), lane(2, LaneKind::Task)],
            ..trace(&[(0.0, 2, "b 0"), (2.0, 1, "a 0"), (101.0, 2, "b 1"), (99.0, 1, "a 1"), (151.0, 1, "a 1.5")])
        };
        assert_eq!(texts(&ordered(&t, 100.0, Some(1.0))), ["a 0", "b 0", "a 1", "b 1", "a 1.5"]);
        assert_eq!(
            texts(&ordered(&t, 100.0, None)),
            ["b 0", "a 0", "b 1", "a 1", "a 1.5"],
            "without a grid, as they came"
        );
    }

    #[test]
    fn workers_started_one_after_another_print_their_first_lines_in_that_order() {
        let t = Trace {
            lanes: vec![
                lane(0, LaneKind::MainThread),
                lane(1, LaneKind::Thread),
                lane(2, LaneKind::Thread),
                lane(3, LaneKind::Thread),
            ],
            ..trace(&[
                // The third worker's timer fired first, then the first's.
                (3.2, 3, "fetching c"),
                (3.0, 1, "fetching a"),
                // The second's, 3 ms late (a fresh page's first run).
                (6.2, 2, "fetching b"),
                // Later lines keep the order they were printed in.
                (51.0, 3, "got c"),
                (50.5, 1, "got a"),
                (51.2, 0, "page a"),
            ])
        };
        assert_eq!(
            texts(&ordered(&t, 1000.0, None)),
            ["fetching a", "fetching b", "fetching c", "got c", "got a", "page a"]
        );
        // Further apart than the window, the clocks decide.
        let apart = Trace { lines: trace(&[(39.0, 3, "c"), (3.0, 2, "b")]).lines, ..t.clone() };
        assert_eq!(texts(&ordered(&apart, 1000.0, None)), ["b", "c"]);
        // A worker started earlier whose first line came later still comes first.
        let reached_later = Trace { lines: trace(&[(6.2, 2, "b"), (3.2, 3, "c")]).lines, ..t.clone() };
        assert_eq!(texts(&ordered(&reached_later, 1000.0, None)), ["b", "c"]);
        let late = Trace { lines: trace(&[(3.0, 3, "c"), (39.0, 2, "b")]).lines, ..t };
        assert_eq!(texts(&ordered(&late, 1000.0, None)), ["c", "b"]);
    }
}
