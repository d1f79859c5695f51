//! Page/worker messages to and from the values `postMessage` carries: the
//! model's types become plain objects, and whatever arrives is read back
//! defensively (a malformed message is an error message, never a panic).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `message` as a plain object to post. It fails only for a number that
/// JavaScript cannot hold exactly (an int beyond 2^53).
pub(crate) fn to_js<T: Serialize>(message: &T) -> Result<JsValue, String> {
    serde_wasm_bindgen::to_value(message).map_err(|e| format!("a message could not be sent: {e}"))
}

/// A posted value read back as a message; `from` names the sender for the error.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, from: &str) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("{from} sent a message that makes no sense: {e}"))
}
