//! A demo's runs: Run, Stop, Reset and R, a run stopped when its slide is
//! left, and the slide keeping each run as it ended. The view draws the
//! buttons; this hook is what they do.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::{typing, use_window_event};
use super::live::LiveRun;
use super::memory::{self, KeptPanel, KeptRun, RanWith};
use crate::demos::{Action, Demo, RunContext};
use crate::model::demo_state::{DemoAction, DemoState, RunEnd};
use crate::model::params::SPEED;
use crate::runtime::clock;

/// What a demo's buttons do.
pub struct RunControl {
    /// Run, unless a run is under way.
    pub run: Callback<()>,
    /// Stop: the run is kept as far as it got.
    pub stop: Callback<()>,
    /// Reset: the run stopped and forgotten, the parameters back to the link's.
    pub reset: Callback<MouseEvent>,
    /// A button of the demo's own, for the run under way.
    pub action: Callback<Action>,
    /// The first CPU-bound run on a page times a CPU second before its program starts.
    pub timing: bool,
}

/// How soon after the page is let go a press can be one made after it. A
/// demo that holds the page on purpose (a CPU-bound asyncio task) keeps every
/// press waiting until it lets go, and the browser hands them over at once,
/// by when the run may have ended: such a Run (or R) was a Stop that came too
/// late, not a new run. No one presses a key in answer to a page within this.
const LATE_PRESS_MS: f64 = 150.0;

/// The slide keeps the run `live` shows, ended so.
fn keep_run(slide: &str, live: &LiveRun, end: RunEnd) {
    let panels = live
        .panels_now()
        .into_iter()
        .map(|p| KeptPanel { label: p.label.to_string(), trace: (*p.trace.0).clone(), sequential_ms: p.sequential_ms })
        .collect();
    if let Some(ran_with) = live.ran_with() {
        memory::keep_run(slide, KeptRun { panels, end, ran_with });
    }
}

#[hook]
pub fn use_run_control(
    demo: &'static Demo,
    slide: AttrValue,
    state: UseReducerHandle<DemoState>,
    live: LiveRun,
    code: String,
) -> RunControl {
    let context = use_mut_ref(|| None::<RunContext>);
    // A run is under way from Run until it ends or Stop: a second Run (a double
    // press, R pressed twice before a redraw) does nothing meanwhile.
    let busy = use_mut_ref(|| false);
    // Leaving the slide stops its run, and the slide keeps it as far as it got.
    {
        let (context, live, busy, slide) = (context.clone(), live.clone(), busy.clone(), slide.clone());
        use_effect_with((), move |_| {
            move || {
                if let Some(ctx) = context.borrow_mut().take() {
                    ctx.stop();
                    if std::mem::take(&mut *busy.borrow_mut()) {
                        live.draw_now();
                        keep_run(&slide, &live, RunEnd::Left);
                    }
                }
                live.release();
            }
        });
    }
    // The first CPU-bound run on a page times a CPU second before its program starts.
    let timing = use_state(|| false);
    let run_now = {
        let (state, context, live, code, busy) =
            (state.clone(), context.clone(), live.clone(), code.clone(), busy.clone());
        let timing = timing.setter();
        let slide = slide.clone();
        Callback::from(move |()| {
            if !state.can_run() || *busy.borrow() || clock::let_go_within(LATE_PRESS_MS) {
                return;
            }
            *busy.borrow_mut() = true;
            if let Some(old) = context.borrow_mut().take() {
                old.stop();
            }
            let run = state.runs + 1;
            state.dispatch(DemoAction::Run);
            let ms_per_second = state.params.int(SPEED.key) as f64;
            timing.set(false);
            let ran_with = RanWith { query: state.params.to_query(demo.specs), ms_per_second };
            let ctx = RunContext::new(ms_per_second, &code, live.follow(ran_with)).on_timing({
                let timing = timing.clone();
                move |now| timing.set(now)
            });
            *context.borrow_mut() = Some(ctx.clone());
            let (state, live, params, busy) = (state.clone(), live.clone(), state.params.clone(), busy.clone());
            let slide = slide.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = (demo.run)(ctx.clone(), params).await;
                // A demo that fails returns before it ends its sessions: nothing of it runs on.
                if outcome.is_err() {
                    ctx.end_failed();
                }
                live.draw_now();
                // The slide keeps its last run (a stopped one was kept as Stop or leaving stopped it).
                if !ctx.is_stopped() {
                    keep_run(&slide, &live, RunEnd::of(false, &outcome));
                    *busy.borrow_mut() = false;
                }
                state.dispatch(DemoAction::Ended { run, stopped: ctx.is_stopped(), outcome });
            });
        })
    };
    let stop_now = {
        let (state, context, live, busy) = (state.clone(), context.clone(), live.clone(), busy.clone());
        let slide = slide.clone();
        Callback::from(move |()| {
            if let Some(ctx) = context.borrow().as_ref() {
                ctx.stop();
            }
            let was_running = std::mem::take(&mut *busy.borrow_mut());
            live.draw_now();
            if was_running {
                keep_run(&slide, &live, RunEnd::Stopped);
            }
            state.dispatch(DemoAction::Stop);
        })
    };
    // R runs the demo, or stops it while it runs (not while typing in a field).
    {
        let (run_now, stop_now, running) = (run_now.clone(), stop_now.clone(), state.is_running());
        use_window_event("keydown", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if !matches!(event.key().as_str(), "r" | "R") || typing(event) {
                return;
            }
            event.prevent_default();
            if running {
                stop_now.emit(());
            } else {
                run_now.emit(());
            }
        });
    }
    let on_reset = {
        let (state, context, live, busy) = (state.clone(), context.clone(), live.clone(), busy.clone());
        let slide = slide.clone();
        Callback::from(move |_: MouseEvent| {
            memory::forget(&slide);
            if let Some(ctx) = context.borrow_mut().take() {
                ctx.stop();
            }
            *busy.borrow_mut() = false;
            live.clear();
            state.dispatch(DemoAction::Reset);
        })
    };
    let on_action = {
        let context = context.clone();
        Callback::from(move |action: Action| {
            if let Some(ctx) = context.borrow().as_ref() {
                ctx.send(action);
            }
        })
    };

    RunControl { run: run_now, stop: stop_now, reset: on_reset, action: on_action, timing: *timing }
}
