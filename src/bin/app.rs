use wasm_bindgen::prelude::*;

/// How many Web Workers the demos have running now, across every run: for the
/// browser's console and the end-to-end tests (`wasmBindings.workersAlive()`).
#[wasm_bindgen(js_name = workersAlive)]
pub fn workers_alive() -> usize {
    parallel_playground::ui::pane_host::workers_alive()
}

fn main() {
    // The first render runs in a task after the one that instantiated the
    // wasm, and draws the page in turns (`ui::App`): on a first visit each
    // function runs just after it is compiled, and together they made one
    // task over 50 ms. The app takes the loading screen away once the slide
    // is drawn.
    gloo_timers::callback::Timeout::new(0, || {
        yew::Renderer::<parallel_playground::ui::App>::new().render();
    })
    .forget();
}
