//! What every overlay shares: the focus moves into it when it opens and back
//! to where it was when it closes.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node};
use yew::prelude::*;

use super::hooks::use_window_event;
use super::state::Action;

/// The props of an overlay that knows nothing but how to close.
#[derive(Properties, PartialEq)]
pub struct OverlayProps {
    pub on_action: Callback<Action>,
}

/// A click that closes the overlay.
pub fn close_on_click(on_action: &Callback<Action>) -> Callback<MouseEvent> {
    on_action.reform(|_: MouseEvent| Action::Close)
}

/// A click on `backdrop` itself, beside what it holds, closes the overlay.
pub fn close_on_backdrop(backdrop: &NodeRef, on_action: &Callback<Action>) -> Callback<MouseEvent> {
    let (backdrop, on_action) = (backdrop.clone(), on_action.clone());
    Callback::from(move |e: MouseEvent| {
        // Compared by node: Yew delegates events, so `currentTarget` is not the backdrop.
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        if target.is_some() && target == backdrop.cast::<Element>() {
            on_action.emit(Action::Close);
        }
    })
}

/// The element to focus when the overlay mounts (give it as `ref`); when the
/// overlay unmounts, the focus goes back to the element that held it before,
/// if that is still on the page.
#[hook]
pub fn use_dialog_focus() -> NodeRef {
    let target = use_node_ref();
    // Cleared as the overlay closes, so giving the focus back is not taken for leaving.
    let open = use_mut_ref(|| true);
    {
        let (target, open) = (target.clone(), open.clone());
        use_effect_with((), move |_| {
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            focus(&target);
            move || {
                *open.borrow_mut() = false;
                if let Some(element) = before.filter(|e| e.is_connected()) {
                    let _ = element.focus();
                }
            }
        });
    }
    // While it is open the focus stays inside (aria-modal): Tab past its last
    // control, or a click on the page behind, brings the focus back.
    let inner = target.clone();
    use_window_event("focusin", move |event| {
        let Some(dialog) = inner.cast::<Element>().and_then(|e| e.closest("[role=dialog]").ok().flatten()) else {
            return;
        };
        let inside = event.target().and_then(|t| t.dyn_into::<Node>().ok()).is_some_and(|n| dialog.contains(Some(&n)));
        if inside || !*open.borrow() {
            return;
        }
        // Not from inside this handler: focusing fires `focusin` again, at once.
        let (inner, open) = (inner.clone(), open.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if *open.borrow() {
                focus(&inner);
            }
        });
    });
    target
}

/// Focuses the element behind `node`, if it is rendered.
pub fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        let _ = element.focus();
    }
}
