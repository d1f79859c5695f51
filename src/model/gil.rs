//! The GIL: how threads share the interpreter, which implementation takes it,
//! and the arbiter for pages without shared memory.
//!
//! The arbiter is CPython's switch-interval protocol (3.2's "new GIL") as a
//! state machine: requests go in, commands come out. It runs in a worker of
//! its own (`runtime::worker_arbiter`) that posts the commands to the lanes.
//! Once someone waits, the holder keeps the GIL one switch interval more
//! and then lets go, and the first waiter gets it.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::trace::LaneId;

/// How threads share the interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GilMode {
    /// CPython's default: one thread runs Python code at a time.
    On,
    /// PEP 703 free-threaded CPython: no GIL, threads run in parallel.
    FreeThreaded,
}

/// Which GIL implementation a lane takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GilImpl {
    /// A lock in a `SharedArrayBuffer` that workers block on (cross-origin isolated pages).
    SharedMemory,
    /// An arbiter in a worker of its own, spoken to by messages (any page).
    Messages,
}

impl GilImpl {
    pub fn label(self) -> &'static str {
        match self {
            GilImpl::SharedMemory => "SharedArrayBuffer + Atomics lock",
            GilImpl::Messages => "message-based arbiter",
        }
    }
}

/// What the arbiter tells a lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    /// The lane holds the GIL now. `contended`: others wait, so it lets go
    /// once it has held it for a switch interval.
    Grant { lane: LaneId, contended: bool },
    /// Someone waits for the GIL the lane holds: it lets go a switch
    /// interval from now, or earlier if it blocks.
    Contended(LaneId),
}

/// The message-based GIL. Waiters are served first come, first served. The
/// holder times its own switch interval (a lease), so a switch costs one
/// message to the page and one to the next holder, not a page timer and a
/// round trip.
#[derive(Debug, Clone, Default)]
pub struct Arbiter {
    holder: Option<LaneId>,
    queue: VecDeque<LaneId>,
    /// Whether the holder knows that someone waits.
    holder_told: bool,
    switches: u64,
}

impl Arbiter {
    pub fn new() -> Self {
        Arbiter::default()
    }

    pub fn holder(&self) -> Option<LaneId> {
        self.holder
    }

    /// The waiting lanes, first in line first.
    pub fn waiting(&self) -> Vec<LaneId> {
        self.queue.iter().copied().collect()
    }

    /// How many times the GIL has been granted.
    pub fn switches(&self) -> u64 {
        self.switches
    }

    /// `lane` wants the GIL. A lane that holds it or waits already changes nothing.
    pub fn request(&mut self, lane: LaneId) -> Vec<Command> {
        if self.holder == Some(lane) || self.queue.contains(&lane) {
            return Vec::new();
        }
        let Some(holder) = self.holder else {
            return vec![self.grant(lane)];
        };
        self.queue.push_back(lane);
        if self.holder_told {
            return Vec::new();
        }
        self.holder_told = true;
        vec![Command::Contended(holder)]
    }

    /// `lane` lets go; the first waiter gets the GIL. Only the holder can release.
    pub fn release(&mut self, lane: LaneId) -> Vec<Command> {
        if self.holder != Some(lane) {
            return Vec::new();
        }
        self.holder = None;
        self.queue.pop_front().map(|next| self.grant(next)).into_iter().collect()
    }

    /// The holder's interval is over: it lets go and asks again, behind the
    /// lanes already waiting (CPython's forced switch: it cannot take the GIL
    /// straight back while another waits).
    pub fn yield_gil(&mut self, lane: LaneId) -> Vec<Command> {
        if self.holder != Some(lane) {
            return self.request(lane);
        }
        self.queue.push_back(lane);
        self.holder = None;
        self.queue.pop_front().map(|next| self.grant(next)).into_iter().collect()
    }

    /// `lane`'s worker is gone: it waits no more, and a GIL it held is free.
    pub fn lane_gone(&mut self, lane: LaneId) -> Vec<Command> {
        self.queue.retain(|l| *l != lane);
        self.release(lane)
    }

    fn grant(&mut self, lane: LaneId) -> Command {
        self.holder = Some(lane);
        self.switches += 1;
        self.holder_told = !self.queue.is_empty();
        Command::Grant { lane, contended: self.holder_told }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command::*;

    #[test]
    fn a_free_gil_is_granted_at_once_uncontended() {
        let mut gil = Arbiter::new();
        assert_eq!(gil.request(1), vec![Grant { lane: 1, contended: false }]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.request(1), vec![], "the holder asking again changes nothing");
    }

    #[test]
    fn the_holder_is_told_once_that_someone_waits() {
        let mut gil = Arbiter::new();
        gil.request(1);
        assert_eq!(gil.request(2), vec![Contended(1)]);
        assert_eq!(gil.request(3), vec![], "told already");
        assert_eq!(gil.holder(), Some(1), "telling is not taking: the holder lets go itself");
        assert_eq!(gil.release(1), vec![Grant { lane: 2, contended: true }], "lane 3 still waits");
        assert_eq!(gil.release(2), vec![Grant { lane: 3, contended: false }]);
        assert_eq!(gil.request(1), vec![Contended(3)], "a new holder is told afresh");
    }

    #[test]
    fn a_yield_hands_the_gil_to_the_first_waiter_and_queues_the_holder_behind() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        assert_eq!(gil.yield_gil(1), vec![Grant { lane: 2, contended: true }]);
        assert_eq!(gil.waiting(), vec![1]);
        assert_eq!(gil.yield_gil(2), vec![Grant { lane: 1, contended: true }]);
        // Alone, a yield gives the GIL straight back, with nobody waiting.
        gil.lane_gone(2);
        assert_eq!(gil.yield_gil(1), vec![Grant { lane: 1, contended: false }]);
        assert_eq!(gil.switches(), 4);
    }

    #[test]
    fn release_hands_the_gil_to_waiters_in_the_order_they_came() {
        let mut gil = Arbiter::new();
        gil.request(4);
        for lane in [2, 5, 1] {
            gil.request(lane);
        }
        assert_eq!(gil.waiting(), vec![2, 5, 1]);
        let mut order = Vec::new();
        let mut holder = 4;
        for _ in 0..3 {
            let commands = gil.release(holder);
            let granted: Vec<_> =
                commands.iter().filter_map(|c| if let Grant { lane, .. } = c { Some(*lane) } else { None }).collect();
            assert_eq!(granted.len(), 1);
            holder = granted[0];
            order.push(holder);
        }
        assert_eq!(order, vec![2, 5, 1]);
        assert_eq!(gil.switches(), 4);
        assert_eq!(gil.release(1), vec![]);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn only_the_holder_can_release() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        assert_eq!(gil.release(2), vec![]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.waiting(), vec![2]);
    }

    #[test]
    fn a_dead_waiter_leaves_the_queue_and_a_dead_holder_frees_the_gil() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        gil.request(3);
        assert_eq!(gil.lane_gone(2), vec![]);
        assert_eq!(gil.waiting(), vec![3]);
        assert_eq!(gil.lane_gone(1), vec![Grant { lane: 3, contended: false }]);
        assert_eq!(gil.lane_gone(3), vec![]);
        assert_eq!(gil.holder(), None);
    }
}
