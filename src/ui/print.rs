//! The deck for printing and PDF (`?print-pdf`, reveal.js' convention, or
//! the browser's Print): every slide on a page of its own, in order, without
//! controls or navigation, its speaker notes below it with `notes=1`, and its
//! demo as its last run (figures and timeline, and how it ended if it did not
//! finish) if it ran in this tab, else the code it runs.

use yew::prelude::*;

use super::pane_host::PrintDemoHost;
use super::slide::SlideView;
use crate::deck::Deck;

/// How the page was asked to print: `?print-pdf`, with `notes=1` for the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintRequest {
    pub notes: bool,
}

impl PrintRequest {
    /// From the page address's query (before the hash), as reveal.js reads it.
    pub fn from_search(search: &str) -> Option<PrintRequest> {
        let query = search.trim_start_matches('?');
        let all: Vec<(&str, &str)> = query.split('&').map(|pair| pair.split_once('=').unwrap_or((pair, ""))).collect();
        all.iter().any(|(k, _)| *k == "print-pdf").then(|| PrintRequest {
            notes: all.iter().any(|(k, v)| matches!(*k, "notes" | "showNotes") && matches!(*v, "1" | "true" | "")),
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct PrintDeckProps {
    pub deck: std::rc::Rc<Deck>,
    pub notes: bool,
}

#[component]
pub fn PrintDeck(props: &PrintDeckProps) -> Html {
    html! {
        <main class="print-deck" data-testid="print-deck">
            { for props.deck.slides.iter().enumerate().map(|(i, slide)| html! {
                <section class="print-page" data-testid="print-page" key={slide.id.clone()}>
                    <SlideView slide={slide.clone()} number={i + 1} notes_visible={props.notes} />
                    if slide.demo.is_some() {
                        <PrintDemoHost index={i} />
                    }
                </section>
            }) }
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_pdf_in_the_query_asks_for_print_with_notes_on_request() {
        assert_eq!(PrintRequest::from_search("?print-pdf"), Some(PrintRequest { notes: false }));
        assert_eq!(PrintRequest::from_search("?print-pdf&notes=1"), Some(PrintRequest { notes: true }));
        assert_eq!(PrintRequest::from_search("?showNotes=true&print-pdf"), Some(PrintRequest { notes: true }));
        assert_eq!(PrintRequest::from_search("?notes=1"), None);
        assert_eq!(PrintRequest::from_search(""), None);
        assert_eq!(PrintRequest::from_search("?print-pdfx"), None);
    }
}
