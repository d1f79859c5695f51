//! The speaker view and the projected window keep each other in step over a
//! same-origin channel: the messages they exchange, which moves a window tells
//! the other (its own, never the ones it made to follow), the speaker view's
//! address, and how it prints time. Pure: tested natively.
//!
//! Messages cross as the worker protocol's do: postcard bytes in a
//! `Uint8Array` ([`super::protocol::encode`], [`super::protocol::decode`]);
//! anything malformed is dropped, never a panic.

use serde::{Deserialize, Serialize};

use super::demo_state::DemoState;

/// The channel both windows open: every window of the deck on this origin hears it.
pub const CHANNEL: &str = "parallel-playground";

/// The window name the speaker view opens in: S again brings back the same window.
pub const WINDOW_NAME: &str = "parallel-playground-speaker";

/// The query parameter (before the hash) that makes the page the speaker view.
pub const MARKER: &str = "speaker";

/// Which of the two views a window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The slides and their demos, as the audience sees them.
    Projected,
    /// The presenter's notes, the next slide, the time and the demo's buttons.
    Speaker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemoCommand {
    Run,
    Stop,
}

/// How the projected window's demo stands, as its own pane shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoReport {
    /// The slide (its id) whose demo this is.
    pub slide: String,
    /// `idle`, `running`, `done`, `stopped` or `failed` (`Status::key`).
    pub status: String,
    /// What the demo pane says of it ("finished", "failed: …").
    pub text: String,
    /// The parameters on one line (`DemoState::params_line`).
    pub params: String,
    /// Whether Run would start a run now (valid parameters, no run going).
    pub can_run: bool,
    /// The last run's figures, a line per part once it has ended ("threads:
    /// 2.27 s · 0.99× on 2 cores"); none while it runs.
    pub figures: Vec<String>,
}

impl DemoReport {
    /// What the demo of `slide` shows now.
    pub fn of(slide: &str, state: &DemoState) -> Self {
        DemoReport {
            slide: slide.to_owned(),
            status: state.status.key().to_owned(),
            text: state.status.text(),
            params: state.params_line(),
            can_run: state.can_run(),
            figures: Vec::new(),
        }
    }

    /// The same, with the last run's figures.
    pub fn with_figures(self, figures: Vec<String>) -> Self {
        DemoReport { figures, ..self }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// A window that has just opened (or reloaded) asks where the deck is.
    Hello { role: Role },
    /// The sender shows this slide (0-based) with these demo parameters: a move
    /// of its own, or the projected window's answer to `Hello`.
    Slide { index: usize, query: String },
    /// The speaker view asks the projected window to run or stop `slide`'s demo.
    Demo { slide: String, command: DemoCommand },
    /// The projected window's demo changed (or a `Hello` asked).
    Status(DemoReport),
    /// The projected screen is black, or not: the speaker view asks for it
    /// (B), and the projected window says so whenever it changes.
    Blackout { black: bool },
}

/// What a window says as it opens: the projected window tells where it is, so a
/// speaker view already open follows it; a speaker view asks.
pub fn greeting(role: Role, index: usize, query: &str) -> Message {
    match role {
        Role::Projected => Message::Slide { index, query: query.to_owned() },
        Role::Speaker => Message::Hello { role },
    }
}

/// The answer to `Hello`: the projected window answers, a speaker view does not.
pub fn answer(role: Role, index: usize, query: &str) -> Option<Message> {
    (role == Role::Projected).then(|| Message::Slide { index, query: query.to_owned() })
}

/// At most this many moves wait to be seen; an older one is forgotten.
const PENDING_MAX: usize = 8;

/// Which of a window's slide changes it tells the other windows: its own
/// moves, not the slide it opened on (it greets instead) nor the moves it made
/// to follow another window, which told them already. Without this, two windows
/// that move quickly would send each other back and forth.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Follower {
    started: bool,
    /// Slides this window is moving to because another window is there.
    pending: Vec<usize>,
}

impl Follower {
    pub fn new() -> Self {
        Self::default()
    }

    /// Another window shows slide `to`; this one shows `here` of a deck of
    /// `len` slides. Whether to move there (not when already there, nor to a
    /// slide the deck does not have); the move is then not told back.
    pub fn follow(&mut self, here: usize, to: usize, len: usize) -> bool {
        if to >= len || to == here {
            return false;
        }
        if self.pending.len() == PENDING_MAX {
            self.pending.remove(0);
        }
        self.pending.push(to);
        true
    }

    /// This window now shows slide `at`: whether to tell the others.
    pub fn shown(&mut self, at: usize) -> bool {
        if !std::mem::replace(&mut self.started, true) {
            return false;
        }
        match self.pending.iter().rposition(|&p| p == at) {
            Some(i) => {
                // Followed there; moves asked for before it were passed over.
                self.pending.drain(..=i);
                false
            }
            None => {
                self.pending.clear();
                true
            }
        }
    }
}

/// The speaker view's address: this page's with the marker before the hash,
/// which stays as it is (`…/?speaker#/the-gil?threads=4`).
pub fn speaker_url(href: &str) -> String {
    let (page, hash) = href.split_at(href.find('#').unwrap_or(href.len()));
    if is_speaker(page.split_once('?').map_or("", |(_, q)| q)) {
        return href.to_owned();
    }
    let joint = match page.split_once('?') {
        None => "?",
        Some((_, "")) => "",
        Some(_) => "&",
    };
    format!("{page}{joint}{MARKER}{hash}")
}

/// Whether a page's query (`location.search`, with or without its `?`) marks
/// the speaker view.
pub fn is_speaker(search: &str) -> bool {
    let search = search.strip_prefix('?').unwrap_or(search);
    search.split('&').any(|pair| pair.split_once('=').map_or(pair, |(key, _)| key) == MARKER)
}

/// Time since the talk began: `4:05`, or `1:02:03` past the hour.
pub fn elapsed_text(ms: f64) -> String {
    let seconds = if ms.is_finite() && ms > 0.0 { (ms / 1000.0) as u64 } else { 0 };
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// The wall clock: `09:05`.
pub fn clock_text(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(message: &Message) -> Vec<u8> {
        super::super::protocol::encode(message).expect("a message is written")
    }

    fn parse(bytes: &[u8]) -> Option<Message> {
        super::super::protocol::decode(bytes).ok()
    }

    fn messages() -> Vec<Message> {
        vec![
            Message::Slide { index: 3, query: "threads=4".into() },
            Message::Hello { role: Role::Speaker },
            Message::Hello { role: Role::Projected },
            Message::Demo { slide: "the-gil".into(), command: DemoCommand::Run },
            Message::Status(DemoReport {
                slide: "the-gil".into(),
                status: "done".into(),
                text: "finished".into(),
                params: "threads 4".into(),
                can_run: true,
                figures: vec!["threads: 2.27 s · 0.99× on 2 cores".into()],
            }),
        ]
    }

    #[test]
    fn messages_cross_as_bytes_and_back() {
        for message in messages() {
            assert_eq!(parse(&bytes(&message)), Some(message));
        }
    }

    #[test]
    fn a_malformed_message_is_none() {
        for message in messages() {
            let whole = bytes(&message);
            // Cut short anywhere: never a message, never a panic.
            for end in 0..whole.len() {
                assert_eq!(parse(&whole[..end]), None, "{message:?} cut at {end}");
            }
        }
        // No fifth kind of message, no third role, no third command.
        assert_eq!(parse(&[4]), None);
        let mut hello = bytes(&Message::Hello { role: Role::Speaker });
        if let Some(role) = hello.last_mut() {
            *role = 2;
        }
        assert_eq!(parse(&hello), None);
        let mut demo = bytes(&Message::Demo { slide: "x".into(), command: DemoCommand::Run });
        if let Some(command) = demo.last_mut() {
            *command = 7;
        }
        assert_eq!(parse(&demo), None);
    }

    #[test]
    fn the_projected_window_greets_with_its_slide_and_answers_hello() {
        assert_eq!(greeting(Role::Projected, 2, "a=1"), Message::Slide { index: 2, query: "a=1".into() });
        assert_eq!(greeting(Role::Speaker, 2, "a=1"), Message::Hello { role: Role::Speaker });
        assert_eq!(answer(Role::Projected, 5, ""), Some(Message::Slide { index: 5, query: String::new() }));
        assert_eq!(answer(Role::Speaker, 5, ""), None);
    }

    #[test]
    fn a_window_tells_its_own_moves_but_not_its_first_slide() {
        let mut f = Follower::new();
        assert!(!f.shown(4), "the slide it opened on: it greets instead");
        assert!(f.shown(5));
        assert!(f.shown(4));
        assert!(!Follower::new().shown(0));
    }

    #[test]
    fn a_followed_move_is_not_told_back() {
        let mut f = Follower::new();
        f.shown(0);
        assert!(f.follow(0, 3, 8));
        assert!(!f.shown(3));
        // Its next move of its own is told.
        assert!(f.shown(4));
        // Already there, or a slide the deck does not have: no move.
        assert!(!f.follow(4, 4, 8));
        assert!(!f.follow(4, 8, 8));
        assert!(f.shown(5));
    }

    #[test]
    fn quick_moves_followed_at_once_are_not_sent_back() {
        // The other window went 1, 2, 3 before this one showed any of them:
        // this one may show only the last, and tells none of them.
        let mut f = Follower::new();
        f.shown(0);
        for to in [1, 2, 3] {
            assert!(f.follow(0, to, 8));
        }
        assert!(!f.shown(3));
        assert!(f.shown(2), "a later move back to 2 is the viewer's own");
        // The same move asked for twice before it showed.
        f.follow(2, 6, 8);
        f.follow(2, 6, 8);
        assert!(!f.shown(6));
        assert!(f.shown(7));
    }

    #[test]
    fn the_pending_moves_are_bounded() {
        let mut f = Follower::new();
        f.shown(0);
        for to in 1..=20 {
            f.follow(0, to, 100);
        }
        assert!(f.pending.len() <= PENDING_MAX);
        assert!(!f.shown(20));
    }

    #[test]
    fn the_speaker_url_is_the_page_with_the_marker_before_the_hash() {
        let base = "http://127.0.0.1:8080/parallel-playground/";
        assert_eq!(speaker_url(&format!("{base}#/the-gil?threads=4")), format!("{base}?speaker#/the-gil?threads=4"));
        assert_eq!(speaker_url(base), format!("{base}?speaker"));
        assert_eq!(speaker_url(&format!("{base}?lang=en#/2")), format!("{base}?lang=en&speaker#/2"));
        assert_eq!(speaker_url(&format!("{base}?#/2")), format!("{base}?speaker#/2"));
        let already = format!("{base}?speaker#/3");
        assert_eq!(speaker_url(&already), already);
    }

    #[test]
    fn the_marker_is_read_from_the_query_alone() {
        assert!(is_speaker("?speaker"));
        assert!(is_speaker("speaker"));
        assert!(is_speaker("?lang=en&speaker="));
        assert!(is_speaker("?speaker=1"));
        assert!(!is_speaker(""));
        assert!(!is_speaker("?speakers"));
        assert!(!is_speaker("?notspeaker&x=speaker"));
    }

    #[test]
    fn time_prints_as_minutes_and_seconds_then_hours() {
        assert_eq!(elapsed_text(0.0), "0:00");
        assert_eq!(elapsed_text(999.0), "0:00");
        assert_eq!(elapsed_text(65_000.0), "1:05");
        assert_eq!(elapsed_text(59.0 * 60_000.0 + 59_999.0), "59:59");
        assert_eq!(elapsed_text(3_723_000.0), "1:02:03");
        assert_eq!(elapsed_text(-5.0), "0:00");
        assert_eq!(elapsed_text(f64::NAN), "0:00");
        assert_eq!(clock_text(9, 5), "09:05");
        assert_eq!(clock_text(23, 59), "23:59");
    }
}
