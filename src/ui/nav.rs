//! Previous/next buttons, the slide counter and the notes switch.

use yew::prelude::*;

use super::state::{Action, DeckState};

#[derive(Properties, PartialEq)]
pub struct NavProps {
    pub state: DeckState,
    pub on_action: Callback<Action>,
}

#[component]
pub fn Nav(props: &NavProps) -> Html {
    let state = &props.state;
    let send = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    html! {
        <nav class="nav" aria-label="Slides">
            <span class="brand">{ "Parallel Playground" }</span>
            <button class="nav-button" data-testid="prev" onclick={send(Action::Previous)}
                    disabled={state.is_first()} title="Previous slide (←, PageUp, Shift+Space)">{ "← Previous" }</button>
            <span class="counter" data-testid="slide-counter" aria-live="polite">
                { format!("{} / {}", state.current + 1, state.len) }
            </span>
            <button class="nav-button" data-testid="next" onclick={send(Action::Next)}
                    disabled={state.is_last()} title="Next slide (→, PageDown, Space)">{ "Next →" }</button>
            <button class="nav-button notes-toggle" data-testid="notes-toggle" onclick={send(Action::ToggleNotes)}
                    aria-pressed={state.notes_visible.to_string()} title="Speaker notes (N)">{ "Notes" }</button>
            <span class="hint keys">{ "← → move · R runs, stops · ? all keys" }</span>
        </nav>
    }
}
