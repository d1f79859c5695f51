//! `random`'s global state as a run's threads share it: one generator, drawn
//! from in the order the draws happen, whichever thread draws.
//!
//! Threads that `sleep(randint(...))` draw when they wake. In CPython, threads
//! due at the same instant wake in the order they were started, and a thread
//! due earlier draws earlier. On the page, a worker's request may arrive out
//! of that order (timers fire late, messages from two workers race), so the
//! lanes that take part say when they are next due, and a request is served
//! only once no other taking part is due before it.

use super::pyvalue::PyException;
use super::random::Random;
use super::trace::LaneId;

/// The largest magnitude a bound may have: a draw crosses to a worker as a
/// JavaScript number, exact only up to 2**53.
const LARGEST_BOUND: i64 = (1 << 53) - 1;

/// One `randint` a lane drew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draw {
    pub lane: LaneId,
    pub lo: i64,
    pub hi: i64,
    pub value: i64,
}

/// A lane's `sleep(randint(lo, hi))`, asked for when the lane wakes at
/// `due_ms` (page clock; the instant its previous sleep was due to end):
/// the sleep it draws ends `value * ms_per_second` later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawRequest {
    pub lo: i64,
    pub hi: i64,
    pub due_ms: f64,
    pub ms_per_second: f64,
}

/// What a draw gives its lane: the value, or what `randint` raised.
pub type Drawn = (LaneId, Result<i64, PyException>);

/// Two due times this close are one Python instant: the same seconds added
/// up in another order may differ in their last bits.
const SAME_INSTANT_MS: f64 = 1e-6;

/// A lane that draws in due order.
#[derive(Debug, Clone, Copy)]
struct Participant {
    lane: LaneId,
    /// When it will next ask, at the earliest.
    next_due_ms: f64,
    /// Its request, held until no other lane is due before it.
    waiting: Option<DrawRequest>,
}

/// A run's `random` module.
pub struct SharedRandom {
    random: Random,
    draws: Vec<Draw>,
    participants: Vec<Participant>,
}

/// Whether lane `a`, due at `a_ms`, draws before lane `b`, due at `b_ms`:
/// at one instant, the lane started first (the lower id) goes first.
fn before((a_ms, a): (f64, LaneId), (b_ms, b): (f64, LaneId)) -> bool {
    if (a_ms - b_ms).abs() <= SAME_INSTANT_MS {
        a < b
    } else {
        a_ms < b_ms
    }
}

impl SharedRandom {
    /// `random.seed(seed)`, with no draws yet.
    pub fn seed(seed: i128) -> Self {
        SharedRandom { random: Random::seed(seed), draws: Vec::new(), participants: Vec::new() }
    }

    /// `lane` draws in due order from now on; its first draw is due at
    /// `first_due_ms` or later.
    pub fn join(&mut self, lane: LaneId, first_due_ms: f64) {
        self.participants.retain(|p| p.lane != lane);
        self.participants.push(Participant { lane, next_due_ms: first_due_ms, waiting: None });
    }

    /// `lane` ended: it holds nobody back any more. Returns the draws that
    /// were waiting for it and are served now.
    pub fn leave(&mut self, lane: LaneId) -> Vec<Drawn> {
        self.participants.retain(|p| p.lane != lane);
        self.serve_due()
    }

    /// `lane` asks for a draw. Returns the draws served now, in order: none
    /// if a lane due earlier has yet to ask, several if this request was the
    /// one they waited for. A lane that did not join is served at once.
    pub fn request(&mut self, lane: LaneId, request: DrawRequest) -> Vec<Drawn> {
        let Some(participant) = self.participants.iter_mut().find(|p| p.lane == lane) else {
            return vec![(lane, self.randint(lane, request.lo, request.hi))];
        };
        participant.waiting = Some(request);
        self.serve_due()
    }

    /// Serves waiting requests, earliest due first, while no lane that has
    /// not asked yet is due before the earliest.
    fn serve_due(&mut self) -> Vec<Drawn> {
        let mut served = Vec::new();
        loop {
            let earliest = self
                .participants
                .iter()
                .filter_map(|p| p.waiting.map(|r| (r.due_ms, p.lane)))
                .reduce(|a, b| if before(b, a) { b } else { a });
            let Some((due_ms, lane)) = earliest else {
                break;
            };
            let held = self
                .participants
                .iter()
                .any(|p| p.waiting.is_none() && before((p.next_due_ms, p.lane), (due_ms, lane)));
            if held {
                break;
            }
            let Some(index) = self.participants.iter().position(|p| p.lane == lane) else {
                break;
            };
            let Some(request) = self.participants[index].waiting.take() else {
                break;
            };
            let value = self.randint(lane, request.lo, request.hi);
            let seconds = value.as_ref().map_or(0, |v| *v);
            self.participants[index].next_due_ms = request.due_ms + seconds as f64 * request.ms_per_second;
            served.push((lane, value));
        }
        served
    }

    /// `random.randint(lo, hi)` on behalf of `lane`.
    pub fn randint(&mut self, lane: LaneId, lo: i64, hi: i64) -> Result<i64, PyException> {
        let bounds = -LARGEST_BOUND..=LARGEST_BOUND;
        if !bounds.contains(&lo) || !bounds.contains(&hi) {
            return Err(PyException::new("OverflowError", "randint's bounds must lie within ±2**53 here"));
        }
        if hi < lo {
            return Err(PyException::new("ValueError", format!("empty range in randrange({lo}, {})", hi + 1)));
        }
        let value = self.random.randint(lo, hi);
        self.draws.push(Draw { lane, lo, hi, value });
        Ok(value)
    }

    /// Every draw so far, in the order they were made.
    pub fn draws(&self) -> &[Draw] {
        &self.draws
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_share_one_sequence_in_the_order_they_draw() {
        // CPython: random.seed(42); [random.randint(1, 3) for _ in range(4)] == [3, 1, 1, 3]
        let mut random = SharedRandom::seed(42);
        let values: Vec<i64> = [1, 2, 1, 3].into_iter().map(|lane| random.randint(lane, 1, 3).unwrap_or(0)).collect();
        assert_eq!(values, vec![3, 1, 1, 3]);
        let lanes: Vec<LaneId> = random.draws().iter().map(|d| d.lane).collect();
        assert_eq!(lanes, vec![1, 2, 1, 3]);
        assert_eq!(random.draws()[1], Draw { lane: 2, lo: 1, hi: 3, value: 1 });
    }

    #[test]
    fn a_reseed_starts_the_sequence_again() {
        let mut a = SharedRandom::seed(7);
        let first: Vec<i64> = (0..5).map(|_| a.randint(1, 0, 100).unwrap_or(-1)).collect();
        let mut b = SharedRandom::seed(7);
        let again: Vec<i64> = (0..5).map(|_| b.randint(2, 0, 100).unwrap_or(-1)).collect();
        assert_eq!(first, again);
        assert!(first.iter().all(|v| (0..=100).contains(v)));
    }

    #[test]
    fn bad_bounds_raise_as_python_would_and_draw_nothing() {
        let mut random = SharedRandom::seed(0);
        let error = random.randint(1, 3, 1).err();
        assert_eq!(error, Some(PyException::new("ValueError", "empty range in randrange(3, 2)")));
        assert_eq!(random.randint(1, 0, i64::MAX).err().map(|e| e.type_name), Some("OverflowError".into()));
        assert_eq!(random.randint(1, i64::MIN, 0).err().map(|e| e.type_name), Some("OverflowError".into()));
        assert!(random.draws().is_empty());
        assert_eq!(random.randint(1, 5, 5), Ok(5));
    }

    fn sleep_randint(due_ms: f64) -> DrawRequest {
        DrawRequest { lo: 1, hi: 3, due_ms, ms_per_second: 1000.0 }
    }

    /// (lane, value) of each draw served.
    fn values(served: Vec<Drawn>) -> Vec<(LaneId, i64)> {
        served.into_iter().map(|(lane, value)| (lane, value.unwrap_or(-1))).collect()
    }

    #[test]
    fn threads_due_together_draw_in_start_order_whichever_asks_first() {
        // random.seed(42): 3, 1, 1, 3, ...
        let mut random = SharedRandom::seed(42);
        random.join(1, 0.0);
        random.join(2, 0.0);
        assert_eq!(values(random.request(2, sleep_randint(0.0))), vec![], "Thread-1 is due at the same instant");
        assert_eq!(values(random.request(1, sleep_randint(0.0))), vec![(1, 3), (2, 1)]);
    }

    #[test]
    fn a_lane_due_earlier_draws_first_even_if_its_timer_fires_late() {
        let mut random = SharedRandom::seed(42);
        random.join(1, 0.0);
        random.join(2, 0.0);
        random.request(1, sleep_randint(0.0));
        random.request(2, sleep_randint(0.0));
        // Lane 1 slept 3 s (due at 3000), lane 2 1 s (due at 1000). Lane 2's
        // timer is late: lane 1's request comes first and waits for it.
        assert_eq!(values(random.request(1, sleep_randint(3000.0))), vec![]);
        // Lane 2 draws 1 at 1000: due again at 2000, still before lane 1.
        assert_eq!(values(random.request(2, sleep_randint(1000.0))), vec![(2, 1)]);
        // Lane 2 at 2000 draws 3 (due again at 5000); now lane 1 goes.
        assert_eq!(values(random.request(2, sleep_randint(2000.0))), vec![(2, 3), (1, 2)]);
        let lanes: Vec<LaneId> = random.draws().iter().map(|d| d.lane).collect();
        assert_eq!(lanes, vec![1, 2, 2, 2, 1]);
    }

    #[test]
    fn one_instant_reached_by_different_sums_is_a_tie_won_by_the_first_started() {
        let mut random = SharedRandom::seed(42);
        let start = 8.21;
        // Lane 1 is due at start + 0.1 s + 0.2 s, lane 2 at start + 0.3 s:
        // in floating point the first sum is the larger, in Python time equal.
        let (one, two) = ((start + 100.0) + 200.0, start + 300.0);
        assert!(one > two);
        random.join(1, one);
        random.join(2, two);
        assert_eq!(values(random.request(2, sleep_randint(two))), vec![]);
        assert_eq!(values(random.request(1, sleep_randint(one))), vec![(1, 3), (2, 1)]);
    }

    #[test]
    fn a_lane_that_ends_holds_nobody_back() {
        let mut random = SharedRandom::seed(42);
        random.join(1, 0.0);
        random.join(2, 500.0);
        assert_eq!(values(random.request(2, sleep_randint(500.0))), vec![]);
        assert_eq!(values(random.leave(1)), vec![(2, 3)]);
        // Alone, it is served at once.
        assert_eq!(values(random.request(2, sleep_randint(3500.0))), vec![(2, 1)]);
    }

    #[test]
    fn a_lane_that_did_not_join_is_served_at_once_and_bad_bounds_still_answer() {
        let mut random = SharedRandom::seed(42);
        random.join(1, 0.0);
        assert_eq!(values(random.request(5, sleep_randint(900.0))), vec![(5, 3)]);
        let served = random.request(1, DrawRequest { lo: 3, hi: 1, due_ms: 0.0, ms_per_second: 1000.0 });
        assert_eq!(served.len(), 1);
        assert_eq!(served[0].1.as_ref().map_err(|e| e.type_name.clone()), Err("ValueError".to_owned()));
    }
}
