//! A demo's state between its controls and its runs: the parameters (as typed,
//! as valid values, with their errors and the link's notices) and the status
//! of the current run. Pure: the view dispatches actions, this decides.

use serde::{Deserialize, Serialize};

use super::params::{format_value, parse_value, Kind, Params, Spec};

/// How the current run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Running,
    Done,
    Stopped,
    /// Stopped by leaving the slide while it ran.
    Left,
    Failed(String),
}

impl Status {
    /// Whether a run's figures stand for the whole program: not for one a
    /// Stop or a failure cut short (a stopped asyncio run showed 7.00x where
    /// the whole run makes 2.20x).
    pub fn ran_to_end(&self) -> bool {
        !matches!(self, Status::Stopped | Status::Left | Status::Failed(_))
    }

    /// A stable word for tests and styles.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Done => "done",
            Status::Stopped | Status::Left => "stopped",
            Status::Failed(_) => "failed",
        }
    }

    /// What the page says.
    pub fn text(&self) -> String {
        match self {
            Status::Idle => "ready".to_owned(),
            Status::Running => "running".to_owned(),
            Status::Done => "finished".to_owned(),
            Status::Stopped => "stopped".to_owned(),
            Status::Left => "stopped when its slide was left or opened again".to_owned(),
            Status::Failed(message) => format!("failed: {message}"),
        }
    }
}

/// How a run the slide keeps ended: it shows so again on the next visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RunEnd {
    Finished,
    /// By Stop.
    Stopped,
    Failed(String),
    /// By leaving the slide while it ran: a slide's run goes with the slide.
    Left,
}

impl RunEnd {
    /// How a run that ended with `outcome` ended, `stopped` or not.
    pub fn of(stopped: bool, outcome: &Result<(), String>) -> RunEnd {
        match outcome {
            _ if stopped => RunEnd::Stopped,
            Ok(()) => RunEnd::Finished,
            Err(message) => RunEnd::Failed(message.clone()),
        }
    }

    pub fn status(&self) -> Status {
        match self {
            RunEnd::Finished => Status::Done,
            RunEnd::Stopped => Status::Stopped,
            RunEnd::Left => Status::Left,
            RunEnd::Failed(message) => Status::Failed(message.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DemoAction {
    /// A field was edited.
    Input { key: &'static str, text: String },
    /// Back to the defaults; any run is gone.
    Reset,
    /// Run was pressed (ignored while running or with errors).
    Run,
    /// Stop was pressed.
    Stop,
    /// Run number `run` ended, stopped or not, with its outcome.
    Ended { run: u32, stopped: bool, outcome: Result<(), String> },
    /// The slide kept a run from an earlier visit: it shows as it ended.
    Restored(RunEnd),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoState {
    pub specs: &'static [Spec],
    /// The valid values: what a run uses.
    pub params: Params,
    /// Each field's text as typed.
    pub inputs: Vec<(&'static str, String)>,
    /// Fields whose text is not valid, with why.
    pub errors: Vec<(&'static str, String)>,
    /// What was wrong with the link that opened the demo.
    pub notices: Vec<String>,
    pub status: Status,
    /// How many runs were started; the current run's number.
    pub runs: u32,
    /// The query the link should now carry, bumped with each change the user made.
    pub link: (u32, String),
}

fn inputs_of(specs: &[Spec], params: &Params) -> Vec<(&'static str, String)> {
    specs.iter().filter_map(|s| params.get(s.key).map(|v| (s.key, format_value(v)))).collect()
}

impl DemoState {
    /// The state for a link's query: bad values fall back to defaults, with notices.
    pub fn from_query(specs: &'static [Spec], query: &str) -> DemoState {
        let (params, notices) = Params::from_query(specs, query);
        DemoState {
            specs,
            inputs: inputs_of(specs, &params),
            params,
            errors: Vec::new(),
            notices,
            status: Status::Idle,
            runs: 0,
            link: (0, query.to_owned()),
        }
    }

    pub fn is_running(&self) -> bool {
        self.status == Status::Running
    }

    /// The link's query: the parameters, and what is typed in a field in error.
    fn query(&self) -> String {
        let typed: Vec<(&str, &str)> = self
            .errors
            .iter()
            .filter_map(|(key, _)| self.inputs.iter().find(|(k, _)| k == key).map(|(k, t)| (*k, t.trim())))
            .collect();
        self.params.to_query_with(self.specs, &typed)
    }

    /// Whether Run would start a run.
    pub fn can_run(&self) -> bool {
        !self.is_running() && self.errors.is_empty()
    }

    /// The parameters in one line, named as the link names them
    /// (`kind=cpu · jobs=2 · speed=100`): what folded controls show.
    pub fn params_line(&self) -> String {
        const LONGEST: usize = 24;
        let shown = |spec: &Spec, text: &str| match spec.kind {
            Kind::UrlTable => {
                let rows = text.lines().filter(|l| !l.trim().is_empty()).count();
                format!("{rows} {}", if rows == 1 { "row" } else { "rows" })
            }
            _ if text.chars().count() > LONGEST => {
                format!("{}…", text.chars().take(LONGEST - 1).collect::<String>().trim_end())
            }
            _ => text.to_owned(),
        };
        self.specs
            .iter()
            .filter_map(|spec| {
                let (_, text) = self.inputs.iter().find(|(k, _)| *k == spec.key)?;
                Some(format!("{}={}", spec.key, shown(spec, text.trim())))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The next state. A run's end changes the status only if it is the
    /// current run: an older run's end never overwrites a newer one's status.
    pub fn apply(&self, action: DemoAction) -> DemoState {
        let mut next = self.clone();
        match action {
            DemoAction::Input { key, text } => {
                let Some(spec) = self.specs.iter().find(|s| s.key == key) else {
                    return next;
                };
                if let Some(slot) = next.inputs.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = text.clone();
                }
                next.errors.retain(|(k, _)| *k != key);
                match parse_value(spec, &text) {
                    Ok(value) => next.params.set(key, value),
                    Err(message) => next.errors.push((key, message)),
                }
                next.link = (self.link.0 + 1, next.query());
            }
            DemoAction::Reset => {
                let mut fresh = DemoState::from_query(self.specs, "");
                // A run of before the reset must not come back as current.
                fresh.runs = self.runs + 1;
                fresh.link = (self.link.0 + 1, String::new());
                return fresh;
            }
            DemoAction::Run => {
                if self.can_run() {
                    next.runs += 1;
                    next.status = Status::Running;
                }
            }
            DemoAction::Stop => {
                if self.is_running() {
                    next.status = Status::Stopped;
                }
            }
            DemoAction::Restored(end) => {
                if self.status == Status::Idle && self.runs == 0 {
                    next.runs = 1;
                    next.status = end.status();
                }
            }
            DemoAction::Ended { run, stopped, outcome } => {
                if run == self.runs && self.is_running() {
                    next.status = RunEnd::of(stopped, &outcome).status();
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::SPEED;

    const JOBS: Spec = Spec { key: "jobs", label: "Jobs", kind: Kind::Int { min: 1, max: 8 }, default: "2", help: "" };
    const SPECS: &[Spec] = &[JOBS, SPEED];

    fn input(key: &'static str, text: &str) -> DemoAction {
        DemoAction::Input { key, text: text.to_owned() }
    }

    #[test]
    fn a_kept_run_shows_as_it_ended_only_on_a_fresh_demo() {
        let fresh = DemoState::from_query(SPECS, "");
        let restored = fresh.apply(DemoAction::Restored(RunEnd::Finished));
        assert_eq!((restored.status.clone(), restored.runs), (Status::Done, 1));
        // A run left mid-way comes back stopped: its figures claim nothing for the whole program.
        let stopped = fresh.apply(DemoAction::Restored(RunEnd::Stopped));
        assert_eq!(stopped.status, Status::Stopped);
        assert!(!stopped.status.ran_to_end());
        // One stopped by leaving the slide says so.
        let left = fresh.apply(DemoAction::Restored(RunEnd::Left));
        assert_eq!(
            (left.status.key(), left.status.text().as_str()),
            ("stopped", "stopped when its slide was left or opened again")
        );
        assert!(!left.status.ran_to_end());
        let failed = fresh.apply(DemoAction::Restored(RunEnd::Failed("a worker died".into())));
        assert_eq!(failed.status.text(), "failed: a worker died");
        let running = fresh.apply(DemoAction::Run);
        assert_eq!(running.apply(DemoAction::Restored(RunEnd::Finished)), running);
    }

    #[test]
    fn folded_controls_name_each_parameter_as_the_link_does() {
        const URLS: Spec = Spec { key: "urls", label: "URLs", kind: Kind::UrlTable, default: "", help: "" };
        const ALL: &[Spec] = &[JOBS, URLS, SPEED];
        let mut state = DemoState::from_query(ALL, "jobs=3&speed=200");
        state.inputs = vec![
            ("jobs", "0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9".into()),
            ("urls", "http://a/ 1 2\n\nhttp://b/ 1 2\n".into()),
            ("speed", "200".into()),
        ];
        assert_eq!(state.params_line(), "jobs=0.5, 1, 2, 3, 4, 5, 6,… · urls=2 rows · speed=200");
    }

    #[test]
    fn a_link_sets_the_fields_and_reports_what_it_could_not() {
        let state = DemoState::from_query(SPECS, "jobs=5&speed=nope&colour=red");
        assert_eq!(state.params.int("jobs"), 5);
        assert_eq!(state.params.int("speed"), 1000);
        assert_eq!(state.inputs, [("jobs", "5".to_owned()), ("speed", "1000".to_owned())]);
        assert_eq!(state.notices.len(), 2);
        assert!(state.errors.is_empty() && state.can_run());
    }

    #[test]
    fn a_bad_field_blocks_running_until_it_is_mended() {
        let state = DemoState::from_query(SPECS, "");
        let bad = state.apply(input("jobs", "nine"));
        assert_eq!(bad.inputs[0].1, "nine");
        assert_eq!(bad.params.int("jobs"), 2, "the last valid value stays");
        assert_eq!(bad.errors.len(), 1);
        assert!(!bad.can_run());
        assert_eq!(bad.apply(DemoAction::Run).status, Status::Idle);
        let good = bad.apply(input("jobs", "7"));
        assert!(good.errors.is_empty());
        assert_eq!(good.params.int("jobs"), 7);
        assert_eq!(good.link.1, "jobs=7&speed=1000");
        assert!(good.link.0 > state.link.0, "the link changes");
    }

    #[test]
    fn the_link_says_what_a_field_in_error_shows() {
        // Typed one key at a time: `3` is valid, `30.5` is not.
        let state = DemoState::from_query(SPECS, "").apply(input("jobs", "3")).apply(input("jobs", "30.5"));
        assert_eq!(state.params.int("jobs"), 3);
        assert_eq!(state.link.1, "jobs=30.5&speed=1000", "not jobs=3, which the field does not show");
        // Opened, that link says what is wrong, and runs the default.
        let opened = DemoState::from_query(SPECS, &state.link.1);
        assert_eq!(opened.params.int("jobs"), 2);
        assert_eq!(opened.notices.len(), 1, "{:?}", opened.notices);
        // Mended, the link carries the value again.
        assert_eq!(state.apply(input("jobs", "4")).link.1, "jobs=4&speed=1000");
        let empty = state.apply(input("speed", " "));
        assert_eq!(empty.link.1, "jobs=30.5&speed=");
    }

    #[test]
    fn only_the_current_run_sets_the_status() {
        let state = DemoState::from_query(SPECS, "");
        let first = state.apply(DemoAction::Run);
        assert_eq!((first.runs, first.status.clone()), (1, Status::Running));
        assert_eq!(first.apply(DemoAction::Run), first, "Run while running does nothing");
        let stopped = first.apply(DemoAction::Stop);
        assert_eq!(stopped.status, Status::Stopped);
        let second = stopped.apply(DemoAction::Run);
        assert_eq!(second.runs, 2);
        // The first run's task ends late: the second run goes on, still stoppable.
        let late = second.apply(DemoAction::Ended { run: 1, stopped: true, outcome: Ok(()) });
        assert_eq!(late.status, Status::Running);
        let done = late.apply(DemoAction::Ended { run: 2, stopped: false, outcome: Ok(()) });
        assert_eq!(done.status, Status::Done);
        let failed = done.apply(DemoAction::Run).apply(DemoAction::Ended {
            run: 3,
            stopped: false,
            outcome: Err("boom".into()),
        });
        assert_eq!(failed.status, Status::Failed("boom".into()));
        assert_eq!(failed.status.text(), "failed: boom");
    }

    #[test]
    fn a_stopped_run_ends_as_stopped_whatever_it_returned() {
        let running = DemoState::from_query(SPECS, "").apply(DemoAction::Run);
        let ended = running.apply(DemoAction::Ended { run: 1, stopped: true, outcome: Err("cancelled".into()) });
        assert_eq!(ended.status, Status::Stopped);
    }

    #[test]
    fn reset_forgets_everything_and_outlives_old_runs() {
        let state = DemoState::from_query(SPECS, "jobs=4&x=1").apply(DemoAction::Run).apply(input("speed", "0"));
        assert_eq!((state.runs, state.errors.len(), state.notices.len()), (1, 1, 1));
        let reset = state.apply(DemoAction::Reset);
        assert_eq!(reset.params, Params::defaults(SPECS));
        assert!(reset.errors.is_empty() && reset.notices.is_empty());
        assert_eq!(reset.status, Status::Idle);
        assert_eq!(reset.link.1, "");
        let after = reset.apply(DemoAction::Ended { run: state.runs, stopped: false, outcome: Ok(()) });
        assert_eq!(after.status, Status::Idle, "the run from before the reset does not come back");
    }
}
