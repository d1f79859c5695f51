//! What a worker's lane did, as it tells the page: states, line marks and
//! prints, stamped on the page's clock, gathered over one stretch of the
//! worker's work and sent together (see `FromWorker::Report`).
//!
//! On the wire they are packed into bytes (a `Uint8Array` between page and
//! worker), not one object per event: a task's events cost one copy, and a
//! print's text crosses as UTF-8, never through the engines' string codecs.
//! Each event is its stamp (f64), a tag, and the tag's payload:
//! a state's index in [`LaneState::ALL`] (one byte), a line (u32), or a
//! text (u32 length, then UTF-8); numbers little-endian.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::trace::{EventKind, LaneState};

#[derive(Debug, Clone, PartialEq)]
pub enum LaneEventKind {
    State(LaneState),
    Line(u32),
    Print(String),
}

impl From<LaneEventKind> for EventKind {
    fn from(kind: LaneEventKind) -> EventKind {
        match kind {
            LaneEventKind::State(state) => EventKind::State(state),
            LaneEventKind::Line(line) => EventKind::Line(line),
            LaneEventKind::Print(text) => EventKind::Print(text),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaneEvent {
    pub at_ms: f64,
    pub kind: LaneEventKind,
}

/// A lane's events in the order they happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaneEvents(pub Vec<LaneEvent>);

const STATE: u8 = 0;
const LINE: u8 = 1;
const PRINT: u8 = 2;

impl LaneEvents {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 13);
        for event in &self.0 {
            out.extend_from_slice(&event.at_ms.to_le_bytes());
            match &event.kind {
                LaneEventKind::State(state) => {
                    let index = LaneState::ALL.iter().position(|s| s == state).unwrap_or_default();
                    out.extend_from_slice(&[STATE, index as u8]);
                }
                LaneEventKind::Line(line) => {
                    out.push(LINE);
                    out.extend_from_slice(&line.to_le_bytes());
                }
                LaneEventKind::Print(text) => {
                    out.push(PRINT);
                    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
                    out.extend_from_slice(text.as_bytes());
                }
            }
        }
        out
    }

    /// Reads packed events back; anything malformed is an error, never a panic.
    pub fn from_bytes(mut bytes: &[u8]) -> Result<LaneEvents, String> {
        let mut events = Vec::new();
        while !bytes.is_empty() {
            let at_ms = f64::from_le_bytes(take(&mut bytes)?);
            let [tag] = take(&mut bytes)?;
            let kind = match tag {
                STATE => {
                    let [index] = take(&mut bytes)?;
                    let state = LaneState::ALL.get(usize::from(index)).ok_or(format!("no lane state {index}"))?;
                    LaneEventKind::State(*state)
                }
                LINE => LaneEventKind::Line(u32::from_le_bytes(take(&mut bytes)?)),
                PRINT => {
                    let len = u32::from_le_bytes(take(&mut bytes)?) as usize;
                    if bytes.len() < len {
                        return Err("a printed text is cut short".into());
                    }
                    let (text, rest) = bytes.split_at(len);
                    bytes = rest;
                    LaneEventKind::Print(String::from_utf8(text.to_vec()).map_err(|_| "a printed text is not UTF-8")?)
                }
                other => return Err(format!("no lane event of kind {other}")),
            };
            events.push(LaneEvent { at_ms, kind });
        }
        Ok(LaneEvents(events))
    }
}

/// The next `N` bytes.
fn take<const N: usize>(bytes: &mut &[u8]) -> Result<[u8; N], String> {
    let (head, rest) = bytes.split_first_chunk::<N>().ok_or("lane events cut short")?;
    *bytes = rest;
    Ok(*head)
}

impl Serialize for LaneEvents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.to_bytes())
    }
}

impl<'de> Deserialize<'de> for LaneEvents {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = LaneEvents;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("lane events packed into bytes")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<LaneEvents, E> {
        LaneEvents::from_bytes(bytes).map_err(E::custom)
    }

    /// Formats without bytes (JSON) write them as a list of numbers.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LaneEvents, A::Error> {
        let mut bytes = Vec::new();
        while let Some(byte) = seq.next_element::<u8>()? {
            bytes.push(byte);
        }
        self.visit_bytes(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> LaneEvents {
        LaneEvents(vec![
            LaneEvent { at_ms: 12.25, kind: LaneEventKind::State(LaneState::Running) },
            LaneEvent { at_ms: 12.5, kind: LaneEventKind::Line(7) },
            LaneEvent { at_ms: 13.0, kind: LaneEventKind::Print("Thread-1: ünïcode 🐍\n\ttab".into()) },
            LaneEvent { at_ms: 13.0, kind: LaneEventKind::Print(String::new()) },
            LaneEvent { at_ms: 1_700_000_000_123.125, kind: LaneEventKind::State(LaneState::Idle) },
        ])
    }

    #[test]
    fn every_kind_and_state_reads_back_as_it_was_packed() {
        let mut all = events();
        for (i, state) in LaneState::ALL.into_iter().enumerate() {
            all.0.push(LaneEvent { at_ms: i as f64 * 0.1, kind: LaneEventKind::State(state) });
        }
        all.0.push(LaneEvent { at_ms: 0.0, kind: LaneEventKind::Line(u32::MAX) });
        assert_eq!(LaneEvents::from_bytes(&all.to_bytes()), Ok(all));
        assert_eq!(LaneEvents::from_bytes(&[]), Ok(LaneEvents::default()));
    }

    #[test]
    fn a_state_or_line_costs_a_dozen_bytes() {
        let two = LaneEvents(events().0[..2].to_vec());
        assert_eq!(two.to_bytes().len(), 10 + 13);
    }

    #[test]
    fn malformed_bytes_are_an_error_not_a_panic() {
        let bytes = events().to_bytes();
        for cut in 1..bytes.len() {
            // Every cut inside an event is noticed (cuts between events are whole lists).
            let read = LaneEvents::from_bytes(&bytes[..cut]);
            if let Ok(read) = read {
                assert!(events().0.starts_with(&read.0), "cut at {cut}");
            }
        }
        assert!(LaneEvents::from_bytes(&bytes[..9]).is_err());
        let mut unknown_tag = 1.0f64.to_le_bytes().to_vec();
        unknown_tag.push(9);
        assert!(LaneEvents::from_bytes(&unknown_tag).is_err());
        let mut unknown_state = 1.0f64.to_le_bytes().to_vec();
        unknown_state.extend([STATE, 99]);
        assert!(LaneEvents::from_bytes(&unknown_state).is_err());
        let mut long_text = 1.0f64.to_le_bytes().to_vec();
        long_text.push(PRINT);
        long_text.extend(u32::MAX.to_le_bytes());
        long_text.extend(b"short");
        assert!(LaneEvents::from_bytes(&long_text).is_err());
        let mut not_utf8 = 1.0f64.to_le_bytes().to_vec();
        not_utf8.push(PRINT);
        not_utf8.extend(2u32.to_le_bytes());
        not_utf8.extend([0xff, 0xfe]);
        assert!(LaneEvents::from_bytes(&not_utf8).is_err());
    }

    #[test]
    fn they_cross_serde_as_bytes() {
        let json = serde_json::to_value(events()).expect("events serialize");
        assert!(json.as_array().is_some_and(|bytes| bytes.len() == events().to_bytes().len()));
        assert_eq!(serde_json::from_value::<LaneEvents>(json).ok(), Some(events()));
        assert!(serde_json::from_value::<LaneEvents>(serde_json::json!([1, 2, 3])).is_err());
        assert!(serde_json::from_value::<LaneEvents>(serde_json::json!("Running")).is_err());
    }
}
