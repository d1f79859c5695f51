//! The shell: deck state, URL and keyboard wiring, and the layout.

use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::demo_pane::DemoPane;
use super::hooks::{current_hash, push_hash, replace_hash, set_document_title, typing, use_window_event};
use super::markdown::ActiveLines;
use super::nav::Nav;
use super::slide::SlideView;
use super::state::{key_action, Action, DeckState};
use crate::deck::Deck;
use crate::model::route;

#[component]
pub fn App() -> Html {
    let deck = use_memo((), |_| crate::deck::builtin());
    let state = {
        let deck = deck.clone();
        use_reducer(move || {
            let resolved = route::resolve(&current_hash(), &deck);
            let hash = current_hash();
            DeckState::new(deck.slides.len(), resolved.index, resolved.notice).with_query(route::query(&hash))
        })
    };

    // The slide shown is the slide in the URL: write it there when it changes.
    {
        let deck = deck.clone();
        use_effect_with(state.current, move |&current| {
            sync_hash(&deck, current);
            if let Some(slide) = deck.slides.get(current) {
                set_document_title(&format!("{} · Parallel Playground", slide.title));
            }
        });
    }
    // ...and follow the URL when it changes: back/forward, an edited link.
    {
        let deck = deck.clone();
        let dispatcher = state.dispatcher();
        use_window_event("hashchange", move |_| {
            let hash = current_hash();
            let resolved = route::resolve(&hash, &deck);
            dispatcher.dispatch(Action::Route {
                index: resolved.index,
                notice: resolved.notice,
                query: route::query(&hash).to_owned(),
            });
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_window_event("keydown", move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if let Some(action) = keyboard_action(event) {
                event.prevent_default();
                dispatcher.dispatch(action);
            }
        });
    }

    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    let dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::DismissNotice))
    };
    // The lines the slide's demo is running, lit in the slide's own code.
    let active = use_state(|| std::rc::Rc::new(ActiveLines::new()));
    let on_active = {
        let active = active.clone();
        let shown = use_mut_ref(ActiveLines::new);
        // One callback for the app's life, so the demo pane is not redrawn for a new one.
        use_callback((), move |lines: ActiveLines, _| {
            if *shown.borrow() != lines {
                *shown.borrow_mut() = lines.clone();
                active.set(std::rc::Rc::new(lines));
            }
        })
    };
    let Some(slide) = deck.slides.get(state.current).cloned() else {
        return html! { <p class="error">{ "This deck has no slides." }</p> };
    };

    html! {
        <div class="app">
            if let Some(notice) = state.notice.clone() {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ notice }</span>
                    <button onclick={dismiss} aria-label="Dismiss this notice">{ "×" }</button>
                </div>
            }
            <main class="stage">
                <SlideView slide={slide} number={state.current + 1} notes_visible={state.notes_visible} active={(*active).clone()} />
                <DemoPane deck={deck.clone()} index={state.current} query={state.query.clone()} on_active={on_active} />
            </main>
            <Nav state={(*state).clone()} on_action={on_action} />
        </div>
    }
}

/// Puts the current slide's canonical hash in the URL. A hash that already
/// means this slide (`#/3`, or none at all) is rewritten in place; otherwise the
/// move gets its own history entry.
fn sync_hash(deck: &Deck, current: usize) {
    let hash = current_hash();
    let canonical = route::hash_for(deck, current);
    let shown = route::slide_ref(&hash);
    if route::resolve(&hash, deck).index == current {
        // Already this slide: name it by id (`#/3` -> `#/introduction`), keep its demo's parameters.
        if format!("#/{shown}") != canonical {
            replace_hash(&route::hash_with_query(deck, current, route::query(&hash)));
        }
    } else {
        push_hash(&canonical);
    }
}

/// What a key press does here, leaving typing, shortcuts and buttons alone.
fn keyboard_action(event: &KeyboardEvent) -> Option<Action> {
    if typing(event) {
        return None;
    }
    key_action(&event.key(), event.shift_key())
}
