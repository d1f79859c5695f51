use super::*;

/// The deck's text, for what the parser makes of it and for its wording.
const TEXT: &str = include_str!("../../www/parallel-execution.md");

#[test]
fn the_built_in_deck_is_what_the_parser_makes_of_the_file() {
    assert_eq!(builtin(), Deck::parse(TEXT).unwrap_or_else(|e| panic!("{e}")));
}

#[test]
fn the_builtin_deck_has_the_eight_slides_in_order() {
    let deck = builtin();
    let titles: Vec<&str> = deck.slides.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Parallel Execution",
            "Introduction",
            "Multithreading & Multiprocessing",
            "The GIL",
            "Classical Method Example",
            "Futures/Promises Example",
            "Async I/O",
            "asyncio example",
        ]
    );
    let ids: Vec<&str> = deck.slides.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids[3], "the-gil");
    assert_eq!(ids[5], "futures-promises-example");
    assert_eq!(ids[6], "async-i-o");
    assert!(deck.warnings.is_empty(), "{:?}", deck.warnings);
}

#[test]
fn the_builtin_deck_keeps_its_notes_and_attributes() {
    let deck = builtin();
    let with_notes: Vec<usize> = (0..8).filter(|&i| !deck.slides[i].notes.is_empty()).collect();
    assert_eq!(with_notes, [1, 2, 5, 6]);
    let warning = &deck.slides[1].notes[0];
    assert!(matches!(warning, Block::Paragraph { attrs, .. } if attrs.classes == ["admonition", "warning"]));
    let code = deck.slides[5].content.iter().find(|b| matches!(b, Block::Code { .. }));
    assert!(
        matches!(code, Some(Block::Code { attrs, lang: Some(lang), .. }) if attrs.classes == ["smallcode"] && lang == "py")
    );
}

#[test]
fn the_futures_example_runs_its_main_part() {
    let deck = builtin();
    let Some(Block::Code { code, .. }) = deck.slides[5].content.iter().find(|b| matches!(b, Block::Code { .. })) else {
        panic!("no code on the futures slide")
    };
    // At module level, not inside load_url after its return.
    assert!(code.contains("\nlogging.basicConfig("));
    assert!(code.contains("\nwith concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:"));
    assert!(code.contains("\n        return output\n"));
}

#[test]
fn the_edition_fixes_the_sources_typos() {
    for typo in ["implementaition", "aproach", "usful", "ayncio", "synchronisation primitive\n"] {
        assert!(!TEXT.contains(typo), "{typo}");
    }
}

#[test]
fn slides_are_found_by_id_or_by_their_number() {
    let deck = builtin();
    assert_eq!(deck.find("the-gil"), Some(3));
    assert_eq!(deck.find("1"), Some(0));
    assert_eq!(deck.find("8"), Some(7));
    assert_eq!(deck.find("0"), None);
    assert_eq!(deck.find("9"), None);
    assert_eq!(deck.find("nope"), None);
}
