//! Demo parameters: what each demo accepts, how the URL carries it
//! (`#/asyncio-example?jobs=5,2,1,3&speed=100`), and what is wrong with a bad value.

use super::echo::echo;
use super::pyvalue::PyValue;
use super::route::percent_decode;
use super::urls::parse_sites;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Int {
        min: i64,
        max: i64,
    },
    /// A whole number picked with a slider.
    Slider {
        min: i64,
        max: i64,
    },
    /// Python numbers: `5` stays an int, `0.5` a float (they print differently).
    Numbers {
        min: f64,
        max: f64,
        max_len: usize,
    },
    Choice(&'static [&'static str]),
    Flag,
    /// The futures demo's table of URLs, checked as `urls::parse_sites` reads it.
    UrlTable,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub default: &'static str,
    pub help: &'static str,
}

/// One Python second takes this many page milliseconds.
pub const SPEED: Spec = Spec {
    key: "speed",
    label: "One Python second takes (ms)",
    kind: Kind::Int { min: 10, max: 5000 },
    default: "1000",
    help: "Lower runs faster and timings scale; below 200, the browser's own delays start to show in them.",
};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Numbers(Vec<PyValue>),
    Choice(String),
    Flag(bool),
    Text(String),
}

/// Checks one value as typed by a person or found in a link.
pub fn parse_value(spec: &Spec, text: &str) -> Result<Value, String> {
    let text = text.trim();
    let label = spec.label;
    match spec.kind {
        Kind::Int { min, max } | Kind::Slider { min, max } => {
            let digits = without_underscores(text).unwrap_or_default();
            let n: i64 = digits.parse().map_err(|_| {
                // A whole number too large for the machine is still one.
                let unsigned = digits.strip_prefix('-').unwrap_or(&digits);
                if !unsigned.is_empty() && unsigned.chars().all(|c| c.is_ascii_digit()) {
                    format!("{label}: {} is outside {min}–{max}", number_text(text))
                } else {
                    format!("{label}: {} is not a whole number", echo(text))
                }
            })?;
            if n < min || n > max {
                return Err(format!("{label}: {n} is outside {min}–{max}"));
            }
            Ok(Value::Int(n))
        }
        Kind::Numbers { min, max, max_len } => {
            let items: Vec<&str> = text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            // The default is the example: "5, 2, 1, 3" for a list, "0.5" for one number.
            if items.is_empty() && max_len == 1 {
                return Err(format!("{label}: give a number, as in {}", spec.default));
            }
            if items.is_empty() {
                return Err(format!("{label}: give at least one number, as in {}", spec.default.replace(',', ", ")));
            }
            if items.len() > max_len && max_len == 1 {
                return Err(format!("{label}: one number, not {} (a decimal takes a dot: 0.5)", items.len()));
            }
            if items.len() > max_len {
                return Err(format!("{label}: at most {max_len} numbers, not {}", items.len()));
            }
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                let value = python_number(item).ok_or_else(|| {
                    // A negative number, or one too large to hold, is a number,
                    // only not one these take.
                    let digits = without_underscores(item).unwrap_or_default();
                    let too_large = !digits.starts_with(['+', '-'])
                        && digits.parse::<f64>().is_ok_and(f64::is_finite)
                        && digits.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c));
                    if too_large || item.strip_prefix('-').and_then(python_number).is_some() {
                        format!("{label}: {} is outside {min}–{max}", number_text(item))
                    } else {
                        format!("{label}: {} is not a number", echo(item))
                    }
                })?;
                let as_f64 = value.as_f64().unwrap_or(f64::NAN);
                if !(min..=max).contains(&as_f64) {
                    return Err(format!("{label}: {} is outside {min}–{max}", number_text(item)));
                }
                values.push(value);
            }
            Ok(Value::Numbers(values))
        }
        Kind::Choice(options) => options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(text))
            .map(|o| Value::Choice((*o).to_owned()))
            .ok_or_else(|| format!("{label}: {} is not one of {}", echo(text), options.join(", "))),
        Kind::Flag => match text {
            "1" | "true" | "yes" | "on" => Ok(Value::Flag(true)),
            "0" | "false" | "no" | "off" | "" => Ok(Value::Flag(false)),
            _ => Err(format!("{label}: {} is neither yes nor no", echo(text))),
        },
        Kind::UrlTable => {
            const LONGEST: usize = 4000;
            if text.len() > LONGEST {
                return Err(format!("{label}: too long: at most {LONGEST} characters (and 20 rows)"));
            }
            parse_sites(text).map_err(|message| format!("{label}: {message}"))?;
            Ok(Value::Text(text.to_owned()))
        }
    }
}

/// A number as a message repeats it: in full while it is short, by its
/// length once a link could flood the page with it.
pub fn number_text(text: &str) -> String {
    const SHORT: usize = 24;
    match text.chars().count() {
        n if n <= SHORT => text.to_owned(),
        n => format!("a number of {n} characters"),
    }
}

/// `text` without the underscores Python allows in a number literal, one
/// between two digits (`1_000`, `0.000_5`); `None` for any other (`_5`,
/// `5_`, `1__0`, `1_.5`).
pub fn without_underscores(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(char::is_ascii_digit);
    let between_digits = |i: usize| digit_at(i.checked_sub(1)) && digit_at(Some(i + 1));
    let lone = chars.iter().enumerate().all(|(i, c)| *c != '_' || between_digits(i));
    lone.then(|| chars.iter().filter(|c| **c != '_').collect())
}

/// An int or float literal as Python reads it (`5`, `0.5`, `1_000`, `2.`, `1e3`).
pub fn python_number(text: &str) -> Option<PyValue> {
    let clean = without_underscores(text.trim())?;
    if clean.is_empty() || clean.starts_with('+') {
        return None;
    }
    if clean.chars().all(|c| c.is_ascii_digit()) {
        return clean.parse().ok().map(PyValue::Int);
    }
    let numeric = clean.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if !numeric || clean.starts_with('-') {
        return None;
    }
    clean.parse::<f64>().ok().filter(|f| f.is_finite()).map(PyValue::Float)
}

/// The values as they go into a link.
pub fn format_value(value: &Value) -> String {
    match value {
        Value::Int(n) => n.to_string(),
        Value::Numbers(items) => items.iter().map(PyValue::repr).collect::<Vec<_>>().join(","),
        Value::Choice(c) => c.clone(),
        Value::Flag(b) => if *b { "1" } else { "0" }.to_owned(),
        Value::Text(t) => t.clone(),
    }
}

/// A demo's parameters: every spec has a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub values: Vec<(&'static str, Value)>,
}

/// What the page says of a link's parameters no demo parameter is named:
/// the first few by name, and how many more.
fn unknown_notice(unknown: &[String]) -> Option<String> {
    const NAMED: usize = 3;
    let named: Vec<String> = unknown.iter().take(NAMED).map(|k| echo(k)).collect();
    let more = unknown.len().saturating_sub(NAMED);
    match (named.as_slice(), more) {
        ([], _) => None,
        ([one], _) => Some(format!("The link's parameter {one} is not one this demo has; it was ignored.")),
        (names, 0) => {
            Some(format!("The link's parameters {} are not ones this demo has; they were ignored.", names.join(", ")))
        }
        (names, more) => Some(format!(
            "The link's parameters {} and {more} more are not ones this demo has; they were ignored.",
            names.join(", ")
        )),
    }
}

impl Params {
    pub fn defaults(specs: &[Spec]) -> Params {
        let values = specs.iter().filter_map(|s| parse_value(s, s.default).ok().map(|v| (s.key, v))).collect();
        Params { values }
    }

    /// Reads a link's query; unknown keys and bad values fall back to the
    /// defaults, each with a notice.
    pub fn from_query(specs: &[Spec], query: &str) -> (Params, Vec<String>) {
        let mut params = Params::defaults(specs);
        let mut notices = Vec::new();
        // Unknown names are said once, together: a link may carry thousands.
        let mut unknown: Vec<String> = Vec::new();
        let mut given: Vec<&'static str> = Vec::new();
        let mut repeated: Vec<&'static str> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(key, true);
            let raw = percent_decode(raw, true);
            match specs.iter().find(|s| s.key == key) {
                None if key.is_empty() => {}
                None => {
                    if !unknown.contains(&key) {
                        unknown.push(key);
                    }
                }
                Some(spec) => {
                    if given.contains(&spec.key) && !repeated.contains(&spec.key) {
                        notices.push(format!("The link gives {} more than once; the last is used.", spec.key));
                        repeated.push(spec.key);
                    }
                    given.push(spec.key);
                    // A bad value leaves the default, as its notice says, even
                    // where the same name came before with a good one.
                    let value = parse_value(spec, &raw);
                    if let Ok(value) = value.clone().or_else(|_| parse_value(spec, spec.default)) {
                        params.set(spec.key, value);
                    }
                    match value {
                        Ok(_) => {}
                        Err(message) => notices.push(match spec.default {
                            short if short.len() <= 20 && !short.contains('\n') => {
                                format!("{message}; the default ({short}) is used.")
                            }
                            _ => format!("{message}; the default is used."),
                        }),
                    }
                }
            }
        }
        notices.dedup();
        notices.extend(unknown_notice(&unknown));
        (params, notices)
    }

    pub fn set(&mut self, key: &'static str, value: Value) {
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.values.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.get(key) {
            Some(Value::Int(n)) => *n,
            _ => 0,
        }
    }

    pub fn numbers(&self, key: &str) -> Vec<PyValue> {
        match self.get(key) {
            Some(Value::Numbers(items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    /// The first number of a numbers parameter, as seconds (`work=0.5`).
    pub fn seconds(&self, key: &str) -> f64 {
        self.numbers(key).first().and_then(PyValue::as_f64).unwrap_or(0.0)
    }

    pub fn choice(&self, key: &str) -> &str {
        match self.get(key) {
            Some(Value::Choice(c)) => c,
            _ => "",
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Value::Flag(true)))
    }

    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }

    /// The query that reproduces these parameters: every value, in spec order.
    pub fn to_query(&self, specs: &[Spec]) -> String {
        self.to_query_with(specs, &[])
    }

    /// The query, where `typed` gives a key the text typed into its field in
    /// place of its value (a field in error: the link says what the field
    /// shows, and opening it says what is wrong, rather than carrying a value
    /// the viewer never chose).
    pub fn to_query_with(&self, specs: &[Spec], typed: &[(&str, &str)]) -> String {
        specs
            .iter()
            .filter_map(|s| match typed.iter().find(|(k, _)| *k == s.key) {
                Some((_, text)) => Some(format!("{}={}", s.key, encode(text))),
                None => self.get(s.key).map(|v| format!("{}={}", s.key, encode(&format_value(v)))),
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' | b'/' | b'|' | b';' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOBS: Spec = Spec {
        key: "jobs",
        label: "Sleep times",
        kind: Kind::Numbers { min: 0.0, max: 60.0, max_len: 10 },
        default: "5, 2, 1, 3",
        help: "",
    };
    const MODE: Spec =
        Spec { key: "mode", label: "Mode", kind: Kind::Choice(&["gil", "free"]), default: "gil", help: "" };
    const SPECS: [Spec; 3] = [JOBS, SPEED, MODE];

    #[test]
    fn links_carry_every_parameter() {
        let (params, notices) = Params::from_query(&SPECS, "jobs=5,0.5,1&speed=100&mode=FREE");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(params.numbers("jobs"), [PyValue::Int(5), PyValue::Float(0.5), PyValue::Int(1)]);
        assert_eq!(params.int("speed"), 100);
        assert_eq!(params.choice("mode"), "free");
        assert_eq!(params.to_query(&SPECS), "jobs=5,0.5,1&speed=100&mode=free");
        assert_eq!(Params::from_query(&SPECS, &params.to_query(&SPECS)).0, params);
    }

    #[test]
    fn bad_links_fall_back_with_notices() {
        let (params, notices) = Params::from_query(&SPECS, "jobs=5,x&speed=0&colour=red&mode=fast");
        assert_eq!(params, Params::defaults(&SPECS));
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert!(notices[0].contains("\"x\" is not a number"));
        assert!(notices[1].contains("0 is outside 10–5000"));
        assert!(notices[3].contains("\"colour\""));
    }

    #[test]
    fn many_unknown_names_are_one_notice_and_a_name_given_twice_is_said() {
        let many: Vec<String> = (0..2000).map(|i| format!("k{i}=1")).collect();
        let (params, notices) = Params::from_query(&SPECS, &format!("{}&&&=&speed=100&speed=200", many.join("&")));
        assert_eq!(params.int("speed"), 200);
        assert_eq!(
            notices,
            [
                "The link gives speed more than once; the last is used.",
                "The link's parameters \"k0\", \"k1\", \"k2\" and 1997 more are not ones this demo has; they were ignored.",
            ]
        );
        let (_, notices) = Params::from_query(&SPECS, "a=1&b=2&a=3");
        assert_eq!(notices, ["The link's parameters \"a\", \"b\" are not ones this demo has; they were ignored."]);
        // A bad last value leaves the default its notice names, not the value before it.
        let (params, notices) = Params::from_query(&SPECS, "speed=100&speed=0&mode=free&speed=300");
        assert_eq!(params.int("speed"), 300);
        assert_eq!(notices[0], "The link gives speed more than once; the last is used.");
        assert_eq!(notices.len(), 2, "said once however often it is given: {notices:?}");
        let (params, notices) = Params::from_query(&SPECS, "speed=100&speed=0");
        assert_eq!(params.int("speed"), 1000);
        assert!(notices[1].ends_with("the default (1000) is used."), "{notices:?}");
    }

    #[test]
    fn a_url_table_too_long_says_how_long_it_may_be() {
        const URLS: Spec = Spec { key: "urls", label: "URLs", kind: Kind::UrlTable, default: "", help: "" };
        let long = "http://a.com/ 0.1 5\n".repeat(300);
        assert_eq!(parse_value(&URLS, &long).unwrap_err(), "URLs: too long: at most 4000 characters (and 20 rows)");
    }

    #[test]
    fn numbers_read_like_python_literals() {
        assert_eq!(python_number("5"), Some(PyValue::Int(5)));
        assert_eq!(python_number("1_000"), Some(PyValue::Int(1000)));
        assert_eq!(python_number("0.5"), Some(PyValue::Float(0.5)));
        assert_eq!(python_number("2."), Some(PyValue::Float(2.0)));
        assert_eq!(python_number("1e1"), Some(PyValue::Float(10.0)));
        assert_eq!(python_number("0.000_5"), Some(PyValue::Float(0.0005)));
        assert_eq!(python_number("1e1_0"), Some(PyValue::Float(1e10)));
        for bad in ["", "-1", "+1", "abc", "1.2.3", "inf", "nan", "_5", "5_", "1__0", "1_.5", "1._5", "_"] {
            assert_eq!(python_number(bad), None, "{bad}");
        }
        assert_eq!(parse_value(&SPEED, "1_000"), Ok(Value::Int(1000)));
        for bad in ["_100", "100_", "1__00"] {
            assert!(parse_value(&SPEED, bad).unwrap_err().contains("is not a whole number"), "{bad}");
        }
        assert!(parse_value(&JOBS, "1,2,3,4,5,6,7,8,9,10,11").unwrap_err().contains("at most 10"));
        assert!(parse_value(&JOBS, "61").unwrap_err().contains("outside"));
    }

    #[test]
    fn a_number_out_of_range_is_not_called_no_number() {
        assert_eq!(parse_value(&JOBS, "5, -1").unwrap_err(), "Sleep times: -1 is outside 0–60");
        assert_eq!(parse_value(&JOBS, "5, -x").unwrap_err(), "Sleep times: \"-x\" is not a number");
        assert_eq!(
            parse_value(&JOBS, "5, 99999999999999999999").unwrap_err(),
            "Sleep times: 99999999999999999999 is outside 0–60"
        );
        assert_eq!(parse_value(&JOBS, "5, inf").unwrap_err(), "Sleep times: \"inf\" is not a number");
        assert_eq!(
            parse_value(&JOBS, " , ").unwrap_err(),
            format!("Sleep times: give at least one number, as in {}", JOBS.default.replace(',', ", "))
        );
        const WORK: Spec = Spec {
            key: "work",
            label: "Seconds per job",
            kind: Kind::Numbers { min: 0.05, max: 5.0, max_len: 1 },
            default: "0.5",
            help: "",
        };
        assert_eq!(parse_value(&WORK, "").unwrap_err(), "Seconds per job: give a number, as in 0.5");
        assert_eq!(
            parse_value(&WORK, "1,5").unwrap_err(),
            "Seconds per job: one number, not 2 (a decimal takes a dot: 0.5)"
        );
        assert_eq!(
            parse_value(&SPEED, "99999999999999999999").unwrap_err(),
            format!("{}: 99999999999999999999 is outside 10–5000", SPEED.label)
        );
        assert_eq!(parse_value(&SPEED, "-5").unwrap_err(), format!("{}: -5 is outside 10–5000", SPEED.label));
        assert_eq!(parse_value(&SPEED, "1e3").unwrap_err(), format!("{}: \"1e3\" is not a whole number", SPEED.label));
    }

    #[test]
    fn a_bad_url_table_in_a_link_is_caught_on_load() {
        const URLS: Spec = Spec { key: "urls", label: "URLs", kind: Kind::UrlTable, default: "index.html", help: "" };
        let (params, notices) = Params::from_query(&[URLS], "urls=http%3A%2F%2Fa.com%2F%200.5%20-5");
        assert_eq!(params.text("urls"), "index.html");
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("the size \"-5\" is not a number of bytes"), "{notices:?}");
        assert!(parse_value(&URLS, "http://a.com/ 0.5 1000").is_ok());
    }

    #[test]
    fn what_a_link_says_is_echoed_short() {
        let key = "k".repeat(10_000);
        let digits = "9".repeat(10_000);
        let query = format!("{key}=1&jobs={key}&speed={digits}&mode={key}");
        let (_, notices) = Params::from_query(&SPECS, &query);
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert!(notices.iter().all(|n| n.chars().count() < 200), "{notices:?}");
        assert!(notices.iter().any(|n| n.contains("a number of 10000 characters is outside 10–5000")), "{notices:?}");
        let (_, notices) = Params::from_query(&SPECS, &format!("jobs=1,{}", &digits[..300]));
        assert!(notices[0].starts_with("Sleep times: a number of 300 characters is outside 0–60"), "{notices:?}");
        assert_eq!(
            parse_value(&SPEED, "99999999999999999999").unwrap_err(),
            "One Python second takes (ms): 99999999999999999999 is outside 10–5000"
        );
    }
}
