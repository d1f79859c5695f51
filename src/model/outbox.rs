//! A lane's events inside its worker: stamped as they happen, on the page's
//! clock and never out of order, and sent to the page a stretch of work at a
//! time, one report before each wait, at a CPU loop's checkpoints once the
//! last report is [`REPORT_EVERY_MS`] old, and with a task's end. The worker
//! passes its clocks in: `page_ms` is the page's (events are stamped on it),
//! `now_ms` its own (it times its reports by it).

use super::protocol::{LaneEvent, LaneEventKind};
use super::trace::LaneState;

/// How often a CPU loop sends the page what its lane did, at the most: a
/// message per checkpoint, or per turn of the GIL, kept the page's thread
/// busy enough to slow the running thread by a few percent (two threads at a
/// 5 ms switch interval: about 1.09x their work, 1.05x with no messages). The
/// page redraws a run every 100 ms. Before a sleep, a draw or I/O the events
/// are sent at once; a wait for the GIL sends them once they are due.
pub const REPORT_EVERY_MS: f64 = 50.0;
/// A report sent at a checkpoint restates that the lane runs where its last
/// event is older than this.
pub const RESTATE_AFTER_MS: f64 = 1.0;

#[derive(Debug)]
pub struct Outbox {
    /// The lane's events since its last report.
    events: Vec<LaneEvent>,
    /// The last time an event of this lane was stamped with (page clock).
    stamped: f64,
    /// The lane's state as last noted: running is restated by a report sent while it lasts.
    state: Option<LaneState>,
    /// When the last report was sent (own clock).
    reported: f64,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox::new()
    }
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox { events: Vec::new(), stamped: 0.0, state: None, reported: f64::NEG_INFINITY }
    }

    /// The time to stamp an event with: `page_ms`, never before an event this
    /// lane already stamped.
    pub fn stamp(&mut self, page_ms: f64) -> f64 {
        self.stamped = self.stamped.max(page_ms);
        self.stamped
    }

    /// The last stamp.
    pub fn stamped(&self) -> f64 {
        self.stamped
    }

    /// The next event is stamped no earlier than `at_ms` (a turn that starts
    /// when the last holder let go, as its clock told).
    pub fn no_earlier_than(&mut self, at_ms: f64) {
        self.stamped = self.stamped.max(at_ms);
    }

    /// Notes what the lane does at `page_ms` (the page's clock now, or a
    /// moment another clock told), stamped then where that is still in order,
    /// else with the last stamp.
    pub fn note(&mut self, kind: LaneEventKind, page_ms: f64) {
        let at_ms = self.stamp(page_ms);
        self.push(LaneEvent { at_ms, kind });
    }

    fn push(&mut self, event: LaneEvent) {
        if let LaneEventKind::State(state) = &event.kind {
            self.state = Some(*state);
        }
        self.events.push(event);
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events noted so far, for a task's end or a panic's report.
    pub fn take(&mut self) -> Vec<LaneEvent> {
        std::mem::take(&mut self.events)
    }

    /// The events to send now, if any, as a report sent at `now_ms`.
    pub fn take_report(&mut self, now_ms: f64) -> Option<Vec<LaneEvent>> {
        if self.events.is_empty() {
            return None;
        }
        self.reported = now_ms;
        Some(self.take())
    }

    /// A task begins: the page hears of it at its first checkpoint.
    pub fn new_task(&mut self) {
        self.reported = f64::NEG_INFINITY;
    }

    /// A report is due at a checkpoint: the last one is a report's age.
    pub fn is_due(&self, now_ms: f64) -> bool {
        now_ms - self.reported >= REPORT_EVERY_MS
    }

    /// How long until a report is due (0 once it is, never over [`REPORT_EVERY_MS`]).
    pub fn due_in_ms(&self, now_ms: f64) -> f64 {
        (REPORT_EVERY_MS - (now_ms - self.reported)).clamp(0.0, REPORT_EVERY_MS)
    }

    /// At a CPU loop's checkpoint, once [`Outbox::is_due`]: the report to send,
    /// with running restated as of `page_ms`. The page counts what ran at once
    /// only as far as it knows each lane's state, and a thread computing for
    /// seconds says nothing new. A waiting lane stays silent, as it was; and
    /// a holder that `handed` the GIL over ahead has its turn's end stamped
    /// already: a restatement after it would outlast the turn.
    pub fn checkpoint_report(&mut self, now_ms: f64, page_ms: f64, handed: bool) -> Option<Vec<LaneEvent>> {
        let running = self.state == Some(LaneState::Running);
        if running && !handed && page_ms - self.stamped >= RESTATE_AFTER_MS {
            self.note(LaneEventKind::State(LaneState::Running), page_ms);
        }
        self.take_report(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(at_ms: f64, state: LaneState) -> LaneEvent {
        LaneEvent { at_ms, kind: LaneEventKind::State(state) }
    }

    #[test]
    fn events_are_stamped_in_order_whatever_the_clocks_say() {
        let mut o = Outbox::new();
        o.note(LaneEventKind::State(LaneState::Running), 10.0);
        // A clock read a moment earlier (another worker's, through a grant).
        o.note(LaneEventKind::Print("a".into()), 9.5);
        o.no_earlier_than(12.0);
        o.note(LaneEventKind::State(LaneState::Io), 11.0);
        let at: Vec<f64> = o.take().iter().map(|e| e.at_ms).collect();
        assert_eq!(at, [10.0, 10.0, 12.0]);
        assert_eq!(o.stamped(), 12.0);
    }

    #[test]
    fn a_task_s_first_checkpoint_reports_then_every_report_s_age() {
        let mut o = Outbox::new();
        o.new_task();
        assert!(o.is_due(0.0));
        o.note(LaneEventKind::State(LaneState::Running), 100.0);
        assert_eq!(o.checkpoint_report(0.0, 100.0, false), Some(vec![state(100.0, LaneState::Running)]));
        assert!(!o.is_due(49.9));
        assert_eq!(o.due_in_ms(20.0), 30.0);
        assert!(o.is_due(50.0));
        assert_eq!(o.due_in_ms(80.0), 0.0);
        // Nothing to say, nothing sent: the age stays where it was.
        assert_eq!(o.take_report(60.0), None);
        assert!(o.is_due(60.0));
    }

    #[test]
    fn a_checkpoint_s_report_restates_running_as_of_now() {
        let mut o = Outbox::new();
        o.note(LaneEventKind::State(LaneState::Running), 100.0);
        o.take();
        // Computing for 50 ms says nothing new: the report says it still runs.
        assert_eq!(o.checkpoint_report(50.0, 150.0, false), Some(vec![state(150.0, LaneState::Running)]));
        // Within a millisecond of the last event there is nothing to restate.
        o.note(LaneEventKind::Line(3), 150.5);
        assert_eq!(
            o.checkpoint_report(100.0, 151.0, false),
            Some(vec![LaneEvent { at_ms: 150.5, kind: LaneEventKind::Line(3) }])
        );
    }

    #[test]
    fn a_waiting_lane_or_a_turn_handed_over_ahead_is_not_restated() {
        let mut o = Outbox::new();
        o.note(LaneEventKind::State(LaneState::WaitingGil), 100.0);
        o.take();
        assert_eq!(o.checkpoint_report(50.0, 200.0, false), None, "a wait for the GIL stays silent");
        o.note(LaneEventKind::State(LaneState::Running), 200.0);
        o.take();
        assert_eq!(o.checkpoint_report(100.0, 260.0, true), None, "the turn's end is stamped already");
        assert_eq!(o.checkpoint_report(100.0, 260.0, false), Some(vec![state(260.0, LaneState::Running)]));
    }
}
