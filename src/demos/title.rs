//! The title slide: the three models raced with CPU-bound jobs, beside what
//! this browser offers. It runs the Introduction's demo with its own defaults.

use futures::FutureExt;

use super::demo::{no_note, Demo, View};
use super::models::{code, run, Settings, JOBS, KIND, WORK};
use crate::model::params::{Spec, SPEED};

pub const DEMO: Demo = Demo {
    name: "title",
    heading: "A race of the three models",
    intro: "CPU-bound jobs on threads (under the GIL), on processes, and as asyncio tasks.",
    specs: &[KIND, Spec { default: "2", ..JOBS }, WORK, Spec { default: "500", ..SPEED }],
    code: |_, params| code(&Settings::read(params)),
    note: no_note,
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View { browser_facts: true, panels: 3, ..View::RUNS },
};
