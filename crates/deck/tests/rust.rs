//! `Deck::to_rust` on a deck with every kind of node: it writes `rust/sample.rs`,
//! and `rust/sample.rs` builds the very deck the parser makes of `rust/sample.md`.
//! After a deliberate change to the written Rust, `BLESS=1 cargo test -p deck`
//! writes the new sample; read its diff before committing it.

use deck::Deck;

fn parsed() -> Deck {
    Deck::parse(include_str!("rust/sample.md")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_written_rust_builds_the_parsed_deck() {
    use deck::make::*;
    let built: Deck = include!("rust/sample.rs");
    assert_eq!(built, parsed());
}

#[test]
fn to_rust_writes_the_sample() {
    let written = parsed().to_rust() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rust/sample.rs");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &written).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    assert!(written == include_str!("rust/sample.rs"), "to_rust wrote, instead of {path}:\n{written}");
}

#[test]
fn the_sample_holds_every_kind_of_node() {
    let sample = include_str!("rust/sample.rs");
    let constructors = [
        "slide(", "attrs(", "bare()", "h(", "p(", "plain(", "list(", "li(", "pre(", "quote(", "hr()", "html(", "t(",
        "code(", "em(", "strong(", "del(", "a(", "img(", "nl()", "br()",
    ];
    for constructor in constructors {
        assert!(
            sample.contains(&format!(" {constructor}")) || sample.contains(&format!("[{constructor}")),
            "{constructor}"
        );
    }
}
