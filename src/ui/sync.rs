//! The windows of the deck in step: one `BroadcastChannel` per window, and the
//! hooks that speak over it (`model::speaker` decides what they say). A window
//! never hears its own messages; one that cannot be read is ignored.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};
use yew::prelude::*;

use super::hooks::current_hash;
use super::state::{Action, DeckState, Overlay};
use crate::model::route;
use crate::model::speaker::{answer, greeting, DemoCommand, DemoReport, Follower, Message, Role, CHANNEL};
use crate::runtime::messages::{from_js, to_js};

thread_local! {
    /// `None` where the browser has no `BroadcastChannel`.
    static OPEN: Option<BroadcastChannel> = BroadcastChannel::new(CHANNEL).ok();
}

/// Whether this browser can keep two windows in step.
pub fn available() -> bool {
    OPEN.with(Option::is_some)
}

/// Tells every other window of the deck.
pub fn post(message: &Message) {
    OPEN.with(|open| {
        if let (Some(channel), Ok(value)) = (open, to_js(message)) {
            let _ = channel.post_message(&value);
        }
    });
}

type Handler = Rc<RefCell<Rc<dyn Fn(Message)>>>;

/// Calls `handler` with each message another window sends while the
/// component is mounted; the newest `handler` is the one called.
#[hook]
pub fn use_messages<F>(handler: F)
where
    F: Fn(Message) + 'static,
{
    let current: Handler = use_mut_ref(|| Rc::new(|_| {}) as Rc<dyn Fn(Message)>);
    *current.borrow_mut() = Rc::new(handler);
    use_effect_with((), move |_| {
        let listener = OPEN.with(|open| {
            open.as_ref().map(|channel| {
                EventListener::new(channel, "message", move |event| {
                    let Some(data) = event.dyn_ref::<MessageEvent>().map(MessageEvent::data) else {
                        return;
                    };
                    let Ok(message) = from_js::<Message>(data, "another window") else {
                        return;
                    };
                    // Called outside the borrow: the handler may render, which sets a newer one.
                    let handler = current.borrow().clone();
                    handler(message);
                })
            })
        });
        move || drop(listener)
    });
}

/// Keeps this window's slide (`current` of `len`) in step with the other
/// windows: it greets them as it opens (`greeting`), follows the slide another
/// window moves to, tells them its own moves, and the projected window answers
/// a window that asks. Called after the hash is written, so a move names the
/// parameters of its link.
///
/// And the projected screen's blackout: the projected window blacks out or
/// comes back as the speaker view asks, and tells every change of `black`
/// (its own blackout) and its state to a window that opens. Returns what this
/// window knows of the projected screen: the projected window its own, the
/// speaker view what it was told.
#[hook]
pub fn use_slide_sync(
    role: Role,
    current: usize,
    len: usize,
    black: bool,
    deck: UseReducerDispatcher<DeckState>,
) -> bool {
    let follower = use_mut_ref(Follower::new);
    let projected_black = use_state(|| false);
    let query_now = || route::query(&current_hash()).to_owned();
    use_effect_with((), move |_| post(&greeting(role, current, &query_now())));
    {
        let follower = follower.clone();
        use_effect_with(current, move |&current| {
            if follower.borrow_mut().shown(current) {
                post(&Message::Slide { index: current, query: query_now() });
            }
        });
    }
    use_effect_with(black, move |&black| {
        if role == Role::Projected {
            post(&Message::Blackout { black });
        }
    });
    let told_black = projected_black.clone();
    use_messages(move |message| match message {
        Message::Hello { .. } => {
            if let Some(answer) = answer(role, current, &query_now()) {
                post(&answer);
            }
            if role == Role::Projected {
                post(&Message::Blackout { black });
            }
        }
        // The screen as the speaker view asks (B there toggles it).
        Message::Blackout { black: asked } if role == Role::Projected => {
            if asked != black {
                deck.dispatch(Action::Toggle(Overlay::Blackout));
            }
        }
        Message::Blackout { black } => told_black.set(black),
        Message::Slide { index, query } => {
            // As a link would, but straight to the deck's state: the hash follows the
            // state, so moves that come quickly are not undone by an older hash.
            if follower.borrow_mut().follow(current, index, len) {
                deck.dispatch(Action::Route { index, notice: None, query });
            }
        }
        Message::Demo { .. } | Message::Status(_) => {}
    });
    match role {
        Role::Projected => black,
        Role::Speaker => *projected_black,
    }
}

/// The projected window's demo, for the speaker view: its Run and Stop for this
/// slide call `run` and `stop`, as the demo's own buttons do, and it is told
/// every change of `report` (and the report again when it opens).
#[hook]
pub fn use_remote_demo(report: DemoReport, run: Callback<()>, stop: Callback<()>) {
    {
        let report = report.clone();
        use_messages(move |message| match message {
            Message::Demo { slide, command } if slide == report.slide => match command {
                DemoCommand::Run => run.emit(()),
                DemoCommand::Stop => stop.emit(()),
            },
            Message::Hello { .. } => post(&Message::Status(report.clone())),
            _ => {}
        });
    }
    use_effect_with(report, |report| post(&Message::Status(report.clone())));
}
