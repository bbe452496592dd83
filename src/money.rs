//! Money as `rust_decimal::Decimal`, never f64: the amount syntax and the way sums are printed.

use rust_decimal::Decimal;

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
    // `from_str_radix(_, 10)` is `from_str`'s parser without its scientific branch (the text
    // has no exponent), which would bring rust_decimal's multiplication into the wasm.
    let mut value = Decimal::from_str_radix(text, 10).ok()?;
    value.rescale(2);
    Some(value)
}

/// What rust_decimal's `Decimal::from_str` reads (`25.50`, `-3`, `1_000`, and scientific
/// notation such as `1.5e3`, `25E-1`, rounded to 28 decimal places as its
/// `from_scientific_lossy` does), with the same value, scale and sign, but the scientific part
/// written here: an exponent only moves the point, so where rust_decimal multiplies by powers
/// of ten this scales the integer (its multiplication, some KB of the wasm, then stays out).
/// `None` where `from_str` fails; a test holds the two equal.
pub fn decimal(text: &str) -> Option<Decimal> {
    match Decimal::from_str_radix(text, 10) {
        Ok(d) => Some(d),
        Err(_) if text.contains(['e', 'E']) => scientific(text),
        Err(_) => None,
    }
}

/// rust_decimal's `from_scientific_lossy`.
fn scientific(text: &str) -> Option<Decimal> {
    const MAX_SCALE: u32 = 28;
    let (base, exp) = text.split_once(['e', 'E'])?;
    let mut d = Decimal::from_str_radix(base, 10).ok()?;
    let scale = d.scale();
    if let Some(down) = exp.strip_prefix('-') {
        let down: u32 = down.parse().ok()?;
        if down > MAX_SCALE {
            return None;
        }
        if scale + down > MAX_SCALE {
            d.rescale(MAX_SCALE - down);
            d.set_scale(MAX_SCALE).ok()?;
        } else {
            d.set_scale(scale + down).ok()?;
        }
        return Some(d);
    }
    let up: u32 = exp.parse().ok()?;
    if up <= scale {
        d.set_scale(scale - up).ok()?;
        return Some(d);
    }
    if up > MAX_SCALE {
        return None;
    }
    if d.is_zero() {
        return Some(Decimal::ZERO);
    }
    // mantissa × 10^(up - scale), a whole number at scale 0 (rust_decimal's product, normalised),
    // or nothing when it does not fit in 96 bits.
    let mut n = d.mantissa().unsigned_abs();
    for _ in scale..up {
        n = n.checked_mul(10)?;
    }
    let n = i128::try_from(n).ok()?;
    Decimal::try_from_i128_with_scale(if d.is_sign_negative() { -n } else { n }, 0).ok()
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

    /// `decimal` is `Decimal::from_str` (and so the ruleset reader's old `from_str`, else
    /// `from_scientific`): the same value, scale and sign, or failure, for plain and scientific
    /// texts at rust_decimal's edges (28 places, 96 bits, the rounding of a long mantissa).
    #[test]
    fn decimal_reads_as_rust_decimal() {
        use std::str::FromStr;
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "25",
            "25.50",
            "-3.1",
            "1_000",
            "+5",
            ".5",
            "5.",
            "",
            "-",
            "e",
            "e5",
            "1e",
            "1e+",
            "1e-",
            "1e--5",
            "1e-+5",
            "1e+5",
            "1E5",
            "1.5e3",
            "-1.5E3",
            "25E-1",
            "-0e5",
            "0.000e2",
            "-0.000e-2",
            "1e1e1",
            "1.2e10",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "7.9228162514264337593543950335e28",
            "7.9228162514264337593543950336e28",
            "79228162514264337593543950335e0",
            "79228162514264337593543950335e1",
            "1e28",
            "1e29",
            "1e-28",
            "1e-29",
            "1.0e-28",
            "12.345e-27",
            "0.0000000000000000000000000001e-1",
            "123456789.123456789123456789e-5",
            "9999999999999999999999999999e-28",
            "1.23456789012345678901234567891e5",
            " 1e5",
            "1e5 ",
            "1e05",
            "1e0",
            "-1e0",
            "1.e3",
            "1_0e1_0",
            "1e4294967295",
            "1e4294967296",
            "0x10",
            "NaN",
            "3500",
            "3500.00",
            "1e2.5",
            "١e2",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..30_000 {
            let mut t = String::new();
            if next(4) == 0 {
                t.push('-');
            }
            for _ in 0..=next(30) {
                t.push(char::from(b'0' + next(10) as u8));
            }
            if next(2) == 0 {
                let at = next(t.len() as u64 + 1) as usize;
                t.insert(at, '.');
            }
            t.push(if next(2) == 0 { 'e' } else { 'E' });
            match next(4) {
                0 => t.push('-'),
                1 => t.push('+'),
                _ => {}
            }
            t.push_str(&next(40).to_string());
            texts.push(t);
        }
        for t in &texts {
            let theirs = Decimal::from_str(t).or_else(|_| Decimal::from_scientific(t)).ok();
            assert_eq!(Decimal::from_str(t).ok().map(|d| d.serialize()), theirs.map(|d| d.serialize()), "{t}");
            assert_eq!(decimal(t).map(|d| d.serialize()), theirs.map(|d| d.serialize()), "{t}");
        }
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
