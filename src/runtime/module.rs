//! The worker's code, loaded once per page: every worker starts from the
//! same-origin script `worker-loader.js` (served next to `index.html`: the
//! worker's wasm-bindgen glue and `www/worker-loader.js` in one file, see
//! `scripts/post-build.mjs`); `worker_bg.wasm` is compiled once here and every
//! worker gets the compiled `WebAssembly.Module`, not another download.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Url, Window};

use super::js_error::describe;

/// The script every worker starts from, relative to the page's `<base>`.
pub const LOADER: &str = "worker-loader.js";
/// The worker's compiled code, relative to the page's `<base>`.
const WASM: &str = "worker_bg.wasm";

pub struct WorkerModule {
    /// The absolute address of [`LOADER`].
    pub script_url: String,
    /// The loader's first message: `{ module }`, the compiled `WebAssembly.Module`.
    pub start_message: JsValue,
}

type Loading = Shared<LocalBoxFuture<'static, Result<Rc<WorkerModule>, String>>>;

thread_local! {
    /// The code loading or loaded, and the page base it was found from.
    static MODULE: RefCell<Option<(String, Loading)>> = const { RefCell::new(None) };
}

/// The loaded worker code; the first call loads it, later calls share it
/// (while the page's base address stays the same).
pub async fn load() -> Result<Rc<WorkerModule>, String> {
    let base = page_base()?;
    let loading = MODULE.with(|m| {
        let mut m = m.borrow_mut();
        match &*m {
            Some((loaded_from, loading)) if *loaded_from == base => loading.clone(),
            _ => {
                let loading = compile().boxed_local().shared();
                *m = Some((base, loading.clone()));
                loading
            }
        }
    });
    let result = loading.await;
    if result.is_err() {
        forget();
    }
    result
}

/// Drops the loaded code, so the next worker loads it afresh: a worker that
/// could not start may have met a broken or half-deployed site.
pub fn forget() {
    MODULE.with(|m| *m.borrow_mut() = None);
}

async fn compile() -> Result<Rc<WorkerModule>, String> {
    let window = web_sys::window().ok_or("workers are started from a page")?;
    let script_url = asset_url(LOADER)?;
    let response = fetch_ok(&window, &asset_url(WASM)?).await?;
    let wasm_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    // compileStreaming insists on application/wasm; a server that says
    // otherwise still serves the right bytes.
    let compiling = if wasm_type.split(';').next().is_some_and(|t| t.trim() == "application/wasm") {
        js_sys::WebAssembly::compile_streaming(&Promise::resolve(&response).unchecked_into())
    } else {
        let bytes = JsFuture::from(response.array_buffer().map_err(describe)?)
            .await
            .map_err(|e| format!("could not load {WASM}: {}", describe(e)))?;
        js_sys::WebAssembly::compile(&bytes)
    };
    let module = JsFuture::from(Promise::from(JsValue::from(compiling)))
        .await
        .map_err(|e| format!("the worker's code {WASM} is not valid WebAssembly: {}", describe(e)))?;
    let start_message = js_sys::Object::new();
    js_sys::Reflect::set(&start_message, &"module".into(), &module).map_err(describe)?;
    Ok(Rc::new(WorkerModule { script_url, start_message: start_message.into() }))
}

async fn fetch_ok(window: &Window, url: &str) -> Result<web_sys::Response, String> {
    let name = url.rsplit('/').next().unwrap_or(url);
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("could not load {name}: {}", describe(e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("could not load {name}"))?;
    if !response.ok() {
        return Err(format!("could not load {name} (HTTP {})", response.status()));
    }
    Ok(response)
}

/// An address next to `index.html`, wherever the site is hosted.
pub fn asset_url(name: &str) -> Result<String, String> {
    Url::new_with_base(name, &page_base()?).map(|u| u.href()).map_err(describe)
}

/// The page's base address (`document.baseURI`).
pub fn page_base() -> Result<String, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| "the page has no base address to find the worker at".to_owned())
}

/// Why the worker script did not run, found by loading it once more: the
/// browser's `error` event on a worker carries no reason.
pub async fn diagnose_loader() -> String {
    let fallback = format!(
        "the browser refused to run the worker script {LOADER} (is it valid JavaScript, and does the page's Content \
         Security Policy allow worker-src 'self'?)"
    );
    let (Some(window), Ok(url)) = (web_sys::window(), asset_url(LOADER)) else {
        return fallback;
    };
    let response = match fetch_ok(&window, &url).await {
        Ok(response) => response,
        Err(reason) => return reason,
    };
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_else(|| "no type".into());
    let content_type = content_type.split(';').next().unwrap_or_default().trim().to_owned();
    let javascript = ["javascript", "ecmascript"].iter().any(|t| content_type.to_ascii_lowercase().contains(t));
    if !javascript {
        return format!("the worker script {LOADER} is served as {content_type}, not as JavaScript");
    }
    fallback
}
