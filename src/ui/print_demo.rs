//! A slide's demo on paper (see `print`): its last run in this tab (figures
//! and timeline, and how it ended if it did not finish), else the code it runs. Part of the demos' module,
//! mounted into the printed deck by `pane_host`.

use yew::prelude::*;

use super::code::CodeBlock;
use super::live::Panel;
use super::memory;
use super::race::Race;
use super::summary::Summary;
use super::timeline::Timeline;
use crate::deck::Slide;
use crate::demos;
use crate::model::demo_state::{DemoState, RunEnd};
use crate::model::params::Params;
use crate::runtime::capabilities;

#[derive(Properties, PartialEq)]
pub struct PrintDemoProps {
    pub slide: Slide,
}

/// The smallest zoom a demo is printed at to fit its half of the page.
const PRINT_ZOOM_MIN: f64 = 0.4;

/// Zooms `body` out until it fits `aside`, its half of the printed page, in
/// height and with its code whole across: on paper nothing scrolls, and the
/// Introduction's three panels of eight lanes are twice a page's height.
fn fit_to_page(aside: &NodeRef, body: &NodeRef) {
    let (Some(aside), Some(body)) = (aside.cast::<web_sys::HtmlElement>(), body.cast::<web_sys::HtmlElement>()) else {
        return;
    };
    let style = body.style();
    let _ = style.remove_property("zoom");
    // The body's offset is the aside's padding (the aside is its offset parent), above and below.
    let room = f64::from(aside.client_height()) - 2.0 * f64::from(body.offset_top());
    let used = f64::from(body.scroll_height());
    let mut zoom = if room > 0.0 && used > room { room / used } else { 1.0 };
    if let Ok(pres) = body.query_selector_all("pre") {
        for pre in (0..pres.length()).filter_map(|i| pres.item(i)) {
            let pre: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(pre);
            if pre.scroll_width() > pre.client_width() && pre.client_width() > 0 {
                zoom = zoom.min(f64::from(pre.client_width()) / f64::from(pre.scroll_width()));
            }
        }
    }
    if zoom < 1.0 {
        // A little under, so rounding never leaves a line cut.
        let zoom = (zoom * 0.98).max(PRINT_ZOOM_MIN);
        let _ = style.set_property("zoom", &format!("{zoom:.3}"));
    }
}

/// A slide's demo on paper: its last run, else its code.
#[component]
pub fn PrintDemo(props: &PrintDemoProps) -> Html {
    let (aside, fitted) = (use_node_ref(), use_node_ref());
    {
        let (aside, fitted) = (aside.clone(), fitted.clone());
        use_effect(move || fit_to_page(&aside, &fitted));
    }
    let slide = &props.slide;
    let Some(demo) = slide.demo.as_deref().and_then(demos::find) else {
        return html! {};
    };
    let (params, _) = Params::from_query(demo.specs, &memory::recall_query(&slide.id).unwrap_or_default());
    let cores = capabilities::detect().cores;
    let body = match memory::recall_run(&slide.id) {
        Some(run) if !run.panels.is_empty() => {
            let panels = &run.panels;
            // Read at the speed it was made at, and said what made it.
            let ms_per_second = run.ran_with.ms_per_second.max(1.0);
            let made_with = DemoState::from_query(demo.specs, &run.ran_with.query).params_line();
            let claims = demos::Claims::of(&demo.view, &run.end.status(), ms_per_second);
            let (name_fastest, show_speedup) = (claims.fastest, claims.speedup);
            let longest = panels.iter().map(|p| p.trace.wall_ms()).fold(0.0, f64::max);
            let axis_ms = super::timeline::axis_ms(longest, None, ms_per_second);
            // A race's bars first, as on the screen.
            let race: std::rc::Rc<Vec<Panel>> = std::rc::Rc::new(panels.iter().map(Panel::from).collect());
            let ended = match &run.end {
                RunEnd::Finished => None,
                RunEnd::Stopped => Some("This run was stopped before its end.".to_owned()),
                RunEnd::Left => {
                    Some("This run was stopped before its end, when its slide was left or opened again.".to_owned())
                }
                RunEnd::Failed(why) => Some(format!("This run failed: {why}")),
            };
            html! { <>
                <p class="hint" data-testid="print-ran-with">{ "Made with " }<code>{ made_with }</code></p>
                if let Some(ended) = ended {
                    <p class="hint" data-testid="print-run-end">{ ended }</p>
                }
                if demo.view.panels > 1 && race.len() > 1 {
                    <Race panels={race.clone()} expected={race.len()} axis_ms={axis_ms} ms_per_second={ms_per_second}
                          cores={cores} show_speedup={show_speedup} done={name_fastest} />
                }
                { for race.iter().map(|p| {
                    html! {
                        <div class="panel" data-testid="panel">
                            <div class="panel-head">
                                <h3 class="panel-label">{ p.label.clone() }</h3>
                                <Summary label={p.label.clone()} trace={p.trace.clone()} ms_per_second={ms_per_second}
                                         sequential_ms={p.sequential_ms} show_speedup={show_speedup} cores={cores} />
                            </div>
                            <Timeline trace={p.trace.clone()} ms_per_second={ms_per_second} axis_ms={axis_ms} />
                        </div>
                    }
                }) }
            </> }
        }
        _ => {
            let slide_code = slide.python_code();
            let code = (demo.code)(slide_code, &params);
            if code.is_empty() || slide_code.map(str::trim_end) == Some(code.trim_end()) {
                html! { <p class="hint">{ demo.intro }</p> }
            } else {
                html! { <CodeBlock code={AttrValue::from(code)} lang={Some("py".to_owned())} classes={Some("demo-code".to_owned())} /> }
            }
        }
    };
    html! {
        <aside class="card demo print-demo" data-testid="print-demo" aria-label={format!("Demo: {}", demo.heading)} ref={aside}>
            <div class="print-demo-body" ref={fitted}>
                <h2>{ demo.heading }</h2>
                { body }
            </div>
        </aside>
    }
}
