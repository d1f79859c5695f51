//! The futures demo's table of URLs: `address latency size` a line. Browsers
//! cannot read other sites, so each URL's latency and size are given; an
//! address on the page's own site is fetched for real.

use super::echo::echo;
use super::program::UrlOutcome;

/// The largest size a row may give, a terabyte: `len()` of it is printed
/// exactly, as a Python int (a size beyond `i64` printed as a negative count).
pub const LARGEST_SIZE: u64 = 1_000_000_000_000;

/// One row of the URL table.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub url: String,
    pub latency: f64,
    /// `None`: an address on this site, fetched for real.
    pub outcome: Option<UrlOutcome>,
}

/// The schemes `urlopen`'s default handlers open (CPython 3.11).
const HANDLED_SCHEMES: [&str; 5] = ["http", "https", "ftp", "file", "data"];

/// The scheme of `url`, lower-cased as `urlopen` names it, where it has no
/// handler for it: `javascript:alert(1)` has `javascript`; `index.html` and
/// `http://a.com/` have none to name.
fn unknown_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let scheme = scheme.to_ascii_lowercase();
    (well_formed && !HANDLED_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Reads the URL table: `address latency size` a line.
pub fn parse_sites(text: &str) -> Result<Vec<Site>, String> {
    let mut sites = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let local = |url: &str| !url.contains("://");
        let unhandled = fields.first().and_then(|url| unknown_scheme(url));
        let site = match (fields.as_slice(), unhandled) {
            // `urlopen` raises at once for a scheme it has no handler for,
            // whatever the row says of latency and size.
            ([url] | [url, _, _], Some(scheme)) => {
                Site { url: (*url).into(), latency: 0.0, outcome: Some(UrlOutcome::UnknownUrlType(scheme)) }
            }
            ([url], _) if local(url) => Site { url: (*url).into(), latency: 0.0, outcome: None },
            ([url, latency, size], _) => {
                let latency: f64 =
                    latency.parse().ok().filter(|l: &f64| (0.0..=30.0).contains(l)).ok_or_else(|| {
                        format!("line {}: the latency {} is not a number of seconds from 0 to 30", n + 1, echo(latency))
                    })?;
                // An address on this site is fetched for real, whatever the row says.
                let outcome = match *size {
                    _ if local(url) => None,
                    "unknown" => Some(UrlOutcome::UnknownHost),
                    size => Some(UrlOutcome::Bytes(
                        size.replace('_', "").parse().ok().filter(|b: &u64| *b <= LARGEST_SIZE).ok_or_else(|| {
                            format!(
                                "line {}: the size {} is not a number of bytes from 0 to {LARGEST_SIZE} (or unknown)",
                                n + 1,
                                echo(size)
                            )
                        })?,
                    )),
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

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT_TABLE: &str = "http://www.foxnews.com/ 0.8 302410\nhttp://www.cnn.com/ 0.5 1127356\n\
        http://europe.wsj.com/ 1.1 845126\nhttp://www.bbc.co.uk/ 0.3 318204\nhttp://some-made-up-domain.com/ 0.05 unknown";

    #[test]
    fn the_default_table_reads() {
        let sites = parse_sites(DEFAULT_TABLE).unwrap();
        assert_eq!(sites.len(), 5);
        assert_eq!(sites[4].outcome, Some(UrlOutcome::UnknownHost));
        assert_eq!(sites[1].outcome, Some(UrlOutcome::Bytes(1_127_356)));
    }

    #[test]
    fn an_address_urlopen_has_no_handler_for_fails_at_once_as_cpython_s_does() {
        let sites = parse_sites("javascript:alert(1) 0.5 10\nMailTo:a@b.c\nhttp://a.com/ 0.5 10\nindex.html").unwrap();
        let outcomes: Vec<_> = sites.iter().map(|s| (s.latency, s.outcome.clone())).collect();
        assert_eq!(
            outcomes,
            vec![
                (0.0, Some(UrlOutcome::UnknownUrlType("javascript".into()))),
                (0.0, Some(UrlOutcome::UnknownUrlType("mailto".into()))),
                (0.5, Some(UrlOutcome::Bytes(10))),
                (0.0, None),
            ]
        );
        assert_eq!(unknown_scheme("localhost:8080/x").as_deref(), Some("localhost"));
        assert_eq!(unknown_scheme("ftp://x.com/"), None);
        assert_eq!(unknown_scheme("a b:c"), None);
        assert!(parse_sites("javascript:x 0.5").is_err(), "two fields are still a bad row");
    }

    #[test]
    fn local_addresses_are_fetched_and_bad_rows_explained() {
        let sites = parse_sites("index.html\nstyle.css 0.1 fetch\nindex.html 0.1 unknown").unwrap();
        assert_eq!(sites[0].outcome, None);
        assert_eq!(sites[1].outcome, None);
        assert_eq!(sites[2].outcome, None, "an address on this site resolves: it is fetched");
        assert!(parse_sites("http://a/ x 5").unwrap_err().contains("latency"));
        assert!(parse_sites("http://a/ 1 many").unwrap_err().contains("size"));
        assert!(parse_sites("http://a/ 1 18446744073709551615").unwrap_err().contains("from 0 to 1000000000000"));
        assert_eq!(
            parse_sites("http://a/ 1 1_000_000_000_000").unwrap()[0].outcome,
            Some(UrlOutcome::Bytes(LARGEST_SIZE))
        );
        assert!(parse_sites("http://a/").unwrap_err().contains("line 1"));
        assert!(parse_sites("").is_err());
    }
}
