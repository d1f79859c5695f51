//! The prime-count job: the arithmetic and the validation of its parameter.

use super::echo::echo;
use super::params::{number_text, without_underscores};

/// The most the prime-count job accepts: beyond it a run takes tens of seconds.
pub const MAX_PRIME_LIMIT: u32 = 10_000_000;
pub const DEFAULT_PRIME_LIMIT: u32 = 2_000_000;

pub fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    if n == 2 {
        return true;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let mut i = 3u32;
    while u64::from(i) * u64::from(i) <= u64::from(n) {
        if n.is_multiple_of(i) {
            return false;
        }
        i += 2;
    }
    true
}

pub fn count_primes_below(n: u32) -> u64 {
    (0..n).filter(|&k| is_prime(k)).count() as u64
}

/// Reads a limit the way Python reads an int literal: digits, `_` between
/// them allowed (`2_000_000`), surrounding spaces ignored.
pub fn parse_prime_limit(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a whole number, for example 2_000_000.".into());
    }
    let Some(digits) = without_underscores(text).filter(|d| d.chars().all(|c| c.is_ascii_digit())) else {
        return Err(format!(
            "{} is not a whole number: use digits, optionally grouped with _ as in 2_000_000.",
            echo(text)
        ));
    };
    let too_big =
        || format!("{} is too large: the most is {}.", number_text(text), group_digits(MAX_PRIME_LIMIT.into()));
    let value: u64 = digits.parse().map_err(|_| too_big())?;
    if value < 2 {
        return Err("Enter at least 2: there are no primes below that.".into());
    }
    if value > u64::from(MAX_PRIME_LIMIT) {
        return Err(too_big());
    }
    u32::try_from(value).map_err(|_| too_big())
}

/// 2000000 -> "2_000_000", as Python writes `f"{n:_}"`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_primes_like_the_known_values() {
        assert_eq!(count_primes_below(0), 0);
        assert_eq!(count_primes_below(2), 0);
        assert_eq!(count_primes_below(3), 1);
        assert_eq!(count_primes_below(10), 4);
        assert_eq!(count_primes_below(100), 25);
        assert_eq!(count_primes_below(100_000), 9_592);
        assert_eq!(count_primes_below(1_000_000), 78_498);
    }

    #[test]
    fn limits_read_like_python_ints() {
        assert_eq!(parse_prime_limit(" 2_000_000 "), Ok(2_000_000));
        assert_eq!(parse_prime_limit("10"), Ok(10));
        assert_eq!(parse_prime_limit("10000000"), Ok(MAX_PRIME_LIMIT));
    }

    #[test]
    fn bad_limits_are_explained() {
        for (input, start) in [
            ("", "Enter a whole number"),
            ("abc", "\"abc\" is not a whole number"),
            ("-5", "\"-5\" is not a whole number"),
            ("1__0", "\"1__0\" is not a whole number"),
            ("_10", "\"_10\" is not a whole number"),
            ("1.5", "\"1.5\" is not a whole number"),
            ("1", "Enter at least 2"),
            ("10_000_001", "10_000_001 is too large"),
            ("99999999999999999999999", "99999999999999999999999 is too large"),
            (&"9".repeat(5000), "a number of 5000 characters is too large"),
            (&"x".repeat(5000), "\"xxxxxxxxxx"),
        ] {
            let err = parse_prime_limit(input).expect_err(input);
            assert!(err.starts_with(start), "{input:?}: {err}");
            assert!(err.chars().count() < 200, "said short: {err}");
        }
    }

    #[test]
    fn digits_are_grouped_like_python() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1_000");
        assert_eq!(group_digits(148_933), "148_933");
    }
}
