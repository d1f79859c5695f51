//! Cuts a reveal.js markdown deck into slides and speaker notes, line by line,
//! before any markdown is parsed: separators and `Note:` lines inside a code
//! fence are code, not structure.

use super::error::DeckError;

/// One slide's markdown, with the 1-based line numbers it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlideSource {
    pub first_line: usize,
    pub content: String,
    /// The speaker notes, and the line their `Note:` marker stood on.
    pub notes: Option<(usize, String)>,
}

/// A line holding only `^` (the project's separator) or `---` (reveal.js' default).
fn is_separator(line: &str) -> bool {
    matches!(line.trim(), "^" | "---")
}

/// reveal.js' default notes separator is `^\s*notes?:`, case-insensitive.
fn notes_marker(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    for marker in ["notes:", "note:"] {
        if trimmed.len() >= marker.len()
            && trimmed.is_char_boundary(marker.len())
            && trimmed[..marker.len()].eq_ignore_ascii_case(marker)
        {
            return Some(&trimmed[marker.len()..]);
        }
    }
    None
}

/// An opening or closing code fence: up to three spaces, then three or more
/// backticks or tildes.
#[derive(Debug, Clone, Copy)]
struct Fence {
    ch: char,
    len: usize,
}

fn fence_of(line: &str) -> Option<(Fence, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    if len < 3 {
        return None;
    }
    let info = &rest[len..];
    // A backtick fence's info string may not contain a backtick (CommonMark).
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((Fence { ch, len }, info))
}

fn closes(open: Fence, line: &str) -> bool {
    fence_of(line).is_some_and(|(f, info)| f.ch == open.ch && f.len >= open.len && info.trim().is_empty())
}

struct Chunk {
    first_line: usize,
    content: Vec<String>,
    notes: Option<(usize, Vec<String>)>,
}

impl Chunk {
    fn new(first_line: usize) -> Self {
        Chunk { first_line, content: Vec::new(), notes: None }
    }

    fn push(&mut self, line: &str) {
        match &mut self.notes {
            Some((_, notes)) => notes.push(line.to_owned()),
            None => self.content.push(line.to_owned()),
        }
    }

    fn is_blank(&self) -> bool {
        self.content.iter().all(|l| l.trim().is_empty())
            && self.notes.as_ref().is_none_or(|(_, n)| n.iter().all(|l| l.trim().is_empty()))
    }
}

/// Splits the deck. Empty stretches between separators (a trailing `^`, say)
/// are dropped; their line numbers come back so the caller can mention them.
pub fn split(src: &str) -> Result<(Vec<SlideSource>, Vec<usize>), DeckError> {
    let mut chunks = vec![Chunk::new(1)];
    let mut open: Option<(Fence, usize)> = None;

    for (index, line) in src.lines().enumerate() {
        let number = index + 1;
        let Some(chunk) = chunks.last_mut() else { break };
        if let Some((fence, _)) = open {
            if closes(fence, line) {
                open = None;
            }
            chunk.push(line);
            continue;
        }
        if is_separator(line) {
            chunks.push(Chunk::new(number + 1));
            continue;
        }
        if chunk.notes.is_none() {
            if let Some(rest) = notes_marker(line) {
                chunk.notes = Some((number, vec![rest.to_owned()]));
                continue;
            }
        }
        if let Some((fence, _)) = fence_of(line) {
            open = Some((fence, number));
        }
        chunk.push(line);
    }

    if let Some((_, line)) = open {
        let slide = chunks.iter().filter(|c| !c.is_blank()).count().max(1);
        return Err(DeckError::UnterminatedFence { slide, line });
    }

    let mut slides = Vec::new();
    let mut skipped = Vec::new();
    for chunk in chunks {
        if chunk.is_blank() {
            skipped.push(chunk.first_line);
            continue;
        }
        let content = chunk.content.join("\n");
        if content.trim().is_empty() {
            let line = chunk.notes.as_ref().map_or(chunk.first_line, |(l, _)| *l);
            return Err(DeckError::NotesWithoutSlide { slide: slides.len() + 1, line });
        }
        slides.push(SlideSource {
            first_line: chunk.first_line,
            content,
            notes: chunk.notes.map(|(line, notes)| (line, notes.join("\n"))),
        });
    }
    if slides.is_empty() {
        return Err(DeckError::Empty);
    }
    Ok((slides, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_and_dashes_separate_slides() {
        let (slides, _) = split("# A\n^\n## B\n---\n## C").unwrap();
        let firsts: Vec<_> = slides.iter().map(|s| s.content.trim()).collect();
        assert_eq!(firsts, ["# A", "## B", "## C"]);
        assert_eq!(slides[1].first_line, 3);
    }

    #[test]
    fn separators_inside_a_fence_are_code() {
        let (slides, _) = split("## A\n```py\n^\n---\nNote: not a note\n```\n^\n## B").unwrap();
        assert_eq!(slides.len(), 2);
        assert!(slides[0].content.contains("Note: not a note"));
        assert!(slides[0].notes.is_none());
    }

    #[test]
    fn note_marker_starts_the_notes_case_insensitively() {
        let (slides, _) = split("## A\ntext\nnotes: first\nsecond\n^\n## B\nNOTE:\n").unwrap();
        assert_eq!(slides[0].content, "## A\ntext");
        assert_eq!(slides[0].notes, Some((3, " first\nsecond".to_owned())));
        assert_eq!(slides[1].notes.as_ref().map(|n| n.0), Some(7));
    }

    #[test]
    fn blank_chunks_are_skipped_and_reported() {
        let (slides, skipped) = split("## A\n^\n\n^\n## B\n^\n").unwrap();
        assert_eq!(slides.len(), 2);
        assert_eq!(skipped, vec![3, 7]);
    }

    #[test]
    fn unterminated_fence_names_its_line() {
        let err = split("## A\n^\n## B\n\n```py\nprint(1)\n").unwrap_err();
        assert_eq!(err, DeckError::UnterminatedFence { slide: 2, line: 5 });
    }

    #[test]
    fn a_shorter_fence_does_not_close_a_longer_one() {
        let err = split("````\n```\n").unwrap_err();
        assert_eq!(err, DeckError::UnterminatedFence { slide: 1, line: 1 });
        assert!(split("~~~\n```\n~~~\n").is_ok());
    }

    #[test]
    fn notes_without_slide_content_are_an_error() {
        let err = split("## A\n^\nNote: orphan\n").unwrap_err();
        assert_eq!(err, DeckError::NotesWithoutSlide { slide: 2, line: 3 });
    }

    #[test]
    fn empty_decks_are_an_error() {
        assert_eq!(split("").unwrap_err(), DeckError::Empty);
        assert_eq!(split("\n ^ \n\n---\n").unwrap_err(), DeckError::Empty);
    }
}
