//! One slide and its speaker notes. Where the stage gives the slide a fixed
//! height (a projector, a laptop), its text is scaled so the slide fits it, as
//! reveal.js scales its slides; where the page scrolls (a phone), it is not.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::use_resized;
use super::markdown;
use crate::deck::Slide;

/// The smallest and largest scale of a slide's text.
const FIT_MIN: f64 = 0.8;
const FIT_MAX: f64 = 1.4;

#[derive(Properties, PartialEq)]
pub struct SlideProps {
    pub slide: Slide,
    pub number: usize,
    pub notes_visible: bool,
    /// Lines of the slide's Python that the demo beside it is running now.
    #[prop_or_default]
    pub active: std::rc::Rc<markdown::ActiveLines>,
}

/// How `body` sits in `article` at the current scale: the height it has
/// room for over the height it takes, and how much of its widest code shows
/// across (1 where every line shows).
fn measure(article: &web_sys::HtmlElement, body: &web_sys::HtmlElement) -> Option<(f64, f64)> {
    let room = f64::from(article.client_height());
    let used = f64::from(body.offset_height());
    if room <= 0.0 || used <= 0.0 {
        return None;
    }
    let pres = body.query_selector_all("pre").ok()?;
    let across = (0..pres.length())
        .filter_map(|i| pres.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()))
        .filter(|pre| pre.scroll_width() > 0)
        .map(|pre| f64::from(pre.client_width()) / f64::from(pre.scroll_width()))
        .fold(1.0, f64::min);
    // Nothing else may stick out either (a long word in a big heading).
    let across = across.min(f64::from(body.client_width()) / f64::from(body.scroll_width().max(1)));
    Some((room / used, across))
}

/// Scales the text of `article` so that `body` fills its height and its code
/// shows whole: shrinks until it fits, then grows while it still fits.
fn fit(article: &NodeRef, body: &NodeRef) {
    let (Some(article), Some(body)) = (article.cast::<web_sys::HtmlElement>(), body.cast::<web_sys::HtmlElement>())
    else {
        return;
    };
    let style = article.style();
    let set = |scale: f64| {
        // Thousandths by hand: formatting a float would link float formatting
        // into the slides' module for this one line.
        let thousandths = (scale * 1000.0).round() as u32;
        let _ = style.set_property("--fit", &format!("{}.{:03}", thousandths / 1000, thousandths % 1000));
    };
    // Only a slide the stage gives a height of its own (it scrolls apart from the
    // page) is fitted; on a phone it takes the room it needs, at its own size.
    let on_stage = web_sys::window()
        .and_then(|w| w.get_computed_style(&article).ok().flatten())
        .and_then(|computed| computed.get_property_value("overflow-y").ok())
        .is_some_and(|overflow| overflow == "auto" || overflow == "scroll");
    if !on_stage {
        let _ = style.remove_property("--fit");
        return;
    }
    let mut scale = style
        .get_property_value("--fit")
        .ok()
        .map(|v| js_sys::Number::parse_float(&v))
        .filter(|v| v.is_finite())
        .unwrap_or(1.0);
    let fits = |(tall, across): (f64, f64)| tall >= 0.995 && across >= 0.995;
    for _ in 0..6 {
        let Some((tall, across)) = measure(&article, &body) else {
            return;
        };
        if !fits((tall, across)) {
            let next = (scale * tall.min(across) * 0.99).clamp(FIT_MIN, FIT_MAX);
            if (next - scale).abs() < 0.005 {
                return;
            }
            scale = next;
            set(scale);
            continue;
        }
        // It fits: try larger, and keep the larger size only if it fits too.
        let next = (scale * tall * 0.99).min(FIT_MAX);
        if next < scale * 1.01 {
            return;
        }
        set(next);
        if measure(&article, &body).is_some_and(fits) {
            scale = next;
        } else {
            set(scale);
            return;
        }
    }
}

#[component]
pub fn SlideView(props: &SlideProps) -> Html {
    let slide = &props.slide;
    let (article, body) = (use_node_ref(), use_node_ref());
    {
        // Fitted whenever the slide's room or its content changes size: the first
        // layout, a resize, the notes shown, another slide.
        let (a, b) = (article.clone(), body.clone());
        use_resized(&[article.clone(), body.clone()], move || fit(&a, &b));
    }
    html! {
        <article class={classes!("slide", slide.attrs.class_string())} id={slide.id.clone()} ref={article}
                 data-testid="slide" data-slide={props.number.to_string()} aria-roledescription="slide"
                 aria-label={format!("{}: {}", props.number, slide.title)} tabindex="0">
            <div class="slide-body" ref={body}>
                { markdown::slide_blocks(&slide.content, &props.active) }
                if props.notes_visible {
                    <section class="notes" data-testid="notes" aria-labelledby="notes-title">
                        <h2 class="notes-title" id="notes-title">{ "Speaker notes" }</h2>
                        if slide.notes.is_empty() {
                            <p class="notes-empty">{ "No notes for this slide." }</p>
                        } else {
                            { markdown::blocks(&slide.notes) }
                        }
                    </section>
                }
            </div>
        </article>
    }
}
