deck(
    vec![
        slide(
            "every-node",
            "Every \"node\" \\ kind",
            attrs(Some("every-node"), &["wide"], &[("data-state", "dark")]),
            Some("sample"),
            vec![
                h(1, vec![t("Every \"node\" \\ kind")], attrs(Some("top"), &["big"], &[("title", "t")])),
                p(vec![t("Text with "), code("code"), t(", "), em(vec![t("emphasis")]), t(", "), strong(vec![t("strong")]), t(", "), del(vec![t("struck")]), t(","), nl(), t("a "), a("https://example.org/", "its title", vec![t("link")]), t(" and "), img("img/cat.png", "a cat"), t(","), br(), t("then a hard break."), br(), t("And a tab:\té ✓ — \"quoted\" "), t("\\ backslash.")], bare()),
                list(Some(3), vec![li(vec![plain(vec![t("three")])], bare()), li(vec![plain(vec![t("four ")])], attrs(None, &["fragment"], &[]))], bare()),
                list(None, vec![li(vec![p(vec![t("an item of a loose list")], bare())], bare()), li(vec![p(vec![t("another")], bare()), p(vec![t("with a second paragraph")], bare())], bare())], bare()),
                quote(vec![p(vec![t("quoted "), em(vec![t("text")])], bare())], attrs(None, &["aside"], &[])),
                hr(),
                pre(Some("py"), "def f():\n    return \"x\\ty\"", bare()),
                pre(None, "indented code", bare()),
                html("<div>raw html</div>"),
            ],
            vec![],
        ),
        slide(
            "a-slide-with-notes",
            "A slide with notes",
            bare(),
            None,
            vec![
                h(2, vec![t("A slide with notes")], bare()),
            ],
            vec![
                p(vec![t("Notes, with a "), em(vec![t("bad link")]), t(".")], bare()),
            ],
        ),
    ],
    &["line 41: an empty slide was left out", "slide 1: raw HTML is shown as text: <div>raw html</div>", "slide 2: the link to \"javascript:alert(1)\" was turned into text"],
)
