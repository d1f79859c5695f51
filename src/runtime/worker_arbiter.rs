//! A worker that is a session's message-based GIL: the pure arbiter of
//! `model::gil`, spoken to by the lanes over ports of their own. The lanes'
//! requests never wait for the page, so a page busy drawing the timeline
//! does not slow a switch down.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{MessageChannel, MessageEvent, MessagePort};

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
        let message = from_js::<FromWorker>(event.data(), "a lane");
        arbitrate(|gil| match message {
            Ok(FromWorker::GilRequest) => gil.arbiter.request(lane),
            Ok(FromWorker::GilRelease { at_ms, hold, handed_to }) => {
                gil.released_ms = gil.released_ms.max(at_ms);
                gil.arbiter.release(lane, hold, handed_to)
            }
            Ok(FromWorker::GilYield { at_ms, hold, handed_to }) => {
                gil.released_ms = gil.released_ms.max(at_ms);
                gil.arbiter.yield_gil(lane, hold, handed_to)
            }
            // A lane only asks, lets go or yields here.
            _ => Vec::new(),
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
                Command::Grant { lane, hold, contended, next } => {
                    (lane, ToWorker::GilGranted { hold, contended, after_ms: gil.released_ms, next, sent_ms: None })
                }
                Command::Contended { lane, hold, next } => (lane, ToWorker::GilContended { hold, next }),
                Command::Introduce { a, b } => {
                    introduce(&gil.lanes, a, b);
                    continue;
                }
            };
            if let (Some(to), Ok(message)) = (gil.lanes.get(&lane), to_js(&message)) {
                let _ = to.port.post_message(&message);
            }
        }
    });
}

/// Gives lanes `a` and `b` a channel of their own: each gets one end, as
/// `[GilPeer, port]` over its port to the arbiter, ahead of any word that
/// names the other. Without a channel (none could be made) the holder lets
/// go through the arbiter, as ever.
fn introduce(lanes: &HashMap<LaneId, LanePort>, a: LaneId, b: LaneId) {
    let Ok(channel) = MessageChannel::new() else {
        return;
    };
    for (to, other, end) in [(a, b, channel.port1()), (b, a, channel.port2())] {
        let (Some(to), Ok(message)) = (lanes.get(&to), to_js(&ToWorker::GilPeer { lane: other })) else {
            continue;
        };
        let _ = to.port.post_message_with_transferable(&Array::of2(&message, &end), &Array::of1(&end));
    }
}
