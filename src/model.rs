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

/// The shortest decimal that round-trips `value` (what Rust's float formatting and JavaScript's
/// `String(n)` agree on for every amount that can be valid).
pub(crate) fn number_text(value: f64) -> String {
    format!("{value}")
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
