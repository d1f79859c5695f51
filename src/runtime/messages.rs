//! Page/worker messages to and from the values `postMessage` carries: a
//! message crosses as its bytes in a `Uint8Array` (see `model::protocol`),
//! and whatever arrives is read back defensively (a malformed message is an
//! error message, never a panic).

use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::model::protocol::{decode, encode};

/// `message` as the value to post.
pub(crate) fn to_js<T: Serialize>(message: &T) -> Result<JsValue, String> {
    Ok(Uint8Array::from(encode(message)?.as_slice()).into())
}

/// A posted value read back as a message; `from` names the sender for the
/// error. A plain object is read in serde's externally tagged form: the
/// worker's loader posts its `Panicked` so.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, from: &str) -> Result<T, String> {
    let read = match value.dyn_ref::<Uint8Array>() {
        Some(bytes) => decode(&bytes.to_vec()),
        None => serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string()),
    };
    read.map_err(|e| format!("{from} sent a message that makes no sense: {e}"))
}
