//! The black screen (B or .), so the audience looks at the presenter.

use yew::prelude::*;

use super::dialog::{close_on_click, use_dialog_focus, OverlayProps};

#[component]
pub fn Blackout(props: &OverlayProps) -> Html {
    let layer = use_dialog_focus();
    html! {
        <div class="blackout" role="dialog" aria-modal="true" aria-label="Black screen: B, . or Esc brings the slide back"
             tabindex="-1" ref={layer} onclick={close_on_click(&props.on_action)} data-testid="blackout"></div>
    }
}
