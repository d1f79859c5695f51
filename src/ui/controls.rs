//! A demo's parameters as form fields, each with its own message when the
//! value will not do.

use yew::prelude::*;

use crate::model::params::{Kind, Spec};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub specs: &'static [Spec],
    /// What each field holds now, as typed.
    pub inputs: Vec<(&'static str, String)>,
    pub errors: Vec<(&'static str, String)>,
    pub on_input: Callback<(&'static str, String)>,
    /// Enter in a field (Ctrl+Enter in the URL table) runs the demo.
    #[prop_or_default]
    pub on_submit: Callback<()>,
    pub disabled: bool,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    html! {
        <div class="controls" data-testid="controls">
            { for props.specs.iter().map(|spec| field(props, spec)) }
        </div>
    }
}

fn field(props: &ControlsProps, spec: &'static Spec) -> Html {
    let value = props.inputs.iter().find(|(k, _)| *k == spec.key).map(|(_, v)| v.clone()).unwrap_or_default();
    let error = props.errors.iter().find(|(k, _)| *k == spec.key).map(|(_, e)| e.clone());
    let id = format!("param-{}", spec.key);
    let error_id = format!("{id}-error");
    let key = spec.key;
    let on_input = props.on_input.clone();
    let send_text = Callback::from(move |e: InputEvent| {
        let target: web_sys::HtmlInputElement = e.target_unchecked_into();
        on_input.emit((key, target.value()));
    });
    let on_input = props.on_input.clone();
    let send_area = Callback::from(move |e: InputEvent| {
        let target: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        on_input.emit((key, target.value()));
    });
    let on_input = props.on_input.clone();
    let send_select = Callback::from(move |e: Event| {
        let target: web_sys::HtmlSelectElement = e.target_unchecked_into();
        on_input.emit((key, target.value()));
    });
    let on_input = props.on_input.clone();
    let send_flag = Callback::from(move |e: Event| {
        let target: web_sys::HtmlInputElement = e.target_unchecked_into();
        on_input.emit((key, if target.checked() { "1" } else { "0" }.to_owned()));
    });
    // Enter runs (in a text area, where Enter is a new line, Ctrl+Enter); Esc leaves the field.
    let on_submit = props.on_submit.clone();
    let keys = Callback::from(move |e: KeyboardEvent| {
        let multiline = e.target_dyn_into::<web_sys::HtmlTextAreaElement>().is_some();
        match e.key().as_str() {
            "Enter" if !multiline || e.ctrl_key() || e.meta_key() => {
                e.prevent_default();
                on_submit.emit(());
            }
            "Escape" => {
                if let Some(field) = e.target_dyn_into::<web_sys::HtmlElement>() {
                    let _ = field.blur();
                }
            }
            _ => {}
        }
    });
    let invalid = error.is_some().to_string();
    let testid = format!("param-{}", spec.key);
    let input = match spec.kind {
        Kind::Choice(options) => html! {
            <select id={id.clone()} data-testid={testid} onchange={send_select} onkeydown={keys} disabled={props.disabled}>
                { for options.iter().map(|o| html! { <option value={*o} selected={*o == value}>{ *o }</option> }) }
            </select>
        },
        Kind::Flag => html! {
            <input id={id.clone()} data-testid={testid} type="checkbox" checked={value == "1"} onchange={send_flag} onkeydown={keys} disabled={props.disabled} />
        },
        Kind::UrlTable => html! {
            <textarea id={id.clone()} data-testid={testid} rows="5" value={value} oninput={send_area} onkeydown={keys} spellcheck="false"
                      aria-invalid={invalid} aria-describedby={error_id.clone()} disabled={props.disabled} />
        },
        Kind::Slider { min, max } => html! {
            <span class="slider">
                <input id={id.clone()} data-testid={testid} type="range" min={min.to_string()} max={max.to_string()}
                       value={value.clone()} oninput={send_text} onkeydown={keys.clone()} disabled={props.disabled} aria-describedby={error_id.clone()} />
                <output for={id.clone()}>{ value }</output>
            </span>
        },
        Kind::Int { .. } | Kind::Numbers { .. } => html! {
            <input id={id.clone()} data-testid={testid} type="text" inputmode="decimal" value={value} oninput={send_text} onkeydown={keys}
                   spellcheck="false" aria-invalid={invalid} aria-describedby={error_id.clone()} disabled={props.disabled} />
        },
    };
    html! {
        <div class={classes!("field", matches!(spec.kind, Kind::UrlTable).then_some("wide"))}>
            <label for={id}>{ spec.label }</label>
            { input }
            if let Some(error) = error {
                <p id={error_id} class="field-error" role="alert" data-testid="param-error">{ error }</p>
            } else if !spec.help.is_empty() {
                <p id={error_id} class="field-help">{ spec.help }</p>
            }
        </div>
    }
}
