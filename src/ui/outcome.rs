//! A run's outcome, said to a screen reader when the run ends: its wall time,
//! its speedup and its last printed line, or why it stopped. One live region,
//! in the page from the start and only its text changing, so a screen reader
//! keeps listening to it through the run.

use yew::prelude::*;

use super::console;
use super::live::Panel;
use crate::model::demo_state::Status;
use crate::model::figures;

#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    pub status: Status,
    pub panels: std::rc::Rc<Vec<Panel>>,
    pub ms_per_second: f64,
    /// The console's grid, as its panels list their lines.
    pub grid_seconds: Option<f64>,
    /// Whether the demo's figures include a speedup.
    pub show_speedup: bool,
    pub cores: Option<u32>,
}

/// One panel's figures as the sentence says them.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub label: String,
    pub wall_seconds: f64,
    /// As the figures show it: "1.90× on 2 cores".
    pub speedup: Option<String>,
}

/// What is said when a run ends with `status`; nothing for a run under way or none.
pub fn sentence(status: &Status, figures: &[Figures], last_line: Option<&str>) -> String {
    let head = match status {
        Status::Idle | Status::Running => return String::new(),
        Status::Done => "Run finished".to_owned(),
        Status::Stopped => "Run stopped".to_owned(),
        Status::Left => "Run stopped when its slide was left or opened again".to_owned(),
        Status::Failed(why) => format!("Run failed: {why}"),
    };
    let said = |f: &Figures| {
        let speedup = f.speedup.as_ref().map(|s| format!(", speedup {s}")).unwrap_or_default();
        format!("wall time {:.2} s{speedup}", f.wall_seconds)
    };
    let mut text = match figures {
        [] => format!("{head}."),
        [one] => format!("{head}: {}.", said(one)),
        many => format!(
            "{head}. {}.",
            many.iter().map(|f| format!("{}: {}", f.label, said(f))).collect::<Vec<_>>().join("; ")
        ),
    };
    if let Some(line) = last_line {
        text.push_str(&format!(" Last line: {line}"));
    }
    text
}

#[component]
pub fn Outcome(props: &OutcomeProps) -> Html {
    let said = use_state(String::new);
    // Only a run seen under way is announced: not a run kept from an earlier visit.
    let seen_running = use_mut_ref(|| false);
    {
        let said = said.clone();
        // Worked out only when a run ends, not at each redraw while it runs.
        let (panels, ms_per_second, grid_seconds) = (props.panels.clone(), props.ms_per_second, props.grid_seconds);
        let (cores, show_speedup) = (props.cores, props.show_speedup);
        use_effect_with(props.status.clone(), move |status| {
            if *status == Status::Running {
                *seen_running.borrow_mut() = true;
                said.set(String::new());
            } else if std::mem::take(&mut *seen_running.borrow_mut()) {
                let figures: Vec<Figures> = panels
                    .iter()
                    .map(|p| Figures {
                        label: p.label.to_string(),
                        wall_seconds: p.trace.wall_ms() / ms_per_second,
                        speedup: figures::shown_speedup(&p.trace, p.sequential_ms, cores, show_speedup),
                    })
                    .collect();
                // The last line as the console lists it: in the order the lines were printed.
                let last_line = panels
                    .last()
                    .and_then(|p| console::ordered(&p.trace, ms_per_second, grid_seconds).last().copied())
                    .map(|l| l.text.clone());
                said.set(sentence(status, &figures, last_line.as_deref()));
            }
        });
    }
    html! {
        <p class="sr-only" role="status" aria-live="polite" data-testid="run-outcome">{ (*said).clone() }</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(label: &str, wall_seconds: f64, speedup: Option<&str>) -> Figures {
        Figures { label: label.to_owned(), wall_seconds, speedup: speedup.map(str::to_owned) }
    }

    #[test]
    fn a_finished_run_says_its_figures_and_last_line() {
        let said =
            sentence(&Status::Done, &[figures("threads", 1.234, Some("1.90× on 2 cores"))], Some("done in 1.2 s"));
        assert_eq!(said, "Run finished: wall time 1.23 s, speedup 1.90× on 2 cores. Last line: done in 1.2 s");
    }

    #[test]
    fn several_panels_are_named_and_a_failure_says_why() {
        let panels = [figures("one thread", 2.0, None), figures("a pool", 0.5, None)];
        assert_eq!(
            sentence(&Status::Failed("boom".to_owned()), &panels, None),
            "Run failed: boom. one thread: wall time 2.00 s; a pool: wall time 0.50 s."
        );
        assert_eq!(sentence(&Status::Stopped, &[], None), "Run stopped.");
    }

    #[test]
    fn nothing_is_said_while_a_run_is_under_way() {
        assert_eq!(sentence(&Status::Running, &[figures("x", 1.0, Some("1.00× on 1 core"))], Some("line")), "");
    }
}
