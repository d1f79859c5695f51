use wasm_bindgen::prelude::*;

/// How many Web Workers the demos have running now, across every run: for the
/// browser's console and the end-to-end tests (`wasmBindings.workersAlive()`).
#[wasm_bindgen(js_name = workersAlive)]
pub fn workers_alive() -> usize {
    parallel_playground::ui::pane_host::workers_alive()
}

fn main() {
    // The first render runs in a task after the one that instantiated the
    // wasm: on a first visit each is about 20-30 ms of code the browser has
    // only just compiled, and together they made one task over 50 ms.
    gloo_timers::callback::Timeout::new(0, || {
        yew::Renderer::<parallel_playground::ui::App>::new().render();
        // The app is up: the loading screen the page showed until now goes.
        if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
            boot.remove();
        }
    })
    .forget();
}
