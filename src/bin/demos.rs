//! The demos' module: loaded by the slides' app once the first slide is up
//! (`ui::pane_host`), it mounts the demo pane and the printed demos into the
//! host elements that app draws (`ui::demo_mount`), and runs every demo.

use std::cell::RefCell;

use js_sys::Function;
use parallel_playground::ui::demo_mount;
use wasm_bindgen::prelude::*;
use web_sys::Element;

thread_local! {
    /// Told why, if this module panics (`whenStopped`).
    static ON_STOP: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// A view mounted into the slides' page.
#[wasm_bindgen]
pub struct Mounted(demo_mount::View);

#[wasm_bindgen]
impl Mounted {
    /// The pane moved to slide `index`, or its link to `query`.
    pub fn update(&mut self, index: u32, query: &str) {
        self.0.update(index as usize, query);
    }

    pub fn unmount(&mut self) {
        self.0.unmount();
    }
}

/// The demo pane of slide `index`, opened with the link's `query`;
/// `on_active` is called with the lines of the slide's code its runs light up.
#[wasm_bindgen(js_name = mountPane)]
pub fn mount_pane(host: Element, index: u32, query: String, on_active: Function) -> Mounted {
    Mounted(demo_mount::pane_for_page(&host, index as usize, &query, on_active))
}

/// Slide `index`'s demo on paper.
#[wasm_bindgen(js_name = mountPrint)]
pub fn mount_print(host: Element, index: u32) -> Mounted {
    Mounted(demo_mount::View::print(&host, index as usize))
}

/// How many Web Workers the runtime has running now, across every run.
#[wasm_bindgen(js_name = workersAlive)]
pub fn workers_alive() -> usize {
    parallel_playground::runtime::workers_alive()
}

/// Calls `told(message)` if this module panics: a bug, after which it runs
/// nothing more (its workers are ended first), while the slides go on.
#[wasm_bindgen(js_name = whenStopped)]
pub fn when_stopped(told: Function) {
    ON_STOP.with(|f| *f.borrow_mut() = Some(told));
}

/// Panics, on purpose: what the page shows when the demos' module has a bug
/// (for the end-to-end tests, and anyone at the browser's console).
#[wasm_bindgen(js_name = panicOnPurpose)]
pub fn panic_on_purpose(message: &str) {
    panic!("{message}");
}

fn main() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_owned(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| info.to_string()),
        };
        web_sys::console::error_1(&JsValue::from_str(&format!("the demos' module panicked: {info}")));
        parallel_playground::runtime::terminate_all();
        ON_STOP.with(|f| {
            if let Some(told) = f.try_borrow().ok().as_ref().and_then(|f| f.as_ref()) {
                let _ = told.call1(&JsValue::NULL, &JsValue::from_str(&message));
            }
        });
    }));
}
