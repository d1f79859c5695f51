//! The worker's code, loaded once per page: every worker starts from the
//! script `worker-loader.js` (served next to `index.html`: the worker's
//! wasm-bindgen glue and `www/worker-loader.js` in one file, see
//! `scripts/post-build.mjs`), fetched once here and started from a Blob URL
//! of its text; `worker_bg.wasm` is compiled once here and every worker gets
//! the compiled `WebAssembly.Module`, not another download.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Url, Window};

use super::js_error::describe;

/// The script every worker starts from, relative to the page's `<base>`.
pub const LOADER: &str = "worker-loader.js";
/// The worker's compiled code, relative to the page's `<base>`.
const WASM: &str = "worker_bg.wasm";

pub struct WorkerModule {
    /// What a worker starts from: a Blob URL of [`LOADER`]'s text, made once,
    /// or where the page cannot use one, [`LOADER`]'s own address. Started
    /// from its address, each worker fetched the script again: in Firefox that
    /// took about 6 ms of a 12 ms start (a script of its size started from a
    /// Blob URL in 5-8 ms, from its address in 11-19 ms; Chromium 11-16 ms
    /// against 12-22 ms).
    pub script_url: String,
    /// Whether `script_url` is that Blob URL.
    pub from_blob: bool,
    /// The loader's first message: `{ module }`, the compiled `WebAssembly.Module`.
    pub start_message: JsValue,
}

impl Drop for WorkerModule {
    fn drop(&mut self) {
        if self.from_blob {
            let _ = Url::revoke_object_url(&self.script_url);
        }
    }
}

type Loading = Shared<LocalBoxFuture<'static, Result<Rc<WorkerModule>, String>>>;

thread_local! {
    /// The code loading or loaded, and the page base it was found from.
    static MODULE: RefCell<Option<(String, Loading)>> = const { RefCell::new(None) };
    /// A worker from a Blob URL did not start (a policy that allows only the
    /// site's own scripts, say): from then on workers start from the address.
    static NO_BLOB: Cell<bool> = const { Cell::new(false) };
}

/// A worker started from the Blob URL did not start: the next load, and every
/// worker after it, uses the script's address.
pub fn blob_refused() {
    NO_BLOB.with(|n| n.set(true));
    forget();
}

/// A worker from the script's address did not start either: the Blob URL was
/// not the cause, and the next load makes one again.
pub fn blob_allowed() {
    NO_BLOB.with(|n| n.set(false));
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
    let address = asset_url(LOADER)?;
    let (module, blob) = futures::join!(compile_wasm(&window), loader_blob(&window, &address));
    let module = module.inspect_err(|_| {
        if let Some(url) = &blob {
            let _ = Url::revoke_object_url(url);
        }
    })?;
    let start_message = js_sys::Object::new();
    js_sys::Reflect::set(&start_message, &"module".into(), &module).map_err(describe)?;
    let (script_url, from_blob) = match blob {
        Some(url) => (url, true),
        None => (address, false),
    };
    Ok(Rc::new(WorkerModule { script_url, from_blob, start_message: start_message.into() }))
}

/// A Blob URL of the loader's text, or `None` where there should not be one:
/// a worker from one was refused before, or the fetch failed, or the host
/// does not serve it as JavaScript (a browser would not run it from there).
/// A worker started from the address then says why.
async fn loader_blob(window: &Window, address: &str) -> Option<String> {
    if NO_BLOB.with(Cell::get) {
        return None;
    }
    let response = fetch_ok(window, address).await.ok()?;
    if !is_javascript(&content_type(&response)) {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    let parts = js_sys::Array::of1(&text);
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    Url::create_object_url_with_blob(&blob).ok()
}

async fn compile_wasm(window: &Window) -> Result<JsValue, String> {
    let response = fetch_ok(window, &asset_url(WASM)?).await?;
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
    JsFuture::from(Promise::from(JsValue::from(compiling)))
        .await
        .map_err(|e| format!("the worker's code {WASM} is not valid WebAssembly: {}", describe(e)))
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
    let content_type = content_type(&response);
    if !is_javascript(&content_type) {
        return format!("the worker script {LOADER} is served as {content_type}, not as JavaScript");
    }
    fallback
}

/// A response's media type, without its parameters.
fn content_type(response: &web_sys::Response) -> String {
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_else(|| "no type".into());
    content_type.split(';').next().unwrap_or_default().trim().to_owned()
}

fn is_javascript(content_type: &str) -> bool {
    ["javascript", "ecmascript"].iter().any(|t| content_type.to_ascii_lowercase().contains(t))
}
