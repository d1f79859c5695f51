//! The Futures slide's program: a pool fetching URLs, `as_completed` (or `map`)
//! on the main thread, the workers' logging lines and the exception line.

use futures::FutureExt;

use super::context::{cpu_iterations, cpu_rate, warm_up, warm_up_processes, Code, RunContext};
use super::demo::{Demo, View};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{within_base, Op, Program, UrlOutcome, THREAD_IDENT};
use crate::model::pyvalue::{percent_format, str_repr, PyException, PyValue};
use crate::model::traceback::{exception_line, spawned_child_frames, urlopen_raised, Frame, Link, Source, Traceback};
use crate::model::urls::{parse_sites, Site};
use crate::runtime::pool::{unguarded_main_module, StartMethod};
use crate::runtime::{as_completed, asset_url, page_base, Executor, SessionConfig};

pub const DEMO: Demo = Demo {
    name: "futures",
    heading: "A pool of URL fetchers",
    intro: "The slide's program on a pool of threads or processes. Browsers cannot read those sites, so each \
            URL's latency and size come from the table below (addresses on this site are fetched for real).",
    specs: SPECS,
    code: |slide_code, params| code(slide_code, &Settings::read(params)),
    note: |params| note(&Settings::read(params)),
    run: |ctx, params| async move { run(&ctx, &Settings::read(&params)).await }.boxed_local(),
    view: View::RUNS,
};

const URLS: Spec = Spec {
    key: "urls",
    label: "URLs: address, latency (s), size (bytes, or unknown)",
    kind: Kind::UrlTable,
    default: "http://www.foxnews.com/ 0.8 302410\nhttp://www.cnn.com/ 0.5 1127356\nhttp://europe.wsj.com/ 1.1 845126\nhttp://www.bbc.co.uk/ 0.3 318204\nhttp://some-made-up-domain.com/ 0.05 unknown",
    help: "One URL a line. An address on this site (such as index.html) is fetched for real, and shown in full, \
           as urlopen needs it.",
};
const WORKERS: Spec =
    Spec { key: "workers", label: "max_workers", kind: Kind::Int { min: 1, max: 16 }, default: "5", help: "" };
const POOL: Spec = Spec {
    key: "pool",
    label: "Executor",
    kind: Kind::Choice(&["ThreadPoolExecutor", "ProcessPoolExecutor"]),
    default: "ThreadPoolExecutor",
    help: "",
};
const CONSUME: Spec = Spec {
    key: "consume",
    label: "Consume with",
    kind: Kind::Choice(&["as_completed", "map"]),
    default: "as_completed",
    help: "as_completed yields futures as they finish; map yields results in URL order.",
};
const START: Spec = Spec {
    key: "start",
    label: "Process start method",
    kind: Kind::Choice(&["fork", "spawn"]),
    default: "fork",
    help: "For ProcessPoolExecutor: fork is CPython's default on Linux; spawn re-imports the program in each child.",
};
const SPECS: &[Spec] = &[URLS, WORKERS, POOL, CONSUME, START, SPEED];

/// What a spawned child takes beyond its start-up, in CPU seconds, measured
/// under CPython 3.11.7 on the reference machine with two workers: importing
/// the program (`concurrent.futures` with its process pool, `logging` and
/// `urllib.request`, after what the spawn imported) 21-27 ms, median 24; then
/// from the `with` statement that fails to the parent hearing the child died
/// (the traceback printed, the interpreter shut down) 20-21 ms. The child's
/// first statement ran 44 ms after the submit, and the pool broke 89-94 ms
/// after it; five children shared the two cores and broke it after 156-244 ms.
const CHILD_IMPORTS_AND_EXIT_S: f64 = 0.024 + 0.020;

/// Which executor the `with` block makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pool {
    Threads,
    Processes,
}

impl Pool {
    fn class_name(self) -> &'static str {
        match self {
            Pool::Threads => "ThreadPoolExecutor",
            Pool::Processes => "ProcessPoolExecutor",
        }
    }
}

/// How a process pool starts its processes (`multiprocessing`'s start methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Fork,
    Spawn,
}

/// How the main thread takes the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consume {
    AsCompleted,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
struct Settings {
    /// The URL table as typed; `parse_sites` reads it.
    urls: String,
    workers: usize,
    pool: Pool,
    consume: Consume,
    start: Start,
}

impl Settings {
    fn read(params: &Params) -> Settings {
        Settings {
            urls: params.text(URLS.key).to_owned(),
            workers: params.int(WORKERS.key).max(1) as usize,
            pool: if params.choice(POOL.key) == "ProcessPoolExecutor" { Pool::Processes } else { Pool::Threads },
            consume: if params.choice(CONSUME.key) == "map" { Consume::Map } else { Consume::AsCompleted },
            start: if params.choice(START.key) == "spawn" { Start::Spawn } else { Start::Fork },
        }
    }
}

/// The URL table's rows, each address on this site written in full, as the
/// page resolves it: `urlopen('index.html')` raises `ValueError: unknown url
/// type`, so the program shown, and the lines it prints, name the full address.
/// An address written in full that is on this site is fetched for real too,
/// whatever its row says of latency and size.
fn sites(settings: &Settings) -> Result<Vec<Site>, String> {
    let mut sites = parse_sites(&settings.urls)?;
    for site in sites.iter_mut() {
        match site.outcome {
            None => {
                if let Some(full) = full_address(&site.url) {
                    site.url = full;
                }
            }
            Some(UrlOutcome::Bytes(_) | UrlOutcome::UnknownHost) => {
                if let Some(full) = full_address(&site.url).filter(|full| on_this_site(full)) {
                    site.url = full;
                    site.outcome = None;
                }
            }
            Some(_) => {}
        }
    }
    Ok(sites)
}

/// `url` resolved against the page's address; natively (the tests) there is no page.
fn full_address(url: &str) -> Option<String> {
    if cfg!(target_arch = "wasm32") {
        asset_url(url).ok()
    } else {
        None
    }
}

/// Whether a full address is one the page can fetch: under the site's own folder.
fn on_this_site(full: &str) -> bool {
    page_base().is_ok_and(|base| within_base(full, &base))
}

/// A URL as a Python literal, in the slide's double quotes where that stays valid.
fn url_literal(url: &str) -> String {
    let repr = str_repr(url);
    if url.contains(['\'', '"', '\\']) {
        repr
    } else {
        format!("\"{}\"", &repr[1..repr.len() - 1])
    }
}

/// The addresses in the slide's `URLS = [...]`, in order.
fn slide_urls(code: &str) -> Vec<&str> {
    let Some(start) = code.find("URLS = [") else {
        return Vec::new();
    };
    let list = &code[start..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    list.split('"').skip(1).step_by(2).collect()
}

/// The slide's code, with this run's URLs, executor and way of consuming results.
fn code(slide_code: Option<&str>, settings: &Settings) -> String {
    let Some(code) = slide_code else {
        return String::new();
    };
    let sites = sites(settings).unwrap_or_default();
    let urls: Vec<&str> = sites.iter().map(|s| s.url.as_str()).collect();
    // The slide's own list, as written, where it is the list that runs.
    let same_urls = slide_urls(code) == urls;
    let mut out = String::new();
    let mut skipping = false;
    for line in code.lines() {
        if line.starts_with("URLS = [") && !same_urls {
            out.push_str("URLS = [\n");
            for site in &sites {
                out.push_str(&format!("    {},\n", url_literal(&site.url)));
            }
            out.push_str("]\n");
            skipping = true;
            continue;
        }
        if skipping {
            skipping = line != "]";
            continue;
        }
        if settings.consume == Consume::Map && line.contains("future_to_url = {") {
            out.push_str("    # Results come back in the order of URLS\n");
            out.push_str("    for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):\n");
            out.push_str("        print('%r page is %d bytes' % (url, len(data)))\n");
            break;
        }
        let mp_context = match (settings.pool, settings.start) {
            (Pool::Processes, Start::Spawn) => ", mp_context=multiprocessing.get_context('spawn')",
            _ => "",
        };
        let line = line.replace(
            "ThreadPoolExecutor(max_workers=5)",
            &format!("{}(max_workers={}{mp_context})", settings.pool.class_name(), settings.workers),
        );
        if !mp_context.is_empty() && line == "import logging" {
            out.push_str("import multiprocessing\n");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

fn note(settings: &Settings) -> Option<&'static str> {
    match (settings.pool, settings.start) {
        (Pool::Threads, _) => None,
        (Pool::Processes, Start::Fork) => Some(
            "Forked processes are copies of the main one: they have its logging set-up, and \
             `threading.get_ident()` gives the id of the thread that forked them, so every LOGGING line shows the same id.",
        ),
        (Pool::Processes, Start::Spawn) => Some(
            "Each spawned process imports the program again. With no `if __name__ == '__main__':` guard, that import \
             reaches the `with` block and tries to start processes of its own: CPython refuses, the child dies, and the \
             pool is broken for every URL.",
        ),
    }
}

/// Where the lanes are lit in the code shown.
struct Lines {
    fetching: u32,
    urlopen: u32,
    got: u32,
    ret: u32,
    page_is: u32,
    /// `as_completed` only: the dict of futures, the submits, the loop, the exception's line.
    future_to_url: Option<u32>,
    submit: Option<u32>,
    as_completed: Option<u32>,
    exception: Option<u32>,
    /// `map` only.
    map: Option<u32>,
}

impl Lines {
    fn find(code: Code, consume: Consume) -> Result<Lines, String> {
        let when = |wanted: Consume, needle| if consume == wanted { code.line(needle).map(Some) } else { Ok(None) };
        Ok(Lines {
            fetching: code.line("fetching....")?,
            urlopen: code.line("urlopen(url")?,
            got: code.line("got %d bytes")?,
            ret: code.line("return output")?,
            page_is: code.line("page is")?,
            future_to_url: when(Consume::AsCompleted, "future_to_url = {")?,
            submit: when(Consume::AsCompleted, "executor.submit")?,
            as_completed: when(Consume::AsCompleted, "as_completed(")?,
            exception: when(Consume::AsCompleted, "generated an exception")?,
            map: when(Consume::Map, "executor.map")?,
        })
    }
}

async fn run(ctx: &RunContext, settings: &Settings) -> Result<(), String> {
    let sites = sites(settings)?;
    let lines = Lines::find(ctx.code(), settings.consume)?;
    // Known where every URL's latency is given; a real fetch takes what it takes.
    // Spawned children fail before they take a call: nothing ran to compare.
    let latencies: Option<f64> = match (settings.pool, settings.start) {
        (Pool::Processes, Start::Spawn) => None,
        _ => sites.iter().map(|s| s.outcome.as_ref().map(|_| s.latency)).sum(),
    };
    // A spawned child's start-up and its import of the program are CPU work
    // that the children share the cores for, as CPython's do: measured in
    // this computer's speed.
    let spawned = if (settings.pool, settings.start) == (Pool::Processes, Start::Spawn) {
        Some((cpu_rate(ctx).await?, cpu_iterations(ctx, CHILD_IMPORTS_AND_EXIT_S).await?))
    } else {
        None
    };
    let config = SessionConfig { cpu_rate: spawned.map(|(rate, _)| rate), ..SessionConfig::default() };
    let session = ctx.session_doing("pool", config, latencies);
    let workers = Some(settings.workers);
    let executor = match (settings.pool, settings.start) {
        (Pool::Threads, _) => {
            warm_up(ctx, &session, settings.workers.min(sites.len())).await?;
            Executor::thread_pool(&session, workers)
        }
        (Pool::Processes, Start::Fork) => {
            warm_up_processes(ctx, &session, settings.workers).await?;
            Executor::process_pool_with(&session, workers, StartMethod::Fork)
        }
        // The slide's program has no `if __name__ == '__main__':` guard: each
        // spawned child imports it again and fails to start.
        (Pool::Processes, Start::Spawn) => {
            warm_up_processes(ctx, &session, settings.workers.min(sites.len())).await?;
            Executor::process_pool_with(
                &session,
                workers,
                StartMethod::Spawn {
                    main_module: Some(unguarded_main_module(
                        spawned.map_or(0, |(_, work)| work),
                        child_frames(&lines),
                        source(ctx),
                    )),
                },
            )
        }
    }
    .map_err(|e| e.to_string())?;
    // Threads share the logging set up by the main thread; forked children
    // inherit it; spawned children never get as far.
    let logging = settings.pool == Pool::Threads || settings.start == Start::Fork;
    let programs: Vec<Program> = sites.iter().map(|site| load_url(ctx, site, &lines, logging)).collect();
    let page_line = |url: &str, len: u64| {
        percent_format("%r page is %d bytes", &[PyValue::Str(url.into()), PyValue::Int(len as i64)]).unwrap_or_default()
    };
    // An exception the program does not catch: printed once the `with` block has shut the pool down.
    let mut uncaught = None;
    if let Some(map_line) = lines.map {
        session.main_line(map_line);
        let mut results = executor.map(programs).map_err(|e| e.to_string())?;
        for site in &sites {
            match session.blocked(results.next()).await {
                Some(Ok(data)) => {
                    session.main_line(lines.page_is);
                    session.print(page_line(&site.url, data.py_len().unwrap_or(0)));
                }
                Some(Err(exc)) => {
                    uncaught = Some(exc);
                    break;
                }
                None => break,
            }
        }
    } else {
        if let Some(submit) = lines.submit {
            session.main_line(submit);
        }
        let futures: Vec<_> =
            programs.into_iter().map(|p| executor.submit(p)).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
        let mut completed = as_completed(&futures);
        if let Some(loop_line) = lines.as_completed {
            session.main_line(loop_line);
        }
        while let Some(future) = session.blocked(completed.next()).await {
            let index = futures.iter().position(|f| *f == future).unwrap_or(0);
            let url = sites.get(index).map_or("", |s| s.url.as_str());
            match future.result().await {
                Ok(data) => {
                    session.main_line(lines.page_is);
                    session.print(page_line(url, data.py_len().unwrap_or(0)));
                }
                Err(exc) => {
                    if let Some(line) = lines.exception {
                        session.main_line(line);
                    }
                    let text = percent_format(
                        "%r generated an exception: %s",
                        &[PyValue::Str(url.into()), PyValue::Str(exc.to_string())],
                    );
                    session.print(text.unwrap_or_default());
                }
            }
        }
    }
    // Leaving the `with` block shuts the pool down and waits for it.
    session.blocked(executor.shutdown(true, false)).await;
    let ended = match uncaught {
        None => Ok(()),
        // The program ends there, as CPython's does, with exit status 1.
        Some(exc) => {
            for line in map_traceback(&exc, settings.pool, &lines, source(ctx)).lines(source(ctx)) {
                session.print(line);
            }
            let line = exception_line(&exc);
            let name = line.split(':').next().unwrap_or_default();
            Err(format!("the program ended with an uncaught {name}; its traceback is in the console"))
        }
    };
    session.stop();
    ended
}

/// The name a traceback gives the program.
const PROGRAM_FILE: &str = "futures_example.py";

fn source(ctx: &RunContext) -> Source<'_> {
    Source { file: PROGRAM_FILE, code: ctx.code().0 }
}

/// The statement of `load_url` that raises, and the part of it.
const URLOPEN_CALL: &str = "urllib.request.urlopen(url, timeout=timeout)";

/// The traceback CPython 3.11.7 prints when `executor.map`'s loop meets a
/// call that raised (measured with each kind of `urlopen` failure): the
/// loop's statement, five frames of `concurrent.futures`, then, on a thread
/// pool, the worker's frames on into `load_url` and `urllib`. A process
/// pool's child sends its traceback as text, which CPython prints first, as
/// the cause.
fn map_traceback(exc: &PyException, pool: Pool, lines: &Lines, source: Source) -> Traceback {
    let module = Frame::Program { line: lines.map.unwrap_or(0), function: "<module>", underline: None };
    let line = exception_line(exc);
    let Some((urllib, handling)) = urlopen_raised(exc) else {
        return Traceback::new(vec![module, Frame::Library(5)], line);
    };
    let load_url = Frame::Program { line: lines.urlopen, function: "load_url", underline: Some(URLOPEN_CALL) };
    // The call's frames, from `before` on into `load_url` and `urllib`.
    let raised_in = |mut before: Vec<Frame>| {
        before.extend([load_url.clone(), Frame::Library(urllib)]);
        let raised = Traceback::new(before, line.clone());
        match handling.clone() {
            Some(handling) => raised.after(handling, Link::DuringHandling),
            None => raised,
        }
    };
    match pool {
        // The loop's frames run on into the thread's `run`, then `load_url`.
        Pool::Threads => raised_in(vec![module, Frame::Library(5)]),
        // `_process_worker`, `_process_chunk` and its list comprehension, in
        // the child; the parent raises again from `result()`.
        Pool::Processes => {
            let remote = raised_in(vec![Frame::Library(3)]).lines(source).join("\n");
            let cause = Traceback::new(
                Vec::new(),
                format!("concurrent.futures.process._RemoteTraceback: \n\"\"\"\n{remote}\n\"\"\""),
            );
            Traceback::new(vec![module, Frame::Library(5)], line).after(cause, Link::DirectCause)
        }
    }
}

/// The frames of a spawned child's traceback: its import of the program
/// reaches the `with` block, whose first call starts a process (CPython
/// 3.11.7's, as `executor.map` or the dict of `executor.submit`s makes it).
fn child_frames(lines: &Lines) -> Vec<Frame> {
    match (lines.map, lines.submit, lines.future_to_url) {
        (Some(map), _, _) => spawned_child_frames(
            vec![Frame::Program {
                line: map,
                function: "<module>",
                underline: Some("executor.map(load_url, URLS, [60] * len(URLS))"),
            }],
            13,
        ),
        (None, Some(submit), Some(dict)) => spawned_child_frames(
            vec![
                Frame::Program { line: dict, function: "<module>", underline: Some("{") },
                Frame::Program {
                    line: submit,
                    function: "<dictcomp>",
                    underline: Some("executor.submit(load_url, url, 60)"),
                },
            ],
            10,
        ),
        _ => Vec::new(),
    }
}

/// `load_url(url, 60)` as operations: the logging lines (threads only: a
/// spawned process has no logging set up), the fetch, the return.
fn load_url(ctx: &RunContext, site: &Site, lines: &Lines, logging: bool) -> Program {
    let url = str_repr(&site.url).replace('%', "%%");
    let mut ops = vec![Op::Line(lines.fetching)];
    if logging {
        ops.push(Op::Print(format!("LOGGING -> {THREAD_IDENT} - {}: fetching....", url.replace("%%", "%"))));
    }
    ops.push(Op::Line(lines.urlopen));
    ops.push(match site.outcome.clone() {
        Some(outcome) => Op::Urlopen { url: site.url.clone(), latency_ms: ctx.ms(site.latency), outcome },
        None => Op::Fetch { url: site.url.clone() },
    });
    ops.push(Op::Line(lines.got));
    if logging {
        ops.push(Op::PrintLen(format!("LOGGING -> {THREAD_IDENT} - {url}:  got %d bytes")));
    }
    ops.push(Op::Line(lines.ret));
    Program::new(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::context::tests::assert_lines;
    use crate::demos::context::tests::slide_code_of;

    #[test]
    fn lit_lines_point_at_their_statements() {
        let slide = slide_code_of(DEMO.name).expect("the futures slide shows its program");
        for consume in [Consume::AsCompleted, Consume::Map] {
            let settings = Settings { consume, ..Settings::read(&Params::defaults(SPECS)) };
            let code = code(Some(&slide), &settings);
            let l = Lines::find(Code(&code), consume).unwrap();
            let mut expected = vec![
                (l.fetching, "LOG.info('%r: fetching....', url)"),
                (l.urlopen, "with urllib.request.urlopen(url, timeout=timeout) as conn:"),
                (l.got, "LOG.info('%r:  got %d bytes', url, len(output))"),
                (l.ret, "return output"),
            ];
            match consume {
                Consume::AsCompleted => expected.extend([
                    (l.page_is, "print('%r page is %d bytes' % (url, len(data)))"),
                    (l.submit.unwrap(), "executor.submit(load_url, url, 60): url for url in URLS"),
                    (l.as_completed.unwrap(), "for future in concurrent.futures.as_completed(future_to_url):"),
                    (l.exception.unwrap(), "print('%r generated an exception: %s' % (url, exc))"),
                ]),
                Consume::Map => expected.extend([
                    (l.page_is, "print('%r page is %d bytes' % (url, len(data)))"),
                    (l.map.unwrap(), "for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):"),
                ]),
            }
            assert_lines(&code, &expected);
        }
    }

    #[test]
    fn urls_show_as_python_literals() {
        assert_eq!(url_literal("http://a.com/"), "\"http://a.com/\"");
        // Python's own repr where the quotes matter.
        assert_eq!(url_literal("http://a.com/it's"), "\"http://a.com/it's\"");
        assert_eq!(url_literal("http://a.com/\"it's\""), "'http://a.com/\"it\\'s\"'");
    }

    #[test]
    fn the_defaults_show_the_slide_as_written() {
        let slide = slide_code_of(DEMO.name).expect("the futures slide shows its program");
        let defaults = Settings::read(&Params::defaults(SPECS));
        assert_eq!(code(Some(&slide), &defaults), slide.trim_end());
        let fewer = Settings { urls: "http://a.com/ 1 10".into(), workers: 2, ..defaults };
        let changed = code(Some(&slide), &fewer);
        assert!(changed.contains("URLS = [\n    \"http://a.com/\",\n]"), "{changed}");
        assert!(changed.contains("ThreadPoolExecutor(max_workers=2)"));
    }
}

#[cfg(test)]
mod traceback_tests {
    use super::*;
    use crate::demos::context::tests::slide_code_of;

    fn shown(pool: Pool, consume: Consume, start: Start) -> (String, Lines) {
        let slide = slide_code_of(DEMO.name).expect("the futures slide shows its program");
        let settings = Settings { pool, consume, start, ..Settings::read(&Params::defaults(SPECS)) };
        let code = code(Some(&slide), &settings);
        let lines = Lines::find(Code(&code), consume).expect("the statements the demo lights");
        (code, lines)
    }

    fn at(code: &str, line: u32) -> String {
        format!("    {}", code.lines().nth(line as usize - 1).unwrap().trim())
    }

    /// As CPython 3.11.7 printed them here for `executor.map` meeting an
    /// address that does not resolve, the standard library's frames counted.
    #[test]
    fn map_tracebacks_are_cpythons_on_either_pool() {
        let exc = PyException::new("URLError", "<urlopen error [Errno -2] Name or service not known>");
        let handled = [
            "Traceback (most recent call last):",
            "  [9 frames in the standard library]",
            "socket.gaierror: [Errno -2] Name or service not known",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
        ];
        let last = "urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>";
        let carets = "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";

        let (code, l) = shown(Pool::Threads, Consume::Map, Start::Fork);
        let source = Source { file: PROGRAM_FILE, code: &code };
        let got = map_traceback(&exc, Pool::Threads, &l, source).lines(source);
        let mut want: Vec<String> = handled.iter().map(|s| s.to_string()).collect();
        want.extend([
            format!("  File \"futures_example.py\", line {}, in <module>", l.map.unwrap()),
            at(&code, l.map.unwrap()),
            "  [5 frames in the standard library]".into(),
            format!("  File \"futures_example.py\", line {}, in load_url", l.urlopen),
            at(&code, l.urlopen),
            carets.into(),
            "  [6 frames in the standard library]".into(),
            last.into(),
        ]);
        assert_eq!(got, want);

        let (code, l) = shown(Pool::Processes, Consume::Map, Start::Fork);
        let source = Source { file: PROGRAM_FILE, code: &code };
        let got = map_traceback(&exc, Pool::Processes, &l, source).lines(source);
        let mut want: Vec<String> = vec!["concurrent.futures.process._RemoteTraceback:".into(), "\"\"\"".into()];
        want.extend(handled.iter().map(|s| s.to_string()));
        want.extend([
            "  [3 frames in the standard library]".into(),
            format!("  File \"futures_example.py\", line {}, in load_url", l.urlopen),
            at(&code, l.urlopen),
            carets.into(),
            "  [6 frames in the standard library]".into(),
            last.into(),
            "\"\"\"".into(),
            "".into(),
            "The above exception was the direct cause of the following exception:".into(),
            "".into(),
            "Traceback (most recent call last):".into(),
            format!("  File \"futures_example.py\", line {}, in <module>", l.map.unwrap()),
            at(&code, l.map.unwrap()),
            "  [5 frames in the standard library]".into(),
            last.into(),
        ]);
        assert_eq!(got, want);

        // A spawned pool breaks: `result()` raises, no cause.
        let (code, l) = shown(Pool::Processes, Consume::Map, Start::Spawn);
        let source = Source { file: PROGRAM_FILE, code: &code };
        let broken = crate::runtime::pool::broken_while_pending();
        let got = map_traceback(&broken, Pool::Processes, &l, source).lines(source);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[3], "  [5 frames in the standard library]");
        assert!(got[4].starts_with("concurrent.futures.process.BrokenProcessPool: A process in the process pool"));
    }

    #[test]
    fn a_spawned_child_points_at_the_statement_that_starts_a_process() {
        for consume in [Consume::AsCompleted, Consume::Map] {
            let (code, l) = shown(Pool::Processes, consume, Start::Spawn);
            let lines = Traceback::new(child_frames(&l), "RuntimeError: x".into())
                .lines(Source { file: PROGRAM_FILE, code: &code });
            let text = lines.join("\n");
            match consume {
                Consume::Map => {
                    assert!(text.contains("in <module>\n    for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):\n                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  [13 frames in the standard library]"), "{text}");
                }
                Consume::AsCompleted => {
                    assert!(text.contains("in <module>\n    future_to_url = {\n                    ^\n"), "{text}");
                    assert!(text.contains("in <dictcomp>\n    executor.submit(load_url, url, 60): url for url in URLS\n    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  [10 frames in the standard library]"), "{text}");
                }
            }
            assert!(lines[1] == "  [8 frames in the standard library]", "{text}");
        }
    }
}
