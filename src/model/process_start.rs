//! How long CPython takes to start a process, so a process lane shows
//! CPython's start-up, in the run's Python time, not a Web Worker's.
//!
//! Measured with CPython 3.11.7 on Linux on the project's reference machine
//! (2 cores): from `Process.start()` to the child's first statement, median
//! of five. Forked, one child ran after 1.7 ms; four started one after
//! another ran after 1.9 to 5.4 ms, five after 2.1 to 7.2 ms: the parent
//! forks one child at a time, about 1.25 ms each. Spawned (a new
//! interpreter that imports the main module), one child ran after 41 ms;
//! several at once share the cores and take longer (five: 90 to 132 ms),
//! which this does not model.
//!
//! A worker started ahead, before the program began, plays the process: it
//! waits until the instant this gives before it runs.

/// From a fork to the child's first statement.
const FORK_FIRST_S: f64 = 0.0018;
/// How long the parent takes to fork one child: the next fork starts then.
const FORK_EACH_S: f64 = 0.00125;
/// From starting a spawned child to its first statement.
const SPAWN_S: f64 = 0.041;

/// How a process starts: CPython's default on Linux is fork.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartKind {
    Fork,
    Spawn,
}

/// One parent's process starts, in page milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessStarts {
    /// When the parent is done forking the last child it forked.
    forking_until_ms: f64,
}

impl ProcessStarts {
    /// When a child the parent starts at `now_ms` runs its first statement,
    /// at `ms_per_second` page milliseconds a Python second. Forks made in a
    /// burst follow each other.
    pub fn runs_at(&mut self, now_ms: f64, kind: StartKind, ms_per_second: f64) -> f64 {
        match kind {
            StartKind::Fork => {
                let fork_at = now_ms.max(self.forking_until_ms);
                self.forking_until_ms = fork_at + FORK_EACH_S * ms_per_second;
                fork_at + FORK_FIRST_S * ms_per_second
            }
            StartKind::Spawn => now_ms + SPAWN_S * ms_per_second,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forks_in_a_burst_run_one_after_another_as_cpython_s_did() {
        let mut starts = ProcessStarts::default();
        // At 1000 ms a Python second, page ms are CPython's ms: five forked at once.
        let runs: Vec<f64> = (0..5).map(|_| starts.runs_at(100.0, StartKind::Fork, 1000.0) - 100.0).collect();
        assert!((runs[0] - 1.8).abs() < 1e-9);
        assert!((runs[4] - 6.8).abs() < 1e-9, "CPython's fifth child ran after 7.2 ms: {runs:?}");
        // A fork once the burst is over starts afresh.
        assert!((starts.runs_at(500.0, StartKind::Fork, 1000.0) - 501.8).abs() < 1e-9);
    }

    #[test]
    fn start_up_is_python_time_at_any_speed() {
        let mut starts = ProcessStarts::default();
        // At 200 ms a Python second, a fork's 1.8 ms is 0.36 page ms.
        assert!((starts.runs_at(0.0, StartKind::Fork, 200.0) - 0.36).abs() < 1e-9);
        assert!((starts.runs_at(0.0, StartKind::Spawn, 200.0) - 8.2).abs() < 1e-9);
        assert!((starts.runs_at(0.0, StartKind::Spawn, 1000.0) - 41.0).abs() < 1e-9, "spawns wait for no fork");
    }
}
