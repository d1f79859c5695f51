//! What every overlay shares: the focus moves into it when it opens and back
//! to where it was when it closes.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

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

/// The element to focus when the overlay mounts (give it as `ref`); when the
/// overlay unmounts, the focus goes back to the element that held it before,
/// if that is still on the page.
#[hook]
pub fn use_dialog_focus() -> NodeRef {
    let target = use_node_ref();
    let node = target.clone();
    use_effect_with((), move |_| {
        let before = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        focus(&target);
        move || {
            if let Some(element) = before.filter(|e| e.is_connected()) {
                let _ = element.focus();
            }
        }
    });
    node
}

/// Focuses the element behind `node`, if it is rendered.
pub fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        let _ = element.focus();
    }
}
