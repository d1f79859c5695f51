//! Page/worker messages to and from the values `postMessage` carries: a
//! message crosses as its bytes in a `Uint8Array` (see `model::protocol`),
//! and whatever arrives is read back defensively (a malformed message is an
//! error message, never a panic).

use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::model::protocol::{decode, encode, FromWorker, NO_TASK};

/// `message` as the value to post.
pub(crate) fn to_js<T: Serialize>(message: &T) -> Result<JsValue, String> {
    Ok(Uint8Array::from(encode(message)?.as_slice()).into())
}

/// A posted value read back as a message; `from` names the sender for the
/// error.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, from: &str) -> Result<T, String> {
    let read = match value.dyn_ref::<Uint8Array>() {
        Some(bytes) => decode(&bytes.to_vec()),
        None => Err("not the bytes of a message".to_owned()),
    };
    read.map_err(|e| format!("{from} sent a message that makes no sense: {e}"))
}

/// A worker's message. Before any Rust runs in it, the worker's loader
/// (`www/worker-loader.js`) can only say why it failed, as the plain object
/// `{ Panicked: { task: 0, message } }`.
pub(crate) fn from_worker(value: JsValue) -> Result<FromWorker, String> {
    if value.dyn_ref::<Uint8Array>().is_none() {
        if let Some(message) = loader_failure(&value) {
            return Ok(FromWorker::Panicked { task: NO_TASK, message });
        }
    }
    from_js(value, "a worker")
}

fn loader_failure(value: &JsValue) -> Option<String> {
    let panicked = js_sys::Reflect::get(value, &JsValue::from_str("Panicked")).ok()?;
    js_sys::Reflect::get(&panicked, &JsValue::from_str("message")).ok()?.as_string()
}
