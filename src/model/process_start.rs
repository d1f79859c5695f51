//! How long CPython takes to start a process, so a process lane shows
//! CPython's start-up, in the run's Python time, not a Web Worker's.
//!
//! Measured with CPython 3.11.7 on Linux on the project's reference machine
//! (2 cores): from `Process.start()` to the child's first statement, median
//! of five. Forked, one child ran after 1.7 ms; four started one after
//! another ran after 1.9 to 5.4 ms, five after 2.1 to 7.2 ms: the parent
//! forks one child at a time, about 1.25 ms each. Spawned (a new
//! interpreter that imports what the spawn needs), one child ran after
//! 44 ms, and two side by side after 44 ms each; three after 44, 73 and
//! 76 ms, five after 88 to 126 ms, eight after 171 to 211 ms: about n x 44
//! ms / 2 cores on average, the start-up being CPU work that the children
//! share the cores for. A spawned child's start-up is therefore that much
//! work where the program has measured this computer's speed (a worker
//! counts it down, sharing the cores as CPython's children do), and a wait
//! of 44 ms where it has not.
//!
//! A worker started ahead, before the program began, plays the process: it
//! waits until the instant this gives, then counts down its start-up's work,
//! before it runs.

/// From a fork to the child's first statement.
const FORK_FIRST_S: f64 = 0.0018;
/// How long the parent takes to fork one child: the next fork starts then.
const FORK_EACH_S: f64 = 0.00125;
/// A spawned child's start-up, in CPU seconds: a lone child's first
/// statement ran this long after it was started.
const SPAWN_S: f64 = 0.044;

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

/// When a child may begin, and the work its start-up takes from then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChildStart {
    /// Page ms: it waits until then.
    pub runs_from_ms: f64,
    /// Countdown iterations its start-up takes from then (0: none).
    pub start_work: u64,
}

impl ProcessStarts {
    /// How a child the parent starts at `now_ms` begins, at `ms_per_second`
    /// page milliseconds a Python second. Forks made in a burst follow each
    /// other. `cpu_rate`: countdown iterations a page millisecond, where the
    /// program measured it; a spawned child's start-up is that much work.
    pub fn start(&mut self, now_ms: f64, kind: StartKind, ms_per_second: f64, cpu_rate: Option<f64>) -> ChildStart {
        match (kind, cpu_rate) {
            (StartKind::Spawn, Some(rate)) => {
                ChildStart { runs_from_ms: now_ms, start_work: (SPAWN_S * ms_per_second * rate).round() as u64 }
            }
            _ => ChildStart { runs_from_ms: self.runs_at(now_ms, kind, ms_per_second), start_work: 0 },
        }
    }

    /// When a child the parent starts at `now_ms` runs its first statement,
    /// at `ms_per_second` page milliseconds a Python second, its start-up
    /// waited out (not worked).
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
        assert!((starts.runs_at(0.0, StartKind::Spawn, 200.0) - 8.8).abs() < 1e-9);
        assert!((starts.runs_at(0.0, StartKind::Spawn, 1000.0) - 44.0).abs() < 1e-9, "spawns wait for no fork");
    }

    #[test]
    fn a_spawned_child_s_start_up_is_work_where_the_computer_s_speed_is_known() {
        let mut starts = ProcessStarts::default();
        // 10,000 iterations a page ms, at 200 page ms a Python second: 44 ms of CPU is 8.8 page ms.
        let spawned = starts.start(50.0, StartKind::Spawn, 200.0, Some(10_000.0));
        assert_eq!(spawned, ChildStart { runs_from_ms: 50.0, start_work: 88_000 });
        // Unknown: waited out.
        assert_eq!(starts.start(50.0, StartKind::Spawn, 200.0, None), ChildStart { runs_from_ms: 58.8, start_work: 0 });
        // A fork is quick, and waited out whatever the speed.
        let forked = starts.start(0.0, StartKind::Fork, 1000.0, Some(10_000.0));
        assert!((forked.runs_from_ms - 1.8).abs() < 1e-9 && forked.start_work == 0);
    }
}
