//! The concurrency runtime in real browsers: real Web Workers, real timers,
//! the real worker bundle (`dist/`, built by `trunk build`). These assert
//! behaviour — orders, exceptions, overlaps — not timings.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use parallel_playground::model::program::{thread_ident, Op, Program, UrlOutcome, THREAD_IDENT};
use parallel_playground::model::pyvalue::{PyException, PyValue};
use parallel_playground::model::shared_random::SharedRandom;
use parallel_playground::model::trace::{EventKind, LaneKind, LaneState, Trace};
use parallel_playground::model::traceback::{Frame, Source};
use parallel_playground::runtime::clock::now;
use parallel_playground::runtime::pool::{unguarded_main_module, MainModule, StartMethod};
use parallel_playground::runtime::session::MAIN_LANE;
use parallel_playground::runtime::{
    as_completed, gather, wait, workers_alive, EventLoop, Executor, FutureState, GilImpl, GilMode, Process, ReturnWhen,
    Session, SessionConfig, Thread,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The worker bundle lives in `dist/`, which the test server serves from the
/// crate's folder: point the page's base address there.
fn use_built_worker() {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.query_selector("base").unwrap().is_none() {
        let base = document.create_element("base").unwrap();
        base.set_attribute("href", "/dist/").unwrap();
        document.head().unwrap().append_child(&base).unwrap();
    }
}

fn session(gil: GilMode, force_messages: bool) -> Session {
    use_built_worker();
    Session::new(SessionConfig {
        gil,
        force_messages,
        switch_interval_ms: 5.0,
        ms_per_second: 100.0,
        ..SessionConfig::default()
    })
}

fn page(latency_ms: f64, bytes: u64) -> Program {
    Program::new(vec![Op::Urlopen { url: "http://example/".into(), latency_ms, outcome: UrlOutcome::Bytes(bytes) }])
}

/// Enough CPU work for a few dozen GIL switches.
fn cpu(n: u64) -> Program {
    Program::new(vec![Op::Countdown { n }])
}

const COUNT: u64 = 40_000_000;

/// Overlaps shorter than this are clock noise between workers.
const CLOCK_SLACK_MS: f64 = 1.0;

fn running_at_once(trace: &Trace) -> usize {
    trace.workers_at_once(LaneState::Running, CLOCK_SLACK_MS)
}

#[wasm_bindgen_test]
async fn as_completed_follows_completion_and_map_follows_submission() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(3)).unwrap();
    let futures: Vec<_> =
        [(300.0, 3), (60.0, 1), (180.0, 2)].iter().map(|&(ms, b)| pool.submit(page(ms, b)).unwrap()).collect();
    let mut completed = as_completed(&futures);
    let mut order = Vec::new();
    while let Some(f) = completed.next().await {
        order.push(f.result().await.unwrap());
    }
    assert_eq!(order, [PyValue::Bytes(1), PyValue::Bytes(2), PyValue::Bytes(3)]);

    let mut results = pool.map(vec![page(200.0, 10), page(20.0, 20), page(100.0, 30)]).unwrap();
    let mut mapped = Vec::new();
    while let Some(r) = results.next().await {
        mapped.push(r.unwrap());
    }
    assert_eq!(mapped, [PyValue::Bytes(10), PyValue::Bytes(20), PyValue::Bytes(30)]);
    assert_eq!(pool.workers_started(), 3, "three workers, started lazily and reused for map");
    s.stop();
}

#[wasm_bindgen_test]
async fn exceptions_reach_the_future_and_map_stops_at_the_first() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(2)).unwrap();
    let raising = pool.submit(Program::new(vec![Op::Raise(PyException::new("ValueError", "bad value"))])).unwrap();
    let exc = raising.exception().await.unwrap().expect("an exception");
    assert_eq!(exc.repr(), "ValueError('bad value')");
    assert_eq!(raising.state(), FutureState::Finished);

    let unknown = Program::new(vec![Op::Urlopen {
        url: "http://some-made-up-domain.com/".into(),
        latency_ms: 10.0,
        outcome: UrlOutcome::UnknownHost,
    }]);
    let mut results = pool.map(vec![page(10.0, 1), unknown, page(10.0, 3)]).unwrap();
    assert_eq!(results.next().await, Some(Ok(PyValue::Bytes(1))));
    let err = results.next().await.unwrap().unwrap_err();
    assert_eq!(err.type_name, "URLError");
    assert_eq!(err.to_string(), "<urlopen error [Errno -2] Name or service not known>");
    assert_eq!(results.next().await, None, "map raises, then iteration is over");
    s.stop();
}

#[wasm_bindgen_test]
async fn cancel_works_only_while_pending_and_shutdown_can_cancel_the_queue() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    let first = pool.submit(page(150.0, 1)).unwrap();
    let second = pool.submit(page(10.0, 2)).unwrap();
    let third = pool.submit(page(10.0, 3)).unwrap();
    let fourth = pool.submit(page(10.0, 4)).unwrap();
    while first.state() == FutureState::Pending {
        TimeoutFuture::new(5).await;
    }
    assert!(!first.cancel(), "a running call cannot be cancelled");
    assert!(second.cancel());
    assert_eq!(second.result().await.unwrap_err().type_name, "CancelledError");

    pool.shutdown(true, true).await;
    assert_eq!(first.result().await, Ok(PyValue::Bytes(1)));
    assert!(third.cancelled() && fourth.cancelled());
    let refused = pool.submit(page(1.0, 5)).unwrap_err();
    assert_eq!(refused.message, "cannot schedule new futures after shutdown");

    let (done, not_done) = wait(&[first, second, third], ReturnWhen::AllCompleted).await;
    assert_eq!((done.len(), not_done.len()), (3, 0));
    s.stop();
}

#[wasm_bindgen_test]
async fn wait_first_completed_returns_early() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(2)).unwrap();
    let slow = pool.submit(page(400.0, 1)).unwrap();
    let fast = pool.submit(page(20.0, 2)).unwrap();
    let (done, not_done) = wait(&[slow.clone(), fast.clone()], ReturnWhen::FirstCompleted).await;
    assert_eq!(done, [fast]);
    assert_eq!(not_done, [slow]);
    s.stop();
}

#[wasm_bindgen_test]
async fn names_and_defaults_are_cpythons() {
    let s = session(GilMode::On, false);
    let t1 = Thread::new(&s, page(1.0, 1));
    let t2 = Thread::new(&s, page(1.0, 1));
    assert_eq!((t1.name(), t2.name()), ("Thread-1", "Thread-2"));
    let cores = web_sys::window().unwrap().navigator().hardware_concurrency() as usize;
    assert_eq!(Executor::thread_pool(&s, None).unwrap().max_workers(), (cores + 4).min(32));
    assert_eq!(Executor::process_pool(&s, None).unwrap().max_workers(), cores);
    assert_eq!(Executor::thread_pool(&s, Some(0)).err().unwrap().message, "max_workers must be greater than 0");

    let pool = Executor::thread_pool(&s, Some(5)).unwrap();
    for _ in 0..3 {
        pool.submit(page(5.0, 1)).unwrap().result().await.unwrap();
    }
    assert_eq!(pool.workers_started(), 1, "an idle worker is reused, not a new one started");
    let trace = s.trace();
    let pool_lanes: Vec<&str> =
        trace.lanes.iter().map(|l| l.name.as_str()).filter(|n| n.starts_with("ThreadPool")).collect();
    assert_eq!(pool_lanes, ["ThreadPoolExecutor-2_0"]);
    s.stop();
}

#[wasm_bindgen_test]
async fn threads_start_join_and_report() {
    let s = session(GilMode::On, false);
    let thread = Thread::new(&s, Program::new(vec![Op::Print("hello from a thread".into()), Op::Sleep { ms: 20.0 }]));
    assert!(!thread.is_alive());
    assert_eq!(thread.join().await.unwrap_err().message, "cannot join thread before it is started");
    thread.start().unwrap();
    assert!(thread.is_alive());
    assert_eq!(thread.start().unwrap_err().message, "threads can only be started once");
    thread.join().await.unwrap();
    assert!(!thread.is_alive());
    let trace = s.trace();
    assert_eq!(trace.lines.len(), 1);
    assert_eq!(trace.lane(trace.lines[0].lane).unwrap().name, "Thread-1");
    assert!(
        trace.lane(MAIN_LANE).unwrap().spans.iter().any(|s| s.state == LaneState::Blocked),
        "join blocks MainThread"
    );
    s.stop();
}

async fn run_cpu_threads(s: &Session, n: usize, count: u64, io_thread: bool) -> Trace {
    let mut threads: Vec<Thread> = (0..n).map(|_| Thread::new(s, cpu(count))).collect();
    if io_thread {
        let io: Vec<Op> = (0..6).map(|_| Op::Sleep { ms: 15.0 }).collect();
        threads.push(Thread::with_name(s, "io", Program::new(io)));
    }
    for t in &threads {
        t.start().unwrap();
    }
    for t in &threads {
        t.join().await.unwrap();
    }
    s.trace()
}

fn cpu_lanes(trace: &Trace) -> impl Iterator<Item = &parallel_playground::model::trace::Lane> {
    trace.lanes.iter().filter(|l| l.kind != LaneKind::MainThread && l.name != "io")
}

#[wasm_bindgen_test]
async fn the_shared_memory_gil_lets_one_thread_run_at_a_time() {
    let s = session(GilMode::On, false);
    assert_eq!(s.gil_impl(), Some(GilImpl::SharedMemory));
    let trace = run_cpu_threads(&s, 3, COUNT, false).await;
    assert_eq!(running_at_once(&trace), 1);
    for lane in cpu_lanes(&trace) {
        assert!(lane.time_in(LaneState::WaitingGil, trace.end_ms) > 0.0, "{} waited for the GIL", lane.name);
    }
    s.stop();
}

#[wasm_bindgen_test]
async fn the_message_gil_lets_one_thread_run_at_a_time() {
    let s = session(GilMode::On, true);
    assert_eq!(s.gil_impl(), Some(GilImpl::Messages));
    let trace = run_cpu_threads(&s, 3, COUNT, false).await;
    assert_eq!(running_at_once(&trace), 1);
    for lane in cpu_lanes(&trace) {
        let switches = lane.spans.iter().filter(|s| s.state == LaneState::Running).count();
        assert!(switches > 1, "{} was switched out ({switches} running spans)", lane.name);
    }
    s.stop();
}

/// Leases far shorter than a message's trip: a holder often lets go before
/// the arbiter has said whom to hand to, and a lane handed the GIL often
/// lets go before the arbiter hears of the hand-over. Every thread still
/// finishes, one at a time.
#[wasm_bindgen_test]
async fn the_message_gil_hands_over_in_any_order_without_losing_a_thread() {
    use futures::future::{select, Either};
    use_built_worker();
    let s = Session::new(SessionConfig {
        gil: GilMode::On,
        force_messages: true,
        switch_interval_ms: 0.05,
        ms_per_second: 100.0,
        ..SessionConfig::default()
    });
    let run = Box::pin(run_cpu_threads(&s, 4, COUNT / 2, false));
    let trace = match select(run, TimeoutFuture::new(30_000)).await {
        Either::Left((trace, _)) => trace,
        Either::Right(_) => panic!("threads still wait for the GIL after 30 s"),
    };
    assert_eq!(running_at_once(&trace), 1);
    assert_eq!(cpu_lanes(&trace).count(), 4);
    s.stop();
}

#[wasm_bindgen_test]
async fn the_message_gil_hands_over_ahead_without_two_turns_overlapping() {
    // Under the message-based GIL a holder hands over a little before its
    // lease ends, for the next turn to start when it ends. The next thread
    // may wake before that instant: it waits it out, so no two turns ever
    // overlap. How often turns meet exactly depends on how fast a message
    // travels on a loaded machine: `scripts/bench.sh` prints that share and
    // the hand-over times (tests/figures.rs), no test asserts it.
    let s = session(GilMode::On, true);
    let trace = run_cpu_threads(&s, 2, COUNT, false).await;
    assert_eq!(running_at_once(&trace), 1);
    let mut turns: Vec<(f64, f64)> = cpu_lanes(&trace)
        .flat_map(|l| l.spans.iter().filter(|s| s.state == LaneState::Running).map(|s| (s.start_ms, s.end_ms)))
        .collect();
    turns.sort_by(|a, b| a.0.total_cmp(&b.0));
    let gaps: Vec<f64> = turns.windows(2).map(|w| w[1].0 - w[0].1).collect();
    assert!(gaps.len() >= 20, "only {} switches", gaps.len());
    assert!(gaps.iter().all(|g| *g > -1e-6), "two turns overlap: {gaps:?}");
    let met = gaps.iter().filter(|g| **g < 0.05).count();
    console_log!("{met} of {} turns started as the last one ended", gaps.len());
    s.stop();
}

#[wasm_bindgen_test]
async fn an_io_thread_overlaps_cpu_threads_under_either_gil() {
    for force_messages in [false, true] {
        let s = session(GilMode::On, force_messages);
        // The CPU thread runs longer than the I/O thread's six 15 ms sleeps.
        let trace = run_cpu_threads(&s, 1, COUNT * 10, true).await;
        let io = trace.lanes.iter().find(|l| l.name == "io").unwrap();
        let cpu = cpu_lanes(&trace).next().unwrap();
        let overlap: f64 = io
            .spans
            .iter()
            .filter(|s| s.state == LaneState::Io)
            .flat_map(|a| cpu.spans.iter().filter(|b| b.state == LaneState::Running).map(move |b| (*a, *b)))
            .map(|(a, b)| (a.end_ms.min(b.end_ms) - a.start_ms.max(b.start_ms)).max(0.0))
            .sum();
        assert!(overlap > 45.0, "I/O overlapped CPU for only {overlap} ms (messages: {force_messages})");
        s.stop();
    }
}

#[wasm_bindgen_test]
async fn free_threaded_threads_and_processes_run_in_parallel() {
    // One core cannot show parallelism: the overlap is then not checked, and the
    // output says so; that no lane waits for a GIL holds on any machine.
    let cores = web_sys::window().unwrap().navigator().hardware_concurrency() as usize;
    let parallel = cores >= 2;
    if !parallel {
        console_log!("skipped: the overlap checks need 2 cores, found {cores}");
    }
    let no_gil_waits = |trace: &Trace| cpu_lanes(trace).all(|l| l.time_in(LaneState::WaitingGil, trace.end_ms) == 0.0);
    let s = session(GilMode::FreeThreaded, false);
    assert_eq!(s.gil_impl(), None);
    let trace = run_cpu_threads(&s, 2, COUNT, false).await;
    assert!(no_gil_waits(&trace), "free-threaded threads never wait for a GIL");
    if parallel {
        assert_eq!(running_at_once(&trace), 2, "free-threaded threads overlap");
    }
    s.stop();

    let s = session(GilMode::On, false);
    // Long enough to overlap although each process's start-up shows apart.
    let processes: Vec<Process> = (0..2).map(|_| Process::new(&s, cpu(COUNT * 4))).collect();
    for p in &processes {
        p.start().unwrap();
    }
    for p in &processes {
        p.join().await.unwrap();
    }
    let trace = s.trace();
    assert_eq!(trace.lane(1).unwrap().name, "Process-1");
    assert!(no_gil_waits(&trace), "processes never wait for another's GIL");
    if parallel {
        assert_eq!(running_at_once(&trace), 2, "processes never share a GIL");
    }
    s.stop();
}

#[wasm_bindgen_test]
async fn asyncio_sleeps_end_in_the_order_they_are_due_and_sleep_0_is_one_turn_of_the_loop() {
    let s = session(GilMode::On, false);
    let lp = EventLoop::new(&s);
    let inner = lp.clone();
    // At 100 ms a Python second: sleeps of 0-60 ms, two pairs of them due
    // together (the first to sleep wakes first, as in asyncio).
    let jobs = [0.5, 0.2, 0.5, 0.0, 0.2, 0.6, 0.0];
    let (woke, zero_ms) = lp
        .run_until_complete(async move {
            let order = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
            let tasks: Vec<_> = jobs
                .iter()
                .enumerate()
                .map(|(i, &secs)| {
                    let (lp, order) = (inner.clone(), order.clone());
                    inner.create_task(async move {
                        lp.sleep(secs).await;
                        order.borrow_mut().push(i);
                        Ok(PyValue::None)
                    })
                })
                .collect();
            gather(&tasks).await.unwrap();
            // Fifty sleep(0) in a row: fifty turns of the loop (about 0.02 ms
            // each), where nested 0 ms timers wait 4 ms each, 180 ms or more.
            let from = now();
            for _ in 0..50 {
                inner.sleep(0.0).await;
            }
            let woke = order.borrow().clone();
            (woke, now() - from)
        })
        .await;
    assert_eq!(woke, [3, 6, 1, 4, 0, 2, 5]);
    assert!(zero_ms < 100.0, "fifty sleep(0) took {zero_ms:.1} ms");
    s.stop();
}

#[wasm_bindgen_test]
async fn asyncio_tasks_run_on_the_main_thread_and_overlap_their_sleeps() {
    let s = session(GilMode::On, false);
    let lp = EventLoop::new(&s);
    let jobs = [5.0, 2.0, 1.0, 3.0];
    let inner = lp.clone();
    s.begin();
    let started = s.trace().start_ms.unwrap();
    let results = lp
        .run_until_complete(async move {
            let tasks: Vec<_> = jobs
                .iter()
                .enumerate()
                .map(|(i, &secs)| {
                    inner.print(format!("Adding process #{i}, waiting for {secs}s"));
                    let lp = inner.clone();
                    inner.create_task(async move {
                        lp.print(format!("Job #{i} is sleeping for {secs}s"));
                        lp.sleep(secs).await;
                        lp.print(format!("Job #{i} finished"));
                        Ok(PyValue::Tuple(vec![PyValue::Int(i as i64), PyValue::Float(secs * 2.0)]))
                    })
                })
                .collect();
            gather(&tasks).await
        })
        .await
        .unwrap();
    let trace = s.trace();
    assert!(trace.lines.iter().all(|l| l.lane == MAIN_LANE), "every line comes from MainThread");
    assert!(trace.lanes.iter().all(|l| !l.kind.is_worker()), "no worker was used");
    let finished: Vec<&str> = trace.lines.iter().map(|l| l.text.as_str()).filter(|t| t.ends_with("finished")).collect();
    assert_eq!(finished, ["Job #2 finished", "Job #1 finished", "Job #3 finished", "Job #0 finished"]);
    assert_eq!(trace.lines[4].text, "Job #0 is sleeping for 5s");
    assert_eq!(results[1].repr(), "(1, 4.0)");
    // Each task's sub-lane, between its steps: process() awaits the job tasks,
    // blocked on them as a thread joining others is; the job tasks sleep side by side.
    let states = |name: &str| -> Vec<LaneState> {
        let lane = trace.lanes.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no lane {name}"));
        let mut states: Vec<_> = lane.spans.iter().map(|s| s.state).filter(|s| *s != LaneState::Running).collect();
        states.dedup();
        states
    };
    assert_eq!(states("Task-1"), [LaneState::Blocked]);
    for job in ["Task-2", "Task-3", "Task-4", "Task-5"] {
        assert_eq!(states(job), [LaneState::Io], "{job}");
    }
    assert_eq!(trace.in_flight_at_once(), 4, "the four sleeps, not the task awaiting them");
    let total = trace.lines.last().unwrap().at_ms - started;
    let (longest, sum) = (s.ms(5.0), s.ms(11.0));
    assert!(
        total < (longest + sum) / 2.0,
        "total {total} ms is near the longest sleep ({longest}), not the sum ({sum})"
    );
    s.stop();
}

#[wasm_bindgen_test]
async fn a_panicking_job_fails_its_future_a_thread_pool_goes_on_and_a_process_pool_breaks() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    let bad = pool.submit(Program::new(vec![Op::Panic("boom".into())])).unwrap();
    let exc = bad.exception().await.unwrap().expect("an exception");
    assert_eq!(exc.type_name, "RuntimeError");
    assert!(exc.message.contains("boom"), "{}", exc.message);
    assert_eq!(pool.submit(page(5.0, 7)).unwrap().result().await, Ok(PyValue::Bytes(7)));

    // A child process that dies abruptly breaks its pool, as in CPython.
    let pool = Executor::process_pool(&s, Some(2)).unwrap();
    let bad = pool.submit(Program::new(vec![Op::Sleep { ms: 20.0 }, Op::Panic("boom".into())])).unwrap();
    let pending: Vec<_> = (0..3).map(|_| pool.submit(page(2_000.0, 1)).unwrap()).collect();
    for future in std::iter::once(&bad).chain(&pending) {
        let exc = future.exception().await.unwrap().expect("an exception");
        assert_eq!(exc.type_name, "BrokenProcessPool");
        assert_eq!(
            exc.message,
            "A process in the process pool was terminated abruptly while the future was running or pending."
        );
    }
    let exc = pool.submit(page(5.0, 7)).unwrap_err();
    assert_eq!(
        (exc.type_name.as_str(), exc.message.as_str()),
        ("BrokenProcessPool", "A child process terminated abruptly, the process pool is not usable anymore")
    );
    s.stop();
}

#[wasm_bindgen_test]
async fn a_stop_ends_every_worker_and_keeps_the_trace() {
    let s = session(GilMode::On, false);
    let threads: Vec<Thread> = (0..2).map(|_| Thread::new(&s, cpu(COUNT * 50))).collect();
    let pool = Executor::process_pool(&s, Some(2)).unwrap();
    let futures: Vec<_> = (0..4).map(|_| pool.submit(cpu(COUNT * 50)).unwrap()).collect();
    for t in &threads {
        t.start().unwrap();
    }
    while s.live_workers() < 4 {
        TimeoutFuture::new(10).await;
    }
    TimeoutFuture::new(100).await;
    s.stop();
    assert_eq!(s.live_workers(), 0);
    assert!(threads.iter().all(|t| !t.is_alive()));
    for f in &futures {
        assert!(f.done());
    }
    let trace = s.trace();
    assert!(trace.lanes.iter().filter(|l| l.kind != LaneKind::MainThread).all(|l| l.ended));
    assert!(trace.lanes.iter().any(|l| l.time_in(LaneState::Running, trace.end_ms) > 0.0), "the partial trace is kept");
}

#[wasm_bindgen_test]
async fn wait_first_exception_and_done_callbacks() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(3)).unwrap();
    let slow = pool.submit(page(500.0, 1)).unwrap();
    let failing =
        pool.submit(Program::new(vec![Op::Sleep { ms: 20.0 }, Op::Raise(PyException::new("KeyError", "k"))])).unwrap();
    let seen = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = seen.clone();
    failing.add_done_callback(move |f| {
        assert!(f.done());
        counter.set(counter.get() + 1);
    });
    let (done, not_done) = wait(&[slow.clone(), failing.clone()], ReturnWhen::FirstException).await;
    assert_eq!(done, std::slice::from_ref(&failing));
    assert_eq!(not_done, [slow]);
    assert_eq!(seen.get(), 1, "the done-callback ran once");
    // As in CPython, a callback added to a future that is already done runs at once.
    let late = seen.clone();
    failing.add_done_callback(move |f| {
        assert!(f.done());
        late.set(late.get() + 10);
    });
    assert_eq!(seen.get(), 11, "the late callback ran at once, once, and the first did not run again");
    s.stop();
    assert_eq!(seen.get(), 11, "stopping the session runs no callback again");
}

#[wasm_bindgen_test]
async fn an_executor_scope_shuts_down_when_its_body_ends() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(2)).unwrap();
    let kept = pool.clone();
    let future = pool.scope(|ex| async move { ex.submit(page(30.0, 9)).unwrap() }).await;
    assert!(future.done(), "leaving the scope waited for the call");
    assert_eq!(kept.submit(page(1.0, 1)).unwrap_err().type_name, "RuntimeError");
    assert_eq!(s.live_workers(), 0, "the pool's workers exited");
    s.stop();
}

#[wasm_bindgen_test]
async fn to_thread_runs_off_the_loop_and_blocking_sleep_holds_it() {
    let s = session(GilMode::On, false);
    let lp = EventLoop::new(&s);
    let value = lp.to_thread(page(20.0, 42)).await.unwrap();
    assert_eq!(value, PyValue::Bytes(42));
    let names: Vec<String> = s.trace().lanes.iter().map(|l| l.name.clone()).collect();
    assert!(names.contains(&"asyncio_0".to_string()), "{names:?}");

    // A task that should wake after 0.1 s is held until a blocking 0.5 s sleep ends.
    let inner = lp.clone();
    let waker = lp.create_task(async move {
        inner.sleep(0.1).await;
        Ok(PyValue::Float(parallel_playground::runtime::clock::now()))
    });
    let before = parallel_playground::runtime::clock::now();
    TimeoutFuture::new(0).await;
    lp.blocking_sleep(0.5);
    let Ok(PyValue::Float(woke)) = waker.result().await else { panic!("no time") };
    assert!(woke - before >= s.ms(0.5), "the task woke only after the blocking sleep");
    let main = s.trace();
    assert!(main.lane(MAIN_LANE).unwrap().spans.iter().any(|sp| sp.state == LaneState::Blocked));
    s.stop();
}

#[wasm_bindgen_test]
async fn a_same_origin_fetch_is_real() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    let page_len = pool.submit(Program::new(vec![Op::Fetch { url: "/dist/index.html".into() }])).unwrap();
    let result = page_len.result().await;
    assert!(matches!(result, Ok(PyValue::Bytes(n)) if n > 100), "{result:?}");
    let missing = pool.submit(Program::new(vec![Op::Fetch { url: "/dist/no-such-file".into() }])).unwrap();
    let err = missing.result().await.unwrap_err();
    assert_eq!((err.type_name.as_str(), err.message.starts_with("HTTP Error 404")), ("HTTPError", true));
    s.stop();
}

#[wasm_bindgen_test]
async fn only_addresses_under_the_base_path_are_fetched() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    // The base is /dist/; /Cargo.toml exists on the test server, outside it.
    for url in ["https://example.com/", "../Cargo.toml", "/Cargo.toml", "%2e%2e/Cargo.toml", "..%2fCargo.toml"] {
        let result = pool.submit(Program::new(vec![Op::Fetch { url: url.into() }])).unwrap().result().await;
        let err = result.clone().expect_err(&format!("{url}: {result:?}"));
        assert_eq!(err.type_name, "URLError", "{url}");
        assert_eq!(err.message, "<urlopen error [Errno 111] Connection refused>", "{url}");
    }
    console_log!("skipped: a redirect (the test server has none to follow; the end-to-end tests cover it)");
    s.stop();
}

/// Starts CPU-bound threads (two of them queued behind the GIL where there
/// is one) and processes, and waits until they all run.
async fn busy_session(gil: GilMode, force_messages: bool) -> Session {
    let s = session(gil, force_messages);
    let threads: Vec<Thread> = (0..3).map(|_| Thread::new(&s, cpu(COUNT * 50))).collect();
    let processes: Vec<Process> = (0..1).map(|_| Process::new(&s, cpu(COUNT * 50))).collect();
    for t in &threads {
        t.start().unwrap();
    }
    for p in &processes {
        p.start().unwrap();
    }
    // Until every worker runs its program or waits for the GIL.
    let started = |trace: &Trace| {
        let lanes = trace.lanes.iter().filter(|l| l.kind != LaneKind::MainThread);
        lanes.filter(|l| !l.spans.is_empty()).count()
    };
    while started(&s.trace()) < 4 {
        TimeoutFuture::new(10).await;
    }
    TimeoutFuture::new(100).await;
    s
}

#[wasm_bindgen_test]
async fn a_stop_ends_cpu_loops_and_gil_waits_at_once() {
    let isolated = js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let before = workers_alive();
    for (gil, force_messages) in [(GilMode::On, false), (GilMode::FreeThreaded, false), (GilMode::On, true)] {
        let s = busy_session(gil, force_messages).await;
        // The message-based GIL's arbiter is a worker of its own.
        let arbiter = usize::from(force_messages);
        assert_eq!(workers_alive(), before + 4 + arbiter, "{gil:?}, messages: {force_messages}");
        s.stop();
        assert_eq!(workers_alive(), before, "every worker is terminated by the stop");
        assert_eq!(s.live_workers(), 0);
        match s.cpu_slices() {
            Some(at_stop) => {
                // A worker that missed the stop would go on counting until the
                // browser forced it down, seconds later.
                TimeoutFuture::new(100).await;
                let settled = s.cpu_slices().unwrap();
                TimeoutFuture::new(300).await;
                let later = s.cpu_slices().unwrap();
                assert_eq!(later, settled, "no slice of CPU work after the stop ({gil:?})");
                assert!(at_stop > 0, "the workers counted their slices");
            }
            None => console_log!(
                "skipped: whether the CPU loops ended ({gil:?}, messages: {force_messages}): no shared memory to \
                 count their slices in (isolated: {isolated})"
            ),
        }
    }
}

#[wasm_bindgen_test]
async fn a_worker_that_cannot_start_fails_its_start_and_the_next_start_retries() {
    let s = session(GilMode::On, false);
    let document = web_sys::window().unwrap().document().unwrap();
    let base = document.query_selector("base").unwrap().unwrap();
    // A site whose worker code is missing.
    base.set_attribute("href", "/dist/no-such-folder/").unwrap();
    let before = workers_alive();
    let thread = Thread::new(&s, cpu(1000));
    let err = thread.prepare().await.unwrap_err();
    assert_eq!(err.type_name, "RuntimeError");
    assert_eq!(err.message, "can't start new thread: could not load worker_bg.wasm (HTTP 404)");
    let pool = Executor::process_pool(&s, Some(1)).unwrap();
    let err = pool.submit(cpu(1000)).unwrap().result().await.unwrap_err();
    assert_eq!(err.message, "can't start new process: could not load worker_bg.wasm (HTTP 404)");
    assert_eq!(workers_alive(), before);
    // The site is back: the next start loads the code afresh.
    base.set_attribute("href", "/dist/").unwrap();
    let thread = Thread::new(&s, Program::new(vec![Op::Print("up".into())]));
    thread.start().unwrap();
    thread.join().await.unwrap();
    assert_eq!(thread.outcome(), Some(Ok(PyValue::None)));
    s.stop();
    assert_eq!(workers_alive(), before);
}

/// A worker sends each stretch of its work in one message, yet the page sees
/// the events as they happened: in order, each stamped on the page's clock
/// when it happened, not when its message came.
#[wasm_bindgen_test]
async fn a_tasks_events_arrive_in_order_stamped_when_they_happened() {
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool(&s, Some(1)).unwrap();
    pool.submit(Program::default()).unwrap().result().await.unwrap();
    let before = now();
    let program = Program::new(vec![
        Op::Line(3),
        Op::Print("one".into()),
        Op::Sleep { ms: 40.0 },
        Op::Line(4),
        Op::Print("two".into()),
    ]);
    pool.submit(program).unwrap().result().await.unwrap();
    let after = now();
    let events: Vec<_> = s.events().into_iter().filter(|e| e.lane != MAIN_LANE && e.at_ms >= before).collect();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            EventKind::State(LaneState::Running),
            EventKind::Line(3),
            EventKind::Print("one".into()),
            EventKind::State(LaneState::Io),
            EventKind::State(LaneState::Running),
            EventKind::Line(4),
            EventKind::Print("two".into()),
            EventKind::State(LaneState::Idle),
        ]
    );
    assert!(events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "{events:?}");
    assert!(events.iter().all(|e| e.at_ms <= after), "{events:?} after {after}");
    let slept = events[4].at_ms - events[3].at_ms;
    assert!(slept >= 40.0 - CLOCK_SLACK_MS, "the sleep's two states are {slept} ms apart");
    s.stop();
}

/// What a lane does shows while it lasts: a print before a long sleep or a
/// long CPU loop reaches the page long before the task ends, with or without
/// shared memory.
#[wasm_bindgen_test]
async fn a_long_tasks_prints_and_states_arrive_while_it_runs() {
    for force_messages in [false, true] {
        let s = session(GilMode::On, force_messages);
        let pool = Executor::process_pool(&s, Some(2)).unwrap();
        let sleeper =
            pool.submit(Program::new(vec![Op::Print("sleeping".into()), Op::Sleep { ms: 10_000.0 }])).unwrap();
        let counter =
            pool.submit(Program::new(vec![Op::Print("counting".into()), Op::Countdown { n: COUNT * 100 }])).unwrap();
        let seen = |kind: &EventKind| s.events().iter().any(|e| e.lane != MAIN_LANE && &e.kind == kind);
        let expected = [
            EventKind::Print("sleeping".into()),
            EventKind::Print("counting".into()),
            EventKind::State(LaneState::Io),
            EventKind::State(LaneState::Running),
        ];
        let deadline = now() + 5_000.0;
        while !expected.iter().all(seen) && now() < deadline {
            TimeoutFuture::new(20).await;
        }
        let missing: Vec<_> = expected.iter().filter(|k| !seen(k)).collect();
        assert!(missing.is_empty(), "not seen while the tasks run (force_messages {force_messages}): {missing:?}");
        assert!(!sleeper.done() && !counter.done(), "the tasks should still run");
        s.stop();
    }
}

/// A job that panics still shows what it did first.
#[wasm_bindgen_test]
async fn what_a_job_printed_before_it_panicked_is_kept() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    let bad = pool.submit(Program::new(vec![Op::Print("last words".into()), Op::Panic("boom".into())])).unwrap();
    let exc = bad.exception().await.unwrap().expect("an exception");
    assert!(exc.message.contains("the job panicked: boom"), "{}", exc.message);
    let trace = s.trace();
    assert_eq!(trace.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["last words"]);
    s.stop();
}

#[wasm_bindgen_test]
async fn pool_workers_take_calls_in_the_order_they_were_started() {
    let s = session(GilMode::On, false);
    let pool = Executor::thread_pool(&s, Some(4)).unwrap();
    let futures: Vec<_> = (0..4)
        .map(|i| pool.submit(Program::new(vec![Op::Print(format!("call {i}")), Op::Sleep { ms: 30.0 }])).unwrap())
        .collect();
    for f in &futures {
        f.result().await.unwrap();
    }
    let trace = s.trace();
    for line in &trace.lines {
        let i = line.text.trim_start_matches("call ");
        let lane = &trace.lane(line.lane).unwrap().name;
        assert!(lane.ends_with(&format!("_{i}")), "{} ran on {lane}", line.text);
    }
    assert_eq!(trace.lines.len(), 4);
    s.stop();
}

#[wasm_bindgen_test]
async fn warm_workers_start_threads_at_once_and_the_clock_starts_with_the_program() {
    let s = session(GilMode::On, false);
    s.warm(3).await.unwrap();
    assert_eq!(s.warm_workers(), 3);
    assert!(s.events().is_empty(), "warming up is not part of the program");
    TimeoutFuture::new(50).await;
    s.begin();
    let threads: Vec<Thread> =
        (0..2).map(|i| Thread::new(&s, Program::new(vec![Op::Print(format!("first line of {i}"))]))).collect();
    for t in &threads {
        t.start().unwrap();
    }
    for t in &threads {
        t.join().await.unwrap();
    }
    let pool = Executor::thread_pool(&s, Some(1)).unwrap();
    pool.submit(Program::new(vec![Op::Print("from the pool".into())])).unwrap().result().await.unwrap();
    assert_eq!(pool.workers_started(), 1);
    let trace = s.trace();
    let start = trace.start_ms.unwrap();
    assert_eq!(trace.lane(MAIN_LANE).unwrap().spans.first().map(|sp| sp.start_ms), Some(start));
    let events = s.events();
    for line in &trace.lines {
        let started = events.iter().find(|e| e.lane == line.lane).map(|e| e.at_ms).unwrap();
        // A warm worker answers within a few ms; a fresh one takes tens of ms.
        let late = line.at_ms - started;
        console_log!("{:?}: {late:.1} ms after its thread started", line.text);
        assert!(late < 12.0, "{:?} came {late:.1} ms after its thread started", line.text);
    }
    assert!(trace.lines[0].at_ms - start < 12.0);
    let names: Vec<&str> = trace.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["MainThread", "Thread-1", "Thread-2", "ThreadPoolExecutor-0_0"]);
    assert!(trace.lanes.iter().all(|l| l.time_in(LaneState::Starting, trace.end_ms) == 0.0));
    s.stop();
    assert_eq!(s.live_workers(), 0, "the unused warm worker ends with the run");
}

#[wasm_bindgen_test]
async fn a_process_lane_shows_its_start_up_apart_from_its_work() {
    let s = session(GilMode::On, false);
    s.begin();
    // Work that lasts longer than a coarse clock's tick (Firefox's),
    // so that its running span is not empty.
    let work = Op::Countdown { n: 1_000_000 };
    let p = Process::new(&s, Program::new(vec![Op::Print(format!("ident {THREAD_IDENT}")), work]));
    p.start().unwrap();
    p.join().await.unwrap();
    let trace = s.trace();
    let lane = trace.lanes.iter().find(|l| l.name == "Process-1").unwrap();
    let states: Vec<LaneState> = lane.spans.iter().map(|sp| sp.state).collect();
    assert_eq!(states.first(), Some(&LaneState::Starting), "{states:?}");
    assert!(states.contains(&LaneState::Running), "{states:?}");
    // Forked: the child's thread is a copy of its parent's main thread.
    assert_eq!(trace.lines[0].text, format!("ident {}", thread_ident(MAIN_LANE)));
    s.stop();
}

#[wasm_bindgen_test]
async fn processes_on_workers_started_ahead_take_cpython_s_start_up() {
    // At 10 s a Python second, CPython's 1.8 ms from a fork to the child's
    // first statement is 18 ms of the page's: a message's few ms on top are
    // a fraction of a Python ms. A Web Worker's own start is not in it.
    use_built_worker();
    let config = SessionConfig { gil: GilMode::On, ms_per_second: 10_000.0, ..SessionConfig::default() };
    let s = Session::new(config);
    s.warm_processes(3).await.unwrap();
    s.begin();
    let processes: Vec<_> = (0..3).map(|_| Process::new(&s, Program::new(vec![Op::Print("up".into())]))).collect();
    for p in &processes {
        p.start().unwrap();
    }
    assert_eq!(s.warm_workers(), 0, "each process took a worker started ahead");
    for p in &processes {
        p.join().await.unwrap();
    }
    let trace = s.trace();
    let mut startings = Vec::new();
    for name in ["Process-1", "Process-2", "Process-3"] {
        let lane = trace.lanes.iter().find(|l| l.name == name).unwrap();
        let starting = *lane.spans.first().unwrap();
        assert_eq!(starting.state, LaneState::Starting, "{name}: {:?}", lane.spans);
        startings.push(starting);
    }
    // In Python ms, from the first start to each child's first statement.
    let runs_after: Vec<f64> = startings.iter().map(|sp| (sp.end_ms - startings[0].start_ms) / 10.0).collect();
    console_log!(
        "forked children ran {runs_after:?} Python ms after the first start (CPython here: 1.7, 1.9-5.4 for four)"
    );
    // Forked one after another, 1.25 ms apart, each running 1.8 ms after its fork.
    for (k, ran) in runs_after.iter().enumerate() {
        let model = 1.8 + 1.25 * k as f64;
        assert!(
            *ran >= model - 0.01 && *ran < model + 1.5,
            "child {k}: {ran:.2} ms, CPython's {model:.2}: {runs_after:?}"
        );
    }
    assert_eq!(trace.lines.len(), 3);
    s.stop();
}

/// How long each process of `n` spawned at once shows `starting`, in Python
/// ms, where a spawn's start-up is work at `rate` iterations a page ms.
async fn spawned_startings(n: usize, rate: f64, ms_per_second: f64) -> Vec<f64> {
    let config = SessionConfig { cpu_rate: Some(rate), ms_per_second, ..SessionConfig::default() };
    let s = Session::new(config);
    s.warm_processes(n).await.unwrap();
    s.begin();
    let pool = Executor::process_pool_with(&s, Some(n), StartMethod::Spawn { main_module: None }).unwrap();
    let calls: Vec<_> = (0..n).map(|_| pool.submit(Program::new(vec![Op::Print("up".into())])).unwrap()).collect();
    for call in calls {
        call.result().await.unwrap();
    }
    let trace = s.trace();
    s.stop();
    trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process)
        .map(|l| l.time_in(LaneState::Starting, trace.end_ms) / ms_per_second * 1000.0)
        .collect()
}

#[wasm_bindgen_test]
async fn spawned_processes_share_the_cores_for_their_start_up_as_cpython_s_do() {
    // CPython's spawned children here: one ran after 44 ms, four after 43-100
    // (about n x 44 ms / 2 cores on average): their start-up is CPU work.
    use_built_worker();
    // This computer's speed, from countdowns on a worker of its own: the
    // difference of a long and a short one leaves the messages out.
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool(&s, Some(1)).unwrap();
    pool.submit(cpu(COUNT / 4)).unwrap().result().await.unwrap();
    let mut took = Vec::new();
    for n in [COUNT / 4, COUNT] {
        let began = now();
        pool.submit(cpu(n)).unwrap().result().await.unwrap();
        took.push(now() - began);
    }
    let rate = (COUNT - COUNT / 4) as f64 / (took[1] - took[0]);
    s.stop();
    // 10 page ms a Python ms: a start-up of 44 Python ms is 440 ms of counting.
    let one = spawned_startings(1, rate, 10_000.0).await;
    let cores = parallel_playground::runtime::capabilities::detect().cores.map_or(2.0, f64::from);
    let four = spawned_startings(4, rate, 10_000.0).await;
    let mean = four.iter().sum::<f64>() / 4.0;
    console_log!("spawned: one started in {one:?} Python ms, four in {four:?} (mean {mean:.0}) on {cores} cores");
    assert!(one[0] > 44.0 * 0.8 && one[0] < 44.0 * 2.0, "a lone spawn started in {one:?} Python ms, CPython's in 44");
    if cores < 4.0 {
        // Four counting on fewer cores take turns: on average about 4/cores as long as one.
        assert!(mean > one[0] * 1.3, "four spawned at once started in {four:?} Python ms, one alone in {one:?}");
    }
}

#[wasm_bindgen_test]
async fn a_forked_process_pool_starts_every_process_at_once_and_its_children_print_the_parents_ident() {
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool_with(&s, Some(3), StartMethod::Fork).unwrap();
    let future = pool.submit(Program::new(vec![Op::Print(format!("LOGGING -> {THREAD_IDENT}"))])).unwrap();
    assert_eq!(pool.workers_started(), 3, "CPython 3.11 forks max_workers processes at the first submit");
    future.result().await.unwrap();
    pool.shutdown(true, false).await;
    let trace = s.trace();
    let names: Vec<&str> = trace.lanes.iter().skip(1).map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["ForkProcess-1", "ForkProcess-2", "ForkProcess-3"]);
    assert_eq!(trace.lines[0].text, format!("LOGGING -> {}", thread_ident(MAIN_LANE)));
    s.stop();
}

#[wasm_bindgen_test]
async fn a_process_pools_workers_take_their_first_calls_together_in_the_order_they_were_started() {
    // CPython forks its processes a millisecond apart; Web Workers come up tens of
    // milliseconds apart, not in order. Which call ends first must not depend on that.
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool_with(&s, Some(3), StartMethod::Fork).unwrap();
    let calls: Vec<_> = (0..3)
        .map(|i| pool.submit(Program::new(vec![Op::Print(format!("call {i}")), Op::Sleep { ms: 60.0 }])).unwrap())
        .collect();
    for call in &calls {
        call.result().await.unwrap();
    }
    pool.shutdown(true, false).await;
    let trace = s.trace();
    let mut firsts = Vec::new();
    for (i, name) in ["ForkProcess-1", "ForkProcess-2", "ForkProcess-3"].iter().enumerate() {
        let lane = trace.lanes.iter().find(|l| l.name == *name).unwrap();
        let line = trace.lines.iter().find(|l| l.lane == lane.id).unwrap();
        assert_eq!(line.text, format!("call {i}"), "{name} took the calls in the order it was started");
        let first =
            lane.spans.iter().find(|sp| sp.state != LaneState::Starting && sp.state != LaneState::Idle).unwrap();
        firsts.push(first.start_ms);
    }
    let spread = firsts.iter().fold(f64::MIN, |a, &b| a.max(b)) - firsts.iter().fold(f64::MAX, |a, &b| a.min(b));
    assert!(spread < 5.0, "the first calls began {spread:.1} ms apart: {firsts:?}");
    s.stop();
}

#[wasm_bindgen_test]
async fn a_spawned_pool_without_a_main_guard_breaks_and_every_future_fails() {
    let s = session(GilMode::On, false);
    let code = "with ProcessPoolExecutor() as executor:\n    executor.submit(f)";
    let frames = vec![Frame::Program { line: 2, function: "<module>", underline: None }, Frame::Library(10)];
    let method =
        StartMethod::Spawn { main_module: Some(unguarded_main_module(0, frames, Source { file: "x.py", code })) };
    let pool = Executor::process_pool_with(&s, Some(2), method).unwrap();
    let futures: Vec<_> = (0..5).map(|i| pool.submit(page(10.0, i)).unwrap()).collect();
    for future in &futures {
        let exc = future.exception().await.unwrap().expect("an exception");
        assert_eq!(exc.type_name, "BrokenProcessPool");
        assert_eq!(
            exc.message,
            "A process in the process pool was terminated abruptly while the future was running or pending."
        );
    }
    assert_eq!(pool.submit(page(1.0, 1)).unwrap_err().type_name, "BrokenProcessPool");
    // Every child still bootstrapping says why it dies, on its own lane.
    for _ in 0..100 {
        if s.trace().lanes.iter().skip(1).all(|l| l.ended) {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    let trace = s.trace();
    let children: Vec<_> = trace.lanes.iter().skip(1).collect();
    assert_eq!(children.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["SpawnProcess-1", "SpawnProcess-2"]);
    for child in children {
        let said: Vec<&str> = trace.lines.iter().filter(|l| l.lane == child.id).map(|l| l.text.as_str()).collect();
        assert_eq!(
            said[..6],
            [
                "Traceback (most recent call last):",
                "  File \"x.py\", line 2, in <module>",
                "    executor.submit(f)",
                "  [10 frames in the standard library]",
                "RuntimeError:",
                "        An attempt has been made to start a new process before the",
            ],
            "{}",
            child.name
        );
        assert!(child.ended);
    }
    s.stop();

    // With a guarded main module, a spawned pool works.
    let s = session(GilMode::On, false);
    let method = StartMethod::Spawn { main_module: Some(MainModule::new(Program::new(vec![Op::Line(1)]))) };
    let pool = Executor::process_pool_with(&s, Some(2), method).unwrap();
    assert_eq!(pool.submit(page(5.0, 3)).unwrap().result().await, Ok(PyValue::Bytes(3)));
    assert_eq!(s.trace().lanes[1].name, "SpawnProcess-1");
    s.stop();
}

#[wasm_bindgen_test]
async fn threads_draw_their_sleeps_in_the_order_they_are_due() {
    let ms_per_second = 40.0;
    let seed = 7;
    let s = session(GilMode::On, false);
    s.seed_random(seed);
    s.warm(3).await.unwrap();
    let begin = parallel_playground::runtime::clock::now() + 20.0;
    let program = |name: &str| {
        let mut ops = vec![Op::SleepUntil { at_ms: begin }];
        for i in 0..6 {
            ops.push(Op::Print(format!("{name}: {i}")));
            ops.push(Op::SleepRandint { lo: 1, hi: 3, ms_per_second });
        }
        Program::new(ops)
    };
    let threads: Vec<Thread> = (0..3).map(|i| Thread::new(&s, program(&format!("T{i}")))).collect();
    // Started together: all three are due at `begin`, so ties are the rule.
    for t in &threads {
        t.start().unwrap();
    }
    for t in &threads {
        t.join().await.unwrap();
    }
    // CPython's order: the thread due first draws first; at one instant,
    // the thread started first. Due times in whole Python seconds.
    let lanes: Vec<u32> = s.trace().lanes.iter().skip(1).map(|l| l.id).collect();
    let mut model = SharedRandom::seed(seed);
    let mut due: Vec<(i64, u32, usize)> = lanes.iter().map(|&lane| (0, lane, 6)).collect();
    while let Some(next) = due.iter_mut().filter(|d| d.2 > 0).min_by_key(|d| (d.0, d.1)) {
        next.0 += model.randint(next.1, 1, 3).unwrap();
        next.2 -= 1;
    }
    let expected: Vec<u32> = model.draws().iter().map(|d| d.lane).collect();
    let drawn: Vec<u32> = s.draws().iter().map(|d| d.lane).collect();
    assert_eq!(drawn, expected);
    s.stop();
}

/// The message-based GIL's cost: N threads of CPU work take about N times
/// one thread's, as in CPython (printed; the bound is loose).
#[wasm_bindgen_test]
async fn the_message_gil_costs_little_beyond_the_work() {
    let n = COUNT * 2;
    let mut one = f64::NAN;
    for threads in [1usize, 2, 4] {
        let s = session(GilMode::On, true);
        s.warm(threads).await.unwrap();
        let workers: Vec<Thread> = (0..threads).map(|_| Thread::new(&s, cpu(n))).collect();
        for t in &workers {
            t.prepare().await.unwrap();
        }
        let t0 = parallel_playground::runtime::clock::now();
        for t in &workers {
            t.start().unwrap();
        }
        for t in &workers {
            t.join().await.unwrap();
        }
        let wall = parallel_playground::runtime::clock::now() - t0;
        if threads == 1 {
            one = wall;
        }
        let ratio = wall / (one * threads as f64);
        let trace = s.trace();
        let switches: usize =
            trace.lanes.iter().map(|l| l.spans.iter().filter(|s| s.state == LaneState::Running).count()).sum();
        console_log!("message GIL: {threads} x {one:.0} ms of CPU took {wall:.0} ms ({ratio:.2} x the work), {switches} running spans");
        // A guard against a round trip per switch (2.05x for 2 threads, 2.25x for
        // 4, before the leases): on a loaded 2-core machine the noise alone
        // reached 1.54x (Firefox, 4 threads), so the 10% budget is the
        // benchmark's to measure, not this test's.
        assert!(ratio < 1.8, "{threads} threads took {ratio:.2} x their work");
        s.stop();
    }
}
