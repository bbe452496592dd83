//! Money as `rust_decimal::Decimal`, never f64: the amount syntax and the way sums are printed.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses the amount syntax of RULES.md (reading 6): ASCII digits, optionally `.` and one or two
/// digits. No sign, exponent, blanks or separators. Zero is accepted here; callers decide
/// whether it is allowed.
pub fn parse(text: &str) -> Option<Decimal> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !frac.map_or(true, |f| digits(f) && f.len() <= 2) {
        return None;
    }
    // 28 significant digits is Decimal's range; anything longer is not money.
    if whole.len() > 20 {
        return None;
    }
    let mut value = Decimal::from_str(text).ok()?;
    value.rescale(2);
    Some(value)
}

/// `$3,500.00`: dollars with thousands separators and cents.
pub fn usd(value: Decimal) -> String {
    let mut v = value.round_dp(2);
    v.rescale(2);
    let text = v.abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::with_capacity(text.len() + 8);
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    out.push('$');
    let n = whole.len();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push('.');
    out.push_str(cents);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_syntax_is_exact() {
        for ok in ["25", "25.5", "25.50", "0", "0.01", "025", "1000000000.00"] {
            assert!(parse(ok).is_some(), "{ok:?}");
        }
        for bad in ["", "1e3", "+5", "-5", " 25", "25 ", "25.000", "25.", ".5", "1,000", "2 5", "٣", "0x10", "NaN"] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(parse("25.5").unwrap().to_string(), "25.50");
        assert_eq!(parse("007").unwrap().to_string(), "7.00");
    }

    #[test]
    fn dollars_print_with_separators() {
        assert_eq!(usd(parse("3500").unwrap()), "$3,500.00");
        assert_eq!(usd(parse("44300").unwrap()), "$44,300.00");
        assert_eq!(usd(parse("0.5").unwrap()), "$0.50");
        assert_eq!(usd(parse("100").unwrap()), "$100.00");
        assert_eq!(usd(parse("1000000000").unwrap()), "$1,000,000,000.00");
    }
}
