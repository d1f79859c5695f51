//! What every demo file exports: one `Demo`, the description the views and
//! the deck read, and the small pieces demos share to fill it in.

use futures::future::LocalBoxFuture;

use super::context::RunContext;
use crate::model::demo_state::Status;
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
    /// How many panels a run draws: more than one is a race, whose bars
    /// compare the panels' wall times above them.
    pub panels: usize,
}

impl View {
    /// The usual view: runs with their figures, nothing more.
    pub const RUNS: View =
        View { heartbeat: false, speedup: true, grid_seconds: None, browser_facts: false, panels: 1 };
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

/// The page time a Python second may take before the browser's own delays
/// show in the figures: at 200 ms, a millisecond of the browser's (a timer, a
/// message, a redraw) is 0.005 Python s, and runs measured within a few
/// hundredths of CPython's times; at 10 ms, a futures run took 5.4 s for 1.1.
pub const FAITHFUL_MS_PER_SECOND: f64 = 200.0;

/// What a run's figures may claim, on the screen, in the speaker view and
/// on paper alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims {
    /// A speedup: only where every job ran (a stopped asyncio run showed
    /// 7.00x where the whole run makes 2.20x), and where the demo has one.
    pub speedup: bool,
    /// A race's fastest part: only for a finished run, at a speed where the
    /// browser's own delays stay small in Python time.
    pub fastest: bool,
}

impl Claims {
    pub fn of(view: &View, status: &Status, ms_per_second: f64) -> Claims {
        Claims {
            speedup: view.speedup && status.ran_to_end(),
            fastest: *status == Status::Done && ms_per_second >= FAITHFUL_MS_PER_SECOND,
        }
    }
}

/// Said under a run's figures when the speed makes the browser's own
/// milliseconds a visible part of them.
pub fn speed_note(ms_per_second: f64) -> Option<String> {
    (ms_per_second < FAITHFUL_MS_PER_SECOND).then(|| {
        let python_s = format!("{:.3}", 1.0 / ms_per_second);
        let python_s = python_s.trim_end_matches('0');
        format!(
            "At {ms_per_second} ms a Python second, each millisecond the browser takes (a timer, a message, a \
             redraw) counts as {python_s} Python s: times can differ from CPython's, and close events can swap. \
             {FAITHFUL_MS_PER_SECOND} ms or more keeps them within a few hundredths.",
        )
    })
}

/// Page milliseconds a job must last for the browser's own (a worker's
/// start, a message each way, about a millisecond each) to stay a small
/// share of it: sixteen 10 ms jobs (0.05 s at 200 ms a second) showed 9.4x
/// where CPython's threads reach 15x.
pub const SHORT_JOB_PAGE_MS: f64 = 50.0;

/// Said with a run's figures when its jobs (the demo's `work` seconds) are
/// so short at this speed that the browser's own milliseconds are a large
/// share of each.
pub fn short_work_note(params: &Params, ms_per_second: f64) -> Option<String> {
    params.get("work")?;
    let job_ms = params.seconds("work") * ms_per_second;
    (job_ms > 0.0 && job_ms < SHORT_JOB_PAGE_MS).then(|| {
        format!(
            "A job lasts {job_ms:.0} ms of page time at this speed: the browser's millisecond or two to start it \
             and hear it end is a large share of that, so times run over CPython's and speedups fall short. \
             Jobs of {SHORT_JOB_PAGE_MS} ms or more keep them close.",
        )
    })
}

/// The code of a demo that shows its slide's own program, unchanged.
pub fn slide_code(slide_code: Option<&str>, _: &Params) -> String {
    slide_code.map(str::to_owned).unwrap_or_default()
}

pub fn no_note(_: &Params) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_run_claims_a_speedup_only_whole_and_a_fastest_only_finished_at_a_faithful_speed() {
        let view = View::RUNS;
        let done = Claims::of(&view, &Status::Done, 200.0);
        assert_eq!(done, Claims { speedup: view.speedup, fastest: true });
        assert!(!Claims::of(&view, &Status::Done, 150.0).fastest, "at 150 ms a second the browser shows in the times");
        for cut in [Status::Stopped, Status::Left, Status::Failed("x".into())] {
            assert_eq!(Claims::of(&view, &cut, 400.0), Claims { speedup: false, fastest: false }, "{cut:?}");
        }
        assert!(!Claims::of(&view, &Status::Running, 400.0).fastest);
        assert!(!Claims::of(&View { speedup: false, ..view }, &Status::Done, 400.0).speedup);
    }

    use super::*;

    #[test]
    fn a_speed_that_magnifies_the_browsers_own_delays_is_said_so() {
        assert_eq!(speed_note(1000.0), None);
        assert_eq!(speed_note(200.0), None);
        let note = speed_note(10.0).unwrap_or_default();
        assert!(note.starts_with("At 10 ms a Python second,"), "{note}");
        assert!(note.contains("counts as 0.1 Python s"), "{note}");
        assert!(note.contains("200 ms or more keeps"), "{note}");
        assert!(speed_note(150.0).unwrap_or_default().contains("counts as 0.007 Python s"));
        assert!(speed_note(50.0).unwrap_or_default().contains("counts as 0.02 Python s"));
    }

    #[test]
    fn jobs_too_short_for_the_browsers_own_delays_are_said_so() {
        use super::super::models::WORK;
        use crate::model::params::SPEED;
        let params = |query: &str| Params::from_query(&[WORK, SPEED], query).0;
        let note = short_work_note(&params("work=0.05"), 200.0).unwrap_or_default();
        assert!(note.starts_with("A job lasts 10 ms of page time"), "{note}");
        assert_eq!(short_work_note(&params("work=0.25"), 200.0), None, "50 ms");
        assert_eq!(short_work_note(&params("work=0.05"), 1000.0), None);
        // A demo without jobs of a set length says nothing.
        assert_eq!(short_work_note(&Params::from_query(&[SPEED], "").0, 10.0), None);
    }
}
