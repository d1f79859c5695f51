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
    /// What covers the slide for a moment, if anything: one at a time.
    pub overlay: Option<Overlay>,
}

/// The presenter's overlays, as in reveal.js.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Every slide in a grid; `selected` is the one Enter would open.
    Overview { selected: usize },
    /// The list of keys.
    Help,
    /// "Go to slide: [typed]", with a message when the number names no slide.
    GoTo { typed: String, error: Option<String> },
    /// The screen black, so the audience looks at the presenter.
    Blackout,
}

/// The overview's grid has this many columns (www/style.css draws it so):
/// ↑ and ↓ move the selection by this many slides.
pub const OVERVIEW_COLUMNS: usize = 4;

/// On a screen that matches [`NARROW_SCREEN`] (a phone), the overview has this
/// many columns: four made cards 60 px wide at 390 px, the titles spilling over.
pub const OVERVIEW_COLUMNS_NARROW: usize = 2;

/// The media query under which www/style.css draws the overview narrow.
pub const NARROW_SCREEN: &str = "(max-width: 40rem)";

/// A move of the overview's selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Left,
    Right,
    /// A row up or down, of this many slides (the grid's columns as drawn).
    Up(usize),
    Down(usize),
    First,
    Last,
    /// Straight to this slide (0-based): the focus moved there (Tab, a pointer).
    To(usize),
}

/// The most characters the go-to box keeps (its field's maxlength): enough for any slide number.
pub const GOTO_MAX_CHARS: usize = 6;

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
    /// A message for the viewer (the browser refused fullscreen, say).
    Notify(String),
    /// Opens this overlay, or closes it when it is the one open.
    Toggle(Overlay),
    /// Closes whatever overlay is open; the slide stays.
    Close,
    /// Moves the overview's selection.
    Select(Step),
    /// Shows this slide (0-based) and closes the overlay.
    JumpTo(usize),
    /// What the go-to box holds now.
    GoToTyped(String),
    /// Enter in the go-to box: its slide, or a message if it names none.
    GoToSubmit,
}

/// What a key press asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Deck(Action),
    /// The browser's fullscreen, which only the page can ask for.
    ToggleFullscreen,
    /// The speaker view, in a window of its own.
    OpenSpeaker,
    /// A key of the page that the open overlay keeps from the slide behind it.
    Swallow,
}

impl DeckState {
    pub fn new(len: usize, current: usize, notice: Option<String>) -> Self {
        let len = len.max(1);
        DeckState {
            current: current.min(len - 1),
            len,
            notes_visible: false,
            notice,
            query: String::new(),
            overlay: None,
        }
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
        let routed = matches!(action, Action::Route { .. });
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
            Action::Notify(message) => next.notice = Some(message),
            Action::Toggle(overlay) => {
                let same = self.overlay.as_ref().map(std::mem::discriminant) == Some(std::mem::discriminant(&overlay));
                next.overlay = if same { None } else { Some(overlay) };
            }
            Action::Close => next.overlay = None,
            Action::Select(step) => {
                if let Some(Overlay::Overview { selected }) = &mut next.overlay {
                    *selected = stepped(*selected, step, self.len);
                }
            }
            Action::JumpTo(index) => {
                next.current = moved_to(index);
                next.overlay = None;
            }
            Action::GoToTyped(text) => {
                if let Some(Overlay::GoTo { typed, error }) = &mut next.overlay {
                    *typed = text.chars().take(GOTO_MAX_CHARS).collect();
                    *error = None;
                }
            }
            Action::GoToSubmit => {
                if let Some(Overlay::GoTo { typed, error }) = &mut next.overlay {
                    match slide_number(typed, self.len) {
                        Ok(index) => {
                            next.current = index;
                            next.overlay = None;
                        }
                        Err(message) => *error = Some(message),
                    }
                }
            }
        }
        if next.current != self.current && next.notice == self.notice {
            // Moving on retires an old notice.
            next.notice = None;
        }
        if next.current != self.current && !routed {
            // A link's parameters are its slide's: another slide starts from its own.
            next.query.clear();
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// Where a step takes the overview's selection in a grid of `len` slides.
fn stepped(selected: usize, step: Step, len: usize) -> usize {
    let last = len.saturating_sub(1);
    match step {
        Step::Left => selected.saturating_sub(1),
        Step::Right => (selected + 1).min(last),
        // A row up or down, where there is one.
        Step::Up(columns) => selected.checked_sub(columns.max(1)).unwrap_or(selected),
        Step::Down(columns) => Some(selected + columns.max(1)).filter(|&i| i <= last).unwrap_or(selected),
        Step::First => 0,
        Step::Last => last,
        Step::To(index) => index.min(last),
    }
}

/// The slide (0-based) a typed number names, as the counter numbers them, or
/// what to tell the viewer.
fn slide_number(typed: &str, len: usize) -> Result<usize, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(format!("Type a slide number, from 1 to {len}."));
    }
    if !typed.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("“{typed}” is not a slide number: type one from 1 to {len}."));
    }
    match typed.parse::<usize>() {
        Ok(number) if (1..=len).contains(&number) => Ok(number - 1),
        _ => Err(format!("There is no slide {typed}: the slides are numbered 1 to {len}.")),
    }
}

/// The keys, as the help overlay and the README list them.
pub const KEYS: &[(&str, &str)] = &[
    ("→ PageDown Space", "next slide"),
    ("← PageUp Shift+Space", "previous slide"),
    ("Home / End", "first / last slide"),
    ("N", "show or hide the speaker notes"),
    ("S", "the speaker view, in a window of its own: notes, next slide, time, the demo's Run and Stop"),
    ("R", "run the slide's demo, or stop it while it runs"),
    ("F", "fullscreen, or back (Esc leaves it too)"),
    ("O or Esc", "overview of every slide: arrows choose one, Enter or a click opens it, O or Esc closes it"),
    ("B or .", "black screen; B, ., Esc or a click brings the slide back"),
    ("G, or a number", "go to a slide: type its number, then Enter (Esc cancels)"),
    ("?", "this list of keys"),
    ("Enter (in a parameter field; Ctrl+Enter in the URL table)", "run the demo"),
    ("Esc (in a parameter field)", "leave the field"),
];

/// What a key press does, reveal.js style, given what is on screen (the
/// overview's grid drawn with `columns` columns). `None` leaves the key to the
/// browser (and to the demo, whose key is R).
pub fn key_command(state: &DeckState, key: &str, shift: bool, columns: usize) -> Option<Command> {
    let Some(overlay) = &state.overlay else {
        return deck_key(state, key, shift);
    };
    let act = |action| Some(Command::Deck(action));
    match (overlay, key) {
        (Overlay::Overview { .. }, "ArrowLeft") => act(Action::Select(Step::Left)),
        (Overlay::Overview { .. }, "ArrowRight") => act(Action::Select(Step::Right)),
        (Overlay::Overview { .. }, "ArrowUp") => act(Action::Select(Step::Up(columns))),
        (Overlay::Overview { .. }, "ArrowDown") => act(Action::Select(Step::Down(columns))),
        (Overlay::Overview { .. }, "Home") => act(Action::Select(Step::First)),
        (Overlay::Overview { .. }, "End") => act(Action::Select(Step::Last)),
        (Overlay::Overview { selected }, "Enter" | " " | "Spacebar") => act(Action::JumpTo(*selected)),
        (Overlay::Overview { .. }, "o" | "O" | "Escape") => act(Action::Close),
        (Overlay::Help, "?" | "Escape") => act(Action::Close),
        (Overlay::Blackout, "b" | "B" | "." | "Escape") => act(Action::Close),
        (Overlay::GoTo { typed, .. }, digit) if is_digit(digit) => act(Action::GoToTyped(format!("{typed}{digit}"))),
        (Overlay::GoTo { typed, .. }, "Backspace") => {
            let mut typed = typed.clone();
            typed.pop();
            act(Action::GoToTyped(typed))
        }
        (Overlay::GoTo { .. }, "Enter") => act(Action::GoToSubmit),
        (Overlay::GoTo { .. }, "Escape") => act(Action::Close),
        (Overlay::Overview { .. } | Overlay::Help | Overlay::GoTo { .. }, "f" | "F") => Some(Command::ToggleFullscreen),
        // The slide behind an overlay does not move, nor its demo run.
        (_, "r" | "R") => Some(Command::Swallow),
        _ => deck_key(state, key, shift).map(|_| Command::Swallow),
    }
}

/// The keys of the deck itself, with no overlay open.
fn deck_key(state: &DeckState, key: &str, shift: bool) -> Option<Command> {
    let action = match key {
        "ArrowRight" | "PageDown" => Action::Next,
        "ArrowLeft" | "PageUp" => Action::Previous,
        " " | "Spacebar" if shift => Action::Previous,
        " " | "Spacebar" => Action::Next,
        "Home" => Action::First,
        "End" => Action::Last,
        "n" | "N" => Action::ToggleNotes,
        "f" | "F" => return Some(Command::ToggleFullscreen),
        "s" | "S" => return Some(Command::OpenSpeaker),
        "o" | "O" | "Escape" => Action::Toggle(Overlay::Overview { selected: state.current }),
        "b" | "B" | "." => Action::Toggle(Overlay::Blackout),
        "?" => Action::Toggle(Overlay::Help),
        "g" | "G" => Action::Toggle(Overlay::GoTo { typed: String::new(), error: None }),
        digit if is_digit(digit) => Action::Toggle(Overlay::GoTo { typed: digit.to_owned(), error: None }),
        _ => return None,
    };
    Some(Command::Deck(action))
}

fn is_digit(key: &str) -> bool {
    key.len() == 1 && key.bytes().all(|b| b.is_ascii_digit())
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
    fn a_links_parameters_stay_with_its_slide() {
        let linked = DeckState::new(8, 3, None).with_query("threads=3");
        assert_eq!(run(linked.clone(), &[Action::ToggleNotes]).query, "threads=3");
        for moves in [&[Action::Next][..], &[Action::Next, Action::Previous], &[Action::JumpTo(5)], &[Action::First]] {
            assert_eq!(run(linked.clone(), moves).query, "", "{moves:?}");
        }
        let routed = run(linked, &[Action::Route { index: 5, notice: None, query: "jobs=2".into() }]);
        assert_eq!(routed.query, "jobs=2");
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

    fn key(state: &DeckState, key: &str) -> Option<Command> {
        key_command(state, key, false, OVERVIEW_COLUMNS)
    }

    fn act(action: Action) -> Option<Command> {
        Some(Command::Deck(action))
    }

    /// The state after pressing these keys, one after another.
    fn press(state: DeckState, keys: &[&str]) -> DeckState {
        keys.iter().fold(state, |s, k| match key_command(&s, k, false, OVERVIEW_COLUMNS) {
            Some(Command::Deck(action)) => run(s, &[action]),
            _ => s,
        })
    }

    #[test]
    fn keys_map_like_reveal_js() {
        let s = DeckState::new(8, 2, None);
        assert_eq!(key(&s, "ArrowRight"), act(Action::Next));
        assert_eq!(key(&s, " "), act(Action::Next));
        assert_eq!(key_command(&s, " ", true, OVERVIEW_COLUMNS), act(Action::Previous));
        assert_eq!(key(&s, "PageUp"), act(Action::Previous));
        assert_eq!(key(&s, "End"), act(Action::Last));
        assert_eq!(key_command(&s, "N", true, OVERVIEW_COLUMNS), act(Action::ToggleNotes));
        assert_eq!(key(&s, "f"), Some(Command::ToggleFullscreen));
        assert_eq!(key(&s, "s"), Some(Command::OpenSpeaker));
        assert_eq!(key_command(&s, "S", true, OVERVIEW_COLUMNS), Some(Command::OpenSpeaker));
        assert_eq!(key(&s, "O"), act(Action::Toggle(Overlay::Overview { selected: 2 })));
        assert_eq!(key(&s, "Escape"), act(Action::Toggle(Overlay::Overview { selected: 2 })));
        assert_eq!(key(&s, "b"), act(Action::Toggle(Overlay::Blackout)));
        assert_eq!(key(&s, "."), act(Action::Toggle(Overlay::Blackout)));
        assert_eq!(key_command(&s, "?", true, OVERVIEW_COLUMNS), act(Action::Toggle(Overlay::Help)));
        assert_eq!(key(&s, "g"), act(Action::Toggle(Overlay::GoTo { typed: String::new(), error: None })));
        assert_eq!(key(&s, "7"), act(Action::Toggle(Overlay::GoTo { typed: "7".into(), error: None })));
        // R is the demo's; letters the deck does not use, and keys with a name, stay the browser's.
        for other in ["r", "x", "Tab", "Enter", "Backspace", "F5", "ArrowUp", "Dead"] {
            assert_eq!(key(&s, other), None, "{other}");
        }
    }

    #[test]
    fn the_overview_moves_by_slide_and_by_row_and_opens_the_chosen_slide() {
        let s = press(DeckState::new(8, 2, None), &["o"]);
        assert_eq!(s.overlay, Some(Overlay::Overview { selected: 2 }));
        let selected = |s: &DeckState| match s.overlay {
            Some(Overlay::Overview { selected }) => selected,
            ref other => panic!("no overview: {other:?}"),
        };
        assert_eq!(selected(&press(s.clone(), &["ArrowRight"])), 3);
        assert_eq!(selected(&press(s.clone(), &["ArrowDown"])), 2 + OVERVIEW_COLUMNS);
        // No row below the last, none above the first, nothing left of the first slide.
        assert_eq!(selected(&press(s.clone(), &["ArrowDown", "ArrowDown"])), 2 + OVERVIEW_COLUMNS);
        assert_eq!(selected(&press(s.clone(), &["ArrowUp"])), 2);
        // A phone draws two columns: a row is two slides there.
        let narrow = |s: &DeckState, key| match key_command(s, key, false, OVERVIEW_COLUMNS_NARROW) {
            Some(Command::Deck(action)) => run(s.clone(), &[action]),
            _ => s.clone(),
        };
        assert_eq!(selected(&narrow(&s, "ArrowDown")), 4);
        assert_eq!(selected(&narrow(&narrow(&s, "ArrowDown"), "ArrowUp")), 2);
        assert_eq!(selected(&press(s.clone(), &["Home", "ArrowLeft"])), 0);
        assert_eq!(selected(&press(s.clone(), &["End", "ArrowRight"])), 7);
        // Tab moved the focus to a slide.
        assert_eq!(selected(&run(s.clone(), &[Action::Select(Step::To(6))])), 6);
        assert_eq!(selected(&run(s.clone(), &[Action::Select(Step::To(60))])), 7);
        // The slide does not move until Enter.
        let moved = press(s.clone(), &["ArrowRight", "ArrowDown"]);
        assert_eq!(moved.current, 2);
        let opened = press(moved.clone(), &["Enter"]);
        assert_eq!((opened.current, opened.overlay), (7, None));
        for close in ["o", "O", "Escape"] {
            let closed = press(moved.clone(), &[close]);
            assert_eq!((closed.current, closed.overlay.clone()), (2, None), "{close}");
        }
        // A click on a slide.
        let clicked = run(s, &[Action::JumpTo(5)]);
        assert_eq!((clicked.current, clicked.overlay), (5, None));
    }

    #[test]
    fn an_open_overlay_keeps_the_deck_s_keys_from_the_slide_behind_it() {
        for open in ["o", "?", "b", "g"] {
            let s = press(DeckState::new(8, 3, None), &[open]);
            assert!(s.overlay.is_some(), "{open}");
            for deck_key in ["PageDown", "n", "r", "R", "s"] {
                assert_eq!(key(&s, deck_key), Some(Command::Swallow), "{deck_key} under {open}");
            }
            // Tab still moves the focus.
            assert_eq!(key(&s, "Tab"), None);
            assert_eq!(press(s, &["PageDown", "n", "End"]).current, 3);
        }
        let black = press(DeckState::new(8, 3, None), &["b"]);
        assert_eq!(key(&black, "f"), Some(Command::Swallow));
        assert_eq!(key(&press(DeckState::new(8, 3, None), &["o"]), "f"), Some(Command::ToggleFullscreen));
    }

    #[test]
    fn help_and_blackout_close_with_their_own_key_or_esc() {
        let s = DeckState::new(8, 1, None);
        assert_eq!(press(s.clone(), &["?"]).overlay, Some(Overlay::Help));
        for keys in [["?", "?"], ["?", "Escape"], ["b", "b"], ["b", "."], [".", "B"], ["b", "Escape"]] {
            let after = press(s.clone(), &keys);
            assert_eq!((after.current, after.overlay), (1, None), "{keys:?}");
        }
        // A click ends them too, and B does not close help.
        assert_eq!(run(press(s.clone(), &["b"]), &[Action::Close]).overlay, None);
        assert_eq!(press(s, &["?", "b"]).overlay, Some(Overlay::Help));
    }

    #[test]
    fn a_typed_number_goes_to_its_slide() {
        let s = DeckState::new(8, 0, None);
        let typing = press(s.clone(), &["5"]);
        assert_eq!(typing.overlay, Some(Overlay::GoTo { typed: "5".into(), error: None }));
        let gone = press(s.clone(), &["5", "Enter"]);
        assert_eq!((gone.current, gone.overlay), (4, None));
        let gone = press(DeckState::new(8, 3, None), &["g", "1", "2", "Backspace", "Enter"]);
        assert_eq!((gone.current, gone.overlay), (0, None));
        let gone = press(s.clone(), &["G", "8", "Enter"]);
        assert_eq!(gone.current, 7);
        // Typed in the box's field rather than on the page.
        let gone = run(press(s.clone(), &["g"]), &[Action::GoToTyped("3".into()), Action::GoToSubmit]);
        assert_eq!((gone.current, gone.overlay), (2, None));
        let cancelled = press(s, &["g", "6", "Escape"]);
        assert_eq!((cancelled.current, cancelled.overlay), (0, None));
    }

    #[test]
    fn a_number_that_names_no_slide_says_so_and_stays() {
        let s = DeckState::new(8, 2, None);
        let error = |s: &DeckState| match &s.overlay {
            Some(Overlay::GoTo { error: Some(e), .. }) => e.clone(),
            other => panic!("no message: {other:?}"),
        };
        let beyond = press(s.clone(), &["g", "9", "Enter"]);
        assert_eq!(beyond.current, 2);
        assert_eq!(error(&beyond), "There is no slide 9: the slides are numbered 1 to 8.");
        assert_eq!(error(&press(s.clone(), &["0", "Enter"])), "There is no slide 0: the slides are numbered 1 to 8.");
        assert_eq!(error(&press(s.clone(), &["g", "Enter"])), "Type a slide number, from 1 to 8.");
        let huge =
            run(press(s.clone(), &["g"]), &[Action::GoToTyped("99999999999999999999".into()), Action::GoToSubmit]);
        assert_eq!(huge.current, 2);
        assert!(error(&huge).starts_with("There is no slide 999999:"), "{}", error(&huge));
        let words = run(press(s.clone(), &["g"]), &[Action::GoToTyped("four".into()), Action::GoToSubmit]);
        assert_eq!(error(&words), "“four” is not a slide number: type one from 1 to 8.");
        // Typing on clears the message; a right number then goes there.
        let fixed = press(beyond, &["Backspace"]);
        assert_eq!(fixed.overlay, Some(Overlay::GoTo { typed: String::new(), error: None }));
        assert_eq!(press(fixed, &["4", "Enter"]).current, 3);
    }

    #[test]
    fn one_overlay_at_a_time() {
        let s = press(DeckState::new(8, 0, None), &["o"]);
        let s = run(s, &[Action::Toggle(Overlay::Help)]);
        assert_eq!(s.overlay, Some(Overlay::Help));
    }

    #[test]
    fn the_readme_lists_every_key() {
        let readme = include_str!("../../README.md");
        let table = readme.split("| key | does |").nth(1).expect("the README has a key table");
        let rows: Vec<&str> = table.lines().skip(2).take_while(|l| l.starts_with('|')).collect();
        let keys: Vec<String> = KEYS.iter().map(|(k, does)| format!("| {k} | {does} |")).collect();
        assert_eq!(rows, keys);
    }

    #[test]
    fn a_refused_fullscreen_is_told() {
        let s = run(DeckState::new(8, 0, None), &[Action::Notify("Fullscreen is not available here.".into())]);
        assert_eq!(s.notice.as_deref(), Some("Fullscreen is not available here."));
    }

    #[test]
    fn an_unchanged_state_is_the_same_rc() {
        let s = Rc::new(DeckState::new(8, 0, None));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Previous)));
    }
}
