//! The GIL: how threads share the interpreter, which implementation takes it,
//! and the page's arbiter for pages without shared memory.
//!
//! The arbiter is CPython's switch-interval protocol (3.2's "new GIL") as a
//! state machine: requests go in, commands come out, and the session runs the
//! timers and posts the commands. A waiter waits one switch interval; if the
//! GIL has not changed hands by then, the holder is asked to drop it, and the
//! first waiter gets it.

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
    /// An arbiter on the page, spoken to by messages (any page).
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

/// What the arbiter asks its session to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    /// Tell the lane it holds the GIL now.
    Grant(LaneId),
    /// Ask the holder to let go at its next slice boundary.
    AskToDrop(LaneId),
    /// Call [`Arbiter::timer_fired`] with `token` after `after_ms`.
    ArmTimer { token: u64, after_ms: f64 },
    /// The armed timer is no longer wanted.
    CancelTimer,
}

/// The message-based GIL. Waiters are served first come, first served.
#[derive(Debug, Clone)]
pub struct Arbiter {
    switch_interval_ms: f64,
    holder: Option<LaneId>,
    queue: VecDeque<LaneId>,
    /// The token of the armed drop timer.
    timer: Option<u64>,
    next_token: u64,
    switches: u64,
}

impl Arbiter {
    /// `switch_interval_ms`: `sys.setswitchinterval`, in page milliseconds.
    pub fn new(switch_interval_ms: f64) -> Self {
        Arbiter { switch_interval_ms, holder: None, queue: VecDeque::new(), timer: None, next_token: 1, switches: 0 }
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
        let mut out = Vec::new();
        if self.holder == Some(lane) || self.queue.contains(&lane) {
            return out;
        }
        if self.holder.is_none() {
            self.grant(lane, &mut out);
        } else {
            self.queue.push_back(lane);
            self.arm(&mut out);
        }
        out
    }

    /// `lane` lets go; the first waiter gets the GIL. Only the holder can release.
    pub fn release(&mut self, lane: LaneId) -> Vec<Command> {
        let mut out = Vec::new();
        if self.holder != Some(lane) {
            return out;
        }
        self.holder = None;
        self.cancel(&mut out);
        if let Some(next) = self.queue.pop_front() {
            self.grant(next, &mut out);
        }
        out
    }

    /// `lane`'s worker is gone: it waits no more, and a GIL it held is free.
    pub fn lane_gone(&mut self, lane: LaneId) -> Vec<Command> {
        self.queue.retain(|l| *l != lane);
        if self.holder == Some(lane) {
            return self.release(lane);
        }
        let mut out = Vec::new();
        if self.queue.is_empty() {
            self.cancel(&mut out);
        }
        out
    }

    /// A timer armed with `token` went off: a whole interval passed with
    /// someone waiting and no switch, so the holder is asked to drop.
    pub fn timer_fired(&mut self, token: u64) -> Vec<Command> {
        if self.timer != Some(token) {
            return Vec::new();
        }
        self.timer = None;
        match self.holder {
            Some(holder) if !self.queue.is_empty() => vec![Command::AskToDrop(holder)],
            _ => Vec::new(),
        }
    }

    fn grant(&mut self, lane: LaneId, out: &mut Vec<Command>) {
        self.holder = Some(lane);
        self.switches += 1;
        out.push(Command::Grant(lane));
        if !self.queue.is_empty() {
            self.arm(out);
        }
    }

    /// Starts the next waiter's interval, unless one is running.
    fn arm(&mut self, out: &mut Vec<Command>) {
        if self.timer.is_some() {
            return;
        }
        let token = self.next_token;
        self.next_token += 1;
        self.timer = Some(token);
        out.push(Command::ArmTimer { token, after_ms: self.switch_interval_ms });
    }

    fn cancel(&mut self, out: &mut Vec<Command>) {
        if self.timer.take().is_some() {
            out.push(Command::CancelTimer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command::*;

    /// The token of the one `ArmTimer` in `commands`.
    fn armed(commands: &[Command]) -> u64 {
        let tokens: Vec<u64> = commands
            .iter()
            .filter_map(|c| match c {
                ArmTimer { token, .. } => Some(*token),
                _ => None,
            })
            .collect();
        assert_eq!(tokens.len(), 1, "{commands:?}");
        tokens[0]
    }

    #[test]
    fn a_free_gil_is_granted_at_once_with_no_timer() {
        let mut gil = Arbiter::new(5.0);
        assert_eq!(gil.request(1), vec![Grant(1)]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.request(1), vec![], "the holder asking again changes nothing");
    }

    #[test]
    fn a_waiter_waits_one_interval_then_the_holder_is_asked_to_drop() {
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        let commands = gil.request(2);
        assert_eq!(commands, vec![ArmTimer { token: armed(&commands), after_ms: 5.0 }]);
        assert_eq!(gil.timer_fired(armed(&commands)), vec![AskToDrop(1)]);
        assert_eq!(gil.holder(), Some(1), "asking is not taking: the holder lets go itself");
        assert_eq!(gil.release(1), vec![Grant(2)]);
    }

    #[test]
    fn a_switch_in_the_meantime_rearms_for_the_next_waiter_with_a_fresh_interval() {
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        let first = armed(&gil.request(2));
        assert_eq!(gil.request(3), vec![], "one interval runs at a time");
        // Lane 1 goes to sleep before the interval is over.
        let commands = gil.release(1);
        assert_eq!(commands[..2], [CancelTimer, Grant(2)]);
        let second = armed(&commands);
        assert_ne!(first, second);
        assert_eq!(gil.timer_fired(first), vec![], "the old interval is void");
        assert_eq!(gil.timer_fired(second), vec![AskToDrop(2)]);
    }

    #[test]
    fn release_hands_the_gil_to_waiters_in_the_order_they_came() {
        let mut gil = Arbiter::new(5.0);
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
                commands.iter().filter_map(|c| if let Grant(l) = c { Some(*l) } else { None }).collect();
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
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        gil.request(2);
        assert_eq!(gil.release(2), vec![]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.waiting(), vec![2]);
    }

    #[test]
    fn a_dead_waiter_leaves_the_queue() {
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        let token = armed(&gil.request(2));
        gil.request(3);
        assert_eq!(gil.lane_gone(2), vec![]);
        assert_eq!(gil.waiting(), vec![3]);
        assert_eq!(gil.lane_gone(3), vec![CancelTimer], "nobody waits: no interval runs");
        assert_eq!(gil.timer_fired(token), vec![]);
        assert_eq!(gil.release(1), vec![]);
    }

    #[test]
    fn a_dead_holder_frees_the_gil_for_the_first_waiter() {
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        gil.request(2);
        gil.request(3);
        let commands = gil.lane_gone(1);
        assert_eq!(commands[..2], [CancelTimer, Grant(2)]);
        armed(&commands);
        assert_eq!(gil.holder(), Some(2));
        assert_eq!(gil.waiting(), vec![3]);
        assert_eq!(gil.lane_gone(2), vec![CancelTimer, Grant(3)]);
        assert_eq!(gil.lane_gone(3), vec![]);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn no_drop_request_when_nobody_waits() {
        let mut gil = Arbiter::new(5.0);
        gil.request(1);
        let token = armed(&gil.request(2));
        // Lane 2 is granted and lane 1 does not come back: nobody waits.
        gil.release(1);
        assert_eq!(gil.timer_fired(token), vec![]);
        assert_eq!(gil.holder(), Some(2));
        // A late timer after its waiter died asks nothing either.
        let token = armed(&gil.request(3));
        assert_eq!(gil.lane_gone(3), vec![CancelTimer]);
        assert_eq!(gil.timer_fired(token), vec![]);
    }

    #[test]
    fn the_interval_is_the_switch_interval() {
        let mut gil = Arbiter::new(0.25);
        gil.request(1);
        assert!(matches!(gil.request(2)[..], [ArmTimer { after_ms, .. }] if after_ms == 0.25));
    }
}
