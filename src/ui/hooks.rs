//! Hooks that reach the browser outside the component tree: window events,
//! elements' sizes and the URL hash.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Event;
use yew::prelude::*;

type Handler = Rc<RefCell<Option<Box<dyn Fn(Event)>>>>;
type OnResize = Rc<RefCell<Option<Box<dyn Fn()>>>>;

/// Listens to `event` on `window` while the component is mounted. The newest
/// `handler` is always the one called, without re-registering on each render.
#[hook]
pub fn use_window_event<F>(event: &'static str, handler: F)
where
    F: Fn(Event) + 'static,
{
    use_window_listener(event, EventListenerPhase::Bubble, handler);
}

/// As `use_window_event`, but called first, before any element or any other
/// window listener sees the event (the capture phase): a handler here can
/// `preventDefault` a key the others then leave alone (`typing`).
#[hook]
pub fn use_window_event_first<F>(event: &'static str, handler: F)
where
    F: Fn(Event) + 'static,
{
    use_window_listener(event, EventListenerPhase::Capture, handler);
}

#[hook]
fn use_window_listener<F>(event: &'static str, phase: EventListenerPhase, handler: F)
where
    F: Fn(Event) + 'static,
{
    let current: Handler = use_mut_ref(|| None);
    *current.borrow_mut() = Some(Box::new(handler));
    use_effect_with((event, phase), move |&(event, phase)| {
        let listener = web_sys::window().map(|window| {
            // Not passive: a key handler may call preventDefault.
            let options = EventListenerOptions { phase, passive: false };
            EventListener::new_with_options(&window, event, options, move |e| {
                if let Some(handler) = current.borrow().as_ref() {
                    handler(e.clone());
                }
            })
        });
        // Dropping the listener removes it.
        move || drop(listener)
    });
}

/// Calls `on_resize` whenever one of `nodes` changes size, and once each is
/// first laid out, while the component is mounted: the browser calls it after
/// layout, so reading a size there forces no extra layout. The newest
/// `on_resize` is always the one called.
#[hook]
pub fn use_resized<F>(nodes: &[NodeRef], on_resize: F)
where
    F: Fn() + 'static,
{
    let current: OnResize = use_mut_ref(|| None);
    *current.borrow_mut() = Some(Box::new(on_resize));
    let nodes = nodes.to_vec();
    use_effect_with((), move |_| {
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(on_resize) = current.borrow().as_ref() {
                on_resize();
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            for element in nodes.iter().filter_map(NodeRef::cast::<web_sys::Element>) {
                observer.observe(&element);
            }
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}

/// Whether a key press belongs to something else than the page's own keys: a
/// field being typed in, a button or link being pressed, a code box scrolled
/// across, or a shortcut with a modifier (Ctrl+R is the browser's).
pub fn typing(event: &web_sys::KeyboardEvent) -> bool {
    if event.default_prevented() || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return true;
    }
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    let key = event.key();
    // A checkbox takes Space, a slider its arrows: the deck's other keys
    // (→, R, B) still act once one was clicked. Text fields and lists take all.
    // The page writes its inputs' types in lower case.
    let input_type = (tag == "input").then(|| target.get_attribute("type").unwrap_or_default());
    let editable = match input_type.as_deref() {
        Some("checkbox") => key == " ",
        Some("range") => key.starts_with("Arrow") || matches!(key.as_str(), "Home" | "End" | "PageUp" | "PageDown"),
        Some(_) => true,
        None => {
            matches!(tag.as_str(), "textarea" | "select")
                || target.get_attribute("contenteditable").is_some_and(|v| v != "false")
        }
    };
    let pressable = matches!(tag.as_str(), "button" | "a" | "summary") && matches!(key.as_str(), " " | "Enter");
    // A focused code box wider than it shows scrolls across with ← and →.
    let scrolls_across = tag == "pre"
        && target.scroll_width() > target.client_width()
        && matches!(key.as_str(), "ArrowLeft" | "ArrowRight");
    editable || pressable || scrolls_across
}

/// `location.hash`, or an empty string.
pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

thread_local! {
    /// The addresses `push_hash` moved to whose `hashchange` has not come yet, oldest first.
    static PUSHED: RefCell<VecDeque<String>> = const { RefCell::new(VecDeque::new()) };
}

/// Moves to `hash` with a new history entry, so back/forward walk the slides.
/// Its `hashchange` comes later, and `own_hash_change` knows it.
pub fn push_hash(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().set_hash(hash).is_ok() {
        if let Ok(href) = window.location().href() {
            PUSHED.with(|pushed| {
                let mut pushed = pushed.borrow_mut();
                // Events that never came (a hash set twice in one task) are not waited for forever.
                if pushed.len() == 16 {
                    pushed.pop_front();
                }
                pushed.push_back(href);
            });
        }
    }
}

/// Whether `event` is the `hashchange` of this page's own `push_hash`: it
/// comes after the move, maybe after newer moves too, and must not send the
/// page back to the slide it names. Back, Forward and an edited address are not.
pub fn own_hash_change(event: &Event) -> bool {
    let Some(to) = event.dyn_ref::<web_sys::HashChangeEvent>().map(web_sys::HashChangeEvent::new_url) else {
        return false;
    };
    PUSHED.with(|pushed| {
        let mut pushed = pushed.borrow_mut();
        match pushed.iter().position(|href| *href == to) {
            Some(i) => {
                pushed.drain(..=i);
                true
            }
            None => false,
        }
    })
}

/// Rewrites the hash in place (no history entry, no `hashchange`). The address
/// is the page's own, not one relative to `<base>`, so its query (`?speaker`) stays.
pub fn replace_hash(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let page = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{page}{hash}")));
    }
}

pub fn set_document_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// How much of a first render has drawn: 0 at first, one more each turn of
/// the event loop, up to `last`; `last` at once, with no turns, where
/// `at_once`. A first visit runs every function of the app's wasm for the
/// first time, each compiled on its first call; drawn in turns, no one turn
/// holds the page's thread for long (the whole first render in one took
/// 50-90 ms on a loaded machine). Once the code has run, turns only delay it.
#[hook]
pub fn use_drawn_in_turns(last: u8, at_once: bool) -> u8 {
    let drawn = use_state(|| if at_once { last } else { 0 });
    {
        let drawn = drawn.clone();
        use_effect_with(*drawn, move |&now| {
            let next = (now < last).then(|| gloo_timers::callback::Timeout::new(0, move || drawn.set(now + 1)));
            move || drop(next)
        });
    }
    *drawn
}
