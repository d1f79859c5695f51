//! The list of keys (?).

use yew::prelude::*;

use super::dialog::{close_on_click, use_dialog_focus, OverlayProps};
use super::state::KEYS;

#[component]
pub fn Help(props: &OverlayProps) -> Html {
    let panel = use_dialog_focus();
    html! {
        // A click anywhere closes it, as in reveal.js.
        <div class="overlay" onclick={close_on_click(&props.on_action)}>
            <div class="overlay-panel help" role="dialog" aria-modal="true" aria-labelledby="help-title"
                 tabindex="-1" ref={panel} data-testid="help">
                <h2 id="help-title" class="overlay-title">{ "Keys" }</h2>
                <table class="keys-table">
                    <thead><tr><th scope="col">{ "key" }</th><th scope="col">{ "does" }</th></tr></thead>
                    <tbody>
                        { for KEYS.iter().map(|(key, does)| html! {
                            <tr><th scope="row">{ *key }</th><td>{ *does }</td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="overlay-hint">
                    { "Keys never act while you type in a field, nor with Ctrl, Alt or ⌘ held. ?, Esc or a click closes this list." }
                </p>
            </div>
        </div>
    }
}
