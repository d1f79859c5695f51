//! The worker's code, loaded once per page: the wasm-bindgen glue is fetched
//! and wrapped into one Blob script, and `worker_bg.wasm` is compiled once;
//! every worker gets the compiled `WebAssembly.Module`, not another download.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Url, Window};

use super::js_error::describe;

pub struct WorkerModule {
    /// A Blob URL of the glue plus a loader that waits for the module.
    pub script_url: String,
    pub module: JsValue,
}

type Loading = Shared<LocalBoxFuture<'static, Result<Rc<WorkerModule>, String>>>;

thread_local! {
    static MODULE: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// The loaded worker code; the first call loads it, later calls share it.
pub async fn load() -> Result<Rc<WorkerModule>, String> {
    let loading =
        MODULE.with(|m| m.borrow_mut().get_or_insert_with(|| fetch_and_compile().boxed_local().shared()).clone());
    let result = loading.await;
    if result.is_err() {
        // Let a later run try again (a flaky network, a rebuilt site).
        MODULE.with(|m| *m.borrow_mut() = None);
    }
    result
}

/// The loader appended to the glue: the first message carries the module.
/// If the wasm does not start, no Rust runs to report it, so the loader posts
/// `FromWorker::Panicked { task: 0, .. }` in its serde form itself.
const LOADER: &str = r#"
self.onmessage = function (event) {
  self.onmessage = null;
  wasm_bindgen({ module_or_path: event.data }).catch(function (error) {
    postMessage({ Panicked: { task: 0, message: "the worker could not start its wasm: " + error } });
  });
};
"#;

async fn fetch_and_compile() -> Result<Rc<WorkerModule>, String> {
    let window = web_sys::window().ok_or("workers are started from a page")?;
    let glue = fetch_ok(&window, &asset_url("worker.js")?).await?;
    let glue = JsFuture::from(glue.text().map_err(describe)?).await.map_err(describe)?;
    let glue = glue.as_string().ok_or("the worker script is not text")?;
    let wasm = window.fetch_with_str(&asset_url("worker_bg.wasm")?);
    let module = JsFuture::from(Promise::from(JsValue::from(js_sys::WebAssembly::compile_streaming(&wasm))))
        .await
        .map_err(|e| format!("the worker's wasm did not compile: {}", describe(e)))?;
    let parts = Array::of2(&JsValue::from_str(&glue), &JsValue::from_str(LOADER));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let script_url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    Ok(Rc::new(WorkerModule { script_url, module }))
}

async fn fetch_ok(window: &Window, url: &str) -> Result<web_sys::Response, String> {
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("could not load {url}: {}", describe(e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("no response for {url}"))?;
    if !response.ok() {
        return Err(format!("could not load {url}: HTTP {}", response.status()));
    }
    Ok(response)
}

/// An address next to `index.html`, wherever the site is hosted.
fn asset_url(name: &str) -> Result<String, String> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| "the page has no base address to find the worker at".to_owned())?;
    Url::new_with_base(name, &base).map(|u| u.href()).map_err(describe)
}
