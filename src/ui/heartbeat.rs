//! A heartbeat drawn by `requestAnimationFrame` on the page's one thread: it
//! stops beating whenever that thread is blocked, and says for how long.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::demos::Action;
use crate::runtime::clock::now;

#[derive(Properties, PartialEq)]
pub struct HeartbeatProps {
    pub running: bool,
    pub on_action: Callback<Action>,
}

/// A beat each animation frame, measuring the gaps between frames.
struct Beat {
    dot: NodeRef,
    last: Cell<f64>,
    /// Whether a run is under way: only its freezes are counted (loading the
    /// page froze it for 107 ms in Chromium, before anything ran).
    counting: Rc<Cell<bool>>,
    worst: Rc<RefCell<f64>>,
    longest: UseStateHandle<f64>,
    /// The next frame asked for; dropping it (on leaving) cancels it.
    next: RefCell<Option<AnimationFrame>>,
}

impl Beat {
    fn schedule(self: &Rc<Self>) {
        let beat = Rc::downgrade(self);
        let frame = request_animation_frame(move |_| {
            if let Some(beat) = beat.upgrade() {
                beat.frame();
                beat.schedule();
            }
        });
        // The frame that just ran is replaced here, after its callback has returned control.
        let done = self.next.borrow_mut().replace(frame);
        if let Some(done) = done {
            wasm_bindgen_futures::spawn_local(async move { drop(done) });
        }
    }

    fn frame(&self) {
        let t = now();
        let gap = t - self.last.replace(t);
        if self.counting.get() && gap > *self.worst.borrow() {
            *self.worst.borrow_mut() = gap;
            if gap > SHOWN_FROM_MS {
                self.longest.set(gap);
            }
        }
        if let Some(el) = self.dot.cast::<web_sys::Element>() {
            let beat = ((t / 600.0).fract() * std::f64::consts::TAU).sin().max(0.0);
            let _ = el.set_attribute("r", &format!("{:.2}", 10.0 + 6.0 * beat));
        }
    }
}

/// Gaps between frames shorter than this are the page's own drawing, not a
/// freeze to speak of: they are not shown (nor redrawn each time they grow).
const SHOWN_FROM_MS: f64 = 100.0;

/// The longest freeze, or that there was none worth naming.
fn freeze_text(longest_ms: f64) -> String {
    if longest_ms > SHOWN_FROM_MS {
        format!("{longest_ms:.0} ms")
    } else {
        format!("none over {SHOWN_FROM_MS:.0} ms")
    }
}

#[component]
pub fn Heartbeat(props: &HeartbeatProps) -> Html {
    let dot = use_node_ref();
    let longest = use_state(|| 0.0f64);
    let worst = use_mut_ref(|| 0.0f64);
    let counting = use_memo((), |_| Rc::new(Cell::new(false)));
    {
        // A run starts counting afresh; its end leaves its figure shown.
        let (counting, worst, longest) = ((*counting).clone(), worst.clone(), longest.clone());
        use_effect_with(props.running, move |&running| {
            if running {
                *worst.borrow_mut() = 0.0;
                longest.set(0.0);
            }
            counting.set(running);
        });
    }
    {
        let beat = Rc::new(Beat {
            dot: dot.clone(),
            last: Cell::new(now()),
            counting: (*counting).clone(),
            worst: worst.clone(),
            longest: longest.clone(),
            next: RefCell::new(None),
        });
        use_effect_with((), move |_| {
            beat.schedule();
            // Leaving drops the beat: its pending frame is cancelled.
            move || drop(beat.next.borrow_mut().take())
        });
    }
    let press = |action: Action| {
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
                    { "Heartbeat on the page's thread. Longest freeze in this run since the last button: " }
                    <strong data-testid="heartbeat-freeze">{ freeze_text(*longest) }</strong>
                </p>
                <div class="buttons">
                    <button data-testid="blocking-sleep" disabled={!props.running} onclick={press(Action::BlockingSleep)}>
                        { "time.sleep(1) on the loop" }
                    </button>
                    <button data-testid="to-thread-sleep" disabled={!props.running} onclick={press(Action::SleepInThread)}>
                        // On a phone the call breaks after its opening bracket.
                        { "await asyncio.to_thread(" }<wbr />{ "time.sleep, 1)" }
                    </button>
                </div>
            </div>
        </section>
    }
}
