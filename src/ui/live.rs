//! `use_live_run`: the traces of a demo's current run, fed by its sessions'
//! events. The views get a new snapshot at most every `REDRAW_MS` while the
//! run goes on (redrawing thousands of spans is what costs): events wait until
//! then, however many arrive, and are folded in all at once. Nothing is asked
//! of the page between two redraws: an animation frame asked for each batch
//! of events made the page draw three to four times as many frames as it
//! showed, during a run whose threads need the cores.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::memory::RanWith;
use super::snapshot::Snapshot;
use crate::model::trace::{Event, Trace};
use crate::runtime::Session;

/// How often the views redraw while a run goes on.
const REDRAW_MS: f64 = 100.0;
/// How long a redraw waits at most for a sleep on the page's loop to end.
const DEFER_MAX_MS: f64 = 50.0;

/// One session of the run as the views draw it: its label, its trace, and
/// what its jobs take one after another in page ms, where the lanes cannot tell.
#[derive(Clone, PartialEq)]
pub struct Panel {
    pub label: AttrValue,
    pub trace: Snapshot,
    pub sequential_ms: Option<f64>,
}

/// One session's trace as it grows, and its last snapshot while nothing new came.
struct Growing {
    label: AttrValue,
    trace: Trace,
    sequential_ms: Option<f64>,
    /// Kept until an event changes the trace: a panel that is done is not
    /// copied and redrawn again at each redraw of the others.
    drawn: Option<Snapshot>,
}

/// Sessions of the current run, their traces, and events not yet folded in.
#[derive(Default)]
struct Live {
    panels: Vec<Growing>,
    pending: Vec<(usize, Event)>,
    /// Bumped at each new run: late events of an old run are dropped.
    generation: u64,
    /// When the views last got a snapshot.
    drawn_at: f64,
    /// Whether a redraw is asked for: at the next frame where the last was
    /// `REDRAW_MS` ago or more, else by a timer for then. The handles are
    /// kept until replaced: a handle is never dropped inside its own callback.
    draw_due: bool,
    /// Since when a redraw has waited for the page's loop to end a sleep.
    deferred_since: Option<f64>,
    frame: Option<AnimationFrame>,
    redraw: Option<Timeout>,
    /// What the run shown was made with; none before a run or after Reset.
    ran_with: Option<RanWith>,
}

/// The live traces of a demo, and how to feed them.
#[derive(Clone)]
pub struct LiveRun {
    live: Rc<RefCell<Live>>,
    shown: UseStateHandle<Rc<Vec<Panel>>>,
}

impl PartialEq for LiveRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.live, &other.live) && self.shown == other.shown
    }
}

#[hook]
pub fn use_live_run() -> LiveRun {
    let live = use_mut_ref(Live::default);
    let shown = use_state(|| Rc::new(Vec::new()));
    LiveRun { live, shown }
}

impl LiveRun {
    /// The panels as last drawn.
    pub fn panels(&self) -> Rc<Vec<Panel>> {
        (*self.shown).clone()
    }

    /// Forgets the panels shown and any events still coming from an older run.
    pub fn clear(&self) {
        {
            let mut live = self.live.borrow_mut();
            live.generation += 1;
            live.panels.clear();
            live.pending.clear();
            live.ran_with = None;
        }
        self.shown.set(Rc::new(Vec::new()));
    }

    /// What the run shown was made with.
    pub fn ran_with(&self) -> Option<RanWith> {
        self.live.borrow().ran_with.clone()
    }

    /// Starts following a new run, made with `ran_with`: returns what its
    /// context calls with each new session.
    pub fn follow(&self, ran_with: RanWith) -> impl Fn(&str, &Session, Option<f64>) + 'static {
        self.clear();
        self.live.borrow_mut().ran_with = Some(ran_with);
        let generation = self.live.borrow().generation;
        let this = self.clone();
        move |label, session, sequential_ms| {
            let index = {
                let mut live = this.live.borrow_mut();
                if live.generation != generation {
                    return;
                }
                live.panels.push(Growing {
                    label: AttrValue::from(label.to_owned()),
                    trace: Trace::default(),
                    sequential_ms,
                    drawn: None,
                });
                live.panels.len() - 1
            };
            let feed = this.clone();
            session.subscribe(move |event| feed.queue(generation, index, event.clone()));
        }
    }

    /// The panels as the last fold left them (after [`LiveRun::draw_now`]:
    /// everything that arrived).
    pub fn panels_now(&self) -> Vec<Panel> {
        let mut live = self.live.borrow_mut();
        live.panels
            .iter_mut()
            .map(|panel| Panel {
                label: panel.label.clone(),
                trace: panel.drawn.get_or_insert_with(|| Snapshot(Rc::new(panel.trace.clone()))).clone(),
                sequential_ms: panel.sequential_ms,
            })
            .collect()
    }

    /// Shows a run kept from an earlier visit, as it was when it finished.
    pub fn restore(&self, panels: Vec<Panel>, ran_with: RanWith) {
        {
            let mut live = self.live.borrow_mut();
            live.generation += 1;
            live.pending.clear();
            live.ran_with = Some(ran_with);
            live.panels = panels
                .iter()
                .map(|p| Growing {
                    label: p.label.clone(),
                    trace: (*p.trace.0).clone(),
                    sequential_ms: p.sequential_ms,
                    drawn: Some(p.trace.clone()),
                })
                .collect();
        }
        self.shown.set(Rc::new(panels));
    }

    /// Lets go of the frame and timer handles: the view is leaving.
    pub fn release(&self) {
        let mut live = self.live.borrow_mut();
        live.generation += 1;
        live.draw_due = false;
        live.frame = None;
        live.redraw = None;
    }

    /// Folds what has arrived and draws it now (a run ended or was stopped).
    pub fn draw_now(&self) {
        self.flush(true);
    }

    fn queue(&self, generation: u64, panel: usize, event: Event) {
        let mut live = self.live.borrow_mut();
        if live.generation != generation {
            return;
        }
        live.pending.push((panel, event));
        if live.draw_due {
            return;
        }
        live.draw_due = true;
        let this = self.clone();
        let wait = REDRAW_MS - (crate::runtime::clock::now() - live.drawn_at);
        if wait > 0.0 {
            // Drawn a moment ago: these events wait for the next redraw.
            live.redraw = Some(Timeout::new(wait.ceil() as u32, move || this.flush(false)));
        } else {
            live.frame = Some(request_animation_frame(move |_| this.flush(false)));
        }
    }

    /// Folds the events that came and hands the views a new snapshot; a
    /// redraw due with nothing new (the run was drawn in full at its end)
    /// draws nothing unless `force`d.
    fn flush(&self, force: bool) {
        {
            let mut live = self.live.borrow_mut();
            let now = crate::runtime::clock::now();
            // A sleep on the page's loop ending by turns of the loop: drawn now,
            // the frame would come between two of its turns and end it late
            // (a task's `sleep(0)` by 0.15 Python s at `speed=200`). The frame
            // after it, unless the drawing has waited `DEFER_MAX_MS` already.
            if !force && crate::runtime::asyncio::sleep_ending() {
                let since = *live.deferred_since.get_or_insert(now);
                if now - since < DEFER_MAX_MS {
                    let this = self.clone();
                    let asked = request_animation_frame(move |_| this.flush(false));
                    // This may run inside the frame whose handle is replaced:
                    // it is dropped once this callback has returned.
                    if let Some(done) = live.frame.replace(asked) {
                        wasm_bindgen_futures::spawn_local(async move { drop(done) });
                    }
                    return;
                }
            }
            live.deferred_since = None;
            live.draw_due = false;
            if !force && live.pending.is_empty() {
                return;
            }
            let pending = std::mem::take(&mut live.pending);
            for (index, event) in pending {
                if let Some(panel) = live.panels.get_mut(index) {
                    panel.trace.push(event);
                    panel.drawn = None;
                }
            }
            live.drawn_at = now;
        };
        self.shown.set(Rc::new(self.panels_now()));
    }
}
