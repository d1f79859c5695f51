//! The deck's parser: slides cut by `split`, their markdown folded by `markdown`,
//! and the ids links use.

use super::error::DeckError;
use super::{markdown, split, Block, Deck, Slide};

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
