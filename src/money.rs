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
    // `radix10` is `from_str`'s parser without its scientific branch (the text has no
    // exponent), which would bring rust_decimal's multiplication into the wasm.
    let mut value = radix10(text)?;
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
    match radix10(text) {
        Some(d) => Some(d),
        None if text.contains(['e', 'E']) => scientific(text),
        None => None,
    }
}

/// rust_decimal 1.43's `Decimal::from_str_radix(text, 10)` (its `parse_str_radix_10`), written
/// here in one loop instead of its state machine of const generics (issue 9): an optional `-` or
/// `+` first, digits with at most one `.`, `_` anywhere after the first digit; past 28 places the
/// 28th is rounded half up on the next character and the rest must still be digits or `_`; a
/// whole part over 96 bits is refused, a fraction's overflow rounds instead. Its one quirk is
/// kept: an `_` right after the 28th place is skipped to find the rounding digit only once the
/// digits have passed `u64::MAX / 10 - 255` (its 128-bit path), else it counts as a 0.
/// `None` where it fails; a test holds the two equal.
fn radix10(text: &str) -> Option<Decimal> {
    const OVERFLOW_U96: u128 = 1 << 96;
    const WIDE: u128 = (u64::MAX / 10 - u8::MAX as u64) as u128;
    let bytes = text.as_bytes();
    let (negative, mut rest) = match bytes.split_first() {
        Some((b'-', tail)) => (true, tail),
        Some((b'+', tail)) => (false, tail),
        Some(_) => (false, bytes),
        None => return None,
    };
    let (mut data, mut scale, mut point, mut has, mut wide) = (0u128, 0u32, false, false, false);
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'0'..=b'9' => {
                let next = data * 10 + u128::from(b - b'0');
                if next >= OVERFLOW_U96 {
                    return if point { round(data, b, rest, scale, negative) } else { None };
                }
                data = next;
                has = true;
                scale += u32::from(point);
                let Some(&after) = rest.first() else { break };
                if point && scale >= 28 {
                    let skipped = rest.iter().position(|&c| c != b'_');
                    return match (wide && after == b'_', skipped) {
                        (true, None) => parts(data, scale, negative),
                        (true, Some(i)) => round(data, *rest.get(i)?, rest.get(i + 1..)?, scale, negative),
                        (false, _) => round(data, after, rest.get(1..)?, scale, negative),
                    };
                }
                wide |= data >= WIDE;
            }
            b'.' if !point => point = true,
            b'_' if has => {}
            _ => return None,
        }
    }
    if !has {
        return None;
    }
    parts(data, scale, negative)
}

/// rust_decimal's `maybe_round`: `data` rounded half up on the digit `next` (`_` reads as 0),
/// the characters after it only checked (digits and `_`; the point was already seen).
fn round(mut data: u128, next: u8, rest: &[u8], mut scale: u32, negative: bool) -> Option<Decimal> {
    let digit = match next {
        b'0'..=b'9' => next - b'0',
        b'_' => 0,
        _ => return None,
    };
    if digit >= 5 {
        data += 1;
        if data >> 96 != 0 {
            scale = scale.checked_sub(1)?;
            data = (data + 4) / 10;
        }
    }
    if !rest.iter().all(|&c| c.is_ascii_digit() || c == b'_') {
        return None;
    }
    parts(data, scale, negative)
}

/// A 96-bit mantissa and a scale (at most 28) as a `Decimal` (a zero is never negative).
fn parts(data: u128, scale: u32, negative: bool) -> Option<Decimal> {
    if data >> 96 != 0 || scale > 28 {
        return None;
    }
    Some(Decimal::from_parts(data as u32, (data >> 32) as u32, (data >> 64) as u32, negative, scale))
}

/// rust_decimal's `from_scientific_lossy`.
fn scientific(text: &str) -> Option<Decimal> {
    const MAX_SCALE: u32 = 28;
    let (base, exp) = text.split_once(['e', 'E'])?;
    let mut d = radix10(base)?;
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
        let mut rng = crate::XorShift(0x2545_F491_4F6C_DD1Du64);
        let mut next = |n: u64| rng.below(n);
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

    /// `radix10` is rust_decimal's `from_str_radix(_, 10)`: the same value, scale and sign, or
    /// failure, over texts of digits, points, underscores, signs and strays around the 28-place
    /// and 96-bit edges (its rounding, its `_` after the 28th place, a whole part too large).
    #[test]
    fn radix10_reads_as_from_str_radix() {
        let mut texts: Vec<String> = [
            "",
            "-",
            "+",
            ".",
            "-.",
            "_",
            "-_1",
            "1_",
            "_1",
            "0_1",
            "1__2",
            "1._5",
            "._5",
            "5.",
            ".5",
            "+-5",
            "--5",
            "0.0000000000000000000000000001_9",
            "0.0000000000000000000000000001__",
            "1.2345678901234567890123456789",
            "1.23456789012345678901234567895",
            "0.1234567890123456789012345678_9",
            "0.1234567890123456789012345678__9",
            "0.1234567890123456789012345678__",
            "0.12345678901234567890123456789.",
            "79228162514264337593543950335.9",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "7922816251426433759354395033.59",
            "9999999999999999999999999999.99",
            "0.99999999999999999999999999999",
            "-0",
            "-0.00",
            "1e5",
            " 1",
            "1 ",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let mut rng = crate::XorShift(0x9E37_79B9_7F4A_7C15u64);
        let mut next = |n: u64| rng.below(n);
        let alphabet = b"0123456789012345678901234567890123456789_._-+x";
        for _ in 0..60_000 {
            let mut t = String::new();
            match next(8) {
                0 => t.push('-'),
                1 => t.push('+'),
                _ => {}
            }
            let (len, strays) = (next(45), next(3) == 0);
            for _ in 0..len {
                let c = if strays { alphabet[next(alphabet.len() as u64) as usize] } else { b'0' + next(10) as u8 };
                t.push(char::from(c));
            }
            if next(2) == 0 && !t.is_empty() {
                let at = next(t.len() as u64 + 1) as usize;
                t.insert(at, '.');
            }
            if next(4) == 0 && !t.is_empty() {
                let at = next(t.len() as u64 + 1) as usize;
                t.insert(at, '_');
            }
            texts.push(t);
        }
        // The `_` quirk is there to be held: past u64's digits it is skipped, before them a 0.
        let quirk = |t: &str| Decimal::from_str_radix(t, 10).map(|d| d.to_string()).ok();
        assert_eq!(quirk("0.1234567890123456789012345678_9").as_deref(), Some("0.1234567890123456789012345679"));
        assert_eq!(quirk("0.0000000000000000000000000001_9").as_deref(), Some("0.0000000000000000000000000001"));
        for t in &texts {
            let theirs = Decimal::from_str_radix(t, 10).ok().map(|d| d.serialize());
            assert_eq!(radix10(t).map(|d| d.serialize()), theirs, "{t:?}");
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
