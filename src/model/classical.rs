//! The classical example's schedule: two threads each print ten lines and
//! sleep `randint(1, 3)` seconds after each, drawing from one shared generator
//! in the order they wake. Lines due at the same instant keep thread start order.

use super::pyvalue::{percent_format, PyValue};
use super::random::Random;

/// One line of the transcript and when CPython prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub thread: usize,
    pub iteration: u32,
    /// Python seconds after the threads start.
    pub at: i64,
    pub text: String,
    /// The sleep drawn right after this line.
    pub sleep: i64,
}

pub fn thread_name(thread: usize) -> String {
    format!("Thread-{}", thread + 1)
}

/// The whole run, in the order the lines appear.
pub fn schedule(seed: i128, threads: usize, iterations: u32) -> Vec<Due> {
    let mut random = Random::seed(seed);
    // (time the thread prints next, thread, next iteration)
    let mut ready: Vec<(i64, usize, u32)> = (0..threads).map(|t| (0, t, 0)).collect();
    let mut out = Vec::new();
    // The earliest due next; ties go to the thread started first.
    let earliest = |ready: &[(i64, usize, u32)]| {
        ready.iter().enumerate().filter(|(_, r)| r.2 < iterations).min_by_key(|(_, r)| (r.0, r.1)).map(|(k, _)| k)
    };
    while let Some(next) = earliest(&ready) {
        let (at, thread, iteration) = ready[next];
        let text = percent_format("%s: %3d", &[PyValue::Str(thread_name(thread)), PyValue::Int(i64::from(iteration))])
            .unwrap_or_default();
        let sleep = random.randint(1, 3);
        out.push(Due { thread, iteration, at, text, sleep });
        ready[next] = (at + sleep, thread, iteration + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_thread_prints_ten_lines_in_time_order() {
        let run = schedule(1, 2, 10);
        assert_eq!(run.len(), 20);
        assert!(run.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(run[0].text, "Thread-1:   0");
        assert_eq!(run[1].text, "Thread-2:   0");
        for t in 0..2 {
            let mine: Vec<u32> = run.iter().filter(|d| d.thread == t).map(|d| d.iteration).collect();
            assert_eq!(mine, (0..10).collect::<Vec<_>>());
        }
    }

    /// With seed 1, CPython draws 1, 3, 1, 2, 1, ... (see `random`): thread 1
    /// sleeps 1, thread 2 sleeps 3, thread 1 wakes at 1 and draws 1, ...
    #[test]
    fn draws_follow_wake_order() {
        let run = schedule(1, 2, 10);
        let first: Vec<(usize, i64, i64)> = run.iter().take(5).map(|d| (d.thread, d.at, d.sleep)).collect();
        assert_eq!(first, [(0, 0, 1), (1, 0, 3), (0, 1, 1), (0, 2, 2), (1, 3, 1)]);
    }

    #[test]
    fn the_same_seed_gives_the_same_run() {
        assert_eq!(schedule(42, 2, 10), schedule(42, 2, 10));
        assert_ne!(schedule(42, 2, 10), schedule(43, 2, 10));
    }
}
