//! How the code inside a worker waits: a timer, a precise `Atomics.wait`, or a
//! turn of its event loop to let messages in.

use gloo_timers::future::TimeoutFuture;
use js_sys::{Int32Array, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageChannel;

use super::gil_shared;

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

/// Lets queued messages (a GIL grant or drop request) run, without the 4 ms
/// clamp nested timers get.
pub(crate) async fn yield_to_messages() {
    let Ok(channel) = MessageChannel::new() else {
        sleep(0.0).await;
        return;
    };
    let promise = Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}
