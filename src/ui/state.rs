//! The deck's view state and its transitions. Pure: tested natively.

use std::rc::Rc;

use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckState {
    pub current: usize,
    pub len: usize,
    pub notes_visible: bool,
    /// A message for the viewer, such as "that link named no slide".
    pub notice: Option<String>,
    /// The demo parameters the link carried (`?jobs=5,2`); a new link remounts the demo.
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Next,
    Previous,
    First,
    Last,
    /// The URL hash changed (back/forward, a typed link).
    Route {
        index: usize,
        notice: Option<String>,
        query: String,
    },
    ToggleNotes,
    DismissNotice,
}

impl DeckState {
    pub fn new(len: usize, current: usize, notice: Option<String>) -> Self {
        let len = len.max(1);
        DeckState { current: current.min(len - 1), len, notes_visible: false, notice, query: String::new() }
    }

    /// With the demo parameters of the link that opened the page.
    pub fn with_query(mut self, query: &str) -> Self {
        self.query = query.to_owned();
        self
    }

    pub fn is_first(&self) -> bool {
        self.current == 0
    }

    pub fn is_last(&self) -> bool {
        self.current + 1 >= self.len
    }
}

impl Reducible for DeckState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let last = self.len - 1;
        let mut next = (*self).clone();
        let moved_to = |index: usize| index.min(last);
        match action {
            Action::Next => next.current = moved_to(self.current + 1),
            Action::Previous => next.current = self.current.saturating_sub(1),
            Action::First => next.current = 0,
            Action::Last => next.current = last,
            Action::Route { index, notice, query } => {
                next.query = query;
                next.current = moved_to(index);
                next.notice = notice;
            }
            Action::ToggleNotes => next.notes_visible = !self.notes_visible,
            Action::DismissNotice => next.notice = None,
        }
        if next.current != self.current && next.notice == self.notice {
            // Moving on retires an old notice.
            next.notice = None;
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// What a key press does, reveal.js style. `None` leaves the key to the browser.
pub fn key_action(key: &str, shift: bool) -> Option<Action> {
    Some(match key {
        "ArrowRight" | "PageDown" => Action::Next,
        "ArrowLeft" | "PageUp" => Action::Previous,
        " " | "Spacebar" if shift => Action::Previous,
        " " | "Spacebar" => Action::Next,
        "Home" => Action::First,
        "End" => Action::Last,
        "n" | "N" => Action::ToggleNotes,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: DeckState, actions: &[Action]) -> DeckState {
        let mut s = Rc::new(state);
        for a in actions {
            s = s.reduce(a.clone());
        }
        (*s).clone()
    }

    #[test]
    fn navigation_stays_inside_the_deck() {
        let s = run(DeckState::new(8, 0, None), &[Action::Previous]);
        assert_eq!(s.current, 0);
        let s = run(DeckState::new(8, 0, None), &[Action::Last, Action::Next]);
        assert_eq!(s.current, 7);
        let s = run(DeckState::new(8, 3, None), &[Action::Next, Action::Next, Action::Previous, Action::First]);
        assert_eq!(s.current, 0);
        let s = run(DeckState::new(8, 0, None), &[Action::Route { index: 42, notice: None, query: String::new() }]);
        assert_eq!(s.current, 7);
    }

    #[test]
    fn a_notice_stays_until_the_viewer_moves_on() {
        let start = DeckState::new(8, 0, Some("no such slide".into()));
        assert!(run(start.clone(), &[Action::ToggleNotes]).notice.is_some());
        assert!(run(start.clone(), &[Action::Next]).notice.is_none());
        assert!(run(start, &[Action::DismissNotice]).notice.is_none());
        let routed = run(
            DeckState::new(8, 4, None),
            &[Action::Route { index: 0, notice: Some("x".into()), query: String::new() }],
        );
        assert_eq!(routed.notice.as_deref(), Some("x"));
    }

    #[test]
    fn keys_map_like_reveal_js() {
        assert_eq!(key_action("ArrowRight", false), Some(Action::Next));
        assert_eq!(key_action(" ", false), Some(Action::Next));
        assert_eq!(key_action(" ", true), Some(Action::Previous));
        assert_eq!(key_action("PageUp", false), Some(Action::Previous));
        assert_eq!(key_action("End", false), Some(Action::Last));
        assert_eq!(key_action("N", true), Some(Action::ToggleNotes));
        assert_eq!(key_action("x", false), None);
    }

    #[test]
    fn an_unchanged_state_is_the_same_rc() {
        let s = Rc::new(DeckState::new(8, 0, None));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Previous)));
    }
}
