//! The URL hash: which slide is shown (`#/3`, `#/the-gil`), and later the demo's
//! parameters after a `?`.

use super::echo::echo;
use crate::deck::Deck;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub index: usize,
    /// Set when the hash named no slide: what the page tells the viewer.
    pub notice: Option<String>,
}

/// The part of the hash that names the slide: `#/the-gil?x=1` -> `the-gil`.
pub fn slide_ref(hash: &str) -> &str {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = hash.strip_prefix('/').unwrap_or(hash);
    let end = hash.find(['?', '/']).unwrap_or(hash.len());
    &hash[..end]
}

/// The demo parameters after `?`: `#/gil?threads=4` -> `threads=4`.
pub fn query(hash: &str) -> &str {
    hash.split_once('?').map_or("", |(_, q)| q)
}

/// The hash of a slide with its demo's parameters.
pub fn hash_with_query(deck: &Deck, index: usize, query: &str) -> String {
    let base = hash_for(deck, index);
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

/// Which slide a hash opens. An empty hash is the first slide; one that names
/// no slide is the first slide too, with a notice saying so.
pub fn resolve(hash: &str, deck: &Deck) -> Resolved {
    let reference = percent_decode(slide_ref(hash), false);
    if reference.is_empty() {
        return Resolved { index: 0, notice: None };
    }
    match deck.find(&reference) {
        Some(index) => Resolved { index, notice: None },
        None => Resolved {
            index: 0,
            notice: Some(format!(
                "There is no slide {} in this deck (it has {} slides), so here is the first one.",
                echo(&reference),
                deck.slides.len()
            )),
        },
    }
}

/// Whether a `hashchange` from the address `old_url` to `new_url` stays on
/// one slide: a link to the slide shown (with other parameters, or the same
/// ones again), not a move to another slide (the page's own move, back or
/// forward), which opens that slide's demo anew by itself.
pub fn stays_on_slide(old_url: &str, new_url: &str, deck: &Deck) -> bool {
    resolve(hash_of(old_url), deck).index == resolve(hash_of(new_url), deck).index
}

/// The hash of a whole address, `#` included; none: empty.
fn hash_of(url: &str) -> &str {
    url.find('#').map_or("", |i| &url[i..])
}

/// The hash that names a slide: its id, which survives reordering the deck.
pub fn hash_for(deck: &Deck, index: usize) -> String {
    deck.slides.get(index).map_or_else(|| "#/1".to_owned(), |s| format!("#/{}", s.id))
}

/// `%XX` escapes decoded (and `+` as a space, in a query); bad escapes stay as written.
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck() -> Deck {
        crate::deck::builtin()
    }

    #[test]
    fn a_link_to_the_slide_shown_stays_on_it_and_a_move_does_not() {
        let d = deck();
        let page = "http://127.0.0.1:8080/parallel-playground/";
        // The demo rewrote the address; the link is followed again.
        assert!(stays_on_slide(&format!("{page}#/the-gil?threads=3"), &format!("{page}#/the-gil?threads=2"), &d));
        assert!(stays_on_slide(&format!("{page}#/4"), &format!("{page}#/the-gil"), &d));
        // The page's own move, back or forward.
        assert!(!stays_on_slide(&format!("{page}#/introduction"), &format!("{page}#/the-gil"), &d));
        assert!(!stays_on_slide(page, &format!("{page}#/2"), &d));
    }

    #[test]
    fn numbers_and_ids_name_slides() {
        let deck = deck();
        assert_eq!(resolve("#/3", &deck).index, 2);
        assert_eq!(resolve("#/the-gil", &deck).index, 3);
        assert_eq!(resolve("#/the-gil?threads=4", &deck).index, 3);
        assert_eq!(resolve("#the-gil", &deck).index, 3);
        assert_eq!(resolve("#/async-i-o", &deck).index, 6);
        assert_eq!(resolve("#/%74he-gil", &deck).index, 3);
    }

    #[test]
    fn no_hash_is_the_first_slide_without_a_notice() {
        assert_eq!(resolve("", &deck()), Resolved { index: 0, notice: None });
        assert_eq!(resolve("#/", &deck()), Resolved { index: 0, notice: None });
    }

    #[test]
    fn unknown_slides_fall_back_with_a_notice() {
        for hash in ["#/99", "#/0", "#/nope", "#/%ff%fe", "#/%"] {
            let r = resolve(hash, &deck());
            assert_eq!(r.index, 0, "{hash}");
            assert!(r.notice.is_some_and(|n| n.contains("8 slides")), "{hash}");
        }
    }

    #[test]
    fn queries_ride_after_the_slide() {
        assert_eq!(query("#/the-gil?threads=4&io=1"), "threads=4&io=1");
        assert_eq!(query("#/the-gil"), "");
        assert_eq!(hash_with_query(&deck(), 3, "threads=4"), "#/the-gil?threads=4");
        assert_eq!(hash_with_query(&deck(), 3, ""), "#/the-gil");
    }

    #[test]
    fn hashes_use_ids() {
        assert_eq!(hash_for(&deck(), 3), "#/the-gil");
        assert_eq!(hash_for(&deck(), 42), "#/1");
    }
}
