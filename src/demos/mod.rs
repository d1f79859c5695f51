//! The live demos. Each file describes one demo (its name, words, parameters,
//! code and run) in a single [`Demo`] value, and [`ALL`] lists them: a new demo
//! is one file, one line in that table and one in `HEADINGS` (what the slides'
//! module knows of it), and one `<!-- .demo: name -->` in the deck. The views
//! ask a demo's description, never its name (the speaker view asks its heading).

mod async_io;
mod asyncio_example;
mod classical;
pub mod context;
mod demo;
mod futures_example;
mod gil;
mod models;
mod pools;
mod title;

pub use context::{Action, RunContext};
pub use demo::{short_work_note, speed_note, Claims, Demo, View, FAITHFUL_MS_PER_SECOND};

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

/// Each demo's name and heading, and nothing of its code: what the slides'
/// module needs to name a demo (the speaker view) without linking the demos,
/// which load as a module of their own (see `ui::pane_host`).
const HEADINGS: &[(&str, &str)] = &[
    (title::DEMO.name, title::DEMO.heading),
    (models::DEMO.name, models::DEMO.heading),
    (pools::DEMO.name, pools::DEMO.heading),
    (gil::DEMO.name, gil::DEMO.heading),
    (classical::DEMO.name, classical::DEMO.heading),
    (futures_example::DEMO.name, futures_example::DEMO.heading),
    (async_io::DEMO.name, async_io::DEMO.heading),
    (asyncio_example::DEMO.name, asyncio_example::DEMO.heading),
];

/// The heading of the demo a deck names, if it exists.
pub fn heading(name: &str) -> Option<&'static str> {
    HEADINGS.iter().find(|(n, _)| *n == name).map(|(_, heading)| *heading)
}

/// The demo a deck names.
pub fn find(name: &str) -> Option<&'static Demo> {
    ALL.iter().copied().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::context::tests::{deck, slide_code_of};
    use super::*;
    use crate::model::params::Params;

    #[test]
    fn every_demo_of_the_deck_exists_once() {
        let deck = deck();
        let named: Vec<&str> = deck.slides.iter().filter_map(|s| s.demo.as_deref()).collect();
        let table: Vec<&str> = ALL.iter().map(|d| d.name).collect();
        assert_eq!(named, table, "the table lists the deck's demos in order");
        assert_eq!(HEADINGS.len(), ALL.len(), "every demo has its heading listed");
        for demo in ALL {
            assert_eq!(find(demo.name), Some(*demo));
            assert_eq!(heading(demo.name), Some(demo.heading));
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
            ("futures", "pool=ProcessPoolExecutor&start=spawn&workers=2"),
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
            // The project's set-up installs python3 (the end-to-end tests run CPython too).
            let mut child = child.expect("python3, to parse the programs with");
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(program.as_bytes()).expect("python3 reads the program");
            }
            let out = child.wait_with_output().expect("python3 runs");
            assert!(out.status.success(), "{name}:\n{program}\n{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
