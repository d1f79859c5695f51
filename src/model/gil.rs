//! The GIL: how threads share the interpreter, which implementation takes it,
//! and the arbiter for pages without shared memory.
//!
//! The arbiter is CPython's switch-interval protocol (3.2's "new GIL") as a
//! state machine: requests go in, commands come out. It runs in a worker of
//! its own (`runtime::worker_arbiter`) that posts the commands to the lanes.
//! Once someone waits, the holder keeps the GIL one switch interval more
//! and then lets go, and the first waiter gets it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

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
    /// The shortest switch interval a demo's run gets with this GIL, in page
    /// milliseconds, however fast the run goes: a switch costs the browser real
    /// time that a run's speed cannot shrink (0.05 ms with shared memory, 0.2-0.8
    /// ms by messages), and shorter turns would be mostly that cost. By messages,
    /// two threads in 1 ms turns took 1.66x their work where 5 ms turns take 1.25x.
    pub fn shortest_switch_interval_ms(self) -> f64 {
        match self {
            GilImpl::SharedMemory => 1.0,
            GilImpl::Messages => 5.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GilImpl::SharedMemory => "SharedArrayBuffer + Atomics lock",
            GilImpl::Messages => "message-based arbiter",
        }
    }
}

/// How long before its lease ends a holder of the message-based GIL hands
/// the GIL to the next thread, for that thread's turn to start as this one
/// ends: about as long as a grant takes to reach it. A grant that arrives
/// early costs the next thread a short wait on a core of its own; one that
/// arrives late leaves both threads idle. So the lead covers most trips:
/// their running mean plus twice their running deviation (TCP's
/// retransmission timer, RFC 6298, with a smaller factor), from the trips of
/// the grants this lane was handed. Trips take 0.1-0.3 ms between Chromium's
/// workers and 0.4-0.8 ms between Firefox's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandOverLead {
    mean_ms: f64,
    deviation_ms: f64,
}

impl HandOverLead {
    /// Before any trip is known.
    pub const FIRST_MS: f64 = 0.3;
    pub const SHORTEST_MS: f64 = 0.1;
    /// A trip longer than this is a busy or stalled worker, not the channel:
    /// the next thread would wait out the rest of a lead that long.
    pub const LONGEST_MS: f64 = 1.5;

    pub fn new() -> Self {
        HandOverLead { mean_ms: Self::FIRST_MS, deviation_ms: 0.0 }
    }

    /// A grant took `trip_ms` from its sender to this lane (on two
    /// workers' clocks: a trip below zero is a clock's rounding).
    pub fn observe(&mut self, trip_ms: f64) {
        if !trip_ms.is_finite() {
            return;
        }
        let trip = trip_ms.clamp(0.0, 2.0 * Self::LONGEST_MS);
        self.deviation_ms += ((trip - self.mean_ms).abs() - self.deviation_ms) / 4.0;
        self.mean_ms += (trip - self.mean_ms) / 8.0;
    }

    /// The most of a turn the next thread may spend waiting for it, spinning
    /// on a core of its own: with short turns (a fast run's 1 ms), a lead as
    /// long as the turn would keep both cores busy.
    pub const MOST_OF_A_TURN: f64 = 0.3;

    /// How long before a lease of `switch_interval_ms` ends to hand over.
    pub fn lead_ms(&self, switch_interval_ms: f64) -> f64 {
        let longest = Self::LONGEST_MS.min(Self::MOST_OF_A_TURN * switch_interval_ms);
        (self.mean_ms + 2.0 * self.deviation_ms).clamp(Self::SHORTEST_MS, Self::LONGEST_MS).min(longest)
    }
}

impl Default for HandOverLead {
    fn default() -> Self {
        Self::new()
    }
}

/// What the arbiter tells a lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    /// The lane holds the GIL now, for hold number `hold`. `contended`:
    /// others wait, so it lets go once it has held it for a switch
    /// interval, handing it straight to `next`, the first of them.
    Grant { lane: LaneId, hold: u64, contended: bool, next: Option<LaneId> },
    /// Someone waits for the GIL the lane holds (in its hold `hold`): it
    /// lets go a switch interval from now, or earlier if it blocks, and
    /// hands it straight to `next` (`None`: through the arbiter).
    Contended { lane: LaneId, hold: u64, next: Option<LaneId> },
    /// Give lanes `a` and `b` a channel of their own, before either is told
    /// to hand the GIL to the other.
    Introduce { a: LaneId, b: LaneId },
}

/// The message-based GIL. Waiters are served first come, first served. The
/// holder times its own switch interval (a lease) and, when it lets go,
/// hands the GIL straight to the first waiter over a channel between the
/// two, telling the arbiter beside: a switch costs one message between the
/// lanes, not one to the arbiter and one back out. The arbiter checks each
/// hand-over against what it told the holder, and hands the GIL itself
/// where a lane went away in between.
#[derive(Debug, Clone, Default)]
pub struct Arbiter {
    holder: Option<LaneId>,
    queue: VecDeque<LaneId>,
    /// Whether the holder knows that someone waits.
    holder_told: bool,
    /// Whom the holder was told to hand the GIL to.
    told_next: Option<LaneId>,
    /// Pairs of lanes that have a channel of their own (smaller id first).
    introduced: BTreeSet<(LaneId, LaneId)>,
    /// Holds so far: the current hold's number.
    switches: u64,
    /// What lanes said about holds the arbiter has not seen handed over
    /// yet, and what they said after, in order.
    held_back: BTreeMap<LaneId, VecDeque<Heard>>,
}

/// What a lane tells the arbiter.
#[derive(Debug, Clone, Copy)]
enum Heard {
    Request,
    /// The holder lets go (`again`: and asks again).
    LetGo {
        hold: u64,
        handed_to: Option<LaneId>,
        again: bool,
    },
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
        self.hear(lane, Heard::Request)
    }

    fn ask(&mut self, lane: LaneId) -> Vec<Command> {
        if self.holder == Some(lane) || self.queue.contains(&lane) {
            return Vec::new();
        }
        let Some(holder) = self.holder else {
            return self.grant(lane);
        };
        self.queue.push_back(lane);
        if self.holder_told {
            return Vec::new();
        }
        self.holder_told = true;
        self.tell_next(holder)
    }

    /// `lane` lets go of hold `hold`; the first waiter gets the GIL. Only
    /// the holder can release. `handed_to`: the lane it handed the GIL to itself.
    pub fn release(&mut self, lane: LaneId, hold: u64, handed_to: Option<LaneId>) -> Vec<Command> {
        self.hear(lane, Heard::LetGo { hold, handed_to, again: false })
    }

    /// The holder's interval is over: it lets go of hold `hold` and asks
    /// again, behind the lanes already waiting (CPython's forced switch: it
    /// cannot take the GIL straight back while another waits). `handed_to`
    /// as for `release`.
    pub fn yield_gil(&mut self, lane: LaneId, hold: u64, handed_to: Option<LaneId>) -> Vec<Command> {
        self.hear(lane, Heard::LetGo { hold, handed_to, again: true })
    }

    /// What `lane` said, in the order it said it. A lane handed a hold by
    /// the last holder may let go of it before the holder's word of the
    /// hand-over reaches the arbiter (it comes on another port): what the
    /// lane says from then on waits until it has.
    fn hear(&mut self, lane: LaneId, heard: Heard) -> Vec<Command> {
        let waits = self.waits(&heard);
        let held = self.held_back.entry(lane).or_default();
        if waits || !held.is_empty() {
            held.push_back(heard);
            return Vec::new();
        }
        let mut commands = self.act(lane, heard);
        // A hold changed hands: what waited for it can be heard now.
        while let Some(lane) = self.ready_lane() {
            while let Some(heard) = self.next_heard(lane) {
                commands.extend(self.act(lane, heard));
            }
        }
        commands
    }

    /// Whether `heard` is about a hold the arbiter has not seen handed over yet.
    fn waits(&self, heard: &Heard) -> bool {
        matches!(heard, Heard::LetGo { hold, .. } if *hold > self.switches)
    }

    /// A lane whose first held-back word can be heard now.
    fn ready_lane(&self) -> Option<LaneId> {
        let ready = |held: &VecDeque<Heard>| held.front().is_some_and(|heard| !self.waits(heard));
        self.held_back.iter().find_map(|(lane, held)| ready(held).then_some(*lane))
    }

    /// `lane`'s next held-back word, unless it still waits.
    fn next_heard(&mut self, lane: LaneId) -> Option<Heard> {
        let front = *self.held_back.get(&lane)?.front()?;
        if self.waits(&front) {
            return None;
        }
        self.held_back.get_mut(&lane)?.pop_front()
    }

    fn act(&mut self, lane: LaneId, heard: Heard) -> Vec<Command> {
        match heard {
            Heard::Request => self.ask(lane),
            Heard::LetGo { hold, handed_to, again } => self.let_go(lane, hold, handed_to, again),
        }
    }

    fn let_go(&mut self, lane: LaneId, hold: u64, handed_to: Option<LaneId>, again: bool) -> Vec<Command> {
        if self.holder != Some(lane) || hold != self.switches {
            return if again { self.ask(lane) } else { Vec::new() };
        }
        if again {
            self.queue.push_back(lane);
        }
        self.holder = None;
        self.pass_on(handed_to)
    }

    /// `lane`'s worker is gone: it waits no more, and a GIL it held is free.
    /// A holder told to hand the GIL to it is told whom to hand it to now.
    pub fn lane_gone(&mut self, lane: LaneId) -> Vec<Command> {
        self.queue.retain(|l| *l != lane);
        self.introduced.retain(|&(a, b)| a != lane && b != lane);
        self.held_back.remove(&lane);
        if self.holder == Some(lane) {
            return self.hear(lane, Heard::LetGo { hold: self.switches, handed_to: None, again: false });
        }
        match self.holder {
            Some(holder) if self.told_next == Some(lane) => self.tell_next(holder),
            _ => Vec::new(),
        }
    }

    /// The GIL is free: it goes to the lane the last holder handed it to, if
    /// that is the first waiter it was told of, or else to the first waiter.
    fn pass_on(&mut self, handed_to: Option<LaneId>) -> Vec<Command> {
        let told = std::mem::take(&mut self.told_next);
        match handed_to {
            Some(to) if told == Some(to) && self.queue.front() == Some(&to) => {
                // Taken already: the lane knows, and is told who waits behind it.
                self.queue.pop_front();
                self.holder = Some(to);
                self.switches += 1;
                self.holder_told = !self.queue.is_empty();
                if self.holder_told {
                    self.tell_next(to)
                } else {
                    Vec::new()
                }
            }
            _ => match self.queue.pop_front() {
                Some(next) => self.grant(next),
                None => Vec::new(),
            },
        }
    }

    fn grant(&mut self, lane: LaneId) -> Vec<Command> {
        self.holder = Some(lane);
        self.switches += 1;
        self.holder_told = !self.queue.is_empty();
        let next = self.queue.front().copied();
        self.told_next = next;
        let mut commands = self.introduce(lane, next);
        commands.push(Command::Grant { lane, hold: self.switches, contended: self.holder_told, next });
        commands
    }

    /// Tells `holder` who waits first, introducing the two if need be.
    fn tell_next(&mut self, holder: LaneId) -> Vec<Command> {
        let next = self.queue.front().copied();
        self.told_next = next;
        let mut commands = self.introduce(holder, next);
        commands.push(Command::Contended { lane: holder, hold: self.switches, next });
        commands
    }

    fn introduce(&mut self, lane: LaneId, next: Option<LaneId>) -> Vec<Command> {
        match next {
            Some(next) if next != lane && self.introduced.insert((lane.min(next), lane.max(next))) => {
                vec![Command::Introduce { a: lane, b: next }]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command::*;

    #[test]
    fn a_hand_over_leads_by_a_trip_and_most_of_its_spread() {
        let mut lead = HandOverLead::new();
        assert_eq!(lead.lead_ms(5.0), HandOverLead::FIRST_MS);
        // Firefox-like trips, 0.4-0.8 ms: the lead covers nearly all of them.
        let trips = [0.5, 0.7, 0.4, 0.6, 0.8, 0.5, 0.45, 0.65];
        for _ in 0..20 {
            for trip in trips {
                lead.observe(trip);
            }
        }
        let covered = trips.iter().filter(|t| **t <= lead.lead_ms(5.0)).count();
        assert!(covered >= 7, "a lead of {:.2} ms covers {covered} of 8 trips", lead.lead_ms(5.0));
        assert!(lead.lead_ms(5.0) < 1.0, "{}", lead.lead_ms(5.0));
        // A turn of 1 ms is not spent waiting for its end.
        assert!((lead.lead_ms(1.0) - 0.3).abs() < 1e-9, "{}", lead.lead_ms(1.0));
        // Chromium-like trips bring it back down.
        for _ in 0..100 {
            lead.observe(0.15);
        }
        assert!((lead.lead_ms(5.0) - 0.15).abs() < 0.05, "{}", lead.lead_ms(5.0));
    }

    #[test]
    fn a_hand_over_lead_stays_within_bounds_whatever_the_clocks_say() {
        let mut lead = HandOverLead::new();
        for trip in [f64::NAN, f64::INFINITY, 1e9, 40.0] {
            lead.observe(trip);
        }
        assert_eq!(lead.lead_ms(20.0), HandOverLead::LONGEST_MS);
        for _ in 0..200 {
            lead.observe(-3.0);
        }
        assert_eq!(lead.lead_ms(20.0), HandOverLead::SHORTEST_MS);
    }

    /// The grant among `commands`, if any: (lane, hold, contended, next).
    fn granted(commands: &[Command]) -> Option<(LaneId, u64, bool, Option<LaneId>)> {
        commands.iter().find_map(|c| match *c {
            Grant { lane, hold, contended, next } => Some((lane, hold, contended, next)),
            _ => None,
        })
    }

    #[test]
    fn a_free_gil_is_granted_at_once_uncontended() {
        let mut gil = Arbiter::new();
        assert_eq!(gil.request(1), vec![Grant { lane: 1, hold: 1, contended: false, next: None }]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.request(1), vec![], "the holder asking again changes nothing");
    }

    #[test]
    fn the_holder_is_told_once_that_someone_waits_and_whom_to_hand_to() {
        let mut gil = Arbiter::new();
        gil.request(1);
        assert_eq!(gil.request(2), vec![Introduce { a: 1, b: 2 }, Contended { lane: 1, hold: 1, next: Some(2) }]);
        assert_eq!(gil.request(3), vec![], "told already");
        assert_eq!(gil.holder(), Some(1), "telling is not taking: the holder lets go itself");
        assert_eq!(
            gil.release(1, gil.switches(), None),
            vec![Introduce { a: 2, b: 3 }, Grant { lane: 2, hold: 2, contended: true, next: Some(3) }],
            "lane 3 still waits"
        );
        assert_eq!(
            gil.release(2, gil.switches(), None),
            vec![Grant { lane: 3, hold: 3, contended: false, next: None }]
        );
        assert_eq!(
            gil.request(1),
            vec![Introduce { a: 3, b: 1 }, Contended { lane: 3, hold: 3, next: Some(1) }],
            "a new holder is told afresh"
        );
    }

    #[test]
    fn lanes_are_introduced_once() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        assert_eq!(
            gil.yield_gil(1, gil.switches(), None),
            vec![Grant { lane: 2, hold: 2, contended: true, next: Some(1) }]
        );
        assert_eq!(
            gil.yield_gil(2, gil.switches(), None),
            vec![Grant { lane: 1, hold: 3, contended: true, next: Some(2) }]
        );
    }

    #[test]
    fn a_hand_over_to_the_lane_told_of_is_taken_as_done() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        gil.request(3);
        // Lane 1 hands to 2 itself: no grant goes out; 2 learns who waits behind it.
        assert_eq!(
            gil.yield_gil(1, gil.switches(), Some(2)),
            vec![Introduce { a: 2, b: 3 }, Contended { lane: 2, hold: 2, next: Some(3) }]
        );
        assert_eq!(gil.holder(), Some(2));
        assert_eq!(gil.waiting(), vec![3, 1]);
        assert_eq!(
            gil.yield_gil(2, gil.switches(), Some(3)).last(),
            Some(&Contended { lane: 3, hold: 3, next: Some(1) })
        );
        // A release handed to the last waiter leaves nobody to tell.
        gil.lane_gone(2);
        assert_eq!(gil.release(3, gil.switches(), Some(1)), vec![]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.switches(), 4);
    }

    #[test]
    fn a_hand_over_to_anyone_else_is_not_taken() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        gil.request(3);
        // Lane 1 claims to hand to 3, which it was never told of: the arbiter grants 2.
        assert_eq!(granted(&gil.release(1, gil.switches(), Some(3))), Some((2, 2, true, Some(3))));
        assert_eq!(gil.holder(), Some(2));
        // Only the holder's word counts.
        assert_eq!(gil.release(3, gil.switches(), Some(1)), vec![]);
        assert_eq!(gil.holder(), Some(2));
    }

    #[test]
    fn a_hand_over_to_a_lane_that_went_away_goes_to_the_next_waiter() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        gil.request(3);
        // Lane 2 goes while 1 holds: 1 is told to hand to 3 now.
        assert_eq!(gil.lane_gone(2), vec![Introduce { a: 1, b: 3 }, Contended { lane: 1, hold: 1, next: Some(3) }]);
        // Had 1 already handed to 2 (its message crossed), the arbiter grants 3 itself.
        assert_eq!(granted(&gil.yield_gil(1, gil.switches(), Some(2))), Some((3, 2, true, Some(1))));
        // The last waiter going leaves the holder with nobody to hand to.
        assert_eq!(gil.lane_gone(1), vec![Contended { lane: 3, hold: 2, next: None }]);
        assert_eq!(
            gil.yield_gil(3, gil.switches(), None),
            vec![Grant { lane: 3, hold: 3, contended: false, next: None }]
        );
    }

    #[test]
    fn a_yield_hands_the_gil_to_the_first_waiter_and_queues_the_holder_behind() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        assert_eq!(granted(&gil.yield_gil(1, gil.switches(), None)), Some((2, 2, true, Some(1))));
        assert_eq!(gil.waiting(), vec![1]);
        assert_eq!(granted(&gil.yield_gil(2, gil.switches(), None)), Some((1, 3, true, Some(2))));
        // Alone, a yield gives the GIL straight back, with nobody waiting.
        gil.lane_gone(2);
        assert_eq!(
            gil.yield_gil(1, gil.switches(), None),
            vec![Grant { lane: 1, hold: 4, contended: false, next: None }]
        );
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
            let Some((lane, ..)) = granted(&gil.release(holder, gil.switches(), None)) else {
                panic!("no grant after {holder}");
            };
            holder = lane;
            order.push(holder);
        }
        assert_eq!(order, vec![2, 5, 1]);
        assert_eq!(gil.switches(), 4);
        assert_eq!(gil.release(1, gil.switches(), None), vec![]);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn only_the_holder_can_release() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        assert_eq!(gil.release(2, gil.switches(), None), vec![]);
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.waiting(), vec![2]);
    }

    #[test]
    fn a_dead_waiter_leaves_the_queue_and_a_dead_holder_frees_the_gil() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        gil.request(3);
        assert_eq!(gil.lane_gone(2), vec![Introduce { a: 1, b: 3 }, Contended { lane: 1, hold: 1, next: Some(3) }]);
        assert_eq!(gil.waiting(), vec![3]);
        assert_eq!(gil.lane_gone(1), vec![Grant { lane: 3, hold: 2, contended: false, next: None }]);
        assert_eq!(gil.lane_gone(3), vec![]);
        assert_eq!(gil.holder(), None);
    }

    #[test]
    fn a_let_go_that_overtakes_its_hand_over_waits_for_it() {
        let mut gil = Arbiter::new();
        gil.request(1);
        gil.request(2);
        // 1 hands hold 2 to 2; 2 runs its interval, knows no one to hand to,
        // and yields through the arbiter before 1's word of the hand-over comes.
        assert_eq!(gil.yield_gil(2, 2, None), vec![]);
        assert_eq!(gil.holder(), Some(1));
        // Then it comes: 2 held hold 2 and has let go of it since, so 1 (waiting) gets hold 3.
        assert_eq!(granted(&gil.yield_gil(1, 1, Some(2))), Some((1, 3, true, Some(2))));
        assert_eq!(gil.holder(), Some(1));
        assert_eq!(gil.waiting(), vec![2]);
    }

    /// The lanes and the arbiter as separate parties whose messages arrive in
    /// any order across ports (in order along each): whatever the order, at
    /// most one lane runs, and once the lanes stop asking every waiter has
    /// been served.
    #[test]
    fn one_holder_at_a_time_and_no_one_left_waiting_under_any_interleaving() {
        use crate::model::random::Random;
        use std::collections::BTreeMap;

        #[derive(Debug, Clone, Copy)]
        enum ToArbiter {
            Request,
            LetGo { hold: u64, handed_to: Option<LaneId>, again: bool },
        }
        #[derive(Debug, Clone, Copy)]
        enum ToLane {
            Granted { hold: u64, next: Option<LaneId> },
            Contended { hold: u64, next: Option<LaneId> },
        }
        /// A lane as the worker keeps it (`Lease` in `runtime::worker_entry`).
        #[derive(Debug, Default)]
        struct Lane {
            waiting: bool,
            running: bool,
            hold: u64,
            next: Option<LaneId>,
            early: Option<(u64, Option<LaneId>)>,
            /// Messages from the arbiter, and grants from other lanes.
            inbox: VecDeque<ToLane>,
            peers: VecDeque<ToLane>,
            /// Its messages to the arbiter.
            outbox: VecDeque<ToArbiter>,
        }
        impl Lane {
            fn receive(&mut self, message: ToLane, id: LaneId, seed: i128) {
                match message {
                    // A hold granted twice (by its last holder, which then died, and
                    // by the arbiter) is taken once.
                    ToLane::Granted { hold, .. } if hold <= self.hold => {}
                    ToLane::Granted { hold, next, .. } => {
                        assert!(
                            self.waiting && !self.running,
                            "seed {seed}: lane {id} granted hold {hold} while not waiting"
                        );
                        self.hold = hold;
                        self.next = next;
                        self.waiting = false;
                        self.running = true;
                        if let Some((early, next)) = self.early.take() {
                            if early == hold {
                                self.next = next;
                            } else if early > hold {
                                self.early = Some((early, next));
                            }
                        }
                    }
                    ToLane::Contended { hold, next } => {
                        if hold == self.hold {
                            self.next = next;
                        } else if hold > self.hold {
                            self.early = Some((hold, next));
                        }
                    }
                }
            }
        }

        const SEEDS: i128 = 500;
        for seed in 0..SEEDS {
            let mut random = Random::seed(seed);
            let mut pick = |n: usize| random.randint(0, n as i64 - 1) as usize;
            let mut gil = Arbiter::new();
            let mut lanes: BTreeMap<LaneId, Lane> = (1..=4).map(|id| (id, Lane::default())).collect();
            let steps = 200;
            for step in 0.. {
                let settling = step >= steps;
                let ids: Vec<LaneId> = lanes.keys().copied().collect();
                let id = ids[pick(ids.len())];
                let choice = pick(40);
                let lane = lanes.get_mut(&id).expect("picked from the keys");
                let mut handed = None;
                let mut from_arbiter = Vec::new();
                match choice {
                    // Ask for the GIL (not once settling).
                    0 | 1 | 9..=14 if !settling && !lane.waiting && !lane.running => {
                        lane.waiting = true;
                        lane.outbox.push_back(ToArbiter::Request);
                    }
                    // Let go, handing over where a next lane is known; half the time ask again.
                    2 | 3 | 15..=20 if lane.running => {
                        let again = !settling && choice % 2 == 0;
                        let handed_to = lane.next.take();
                        lane.running = false;
                        lane.waiting = again;
                        lane.outbox.push_back(ToArbiter::LetGo { hold: lane.hold, handed_to, again });
                        handed = handed_to.map(|to| (to, ToLane::Granted { hold: lane.hold + 1, next: None }));
                    }
                    // A message reaches the arbiter.
                    4 | 5 | 21..=30 => {
                        let commands = match lane.outbox.pop_front() {
                            Some(ToArbiter::Request) => gil.request(id),
                            Some(ToArbiter::LetGo { hold, handed_to, again: true }) => {
                                gil.yield_gil(id, hold, handed_to)
                            }
                            Some(ToArbiter::LetGo { hold, handed_to, again: false }) => {
                                gil.release(id, hold, handed_to)
                            }
                            None => Vec::new(),
                        };
                        from_arbiter = commands;
                    }
                    // A message reaches the lane.
                    6 | 31..=34 => {
                        if let Some(message) = lane.inbox.pop_front() {
                            lane.receive(message, id, seed);
                        }
                    }
                    7 | 35..=39 => {
                        if let Some(message) = lane.peers.pop_front() {
                            lane.receive(message, id, seed);
                        }
                    }
                    // Now and then a lane's worker dies: what it sent and was sent is lost.
                    8 if ids.len() > 1 => {
                        lanes.remove(&id);
                        from_arbiter = gil.lane_gone(id);
                    }
                    _ => {}
                }
                for command in from_arbiter {
                    let (to, message) = match command {
                        Grant { lane, hold, next, .. } => (lane, ToLane::Granted { hold, next }),
                        Contended { lane, hold, next } => (lane, ToLane::Contended { hold, next }),
                        Introduce { .. } => continue,
                    };
                    if let Some(lane) = lanes.get_mut(&to) {
                        lane.inbox.push_back(message);
                    }
                }
                if let Some((to, grant)) = handed {
                    if let Some(lane) = lanes.get_mut(&to) {
                        lane.peers.push_back(grant);
                    }
                }
                let running: Vec<LaneId> = lanes.iter().filter(|(_, l)| l.running).map(|(id, _)| *id).collect();
                assert!(running.len() <= 1, "seed {seed} step {step}: lanes {running:?} all run");
                let quiet = lanes.values().all(|l| l.inbox.is_empty() && l.peers.is_empty() && l.outbox.is_empty());
                if settling && quiet && running.is_empty() {
                    let waiting: Vec<LaneId> = lanes.iter().filter(|(_, l)| l.waiting).map(|(id, _)| *id).collect();
                    assert!(waiting.is_empty(), "seed {seed}: lanes {waiting:?} wait for a GIL no one holds");
                    assert_eq!(gil.holder(), None, "seed {seed}");
                    break;
                }
                assert!(step < steps * 50, "seed {seed}: never settled: {lanes:?}");
            }
        }
    }
}
