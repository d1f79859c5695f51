//! A run's figures from its trace, as a viewer reads them: the speedup and
//! what it was had on, the work done (computed, waited), the threads' GIL
//! wait, whether the run is over. Pure; `ui::summary` draws them, and the
//! race, the outcome's words and paper use the same.

use super::trace::{Lane, LaneKind, LaneState, Trace};

/// Overlaps shorter than this are clock noise between workers.
pub const CLOCK_SLACK_MS: f64 = 1.0;

/// The threads' time waiting for the GIL, added up (0 where none waited).
pub fn gil_wait_ms(trace: &Trace) -> f64 {
    let waiting: f64 = trace.lanes.iter().map(|l| l.time_in(LaneState::WaitingGil, trace.end_ms)).sum();
    // An empty sum of floats is -0.0, written "-0.00" (and `max` may keep it).
    if waiting > 0.0 {
        waiting
    } else {
        0.0
    }
}

/// How many ran at once, as the summary says it: more than there are cores
/// take the cores in turns, which the figure says.
pub fn running_text(running: usize, cores: Option<u32>) -> String {
    match cores {
        Some(cores) if running > cores as usize => format!("{running} (taking turns on {cores} cores)"),
        _ => running.max(1).to_string(),
    }
}

/// The threads' GIL wait, where their jobs computed and it shows as more
/// than "0.00 s". Threads that only sleep and print wait microseconds for the
/// GIL in CPython; on the page, threads waking together take a hand-over of
/// a few page milliseconds each, which the run's speed makes Python seconds
/// ("0.06 s" for the pools slide's eight threads at 150 ms a Python second),
/// so a run that only waited shows none.
pub fn gil_wait_text(work: Work, waiting_ms: f64, ms_per_second: f64) -> Option<String> {
    let seconds = format!("{:.2} s", waiting_ms / ms_per_second);
    (work.computed && waiting_ms > 0.0 && seconds != "0.00 s").then_some(seconds)
}

/// Whether a speedup is shown: where the demo has one, once the run is over
/// (5.50x mid-run became 2.20x at the end). A run whose jobs never got going
/// (a spawned pool's children that fail as they import the program) has no
/// speedup to speak of, not "0.00×"; nor has a run whose work one lane did
/// alone ([`could_overlap`]).
pub fn speedup_shown(demo_has_one: bool, trace: &Trace, sequential: f64, speedup: f64) -> bool {
    demo_has_one && finished(trace) && sequential > 0.0 && speedup >= 0.005 && could_overlap(trace, sequential)
}

/// Whether more than one lane (a thread, a process, a task) did a share of
/// the run's work, at least a twentieth of it one after another. Where one
/// lane did it all (one thread, one task, a pool of one worker) nothing could
/// overlap, and the figure would measure only the page's own overhead: the
/// GIL demo's lone thread of 1 s showed "0.94× on 2 cores", where CPython's
/// thread takes its work's time.
pub fn could_overlap(trace: &Trace, sequential: f64) -> bool {
    let busy = |lane: &Lane| lane.time_in(LaneState::Running, trace.end_ms) + lane.time_in(LaneState::Io, trace.end_ms);
    let sharing = trace
        .lanes
        .iter()
        .filter(|l| l.kind.is_worker() || l.kind == LaneKind::Task)
        .filter(|l| busy(l) >= 0.05 * sequential)
        .count();
    sharing >= 2
}

/// The speedup as a run's figures show it ("1.90× on 2 cores"), or none
/// where they show none.
pub fn shown_speedup(
    trace: &Trace,
    sequential_ms: Option<f64>,
    cores: Option<u32>,
    demo_has_one: bool,
) -> Option<String> {
    let (sequential, speedup) = speedup(trace, sequential_ms);
    speedup_shown(demo_has_one, trace, sequential, speedup).then(|| speedup_text(trace, speedup, cores))
}

/// What a run's jobs did: computed, waited (on sleeps or I/O), or both.
#[derive(Debug, Clone, Copy)]
pub struct Work {
    pub computed: bool,
    pub waited: bool,
}

/// Each kind counts where it is at least a tenth of the other, so a run of
/// both shows both figures. With only the larger shown, a near tie flipped
/// from run to run: the GIL demo's I/O thread (1.5 s of CPU work, 1.7 s of
/// sleeps) said "Running at once 1" in one run and "In flight at once 4" in the next.
pub fn work(trace: &Trace) -> Work {
    let workers = trace.lanes.iter().any(|l| l.kind.is_worker());
    let time_in = |state, keep: &dyn Fn(LaneKind) -> bool| -> f64 {
        trace.lanes.iter().filter(|l| keep(l.kind)).map(|l| l.time_in(state, trace.end_ms)).sum()
    };
    let cpu_ms = time_in(LaneState::Running, &|k| if workers { k.is_worker() } else { k == LaneKind::MainThread });
    // Tasks await one another's sleeps together, so their waiting is counted
    // once, as the longest of it; threads' sleeps add up.
    let task_wait = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Task)
        .map(|l| l.time_in(LaneState::Io, trace.end_ms))
        .fold(0.0, f64::max);
    let io_ms = time_in(LaneState::Io, &|k| k.is_worker()) + task_wait;
    Work { computed: cpu_ms > 0.0 && cpu_ms >= 0.1 * io_ms, waited: io_ms > 0.0 && io_ms >= 0.1 * cpu_ms }
}

/// The speedup as the figures show it and the page says it: "1.90× on 2 cores".
pub fn speedup_text(trace: &Trace, speedup: f64, cores: Option<u32>) -> String {
    let workers = trace.lanes.iter().filter(|l| l.kind.is_worker()).count();
    speedup_caption(speedup, workers, cores, work(trace), trace.running_at_once(CLOCK_SLACK_MS))
}

/// [`speedup_text`] from figures the run's summary has already worked out.
pub fn speedup_caption(speedup: f64, workers: usize, cores: Option<u32>, work: Work, running: usize) -> String {
    // Waits overlapping work that ran one thread at a time (the GIL demo's
    // I/O thread) gained nothing from the cores either.
    let from_waits = work.waited && (!work.computed || running <= 1);
    format!("{speedup:.2}×{}", speedup_on(workers, cores, from_waits))
}

/// What the speedup was had on: the page's one thread where no worker ran (an
/// asyncio run overlaps its waits there, whatever the cores: the slide's point);
/// overlapping waits where only they gained time (eight threads sleeping side
/// by side make 8x on any number of cores, which "on 2 cores" hid); else the
/// cores the browser has, which bound a computing run's speedup.
pub fn speedup_on(workers: usize, cores: Option<u32>, from_waits: bool) -> String {
    match (workers, cores) {
        (0, _) => " on one thread".to_owned(),
        _ if from_waits => " from overlapping waits".to_owned(),
        (_, Some(1)) => " on 1 core".to_owned(),
        (_, Some(n)) => format!(" on {n} cores"),
        (_, None) => String::new(),
    }
}

/// What the jobs take one after another and the speedup: that over the wall
/// time, 0 before any time passed.
///
/// One after another is the program's own figure (`SummaryProps::sequential_ms`:
/// the jobs' CPU seconds at the speed measured when the page first ran a job,
/// and their sleeps), or the time the workers' lanes ran and waited on I/O in
/// this run where that is less. Neither alone can be trusted: a lane the OS
/// paused still shows running, so on a busy machine two processes that took
/// 1.16 s for jobs the page runs one after another in 1.00 s showed 1.83x from
/// their lanes; and the machine's speed moves from minute to minute, so two GIL
/// threads of "1 s" each, done in 1.6 s, showed 1.25x from the program's figure,
/// which a GIL cannot give. The smaller of the two never claims more than ran.
/// Without the program's figure, the lanes' stands.
pub fn speedup(trace: &Trace, sequential_ms: Option<f64>) -> (f64, f64) {
    let wall = trace.wall_ms();
    let lanes = trace.sequential_ms();
    let sequential = match sequential_ms {
        Some(said) if lanes > 0.0 => said.min(lanes),
        Some(said) => said,
        None => lanes,
    };
    (sequential, if wall > 0.0 { sequential / wall } else { 0.0 })
}

/// Whether the run of `trace` is over: the session ends its MainThread when its part is.
pub fn finished(trace: &Trace) -> bool {
    trace.lanes.first().is_some_and(|l| l.ended)
}

/// How many threads and processes ran: "2 threads", "1 thread, 4 processes".
pub fn workers_text(trace: &Trace) -> String {
    let count = |kind| trace.lanes.iter().filter(|l| l.kind == kind).count();
    let named = |n: usize, one: &str, many: &str| (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }));
    [named(count(LaneKind::Thread), "thread", "threads"), named(count(LaneKind::Process), "process", "processes")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{gil_wait_ms, gil_wait_text, running_text, shown_speedup, speedup, speedup_on, speedup_text, Work};
    use crate::model::trace::{Event, EventKind, LaneKind, LaneState, Trace};

    /// Threads side by side for a second, each in its state, MainThread joining them.
    fn threads(states: &[LaneState]) -> Trace {
        workers(LaneKind::Thread, states, (0.0, 1000.0), 1000.0)
    }

    /// Workers of `kind` side by side, each in its state from `from` to `to`,
    /// MainThread joining them until `end`.
    fn workers(kind: LaneKind, states: &[LaneState], (from, to): (f64, f64), end: f64) -> Trace {
        let ev = Event::new;
        let mut events = vec![
            ev(0.0, 0, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, EventKind::State(LaneState::Blocked)),
        ];
        for (i, state) in states.iter().enumerate() {
            let lane = i as u32 + 1;
            events.push(ev(0.0, lane, EventKind::Started { name: format!("Worker-{lane}"), kind }));
            events.push(ev(from, lane, EventKind::State(*state)));
            // A worker says it is done before its lane ends.
            events.push(ev(to, lane, EventKind::State(LaneState::Idle)));
            events.push(ev(to, lane, EventKind::Ended));
        }
        events.push(ev(end, 0, EventKind::Ended));
        Trace::from_events(events)
    }

    /// Two threads taking turns under a GIL: 400 ms each of running, over 850 ms.
    fn gil_turns() -> Trace {
        let ev = Event::new;
        let mut events = vec![
            ev(0.0, 0, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, EventKind::State(LaneState::Blocked)),
        ];
        for lane in [1, 2] {
            events.push(ev(0.0, lane, EventKind::Started { name: format!("Thread-{lane}"), kind: LaneKind::Thread }));
        }
        // Turns of 100 ms, a little hand-over between them.
        let mut at = 0.0;
        for turn in 0..8u32 {
            let (on, off) = if turn % 2 == 0 { (1, 2) } else { (2, 1) };
            events.push(ev(at, on, EventKind::State(LaneState::Running)));
            events.push(ev(at, off, EventKind::State(LaneState::WaitingGil)));
            at += 100.0;
            events.push(ev(at, on, EventKind::State(LaneState::WaitingGil)));
            at += 6.25;
        }
        for lane in [1, 2] {
            events.push(ev(at, lane, EventKind::Ended));
        }
        events.push(ev(at, 0, EventKind::Ended));
        Trace::from_events(events)
    }

    #[test]
    fn a_gil_run_shows_what_its_lanes_ran_where_that_is_less_than_the_program_s_estimate() {
        let trace = gil_turns();
        assert_eq!(trace.wall_ms(), 850.0);
        // The program said 2 x 500 ms, but this machine ran the jobs in 400 ms
        // each: 800 ms one after another, less than the wall time.
        let (sequential, x) = speedup(&trace, Some(1000.0));
        assert_eq!(sequential, 800.0);
        assert!(x < 1.0, "speedup {x}");
        // The lanes took longer than the program says the jobs take: the program's stands.
        assert_eq!(speedup(&trace, Some(600.0)).0, 600.0);
        assert_eq!(speedup(&trace, None).0, 800.0);
    }

    #[test]
    fn the_gil_wait_is_the_threads_waiting_added_up_and_never_negative() {
        let trace = gil_turns();
        let each: f64 = trace.lanes.iter().map(|l| l.time_in(LaneState::WaitingGil, trace.end_ms)).sum();
        assert!(each > 0.0);
        assert_eq!(gil_wait_ms(&trace), each);
        let none = threads(&[LaneState::Running]);
        assert_eq!(gil_wait_ms(&none).to_bits(), 0.0_f64.to_bits(), "0.00, not -0.00");
    }

    #[test]
    fn more_running_than_cores_take_turns_on_them() {
        assert_eq!(running_text(4, Some(2)), "4 (taking turns on 2 cores)");
        assert_eq!(running_text(2, Some(2)), "2");
        assert_eq!(running_text(0, None), "1", "a run that did something ran one at least");
    }

    #[test]
    fn lanes_the_os_paused_do_not_raise_the_speedup() {
        // Four threads "running" side by side for a second on two cores: the
        // program's 4 x 0.5 s stands, not the lanes' 4 s.
        let trace = threads(&[LaneState::Running; 4]);
        assert_eq!(speedup(&trace, Some(2000.0)), (2000.0, 2.0));
        // Two processes on a busy machine: each lane ran 1.06 s of a 1.16 s
        // run, for jobs of 0.5 s that run one after another in 1 s. They were
        // slower than one after another, and the speedup says so.
        let busy = workers(LaneKind::Process, &[LaneState::Running; 2], (50.0, 1110.0), 1160.0);
        let (sequential, x) = speedup(&busy, Some(1000.0));
        assert_eq!(sequential, 1000.0);
        assert!((x - 1000.0 / 1160.0).abs() < 1e-9, "speedup {x}");
    }

    #[test]
    fn a_run_whose_work_one_lane_did_shows_no_speedup() {
        use LaneState::{Io, Running};
        // One thread of 1 s, a little slower than its work: no "0.94×".
        let lone = workers(LaneKind::Thread, &[Running], (0.0, 1060.0), 1060.0);
        assert_eq!(shown_speedup(&lone, Some(1000.0), Some(2), true), None);
        // Two threads taking turns: the figure stands, under 1 as it is.
        assert_eq!(shown_speedup(&gil_turns(), Some(1000.0), Some(2), true).as_deref(), Some("0.94× on 2 cores"));
        // Two threads, one with a share too small to overlap anything.
        let ev = Event::new;
        let mut events = vec![
            ev(0.0, 0, EventKind::Started { name: "MainThread".into(), kind: LaneKind::MainThread }),
            ev(0.0, 0, EventKind::State(LaneState::Blocked)),
        ];
        for (lane, ms) in [(1, 1000.0), (2, 40.0)] {
            events.push(ev(0.0, lane, EventKind::Started { name: format!("Thread-{lane}"), kind: LaneKind::Thread }));
            events.push(ev(0.0, lane, EventKind::State(Io)));
            events.push(ev(ms, lane, EventKind::Ended));
        }
        events.push(ev(1010.0, 0, EventKind::Ended));
        assert_eq!(shown_speedup(&Trace::from_events(events), Some(1040.0), Some(2), true), None);
        // Two of them waiting side by side: there it is.
        let pair = threads(&[Io, Io]);
        assert_eq!(shown_speedup(&pair, Some(2000.0), Some(2), true).as_deref(), Some("2.00× from overlapping waits"));
    }

    #[test]
    fn a_gil_wait_shows_where_threads_computed_and_it_rounds_to_something() {
        let cpu = Work { computed: true, waited: false };
        assert_eq!(gil_wait_text(cpu, 0.0, 1000.0), None);
        assert_eq!(gil_wait_text(cpu, 4.0, 1000.0), None, "0.004 s shows as 0.00 s");
        assert_eq!(gil_wait_text(cpu, 6.0, 1000.0).as_deref(), Some("0.01 s"));
        assert_eq!(gil_wait_text(cpu, 2390.0, 1000.0).as_deref(), Some("2.39 s"));
        assert_eq!(gil_wait_text(cpu, 1.0, 100.0).as_deref(), Some("0.01 s"), "scaled by the speed");
        // Threads that only slept and printed: the page's hand-overs, not Python's.
        assert_eq!(gil_wait_text(Work { computed: false, waited: true }, 9.0, 150.0), None);
        assert_eq!(gil_wait_text(Work { computed: true, waited: true }, 9.0, 150.0).as_deref(), Some("0.06 s"));
    }

    #[test]
    fn a_speedup_from_overlapping_waits_does_not_credit_the_cores() {
        use LaneState::{Io, Running};
        // Threads that only waited.
        assert_eq!(speedup_text(&threads(&[Io, Io]), 2.0, Some(2)), "2.00× from overlapping waits");
        // One thread computing while another sleeps: one ran at a time.
        assert_eq!(speedup_text(&threads(&[Running, Io]), 2.0, Some(2)), "2.00× from overlapping waits");
        // Two computing side by side: the cores.
        assert_eq!(speedup_text(&threads(&[Running, Running]), 1.98, Some(2)), "1.98× on 2 cores");
        assert_eq!(speedup_text(&threads(&[Running, Running, Io]), 2.9, Some(2)), "2.90× on 2 cores");
    }

    #[test]
    fn a_speedup_says_what_it_was_had_on() {
        // asyncio: the waits overlap on one thread, however many cores there are.
        assert_eq!(speedup_on(0, Some(2), true), " on one thread");
        assert_eq!(speedup_on(0, None, false), " on one thread");
        // Work that computed in parallel: the cores bound it.
        assert_eq!(speedup_on(4, Some(2), false), " on 2 cores");
        assert_eq!(speedup_on(1, Some(1), false), " on 1 core");
        assert_eq!(speedup_on(2, None, false), "");
        // Threads whose waits overlapped, and nothing else: whatever the cores.
        assert_eq!(speedup_on(8, Some(2), true), " from overlapping waits");
    }
}
