//! Measured figures of the runtime on this machine, printed, not asserted.
//! A benchmark, not a test: `scripts/bench.sh` runs it in Chromium and in
//! Firefox, round after round, after `trunk build` has put the worker bundle in
//! `dist/`, with
//! `cargo test --release --target wasm32-unknown-unknown --test figures -- --include-ignored --nocapture`.
//! Besides its lines for a person, it ends with one line `bench-figures {…}`
//! holding every figure as JSON, which `bench/table.mjs` reads.
#![cfg(target_arch = "wasm32")]

use parallel_playground::model::program::{Op, Program};
use parallel_playground::model::trace::{EventKind, LaneKind, LaneState};
use std::cell::RefCell;
use std::rc::Rc;

use parallel_playground::model::pyvalue::PyValue;
use parallel_playground::runtime::asyncio::{gather, EventLoop};
use parallel_playground::runtime::clock::now;
use parallel_playground::runtime::{Executor, GilMode, Process, Session, SessionConfig, Thread};
use serde_json::{json, Map, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn session(gil: GilMode, force_messages: bool) -> Session {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.query_selector("base").unwrap().is_none() {
        let base = document.create_element("base").unwrap();
        base.set_attribute("href", "/dist/").unwrap();
        document.head().unwrap().append_child(&base).unwrap();
    }
    Session::new(SessionConfig {
        gil,
        force_messages,
        switch_interval_ms: 5.0,
        ms_per_second: 1000.0,
        ..SessionConfig::default()
    })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// The value at quantile `q` (0 to 1) of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * q).round() as usize).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: scripts/bench.sh runs it"]
async fn figures() {
    // Every figure by name, for the benchmark's table (printed last).
    let mut out = Map::new();

    // Worker start-up: from `new Worker` (the module already compiled) to the
    // worker's first state, in turns with a JS echo worker's start (the
    // anchors' `echoStart`, its script cached by a first start).
    let anchors_loaded = match load_anchors().await {
        Ok(()) => js_call("echoStart", &[]).await.is_ok(),
        Err(why) => {
            console_log!("the anchors did not load in this page: {why}");
            false
        }
    };
    let s = session(GilMode::On, false);
    let warm = Process::new(&s, Program::default());
    warm.start().unwrap();
    warm.join().await.unwrap();
    let mut startups = Vec::new();
    let mut echo_starts = Vec::new();
    for _ in 0..8 {
        let p = Process::new(&s, Program::default());
        p.start().unwrap();
        p.join().await.unwrap();
        if anchors_loaded {
            if let Some(ms) = js_call("echoStart", &[]).await.ok().and_then(|v| v.as_f64()) {
                echo_starts.push(ms);
            }
        }
    }
    let events = s.events();
    for lane in 2..10 {
        let started = events.iter().find(|e| e.lane == lane && matches!(e.kind, EventKind::Started { .. }));
        // A process lane shows `Starting` until its worker is up: the first state after it.
        let first =
            events.iter().find(|e| e.lane == lane && matches!(e.kind, EventKind::State(s) if s != LaneState::Starting));
        if let (Some(a), Some(b)) = (started, first) {
            startups.push(b.at_ms - a.at_ms);
        }
    }
    console_log!(
        "worker start-up: {:.1} ms mean over {} workers; in turns with them, a JS echo worker's {:.1} ms",
        mean(&startups),
        startups.len(),
        mean(&echo_starts)
    );
    out.insert("worker_ready_ms".into(), json!(mean(&startups)));
    if echo_starts.len() == 8 {
        out.insert("worker_ready_turns".into(), json!({ "echoMs": mean(&echo_starts) }));
    }
    s.stop();

    // Round trip of an empty task through a warm pool worker, in turns with
    // the JS anchors' warm workers (bench/anchors/anchors.js), so that each is
    // read against the others as the machine was at that moment.
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool(&s, Some(1)).unwrap();
    pool.submit(Program::default()).unwrap().result().await.unwrap();
    let turns = match load_anchors().await {
        Ok(()) => js_call("warmAnchors", &[]).await.ok(),
        Err(why) => {
            console_log!("the anchors did not load in this page: {why}");
            None
        }
    };
    let (blocks, per_block) = (10, 20);
    let (mut ours, mut echo, mut workerpool) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..blocks {
        let t0 = now();
        for _ in 0..per_block {
            pool.submit(Program::default()).unwrap().result().await.unwrap();
        }
        ours.push((now() - t0) / per_block as f64);
        if let Some(turns) = &turns {
            for (name, into) in [("echo", &mut echo), ("workerpool", &mut workerpool)] {
                if let Some(ms) = js_method(turns, name, &[per_block.into()]).await.ok().and_then(|v| v.as_f64()) {
                    into.push(ms);
                }
            }
        }
    }
    if let Some(turns) = &turns {
        let _ = js_method(turns, "close", &[]).await;
    }
    let round_trip = mean(&ours);
    console_log!(
        "task round trip (empty task, warm worker): {round_trip:.3} ms mean over {}; in turns with it, raw echo {:.3} ms, workerpool {:.3} ms",
        blocks * per_block,
        mean(&echo),
        mean(&workerpool)
    );
    out.insert("round_trip_ms".into(), json!(round_trip));
    if echo.len() == blocks && workerpool.len() == blocks {
        out.insert("round_trip_turns".into(), json!({ "echoMs": mean(&echo), "workerpoolMs": mean(&workerpool) }));
    }
    s.stop();

    // Countdown speed, to size CPU-bound demo jobs.
    let s = session(GilMode::On, false);
    let pool = Executor::process_pool(&s, Some(1)).unwrap();
    let n = 40_000_000u64;
    pool.submit(Program::new(vec![Op::Countdown { n: 20_000_000 }])).unwrap().result().await.unwrap();
    let t0 = now();
    pool.submit(Program::new(vec![Op::Countdown { n }])).unwrap().result().await.unwrap();
    let ms = now() - t0;
    console_log!("countdown: {:.0} million iterations per second in a worker", n as f64 / ms / 1000.0);
    out.insert("countdown_mips".into(), json!(n as f64 / ms / 1000.0));
    // The jobs below are sized from that speed, so start-up and messages stay small beside them.
    let job = (n as f64 / ms * 400.0) as u64;
    s.stop();

    // Four CPU-bound jobs of about 400 ms each on one process, then on two,
    // three times, in turns with the same on one and two JS workers
    // (`warmCpu`): the machine's speed moves by a third within seconds, so
    // each speedup is the median wall on one over the median wall on two.
    let pools: Vec<_> = [1, 2]
        .into_iter()
        .map(|workers| {
            let s = session(GilMode::On, false);
            let pool = Executor::process_pool(&s, Some(workers)).unwrap();
            (s, pool, workers)
        })
        .collect();
    for (_, pool, workers) in &pools {
        // Start the workers first, so start-up is not part of the comparison.
        let warm: Vec<_> =
            (0..*workers).map(|_| pool.submit(Program::new(vec![Op::Sleep { ms: 50.0 }])).unwrap()).collect();
        for f in warm {
            f.result().await.unwrap();
        }
    }
    let js = js_call("warmCpu", &[]).await.ok();
    let (mut walls, mut js_walls) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    // Which goes first alternates: a run right after two busy cores found them faster.
    for rep in 0..3 {
        for (i, (_, pool, workers)) in pools.iter().enumerate() {
            for ours in [rep % 2 == 0, rep % 2 == 1] {
                if ours {
                    let t0 = now();
                    let jobs: Vec<_> =
                        (0..4).map(|_| pool.submit(Program::new(vec![Op::Countdown { n: job }])).unwrap()).collect();
                    for f in jobs {
                        f.result().await.unwrap();
                    }
                    walls[i].push(now() - t0);
                } else if let Some(js) = &js {
                    let wall = js_method(js, "wall", &[(*workers as u32).into()]).await.ok().and_then(|v| v.as_f64());
                    if let Some(ms) = wall {
                        js_walls[i].push(ms);
                    }
                }
            }
        }
    }
    if let Some(js) = &js {
        let _ = js_method(js, "close", &[]).await;
    }
    for (s, _, _) in &pools {
        s.stop();
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        quantile(values, 0.5)
    };
    let [mut one, mut two] = walls;
    let (one, two) = (median(&mut one), median(&mut two));
    console_log!(
        "4 CPU-bound jobs: {one:.0} ms on 1 process, {two:.0} ms on 2 (medians of 3): speedup {:.2}x",
        one / two
    );
    out.insert("cpu_one_ms".into(), json!(one));
    out.insert("cpu_two_ms".into(), json!(two));
    out.insert("cpu_speedup".into(), json!(one / two));
    let [mut js_one, mut js_two] = js_walls;
    if js_one.len() == 3 && js_two.len() == 3 {
        let (js_one, js_two) = (median(&mut js_one), median(&mut js_two));
        console_log!(
            "  in turns with them, JS workers: {js_one:.0} ms on 1, {js_two:.0} ms on 2: speedup {:.2}x",
            js_one / js_two
        );
        out.insert("cpu_turns".into(), json!({ "oneMs": js_one, "twoMs": js_two, "speedup": js_one / js_two }));
    }

    // The GIL's observed switch interval: how long a CPU-bound thread runs before it is switched out.
    for force_messages in [false, true] {
        let s = session(GilMode::On, force_messages);
        let threads: Vec<Thread> =
            (0..2).map(|_| Thread::new(&s, Program::new(vec![Op::Countdown { n: job }]))).collect();
        for t in &threads {
            t.start().unwrap();
        }
        for t in &threads {
            t.join().await.unwrap();
        }
        let trace = s.trace();
        let mut runs = Vec::new();
        for lane in trace.lanes.iter().filter(|l| l.kind == LaneKind::Thread) {
            let spans: Vec<_> = lane.spans.iter().filter(|s| s.state == LaneState::Running).collect();
            // The first and last runs are cut by start and end, not by a switch.
            if spans.len() > 2 {
                runs.extend(spans[1..spans.len() - 1].iter().map(|s| s.duration_ms()));
            }
        }
        runs.sort_by(f64::total_cmp);
        let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
        // Hand-overs: from a thread's last instant running to the next one's first.
        let mut edges: Vec<(f64, f64)> = trace
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Thread)
            .flat_map(|l| l.spans.iter().filter(|s| s.state == LaneState::Running).map(|s| (s.start_ms, s.end_ms)))
            .collect();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut gaps: Vec<f64> = edges.windows(2).map(|w| w[1].0 - w[0].1).collect();
        gaps.sort_by(f64::total_cmp);
        // Turns that start as the last one ends, within a tick of Firefox's
        // 20 us clock (the message-based GIL hands over ahead for this).
        let met = 100.0 * gaps.iter().filter(|g| **g < 0.05).count() as f64 / gaps.len().max(1) as f64;
        let gap = |q: f64| quantile(&gaps, q);
        let first = edges.first().map_or(0.0, |e| e.0);
        let last = edges.iter().map(|e| e.1).fold(0.0, f64::max);
        let running: f64 = edges.iter().map(|e| e.1 - e.0).sum();
        let idle = 100.0 * (1.0 - running / (last - first).max(1e-9));
        console_log!(
            "GIL ({}): hand-over p50 {:.3} ms, p90 {:.3} ms, max {:.3} ms, {:.0}% meet; no thread runs {:.1}% of the threads' time",
            s.gil_impl().map_or("none", |g| g.label()),
            gap(0.5),
            gap(0.9),
            gap(1.0),
            met,
            idle
        );
        console_log!(
            "GIL ({}): {} switches, a thread runs {:.2} ms (median) between switches; interval set to 5 ms; wall {:.0} ms, speedup {:.2}x",
            s.gil_impl().map_or("none", |g| g.label()),
            runs.len(),
            median,
            trace.wall_ms(),
            trace.speedup().unwrap_or(0.0)
        );
        let gil = if force_messages { "gil_messages" } else { "gil_shared" };
        out.insert(format!("{gil}_run_ms"), json!(median));
        out.insert(format!("{gil}_handover_p50_ms"), json!(gap(0.5)));
        out.insert(format!("{gil}_handover_p90_ms"), json!(gap(0.9)));
        out.insert(format!("{gil}_handover_max_ms"), json!(gap(1.0)));
        out.insert(format!("{gil}_turns_met_pct"), json!(met));
        out.insert(format!("{gil}_idle_pct"), json!(idle));
        // The two threads' wall time over the same work one after the other.
        out.insert(format!("{gil}_over_serial"), json!(1.0 / trace.speedup().unwrap_or(f64::NAN)));
        s.stop();
    }

    // Sleeps' lateness: how long after its due time a worker's sleep ends,
    // with the session's stop word (a shared-memory page) and without.
    for force_messages in [false, true] {
        let s = session(GilMode::On, force_messages);
        s.warm(1).await.unwrap();
        let t0 = now() + 50.0;
        let dues: Vec<f64> = (0..60).map(|i| t0 + f64::from(i) * 37.3).collect();
        let mut ops = Vec::new();
        for (i, due) in dues.iter().enumerate() {
            ops.push(Op::SleepUntil { at_ms: *due });
            ops.push(Op::Print(i.to_string()));
        }
        // One long sleep too: browsers stretch long timers.
        let long_due = t0 + 60.0 * 37.3 + 2_200.0;
        ops.push(Op::SleepUntil { at_ms: long_due });
        ops.push(Op::Print("long".into()));
        let t = Thread::new(&s, Program::new(ops));
        t.start().unwrap();
        t.join().await.unwrap();
        let trace = s.trace();
        let mut late: Vec<f64> =
            trace.lines.iter().map(|l| l.at_ms - l.text.parse::<usize>().map_or(long_due, |i| dues[i])).collect();
        late.sort_by(f64::total_cmp);
        let at = |q: f64| quantile(&late, q);
        console_log!(
            "sleep lateness ({}): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} sleeps (min {:.2} ms)",
            if force_messages { "no stop word" } else { "stop word" },
            at(0.5),
            at(0.99),
            at(1.0),
            late.len(),
            at(0.0)
        );
        let sleep = if force_messages { "sleep_no_stop_word" } else { "sleep_stop_word" };
        out.insert(format!("{sleep}_p50_ms"), json!(at(0.5)));
        out.insert(format!("{sleep}_p99_ms"), json!(at(0.99)));
        out.insert(format!("{sleep}_max_ms"), json!(at(1.0)));
        s.stop();
    }

    // The page's `asyncio.sleep`: how long after its due time a task on the
    // page's loop wakes. 60 tasks whose sleeps end 37.3 ms apart and one of
    // 2.2 s; then one task's 50 `sleep(0)` in a row (one turn of the loop each).
    {
        let s = session(GilMode::On, false);
        let event_loop = EventLoop::new(&s);
        let late: Rc<RefCell<Vec<f64>>> = Rc::default();
        let turns: Rc<RefCell<Vec<f64>>> = Rc::default();
        let (lp, l, t) = (event_loop.clone(), late.clone(), turns.clone());
        let ran = event_loop
            .run_until_complete(async move {
                let mut seconds: Vec<f64> = (0..60).map(|i| 0.05 + f64::from(i) * 0.0373).collect();
                seconds.push(60.0 * 0.0373 + 2.2);
                let tasks: Vec<_> = seconds
                    .into_iter()
                    .map(|seconds| {
                        let (lp2, late) = (lp.clone(), l.clone());
                        lp.create_task(async move {
                            let due = now() + seconds * 1000.0;
                            lp2.sleep(seconds).await;
                            late.borrow_mut().push(now() - due);
                            Ok(PyValue::None)
                        })
                    })
                    .collect();
                let ran = gather(&tasks).await;
                for _ in 0..50 {
                    let from = now();
                    lp.sleep(0.0).await;
                    t.borrow_mut().push(now() - from);
                }
                ran
            })
            .await;
        let mut late = late.borrow().clone();
        late.sort_by(f64::total_cmp);
        let mut turns = turns.borrow().clone();
        turns.sort_by(f64::total_cmp);
        let at = |q: f64| quantile(&late, q);
        console_log!(
            "asyncio.sleep lateness on the page: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} sleeps; sleep(0) p50 {:.3} ms, max {:.3} ms{}",
            at(0.5),
            at(0.99),
            at(1.0),
            late.len(),
            quantile(&turns, 0.5),
            quantile(&turns, 1.0),
            if ran.is_ok() { "" } else { " (a task failed)" }
        );
        out.insert("sleep_page_p50_ms".into(), json!(at(0.5)));
        out.insert("sleep_page_p99_ms".into(), json!(at(0.99)));
        out.insert("sleep_page_max_ms".into(), json!(at(1.0)));
        out.insert("sleep_page_zero_p50_ms".into(), json!(quantile(&turns, 0.5)));
        s.stop();
    }

    // The anchors, measured here too: this page (the test runner's) wraps
    // every worker to forward its console, so the runtime is compared with
    // plain JS workers in the same page, as well as in a page of their own
    // (bench/round.mjs).
    match anchors().await {
        Ok(anchors) => {
            console_log!("anchors in this page: {anchors}");
            out.insert("anchors".into(), anchors);
        }
        Err(why) => console_log!("the anchors did not run in this page: {why}"),
    }

    console_log!("bench-figures {}", Value::Object(out));
}

/// bench/anchors/anchors.js in this page, with workerpool's build from
/// node_modules (the runner serves the project's directory), once.
async fn load_anchors() -> Result<(), String> {
    let loaded = js_sys::Reflect::get(&js_sys::global(), &"warmAnchors".into()).map_err(describe)?;
    if loaded.is_function() {
        return Ok(());
    }
    let run = js_sys::Function::new_no_args(
        r#"
        return (async () => {
          const load = (src, attrs) => new Promise((resolve, reject) => {
            const script = Object.assign(document.createElement('script'), { src, onload: resolve, onerror: () => reject(new Error(`${src} did not load`)) });
            for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
            document.head.append(script);
          });
          await load('/node_modules/workerpool/dist/workerpool.min.js', { 'data-workerpool': '' });
          await load('/bench/anchors/anchors.js', { type: 'module' });
        })();
        "#,
    );
    let promise: js_sys::Promise = run.call0(&wasm_bindgen::JsValue::NULL).map_err(describe)?.into();
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(describe)?;
    Ok(())
}

fn describe(e: wasm_bindgen::JsValue) -> String {
    format!("{e:?}")
}

/// Awaits `object[name](...args)`.
async fn js_method(
    object: &wasm_bindgen::JsValue,
    name: &str,
    args: &[wasm_bindgen::JsValue],
) -> Result<wasm_bindgen::JsValue, String> {
    use wasm_bindgen::JsCast;
    let function: js_sys::Function =
        js_sys::Reflect::get(object, &name.into()).map_err(describe)?.dyn_into().map_err(describe)?;
    let args: js_sys::Array = args.iter().collect();
    let promise: js_sys::Promise = function.apply(object, &args).map_err(describe)?.dyn_into().map_err(describe)?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(describe)
}

/// Awaits `window[name](...args)`.
async fn js_call(name: &str, args: &[wasm_bindgen::JsValue]) -> Result<wasm_bindgen::JsValue, String> {
    js_method(&js_sys::global(), name, args).await
}

/// The same measures as the anchors page, by the same code.
async fn anchors() -> Result<Value, String> {
    load_anchors().await?;
    let run = js_sys::Function::new_no_args(
        r#"
        return (async () => JSON.stringify({
          echoRoundTripMs: await window.echoRoundTrip(200),
          workerpoolRoundTripMs: await window.workerpoolRoundTrip(200),
          echoReadyMs: await window.echoReady(8),
          js: await window.cpuSpeedup(),
        }))();
        "#,
    );
    let promise: js_sys::Promise = run.call0(&wasm_bindgen::JsValue::NULL).map_err(describe)?.into();
    let json = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(describe)?;
    serde_json::from_str(&json.as_string().unwrap_or_default()).map_err(|e| e.to_string())
}
