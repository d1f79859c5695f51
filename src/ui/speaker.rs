//! The speaker view (S): the current slide's notes, the slide itself and the
//! next one small, the time, and the buttons of the slide's demo, which runs in
//! the projected window. It moves with that window (`sync`); this file also
//! opens it and tells a page that is the speaker view.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::typing;
use super::markdown;
use super::state::{Action, DeckState};
use super::sync::{self, use_messages};
use crate::deck::{Deck, Slide};
use crate::demos;
use crate::model::speaker::{
    clock_text, elapsed_text, speaker_url, DemoCommand, DemoReport, Message, Role, WINDOW_NAME,
};

/// Which view this page is, from its address as it opened (`?speaker`).
pub fn role() -> Role {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if crate::model::speaker::is_speaker(&search) {
        Role::Speaker
    } else {
        Role::Projected
    }
}

/// Why the speaker view's window did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotOpened {
    /// The browser cannot keep two windows in step.
    NoChannel,
    /// A popup blocker refused it: the viewer can open this address by hand.
    Blocked(String),
}

/// Opens the speaker view in a window of its own (or brings back the one open).
pub fn open_window() -> Result<(), NotOpened> {
    if !sync::available() {
        return Err(NotOpened::NoChannel);
    }
    let Some(window) = web_sys::window() else {
        return Err(NotOpened::NoChannel);
    };
    let url = speaker_url(&window.location().href().unwrap_or_default());
    match window.open_with_url_and_target_and_features(&url, WINDOW_NAME, "popup,width=1280,height=720") {
        Ok(Some(_)) => Ok(()),
        _ => Err(NotOpened::Blocked(url)),
    }
}

#[derive(Properties, PartialEq)]
pub struct SpeakerProps {
    pub deck: Rc<Deck>,
    pub state: DeckState,
    pub on_action: Callback<Action>,
    /// The projected screen is black (B, here or there).
    #[prop_or_default]
    pub screen_black: bool,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn Speaker(props: &SpeakerProps) -> Html {
    let state = &props.state;
    // The projected window's demo, as it last said.
    let report = use_state(|| None::<DemoReport>);
    {
        let report = report.clone();
        use_messages(move |message| {
            if let Message::Status(told) = message {
                report.set(Some(told));
            }
        });
    }
    let started = use_state(now_ms);
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1_000, move || now.set(now_ms()));
            move || drop(tick)
        });
    }
    let slide = props.deck.slides.get(state.current);
    let next = props.deck.slides.get(state.current + 1);
    let demo = slide.and_then(|s| s.demo.as_deref()).and_then(demos::heading);
    let slide_id = slide.map(|s| s.id.clone()).unwrap_or_default();
    let told = report.as_ref().filter(|r| r.slide == slide_id).cloned();
    let running = told.as_ref().is_some_and(|r| r.status == "running");
    let command = |command: DemoCommand| {
        let slide = slide_id.clone();
        move || sync::post(&Message::Demo { slide: slide.clone(), command })
    };
    // R runs the demo in the projected window, or stops it there.
    {
        let (run, stop, has_demo) = (command(DemoCommand::Run), command(DemoCommand::Stop), demo.is_some());
        use_window_event_r(move || match (has_demo, running) {
            (false, _) => {}
            (true, true) => stop(),
            (true, false) => run(),
        });
    }
    let send = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let on_reset = {
        let (started, now) = (started.clone(), now.clone());
        Callback::from(move |_: MouseEvent| {
            started.set(now_ms());
            now.set(now_ms());
        })
    };
    let on_run = {
        let run = command(DemoCommand::Run);
        Callback::from(move |_: MouseEvent| run())
    };
    let on_stop = {
        let stop = command(DemoCommand::Stop);
        Callback::from(move |_: MouseEvent| stop())
    };
    let date = js_sys::Date::new(&(*now).into());

    html! {
        <div class={classes!("speaker", props.screen_black.then_some("black"))} data-testid="speaker">
            <header class="speaker-bar">
                <h1 class="brand">{ "Speaker view" }</h1>
                <button class="nav-button" data-testid="speaker-prev" onclick={send(Action::Previous)}
                        disabled={state.is_first()} title="Previous slide (←)">{ "← Previous" }</button>
                <span class="counter" data-testid="speaker-counter" aria-live="polite">
                    { format!("{} / {}", state.current + 1, state.len) }
                </span>
                <button class="nav-button" data-testid="speaker-next" onclick={send(Action::Next)}
                        disabled={state.is_last()} title="Next slide (→, Space)">{ "Next →" }</button>
                <span class="speaker-time">
                    <span class="speaker-label">{ "Elapsed" }</span>
                    <span class="speaker-figure" data-testid="speaker-elapsed">{ elapsed_text(*now - *started) }</span>
                    <button class="nav-button small" data-testid="speaker-reset" onclick={on_reset}
                            title="Count the time from now">{ "Reset" }</button>
                    <span class="speaker-label">{ "Clock" }</span>
                    <span class="speaker-figure" data-testid="speaker-clock">{ clock_text(date.get_hours(), date.get_minutes()) }</span>
                </span>
                if props.screen_black {
                    <span class="speaker-black" data-testid="speaker-black" role="status">{ "The projected screen is black: B brings the slide back" }</span>
                }
            </header>
            <main class="speaker-body">
                <section class="speaker-notes" data-testid="speaker-notes" aria-label="Speaker notes">
                    <h2 class="speaker-heading">{ slide.map(|s| s.title.clone()).unwrap_or_default() }</h2>
                    { match slide {
                        Some(s) if !s.notes.is_empty() => markdown::blocks(&s.notes),
                        _ => html! { <p class="notes-empty">{ "No notes for this slide." }</p> },
                    } }
                </section>
                <div class="speaker-side">
                    { preview("Now", state.current, slide, "speaker-current") }
                    { match next {
                        Some(_) => preview("Next", state.current + 1, next, "speaker-next-slide"),
                        None => html! {
                            <section class="speaker-card" data-testid="speaker-next-slide">
                                <h3 class="speaker-card-title">{ "Next" }</h3>
                                <p class="hint">{ "This is the last slide." }</p>
                            </section>
                        },
                    } }
                    if let Some(heading) = demo {
                        <section class="speaker-card speaker-demo" data-testid="speaker-demo"
                                 data-status={told.as_ref().map(|r| r.status.clone())}>
                            <h3 class="speaker-card-title">{ format!("Demo: {heading}") }</h3>
                            <div class="run-buttons">
                                <button data-testid="speaker-run" onclick={on_run}
                                        disabled={told.as_ref().is_none_or(|r| !r.can_run)} title="Run in the projected window (R)">{ "Run" }</button>
                                <button data-testid="speaker-stop" class="secondary" onclick={on_stop}
                                        disabled={!running} title="Stop (R)">{ "Stop" }</button>
                                { match &told {
                                    Some(r) => html! {
                                        <span class={classes!("run-status", r.status.clone())} data-testid="speaker-run-status" role="status">{ r.text.clone() }</span>
                                    },
                                    None => html! {
                                        <span class="run-status" data-testid="speaker-run-status" role="status">{ "no projected window" }</span>
                                    },
                                } }
                            </div>
                            if let Some(r) = told.as_ref().filter(|r| !r.figures.is_empty()) {
                                <ul class="speaker-figures" data-testid="speaker-figures" aria-label="The last run's figures">
                                    { for r.figures.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
                                </ul>
                            }
                            { match &told {
                                Some(r) if !r.params.is_empty() => html! { <p class="speaker-params" data-testid="speaker-params">{ r.params.clone() }</p> },
                                Some(_) => html! {},
                                None => html! { <p class="hint">{ "Open the deck itself (S in this browser opens this view from it) for its demo to run there." }</p> },
                            } }
                        </section>
                    }
                </div>
            </main>
        </div>
    }
}

/// A slide, small: its number and title, and its content cut to the card.
fn preview(label: &str, index: usize, slide: Option<&Slide>, testid: &'static str) -> Html {
    let Some(slide) = slide else {
        return html! {};
    };
    html! {
        <section class="speaker-card" data-testid={testid} aria-label={format!("{label}: slide {}", index + 1)}>
            <h3 class="speaker-card-title">
                { format!("{label} · {}. ", index + 1) }
                <span data-testid={format!("{testid}-title")}>{ slide.title.clone() }</span>
            </h3>
            <div class="speaker-preview" inert=true>{ markdown::blocks(&slide.content) }</div>
        </section>
    }
}

/// R, not while typing: the demo's key, as on the projected page.
#[hook]
fn use_window_event_r<F: Fn() + 'static>(handler: F) {
    super::hooks::use_window_event("keydown", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if matches!(event.key().as_str(), "r" | "R") && !typing(event) {
            event.prevent_default();
            handler();
        }
    });
}
