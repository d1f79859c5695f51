//! What this browser offers for parallel work.

use wasm_bindgen::JsValue;

use crate::model::gil::GilImpl;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `navigator.hardwareConcurrency`: logical cores the browser admits to.
    pub cores: Option<u32>,
    /// `crossOriginIsolated`: the page was served with COOP/COEP headers.
    pub cross_origin_isolated: bool,
    /// Whether `SharedArrayBuffer` exists (it needs cross-origin isolation).
    pub shared_array_buffer: bool,
}

impl Capabilities {
    /// The GIL implementation a session uses on this page.
    pub fn gil_impl(&self) -> GilImpl {
        if self.shared_array_buffer {
            GilImpl::SharedMemory
        } else {
            GilImpl::Messages
        }
    }
}

pub fn detect() -> Capabilities {
    let global = js_sys::global();
    let flag = |name: &str| {
        js_sys::Reflect::get(&global, &JsValue::from_str(name)).ok().and_then(|v| v.as_bool()).unwrap_or(false)
    };
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map(|n| n as u32);
    Capabilities {
        cores,
        cross_origin_isolated: flag("crossOriginIsolated"),
        shared_array_buffer: js_sys::Reflect::has(&global, &JsValue::from_str("SharedArrayBuffer")).unwrap_or(false),
    }
}
