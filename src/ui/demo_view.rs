//! A live demo: its parameters, Run / Stop / Reset, the code with the lines
//! each lane is at, and each session of the run as a panel. Its state is the
//! pure `DemoState`; the traces come from `use_live_run`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::code::CodeBlock;
use super::console::Console;
use super::controls::Controls;
use super::heartbeat::Heartbeat;
use super::hooks::use_drawn_in_turns;
use super::live::{use_live_run, Panel};
use super::markdown::ActiveLines;
use super::memory;
use super::outcome::Outcome;
use super::race::{self, Race};
use super::run_control::{use_run_control, RunControl};
use super::summary::Summary;
use super::sync::use_remote_demo;
use super::timeline::{self, Timeline};
use crate::demos::{short_work_note, speed_note, Claims, Demo};
use crate::model::demo_state::{DemoAction, DemoState, Status};
use crate::model::params::SPEED;
use crate::model::speaker::DemoReport;
use crate::model::trace::LaneState;
use crate::runtime::capabilities;

/// The run's status while the first CPU-bound run on a page times a CPU second.
const TIMING: &str = "measuring this computer's speed first…";

thread_local! {
    /// Whether a demo's code has been drawn in this page (its code compiled).
    static CODE_DRAWN: Cell<bool> = const { Cell::new(false) };
}

#[derive(Properties, PartialEq)]
pub struct DemoViewProps {
    pub demo: &'static Demo,
    /// The slide's id: what it keeps (parameters, last run) is kept under it.
    pub slide: AttrValue,
    #[prop_or_default]
    pub slide_code: Option<AttrValue>,
    /// The parameters in the link that opened the slide.
    #[prop_or_default]
    pub query: AttrValue,
    /// Called with the query that reproduces the current parameters.
    pub on_query: Callback<String>,
    /// Told the lines being run, when the slide shows the code the demo runs.
    #[prop_or_default]
    pub on_active: Callback<ActiveLines>,
}

impl Reducible for DemoState {
    type Action = DemoAction;

    fn reduce(self: Rc<Self>, action: DemoAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// A note's text, its `backticked` spans as code.
fn with_code(text: &str) -> Html {
    code_spans(text)
        .into_iter()
        .map(|(code, part)| {
            if code {
                html! { <code>{ part }</code> }
            } else {
                html! { { part } }
            }
        })
        .collect()
}

/// `text` in spans of prose and code (`false`, `true`): code between
/// backticks, as in markdown. With an unmatched backtick, all of it is prose.
fn code_spans(text: &str) -> Vec<(bool, &str)> {
    if text.matches('`').count() % 2 == 1 {
        return vec![(false, text)];
    }
    text.split('`').enumerate().filter(|(_, part)| !part.is_empty()).map(|(i, part)| (i % 2 == 1, part)).collect()
}

/// The lines the lanes of the newest panel are at: (line, lane index, lane name).
fn active_lines(panels: &[Panel]) -> ActiveLines {
    panels
        .last()
        .map(|panel| {
            panel
                .trace
                .lanes
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.ended)
                .filter_map(|(i, l)| l.line.map(|line| (line, i, l.name.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// A Run or Stop pressed from the keyboard (a click with no pointer: its
/// `detail` is 0) hands the focus on; one clicked with the mouse lets it go,
/// so the deck's keys (Space) act on the slide, not on the button.
fn by_keyboard_or_let_go(event: &MouseEvent, pressed: &Rc<RefCell<bool>>) {
    if event.detail() == 0 {
        *pressed.borrow_mut() = true;
    } else if let Some(focused) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        // The button the click focused (the page's events reach Yew at its root).
        let _ = focused.blur();
    }
}

#[component]
pub fn DemoView(props: &DemoViewProps) -> Html {
    let demo = props.demo;
    let state = {
        let query = props.query.clone();
        use_reducer(move || DemoState::from_query(demo.specs, &query))
    };
    let live = use_live_run();
    let cores = use_memo((), |_| capabilities::detect().cores);

    // A run this slide kept from an earlier visit shows again.
    {
        let (live, state, slide) = (live.clone(), state.clone(), props.slide.clone());
        use_effect_with((), move |_| {
            if let Some(kept) = memory::recall_run(&slide) {
                live.restore(kept.panels.iter().map(Panel::from).collect(), kept.ran_with.clone());
                state.dispatch(DemoAction::Restored(kept.end.clone()));
            }
        });
    }
    // The link follows the parameters the viewer set, as the fields show them
    // (a reload says what is wrong with one); the slide keeps the valid ones,
    // which it shows again on the next visit.
    {
        let (on_query, slide) = (props.on_query.clone(), props.slide.clone());
        let valid = state.params.to_query(demo.specs);
        let refused = !state.notices.is_empty();
        use_effect_with(state.link.clone(), move |(changes, query)| {
            if *changes > 0 {
                memory::keep_query(&slide, &valid);
                on_query.emit(query.clone());
            } else if !query.is_empty() {
                memory::keep_query(&slide, &valid);
                // A link with values the demo could not use says so, and then
                // carries the ones it uses: a link shared from here runs what this page runs.
                if refused {
                    on_query.emit(valid);
                }
            }
        });
    }

    let code = (demo.code)(props.slide_code.as_deref(), &state.params);
    let on_input = {
        let state = state.clone();
        Callback::from(move |(key, text): (&'static str, String)| state.dispatch(DemoAction::Input { key, text }))
    };
    let RunControl { run: run_now, stop: stop_now, reset: on_reset, action: on_action, timing } =
        use_run_control(demo, props.slide.clone(), state.clone(), live.clone(), code.clone());
    // Focus follows a run its buttons started or stopped from the keyboard:
    // Run hands it to Stop, and Stop back to Run when the run ends (a button
    // that becomes disabled under the focus drops it). A button clicked with
    // the mouse lets the focus go, and a run started by R or from the speaker
    // view leaves it where it was: on the slide, so Space still turns the
    // slide. The demo's first drawing moves it nowhere.
    let (run_button, stop_button) = (use_node_ref(), use_node_ref());
    let pressed = use_mut_ref(|| false);
    {
        let (run_button, stop_button, pressed) = (run_button.clone(), stop_button.clone(), pressed.clone());
        use_effect_with(state.is_running(), move |running| {
            let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            let (from, to) = if *running { (&run_button, &stop_button) } else { (&stop_button, &run_button) };
            let on_from = active.is_some() && active.as_ref() == from.cast::<web_sys::Element>().as_ref();
            let dropped = active.as_ref().is_none_or(|a| a.tag_name() == "BODY");
            let by_button = if *running { *pressed.borrow() } else { std::mem::take(&mut *pressed.borrow_mut()) };
            if on_from || (by_button && dropped) {
                if let Some(button) = to.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    }
    let on_run = {
        let (run_now, pressed) = (run_now.clone(), pressed.clone());
        Callback::from(move |e: MouseEvent| {
            by_keyboard_or_let_go(&e, &pressed);
            run_now.emit(())
        })
    };
    let on_stop = {
        let (stop_now, pressed) = (stop_now.clone(), pressed.clone());
        Callback::from(move |e: MouseEvent| {
            by_keyboard_or_let_go(&e, &pressed);
            stop_now.emit(())
        })
    };
    let panels = live.panels();
    let active = active_lines(&panels);
    // Once the demo has run, its controls fold into one line so the results come
    // first; the line opens them again. A field in error stays open.
    let params_open = use_state(|| false);
    {
        let params_open = params_open.clone();
        use_effect_with(state.runs, move |_| params_open.set(false));
    }
    // Nothing to show yet (never run, or Reset): the controls are what there is.
    let has_run = state.status != Status::Idle;
    let unfolded = !has_run || *params_open || !state.errors.is_empty();
    let on_fold = {
        let params_open = params_open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            params_open.set(!unfolded);
        })
    };
    // Where the slide already shows exactly this code, its lines light up there.
    let code_on_slide = props.slide_code.as_deref().map(str::trim_end) == Some(code.trim_end());
    // On the page's first demo the code, under the results, comes a turn after
    // the rest: it is most of the demo's elements, and drawn with them on a
    // first visit the one task (render, style and layout) took 40-120 ms in
    // Firefox. A later demo (another slide, a changed parameter) draws it at
    // once: a turn later, a frame without the code was painted in most
    // parameter changes, the note under it jumping up and back.
    let code_drawn = use_drawn_in_turns(1, CODE_DRAWN.with(Cell::get)) == 1;
    if code_drawn {
        CODE_DRAWN.with(|c| c.set(true));
    }
    {
        let on_active = props.on_active.clone();
        let lit = if code_on_slide { active.clone() } else { Vec::new() };
        use_effect_with(lit, move |lit| on_active.emit(lit.clone()));
    }
    {
        // Leaving the slide leaves no lit lines behind.
        let on_active = props.on_active.clone();
        use_effect_with((), move |_| move || on_active.emit(Vec::new()));
    }
    let running = state.is_running();
    let status_key = state.status.key();
    // A run shown is read at the speed it was made at, whatever the fields say
    // since; once they say otherwise, the pane says what made it.
    let ran_with = live.ran_with().filter(|_| !panels.is_empty());
    let ms_per_second = ran_with.as_ref().map_or(state.params.int(SPEED.key) as f64, |r| r.ms_per_second).max(1.0);
    let other_params = ran_with
        .as_ref()
        .filter(|r| !running && r.query != state.params.to_query(demo.specs))
        .map(|r| DemoState::from_query(demo.specs, &r.query));
    let shown_params = other_params.as_ref().map_or(&state.params, |s| &s.params);
    let view = demo.view;
    let claims = Claims::of(&view, &state.status, ms_per_second);
    let speedups = claims.speedup;
    // One legend, under the last panel, for the states any panel shows.
    let legend: Vec<LaneState> = if panels.len() > 1 {
        panels.iter().flat_map(|p| timeline::states_shown(&p.trace)).collect()
    } else {
        Vec::new()
    };
    // The panels of one run share one time axis, so their lengths compare.
    // Stepped as the timeline steps it, so a finished panel is not redrawn for every
    // millisecond the others grow.
    let axis_ms = timeline::axis_ms(panels.iter().map(|p| p.trace.wall_ms()).fold(0.0, f64::max), None, ms_per_second);
    // The speaker view's Run and Stop act as these buttons do; it is told how
    // the run stands, and once it has ended, its figures.
    let figures = if running {
        Vec::new()
    } else {
        race::lines(&race::rows(&panels, axis_ms, ms_per_second, *cores, speedups, claims.fastest))
    };
    use_remote_demo(DemoReport::of(&props.slide, &state).with_figures(figures), run_now.clone(), stop_now.clone());

    html! {
        <section class="card demo" data-testid="demo" data-demo={demo.name} data-status={status_key} data-runs={state.runs.to_string()}>
            <h3>{ demo.heading }</h3>
            // What the demo does, until it has run; then it folds with the parameters.
            if !has_run {
                <p class="hint intro">{ demo.intro }</p>
            }
            // Lists that grow sit in containers of their own: the nodes around them (the
            // buttons above all, which hold the focus) are never rebuilt as they change.
            <div class="notices">
                { for state.notices.iter().map(|n| html! { <p class="notice small" role="status" data-testid="demo-notice">{ n.clone() }</p> }) }
            </div>
            // Run first, then the parameters: folded to one line beside the buttons once run.
            <div class="demo-head">
                <div class="run-buttons">
                    <button data-testid="run" ref={run_button} onclick={on_run} disabled={!state.can_run()} title="Run (R)">{ "Run" }</button>
                    <button data-testid="stop" ref={stop_button} class="secondary" onclick={on_stop} disabled={!running} title="Stop (R)">{ "Stop" }</button>
                    <button data-testid="reset" class="secondary" onclick={on_reset}>{ "Reset" }</button>
                    <span class={classes!("run-status", status_key)} data-testid="run-status" role="status">
                        { if running && timing { TIMING.to_owned() } else { state.status.text() } }
                    </span>
                    <Outcome status={state.status.clone()} panels={panels.clone()} ms_per_second={ms_per_second}
                             grid_seconds={view.grid_seconds} show_speedup={speedups} cores={*cores} />
                </div>
                <details class="params" open={unfolded} data-testid="params">
                    <summary onclick={on_fold} data-testid="params-summary" title={if unfolded { "Fold the parameters" } else { "Change the parameters" }}>
                        <span class="params-title">{ "Parameters" }</span>
                        if !unfolded {
                            <span class="params-line">{ state.params_line() }</span>
                        }
                    </summary>
                    if has_run {
                        <p class="hint intro">{ demo.intro }</p>
                    }
                    <Controls specs={demo.specs} inputs={state.inputs.clone()} errors={state.errors.clone()} on_input={on_input}
                              on_submit={run_now.clone()} disabled={running} />
                </details>
            </div>
            // The slide shows its program as written: say so where this run's differs.
            if props.slide_code.is_some() && !code.is_empty() && !code_on_slide {
                <p class="hint code-differs" data-testid="code-differs">
                    { "This run's parameters change the slide's program: the program that runs is under the results." }
                </p>
            }
            if view.heartbeat {
                <Heartbeat running={running} on_action={on_action} />
            }
            // Above the figures it qualifies, where the race's bars would
            // otherwise name a winner that is the browser's delays.
            if let Some(made) = &other_params {
                <p class="hint note" data-testid="ran-with">
                    { "This run was made with " }<code>{ made.params_line() }</code>{ "; Run uses the parameters above." }
                </p>
            }
            if let Some(note) = speed_note(ms_per_second) {
                <p class="hint note" data-testid="speed-note">
                    { with_code(&note) }
                    if view.panels > 1 {
                        { " So the race names no part fastest." }
                    }
                </p>
            } else if let Some(note) = short_work_note(shown_params, ms_per_second) {
                <p class="hint note" data-testid="short-work-note">{ note }</p>
            }
            <div class="runs" data-testid="runs">
                if view.panels > 1 && !panels.is_empty() {
                    <Race panels={panels.clone()} expected={view.panels} axis_ms={axis_ms} ms_per_second={ms_per_second}
                          cores={*cores} show_speedup={speedups}
                          done={claims.fastest} />
                }
                { for panels.iter().enumerate().map(|(i, panel)| html! {
                    <RunPanel key={i} panel={panel.clone()} ms_per_second={ms_per_second} show_speedup={speedups}
                              grid_seconds={view.grid_seconds} axis_ms={axis_ms} cores={*cores}
                              legend={(i + 1 == panels.len()).then(|| legend.clone())} />
                }) }
            </div>
            if code_drawn && !code.is_empty() && !code_on_slide {
                <p class="code-caption" data-testid="code-caption">
                    { if props.slide_code.is_some() { "The slide's program, with this run's parameters" } else { "The program the demo runs" } }
                </p>
                <CodeBlock code={AttrValue::from(code)} lang={Some("py".to_owned())} classes={Some("demo-code".to_owned())} active={active}
                           label={AttrValue::Static("Python code the demo runs")} />
            }
            if let Some(note) = (demo.note)(&state.params) {
                <p class="hint note" data-testid="demo-note">{ with_code(note) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RunPanelProps {
    panel: Panel,
    ms_per_second: f64,
    show_speedup: bool,
    grid_seconds: Option<f64>,
    axis_ms: f64,
    cores: Option<u32>,
    /// The legend's states besides this panel's own; `None`: no legend here.
    legend: Option<Vec<LaneState>>,
}

/// A panel's name, which may break after a call's opening parenthesis: on a
/// phone "a pool of 3 threads" / "(ThreadPoolExecutor(" / "max_workers=3))",
/// not "…=3" then "))".
fn breakable(label: &str) -> Html {
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, _) in label.match_indices('(') {
        if label[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
            parts.push(&label[from..=at]);
            from = at + 1;
        }
    }
    parts.push(&label[from..]);
    html! { <>{ for parts.into_iter().map(|part| html! { <>{ part.to_owned() }<wbr /></> }) }</> }
}

/// One session of a run: its figures, its timeline, its console.
#[component]
fn RunPanel(props: &RunPanelProps) -> Html {
    let Panel { label, trace, sequential_ms } = props.panel.clone();
    let ms_per_second = props.ms_per_second;
    html! {
        <div class="panel" data-testid="panel" data-label={label.clone()}>
            <div class="panel-head">
                <h4 class="panel-label">{ breakable(&label) }</h4>
                <Summary label={label.clone()} trace={trace.clone()} ms_per_second={ms_per_second} sequential_ms={sequential_ms}
                         show_speedup={props.show_speedup} cores={props.cores} />
            </div>
            <Timeline trace={trace.clone()} ms_per_second={ms_per_second} axis_ms={props.axis_ms} legend={props.legend.clone()} />
            if !trace.lines.is_empty() {
                <Console trace={trace} ms_per_second={ms_per_second} grid_seconds={props.grid_seconds} label={label} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn a_note_shows_its_backticked_spans_as_code() {
        assert_eq!(
            code_spans("the form is `asyncio.run(main())`, with `loop` inside."),
            vec![
                (false, "the form is "),
                (true, "asyncio.run(main())"),
                (false, ", with "),
                (true, "loop"),
                (false, " inside.")
            ]
        );
        assert_eq!(code_spans("`x` first"), vec![(true, "x"), (false, " first")]);
        assert_eq!(code_spans("no code"), vec![(false, "no code")]);
        // An unmatched backtick is text, not the start of code that never ends.
        assert_eq!(code_spans("it's a ` tick"), vec![(false, "it's a ` tick")]);
    }
}
