//! What is wrong with a deck that cannot be shown, with the slide and line to mend.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckError {
    Empty,
    UnterminatedFence { slide: usize, line: usize },
    NotesWithoutSlide { slide: usize, line: usize },
    BadSlideId { slide: usize, id: String },
    DuplicateSlideId { slide: usize, id: String },
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeckError::Empty => write!(f, "the deck is empty: write at least one slide"),
            DeckError::UnterminatedFence { slide, line } => write!(
                f,
                "slide {slide}: the code block opened on line {line} is never closed (add a closing ``` line)"
            ),
            DeckError::NotesWithoutSlide { slide, line } => write!(
                f,
                "slide {slide}: the speaker notes on line {line} belong to no slide (put slide content before `Note:`)"
            ),
            DeckError::BadSlideId { slide, id } => write!(
                f,
                "slide {slide}: the id {id:?} cannot be used in a link (use letters, digits, - and _, not only digits)"
            ),
            DeckError::DuplicateSlideId { slide, id } => {
                write!(f, "slide {slide}: the id {id:?} is already used by an earlier slide")
            }
        }
    }
}

impl std::error::Error for DeckError {}
