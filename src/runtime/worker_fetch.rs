//! `urlopen` inside a worker, for the addresses the page allows.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, RequestCredentials, RequestInit, RequestRedirect};

use super::js_error::describe;
use crate::model::program::connection_refused_error;
use crate::model::pyvalue::{PyException, PyValue};

/// `urlopen(url).read()` for an address the page allowed (one under the
/// site's own base path): the body's length. No cookies go with it, and a
/// redirect is refused, as any failure to connect is.
pub(crate) async fn fetch_length(scope: &DedicatedWorkerGlobalScope, url: &str) -> Result<PyValue, PyException> {
    let url_error = |reason: String| PyException::new("URLError", format!("<urlopen error {reason}>"));
    let init = RequestInit::new();
    init.set_redirect(RequestRedirect::Error);
    init.set_credentials(RequestCredentials::Omit);
    let response =
        JsFuture::from(scope.fetch_with_str_and_init(url, &init)).await.map_err(|_| connection_refused_error())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| connection_refused_error())?;
    if !response.ok() {
        return Err(PyException::new(
            "HTTPError",
            format!("HTTP Error {}: {}", response.status(), response.status_text()),
        ));
    }
    let body = response.array_buffer().map_err(|e| url_error(describe(e)))?;
    let body = JsFuture::from(body).await.map_err(|e| url_error(describe(e)))?;
    let length = body.dyn_into::<js_sys::ArrayBuffer>().map(|b| b.byte_length()).unwrap_or(0);
    Ok(PyValue::Bytes(u64::from(length)))
}
