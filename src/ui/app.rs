//! The shell: deck state, URL and keyboard wiring, and the layout.

use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::blackout::Blackout;
use super::fullscreen;
use super::goto::GoTo;
use super::help::Help;
use super::hooks::{
    current_hash, own_hash_change, push_hash, replace_hash, set_document_title, typing, use_drawn_in_turns,
    use_window_event, use_window_event_first,
};
use super::markdown::ActiveLines;
use super::nav::Nav;
use super::overview::Overview;
use super::pane_host::DemoHost;
use super::print::{PrintDeck, PrintRequest};
use super::slide::SlideView;
use super::speaker::{self, NotOpened, Speaker};
use super::state::{
    key_command, Action, Command, DeckState, Overlay, NARROW_SCREEN, OVERVIEW_COLUMNS, OVERVIEW_COLUMNS_NARROW,
};
use super::swipe::use_swipe;
use super::sync::{self, use_slide_sync};
use crate::deck::Deck;
use crate::model::route;
use crate::model::speaker::{Message, Role, WINDOW_NAME};

/// The turns of the first render: the app's state and hooks only, then the
/// frame and the navigation, then the slide, then the demo pane's place.
const DRAWN_FRAME: u8 = 1;
const DRAWN_SLIDE: u8 = 2;
const DRAWN_ALL: u8 = 3;

#[component]
pub fn App() -> Html {
    let deck = use_memo((), |_| crate::deck::builtin());
    // The projected page's first render in turns (see `DRAWN_FRAME`). The
    // loading screen stays until the slide is drawn.
    let drawn = use_drawn_in_turns(DRAWN_ALL, false);
    use_effect_with(drawn >= DRAWN_SLIDE, |&slide_drawn| {
        if slide_drawn {
            if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
                boot.remove();
            }
        }
    });
    // The speaker view or the projected slides, read once from the address.
    let role = *use_memo((), |_| speaker::role());
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
                let view = if role == Role::Speaker { "Speaker view · " } else { "" };
                set_document_title(&format!("{view}{} · Parallel Playground", slide.title));
            }
        });
    }
    // ...and in step with the other windows of the deck (the speaker view).
    // B in the speaker view blacks out the projected screen, not the presenter's.
    let black = state.overlay == Some(Overlay::Blackout);
    let screen_black = use_slide_sync(role, state.current, deck.slides.len(), black, state.dispatcher());
    // Where the browser blocked the speaker view's window: its address, to open by hand.
    let blocked = use_state(|| None::<String>);
    // ...and follow the URL when it changes: back/forward, an edited link.
    {
        let deck = deck.clone();
        let dispatcher = state.dispatcher();
        use_window_event("hashchange", move |event| {
            if own_hash_change(&event) {
                return;
            }
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
        // First of the page's key handlers: a key an overlay keeps is prevented
        // before the demo's own key (R) sees it.
        let (dispatcher, shown, blocked) = (state.dispatcher(), state.clone(), blocked.clone());
        use_window_event_first("keydown", move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if typing(event) {
                return;
            }
            let Some(command) = key_command(&shown, &event.key(), event.shift_key(), overview_columns()) else {
                return;
            };
            event.prevent_default();
            match command {
                Command::Deck(Action::Toggle(Overlay::Blackout)) if role == Role::Speaker => {
                    sync::post(&Message::Blackout { black: !screen_black })
                }
                Command::Deck(action) => dispatcher.dispatch(action),
                Command::ToggleFullscreen => toggle_fullscreen(dispatcher.clone()),
                Command::OpenSpeaker if role == Role::Projected => match speaker::open_window() {
                    Ok(()) => blocked.set(None),
                    Err(NotOpened::Blocked(url)) => blocked.set(Some(url)),
                    Err(NotOpened::NoChannel) => dispatcher.dispatch(Action::Notify(
                        "The speaker view needs BroadcastChannel to keep two windows in step, which this browser lacks."
                            .to_owned(),
                    )),
                },
                Command::OpenSpeaker => {}
                Command::Swallow => {}
            }
        });
    }

    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    use_swipe(on_action.clone());
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
    // Printing: `?print-pdf` in the address, or the browser's Print (for as long as it prints).
    let print = use_memo((), |_| {
        web_sys::window().and_then(|w| w.location().search().ok()).and_then(|s| PrintRequest::from_search(&s))
    });
    let printing = use_state(|| false);
    {
        let printing = printing.clone();
        use_window_event("beforeprint", move |_| printing.set(true));
    }
    {
        let printing = printing.clone();
        use_window_event("afterprint", move |_| printing.set(false));
    }
    // The browser's Print while presenting: the paper is the deck, printed
    // beside the live page, which stays mounted (hidden), so a run under way
    // goes on.
    let printing = *printing;
    let on_paper = print.as_ref().map(|p| p.notes).or(printing.then_some(false));
    let paper = on_paper.map_or_else(Html::default, |notes| html! { <PrintDeck deck={deck.clone()} {notes} /> });
    if print.is_some() || (printing && role == Role::Speaker) {
        return paper;
    }
    let Some(slide) = deck.slides.get(state.current).cloned() else {
        return html! { <p class="error">{ "This deck has no slides." }</p> };
    };
    let notice = html! {
        if let Some(notice) = state.notice.clone() {
            <div class="notice" role="status" data-testid="notice">
                <span>{ notice }</span>
                <button onclick={dismiss} aria-label="Dismiss this notice">{ "×" }</button>
            </div>
        }
    };
    if role == Role::Speaker {
        return html! {
            <div class="app speaker-app">
                { notice }
                <Speaker deck={deck.clone()} state={(*state).clone()} on_action={on_action.clone()} screen_black={screen_black} />
                { overlay(&state, &deck, on_action) }
            </div>
        };
    }
    if drawn < DRAWN_FRAME {
        return Html::default();
    }
    let unblock = {
        let blocked = blocked.clone();
        Callback::from(move |_: MouseEvent| blocked.set(None))
    };

    html! {
        <>
        <div class="app" hidden={printing}>
            { notice }
            if let Some(url) = (*blocked).clone() {
                <div class="notice" role="status" data-testid="speaker-blocked">
                    <span>
                        { "The browser kept the speaker view from opening a window. Open it by hand: " }
                        <a href={url} target={WINDOW_NAME} data-testid="speaker-link" onclick={unblock.clone()}>{ "the speaker view" }</a>
                    </span>
                    <button onclick={unblock} aria-label="Dismiss this notice">{ "×" }</button>
                </div>
            }
            <main class="stage">
                if drawn >= DRAWN_SLIDE {
                    <SlideView slide={slide} number={state.current + 1} notes_visible={state.notes_visible} active={(*active).clone()} />
                }
                if drawn >= DRAWN_ALL {
                    <DemoHost index={state.current} query={state.query.clone()} on_active={on_active} />
                }
            </main>
            <Nav state={(*state).clone()} on_action={on_action.clone()} />
            { overlay(&state, &deck, on_action) }
        </div>
        { paper }
        </>
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

/// The overlay open over the slide, if any.
fn overlay(state: &DeckState, deck: &std::rc::Rc<Deck>, on_action: Callback<Action>) -> Html {
    match &state.overlay {
        None => Html::default(),
        Some(Overlay::Overview { selected }) => html! {
            <Overview deck={deck.clone()} current={state.current} selected={*selected} {on_action} />
        },
        Some(Overlay::Help) => html! { <Help {on_action} /> },
        Some(Overlay::Blackout) => html! { <Blackout {on_action} /> },
        Some(Overlay::GoTo { typed, error }) => html! {
            <GoTo typed={typed.clone()} error={error.clone().map(AttrValue::from)} len={state.len} {on_action} />
        },
    }
}

/// F: the browser's fullscreen, or a notice saying why it refused.
fn toggle_fullscreen(dispatcher: UseReducerDispatcher<DeckState>) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(why) = fullscreen::toggle().await {
            dispatcher.dispatch(Action::Notify(format!("Fullscreen is not available here: {why}")));
        }
    });
}

/// The overview grid's columns as the stylesheet draws them on this screen.
fn overview_columns() -> usize {
    let narrow = web_sys::window()
        .and_then(|w| w.match_media(NARROW_SCREEN).ok().flatten())
        .is_some_and(|query| query.matches());
    if narrow {
        OVERVIEW_COLUMNS_NARROW
    } else {
        OVERVIEW_COLUMNS
    }
}
