//! What every demo file exports: one `Demo`, the description the views and
//! the deck read, and the small pieces demos share to fill it in.

use futures::future::LocalBoxFuture;

use super::context::RunContext;
use crate::model::params::{Params, Spec};

/// One live demo, as the views and the deck see it.
pub struct Demo {
    /// What the deck calls it: `<!-- .demo: name -->`.
    pub name: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    /// Its parameters, as the controls and the link carry them.
    pub specs: &'static [Spec],
    /// The Python shown and run, from the slide's own code where the demo runs it.
    pub code: fn(slide_code: Option<&str>, params: &Params) -> String,
    /// A note shown under the code.
    pub note: fn(&Params) -> Option<&'static str>,
    /// Runs the demo; the views follow the sessions it creates through the context.
    pub run: fn(RunContext, Params) -> LocalBoxFuture<'static, Result<(), String>>,
    pub view: View,
}

/// What a demo's pane shows besides its runs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    /// The heartbeat on the page's thread, with its buttons.
    pub heartbeat: bool,
    /// A speedup beside the wall time (not where the run lasts as long as asked).
    pub speedup: bool,
    /// The grid of Python seconds the console's lines are due on.
    pub grid_seconds: Option<f64>,
    /// What this browser offers: cores, isolation, the GIL, a job in a worker.
    pub browser_facts: bool,
}

impl View {
    /// The usual view: runs with their figures, nothing more.
    pub const RUNS: View = View { heartbeat: false, speedup: true, grid_seconds: None, browser_facts: false };
}

impl PartialEq for Demo {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Demo").field(&self.name).finish()
    }
}

/// The code of a demo that shows its slide's own program, unchanged.
pub fn slide_code(slide_code: Option<&str>, _: &Params) -> String {
    slide_code.map(str::to_owned).unwrap_or_default()
}

pub fn no_note(_: &Params) -> Option<&'static str> {
    None
}
