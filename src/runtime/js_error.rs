//! JavaScript's thrown values as messages a person can read.

use wasm_bindgen::{JsCast, JsValue};

/// A readable message from whatever JavaScript threw.
pub(crate) fn describe(value: JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    format!("{value:?}")
}
