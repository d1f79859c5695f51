//! One slide and its speaker notes.

use yew::prelude::*;

use super::markdown;
use crate::deck::Slide;

#[derive(Properties, PartialEq)]
pub struct SlideProps {
    pub slide: Slide,
    pub number: usize,
    pub notes_visible: bool,
    /// Lines of the slide's Python that the demo beside it is running now.
    #[prop_or_default]
    pub active: std::rc::Rc<markdown::ActiveLines>,
}

#[component]
pub fn SlideView(props: &SlideProps) -> Html {
    let slide = &props.slide;
    html! {
        <article class={classes!("slide", slide.attrs.class_string())} id={slide.id.clone()}
                 data-testid="slide" data-slide={props.number.to_string()} aria-roledescription="slide">
            { markdown::blocks_running(&slide.content, &props.active) }
            if props.notes_visible {
                <aside class="notes" data-testid="notes" aria-label="Speaker notes">
                    <h3 class="notes-title">{ "Speaker notes" }</h3>
                    if slide.notes.is_empty() {
                        <p class="notes-empty">{ "No notes for this slide." }</p>
                    } else {
                        { markdown::blocks(&slide.notes) }
                    }
                </aside>
            }
        </article>
    }
}
