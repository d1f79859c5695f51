use super::*;

fn parse(src: &str) -> Deck {
    Deck::parse(src).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn slide_directive_sets_the_id_and_element_directive_sets_classes() {
    let deck =
        parse("<!-- .slide: id=\"start\" class=\"title\" -->\n# Hello\n<!-- .element: class=\"big\" -->\n^\n## World");
    assert_eq!(deck.slides[0].id, "start");
    assert_eq!(deck.slides[0].attrs.classes, ["title"]);
    assert!(matches!(&deck.slides[0].content[0], Block::Heading { attrs, .. } if attrs.classes == ["big"]));
    assert_eq!(deck.slides[1].id, "world");
}

#[test]
fn demo_directive_names_the_demo() {
    let deck = parse("## The GIL\n<!-- .demo: gil -->\n");
    assert_eq!(deck.slides[0].demo.as_deref(), Some("gil"));
}

#[test]
fn notes_are_markdown() {
    let deck = parse("## A\nNote:\n* one *two*\n\n`code`");
    assert!(matches!(&deck.slides[0].notes[0], Block::List { items, .. } if items.len() == 1));
    assert!(matches!(&deck.slides[0].notes[1], Block::Paragraph { .. }));
}

#[test]
fn raw_html_is_text_not_markup() {
    let deck = parse("## A\n<script>alert(1)</script>\n\n<b onclick=x>hi</b> there");
    let content = &deck.slides[0].content;
    assert!(content.contains(&Block::RawHtml { text: "<script>alert(1)</script>".into() }));
    let text: Vec<String> = content
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content, .. } => Some(Inline::plain_text(content)),
            _ => None,
        })
        .collect();
    assert_eq!(text, ["<b onclick=x>hi</b> there"]);
    assert_eq!(deck.warnings.len(), 1, "{:?}", deck.warnings);
}

#[test]
fn repeated_titles_get_distinct_ids_and_titleless_slides_get_numbers() {
    let deck = parse("## Demo\n^\n## Demo\n^\nno heading\n^\n## ???");
    let ids: Vec<&str> = deck.slides.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["demo", "demo-2", "slide-3", "slide-4"]);
}

#[test]
fn bad_decks_say_what_is_wrong() {
    let cases: [(&str, &str); 5] = [
        ("", "the deck is empty"),
        ("## A\n^\n## B\n```py\nx = 1\n", "slide 2: the code block opened on line 4 is never closed"),
        ("Note: lonely\n", "slide 1: the speaker notes on line 1 belong to no slide"),
        ("<!-- .slide: id=\"12\" -->\n## A", "slide 1: the id \"12\" cannot be used in a link"),
        ("## A\n^\n<!-- .slide: id=\"a\" -->\n## B", "slide 2: the id \"a\" is already used"),
    ];
    for (src, message) in cases {
        let err = Deck::parse(src).expect_err(src).to_string();
        assert!(err.starts_with(message), "{err:?} should start with {message:?}");
    }
}

#[test]
fn slugs_follow_titles() {
    assert_eq!(slug("Multithreading & Multiprocessing"), "multithreading-multiprocessing");
    assert_eq!(slug("  The GIL!  "), "the-gil");
}

#[test]
fn a_slides_python_code_is_its_first_py_block() {
    let deck =
        parse("## Code\n```bash\nls\n```\n```python\nprint(1)\n```\n```py\nprint(2)\n```\n^\n## None\n```\nplain\n```");
    assert_eq!(deck.slides[0].python_code(), Some("print(1)"));
    assert_eq!(deck.slides[1].python_code(), None);
}
