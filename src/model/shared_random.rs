//! `random`'s global state as a run's threads share it: one generator, drawn
//! from in the order the draws happen, whichever thread draws.

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

/// A run's `random` module.
pub struct SharedRandom {
    random: Random,
    draws: Vec<Draw>,
}

impl SharedRandom {
    /// `random.seed(seed)`, with no draws yet.
    pub fn seed(seed: i128) -> Self {
        SharedRandom { random: Random::seed(seed), draws: Vec::new() }
    }

    /// `random.randint(lo, hi)` on behalf of `lane`.
    pub fn randint(&mut self, lane: LaneId, lo: i64, hi: i64) -> Result<i64, PyException> {
        if lo.abs() > LARGEST_BOUND || hi.abs() > LARGEST_BOUND {
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
        assert!(random.draws().is_empty());
        assert_eq!(random.randint(1, 5, 5), Ok(5));
    }
}
