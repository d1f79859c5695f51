//! What each slide keeps while the tab is open, a reload included: the
//! parameters its demo had and its last finished run. Kept in memory and
//! mirrored to `sessionStorage`; a run too large for the storage is kept in
//! memory only, and storage that fails or holds something unreadable is
//! simply not used.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::model::trace::Trace;

/// One session of a kept run: what a panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptPanel {
    pub label: String,
    pub trace: Trace,
    pub sequential_ms: Option<f64>,
}

/// What one slide keeps: kept apart, so that a change of parameters (a key
/// typed in a field) stores only the parameters and never a whole run again.
#[derive(Default)]
struct SlideMemory {
    /// The demo's parameters as a link's query.
    query: Option<String>,
    /// The last run that finished.
    run: Option<Rc<Vec<KeptPanel>>>,
}

thread_local! {
    static KEPT: RefCell<HashMap<String, SlideMemory>> = RefCell::new(HashMap::new());
}

const PREFIX: &str = "parallel-playground: slide ";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn query_key(slide: &str) -> String {
    format!("{PREFIX}{slide} parameters")
}

fn run_key(slide: &str) -> String {
    format!("{PREFIX}{slide} run")
}

fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(&text).ok()?).ok()
}

/// Stores `value` under `key` (nothing under it for `None`); false if the
/// storage would not take it (too large).
fn store<T: Serialize>(key: &str, value: Option<&T>) -> bool {
    let Some(storage) = storage() else {
        return true;
    };
    let Some(value) = value else {
        let _ = storage.remove_item(key);
        return true;
    };
    let text = serde_wasm_bindgen::to_value(value).ok().and_then(|v| js_sys::JSON::stringify(&v).ok());
    text.and_then(|t| t.as_string()).is_some_and(|t| storage.set_item(key, &t).is_ok())
}

/// Runs `f` on what `slide` keeps, read from the storage the first time.
fn with_slide<T>(slide: &str, f: impl FnOnce(&mut SlideMemory) -> T) -> T {
    KEPT.with(|k| {
        let mut kept = k.borrow_mut();
        let memory = kept.entry(slide.to_owned()).or_insert_with(|| SlideMemory {
            query: load(&query_key(slide)),
            run: load::<Vec<KeptPanel>>(&run_key(slide)).map(Rc::new),
        });
        f(memory)
    })
}

/// The parameters `slide`'s demo had, if it kept any.
pub fn recall_query(slide: &str) -> Option<String> {
    with_slide(slide, |m| m.query.clone())
}

/// The last run `slide`'s demo finished, if it kept one.
pub fn recall_run(slide: &str) -> Option<Rc<Vec<KeptPanel>>> {
    with_slide(slide, |m| m.run.clone())
}

/// `slide`'s demo now has these parameters.
pub fn keep_query(slide: &str, query: &str) {
    with_slide(slide, |m| m.query = Some(query.to_owned()));
    store(&query_key(slide), Some(&query.to_owned()));
}

/// `slide`'s demo finished a run. A run too large for the storage is kept in
/// memory only.
pub fn keep_run(slide: &str, panels: Vec<KeptPanel>) {
    if !store(&run_key(slide), Some(&panels)) {
        store::<Vec<KeptPanel>>(&run_key(slide), None);
    }
    with_slide(slide, |m| m.run = Some(Rc::new(panels)));
}

/// Reset: the slide's demo is back to its defaults and has no run.
pub fn forget(slide: &str) {
    with_slide(slide, |m| *m = SlideMemory::default());
    store::<String>(&query_key(slide), None);
    store::<Vec<KeptPanel>>(&run_key(slide), None);
}
