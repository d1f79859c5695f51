//! The demos load after the slides. They are a wasm module of their own
//! (`src/bin/demos.rs`, served as `demos.js` and `demos_bg.wasm`), more than half
//! of the app's code, fetched once the first slide is up. The slides' app draws a
//! host element for the demo pane (and, printing, one per demo slide) and the
//! demos' app is mounted into it when the module is ready (`ui::demo_mount`);
//! until then the pane says it is loading, and if the module cannot load, why:
//! the slides keep working either way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;
use yew::prelude::*;

use super::markdown::ActiveLines;
use crate::runtime::js_error::describe;
use crate::runtime::messages::from_js;

/// The demos' module, relative to the page's `<base>`.
const MODULE: &str = "demos.js";
/// The demos' stylesheet, added to the page as their module loads.
const STYLES: &str = "demos.css";

/// What mounts the demos' views into the slides' page.
pub trait Mount {
    /// The demo pane of slide `index`, opened with the link's `query`; told the
    /// lines of the slide's code its runs light up.
    fn pane(
        &self,
        host: &Element,
        index: usize,
        query: &str,
        on_active: Callback<ActiveLines>,
    ) -> Result<Box<dyn Mounted>, String>;
    /// Slide `index`'s demo on paper.
    fn print(&self, host: &Element, index: usize) -> Result<Box<dyn Mounted>, String>;
    /// How many Web Workers the demos have running now.
    fn workers_alive(&self) -> usize;
}

/// A view mounted into a host; dropping it unmounts it.
pub trait Mounted {
    /// The pane moved to slide `index`, or its link to `query`.
    fn update(&mut self, index: usize, query: &str);
}

enum Source {
    /// Not asked for yet.
    Idle,
    Loading,
    Ready(Rc<dyn Mount>),
    /// Could not load, or stopped (the demos' module panicked).
    Failed(String),
}

thread_local! {
    static SOURCE: RefCell<Source> = const { RefCell::new(Source::Idle) };
    /// The hosts drawn now, told each time the demos' state changes.
    static WATCHERS: RefCell<Vec<(u64, Callback<()>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_WATCHER: Cell<u64> = const { Cell::new(0) };
}

/// Mounts the demos with `mount` from now on, instead of loading their
/// module: the browser tests, where one module holds the whole app.
pub fn provide(mount: Rc<dyn Mount>) {
    SOURCE.with(|s| *s.borrow_mut() = Source::Ready(mount));
}

/// The demos' state as a host sees it: ready, still loading (`Ok(None)`), or
/// why they could not load or stopped.
fn current() -> Result<Option<Rc<dyn Mount>>, String> {
    SOURCE.with(|s| match &*s.borrow() {
        Source::Ready(mount) => Ok(Some(mount.clone())),
        Source::Failed(why) => Err(why.clone()),
        Source::Idle | Source::Loading => Ok(None),
    })
}

/// How many Web Workers the demos have running now (none before they load).
pub fn workers_alive() -> usize {
    current().ok().flatten().map_or(0, |mount| mount.workers_alive())
}

/// The demos are now `source`: every host is told.
fn settle(source: Source) {
    SOURCE.with(|s| *s.borrow_mut() = source);
    let watchers: Vec<Callback<()>> = WATCHERS.with(|w| w.borrow().iter().map(|(_, c)| c.clone()).collect());
    for watcher in watchers {
        watcher.emit(());
    }
}

/// Tells `then` each time the demos' state changes until [`unwatch`], loading
/// them first if no one has asked yet.
fn watch(then: Callback<()>) -> u64 {
    let number = NEXT_WATCHER.with(|n| n.replace(n.get() + 1));
    WATCHERS.with(|w| w.borrow_mut().push((number, then)));
    let start = SOURCE.with(|s| {
        let mut source = s.borrow_mut();
        let idle = matches!(*source, Source::Idle);
        if idle {
            *source = Source::Loading;
        }
        idle
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            settle(match load().await {
                Ok(module) => Source::Ready(Rc::new(module)),
                Err(why) => Source::Failed(format!("The demos could not start ({why})")),
            });
        });
    }
    number
}

fn unwatch(number: u64) {
    WATCHERS.with(|w| w.borrow_mut().retain(|(n, _)| *n != number));
}

#[wasm_bindgen]
extern "C" {
    /// `www/import-module.js`: imports an ES module of the site and starts its wasm.
    #[wasm_bindgen(catch, js_name = parallelPlaygroundImport)]
    fn import_module(url: &str, styles: &str) -> Result<Promise, JsValue>;

    /// The demos' module, as `src/bin/demos.rs` exports it.
    type DemosModule;
    #[wasm_bindgen(method, catch, js_name = mountPane)]
    fn mount_pane(
        this: &DemosModule,
        host: &Element,
        index: u32,
        query: &str,
        on_active: &Function,
    ) -> Result<JsMounted, JsValue>;
    #[wasm_bindgen(method, catch, js_name = mountPrint)]
    fn mount_print(this: &DemosModule, host: &Element, index: u32) -> Result<JsMounted, JsValue>;
    #[wasm_bindgen(method, catch, js_name = workersAlive)]
    fn workers_alive(this: &DemosModule) -> Result<u32, JsValue>;
    #[wasm_bindgen(method, catch, js_name = whenStopped)]
    fn when_stopped(this: &DemosModule, told: &Function) -> Result<(), JsValue>;

    type JsMounted;
    #[wasm_bindgen(method, catch)]
    fn update(this: &JsMounted, index: u32, query: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn unmount(this: &JsMounted) -> Result<(), JsValue>;
}

async fn load() -> Result<Module, String> {
    let url = crate::runtime::asset_url(MODULE)?;
    // The demos' styles come with them, not with the slides' first load.
    let styles = crate::runtime::asset_url(STYLES)?;
    let promise = import_module(&url, &styles).map_err(|e| format!("the page cannot load modules: {}", describe(e)))?;
    let module: DemosModule =
        JsFuture::from(promise).await.map_err(|e| format!("{MODULE} did not load: {}", describe(e)))?.unchecked_into();
    // A panic in the demos is a bug: the module runs nothing after it (its
    // workers ended), and the panes say so while the slides go on.
    let stopped = Closure::<dyn FnMut(JsValue)>::new(|message: JsValue| {
        let message = message.as_string().unwrap_or_default();
        settle(Source::Failed(format!("The demos stopped on a bug ({message})")));
    });
    module.when_stopped(stopped.as_ref().unchecked_ref()).map_err(|e| format!("{MODULE}: {}", describe(e)))?;
    // It is called at most once, for the page's life.
    stopped.forget();
    Ok(Module(module))
}

/// The demos' module, loaded.
struct Module(DemosModule);

/// A view of the demos' module; `_on_active` lives as long as the pane does.
struct JsView {
    view: JsMounted,
    _on_active: Option<Closure<dyn FnMut(JsValue)>>,
}

impl Mounted for JsView {
    fn update(&mut self, index: usize, query: &str) {
        let _ = self.view.update(index as u32, query);
    }
}

impl Drop for JsView {
    fn drop(&mut self) {
        let _ = self.view.unmount();
    }
}

/// Why the demos' module failed a call: a wasm trap, most likely.
fn failed(e: JsValue) -> String {
    format!("the demos stopped working: {}", describe(e))
}

impl Mount for Module {
    fn pane(
        &self,
        host: &Element,
        index: usize,
        query: &str,
        on_active: Callback<ActiveLines>,
    ) -> Result<Box<dyn Mounted>, String> {
        let told = Closure::<dyn FnMut(JsValue)>::new(move |lines: JsValue| {
            if let Ok(lines) = from_js::<ActiveLines>(lines, "the demos") {
                on_active.emit(lines);
            }
        });
        let view = self.0.mount_pane(host, index as u32, query, told.as_ref().unchecked_ref()).map_err(failed)?;
        Ok(Box::new(JsView { view, _on_active: Some(told) }))
    }

    fn print(&self, host: &Element, index: usize) -> Result<Box<dyn Mounted>, String> {
        let view = self.0.mount_print(host, index as u32).map_err(failed)?;
        Ok(Box::new(JsView { view, _on_active: None }))
    }

    fn workers_alive(&self) -> usize {
        self.0.workers_alive().map_or(0, |n| n as usize)
    }
}

/// The demos' state, and a render each time it changes.
#[hook]
fn use_demos() -> Result<Option<Rc<dyn Mount>>, String> {
    let update = use_force_update();
    use_effect_with((), move |_| {
        let watching = watch(Callback::from(move |_| update.force_update()));
        move || unwatch(watching)
    });
    current()
}

/// Mounts a view into `host` once the demos are ready, and updates it with
/// `(index, query)`; unmounts it when the host goes.
#[hook]
fn use_mounted<F>(
    demos: Option<Rc<dyn Mount>>,
    host: NodeRef,
    index: usize,
    query: AttrValue,
    mount: F,
) -> Option<String>
where
    F: Fn(&dyn Mount, &Element, usize, &str) -> Result<Box<dyn Mounted>, String> + 'static,
{
    let mounted = use_mut_ref(|| None::<Box<dyn Mounted>>);
    let failure = use_state(|| None::<String>);
    {
        let (mounted, failure) = (mounted.clone(), failure.clone());
        let ready = demos.is_some();
        use_effect_with((ready, index, query), move |(_, index, query)| {
            let mut view = mounted.borrow_mut();
            match (view.as_mut(), demos, host.cast::<Element>()) {
                // They stopped: what they drew goes with its host (see `DemoHost`).
                (Some(_), None, _) => drop(view.take()),
                (Some(view), _, _) => view.update(*index, query),
                (None, Some(demos), Some(host)) => match mount(demos.as_ref(), &host, *index, query) {
                    Ok(mounted) => {
                        *view = Some(mounted);
                        failure.set(None);
                    }
                    Err(why) => failure.set(Some(format!("The demos could not start ({why})"))),
                },
                _ => {}
            }
        });
    }
    use_effect_with((), move |_| move || drop(mounted.borrow_mut().take()));
    (*failure).clone()
}

/// `said`: what went wrong, "The demos could not start (…)".
fn could_not_load(said: &str) -> Html {
    html! {
        <p class="error" role="alert" data-testid="demos-failed">
            { format!("{said}. The slides work without them; reload the page to try again.") }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct DemoHostProps {
    pub index: usize,
    /// The demo parameters of the link that opened this slide.
    pub query: AttrValue,
    /// Told which lines of the slide's code the demo is running.
    pub on_active: Callback<ActiveLines>,
}

/// Where the demo pane goes beside the slide.
#[component]
pub fn DemoHost(props: &DemoHostProps) -> Html {
    let demos = use_demos();
    let host = use_node_ref();
    let on_active = props.on_active.clone();
    let failure = use_mounted(
        demos.clone().ok().flatten(),
        host.clone(),
        props.index,
        props.query.clone(),
        move |demos, element, index, query| demos.pane(element, index, query, on_active.clone()),
    );
    let placeholder = match (&demos, failure) {
        (Ok(Some(_)), None) => None,
        (Ok(None), _) => Some(html! { <p class="hint" role="status">{ "Loading the demos…" }</p> }),
        (Err(why), _) => Some(could_not_load(why)),
        (Ok(Some(_)), Some(why)) => Some(could_not_load(&why)),
    };
    // A new host once the demos stop: the old one goes with what they drew.
    let key = if demos.is_err() { "stopped" } else { "live" };
    html! {
        <div class="pane-host" key={key} ref={host}>
            if let Some(placeholder) = placeholder {
                <aside class="demo-pane" data-testid="demo-pane" aria-label="Live demo"
                       aria-busy={demos.as_ref().is_ok_and(Option::is_none).then_some("true")}>
                    <h2 class="pane-title">{ "Live demo" }</h2>
                    { placeholder }
                </aside>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PrintDemoHostProps {
    pub index: usize,
}

/// Where a demo slide's demo goes on paper. The printed deck is busy
/// (`aria-busy`) until every one is drawn.
#[component]
pub fn PrintDemoHost(props: &PrintDemoHostProps) -> Html {
    let demos = use_demos();
    let host = use_node_ref();
    let failure = use_mounted(
        demos.clone().ok().flatten(),
        host.clone(),
        props.index,
        AttrValue::default(),
        |demos, element, index, _| demos.print(element, index),
    );
    let placeholder = match (&demos, failure) {
        (Ok(Some(_)), None) => None,
        (Ok(None), _) => Some(html! { <p class="hint">{ "Loading the demo…" }</p> }),
        (Err(why), _) => Some(could_not_load(why)),
        (Ok(Some(_)), Some(why)) => Some(could_not_load(&why)),
    };
    let key = if demos.is_err() { "stopped" } else { "live" };
    html! {
        <div class="pane-host" key={key} ref={host} aria-busy={demos.as_ref().is_ok_and(Option::is_none).then_some("true")}>
            if let Some(placeholder) = placeholder {
                <aside class="card demo print-demo" aria-label="Live demo">{ placeholder }</aside>
            }
        </div>
    }
}
