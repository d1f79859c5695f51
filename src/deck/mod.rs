//! The deck: the slide tree of the `deck` crate (`crates/deck`), and the project's
//! own edition, which `build.rs` parses from `www/parallel-execution.md` when the
//! crate is built, so the app ships the tree and no markdown parser.

pub use ::deck::*;

mod built_in {
    include!(concat!(env!("OUT_DIR"), "/built_in_deck.rs"));
}

pub use built_in::builtin;

#[cfg(test)]
mod tests;
