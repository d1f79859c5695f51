//! A live demo: its parameters, Run / Stop / Reset, the code with the lines
//! each lane is at, the timeline, the console and the figures. Events are
//! folded once per animation frame, however many arrive.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::code::CodeBlock;
use super::console::Console;
use super::controls::Controls;
use super::heartbeat::Heartbeat;
use super::markdown::ActiveLines;
use super::summary::Summary;
use super::timeline::Timeline;
use super::Snapshot;
use crate::demos::{Demo, RunContext};
use crate::model::params::{format_value, parse_value, Params, SPEED};
use crate::model::trace::{Event, Trace};

#[derive(Properties, PartialEq)]
pub struct DemoViewProps {
    pub demo: Demo,
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

#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Running,
    Done,
    Stopped,
    Failed(String),
}

/// Sessions of the current run, their traces, and events not yet folded in.
#[derive(Default)]
struct Live {
    /// Each session's label, trace, and what its jobs take one after another (if the lanes cannot tell).
    panels: Vec<(String, Trace, Option<f64>)>,
    pending: Vec<(usize, Event)>,
    frame: Option<Closure<dyn FnMut(f64)>>,
    /// When the views last got a new snapshot, and the pending redraw if one is due.
    drawn_at: f64,
    redraw: Option<gloo_timers::callback::Timeout>,
    /// Bumped at each new run: late events of an old run are dropped.
    generation: u64,
}

type Panels = Vec<(String, Snapshot, Option<f64>)>;

fn inputs_of(demo: Demo, params: &Params) -> Vec<(&'static str, String)> {
    demo.specs().iter().filter_map(|s| params.get(s.key).map(|v| (s.key, format_value(v)))).collect()
}

#[component]
pub fn DemoView(props: &DemoViewProps) -> Html {
    let demo = props.demo;
    let specs = demo.specs();
    let initial = use_memo((demo, props.query.clone()), |(demo, query)| Params::from_query(demo.specs(), query));
    let params = use_state(|| initial.0.clone());
    let inputs = use_state(|| inputs_of(demo, &initial.0));
    let errors = use_state(Vec::<(&'static str, String)>::new);
    let notices = use_state(|| initial.1.clone());
    let status = use_state(|| Status::Idle);
    let runs = use_state(|| 0u32);
    let panels = use_state(Panels::new);
    let live = use_mut_ref(Live::default);
    let context = use_mut_ref(|| None::<RunContext>);

    // Leaving the slide stops its run.
    {
        let context = context.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(ctx) = context.borrow_mut().take() {
                    ctx.stop();
                }
            }
        });
    }

    let flush: Rc<dyn Fn(bool)> = {
        let live = live.clone();
        let panels = panels.clone();
        Rc::new(move |force| flush(&live, &panels, force))
    };

    let on_input = {
        let (params, inputs, errors) = (params.clone(), inputs.clone(), errors.clone());
        let on_query = props.on_query.clone();
        Callback::from(move |(key, text): (&'static str, String)| {
            let mut typed = (*inputs).clone();
            if let Some(slot) = typed.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = text.clone();
            }
            inputs.set(typed);
            let mut problems: Vec<_> = errors.iter().filter(|(k, _)| *k != key).cloned().collect();
            match specs.iter().find(|s| s.key == key).map(|spec| parse_value(spec, &text)) {
                Some(Ok(value)) => {
                    let mut next = (*params).clone();
                    next.set(key, value);
                    on_query.emit(next.to_query(specs));
                    params.set(next);
                }
                Some(Err(message)) => problems.push((key, message)),
                None => {}
            }
            errors.set(problems);
        })
    };

    let code = demo.code(props.slide_code.as_deref(), &params);
    let on_run = {
        let (params, status, errors, context, live, panels) =
            (params.clone(), status.clone(), errors.clone(), context.clone(), live.clone(), panels.clone());
        let flush = flush.clone();
        let code = code.clone();
        let runs = runs.clone();
        Callback::from(move |_: MouseEvent| {
            if !errors.is_empty() || *status == Status::Running {
                return;
            }
            if let Some(old) = context.borrow_mut().take() {
                old.stop();
            }
            let generation = {
                let mut live = live.borrow_mut();
                live.generation += 1;
                live.panels.clear();
                live.pending.clear();
                live.generation
            };
            panels.set(Vec::new());
            let ctx = RunContext::new(&params, &code, {
                let live = live.clone();
                let flush = flush.clone();
                move |label, session, sequential_ms| {
                    let index = {
                        let mut l = live.borrow_mut();
                        l.panels.push((label.to_owned(), Trace::default(), sequential_ms));
                        l.panels.len() - 1
                    };
                    let live = live.clone();
                    let flush = flush.clone();
                    session.subscribe(move |event| queue(&live, &flush, generation, index, event.clone()));
                }
            });
            *context.borrow_mut() = Some(ctx.clone());
            runs.set(*runs + 1);
            status.set(Status::Running);
            let (status, flush, params) = (status.clone(), flush.clone(), (*params).clone());
            wasm_bindgen_futures::spawn_local(async move {
                let stopped = ctx.clone();
                let outcome = demo.run(ctx, params).await;
                flush(true);
                status.set(match outcome {
                    _ if stopped.is_stopped() => Status::Stopped,
                    Ok(()) => Status::Done,
                    Err(message) => Status::Failed(message),
                });
            });
        })
    };
    let on_stop = {
        let (status, context) = (status.clone(), context.clone());
        let flush = flush.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(ctx) = context.borrow().as_ref() {
                ctx.stop();
            }
            flush(true);
            status.set(Status::Stopped);
        })
    };
    let on_reset = {
        let (status, context, panels, live) = (status.clone(), context.clone(), panels.clone(), live.clone());
        let (params, inputs, errors, notices) = (params.clone(), inputs.clone(), errors.clone(), notices.clone());
        let on_query = props.on_query.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(ctx) = context.borrow_mut().take() {
                ctx.stop();
            }
            live.borrow_mut().generation += 1;
            let defaults = Params::defaults(specs);
            inputs.set(inputs_of(demo, &defaults));
            on_query.emit(String::new());
            params.set(defaults);
            errors.set(Vec::new());
            notices.set(Vec::new());
            panels.set(Vec::new());
            status.set(Status::Idle);
        })
    };
    let on_action = {
        let context = context.clone();
        Callback::from(move |action: &'static str| {
            if let Some(ctx) = context.borrow().as_ref() {
                ctx.send(action);
            }
        })
    };

    let running = *status == Status::Running;
    let ms_per_second = params.int(SPEED.key).max(1) as f64;
    let active: Vec<(u32, usize, String)> = panels
        .last()
        .map(|(_, trace, _)| {
            trace
                .lanes
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.ended)
                .filter_map(|(i, l)| l.line.map(|line| (line, i, l.name.clone())))
                .collect()
        })
        .unwrap_or_default();
    // Where the slide already shows exactly this code, its lines light up there.
    let code_on_slide = props.slide_code.as_deref() == Some(code.as_str());
    {
        let on_active = props.on_active.clone();
        let lit = if code_on_slide { active.clone() } else { Vec::new() };
        use_effect_with(lit, move |lit| {
            on_active.emit(lit.clone());
        });
    }
    {
        // Leaving the slide leaves no lit lines behind.
        let on_active = props.on_active.clone();
        use_effect_with((), move |_| move || on_active.emit(Vec::new()));
    }
    let status_text = match &*status {
        Status::Idle => "ready".to_owned(),
        Status::Running => "running".to_owned(),
        Status::Done => "finished".to_owned(),
        Status::Stopped => "stopped".to_owned(),
        Status::Failed(message) => format!("failed: {message}"),
    };
    let status_key = match &*status {
        Status::Idle => "idle",
        Status::Running => "running",
        Status::Done => "done",
        Status::Stopped => "stopped",
        Status::Failed(_) => "failed",
    };

    html! {
        <section class="card demo" data-testid="demo" data-demo={demo.name()} data-status={status_key} data-runs={runs.to_string()}>
            <h3>{ demo.heading() }</h3>
            <p class="hint">{ demo.intro() }</p>
            { for notices.iter().map(|n| html! { <p class="notice small" role="status" data-testid="demo-notice">{ n.clone() }</p> }) }
            <Controls specs={specs} inputs={(*inputs).clone()} errors={(*errors).clone()} on_input={on_input} disabled={running} />
            <div class="run-buttons">
                <button data-testid="run" onclick={on_run} disabled={running || !errors.is_empty()}>{ "Run" }</button>
                <button data-testid="stop" class="secondary" onclick={on_stop} disabled={!running}>{ "Stop" }</button>
                <button data-testid="reset" class="secondary" onclick={on_reset}>{ "Reset" }</button>
                <span class={classes!("run-status", status_key)} data-testid="run-status" role="status">{ status_text }</span>
            </div>
            if demo == Demo::AsyncIo {
                <Heartbeat running={running} on_action={on_action} />
            }
            { for panels.iter().map(|(label, trace, sequential_ms)| html! {
                <div class="panel" data-testid="panel" data-label={label.clone()}>
                    <h4 class="panel-label">{ label.clone() }</h4>
                    <Summary label={AttrValue::from(label.clone())} trace={trace.clone()} ms_per_second={ms_per_second} sequential_ms={*sequential_ms}
                             show_speedup={demo != Demo::AsyncIo} />
                    <Timeline trace={trace.clone()} ms_per_second={ms_per_second} />
                    if !trace.lines.is_empty() {
                        <Console trace={trace.clone()} ms_per_second={ms_per_second} grid_seconds={demo.grid_seconds()} />
                    }
                </div>
            }) }
            if !code.is_empty() && !code_on_slide {
                <CodeBlock code={AttrValue::from(code.clone())} lang={Some("py".to_owned())} classes={Some("demo-code".to_owned())} active={active} />
            }
            if let Some(note) = demo.note(&params) {
                <p class="hint note" data-testid="demo-note">{ note }</p>
            }
        </section>
    }
}

/// Queues an event and asks for one fold at the next animation frame.
fn queue(live: &Rc<RefCell<Live>>, flush: &Rc<dyn Fn(bool)>, generation: u64, panel: usize, event: Event) {
    let mut l = live.borrow_mut();
    if l.generation != generation {
        return;
    }
    l.pending.push((panel, event));
    if l.frame.is_some() {
        return;
    }
    let flush = flush.clone();
    let frame_live = live.clone();
    let closure = Closure::once(move |_: f64| {
        flush(false);
        // This closure is running: let it go once it has returned.
        let done = frame_live.borrow_mut().frame.take();
        wasm_bindgen_futures::spawn_local(async move { drop(done) });
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(closure.as_ref().unchecked_ref());
    }
    l.frame = Some(closure);
}

/// Folds queued events into the traces and hands the views new snapshots.
///
/// Folding is cheap and happens every frame; redrawing thousands of spans is
/// not, so while a run goes on the views get a snapshot at most every
/// `REDRAW_MS` (`force` draws at once: a run ended or was stopped).
fn flush(live: &Rc<RefCell<Live>>, panels: &UseStateHandle<Panels>, force: bool) {
    let snapshot = {
        let mut l = live.borrow_mut();
        let pending = std::mem::take(&mut l.pending);
        for (index, event) in pending {
            if let Some((_, trace, _)) = l.panels.get_mut(index) {
                trace.push(event);
            }
        }
        let now = crate::runtime::clock::now();
        if !force && now - l.drawn_at < REDRAW_MS {
            if l.redraw.is_none() {
                let (again, panels) = (live.clone(), panels.clone());
                let wait = (REDRAW_MS - (now - l.drawn_at)).max(1.0) as u32;
                l.redraw = Some(gloo_timers::callback::Timeout::new(wait, move || {
                    // This timer is running: let it go once it has returned.
                    let fired = again.borrow_mut().redraw.take();
                    wasm_bindgen_futures::spawn_local(async move { drop(fired) });
                    flush(&again, &panels, true);
                }));
            }
            return;
        }
        l.drawn_at = now;
        // A redraw still pending is no longer needed.
        l.redraw = None;
        l.panels
            .iter()
            .map(|(label, trace, seq)| (label.clone(), Snapshot(Rc::new(trace.clone())), *seq))
            .collect::<Panels>()
    };
    panels.set(snapshot);
}

/// How often the views redraw while a run goes on.
const REDRAW_MS: f64 = 100.0;
