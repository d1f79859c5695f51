//! The app in a real browser (headless Chromium and Firefox through
//! wasm-bindgen-test): what a viewer sees, and what keys and links do.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use parallel_playground::ui::demo_mount::InProcess;
use parallel_playground::ui::{pane_host, App};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, KeyboardEventInit, Window};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> Window {
    web_sys::window().expect("a window")
}

fn document() -> Document {
    window().document().expect("a document")
}

/// A mounted app in its own element; unmounted (listeners removed) on drop.
struct Mounted {
    handle: Option<AppHandle<App>>,
    root: Element,
}

impl Mounted {
    /// Opens the app as a visitor would with `hash` in the address bar.
    async fn open(hash: &str) -> Mounted {
        window()
            .history()
            .unwrap()
            .replace_state_with_url(&JsValue::NULL, "", Some(&format!("{}{hash}", path())))
            .unwrap();
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        // This test module holds the demos too: no second module to load.
        pane_host::provide(std::rc::Rc::new(InProcess));
        let handle = yew::Renderer::<App>::with_root(root.clone()).render();
        settle().await;
        Mounted { handle: Some(handle), root }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector).and_then(|e| e.text_content()).unwrap_or_else(|| panic!("no {selector}"))
    }

    /// The slide's heading, as a viewer reads it.
    fn heading(&self) -> String {
        self.text("[data-testid=slide] h1, [data-testid=slide] h2")
    }

    fn counter(&self) -> String {
        self.text("[data-testid=slide-counter]")
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

fn path() -> String {
    window().location().pathname().unwrap()
}

fn hash() -> String {
    window().location().hash().unwrap()
}

/// Lets events, Yew's scheduler and effects run, and the app draw in its
/// turns: until the page has not changed for a round (a first render in
/// debug code on a busy machine takes longer than a few rounds).
async fn settle() {
    let page = || document().body().map(|b| b.inner_html()).unwrap_or_default();
    let mut last = String::new();
    for round in 0..50 {
        TimeoutFuture::new(20).await;
        yew::scheduler::flush().await;
        let now = page();
        if round >= 2 && now == last {
            return;
        }
        last = now;
    }
}

async fn press_on(target: &web_sys::EventTarget, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    settle().await;
}

async fn press(key: &str) {
    press_on(&document().body().unwrap(), key, false).await;
}

/// The titles of the built-in deck, in order (`src/deck/tests.rs` pins them).
fn titles() -> Vec<String> {
    parallel_playground::deck::builtin().slides.into_iter().map(|s| s.title).collect()
}

#[wasm_bindgen_test]
async fn the_first_slide_opens_with_its_title_counter_and_link() {
    let app = Mounted::open("").await;
    assert_eq!(app.heading(), "Parallel Execution");
    assert_eq!(app.counter(), "1 / 8");
    assert_eq!(hash(), "#/parallel-execution");
    assert!(app.find("[data-testid=notice]").is_none());
    assert!(app.find("[data-testid=demo-pane] [data-testid=capabilities]").is_some());
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_every_slide_and_stop_at_the_ends() {
    let app = Mounted::open("").await;
    let titles = titles();
    assert_eq!(titles.len(), 8);
    for (index, title) in titles.iter().enumerate() {
        assert_eq!(&app.heading(), title);
        assert_eq!(app.counter(), format!("{} / 8", index + 1));
        press("ArrowRight").await;
    }
    assert_eq!(app.heading(), "asyncio example", "Right on the last slide stays there");
    assert_eq!(hash(), "#/asyncio-example");
    press("ArrowLeft").await;
    assert_eq!(app.heading(), "Async I/O");
}

#[wasm_bindgen_test]
async fn space_page_keys_home_and_end_move_like_reveal_js() {
    let app = Mounted::open("").await;
    press(" ").await;
    assert_eq!(app.counter(), "2 / 8");
    press("PageDown").await;
    assert_eq!(app.counter(), "3 / 8");
    press_on(&document().body().unwrap(), " ", true).await;
    assert_eq!(app.counter(), "2 / 8");
    press("PageUp").await;
    assert_eq!(app.counter(), "1 / 8");
    press("End").await;
    assert_eq!(app.heading(), "asyncio example");
    press("Home").await;
    assert_eq!(app.heading(), "Parallel Execution");
}

#[wasm_bindgen_test]
async fn n_toggles_the_speaker_notes() {
    let app = Mounted::open("#/introduction").await;
    assert!(app.find("[data-testid=notes]").is_none());
    press("n").await;
    let notes = app.text("[data-testid=notes]");
    assert!(notes.contains("asyncio is not parallel!"), "{notes}");
    assert!(app.find("[data-testid=notes] .admonition.warning").is_some());
    press("N").await;
    assert!(app.find("[data-testid=notes]").is_none());
}

#[wasm_bindgen_test]
async fn buttons_move_and_are_disabled_at_the_ends() {
    let app = Mounted::open("").await;
    let prev: HtmlElement = app.find("[data-testid=prev]").unwrap().dyn_into().unwrap();
    let next: HtmlElement = app.find("[data-testid=next]").unwrap().dyn_into().unwrap();
    assert!(prev.has_attribute("disabled"));
    next.click();
    settle().await;
    assert_eq!(app.heading(), "Introduction");
    assert!(!prev.has_attribute("disabled"));
    prev.click();
    settle().await;
    assert_eq!(app.heading(), "Parallel Execution");
}

#[wasm_bindgen_test]
async fn a_link_opens_its_slide_by_id_or_number() {
    let app = Mounted::open("#/the-gil").await;
    assert_eq!(app.heading(), "The GIL");
    assert_eq!(app.counter(), "4 / 8");
    drop(app);
    let app = Mounted::open("#/3").await;
    assert_eq!(app.heading(), "Multithreading & Multiprocessing");
    assert_eq!(hash(), "#/multithreading-multiprocessing", "a number is rewritten to the slide's id");
}

#[wasm_bindgen_test]
async fn an_unknown_slide_opens_the_first_with_a_notice() {
    let app = Mounted::open("#/no-such-slide").await;
    assert_eq!(app.heading(), "Parallel Execution");
    let notice = app.text("[data-testid=notice]");
    assert!(notice.contains("no-such-slide"), "{notice}");
    press("ArrowRight").await;
    assert!(app.find("[data-testid=notice]").is_none(), "moving on retires the notice");
}

#[wasm_bindgen_test]
async fn the_page_follows_the_hash_and_history() {
    let app = Mounted::open("").await;
    window().location().set_hash("#/async-i-o").unwrap();
    settle().await;
    assert_eq!(app.heading(), "Async I/O");
    press("ArrowRight").await;
    assert_eq!(app.heading(), "asyncio example");
    window().history().unwrap().back().unwrap();
    TimeoutFuture::new(150).await;
    settle().await;
    assert_eq!(app.heading(), "Async I/O", "back returns to the previous slide");
    window().history().unwrap().forward().unwrap();
    TimeoutFuture::new(150).await;
    settle().await;
    assert_eq!(app.heading(), "asyncio example");
}

#[wasm_bindgen_test]
async fn python_code_is_highlighted_and_keeps_its_text() {
    let app = Mounted::open("#/classical-method-example").await;
    let code = app.find("[data-testid=code]").expect("a code block");
    let text = code.text_content().unwrap();
    assert!(text.starts_with("from time import sleep\n"), "{text}");
    assert!(text.contains("            print('%s: %3d' % (self.name, i))\n"));
    assert_eq!(code.query_selector_all(".line").unwrap().length(), 17);
    let keywords: Vec<String> = (0..code.query_selector_all(".tok-kw").unwrap().length())
        .filter_map(|i| code.query_selector_all(".tok-kw").unwrap().item(i)?.text_content())
        .collect();
    for kw in ["from", "import", "class", "def", "for", "in"] {
        assert!(keywords.iter().any(|k| k == kw), "{kw} in {keywords:?}");
    }
    assert_eq!(app.text("[data-testid=code] .tok-def"), "MyThread");
}

#[wasm_bindgen_test]
async fn typing_in_a_field_does_not_turn_slides() {
    let app = Mounted::open("").await;
    let input = app.find("[data-testid=prime-limit]").unwrap();
    press_on(&input, "ArrowRight", false).await;
    press_on(&input, " ", false).await;
    assert_eq!(app.counter(), "1 / 8");
}

#[wasm_bindgen_test]
async fn a_bad_prime_limit_is_explained_and_nothing_runs() {
    let app = Mounted::open("").await;
    let input: web_sys::HtmlInputElement = app.find("[data-testid=prime-limit]").unwrap().dyn_into().unwrap();
    input.set_value("12abc");
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
    assert!(app.text("[data-testid=prime-limit-error]").contains("is not a whole number"));
    assert!(app.find("[data-testid=run-worker]").unwrap().has_attribute("disabled"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
}
