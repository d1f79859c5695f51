//! Parses the deck when the crate is built: the app gets the slide tree as Rust
//! (`src/deck/mod.rs` includes what this writes) and ships no markdown parser.
//! A deck error fails the build with its message; the parser's warnings show as
//! cargo warnings.

use std::path::Path;
use std::{env, fs};

const DECK: &str = "www/parallel-execution.md";

fn main() {
    println!("cargo::rerun-if-changed={DECK}");
    let text = fs::read_to_string(DECK).unwrap_or_else(|e| panic!("cannot read {DECK}: {e}"));
    let deck = match deck::Deck::parse(&text) {
        Ok(deck) => deck,
        Err(error) => {
            println!("cargo::error={DECK}: {error}");
            return;
        }
    };
    for warning in &deck.warnings {
        println!("cargo::warning={DECK}: {warning}");
    }
    let source = format!(
        "// Written by build.rs from {DECK}.\n\n\
         /// The project's edition of the deck, parsed when the crate was built.\n\
         pub fn builtin() -> ::deck::Deck {{\n    use ::deck::make::*;\n    {}\n}}\n",
        deck.to_rust().replace('\n', "\n    ")
    );
    let out = Path::new(&env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("built_in_deck.rs");
    fs::write(&out, source).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
