//! How the runtime waits, in a worker or on the page's loop: a timer, a
//! precise `Atomics.wait` (workers only), or a turn of the event loop to let
//! messages in.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Int32Array, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageChannel;

use super::gil_shared;

/// A sleep's last milliseconds are waited for precisely, not by a timer.
pub(crate) const PRECISE_LAST_MS: f64 = 3.0;
/// The longest timer a sleep sets: Firefox fires long timers late by a
/// share of their length (a 1 s `asyncio.sleep` on the page up to 8.6 ms);
/// a chain of short ones stays on time.
pub(crate) const LONGEST_TIMER_MS: f64 = 50.0;

pub(crate) async fn sleep(ms: f64) {
    TimeoutFuture::new(ms.clamp(0.0, f64::from(u32::MAX)).round() as u32).await;
}

/// `Atomics.wait` on a cell nobody else changes, for a precise short wait:
/// the session's stop word where there is one (a stop wakes the wait), a
/// private shared cell where shared memory exists without it.
pub(crate) struct PreciseWait {
    cells: Int32Array,
    index: u32,
}

impl PreciseWait {
    pub(crate) fn new(session_cells: Option<&Int32Array>) -> Option<PreciseWait> {
        if let Some(cells) = session_cells {
            return Some(PreciseWait { cells: cells.clone(), index: gil_shared::STOP });
        }
        let has_sab = js_sys::Reflect::has(&js_sys::global(), &"SharedArrayBuffer".into()).unwrap_or(false);
        has_sab.then(|| PreciseWait { cells: Int32Array::new(&js_sys::SharedArrayBuffer::new(4)), index: 0 })
    }

    /// Blocks this worker for `ms`, or until the cell changes (a stop).
    pub(crate) fn wait(&self, ms: f64) {
        if ms > 0.0 {
            let _ = js_sys::Atomics::wait_with_timeout(&self.cells, self.index, 0, ms);
        }
    }
}

/// Waits until the page has painted a frame, then one turn more: what comes
/// next starts at the beginning of a frame's time, not just before a frame
/// is due (the frame that first draws a run's panel takes 20-40 ms). A page
/// that is hidden paints nothing: then it waits `FRAME_WAIT_MS` at most.
pub(crate) async fn after_paint() {
    if web_sys::window().is_none() {
        return;
    }
    let (painted, frame_came) = futures::channel::oneshot::channel::<()>();
    let frame = gloo_render::request_animation_frame(move |_| {
        let _ = painted.send(());
    });
    futures::future::select(frame_came, TimeoutFuture::new(FRAME_WAIT_MS)).await;
    drop(frame);
    yield_to_messages().await;
}

/// How long [`after_paint`] waits for a frame.
const FRAME_WAIT_MS: u32 = 100;

/// Lets queued messages (a GIL grant or drop request) and other tasks run:
/// one turn of the event loop, without the 4 ms clamp nested timers get.
pub(crate) async fn yield_to_messages() {
    let Some(posted) = Yields::with(Yields::post) else {
        sleep(0.0).await;
        return;
    };
    let _ = JsFuture::from(posted).await;
}

thread_local! {
    /// This context's one channel for yields, made on the first.
    static YIELDS: Option<Yields> = Yields::new();
}

/// A message to itself over one channel, for every yield of this context: a
/// channel made for each yield took 9-35 us in a worker, one kept 6-7 us, and
/// a thread holding the message-based GIL yields every millisecond.
struct Yields {
    channel: MessageChannel,
    /// Who waits, in the order their messages were posted (a port delivers in order).
    waiting: Rc<RefCell<VecDeque<Function>>>,
    _on_message: Closure<dyn FnMut()>,
}

impl Yields {
    fn new() -> Option<Yields> {
        let channel = MessageChannel::new().ok()?;
        let waiting: Rc<RefCell<VecDeque<Function>>> = Rc::default();
        let on_message = {
            let waiting = waiting.clone();
            Closure::<dyn FnMut()>::new(move || {
                let next = waiting.borrow_mut().pop_front();
                if let Some(resolve) = next {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            })
        };
        channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Yields { channel, waiting, _on_message: on_message })
    }

    fn with<T>(f: impl FnOnce(&Yields) -> Option<T>) -> Option<T> {
        YIELDS.try_with(|y| y.as_ref().and_then(f)).ok().flatten()
    }

    /// Posts the message; the promise resolves when it arrives.
    fn post(&self) -> Option<Promise> {
        let mut posted = true;
        let promise = Promise::new(&mut |resolve, _| {
            self.waiting.borrow_mut().push_back(resolve);
            posted = self.channel.port2().post_message(&JsValue::NULL).is_ok();
            if !posted {
                self.waiting.borrow_mut().pop_back();
            }
        });
        posted.then_some(promise)
    }
}
