//! Starting a Web Worker that runs the project's worker wasm, and one job's
//! round trip through it.
//!
//! Trunk builds the worker bin with wasm-bindgen's `no-modules` target into
//! `worker.js` + `worker_bg.wasm` beside `index.html`. A worker is started from
//! a small Blob script that loads that glue and starts the wasm; addresses are
//! resolved against the document's base URI, so the site works under any path.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, MessageEvent, Url, Worker};

use crate::model::job::Job;
use crate::model::protocol::{FromWorker, ToWorker};

/// How long a worker may take to load and start its wasm.
const START_TIMEOUT_MS: u32 = 15_000;
/// How long one job may take before the page gives up on it.
const JOB_TIMEOUT_MS: u32 = 120_000;

/// What a round trip measured.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundTrip {
    pub job: Job,
    pub value: u64,
    /// The worker's global scope, as the worker itself reports it.
    pub scope: String,
    /// From `new Worker` to the worker's first message.
    pub startup_ms: f64,
    /// The job's own time, measured inside the worker.
    pub worker_ms: f64,
    /// From posting the job to receiving its result, on the page.
    pub round_trip_ms: f64,
    /// Ticks of a 10 ms page timer during the job: the page's own thread kept running.
    pub page_ticks: u32,
}

/// The handlers of one wait for a message; dropped once it is over.
type Listeners = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(ErrorEvent)>,
    Timeout,
);

/// A started worker; terminated when dropped.
struct WorkerHandle {
    worker: Worker,
    blob_url: Option<String>,
}

impl WorkerHandle {
    fn spawn() -> Result<WorkerHandle, String> {
        let glue = asset_url("worker.js")?;
        let wasm = asset_url("worker_bg.wasm")?;
        let script = format!(
            "importScripts({glue:?});\n\
             wasm_bindgen({wasm:?}).catch(function (e) {{\n  \
               postMessage('failed\\t0\\tthe worker could not start its wasm: ' + e);\n\
             }});\n"
        );
        let parts = Array::of1(&JsValue::from_str(&script));
        let options = BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
        let blob_url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
        let worker = Worker::new(&blob_url)
            .map_err(|e| format!("the browser refused to start a worker: {}", describe(e)))?;
        Ok(WorkerHandle {
            worker,
            blob_url: Some(blob_url),
        })
    }

    /// Waits for the worker's next message, an error it raises, or the timeout.
    async fn next_message(&self, timeout_ms: u32, waiting_for: &str) -> Result<FromWorker, String> {
        let mut listeners: Option<Listeners> = None;
        let promise = Promise::new(&mut |resolve, reject| {
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let _ = resolve.call1(&JsValue::NULL, &event.data());
            });
            let reject_error = reject.clone();
            let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                let message = format!("the worker failed: {}", event.message());
                let _ = reject_error.call1(&JsValue::NULL, &JsValue::from_str(&message));
            });
            let message = format!(
                "the worker did not answer within {} s while {waiting_for}",
                timeout_ms / 1000
            );
            let timeout = Timeout::new(timeout_ms, move || {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
            });
            self.worker
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            self.worker
                .set_onerror(Some(on_error.as_ref().unchecked_ref()));
            listeners = Some((on_message, on_error, timeout));
        });
        let outcome = JsFuture::from(promise).await;
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        drop(listeners);
        let data = outcome.map_err(describe)?;
        let text = data
            .as_string()
            .ok_or_else(|| "a worker sent a message that is not text".to_owned())?;
        match FromWorker::decode(&text)? {
            FromWorker::Failed { message, .. } => Err(message),
            other => Ok(other),
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.terminate();
        if let Some(url) = self.blob_url.take() {
            let _ = Url::revoke_object_url(&url);
        }
    }
}

/// Starts a worker, runs `job` in it, and terminates it.
pub async fn round_trip(job: Job) -> Result<RoundTrip, String> {
    let started = now();
    let mut handle = WorkerHandle::spawn()?;
    let scope = match handle.next_message(START_TIMEOUT_MS, "starting").await? {
        FromWorker::Ready { scope } => scope,
        other => return Err(format!("the worker spoke before it was ready: {other:?}")),
    };
    let startup_ms = now() - started;
    // The glue is loaded: the Blob's address is no longer needed.
    if let Some(url) = handle.blob_url.take() {
        let _ = Url::revoke_object_url(&url);
    }

    let ticks = Rc::new(RefCell::new(0u32));
    let counter = ticks.clone();
    let interval = Interval::new(10, move || *counter.borrow_mut() += 1);

    let id = 1;
    let sent = now();
    handle
        .worker
        .post_message(&JsValue::from_str(&ToWorker::Run { id, job }.encode()))
        .map_err(describe)?;
    let reply = handle.next_message(JOB_TIMEOUT_MS, "running the job").await;
    let round_trip_ms = now() - sent;
    drop(interval);
    let page_ticks = *ticks.borrow();
    match reply? {
        FromWorker::Done {
            id: got,
            value,
            elapsed_ms,
        } if got == id => Ok(RoundTrip {
            job,
            value,
            scope,
            startup_ms,
            worker_ms: elapsed_ms,
            round_trip_ms,
            page_ticks,
        }),
        other => Err(format!(
            "the worker answered something else than the job's result: {other:?}"
        )),
    }
}

/// An address next to `index.html`, wherever the site is hosted.
fn asset_url(name: &str) -> Result<String, String> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| "the page has no base address to find the worker at".to_owned())?;
    Url::new_with_base(name, &base)
        .map(|u| u.href())
        .map_err(describe)
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

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
