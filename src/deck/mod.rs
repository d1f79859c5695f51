//! The deck: reveal.js-flavoured markdown in, slides out. Pure Rust.
//!
//! Conventions (those of reveal.js' markdown plugin):
//! - a line holding only `^` (or `---`) separates slides;
//! - a line starting `Note:` starts the slide's speaker notes;
//! - `<!-- .element: class="..." -->` sets attributes on the element before it;
//! - `<!-- .slide: id="..." -->` sets attributes on the slide;
//! - `<!-- .demo: name -->` names the live demo shown beside the slide.
//!
//! Raw HTML is never passed through: it comes out as text.

mod attrs;
mod error;
pub mod highlight;
mod markdown;
mod split;

pub use attrs::Attrs;
pub use error::DeckError;
pub use markdown::{Block, Inline, ListItem};

/// The project's own edition of the deck.
pub const BUILTIN_DECK: &str = include_str!("../../www/parallel-execution.md");

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub slides: Vec<Slide>,
    /// Things the parser passed over that an author may want to know about.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// Stable id for links (`#/the-gil`): the `.slide` id, else a slug of the title.
    pub id: String,
    pub title: String,
    pub attrs: Attrs,
    pub demo: Option<String>,
    pub content: Vec<Block>,
    pub notes: Vec<Block>,
}

impl Deck {
    pub fn parse(src: &str) -> Result<Deck, DeckError> {
        let (sources, skipped) = split::split(src)?;
        let mut warnings: Vec<String> =
            skipped.iter().map(|line| format!("line {line}: an empty slide was left out")).collect();
        let mut slides: Vec<Slide> = Vec::with_capacity(sources.len());
        for (index, source) in sources.iter().enumerate() {
            let number = index + 1;
            let body = markdown::parse(&source.content, number, &mut warnings);
            let notes = match &source.notes {
                Some((_, text)) => markdown::parse(text, number, &mut warnings).blocks,
                None => Vec::new(),
            };
            let title = body.blocks.iter().find_map(Block::heading_text).unwrap_or_default();
            let id = match body.slide_attrs.id.clone() {
                Some(id) if !is_usable_id(&id) => return Err(DeckError::BadSlideId { slide: number, id }),
                Some(id) if slides.iter().any(|s| s.id == id) => {
                    return Err(DeckError::DuplicateSlideId { slide: number, id })
                }
                Some(id) => id,
                None => unique_slug(&title, number, &slides),
            };
            slides.push(Slide { id, title, attrs: body.slide_attrs, demo: body.demo, content: body.blocks, notes });
        }
        Ok(Deck { slides, warnings })
    }

    pub fn builtin() -> Deck {
        // The built-in deck is tested natively, so this cannot fail at run time;
        // should it ever, the page shows an error slide rather than nothing.
        Deck::parse(BUILTIN_DECK).unwrap_or_else(|err| Deck::error_deck(&err.to_string()))
    }

    /// A one-slide deck that explains why the real one could not be shown.
    pub fn error_deck(message: &str) -> Deck {
        Deck {
            slides: vec![Slide {
                id: "deck-error".into(),
                title: "The deck could not be read".into(),
                attrs: Attrs::default(),
                demo: None,
                content: vec![
                    Block::Heading {
                        level: 2,
                        content: vec![Inline::Text("The deck could not be read".into())],
                        attrs: Attrs::default(),
                    },
                    Block::Paragraph { content: vec![Inline::Text(message.into())], attrs: Attrs::default() },
                ],
                notes: Vec::new(),
            }],
            warnings: Vec::new(),
        }
    }

    /// The slide a link names: its id, or its 1-based number as the counter shows it.
    pub fn find(&self, reference: &str) -> Option<usize> {
        if let Some(index) = self.slides.iter().position(|s| s.id == reference) {
            return Some(index);
        }
        let number: usize = reference.parse().ok()?;
        (1..=self.slides.len()).contains(&number).then(|| number - 1)
    }
}

fn is_usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !id.chars().all(|c| c.is_ascii_digit())
}

/// "Futures/Promises Example" -> "futures-promises-example".
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn unique_slug(title: &str, number: usize, earlier: &[Slide]) -> String {
    let base = slug(title);
    let base = if is_usable_id(&base) { base } else { format!("slide-{number}") };
    let mut candidate = base.clone();
    let mut n = 2;
    while earlier.iter().any(|s| s.id == candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests;
