//! The submission as it arrives on the wire (CONTRACT.md, "Submission").
//!
//! These types mirror the JSON exactly: every field optional, unknown fields refused. They hold
//! what the caller sent, untrimmed; [`crate::normalize`] turns them into the values the rules
//! read. Nothing here interprets the law.

use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

/// One contribution as submitted by a form, a processor or a file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The ruleset to judge by: an embedded one (`donation-guard rules`) or one loaded at run
    /// time. Absent or blank: the federal ruleset of `contribution.date`, else the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::ruleset_id"))]
    pub ruleset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donor: Option<Donor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<Contribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signals: Option<Signals>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestations: Option<Attestations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_verdict: Option<ClientVerdict>,
    /// The language of the finding messages (`en` when absent). Never part of the digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Blankable<Language>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<Blankable<RecipientType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election: Option<Blankable<Election>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Donor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Blankable<DonorKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<Blankable<Citizenship>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport: Option<Passport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Passport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<AmountInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Blankable<Method>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_country: Option<String>,
    /// The date of the gift, `YYYY-MM-DD`; it picks the federal ruleset when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Card {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Signals {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attestations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affirmed: Option<Vec<Option<String>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_total: Option<Total>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_total: Option<Total>,
}

/// A running total from `history`: the amount syntax, zero allowed. A negative or malformed
/// total is an input error (`invalid_field`), so a `Submission` never holds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total(pub rust_decimal::Decimal);

impl Serialize for Total {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Total {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match AmountInput::deserialize(deserializer)? {
            AmountInput::Text(s) | AmountInput::Number(s) => s,
        };
        crate::money::parse(&text)
            .map(Total)
            .ok_or_else(|| de::Error::custom("not a total: digits with at most two decimals, zero or more"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientVerdict {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Blankable<Decision>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_digest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset_digest: Option<String>,
}

/// An amount as given: a decimal string, or a JSON number kept as the shortest decimal that
/// round-trips its double (RULES.md, reading 6). Validation happens in the amount rules, so a
/// malformed amount is a finding (`amount_invalid`), not an input error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountInput {
    Text(String),
    Number(String),
}

impl AmountInput {
    /// The text the amount rules parse.
    pub fn as_str(&self) -> &str {
        match self {
            AmountInput::Text(s) | AmountInput::Number(s) => s,
        }
    }
}

impl Serialize for AmountInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The shortest decimal that round-trips `value`, in plain notation (Rust's `{}`: `-0`, no
/// exponent): what Rust's float formatting and JavaScript's `String(n)` agree on.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn number_text(value: f64) -> String {
    format!("{value}")
}

/// The same text in the browser, from the platform's `String(n)` (the same shortest digits),
/// rewritten in Rust's notation: Rust's float formatting is some 20 KB of the wasm (issue 9).
#[cfg(target_arch = "wasm32")]
pub(crate) fn number_text(value: f64) -> String {
    plain_notation(value, &js::number_string(value))
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// JavaScript's `String(n)`.
        #[wasm_bindgen(js_name = String)]
        pub fn number_string(value: f64) -> String;
    }
}

/// `value` in Rust's `{}` notation (`1000000000000000000000`, `0.00000015`, `-0`) from
/// JavaScript's `String(value)` (`1e+21`, `1.5e-7`, `0`). Both write the shortest digits that
/// read back as `value`; they differ in where the point goes, and on an exact tie between two
/// shortest candidates (`1125899906842624.25`), where JavaScript takes the even last digit and
/// Rust the one above, as this does.
#[cfg(any(target_arch = "wasm32", test))]
fn plain_notation(value: f64, js: &str) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let js = js.trim_start_matches('-');
    let (mantissa, exp) = match js.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (js, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // value = digits × 10^e.
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).skip_while(|b| *b == b'0').collect();
    let mut e = exp - i32::try_from(frac.len()).unwrap_or(0);
    if tie_below(value, &digits, e) {
        round_up(&mut digits, &mut e);
    }
    let mut out = String::with_capacity(digits.len() + 26);
    if value < 0.0 {
        out.push('-');
    }
    let text = |d: &[u8]| d.iter().map(|&b| char::from(b)).collect::<String>();
    match usize::try_from(e) {
        Ok(zeros) => {
            out.push_str(&text(&digits));
            out.extend(std::iter::repeat('0').take(zeros));
        }
        Err(_) => {
            let frac = e.unsigned_abs() as usize;
            match digits.len().checked_sub(frac).filter(|n| *n > 0) {
                Some(n) => {
                    let (whole, part) = digits.split_at(n);
                    out.push_str(&text(whole));
                    out.push('.');
                    out.push_str(&text(part));
                }
                None => {
                    out.push_str("0.");
                    out.extend(std::iter::repeat('0').take(frac - digits.len()));
                    out.push_str(&text(&digits));
                }
            }
        }
    }
    out
}

/// Whether `|value|` is exactly halfway between `digits × 10^e` and the next decimal up at that
/// place: `|value| = m × 2^-p` (m odd) is `m × 5^p × 10^-p`, a tie when that is `digits5 × 10^(e-1)`.
#[cfg(any(target_arch = "wasm32", test))]
fn tie_below(value: f64, digits: &[u8], e: i32) -> bool {
    let bits = value.abs().to_bits();
    let (biased, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (mut m, mut q) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    q += zeros as i32;
    if q >= 0 || -q != 1 - e {
        return false;
    }
    let Some(want) = digits
        .iter()
        .try_fold(0u64, |n, &d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))
        .and_then(|d| d.checked_mul(10)?.checked_add(5))
    else {
        return false;
    };
    let mut t = m;
    for _ in 0..-q {
        match t.checked_mul(5) {
            Some(n) if n <= want => t = n,
            _ => return false,
        }
    }
    t == want
}

/// `digits × 10^e` plus one in the last place, trailing zeros dropped.
#[cfg(any(target_arch = "wasm32", test))]
fn round_up(digits: &mut Vec<u8>, e: &mut i32) {
    let mut carry = true;
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            carry = false;
            break;
        }
    }
    if carry {
        digits.insert(0, b'1');
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
        *e += 1;
    }
}

impl<'de> Deserialize<'de> for AmountInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = AmountInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(AmountInput::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(AmountInput::Text(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                if v.is_finite() {
                    Ok(AmountInput::Number(number_text(v)))
                } else {
                    Err(E::custom(crate::error::NOT_FINITE))
                }
            }
            // JSON integers are doubles too (RULES.md reading 6): convert, so that the native
            // build and JavaScript see the same value for the same text.
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_f64(v as f64)
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_f64(v as f64)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// An enumerated value where `""` (or blanks) counts as not given (RULES.md, reading 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blankable<T> {
    Blank,
    Value(T),
}

impl<T: Copy> Blankable<T> {
    pub fn value(&self) -> Option<T> {
        match self {
            Blankable::Blank => None,
            Blankable::Value(v) => Some(*v),
        }
    }
}

/// An enumeration of the contract: its wire names, exactly.
pub trait Wire: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const WHAT: &'static str;
    fn wire(self) -> &'static str;
    fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.wire() == s)
    }
}

impl<T: Wire> Serialize for Blankable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Blankable::Blank => serializer.serialize_str(""),
            Blankable::Value(v) => serializer.serialize_str(v.wire()),
        }
    }
}

impl<'de, T: Wire> Deserialize<'de> for Blankable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<T: Wire> de::Visitor<'_> for V<T> {
            type Value = Blankable<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "one of {}", list::<T>())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    return Ok(Blankable::Blank);
                }
                // The donor's value is never echoed back: it may be personal data.
                T::from_wire(v)
                    .map(Blankable::Value)
                    .ok_or_else(|| E::custom(format!("{}: not one of {}", crate::error::NOT_IN_ENUM, list::<T>())))
            }
        }
        deserializer.deserialize_str(V(std::marker::PhantomData))
    }
}

fn list<T: Wire>() -> String {
    T::ALL.iter().map(|v| v.wire()).collect::<Vec<_>>().join(", ")
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl Wire for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WHAT: &'static str = $what;
            fn wire(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.wire())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match Blankable::<$name>::deserialize(deserializer)? {
                    Blankable::Value(v) => Ok(v),
                    Blankable::Blank => Err(de::Error::custom(format!("{}: not one of {}", crate::error::NOT_IN_ENUM, list::<$name>()))),
                }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str(self.wire()) }
        }
    };
}

wire_enum!(
    /// `recipient.type`: who receives the contribution; it picks the limit.
    RecipientType, "recipient type", {
        Candidate => "candidate",
        Pac => "pac",
        PartyNational => "party_national",
        PartyState => "party_state",
        SuperPac => "super_pac",
        PartyNationalAccount => "party_national_account",
        BallotMeasureCommittee => "ballot_measure_committee",
    }
);

wire_enum!(
    /// `language`: the language of the finding messages.
    Language, "language", {
        En => "en",
        Es => "es",
    }
);

wire_enum!(
    /// `recipient.election` (candidates only): each is a separate election for the limit.
    Election, "election", {
        Primary => "primary",
        General => "general",
        Runoff => "runoff",
        Special => "special",
    }
);

wire_enum!(
    /// `donor.kind`.
    DonorKind, "donor kind", {
        Individual => "individual",
        Organization => "organization",
    }
);

wire_enum!(
    /// `donor.citizenship`, as the donor states it.
    Citizenship, "citizenship", {
        UsCitizen => "us_citizen",
        UsNational => "us_national",
        PermanentResident => "permanent_resident",
        ForeignNational => "foreign_national",
    }
);

wire_enum!(
    /// `contribution.method`.
    Method, "payment method", {
        Card => "card",
        Ach => "ach",
        Check => "check",
        Wire => "wire",
        Cash => "cash",
        Other => "other",
    }
);

wire_enum!(
    /// The outcome of a check.
    Decision, "decision", {
        Accept => "accept",
        Review => "review",
        Reject => "reject",
    }
);

#[cfg(test)]
mod tests {
    use super::{number_text, plain_notation};

    /// JavaScript's `String(n)` for a double, written from Rust's shortest digits (`{:e}`):
    /// ECMAScript's Number::toString puts an exponent on values below 1e-6 and from 1e21 up.
    fn js_string(x: f64) -> String {
        let sci = format!("{:e}", x);
        let (mantissa, exp) = sci.split_once('e').unwrap();
        let exp: i32 = exp.parse().unwrap();
        if x == 0.0 {
            "0".to_owned()
        } else if (-6..=20).contains(&exp) {
            format!("{x}")
        } else {
            format!("{mantissa}e{}{exp}", if exp > 0 { "+" } else { "" })
        }
    }

    /// The browser's text, rewritten, is the native `{}` for every kind of double: integers,
    /// cents, the notation's edges (1e-7, 1e21), the extremes and random bit patterns.
    #[test]
    fn plain_notation_is_rusts() {
        let mut xs = vec![0.0, -0.0, 1.0, -1.0, 0.1, 25.5, 1e-6, 1e-7, 1.5e-7, 9.99e-7, 1e20, 1e21, 1.2345e25, -1e21];
        xs.extend([f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324, 123456789012345680000.0, 0.000001234]);
        for e in -30..=30 {
            xs.push(10f64.powi(e));
            xs.push(-3.25 * 10f64.powi(e));
        }
        for c in 0..2000u32 {
            xs.push(f64::from(c) / 100.0);
        }
        let mut rng = crate::XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let x = f64::from_bits(rng.next_u64());
            if x.is_finite() {
                xs.push(x);
            }
        }
        for x in xs {
            assert_eq!(plain_notation(x, &js_string(x)), number_text(x), "{x:e}");
        }
    }

    /// Exact ties, as V8 writes them (the even digit) and as Rust does (the digit above).
    #[test]
    fn ties_go_up_as_in_rust() {
        for (bits, js, rust) in [
            (0x4310_0000_0000_0001u64, "1125899906842624.2", "1125899906842624.3"),
            (0xc309_4d52_ca33_4902, "-890236549097760.2", "-890236549097760.3"),
            (0x42e8_585d_3c33_f204, "214142403321744.12", "214142403321744.13"),
            (0xc2da_8dc0_c392_ec68, "-116784507014065.62", "-116784507014065.63"),
            (0x4310_0000_0000_0002, "1125899906842624.5", "1125899906842624.5"),
            (0x3b87_9ca1_0c92_4223, "6.25e-22", "0.000000000000000000000625"),
        ] {
            let x = f64::from_bits(bits);
            assert_eq!(number_text(x), rust);
            assert_eq!(plain_notation(x, js), rust, "{js}");
        }
    }
}
