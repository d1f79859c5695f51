//! A worker that is a session's message-based GIL: the pure arbiter of
//! `model::gil`, spoken to by the lanes over ports of their own. The lanes'
//! requests never wait for the page, so a page busy drawing the timeline
//! does not slow a switch down.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, MessagePort};

use super::messages::{from_js, to_js};
use crate::model::gil::{Arbiter, Command};
use crate::model::protocol::{FromWorker, ToWorker};
use crate::model::trace::LaneId;

/// One lane's end of the GIL, and its handler, kept while the lane lives.
struct LanePort {
    port: MessagePort,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

#[derive(Default)]
struct Gil {
    arbiter: Arbiter,
    lanes: HashMap<LaneId, LanePort>,
    /// When the last holder let go, on its clock.
    released_ms: f64,
}

thread_local! {
    static GIL: RefCell<Option<Gil>> = const { RefCell::new(None) };
}

/// This worker arbitrates from now on.
pub(crate) fn start() {
    GIL.with(|g| {
        g.borrow_mut().get_or_insert_with(Gil::default);
    });
}

/// `lane` takes the GIL through `port`.
pub(crate) fn add_lane(lane: LaneId, port: MessagePort) {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let (step, at_ms): (fn(&mut Arbiter, LaneId) -> Vec<Command>, _) =
            match from_js::<FromWorker>(event.data(), "a lane") {
                Ok(FromWorker::GilRequest) => (Arbiter::request, None),
                Ok(FromWorker::GilRelease { at_ms }) => (Arbiter::release, Some(at_ms)),
                Ok(FromWorker::GilYield { at_ms }) => (Arbiter::yield_gil, Some(at_ms)),
                // A lane only asks, lets go or yields here.
                _ => return,
            };
        arbitrate(|gil| {
            if let Some(at_ms) = at_ms.filter(|_| gil.arbiter.holder() == Some(lane)) {
                gil.released_ms = gil.released_ms.max(at_ms);
            }
            step(&mut gil.arbiter, lane)
        });
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    GIL.with(|g| {
        if let Some(gil) = g.borrow_mut().as_mut() {
            gil.lanes.insert(lane, LanePort { port, _on_message: on_message });
        }
    });
}

/// `lane`'s worker is gone: a GIL it held or waited for is freed.
pub(crate) fn lane_gone(lane: LaneId) {
    arbitrate(|gil| gil.arbiter.lane_gone(lane));
    GIL.with(|g| {
        if let Some(gone) = g.borrow_mut().as_mut().and_then(|gil| gil.lanes.remove(&lane)) {
            gone.port.set_onmessage(None);
            gone.port.close();
        }
    });
}

/// Feeds the arbiter and posts what it asks to the lanes.
fn arbitrate(step: impl FnOnce(&mut Gil) -> Vec<Command>) {
    GIL.with(|g| {
        let mut gil = g.borrow_mut();
        let Some(gil) = gil.as_mut() else {
            return;
        };
        for command in step(gil) {
            let (lane, message) = match command {
                Command::Grant { lane, contended } => {
                    (lane, ToWorker::GilGranted { contended, after_ms: gil.released_ms })
                }
                Command::Contended(lane) => (lane, ToWorker::GilContended),
            };
            if let (Some(to), Ok(message)) = (gil.lanes.get(&lane), to_js(&message)) {
                let _ = to.port.post_message(&message);
            }
        }
    });
}
