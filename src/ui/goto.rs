//! "Go to slide: [  ]" (G, or a number typed on the page).

use yew::prelude::*;

use super::dialog::{close_on_backdrop, use_dialog_focus};
use super::state::{Action, GOTO_MAX_CHARS};

#[derive(Properties, PartialEq)]
pub struct GoToProps {
    pub typed: AttrValue,
    pub error: Option<AttrValue>,
    /// How many slides there are, for the hint.
    pub len: usize,
    pub on_action: Callback<Action>,
}

#[component]
pub fn GoTo(props: &GoToProps) -> Html {
    let field = use_dialog_focus();
    let backdrop = use_node_ref();
    {
        // The digit that opened the box is already in it: type on after it.
        let field = field.clone();
        use_effect_with((), move |_| {
            if let Some(input) = field.cast::<web_sys::HtmlInputElement>() {
                let end = input.value().len() as u32;
                let _ = input.set_selection_range(end, end);
            }
        });
    }
    let on_action = props.on_action.clone();
    let on_input = Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        on_action.emit(Action::GoToTyped(input.value()));
    });
    let on_action = props.on_action.clone();
    let on_key = Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        "Enter" => {
            e.prevent_default();
            on_action.emit(Action::GoToSubmit);
        }
        "Escape" => {
            e.prevent_default();
            on_action.emit(Action::Close);
        }
        _ => {}
    });
    let hint = format!("A number from 1 to {}, then Enter; Esc cancels.", props.len);
    html! {
        // A click beside the box cancels it.
        <div class="overlay goto-backdrop" ref={backdrop.clone()} onclick={close_on_backdrop(&backdrop, &props.on_action)}>
            <div class="overlay-panel goto" role="dialog" aria-modal="true" aria-labelledby="goto-label" data-testid="goto">
                <label id="goto-label" for="goto-input">{ "Go to slide:" }</label>
                <input id="goto-input" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                       maxlength={GOTO_MAX_CHARS.to_string()}
                       value={props.typed.clone()} ref={field} oninput={on_input} onkeydown={on_key}
                       aria-invalid={props.error.is_some().to_string()} aria-describedby="goto-message" data-testid="goto-input" />
                if let Some(error) = props.error.clone() {
                    <p id="goto-message" class="goto-message error" role="alert" data-testid="goto-error">{ error }</p>
                } else {
                    <p id="goto-message" class="goto-message overlay-hint">{ hint }</p>
                }
            </div>
        </div>
    }
}
