//! The live demos. Each file describes one demo (its name, words, parameters,
//! code and run) in a single [`Demo`] value, and [`ALL`] lists them: a new demo
//! is one file, one line in that table, and one `<!-- .demo: name -->` in the deck.
//! The views ask a demo's description, never its name.

mod async_io;
mod asyncio_example;
mod classical;
pub mod context;
mod futures_example;
mod gil;
mod models;
mod pools;
mod title;

use futures::future::LocalBoxFuture;

pub use context::{Action, RunContext};

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

/// Every demo a deck can attach, in the deck's order.
pub const ALL: &[&Demo] = &[
    &title::DEMO,
    &models::DEMO,
    &pools::DEMO,
    &gil::DEMO,
    &classical::DEMO,
    &futures_example::DEMO,
    &async_io::DEMO,
    &asyncio_example::DEMO,
];

/// The demo a deck names.
pub fn find(name: &str) -> Option<&'static Demo> {
    ALL.iter().copied().find(|d| d.name == name)
}

/// The code of a demo that shows its slide's own program, unchanged.
fn slide_code(slide_code: Option<&str>, _: &Params) -> String {
    slide_code.map(str::to_owned).unwrap_or_default()
}

fn no_note(_: &Params) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Deck;

    /// The project's edition of the deck, as the app shows it.
    pub fn deck() -> Deck {
        Deck::parse(include_str!("../../www/parallel-execution.md")).expect("the built-in deck parses")
    }

    /// The Python code of the slide that shows `demo`.
    pub fn slide_code_of(demo: &str) -> Option<String> {
        let deck = deck();
        let slide = deck.slides.iter().find(|s| s.demo.as_deref() == Some(demo))?;
        slide.content.iter().find_map(|b| match b {
            crate::deck::Block::Code { lang: Some(lang), code, .. } if lang.starts_with("py") => Some(code.clone()),
            _ => None,
        })
    }

    #[test]
    fn every_demo_of_the_deck_exists_once() {
        let deck = deck();
        let named: Vec<&str> = deck.slides.iter().filter_map(|s| s.demo.as_deref()).collect();
        let table: Vec<&str> = ALL.iter().map(|d| d.name).collect();
        assert_eq!(named, table, "the table lists the deck's demos in order");
        for demo in ALL {
            assert_eq!(find(demo.name), Some(*demo));
            assert!(!demo.specs.is_empty() && demo.specs.iter().any(|s| s.key == "speed"), "{}", demo.name);
        }
    }

    #[test]
    fn every_demo_shows_code_for_its_defaults() {
        for demo in ALL {
            let params = Params::defaults(demo.specs);
            let code = (demo.code)(slide_code_of(demo.name).as_deref(), &params);
            assert!(!code.trim().is_empty(), "{} shows no code", demo.name);
        }
    }

    /// Every program shown is Python that CPython parses, for the defaults
    /// and for parameters that change the code.
    #[test]
    fn every_program_shown_parses_as_python() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let variants = [
            ("models", "kind=io&jobs=3&work=2"),
            ("gil", "mode=processes&io=1&threads=3"),
            ("gil", "mode=free-threaded&io=1&interval=1"),
            ("futures", "consume=map&pool=ProcessPoolExecutor&urls=index.html%0Ahttp%3A%2F%2Fa.com%2Fit's%20.5%2010"),
            ("asyncio", "jobs=1,0.5,2.0"),
            ("async-io", "tasks=6&seconds=30"),
        ];
        let mut programs = Vec::new();
        for demo in ALL {
            let slide = slide_code_of(demo.name);
            programs.push((demo.name, (demo.code)(slide.as_deref(), &Params::defaults(demo.specs))));
            for (name, query) in variants.iter().filter(|(name, _)| *name == demo.name) {
                let (params, notices) = Params::from_query(demo.specs, query);
                assert!(notices.is_empty(), "{name}: {notices:?}");
                programs.push((name, (demo.code)(slide.as_deref(), &params)));
            }
        }
        let parse = "import ast, sys; ast.parse(sys.stdin.read())";
        for (name, program) in programs {
            let child =
                Command::new("python3").args(["-c", parse]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn();
            let Ok(mut child) = child else {
                eprintln!("skipped: no python3 to parse the programs with");
                return;
            };
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(program.as_bytes()).expect("python3 reads the program");
            }
            let out = child.wait_with_output().expect("python3 runs");
            assert!(out.status.success(), "{name}:\n{program}\n{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
