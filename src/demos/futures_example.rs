//! The Futures slide's program: a pool fetching URLs, `as_completed` (or `map`)
//! on the main thread, the workers' logging lines and the exception line.

use super::{line_of, ms, RunContext};
use crate::model::params::{Kind, Params, Spec, SPEED};
use crate::model::program::{Op, Program, UrlOutcome, THREAD_IDENT};
use crate::model::pyvalue::{percent_format, str_repr, PyValue};
use crate::runtime::{as_completed, Executor, SessionConfig};

pub const SPECS: &[Spec] = &[
    Spec {
        key: "urls",
        label: "URLs: address, latency (s), size (bytes, or unknown)",
        kind: Kind::Text,
        default: "http://www.foxnews.com/ 0.8 302410\nhttp://www.cnn.com/ 0.5 1127356\nhttp://europe.wsj.com/ 1.1 845126\nhttp://www.bbc.co.uk/ 0.3 318204\nhttp://some-made-up-domain.com/ 0.05 unknown",
        help: "One URL a line. An address on this site (such as index.html) is fetched for real.",
    },
    Spec { key: "workers", label: "max_workers", kind: Kind::Int { min: 1, max: 16 }, default: "5", help: "" },
    Spec {
        key: "pool",
        label: "Executor",
        kind: Kind::Choice(&["ThreadPoolExecutor", "ProcessPoolExecutor"]),
        default: "ThreadPoolExecutor",
        help: "",
    },
    Spec {
        key: "consume",
        label: "Consume with",
        kind: Kind::Choice(&["as_completed", "map"]),
        default: "as_completed",
        help: "as_completed yields futures as they finish; map yields results in URL order.",
    },
    SPEED,
];

/// One row of the URL table.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub url: String,
    pub latency: f64,
    /// `None`: an address on this site, fetched for real.
    pub outcome: Option<UrlOutcome>,
}

/// Reads the URL table: `address latency size` a line.
pub fn parse_sites(text: &str) -> Result<Vec<Site>, String> {
    let mut sites = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let local = |url: &str| !url.contains("://");
        let site = match fields.as_slice() {
            [url] if local(url) => Site { url: (*url).into(), latency: 0.0, outcome: None },
            [url, latency, size] => {
                let latency: f64 =
                    latency.parse().ok().filter(|l: &f64| (0.0..=30.0).contains(l)).ok_or_else(|| {
                        format!("line {}: the latency {latency:?} is not a number of seconds from 0 to 30", n + 1)
                    })?;
                let outcome = match *size {
                    "unknown" => Some(UrlOutcome::UnknownHost),
                    _ if local(url) => None,
                    size => Some(UrlOutcome::Bytes(size.replace('_', "").parse().map_err(|_| {
                        format!("line {}: the size {size:?} is not a number of bytes (or unknown)", n + 1)
                    })?)),
                };
                Site { url: (*url).into(), latency, outcome }
            }
            _ => {
                return Err(format!(
                    "line {}: write an address, a latency and a size, as in: http://a.com/ 0.5 1000",
                    n + 1
                ))
            }
        };
        sites.push(site);
    }
    if sites.is_empty() {
        return Err("give at least one URL".into());
    }
    if sites.len() > 20 {
        return Err("at most 20 URLs".into());
    }
    Ok(sites)
}

/// The slide's code, with this run's URLs, executor and way of consuming results.
pub fn code(slide_code: Option<&str>, params: &Params) -> String {
    let Some(code) = slide_code else {
        return String::new();
    };
    let sites = parse_sites(params.text("urls")).unwrap_or_default();
    let mut out = String::new();
    let mut skipping = false;
    for line in code.lines() {
        if line.starts_with("URLS = [") {
            out.push_str("URLS = [\n");
            for site in &sites {
                out.push_str(&format!("    {},\n", str_repr(&site.url).replace('\'', "\"")));
            }
            out.push_str("]\n");
            skipping = true;
            continue;
        }
        if skipping {
            skipping = line != "]";
            continue;
        }
        if params.choice("consume") == "map" && line.contains("future_to_url = {") {
            out.push_str("    # Results come back in the order of URLS\n");
            out.push_str("    for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):\n");
            out.push_str("        print('%r page is %d bytes' % (url, len(data)))\n");
            break;
        }
        let line = line.replace(
            "ThreadPoolExecutor(max_workers=5)",
            &format!("{}(max_workers={})", params.choice("pool"), params.int("workers")),
        );
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

pub fn note(params: &Params) -> Option<&'static str> {
    (params.choice("pool") == "ProcessPoolExecutor").then_some(
        "Worker processes start fresh (as the spawn and forkserver start methods do), so the logging set-up \
         of the main module does not reach them: no LOGGING lines come from the pool.",
    )
}

pub async fn run(ctx: &RunContext, params: &Params) -> Result<(), String> {
    let sites = parse_sites(params.text("urls"))?;
    let source = ctx.code().to_owned();
    let processes = params.choice("pool") == "ProcessPoolExecutor";
    let session = ctx.session("pool", SessionConfig::default());
    let workers = Some(params.int("workers") as usize);
    let executor =
        if processes { Executor::process_pool(&session, workers) } else { Executor::thread_pool(&session, workers) }
            .map_err(|e| e.to_string())?;
    let programs: Vec<Program> = sites.iter().map(|site| load_url(ctx, site, &source, !processes)).collect();
    let page_line = |url: &str, len: u64| {
        percent_format("%r page is %d bytes", &[PyValue::Str(url.into()), PyValue::Int(len as i64)]).unwrap_or_default()
    };
    session.main_line(line_of(&source, "executor.submit"));
    if params.choice("consume") == "map" {
        session.main_line(line_of(&source, "executor.map"));
        let mut results = executor.map(programs).map_err(|e| e.to_string())?;
        for site in &sites {
            match session.blocked(results.next()).await {
                Some(Ok(data)) => {
                    session.main_line(line_of(&source, "page is"));
                    session.print(page_line(&site.url, data.py_len().unwrap_or(0)));
                }
                Some(Err(exc)) => {
                    // Uncaught: the program ends with a traceback, whose last line is this.
                    session.print("Traceback (most recent call last):");
                    session.print("  ...");
                    session.print(format!("urllib.error.{}: {exc}", exc.type_name));
                    break;
                }
                None => break,
            }
        }
    } else {
        let futures: Vec<_> =
            programs.into_iter().map(|p| executor.submit(p)).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
        let mut completed = as_completed(&futures);
        session.main_line(line_of(&source, "as_completed"));
        while let Some(future) = session.blocked(completed.next()).await {
            let index = futures.iter().position(|f| *f == future).unwrap_or(0);
            let url = sites.get(index).map_or("", |s| s.url.as_str());
            match future.result().await {
                Ok(data) => {
                    session.main_line(line_of(&source, "page is"));
                    session.print(page_line(url, data.py_len().unwrap_or(0)));
                }
                Err(exc) => {
                    session.main_line(line_of(&source, "generated an exception"));
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
    session.stop();
    Ok(())
}

/// `load_url(url, 60)` as operations: the logging lines (threads only: a
/// spawned process has no logging set up), the fetch, the return.
fn load_url(ctx: &RunContext, site: &Site, source: &str, logging: bool) -> Program {
    let url = str_repr(&site.url).replace('%', "%%");
    let mut ops = vec![Op::Line(line_of(source, "fetching...."))];
    if logging {
        ops.push(Op::Print(format!("LOGGING -> {THREAD_IDENT} - {}: fetching....", url.replace("%%", "%"))));
    }
    ops.push(Op::Line(line_of(source, "urlopen(url")));
    ops.push(match site.outcome {
        Some(outcome) => Op::Urlopen { url: site.url.clone(), latency_ms: ms(ctx, site.latency), outcome },
        None => Op::Fetch { url: site.url.clone() },
    });
    ops.push(Op::Line(line_of(source, "got %d bytes")));
    if logging {
        ops.push(Op::PrintLen(format!("LOGGING -> {THREAD_IDENT} - {url}:  got %d bytes")));
    }
    ops.push(Op::Line(line_of(source, "return output")));
    Program::new(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_reads() {
        let sites = parse_sites(SPECS[0].default).unwrap();
        assert_eq!(sites.len(), 5);
        assert_eq!(sites[4].outcome, Some(UrlOutcome::UnknownHost));
        assert_eq!(sites[1].outcome, Some(UrlOutcome::Bytes(1_127_356)));
    }

    #[test]
    fn local_addresses_are_fetched_and_bad_rows_explained() {
        let sites = parse_sites("index.html\nstyle.css 0.1 fetch").unwrap();
        assert_eq!(sites[0].outcome, None);
        assert_eq!(sites[1].outcome, None);
        assert!(parse_sites("http://a/ x 5").unwrap_err().contains("latency"));
        assert!(parse_sites("http://a/ 1 many").unwrap_err().contains("size"));
        assert!(parse_sites("http://a/").unwrap_err().contains("line 1"));
        assert!(parse_sites("").is_err());
    }
}
