//! The pane beside the slide: the slide's live demo, and what this browser offers.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::demo_view::DemoView;
use super::hooks::{replace_hash, use_drawn_in_turns, use_window_event};
use super::markdown::ActiveLines;
use super::memory;
use super::round_trip::RoundTripView;
use crate::deck::Deck;
use crate::demos;
use crate::model::route;
use crate::runtime::capabilities::{self, Capabilities};

#[derive(Properties, PartialEq)]
pub struct DemoPaneProps {
    pub deck: std::rc::Rc<Deck>,
    pub index: usize,
    /// The demo parameters of the link that opened this slide.
    pub query: AttrValue,
    /// Told which lines of the slide's code the demo is running.
    pub on_active: Callback<ActiveLines>,
}

#[component]
pub fn DemoPane(props: &DemoPaneProps) -> Html {
    // The pane fills in a task after the one that first draws the slide, and
    // the browser's facts come a task after the demo: the page's first render,
    // in code the browser runs for the first time, is then short tasks, not one
    // long one. Drawn with the demo, the facts made that task 33-59 ms in
    // Firefox in 10 of 12 first loads; a turn later, 1 of 12 had one of 50 ms.
    let drawn = use_drawn_in_turns(2, false);
    let filled = drawn >= 1;
    let caps = use_memo((), |_| capabilities::detect());
    // A link without parameters gets the ones the slide kept from an earlier visit,
    // and says so in the address, so the link reproduces what shows.
    let slide_id = props.deck.slides.get(props.index).map(|s| s.id.clone()).unwrap_or_default();
    let query = match &props.query {
        q if q.is_empty() => AttrValue::from(memory::recall_query(&slide_id).unwrap_or_default()),
        q => q.clone(),
    };
    {
        let (deck, index, query, linked) = (props.deck.clone(), props.index, query.clone(), props.query.clone());
        use_effect_with(query.clone(), move |_| {
            if linked.is_empty() && !query.is_empty() {
                replace_hash(&route::hash_with_query(&deck, index, &query));
            }
        });
    }
    // Each link to the slide shown opens its demo afresh with its parameters,
    // even one the app already had: the demo rewrites the address as its
    // parameters change (Reset, an edit) without telling the app, so following
    // the link again changes nothing the app can see. A move to another slide
    // opens that slide's demo anyway: its `hashchange`, which comes a turn
    // later, must not open it a second time (stopping a run begun meanwhile).
    let links_followed = use_state(|| 0u32);
    {
        let (links_followed, deck) = (links_followed.clone(), props.deck.clone());
        use_window_event("hashchange", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::HashChangeEvent>() else {
                return;
            };
            if route::stays_on_slide(&event.old_url(), &event.new_url(), &deck) {
                links_followed.set(*links_followed + 1);
            }
        });
    }
    let Some(slide) = props.deck.slides.get(props.index) else {
        return html! {};
    };
    let demo = slide.demo.as_deref().map(|name| (name, demos::find(name)));
    let on_query = {
        let deck = props.deck.clone();
        let index = props.index;
        Callback::from(move |query: String| replace_hash(&route::hash_with_query(&deck, index, &query)))
    };
    // A slide without a demo, or a demo that asks for them, shows what this browser offers.
    let show_basics = match demo {
        None => true,
        Some((_, found)) => found.is_some_and(|d| d.view.browser_facts),
    };
    html! {
        <aside class="demo-pane" data-testid="demo-pane" aria-label="Live demo" aria-busy={(!filled).then_some("true")}
               tabindex="0">
            <h2 class="pane-title">{ "Live demo" }</h2>
            if filled {
                { match demo {
                    Some((_, Some(kind))) => html! {
                        <DemoView key={format!("{}?{}#{}", slide.id, query, *links_followed)} demo={kind} slide={AttrValue::from(slide.id.clone())}
                                  slide_code={slide.python_code().map(AttrValue::from)} query={query.clone()} on_query={on_query}
                                  on_active={props.on_active.clone()} />
                    },
                    Some((name, None)) => html! {
                        <p class="error" role="alert" data-testid="demo-missing">
                            { format!("This slide asks for a demo called {name:?}, which does not exist. Known demos: {}.",
                                      demos::ALL.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")) }
                        </p>
                    },
                    None => html! {},
                } }
                // The browser's facts come after the demo: its results come first.
                if show_basics && drawn >= 2 {
                    <CapabilityPanel caps={*caps} />
                    <RoundTripView />
                }
            }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct CapabilityProps {
    caps: Capabilities,
}

#[component]
fn CapabilityPanel(props: &CapabilityProps) -> Html {
    let caps = props.caps;
    let yes_no = |flag: bool| if flag { "yes" } else { "no" };
    let cores = caps.cores.map_or_else(|| "unknown".to_owned(), |n| n.to_string());
    html! {
        <section class="card capabilities" data-testid="capabilities">
            <h3>{ "This browser" }</h3>
            <dl>
                <dt>{ "Logical cores" }</dt>
                <dd data-testid="cores">{ cores }</dd>
                <dt>{ "Cross-origin isolated" }</dt>
                <dd data-testid="isolated">{ yes_no(caps.cross_origin_isolated) }</dd>
                <dt>{ "SharedArrayBuffer" }</dt>
                <dd data-testid="sab">{ if caps.shared_array_buffer { "available" } else { "not available" } }</dd>
                <dt>{ "The GIL here" }</dt>
                <dd data-testid="gil-impl">{ caps.gil_impl().label() }</dd>
            </dl>
            <p class="hint">
                { "Each Web Worker is a real thread of the browser: the demos run Python's threads and processes on them. " }
                if !caps.cross_origin_isolated {
                    { "This page is not cross-origin isolated (the server sent no COOP/COEP headers), so workers cannot share memory: the GIL is an arbiter the threads send messages to." }
                }
            </p>
        </section>
    }
}
