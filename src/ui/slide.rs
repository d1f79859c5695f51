//! One slide and its speaker notes. Where the stage gives the slide a fixed
//! height (a projector, a laptop), its text is scaled so the slide fits it, as
//! reveal.js scales its slides; where the page scrolls (a phone), it is not.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::use_resized;
use super::markdown;
use crate::deck::Slide;

/// The smallest and largest scale of a slide's text, and the step between
/// the scales tried, in thousandths.
const FIT_MIN: u32 = 800;
const FIT_MAX: u32 = 1400;
const FIT_STEP: u32 = 5;

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

/// Scales the text of `article` to the largest scale, in steps of a
/// two-hundredth, at which `body` fits its height and its code shows whole
/// (the smallest if none does: the slide then scrolls). The scale found does
/// not depend on the one the slide had before (the slide shown before it).
fn fit(article: &NodeRef, body: &NodeRef) {
    let (Some(article), Some(body)) = (article.cast::<web_sys::HtmlElement>(), body.cast::<web_sys::HtmlElement>())
    else {
        return;
    };
    let style = article.style();
    // Only a slide the stage gives a height of its own (it scrolls apart from the
    // page) is fitted; on a phone it takes the room it needs, at its own size.
    let on_stage = web_sys::window()
        .and_then(|w| w.get_computed_style(&article).ok().flatten())
        .and_then(|computed| computed.get_property_value("overflow-y").ok())
        .is_some_and(|overflow| overflow == "auto" || overflow == "scroll");
    // Whether the slide scrolls at the scale found: `follow_lit` reads it
    // without measuring.
    let _ = article.remove_attribute("data-scrolls");
    if !on_stage {
        let _ = style.remove_property("--fit");
        return;
    }
    // In thousandths, written by hand: formatting a float would link float
    // formatting into the slides' module for this one property.
    let set = |thousandths: u32| {
        let _ = style.set_property("--fit", &format!("{}.{:03}", thousandths / 1000, thousandths % 1000));
    };
    let fits = |thousandths: u32| -> Option<bool> {
        set(thousandths);
        let (tall, across) = measure(&article, &body)?;
        Some(tall >= 0.995 && across >= 0.995)
    };
    let (mut small, mut large) = (FIT_MIN, FIT_MAX);
    let Some(largest_fits) = fits(large) else {
        return;
    };
    if largest_fits {
        return;
    }
    // `small` fits or is the smallest allowed; `large` does not fit.
    while large - small > FIT_STEP {
        let middle = (small + large) / 2 / FIT_STEP * FIT_STEP;
        let middle = if middle <= small { small + FIT_STEP } else { middle };
        match fits(middle) {
            Some(true) => small = middle,
            Some(false) => large = middle,
            None => return,
        }
    }
    if small == FIT_MIN && fits(small) == Some(false) {
        let _ = article.set_attribute("data-scrolls", "");
    }
    set(small);
}

/// Scrolls a slide that scrolls by itself so that the lines the demo has
/// lit show (each thread's line: the workers' near the top of the futures
/// program, the main thread's near its foot), or the first of them where
/// they cannot all show at once; the page itself never scrolls for it. Once
/// none is lit, the slide goes back to where it was. Offsets are from the
/// slide, which is the lines' offset parent.
fn follow_lit(article: &NodeRef, followed_from: &std::cell::Cell<Option<i32>>) {
    let Some(article) = article.cast::<web_sys::HtmlElement>().filter(|a| a.has_attribute("data-scrolls")) else {
        return;
    };
    let Ok(lit) = article.query_selector_all(".line[data-active]") else {
        return;
    };
    let (top, room) = (article.scroll_top(), article.client_height());
    // The lit lines' top and foot, and a line's height of room around them.
    let (mut first, mut last, mut margin) = (i32::MAX, i32::MIN, 0);
    for line in (0..lit.length()).filter_map(|i| lit.item(i)) {
        let line: web_sys::HtmlElement = line.unchecked_into();
        let (at, tall) = (line.offset_top(), line.offset_height());
        (first, last, margin) = (first.min(at), last.max(at + tall), tall);
    }
    if first > last {
        // The run is over: the slide goes back to where the viewer had it.
        if let Some(from) = followed_from.take() {
            article.set_scroll_top(from);
        }
        return;
    }
    if first >= top && last <= top + room {
        return;
    }
    if followed_from.get().is_none() {
        followed_from.set(Some(top));
    }
    let to = if last - first + 2 * margin > room || first < top { first - margin } else { last + margin - room };
    article.set_scroll_top(to);
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
    {
        // Where the slide was scrolled before it followed the lit lines.
        let followed_from = use_mut_ref(|| std::cell::Cell::new(None));
        let article = article.clone();
        use_effect_with(props.active.clone(), move |_| follow_lit(&article, &followed_from.borrow()));
    }
    html! {
        <article class={classes!("slide", slide.attrs.class_string())} id={slide.id.clone()} ref={article}
                 data-testid="slide" data-slide={props.number.to_string()} aria-roledescription="slide"
                 aria-label={format!("{}: {}", props.number, slide.title)} tabindex="0">
            <div class="slide-body" ref={body}>
                { markdown::slide_blocks(&slide.content, &props.active) }
                if props.notes_visible {
                    <section class="notes" data-testid="notes" aria-label={format!("Speaker notes: {}", slide.title)}>
                        <h2 class="notes-title">{ "Speaker notes" }</h2>
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
