//! Swipe left or right on a touch screen to change slides, as reveal.js does.
//! A swipe that starts in something that scrolls sideways (code, a field, the
//! console) scrolls it instead.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hooks::use_window_event;
use super::state::Action;

/// The shortest swipe, in CSS pixels.
const SWIPE_PX: f64 = 60.0;

/// What a finger moving by (`dx`, `dy`) does: a mostly sideways swipe moves
/// to the next slide (leftwards) or the previous one (rightwards).
pub fn swipe_action(dx: f64, dy: f64) -> Option<Action> {
    if dx.abs() < SWIPE_PX || dx.abs() < 2.0 * dy.abs() {
        return None;
    }
    Some(if dx < 0.0 { Action::Next } else { Action::Previous })
}

/// Where a touch that may be a swipe started.
fn start_of(event: &Event) -> Option<(f64, f64)> {
    let touch = event.dyn_ref::<web_sys::TouchEvent>()?;
    let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let sideways = target
        .is_some_and(|t| t.closest("pre, textarea, input, select, .console-lines, .overlay").ok().flatten().is_some());
    if sideways || touch.touches().length() != 1 {
        return None;
    }
    let first = touch.touches().get(0)?;
    Some((f64::from(first.client_x()), f64::from(first.client_y())))
}

#[hook]
pub fn use_swipe(on_action: Callback<Action>) {
    let started = use_mut_ref(|| None::<(f64, f64)>);
    {
        let started = started.clone();
        use_window_event("touchstart", move |event| *started.borrow_mut() = start_of(&event));
    }
    use_window_event("touchend", move |event| {
        let Some((x0, y0)) = started.borrow_mut().take() else {
            return;
        };
        let Some(touch) = event.dyn_ref::<web_sys::TouchEvent>().and_then(|t| t.changed_touches().get(0)) else {
            return;
        };
        if let Some(action) = swipe_action(f64::from(touch.client_x()) - x0, f64::from(touch.client_y()) - y0) {
            on_action.emit(action);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sideways_swipe_turns_the_slide_and_anything_else_does_not() {
        assert_eq!(swipe_action(-120.0, 10.0), Some(Action::Next));
        assert_eq!(swipe_action(90.0, -20.0), Some(Action::Previous));
        assert_eq!(swipe_action(-40.0, 0.0), None, "too short");
        assert_eq!(swipe_action(-100.0, 80.0), None, "mostly a scroll");
        assert_eq!(swipe_action(0.0, 300.0), None);
    }
}
