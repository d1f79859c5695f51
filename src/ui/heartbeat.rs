//! A heartbeat drawn by `requestAnimationFrame` on the page's one thread: it
//! stops beating whenever that thread is blocked, and says for how long.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::runtime::clock::now;

#[derive(Properties, PartialEq)]
pub struct HeartbeatProps {
    pub running: bool,
    pub on_action: Callback<&'static str>,
}

type Frame = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

#[component]
pub fn Heartbeat(props: &HeartbeatProps) -> Html {
    let dot = use_node_ref();
    let longest = use_state(|| 0.0f64);
    let worst = use_mut_ref(|| 0.0f64);
    {
        let dot = dot.clone();
        let longest = longest.clone();
        let worst = worst.clone();
        use_effect_with((), move |_| {
            let frame: Frame = Rc::new(RefCell::new(None));
            let alive = Rc::new(Cell::new(true));
            let last = Rc::new(Cell::new(now()));
            let (frame_loop, alive_loop) = (frame.clone(), alive.clone());
            *frame.borrow_mut() = Some(Closure::new(move |_: f64| {
                if !alive_loop.get() {
                    return;
                }
                let t = now();
                let gap = t - last.replace(t);
                if gap > *worst.borrow() {
                    *worst.borrow_mut() = gap;
                    if gap > 100.0 {
                        longest.set(gap);
                    }
                }
                if let Some(el) = dot.cast::<web_sys::Element>() {
                    let beat = ((t / 600.0).fract() * std::f64::consts::TAU).sin().max(0.0);
                    let _ = el.set_attribute("r", &format!("{:.2}", 10.0 + 6.0 * beat));
                }
                if let (Some(window), Some(callback)) = (web_sys::window(), frame_loop.borrow().as_ref()) {
                    let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
                }
            }));
            if let (Some(window), Some(callback)) = (web_sys::window(), frame.borrow().as_ref()) {
                let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
            }
            move || {
                alive.set(false);
                // The closure may be queued for one more frame: let it go after that.
                let frame = frame.borrow_mut().take();
                gloo_timers::callback::Timeout::new(100, move || drop(frame)).forget();
            }
        });
    }
    let press = |action: &'static str| {
        let on_action = props.on_action.clone();
        let worst = worst.clone();
        let longest = longest.clone();
        Callback::from(move |_: MouseEvent| {
            *worst.borrow_mut() = 0.0;
            longest.set(0.0);
            on_action.emit(action);
        })
    };
    html! {
        <section class="card heartbeat" data-testid="heartbeat">
            <svg width="48" height="48" viewBox="0 0 48 48" aria-hidden="true">
                <circle ref={dot} cx="24" cy="24" r="10" class="heart" />
            </svg>
            <div>
                <p class="heartbeat-text">
                    { "Heartbeat on the page's thread. Longest freeze since the last button: " }
                    <strong data-testid="heartbeat-freeze">{ format!("{:.0} ms", *longest) }</strong>
                </p>
                <div class="buttons">
                    <button data-testid="blocking-sleep" disabled={!props.running} onclick={press("blocking")}>
                        { "time.sleep(1) on the loop" }
                    </button>
                    <button data-testid="to-thread-sleep" disabled={!props.running} onclick={press("to_thread")}>
                        { "await asyncio.to_thread(time.sleep, 1)" }
                    </button>
                </div>
            </div>
        </section>
    }
}
