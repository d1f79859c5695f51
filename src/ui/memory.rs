//! What each slide keeps while the tab is open, a reload included: the
//! parameters its demo had and its last finished run. Kept in memory and
//! mirrored to `sessionStorage`; a run too large for the storage is kept in
//! memory only, and storage that fails or holds something unreadable is
//! simply not used.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::trace::Trace;

/// One session of a kept run: what a panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptPanel {
    pub label: String,
    pub trace: Trace,
    pub sequential_ms: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlideMemory {
    /// The demo's parameters as a link's query.
    pub query: Option<String>,
    /// The last run that finished.
    pub run: Option<Vec<KeptPanel>>,
}

thread_local! {
    static KEPT: RefCell<HashMap<String, SlideMemory>> = RefCell::new(HashMap::new());
}

const PREFIX: &str = "parallel-playground: slide ";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// What `slide` kept, if anything.
pub fn recall(slide: &str) -> SlideMemory {
    if let Some(kept) = KEPT.with(|k| k.borrow().get(slide).cloned()) {
        return kept;
    }
    let stored = storage()
        .and_then(|s| s.get_item(&format!("{PREFIX}{slide}")).ok().flatten())
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|value| serde_wasm_bindgen::from_value::<SlideMemory>(value).ok())
        .unwrap_or_default();
    KEPT.with(|k| k.borrow_mut().insert(slide.to_owned(), stored.clone()));
    stored
}

fn keep(slide: &str, change: impl FnOnce(&mut SlideMemory)) {
    let mut memory = recall(slide);
    change(&mut memory);
    KEPT.with(|k| k.borrow_mut().insert(slide.to_owned(), memory.clone()));
    let Some(storage) = storage() else {
        return;
    };
    let key = format!("{PREFIX}{slide}");
    let text = |memory: &SlideMemory| {
        serde_wasm_bindgen::to_value(memory)
            .ok()
            .and_then(|v| js_sys::JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
    };
    if let Some(text) = text(&memory) {
        if storage.set_item(&key, &text).is_ok() {
            return;
        }
    }
    // Too large for the storage: keep the parameters there, the run in memory.
    let light = SlideMemory { query: memory.query, run: None };
    if let Some(text) = text(&light) {
        let _ = storage.set_item(&key, &text);
    }
}

/// `slide`'s demo now has these parameters.
pub fn keep_query(slide: &str, query: &str) {
    keep(slide, |m| m.query = Some(query.to_owned()));
}

/// `slide`'s demo finished a run.
pub fn keep_run(slide: &str, panels: Vec<KeptPanel>) {
    keep(slide, |m| m.run = Some(panels));
}

/// Reset: the slide's demo is back to its defaults and has no run.
pub fn forget(slide: &str) {
    keep(slide, |m| *m = SlideMemory::default());
}
