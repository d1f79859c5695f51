//! The deck for printing and PDF (`?print-pdf`, reveal.js' convention, or
//! the browser's Print): every slide on a page of its own, in order, without
//! controls or navigation, its speaker notes below it with `notes=1`, and its
//! demo as its last finished run (figures and timeline) if it ran in this
//! tab, else the code it runs.

use yew::prelude::*;

use super::code::CodeBlock;
use super::memory;
use super::slide::SlideView;
use super::snapshot::Snapshot;
use super::summary::Summary;
use super::timeline::Timeline;
use crate::deck::{Block, Deck, Slide};
use crate::demos;
use crate::model::params::{Params, SPEED};
use crate::runtime::capabilities;

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
        <div class="print-deck" data-testid="print-deck">
            { for props.deck.slides.iter().enumerate().map(|(i, slide)| html! {
                <section class="print-page" data-testid="print-page" key={slide.id.clone()}>
                    <SlideView slide={slide.clone()} number={i + 1} notes_visible={props.notes} />
                    <PrintDemo slide={slide.clone()} />
                </section>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PrintDemoProps {
    slide: Slide,
}

/// A slide's demo on paper: its last finished run, else its code.
#[component]
fn PrintDemo(props: &PrintDemoProps) -> Html {
    let slide = &props.slide;
    let Some(demo) = slide.demo.as_deref().and_then(demos::find) else {
        return html! {};
    };
    let (params, _) = Params::from_query(demo.specs, &memory::recall_query(&slide.id).unwrap_or_default());
    let ms_per_second = params.int(SPEED.key).max(1) as f64;
    let cores = capabilities::detect().cores;
    let body = match memory::recall_run(&slide.id) {
        Some(panels) if !panels.is_empty() => {
            let longest = panels.iter().map(|p| p.trace.wall_ms()).fold(0.0, f64::max);
            let axis_ms = super::timeline::axis_ms(longest, None, ms_per_second);
            html! {
                { for panels.iter().map(|p| {
                    let trace = Snapshot(std::rc::Rc::new(p.trace.clone()));
                    html! {
                        <div class="panel" data-testid="panel">
                            <div class="panel-head">
                                <h4 class="panel-label">{ p.label.clone() }</h4>
                                <Summary label={AttrValue::from(p.label.clone())} trace={trace.clone()} ms_per_second={ms_per_second}
                                         sequential_ms={p.sequential_ms} show_speedup={demo.view.speedup} cores={cores} />
                            </div>
                            <Timeline trace={trace} ms_per_second={ms_per_second} axis_ms={axis_ms} />
                        </div>
                    }
                }) }
            }
        }
        _ => {
            let slide_code = slide.content.iter().find_map(|b| match b {
                Block::Code { lang: Some(lang), code, .. } if lang.starts_with("py") => Some(code.as_str()),
                _ => None,
            });
            let code = (demo.code)(slide_code, &params);
            if code.is_empty() || slide_code.map(str::trim_end) == Some(code.trim_end()) {
                html! { <p class="hint">{ demo.intro }</p> }
            } else {
                html! { <CodeBlock code={AttrValue::from(code)} lang={Some("py".to_owned())} classes={Some("demo-code".to_owned())} /> }
            }
        }
    };
    html! {
        <aside class="card demo print-demo" data-testid="print-demo" aria-label="Live demo">
            <h3>{ demo.heading }</h3>
            { body }
        </aside>
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
