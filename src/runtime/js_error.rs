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
    // As JSON, not Rust's `Debug`, which would link float formatting into
    // the slides' module for this one line.
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| "an unknown error".to_owned())
}
