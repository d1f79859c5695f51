//! The demos' module: loaded by the slides' app once the first slide is up
//! (`ui::pane_host`), it mounts the demo pane and the printed demos into the
//! host elements that app draws (`ui::demo_mount`), and runs every demo.

use js_sys::Function;
use parallel_playground::ui::demo_mount;
use wasm_bindgen::prelude::*;
use web_sys::Element;

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

fn main() {}
