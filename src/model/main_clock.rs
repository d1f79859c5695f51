//! When the page's MainThread does what it does, in a run's time: the page
//! plays Python's main thread, but it also draws the run, which CPython's
//! main thread never does. When a worker wakes it (a thread it joined ended,
//! a call it waited for returned), Python carries on when that worker's
//! report says, not when the page got round to the report (a frame of a run
//! with many lanes takes 20-30 ms): until it waits again, the main thread's
//! doings are stamped at the report's time.

/// The main thread's clock, on the page's clock (milliseconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MainClock {
    /// The latest time a worker's report was stamped with.
    latest_report_at: f64,
    /// Where the main thread's events are stamped while it carries on after
    /// a wait a worker ended.
    cursor: Option<f64>,
}

impl Default for MainClock {
    fn default() -> Self {
        MainClock { latest_report_at: f64::NEG_INFINITY, cursor: None }
    }
}

impl MainClock {
    /// A worker's report, stamped `at_ms` (its own clock, made the page's).
    pub fn reported(&mut self, at_ms: f64) {
        if at_ms.is_finite() {
            self.latest_report_at = self.latest_report_at.max(at_ms);
        }
    }

    /// The main thread's time now, the page's clock reading `now_ms`.
    pub fn now(&self, now_ms: f64) -> f64 {
        self.cursor.map_or(now_ms, |cursor| cursor.min(now_ms))
    }

    /// The main thread woke from a wait it began at `since_ms`: if a report
    /// came since (or was there as it began: the call was done when waited
    /// for), it carries on at that report's time, until [`Self::waits_again`].
    /// A wait that ends with no report since (a timeout) is not one of these.
    /// Whether the main thread's time moved back.
    pub fn woke(&mut self, since_ms: f64, now_ms: f64) -> bool {
        let woke = self.latest_report_at;
        let by_a_report = woke >= since_ms && woke < now_ms;
        if by_a_report {
            self.cursor = Some(woke);
        }
        by_a_report
    }

    /// The main thread waits again (or its turn of the page ended).
    pub fn waits_again(&mut self) {
        self.cursor = None;
    }

    /// When a child's last words, told by the page, were said: when the
    /// report that told them was stamped, so that what the parent prints on
    /// learning of the death (stamped the same way) comes after them.
    pub fn told_at(&self, now_ms: f64) -> f64 {
        if self.latest_report_at.is_finite() {
            self.latest_report_at.min(now_ms)
        } else {
            now_ms
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn woken_by_a_report_the_main_thread_carries_on_at_its_time_until_it_waits_again() {
        let mut clock = MainClock::default();
        assert_eq!(clock.now(10.0), 10.0);
        // A join begins at 10; the thread's end is stamped 40; the page gets to it at 65.
        clock.reported(40.0);
        assert!(clock.woke(10.0, 65.0));
        assert_eq!(clock.now(65.0), 40.0);
        assert_eq!(clock.now(66.0), 40.0, "still the report's time while it carries on");
        clock.waits_again();
        assert_eq!(clock.now(70.0), 70.0);
    }

    #[test]
    fn a_timeout_or_an_old_report_does_not_move_the_main_thread_back() {
        let mut clock = MainClock::default();
        clock.reported(5.0);
        // A sleep from 10 to 20 with no report since.
        assert!(!clock.woke(10.0, 20.0));
        assert_eq!(clock.now(20.0), 20.0);
        // A report stamped at the wait's start: the call was done when waited for.
        clock.reported(20.0);
        assert!(clock.woke(20.0, 25.0));
        assert_eq!(clock.now(25.0), 20.0);
        // Reports never move the latest time back, nor take a NaN.
        clock.reported(f64::NAN);
        clock.reported(3.0);
        assert_eq!(clock.told_at(30.0), 20.0);
    }

    #[test]
    fn last_words_are_said_when_their_report_was_stamped_never_later_than_now() {
        let mut clock = MainClock::default();
        assert_eq!(clock.told_at(7.0), 7.0, "no report yet: now");
        clock.reported(12.0);
        assert_eq!(clock.told_at(50.0), 12.0);
        assert_eq!(clock.told_at(11.0), 11.0);
    }
}
