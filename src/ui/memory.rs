//! What each slide keeps while the tab is open, a reload included: the
//! parameters its demo had and its last run, as it ended (finished, stopped
//! or failed). Kept in memory and
//! mirrored to `sessionStorage`, as the hex of its postcard bytes; a run too
//! large for the storage is kept in memory only, and storage that fails or
//! holds something unreadable is simply not used.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::model::demo_state::RunEnd;
use crate::model::protocol::{decode, encode};
use crate::model::trace::Trace;

/// One session of a kept run: what a panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptPanel {
    pub label: String,
    pub trace: Trace,
    pub sequential_ms: Option<f64>,
}

impl From<&KeptPanel> for super::live::Panel {
    fn from(kept: &KeptPanel) -> Self {
        super::live::Panel {
            label: kept.label.clone().into(),
            trace: super::snapshot::Snapshot(std::rc::Rc::new(kept.trace.clone())),
            sequential_ms: kept.sequential_ms,
        }
    }
}

/// The parameters a run was made with: its figures are read at its own
/// speed, and said to be another run's once the parameters change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RanWith {
    /// The parameters as a link's query.
    pub query: String,
    pub ms_per_second: f64,
}

/// A slide's last run: its panels, how it ended, and what it was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptRun {
    pub panels: Vec<KeptPanel>,
    pub end: RunEnd,
    pub ran_with: RanWith,
}

/// What one slide keeps: kept apart, so that a change of parameters (a key
/// typed in a field) stores only the parameters and never a whole run again.
#[derive(Default)]
struct SlideMemory {
    /// The demo's parameters as a link's query.
    query: Option<String>,
    /// The last run.
    run: Option<Rc<KeptRun>>,
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

/// The shape of a kept run, in its key: postcard's bytes name no fields, so
/// a run kept by a release whose traces had other fields is not read.
const RUN_SHAPE: u32 = 3;

fn run_key(slide: &str) -> String {
    format!("{PREFIX}{slide} run {RUN_SHAPE}")
}

fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    decode(&from_hex(&text)?).ok()
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
    encode(value).is_ok_and(|bytes| storage.set_item(key, &to_hex(&bytes)).is_ok())
}

/// Bytes as text the storage takes: two hex digits each. A kept run can be
/// hundreds of kilobytes, written as a run ends: no allocation per byte.
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    text
}

/// `to_hex` undone; `None` for anything else.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Runs `f` on what `slide` keeps, read from the storage the first time.
fn with_slide<T>(slide: &str, f: impl FnOnce(&mut SlideMemory) -> T) -> T {
    KEPT.with(|k| {
        let mut kept = k.borrow_mut();
        let memory = kept.entry(slide.to_owned()).or_insert_with(|| SlideMemory {
            query: load(&query_key(slide)),
            run: load::<KeptRun>(&run_key(slide)).map(Rc::new),
        });
        f(memory)
    })
}

/// The parameters `slide`'s demo had, if it kept any.
pub fn recall_query(slide: &str) -> Option<String> {
    with_slide(slide, |m| m.query.clone())
}

/// The last run of `slide`'s demo, if it kept one.
pub fn recall_run(slide: &str) -> Option<Rc<KeptRun>> {
    with_slide(slide, |m| m.run.clone())
}

/// `slide`'s demo now has these parameters.
pub fn keep_query(slide: &str, query: &str) {
    with_slide(slide, |m| m.query = Some(query.to_owned()));
    store(&query_key(slide), Some(&query.to_owned()));
}

/// `slide`'s demo ended a run. A run too large for the storage is kept in
/// memory only.
pub fn keep_run(slide: &str, run: KeptRun) {
    if !store(&run_key(slide), Some(&run)) {
        store::<KeptRun>(&run_key(slide), None);
    }
    with_slide(slide, |m| m.run = Some(Rc::new(run)));
}

/// Reset: the slide's demo is back to its defaults and has no run.
pub fn forget(slide: &str) {
    with_slide(slide, |m| *m = SlideMemory::default());
    store::<String>(&query_key(slide), None);
    store::<KeptRun>(&run_key(slide), None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::{Event, EventKind, LaneKind, LaneState};

    #[test]
    fn a_kept_run_comes_back_from_its_text_and_anything_else_is_not_read() {
        let events = [
            Event::new(0.0, 0, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            Event::new(1.5, 0, EventKind::State(LaneState::Running)),
            Event::new(4.0, 0, EventKind::Print("done".into())),
        ];
        let panels =
            vec![KeptPanel { label: "threads".into(), trace: Trace::from_events(events), sequential_ms: Some(2.0) }];
        let ran_with = RanWith { query: "jobs=2&speed=200".into(), ms_per_second: 200.0 };
        let run = KeptRun { panels, end: RunEnd::Stopped, ran_with };
        let text = to_hex(&encode(&run).unwrap());
        assert!(text.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(decode::<KeptRun>(&from_hex(&text).unwrap()), Ok(run));
        for bad in ["abc", "zz", "é", "0é0"] {
            assert_eq!(from_hex(bad), None, "{bad}");
        }
        // What an older release stored (JSON) is not read as a run.
        let old = r#"[{"label":"threads"}]"#;
        assert!(from_hex(old).and_then(|b| decode::<KeptRun>(&b).ok()).is_none());
    }
}
