//! The demos' side of `pane_host`: the demo pane and a printed slide's demo,
//! each an app of its own mounted into a host element the slides' app drew.
//! The demos' module (`src/bin/demos.rs`) hands these to the page
//! ([`pane_for_page`]); the browser tests, where one module holds the whole
//! app, mount them in-process ([`InProcess`]).

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::prelude::*;
use yew::AppHandle;

use super::demo_pane::DemoPane;
use super::markdown::ActiveLines;
use super::pane_host::{Mount, Mounted};
use super::print_demo::PrintDemo;
use crate::deck::Deck;
use crate::runtime::messages::to_js;

thread_local! {
    static DECK: Rc<Deck> = Rc::new(crate::deck::builtin());
}

#[derive(Properties, PartialEq)]
pub struct PaneRootProps {
    index: usize,
    query: AttrValue,
    on_active: Callback<ActiveLines>,
}

#[component]
fn PaneRoot(props: &PaneRootProps) -> Html {
    let deck = DECK.with(Rc::clone);
    html! { <DemoPane deck={deck} index={props.index} query={props.query.clone()} on_active={props.on_active.clone()} /> }
}

#[derive(Properties, PartialEq)]
pub struct PrintRootProps {
    index: usize,
}

#[component]
fn PrintRoot(props: &PrintRootProps) -> Html {
    match DECK.with(|deck| deck.slides.get(props.index).cloned()) {
        Some(slide) => html! { <PrintDemo slide={slide} /> },
        None => html! {},
    }
}

/// A mounted view of the demos; dropping it, or [`View::unmount`], takes it out.
pub struct View(Option<App>);

enum App {
    Pane { app: AppHandle<PaneRoot>, on_active: Callback<ActiveLines> },
    Print(AppHandle<PrintRoot>),
}

/// The property Yew marks each element it creates with: the number of its app's root.
const YEW_ROOT: &str = "__yew_subtree_id";
/// Yew numbers the roots of its apps from 1 in each wasm module.
const MOST_PROBES: usize = 1_000;

#[component]
fn Probe() -> Html {
    html! {}
}

fn yew_root_of(element: &Element) -> Option<f64> {
    js_sys::Reflect::get(element, &JsValue::from_str(YEW_ROOT)).ok().and_then(|v| v.as_f64())
}

/// Numbers this module's next Yew root past every root above `host`. Yew numbers
/// the roots of its apps from 1 in each wasm module, marks every element with its
/// root's number, and the slides' app, whose elements hold `host`, takes an event
/// from an element marked with its own number for one of its own: a click in the
/// pane would run a handler of the slides'. So this module counts past them first,
/// with roots made and dropped at once.
fn number_past_hosts(host: &Element) {
    let mut above = 0.0_f64;
    let mut node = Some(host.clone());
    while let Some(element) = node {
        above = above.max(yew_root_of(&element).unwrap_or(0.0));
        node = element.parent_element();
    }
    let Some(document) = host.owner_document() else {
        return;
    };
    for _ in 0..MOST_PROBES {
        let Ok(probe) = document.create_element("div") else {
            return;
        };
        let app = yew::Renderer::<Probe>::with_root(probe.clone()).render();
        let number = yew_root_of(&probe);
        app.destroy();
        if number.is_none_or(|n| n > above) {
            return;
        }
    }
}

impl View {
    pub fn pane(host: &Element, index: usize, query: &str, on_active: Callback<ActiveLines>) -> View {
        number_past_hosts(host);
        let props = PaneRootProps { index, query: AttrValue::from(query.to_owned()), on_active: on_active.clone() };
        let app = yew::Renderer::<PaneRoot>::with_root_and_props(host.clone(), props).render();
        View(Some(App::Pane { app, on_active }))
    }

    pub fn print(host: &Element, index: usize) -> View {
        number_past_hosts(host);
        let props = PrintRootProps { index };
        View(Some(App::Print(yew::Renderer::<PrintRoot>::with_root_and_props(host.clone(), props).render())))
    }

    pub fn update(&mut self, index: usize, query: &str) {
        if let Some(App::Pane { app, on_active }) = &mut self.0 {
            app.update(PaneRootProps { index, query: AttrValue::from(query.to_owned()), on_active: on_active.clone() });
        }
    }

    pub fn unmount(&mut self) {
        match self.0.take() {
            Some(App::Pane { app, .. }) => app.destroy(),
            Some(App::Print(app)) => app.destroy(),
            None => {}
        }
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.unmount();
    }
}

impl Mounted for View {
    fn update(&mut self, index: usize, query: &str) {
        View::update(self, index, query);
    }
}

/// The pane for the slides' app in another module: the lines it lights up
/// reach `on_active` as a message's bytes (`pane_host` reads them back).
pub fn pane_for_page(host: &Element, index: usize, query: &str, on_active: Function) -> View {
    let tell = Callback::from(move |lines: ActiveLines| {
        if let Ok(bytes) = to_js(&lines) {
            let _ = on_active.call1(&JsValue::NULL, &bytes);
        }
    });
    View::pane(host, index, query, tell)
}

/// The demos in the same module as the slides.
pub struct InProcess;

impl Mount for InProcess {
    fn pane(
        &self,
        host: &Element,
        index: usize,
        query: &str,
        on_active: Callback<ActiveLines>,
    ) -> Result<Box<dyn Mounted>, String> {
        Ok(Box::new(View::pane(host, index, query, on_active)))
    }

    fn print(&self, host: &Element, index: usize) -> Result<Box<dyn Mounted>, String> {
        Ok(Box::new(View::print(host, index)))
    }

    fn workers_alive(&self) -> usize {
        crate::runtime::workers_alive()
    }
}
