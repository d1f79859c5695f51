//! A thread's hold on the message-based GIL, as its worker keeps it: the
//! number of its hold, how long it may keep the GIL once someone waits, whom
//! to hand it to, and how far ahead of its end to hand it over. The worker
//! reads its clocks and passes them in: `now_ms` is its own clock (a lease's
//! end is timed on it), `page_ms` the page's (grants are sent and stamped on it).

use std::cell::Cell;

use super::gil::HandOverLead;
use super::trace::LaneId;

/// A grant of the GIL, as `ToWorker::GilGranted` carries it: hold `hold` is
/// the lane's; `contended`: others wait, `next` (if known) first; `after_ms`:
/// when the last holder let go (its clock); `sent_ms`: when the last holder
/// sent it (page clock), `None` where it came from the arbiter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grant {
    pub hold: u64,
    pub contended: bool,
    pub after_ms: f64,
    pub next: Option<LaneId>,
    pub sent_ms: Option<f64>,
}

/// How long the holder of the message-based GIL may keep it, and to whom it goes next.
#[derive(Debug)]
pub struct Lease {
    switch_interval_ms: f64,
    /// When it must let go (own clock): set once someone waits.
    ends_at: Cell<Option<f64>>,
    /// When the last holder let go, on its clock (see `ToWorker::GilGranted`).
    granted_after: Cell<f64>,
    /// The number of the last hold granted to this lane.
    hold: Cell<u64>,
    /// Whom to hand the GIL to when letting go, if the arbiter said.
    next: Cell<Option<LaneId>>,
    /// A contention notice for a hold whose grant has not come yet: it came
    /// from the arbiter, the grant straight from the last holder.
    early: Cell<Option<(u64, Option<LaneId>)>>,
    /// The next hold, handed over ahead: to whom, and when (page clock) its
    /// turn starts, which is when this one ends.
    handed: Cell<Option<(LaneId, f64)>>,
    /// How long before the lease ends to hand over: a grant's trip, as the
    /// grants this lane was handed took.
    lead: Cell<HandOverLead>,
    /// When this lane last asked the arbiter for the GIL (page clock), until
    /// the grant comes.
    asked_ms: Cell<Option<f64>>,
    /// How long before a sleep ends to ask for the GIL: the round trip of the
    /// arbiter's answers to asks for a free GIL, estimated as `lead` is.
    ask_lead: Cell<HandOverLead>,
    /// This worker's clock moves in steps too coarse to time a hand-over ahead
    /// by (Firefox's 1 ms where the page is not cross-origin isolated): the
    /// GIL is handed over as the lease ends, and taken as the grant comes.
    coarse_clock: bool,
}

impl Lease {
    pub fn new(switch_interval_ms: f64, coarse_clock: bool) -> Lease {
        Lease {
            switch_interval_ms,
            ends_at: Cell::new(None),
            granted_after: Cell::new(0.0),
            hold: Cell::new(0),
            next: Cell::new(None),
            early: Cell::new(None),
            handed: Cell::new(None),
            lead: Cell::new(HandOverLead::new()),
            asked_ms: Cell::new(None),
            ask_lead: Cell::new(HandOverLead::new()),
            coarse_clock,
        }
    }

    /// The number of the lane's last hold.
    pub fn hold(&self) -> u64 {
        self.hold.get()
    }

    /// When the last holder let go (its clock, as it stamped it).
    pub fn granted_after(&self) -> f64 {
        self.granted_after.get()
    }

    pub fn coarse_clock(&self) -> bool {
        self.coarse_clock
    }

    /// A grant came (at `now_ms` on this worker's clock, `page_ms` on the
    /// page's): from the arbiter, or from the last holder. Returns `false` for
    /// a hold already had (granted twice: by a last holder that then died,
    /// and by the arbiter); holds only go up. The grant's trip teaches how
    /// far ahead to hand over, and the arbiter's answer to an ask for a GIL
    /// let go before it (granted at once) how far ahead to ask.
    pub fn grant(&self, grant: Grant, now_ms: f64, page_ms: f64) -> bool {
        let Grant { hold, contended, after_ms, next, sent_ms } = grant;
        if hold <= self.hold.get() {
            return false;
        }
        if let Some(sent_ms) = sent_ms {
            let mut lead = self.lead.get();
            lead.observe(page_ms - sent_ms);
            self.lead.set(lead);
        }
        match (sent_ms, self.asked_ms.take()) {
            (None, Some(asked_ms)) if after_ms <= asked_ms => {
                let mut ask_lead = self.ask_lead.get();
                ask_lead.observe(page_ms - asked_ms);
                self.ask_lead.set(ask_lead);
            }
            _ => {}
        }
        self.ends_at.set(None);
        self.handed.set(None);
        self.granted_after.set(after_ms);
        self.hold.set(hold);
        self.next.set(next);
        if contended {
            self.contended(now_ms);
        }
        if let Some((early, next)) = self.early.take() {
            if early == hold {
                self.told(hold, next, now_ms);
            } else if early > hold {
                self.early.set(Some((early, next)));
            }
        }
        true
    }

    /// Someone waits for hold `hold`, and `next` is first in line. A notice
    /// for an older hold is stale; one for a hold not yet granted waits for it.
    pub fn told(&self, hold: u64, next: Option<LaneId>, now_ms: f64) {
        if hold == self.hold.get() {
            self.contended(now_ms);
            self.next.set(next);
        } else if hold > self.hold.get() {
            self.early.set(Some((hold, next)));
        }
    }

    /// Someone waits: the holder lets go a switch interval from now.
    fn contended(&self, now_ms: f64) {
        if self.ends_at.get().is_none() {
            self.ends_at.set(Some(now_ms + self.switch_interval_ms));
        }
    }

    /// The switch interval is over, and someone waits.
    pub fn over(&self, now_ms: f64) -> bool {
        self.ends_at.get().is_some_and(|at| now_ms >= at)
    }

    /// The turn starts now (a grant handed over ahead is waited out first):
    /// a lease already contended runs a whole switch interval from here.
    pub fn begin_turn(&self, now_ms: f64) {
        if self.ends_at.get().is_some() {
            self.ends_at.set(Some(now_ms + self.switch_interval_ms));
        }
    }

    /// The lane lets go, or asks for the GIL: no lease runs.
    pub fn end(&self) {
        self.ends_at.set(None);
    }

    /// The holder still listens for word of a waiter and of whom to hand to
    /// next (a grant from the last holder says someone waits, not who: the
    /// arbiter's word follows it). Once it knows, it times its lease itself.
    pub fn listens(&self) -> bool {
        self.ends_at.get().is_none() || (self.next.get().is_none() && self.handed.get().is_none())
    }

    /// When to hand over ahead (own clock): a grant's trip before the lease
    /// ends, or as it ends where the clock is coarse; `None` while no one
    /// waits, or once handed over.
    pub fn hand_over_from(&self) -> Option<f64> {
        let ends_at = self.ends_at.get()?;
        if self.handed.get().is_some() {
            return None;
        }
        let lead = if self.coarse_clock { 0.0 } else { self.lead.get().lead_ms(self.switch_interval_ms) };
        Some(ends_at - lead)
    }

    /// When the lease ends (own clock), once someone waits.
    pub fn ends_at(&self) -> Option<f64> {
        self.ends_at.get()
    }

    /// Whom to hand the next hold to, taken: the arbiter named them.
    pub fn take_next(&self) -> Option<LaneId> {
        self.next.take()
    }

    /// The next hold went to `to` ahead, its turn to start at `at_ms` (page clock).
    pub fn handed_over(&self, to: LaneId, at_ms: f64) {
        self.handed.set(Some((to, at_ms)));
    }

    /// Whether this turn was handed over ahead.
    pub fn is_handed(&self) -> bool {
        self.handed.get().is_some()
    }

    /// The hand-over ahead, if there was one, taken as the turn ends.
    pub fn take_handed(&self) -> Option<(LaneId, f64)> {
        self.handed.take()
    }

    /// The lane asks the arbiter for the GIL at `page_ms`.
    pub fn asked(&self, page_ms: f64) {
        self.end();
        self.asked_ms.set(Some(page_ms));
    }

    /// How long before a sleep ends to ask for the GIL.
    pub fn ask_lead_ms(&self) -> f64 {
        self.ask_lead.get().lead_ms(self.switch_interval_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(hold: u64, contended: bool, after_ms: f64, next: Option<LaneId>, sent_ms: Option<f64>) -> Grant {
        Grant { hold, contended, after_ms, next, sent_ms }
    }

    fn lease() -> Lease {
        Lease::new(5.0, false)
    }

    #[test]
    fn a_lease_runs_a_switch_interval_from_when_someone_waits() {
        let l = lease();
        assert!(l.grant(grant(1, false, 0.0, None, None), 10.0, 10.0));
        assert!(!l.over(1_000.0), "no one waits: the holder keeps the GIL");
        assert_eq!(l.hand_over_from(), None);
        l.told(1, Some(3), 12.0);
        assert_eq!(l.ends_at(), Some(17.0));
        assert!(!l.over(16.9));
        assert!(l.over(17.0));
        // A second notice does not push the end back.
        l.told(1, Some(3), 14.0);
        assert_eq!(l.ends_at(), Some(17.0));
        assert_eq!(l.take_next(), Some(3));
    }

    #[test]
    fn a_contended_grant_starts_the_lease_and_a_turn_restarts_it() {
        let l = lease();
        l.grant(grant(1, true, 0.0, Some(2), None), 10.0, 10.0);
        assert_eq!(l.ends_at(), Some(15.0));
        // The grant came ahead: the turn begins when the last one ends.
        l.begin_turn(11.0);
        assert_eq!(l.ends_at(), Some(16.0));
        l.end();
        assert_eq!(l.ends_at(), None);
        l.begin_turn(20.0);
        assert_eq!(l.ends_at(), None, "a lease no one waits for is not started by a turn");
    }

    #[test]
    fn holds_only_go_up_and_a_stale_notice_is_ignored() {
        let l = lease();
        assert!(l.grant(grant(2, false, 1.0, None, None), 0.0, 0.0));
        assert!(!l.grant(grant(2, true, 9.0, Some(5), None), 0.0, 0.0), "the same hold granted twice is taken once");
        assert!(!l.grant(grant(1, true, 9.0, Some(5), None), 0.0, 0.0));
        assert_eq!((l.hold(), l.granted_after(), l.ends_at()), (2, 1.0, None));
        l.told(1, Some(5), 0.0);
        assert_eq!(l.ends_at(), None, "a notice about an older hold is stale");
        assert_eq!(l.take_next(), None);
    }

    #[test]
    fn a_notice_that_comes_before_its_grant_waits_for_it() {
        let l = lease();
        l.grant(grant(1, false, 0.0, None, None), 0.0, 0.0);
        // The arbiter says someone waits for hold 2 before the last holder's grant of it arrives.
        l.told(2, Some(4), 1.0);
        assert_eq!(l.ends_at(), None);
        l.grant(grant(2, false, 2.0, None, Some(2.0)), 3.0, 3.0);
        assert_eq!(l.ends_at(), Some(8.0));
        assert_eq!(l.take_next(), Some(4));
        // One about a later hold still waits.
        l.told(4, Some(1), 4.0);
        l.grant(grant(3, false, 5.0, None, None), 5.0, 5.0);
        assert_eq!(l.ends_at(), None);
        l.grant(grant(4, false, 6.0, None, None), 6.0, 6.0);
        assert_eq!((l.ends_at(), l.take_next()), (Some(11.0), Some(1)));
    }

    #[test]
    fn the_hand_over_ahead_is_a_learned_trip_before_the_end_or_at_it_on_a_coarse_clock() {
        let l = lease();
        l.grant(grant(1, true, 0.0, Some(2), None), 0.0, 0.0);
        let first = l.hand_over_from().unwrap_or(f64::NAN);
        assert!((first - (5.0 - HandOverLead::FIRST_MS)).abs() < 1e-9, "{first}");
        // Grants from the last holder that took 0.2 ms each.
        for hold in 2..40 {
            l.grant(grant(hold, true, 0.0, Some(2), Some(100.0)), 0.0, 100.2);
        }
        let learned = 5.0 - l.hand_over_from().unwrap_or(f64::NAN);
        assert!(learned > 0.15 && learned < 0.3, "lead {learned}");
        l.handed_over(2, 4.9);
        assert!(l.is_handed());
        assert_eq!(l.hand_over_from(), None, "handed over once");
        assert_eq!(l.take_handed(), Some((2, 4.9)));

        let coarse = Lease::new(5.0, true);
        coarse.grant(grant(1, true, 0.0, Some(2), Some(0.0)), 0.0, 0.7);
        assert_eq!(coarse.hand_over_from(), Some(5.0));
        assert!(coarse.coarse_clock());
    }

    #[test]
    fn asks_learn_their_lead_only_from_the_arbiter_s_grant_of_a_free_gil() {
        let l = lease();
        let first = l.ask_lead_ms();
        // Granted at once: the GIL was let go before the ask.
        l.asked(10.0);
        l.grant(grant(1, false, 9.0, None, None), 0.0, 10.9);
        let after_one = l.ask_lead_ms();
        assert!(after_one > first, "{first} -> {after_one}");
        // Granted when its holder let go, after the ask: a wait, not a trip.
        l.asked(20.0);
        l.grant(grant(2, false, 25.0, None, None), 0.0, 25.3);
        assert_eq!(l.ask_lead_ms(), after_one);
        // Handed over by the last holder: a grant's trip, not an ask's.
        l.asked(30.0);
        l.grant(grant(3, false, 29.0, None, Some(30.5)), 0.0, 30.6);
        assert_eq!(l.ask_lead_ms(), after_one);
    }

    #[test]
    fn a_holder_listens_until_it_knows_whom_to_hand_to() {
        let l = lease();
        l.grant(grant(1, false, 0.0, None, None), 0.0, 0.0);
        assert!(l.listens(), "no one waits yet");
        l.grant(grant(2, true, 0.0, None, Some(0.0)), 0.0, 0.0);
        assert!(l.listens(), "someone waits, but who is not known");
        l.told(2, Some(3), 0.0);
        assert!(!l.listens());
    }
}
