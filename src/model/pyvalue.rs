//! Python values and the text CPython makes of them: `repr`, `str`, and
//! printf-style `%` formatting, as the demos print them.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PyValue {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A bytes object of this length; the contents are not kept.
    Bytes(u64),
    Tuple(Vec<PyValue>),
    List(Vec<PyValue>),
}

impl PyValue {
    pub fn repr(&self) -> String {
        match self {
            PyValue::None => "None".into(),
            PyValue::Bool(true) => "True".into(),
            PyValue::Bool(false) => "False".into(),
            PyValue::Int(n) => n.to_string(),
            PyValue::Float(f) => float_repr(*f),
            PyValue::Str(s) => str_repr(s),
            PyValue::Bytes(len) => format!("<{len} bytes>"),
            PyValue::Tuple(items) if items.len() == 1 => format!("({},)", items[0].repr()),
            PyValue::Tuple(items) => format!("({})", join_reprs(items)),
            PyValue::List(items) => format!("[{}]", join_reprs(items)),
        }
    }

    /// `str(value)`: a string is itself, everything else its repr.
    pub fn str(&self) -> String {
        match self {
            PyValue::Str(s) => s.clone(),
            other => other.repr(),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::Bytes(_) => "bytes",
            PyValue::Tuple(_) => "tuple",
            PyValue::List(_) => "list",
        }
    }

    /// `float(value)` of an int or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PyValue::Int(n) => Some(*n as f64),
            PyValue::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// `len(value)`, where Python has one.
    pub fn py_len(&self) -> Option<u64> {
        match self {
            PyValue::Str(s) => Some(s.chars().count() as u64),
            PyValue::Bytes(n) => Some(*n),
            PyValue::Tuple(items) | PyValue::List(items) => Some(items.len() as u64),
            _ => None,
        }
    }
}

fn join_reprs(items: &[PyValue]) -> String {
    items.iter().map(PyValue::repr).collect::<Vec<_>>().join(", ")
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(float)`: the shortest digits that round-trip, fixed notation for
/// exponents from -4 to 15, scientific (`1e+16`, `1.5e-05`) beyond.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Python's repr does.
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let body = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() { first.to_owned() } else { format!("{first}.{rest}") };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs())
    }
}

/// A Python exception as it prints: `TypeError: not enough arguments...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PyException {
    pub type_name: String,
    pub message: String,
}

impl PyException {
    pub fn new(type_name: &str, message: impl Into<String>) -> Self {
        PyException { type_name: type_name.into(), message: message.into() }
    }

    /// `repr(exc)`: `ValueError('boom')`.
    pub fn repr(&self) -> String {
        format!("{}({})", self.type_name, str_repr(&self.message))
    }
}

impl std::fmt::Display for PyException {
    /// `str(exc)`, what `print(exc)` shows: the message alone.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `format % args`, printf-style, as CPython does it for the conversions the
/// deck uses: `s r a d i u f F e E x X o c %`, flags `-+ 0#`, width, precision.
pub fn percent_format(format: &str, args: &[PyValue]) -> Result<String, PyException> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().enumerate().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        let mut zero = false;
        let mut plus = false;
        let mut space = false;
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = 0usize;
        while let Some(d) = chars.peek().and_then(|(_, c)| c.to_digit(10)) {
            width = width * 10 + d as usize;
            chars.next();
        }
        let mut precision = None;
        if chars.peek().map(|(_, c)| *c) == Some('.') {
            chars.next();
            let mut p = 0usize;
            while let Some(d) = chars.peek().and_then(|(_, c)| c.to_digit(10)) {
                p = p * 10 + d as usize;
                chars.next();
            }
            precision = Some(p);
        }
        let Some((index, conversion)) = chars.next() else {
            return Err(PyException::new("ValueError", "incomplete format"));
        };
        if conversion == '%' {
            out.push('%');
            continue;
        }
        let arg = args.next().ok_or_else(|| PyException::new("TypeError", "not enough arguments for format string"))?;
        let (body, numeric) = match conversion {
            's' => (truncate(arg.str(), precision), false),
            'r' | 'a' => (truncate(arg.repr(), precision), false),
            'd' | 'i' | 'u' => (int_of(arg, conversion)?.to_string(), true),
            'x' => (format!("{:x}", int_of(arg, conversion)?), true),
            'X' => (format!("{:X}", int_of(arg, conversion)?), true),
            'o' => (format!("{:o}", int_of(arg, conversion)?), true),
            'f' | 'F' => (format!("{:.*}", precision.unwrap_or(6), float_of(arg, conversion)?), true),
            'e' | 'E' => {
                let text = sci(float_of(arg, conversion)?, precision.unwrap_or(6));
                (if conversion == 'E' { text.to_uppercase() } else { text }, true)
            }
            'c' => match arg {
                PyValue::Str(s) if s.chars().count() == 1 => (s.clone(), false),
                PyValue::Int(n) => (char::from_u32(*n as u32).map(String::from).unwrap_or_default(), false),
                _ => return Err(PyException::new("TypeError", "%c requires int or char")),
            },
            other => {
                return Err(PyException::new(
                    "ValueError",
                    format!("unsupported format character '{other}' (0x{:x}) at index {index}", other as u32),
                ))
            }
        };
        let body = if numeric && !body.starts_with('-') && (plus || space) {
            format!("{}{body}", if plus { '+' } else { ' ' })
        } else {
            body
        };
        out.push_str(&pad(&body, width, left, zero && numeric && !left));
    }
    if args.next().is_some() {
        return Err(PyException::new("TypeError", "not all arguments converted during string formatting"));
    }
    Ok(out)
}

fn truncate(text: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) => text.chars().take(p).collect(),
        None => text,
    }
}

fn int_of(arg: &PyValue, conversion: char) -> Result<i64, PyException> {
    match arg {
        PyValue::Int(n) => Ok(*n),
        PyValue::Bool(b) => Ok(i64::from(*b)),
        PyValue::Float(f) if matches!(conversion, 'd' | 'i' | 'u') => Ok(f.trunc() as i64),
        other => Err(PyException::new(
            "TypeError",
            match conversion {
                'd' | 'i' | 'u' => {
                    format!("%{conversion} format: a real number is required, not {}", other.type_name())
                }
                _ => format!("%{conversion} format: an integer is required, not {}", other.type_name()),
            },
        )),
    }
}

fn float_of(arg: &PyValue, conversion: char) -> Result<f64, PyException> {
    match arg {
        PyValue::Float(f) => Ok(*f),
        PyValue::Int(n) => Ok(*n as f64),
        PyValue::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(PyException::new(
            "TypeError",
            format!("%{conversion} format: a real number is required, not {}", other.type_name()),
        )),
    }
}

/// `%e`: `1.500000e+00`, at least two exponent digits.
fn sci(f: f64, precision: usize) -> String {
    let text = format!("{f:.precision$e}");
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let exp: i32 = exp.parse().unwrap_or(0);
            format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
        }
        None => text,
    }
}

fn pad(body: &str, width: usize, left: bool, zero: bool) -> String {
    let len = body.chars().count();
    if len >= width {
        return body.to_owned();
    }
    let fill = width - len;
    if left {
        format!("{body}{}", " ".repeat(fill))
    } else if zero {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &body[1..]),
            _ => (String::new(), body),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

#[cfg(test)]
mod tests {
    use super::PyValue::*;
    use super::*;

    fn s(text: &str) -> PyValue {
        Str(text.into())
    }

    #[test]
    fn the_classical_examples_line() {
        assert_eq!(percent_format("%s: %3d", &[s("Thread-1"), Int(0)]).unwrap(), "Thread-1:   0");
        assert_eq!(percent_format("%s: %3d", &[s("Thread-2"), Int(123)]).unwrap(), "Thread-2: 123");
        assert_eq!(percent_format("%s: %3d", &[s("Thread-2"), Int(1234)]).unwrap(), "Thread-2: 1234");
    }

    #[test]
    fn the_futures_examples_lines() {
        let url = s("http://www.foxnews.com/");
        assert_eq!(
            percent_format("%r page is %d bytes", &[url.clone(), Int(229_054)]).unwrap(),
            "'http://www.foxnews.com/' page is 229054 bytes"
        );
        assert_eq!(
            percent_format("%r:  got %d bytes", &[url, Int(5)]).unwrap(),
            "'http://www.foxnews.com/':  got 5 bytes"
        );
    }

    #[test]
    fn repr_quotes_like_cpython() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(str_repr("tab\tnew\nline\\"), "'tab\\tnew\\nline\\\\'");
        assert_eq!(str_repr("\u{1}"), "'\\x01'");
        assert_eq!(str_repr("café"), "'café'");
    }

    #[test]
    fn floats_print_like_cpython() {
        for (f, text) in [
            (10.0, "10.0"),
            (2.5, "2.5"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345.6, "123456789012345.6"),
            (-3.0, "-3.0"),
            (1e100, "1e+100"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(float_repr(f), text, "{f}");
        }
    }

    #[test]
    fn containers_and_scalars() {
        assert_eq!(Tuple(vec![Int(0), Int(10)]).repr(), "(0, 10)");
        assert_eq!(Tuple(vec![Int(1)]).repr(), "(1,)");
        assert_eq!(List(vec![Tuple(vec![Int(0), Float(1.0)]), None]).repr(), "[(0, 1.0), None]");
        assert_eq!(Bool(true).str(), "True");
        assert_eq!(s("x").str(), "x");
        assert_eq!(s("x").repr(), "'x'");
    }

    #[test]
    fn percent_conversions_flags_and_widths() {
        assert_eq!(percent_format("%-5s|", &[s("ab")]).unwrap(), "ab   |");
        assert_eq!(percent_format("%05d", &[Int(-42)]).unwrap(), "-0042");
        assert_eq!(percent_format("%+d %x %X %o", &[Int(5), Int(255), Int(255), Int(8)]).unwrap(), "+5 ff FF 10");
        assert_eq!(percent_format("%.2f %f", &[Float(1.23456), Int(2)]).unwrap(), "1.23 2.000000");
        assert_eq!(percent_format("%e", &[Float(1.5)]).unwrap(), "1.500000e+00");
        assert_eq!(percent_format("%.3s%%", &[s("abcdef")]).unwrap(), "abc%");
        assert_eq!(percent_format("%d", &[Float(3.9)]).unwrap(), "3");
        assert_eq!(percent_format("%r", &[Float(5.0)]).unwrap(), "5.0");
    }

    #[test]
    fn percent_errors_are_cpythons() {
        let err = |f: &str, a: &[PyValue]| percent_format(f, a).unwrap_err();
        assert_eq!(err("%s %s", &[s("a")]), PyException::new("TypeError", "not enough arguments for format string"));
        assert_eq!(
            err("%s", &[s("a"), s("b")]),
            PyException::new("TypeError", "not all arguments converted during string formatting")
        );
        assert_eq!(
            err("%d", &[s("a")]),
            PyException::new("TypeError", "%d format: a real number is required, not str")
        );
        assert_eq!(err("%", &[]).type_name, "ValueError");
        assert_eq!(err("%y", &[Int(1)]).message, "unsupported format character 'y' (0x79) at index 1");
    }

    #[test]
    fn exceptions_print_their_message_and_repr_their_type() {
        let e = PyException::new("ValueError", "boom");
        assert_eq!(e.to_string(), "boom");
        assert_eq!(e.repr(), "ValueError('boom')");
    }
}
