//! A run's events, folded into lanes of spans and a transcript, with the
//! figures a viewer compares: wall time, busy time, overlap, speedup.
//!
//! Times are milliseconds on the page's clock (`performance.now()` of the
//! page); workers convert their own clock before they send an event.

use serde::{Deserialize, Serialize};

pub type LaneId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LaneKind {
    MainThread,
    Thread,
    Process,
    /// An asyncio task: a sub-lane of the thread whose event loop runs it.
    Task,
}

impl LaneKind {
    /// A thread or process of its own (a Web Worker), not the page's thread or a task on it.
    pub fn is_worker(self) -> bool {
        matches!(self, LaneKind::Thread | LaneKind::Process)
    }
}

/// What a lane is doing, as the timeline colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LaneState {
    /// Executing Python code (holding the GIL, where there is one).
    Running,
    /// Ready to run, waiting for the GIL.
    WaitingGil,
    /// Sleeping or waiting on I/O; the GIL is released.
    Io,
    /// Blocked: joining another thread, waiting on a future or a lock.
    Blocked,
    /// Alive but with nothing to do (an idle pool worker).
    Idle,
    /// A process being started: it runs no Python yet (not counted as
    /// running or in flight).
    Starting,
}

impl LaneState {
    pub const ALL: [LaneState; 6] = [
        LaneState::Running,
        LaneState::WaitingGil,
        LaneState::Io,
        LaneState::Blocked,
        LaneState::Idle,
        LaneState::Starting,
    ];

    /// A short stable name, for messages and test hooks.
    pub fn key(self) -> &'static str {
        match self {
            LaneState::Running => "running",
            LaneState::WaitingGil => "gil",
            LaneState::Io => "io",
            LaneState::Blocked => "blocked",
            LaneState::Idle => "idle",
            LaneState::Starting => "starting",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LaneState::Running => "running",
            LaneState::WaitingGil => "waiting for the GIL",
            LaneState::Io => "sleeping / in I/O",
            LaneState::Blocked => "blocked",
            LaneState::Idle => "idle",
            LaneState::Starting => "starting",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Started {
        name: String,
        kind: LaneKind,
    },
    State(LaneState),
    Print(String),
    /// The lane is at this line of the demo's source.
    Line(u32),
    Ended,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at_ms: f64,
    pub lane: LaneId,
    pub kind: EventKind,
}

impl Event {
    pub fn new(at_ms: f64, lane: LaneId, kind: EventKind) -> Self {
        Event { at_ms, lane, kind }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub state: LaneState,
    pub start_ms: f64,
    pub end_ms: f64,
}

impl Span {
    pub fn duration_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub id: LaneId,
    pub name: String,
    pub kind: LaneKind,
    pub spans: Vec<Span>,
    /// The state the lane is in now, since when.
    pub open: Option<(LaneState, f64)>,
    pub ended: bool,
    /// The source line the lane is at, for the code view.
    pub line: Option<u32>,
    /// The time of the lane's latest event: what it did is known up to here.
    /// A worker sends its events together, up to 50 ms after it stamped them
    /// (and restates that it runs at that age while it computes), so until
    /// the next report the lane may already be doing something else.
    pub known_ms: f64,
}

impl Lane {
    /// Closed spans plus the open one, cut at `now_ms` (see [`Lane::open_end`]).
    pub fn spans_until(&self, now_ms: f64) -> impl Iterator<Item = Span> + '_ {
        let open =
            self.open.map(|(state, start_ms)| Span { state, start_ms, end_ms: self.open_end(state, start_ms, now_ms) });
        self.spans.iter().copied().chain(open)
    }

    /// Where the open span in `state` since `start_ms` ends if cut at
    /// `now_ms`. A worker's running reaches only as far as its state is
    /// known ([`Lane::known_ms`]): past its last report a thread under the
    /// GIL may have handed it on already, and drawn or counted as running
    /// there it would overlap the thread running in its place. What a
    /// worker waits for goes on until it says otherwise: a sleeping or
    /// waiting thread sends nothing.
    fn open_end(&self, state: LaneState, start_ms: f64, now_ms: f64) -> f64 {
        let end = if state == LaneState::Running && self.kind.is_worker() { now_ms.min(self.known_ms) } else { now_ms };
        end.max(start_ms)
    }

    /// Ends the open span at `at_ms` (see [`Lane::open_end`]).
    fn close_open(&mut self, at_ms: f64) {
        if let Some((state, start_ms)) = self.open.take() {
            let end_ms = self.open_end(state, start_ms, at_ms);
            if end_ms > start_ms {
                self.spans.push(Span { state, start_ms, end_ms });
            }
        }
    }

    pub fn time_in(&self, state: LaneState, now_ms: f64) -> f64 {
        self.spans_until(now_ms).filter(|s| s.state == state).map(|s| s.duration_ms()).sum()
    }
}

/// One printed line and the lane that printed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub at_ms: f64,
    pub lane: LaneId,
    pub text: String,
}

/// A trace is what a finished run is kept as (a slide keeps its last run).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub lanes: Vec<Lane>,
    pub lines: Vec<Line>,
    pub start_ms: Option<f64>,
    pub end_ms: f64,
    /// How many events were folded in.
    pub events: usize,
    /// When MainThread ended: the program's end. The page may hear of a
    /// worker's end after it (it was drawing the run meanwhile); that end is
    /// put no later than the program's.
    pub program_end_ms: Option<f64>,
}

impl Trace {
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Trace {
        let mut trace = Trace::default();
        for event in events {
            trace.push(event);
        }
        trace
    }

    pub fn lane(&self, id: LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.id == id)
    }

    /// Folds one event in. Events of one lane arrive in order; lanes may interleave.
    pub fn push(&mut self, event: Event) {
        let at = self.program_end_ms.map_or(event.at_ms, |end| event.at_ms.min(end));
        self.events += 1;
        self.start_ms = Some(self.start_ms.map_or(at, |s| s.min(at)));
        self.end_ms = self.end_ms.max(at);
        let index = match self.lanes.iter().position(|l| l.id == event.lane) {
            Some(index) => index,
            None => {
                let (name, kind) = match &event.kind {
                    EventKind::Started { name, kind } => (name.clone(), *kind),
                    _ => (format!("lane {}", event.lane), LaneKind::Thread),
                };
                self.lanes.push(Lane {
                    id: event.lane,
                    name,
                    kind,
                    spans: Vec::new(),
                    open: None,
                    ended: false,
                    line: None,
                    known_ms: at,
                });
                self.lanes.len() - 1
            }
        };
        let lane = &mut self.lanes[index];
        // A lane's end is the page's word (its worker is gone, or done),
        // not the worker's: it says nothing of what the worker did up to then.
        if !matches!(event.kind, EventKind::Ended) {
            lane.known_ms = lane.known_ms.max(at);
        }
        match event.kind {
            EventKind::Started { name, kind } => {
                lane.name = name;
                lane.kind = kind;
            }
            EventKind::State(state) => {
                if let Some((open_state, start)) = lane.open.take() {
                    if open_state == state {
                        lane.open = Some((open_state, start));
                        return;
                    }
                    let end = at.max(start);
                    if end > start {
                        lane.spans.push(Span { state: open_state, start_ms: start, end_ms: end });
                    }
                }
                lane.open = Some((state, at));
            }
            EventKind::Print(text) => self.lines.push(Line { at_ms: at, lane: event.lane, text }),
            EventKind::Line(line) => lane.line = Some(line),
            EventKind::Ended => {
                lane.close_open(at);
                lane.ended = true;
                lane.line = None;
                if lane.kind == LaneKind::MainThread && self.program_end_ms.is_none() {
                    self.end_program(at);
                }
            }
        }
    }

    /// MainThread ended at `at_ms`: the trace ends there, and what other
    /// lanes did is cut there too (their ends, heard of later, are no later).
    fn end_program(&mut self, at_ms: f64) {
        self.program_end_ms = Some(at_ms);
        self.end_ms = at_ms;
        for lane in &mut self.lanes {
            lane.spans.retain(|s| s.start_ms < at_ms);
            for span in &mut lane.spans {
                span.end_ms = span.end_ms.min(at_ms);
            }
            if let Some((_, start)) = &mut lane.open {
                *start = start.min(at_ms);
            }
            lane.known_ms = lane.known_ms.min(at_ms);
        }
    }

    /// Ends every open span at `at_ms`: a stopped run keeps what it did.
    pub fn close(&mut self, at_ms: f64) {
        let at_ms = self.program_end_ms.map_or(at_ms, |end| at_ms.min(end));
        self.end_ms = self.end_ms.max(at_ms);
        for lane in &mut self.lanes {
            lane.close_open(at_ms);
        }
    }

    pub fn wall_ms(&self) -> f64 {
        self.start_ms.map_or(0.0, |s| self.end_ms - s)
    }

    /// The starts (+1) and ends (-1) of the spans in `state` longer than
    /// `slack_ms`, starts moved `slack_ms` later, in time order; at the same
    /// instant ends come first, so touching spans do not overlap. The spans
    /// are those drawn: a worker's running only as far as its state is
    /// known (see [`Lane::spans_until`]), so a count of what ran at once
    /// never says more ran than did.
    fn edges(&self, state: LaneState, slack_ms: f64, workers_only: bool) -> Vec<(f64, i32)> {
        let lanes = |l: &Lane| l.kind != LaneKind::Task && (!workers_only || l.kind.is_worker());
        self.edges_where(&[state], slack_ms, lanes)
    }

    /// As `edges`, for spans in any of `states`, of the lanes `keep` keeps;
    /// a lane's consecutive spans in those states count as one.
    fn edges_where(&self, states: &[LaneState], slack_ms: f64, keep: impl Fn(&Lane) -> bool) -> Vec<(f64, i32)> {
        let mut edges = Vec::new();
        for lane in self.lanes.iter().filter(|l| keep(l)) {
            let mut current: Option<(f64, f64)> = None;
            let close = |run: Option<(f64, f64)>, edges: &mut Vec<(f64, i32)>| {
                if let Some((start, end)) = run.filter(|(start, end)| end - start > slack_ms) {
                    edges.push((start + slack_ms, 1));
                    edges.push((end, -1));
                }
            };
            for span in lane.spans_until(self.end_ms) {
                if !states.contains(&span.state) {
                    close(current.take(), &mut edges);
                    continue;
                }
                current = match current {
                    Some((start, end)) if span.start_ms <= end => Some((start, span.end_ms.max(end))),
                    other => {
                        close(other, &mut edges);
                        Some((span.start_ms, span.end_ms))
                    }
                };
            }
            close(current, &mut edges);
        }
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        edges
    }

    /// As `max_at_once_beyond`, counting threads and processes only. The
    /// page's own thread plays MainThread but takes no GIL, so while it runs
    /// the few statements between two `join()`s (or is paused by the OS there)
    /// it would seem to run beside a thread that holds the GIL.
    pub fn workers_at_once(&self, state: LaneState, slack_ms: f64) -> usize {
        peak(&self.edges(state, slack_ms, true))
    }

    /// How many threads ran Python at the same instant: the threads and
    /// processes where there are some, MainThread alone where it is all there is.
    pub fn running_at_once(&self, slack_ms: f64) -> usize {
        if self.lanes.iter().any(|l| l.kind.is_worker()) {
            self.workers_at_once(LaneState::Running, slack_ms)
        } else {
            self.max_at_once_beyond(LaneState::Running, slack_ms)
        }
    }

    /// How many jobs were under way at the same instant, running or waiting
    /// on a sleep or I/O: asyncio's tasks where there are some, else the
    /// threads and processes (MainThread is the one that waits for them).
    pub fn in_flight_at_once(&self) -> usize {
        let tasks = self.lanes.iter().any(|l| l.kind == LaneKind::Task);
        let states = [LaneState::Running, LaneState::WaitingGil, LaneState::Io];
        let keep = |l: &Lane| if tasks { l.kind == LaneKind::Task } else { l.kind.is_worker() };
        peak(&self.edges_where(&states, 0.0, keep))
    }

    /// The most lanes in `state` at the same instant.
    pub fn max_at_once(&self, state: LaneState) -> usize {
        self.max_at_once_beyond(state, 0.0)
    }

    /// As `max_at_once`, ignoring overlaps shorter than `slack_ms` (the
    /// clocks of two workers agree only to their timer precision).
    pub fn max_at_once_beyond(&self, state: LaneState, slack_ms: f64) -> usize {
        peak(&self.edges(state, slack_ms, false))
    }

    /// How long two or more lanes were in `state` together.
    pub fn overlap_ms(&self, state: LaneState) -> f64 {
        let edges = self.edges(state, 0.0, false);
        let (mut now, mut total, mut last) = (0i32, 0.0, 0.0);
        for (at, delta) in edges {
            if now >= 2 {
                total += at - last;
            }
            now += delta;
            last = at;
        }
        total
    }

    /// What the same work takes one job after another: each worker lane's
    /// running and I/O time, added up (time spent waiting for the GIL or
    /// blocked is what parallelism or its absence adds, so it is left out).
    pub fn sequential_ms(&self) -> f64 {
        self.lanes
            .iter()
            .filter(|l| l.kind.is_worker())
            .map(|l| l.time_in(LaneState::Running, self.end_ms) + l.time_in(LaneState::Io, self.end_ms))
            .sum()
    }

    /// The lanes' sequential time over wall time: above 1, the jobs
    /// overlapped. The benchmark's figure; the one a viewer sees
    /// (`model::figures::speedup`) never claims more than the program's own
    /// one-after-another time allows.
    pub fn speedup(&self) -> Option<f64> {
        let wall = self.wall_ms();
        (wall > 0.0).then(|| self.sequential_ms() / wall)
    }
}

/// The highest count a sweep over start (+1) and end (-1) edges reaches.
fn peak(edges: &[(f64, i32)]) -> usize {
    let (mut now, mut most) = (0i32, 0i32);
    for (_, delta) in edges {
        now += delta;
        most = most.max(now);
    }
    most as usize
}

#[cfg(test)]
mod tests {
    use super::EventKind::*;
    use super::LaneState::*;
    use super::Line;
    use super::*;

    fn ev(at: f64, lane: LaneId, kind: EventKind) -> Event {
        Event::new(at, lane, kind)
    }

    fn two_threads_under_the_gil() -> Trace {
        Trace::from_events([
            ev(0.0, 1, Started { name: "Thread-1".into(), kind: LaneKind::Thread }),
            ev(0.0, 2, Started { name: "Thread-2".into(), kind: LaneKind::Thread }),
            ev(0.0, 1, State(Running)),
            ev(0.0, 2, State(WaitingGil)),
            ev(5.0, 1, State(WaitingGil)),
            ev(5.0, 2, State(Running)),
            ev(7.0, 2, Print("Thread-2:   0".into())),
            ev(10.0, 2, State(Io)),
            ev(10.0, 1, State(Running)),
            // A worker says it is done before the page ends its lane.
            ev(20.0, 1, State(Idle)),
            ev(20.0, 1, Ended),
            ev(30.0, 2, Ended),
        ])
    }

    #[test]
    fn events_fold_into_spans_per_lane() {
        let t = two_threads_under_the_gil();
        let lane1 = t.lane(1).unwrap();
        assert_eq!(lane1.name, "Thread-1");
        let states: Vec<(LaneState, f64, f64)> = lane1.spans.iter().map(|s| (s.state, s.start_ms, s.end_ms)).collect();
        assert_eq!(states, [(Running, 0.0, 5.0), (WaitingGil, 5.0, 10.0), (Running, 10.0, 20.0)]);
        assert!(lane1.ended && lane1.open.is_none());
        assert_eq!(t.lines, [Line { at_ms: 7.0, lane: 2, text: "Thread-2:   0".into() }]);
    }

    #[test]
    fn figures_of_a_run() {
        let t = two_threads_under_the_gil();
        assert_eq!(t.wall_ms(), 30.0);
        let running = |lane| t.lane(lane).map(|l| l.time_in(Running, t.end_ms));
        assert_eq!(running(1), Some(15.0));
        assert_eq!(running(2), Some(5.0));
        assert_eq!(t.max_at_once(Running), 1, "the GIL lets one run at a time");
        assert_eq!(t.max_at_once(WaitingGil), 1);
        assert_eq!(t.sequential_ms(), 15.0 + 5.0 + 20.0);
        assert_eq!(t.speedup(), Some(40.0 / 30.0));
        assert_eq!(t.overlap_ms(Running), 0.0);
    }

    #[test]
    fn overlapping_lanes_are_counted() {
        let t = Trace::from_events([
            ev(0.0, 1, State(Running)),
            ev(2.0, 2, State(Running)),
            ev(4.0, 3, State(Running)),
            ev(6.0, 1, State(Idle)),
            ev(8.0, 2, State(Idle)),
            ev(9.0, 3, State(Idle)),
        ]);
        assert_eq!(t.max_at_once(Running), 3);
        assert_eq!(t.overlap_ms(Running), 6.0);
        assert_eq!(t.max_at_once_beyond(Running, 3.0), 2, "lane 3 overlaps lane 1 for 2 ms only");
    }

    #[test]
    fn workers_at_once_leaves_the_page_thread_out() {
        let t = Trace::from_events([
            ev(0.0, 0, Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, State(Running)),
            ev(1.0, 1, State(Running)),
            ev(9.0, 0, State(Blocked)),
            ev(10.0, 1, State(Idle)),
        ]);
        assert_eq!(t.max_at_once(Running), 2);
        assert_eq!(t.workers_at_once(Running, 0.0), 1);
    }

    #[test]
    fn repeated_states_extend_and_a_stop_closes_open_spans() {
        let mut t = Trace::from_events([ev(0.0, 1, State(Running)), ev(3.0, 1, State(Running)), ev(4.0, 2, State(Io))]);
        assert!(t.lane(1).unwrap().spans.is_empty());
        t.close(10.0);
        // Running as far as it was last said; a wait to the end.
        assert_eq!(t.lane(1).unwrap().spans, [Span { state: Running, start_ms: 0.0, end_ms: 3.0 }]);
        assert_eq!(t.lane(2).unwrap().time_in(Io, 10.0), 6.0);
        assert_eq!(t.wall_ms(), 10.0);
    }

    #[test]
    fn the_program_ends_when_main_thread_does_whatever_the_page_heard_later() {
        let main = || Started { name: "MainThread".into(), kind: LaneKind::MainThread };
        let thread = || Started { name: "Thread-1".into(), kind: LaneKind::Thread };
        let t = Trace::from_events([
            ev(0.0, 0, main()),
            ev(0.0, 0, State(Running)),
            ev(1.0, 1, thread()),
            ev(1.0, 1, State(Io)),
            ev(0.5, 0, State(Blocked)),
            ev(11.0, 1, State(Running)),
            // The page was drawing: it heard of the thread's exit 30 ms on, and
            // the worker it waited for says the thread ended at 11 ms.
            ev(41.0, 1, Ended),
            ev(11.0, 0, State(Running)),
            ev(11.5, 0, Print("done".into())),
            ev(11.5, 0, Ended),
            // Heard of even later: a lane the end of the program ended.
            ev(45.0, 2, Started { name: "Thread-2".into(), kind: LaneKind::Thread }),
            ev(45.0, 2, Ended),
        ]);
        assert_eq!(t.wall_ms(), 11.5);
        assert_eq!(t.program_end_ms, Some(11.5));
        let spans: Vec<_> = t.lanes.iter().flat_map(|l| l.spans.iter()).collect();
        assert!(spans.iter().all(|s| s.end_ms <= 11.5), "{spans:?}");
        assert_eq!(t.lane(1).unwrap().time_in(Io, t.end_ms), 10.0);
        assert_eq!(t.lines[0].at_ms, 11.5);
        let mut closed = t.clone();
        closed.close(60.0);
        assert_eq!(closed.wall_ms(), 11.5, "closed later, it ends where the program did");
    }

    #[test]
    fn a_late_event_never_makes_a_negative_span() {
        let t = Trace::from_events([ev(5.0, 1, State(Running)), ev(4.0, 1, State(Io)), ev(9.0, 1, Ended)]);
        assert!(t.lane(1).unwrap().spans.iter().all(|s| s.duration_ms() >= 0.0));
    }

    #[test]
    fn in_flight_counts_tasks_awaiting_together_and_running_counts_threads() {
        let task = |lane: LaneId, name: &str| ev(0.0, lane, Started { name: name.into(), kind: LaneKind::Task });
        let trace = Trace::from_events([
            ev(0.0, 0, Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, State(Running)),
            task(1, "Task-1"),
            task(2, "Task-2"),
            ev(0.0, 1, State(Running)),
            ev(1.0, 1, State(Io)),
            ev(1.0, 2, State(Running)),
            ev(2.0, 2, State(Io)),
            ev(50.0, 1, State(Running)),
            ev(51.0, 1, Ended),
            ev(80.0, 2, State(Running)),
            ev(81.0, 2, Ended),
            ev(81.0, 0, Ended),
        ]);
        assert_eq!(trace.in_flight_at_once(), 2, "both tasks awaited their sleeps together");
        assert_eq!(trace.running_at_once(1.0), 1, "one thread ran them");
        assert_eq!(trace.sequential_ms(), 0.0, "tasks are not workers");
    }

    #[test]
    fn in_flight_counts_threads_sleeping_side_by_side() {
        let trace = Trace::from_events([
            ev(0.0, 1, Started { name: "Thread-1".into(), kind: LaneKind::Thread }),
            ev(0.0, 2, Started { name: "Thread-2".into(), kind: LaneKind::Thread }),
            ev(0.0, 1, State(Io)),
            ev(0.5, 2, State(Running)),
            ev(0.6, 2, State(Io)),
            ev(100.0, 1, Ended),
            ev(100.0, 2, Ended),
        ]);
        assert_eq!(trace.in_flight_at_once(), 2);
        assert_eq!(trace.running_at_once(1.0), 0, "no thread ran for longer than the slack");
    }

    #[test]
    fn mid_run_running_counts_each_worker_only_as_far_as_its_reports_go() {
        let mut trace = Trace::from_events(handed_over().into_iter().chain([ev(40.0, 2, Print("tick".into()))]));
        assert_eq!(trace.running_at_once(1.0), 1, "Thread-1 is not known to run past 0");
        let drawn =
            |trace: &Trace, lane: LaneId| trace.lane(lane).unwrap().spans_until(trace.end_ms).collect::<Vec<_>>();
        assert_eq!(drawn(&trace, 1), [Span { state: Running, start_ms: 0.0, end_ms: 0.0 }], "drawn as far as known");
        assert_eq!(drawn(&trace, 2).last().unwrap().end_ms, 40.0, "and as far as known");
        trace.push(ev(10.0, 1, State(WaitingGil)));
        assert_eq!(trace.running_at_once(1.0), 1);
        assert_eq!(drawn(&trace, 1).last().unwrap(), &Span { state: WaitingGil, start_ms: 10.0, end_ms: 40.0 });

        // Two processes computing for seconds restate their state as they report.
        let process =
            |lane: LaneId| ev(0.0, lane, Started { name: format!("Process-{lane}"), kind: LaneKind::Process });
        let mut trace =
            Trace::from_events([process(1), process(2), ev(0.0, 1, State(Running)), ev(0.5, 2, State(Running))]);
        assert_eq!(trace.running_at_once(1.0), 0, "nothing known to have run yet");
        trace.push(ev(50.0, 1, State(Running)));
        trace.push(ev(50.5, 2, State(Running)));
        assert_eq!(trace.running_at_once(1.0), 2, "both known to run until 50 ms");
        assert!(trace.lane(1).unwrap().spans.is_empty(), "a restated state is one span");
    }

    #[test]
    fn a_stop_keeps_a_worker_s_running_only_as_far_as_it_was_reported() {
        // Stopped before Thread-1's report came: its worker is gone, and the
        // run keeps what is known. Thread-2's wait would have gone on to the
        // end: a waiting thread says nothing until it runs.
        let mut stopped =
            Trace::from_events(handed_over().into_iter().chain([ev(30.0, 2, State(Running)), ev(45.0, 1, Ended)]));
        stopped.close(45.0);
        assert_eq!(stopped.lane(1).unwrap().spans, [], "Thread-1's running is known at 0 only");
        assert_eq!(
            stopped.lane(2).unwrap().spans,
            [
                Span { state: WaitingGil, start_ms: 0.0, end_ms: 10.0 },
                Span { state: Running, start_ms: 10.0, end_ms: 30.0 }
            ]
        );
        assert_eq!(stopped.end_ms, 45.0, "the run still ends when it was stopped");

        // A thread that finished said so before its lane ended.
        let done =
            Trace::from_events([thread(1), ev(0.0, 1, State(Running)), ev(20.0, 1, State(Idle)), ev(60.0, 1, Ended)]);
        assert_eq!(done.lane(1).unwrap().spans.last().unwrap(), &Span { state: Idle, start_ms: 20.0, end_ms: 60.0 });
    }

    fn thread(lane: LaneId) -> Event {
        ev(0.0, lane, Started { name: format!("Thread-{lane}"), kind: LaneKind::Thread })
    }

    /// Thread-1 took the GIL at 0 and handed it to Thread-2 at 10, but its
    /// report of that is still on its way: only Thread-2's has come.
    fn handed_over() -> Vec<Event> {
        vec![
            thread(1),
            thread(2),
            ev(0.0, 1, State(Running)),
            ev(0.0, 2, State(WaitingGil)),
            ev(10.0, 2, State(Running)),
        ]
    }
}
