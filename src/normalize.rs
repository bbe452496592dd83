//! From the submission as sent to the values the rules read (RULES.md, "Readings").
//!
//! Every string is trimmed and put in Unicode NFC; blank is absent; countries are looked up;
//! codes are upper-cased (ASCII letters only); defaults are applied. The rules and the canonical form both read this
//! one normalised view, so they can never disagree about what the donor entered.

use crate::countries::{self, Country};
use crate::model::{
    Citizenship, ClientVerdict, Decision, DonorKind, Election, Language, Method, RecipientType, Submission,
};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// A country field: absent, recognised, or given but unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryField<'a> {
    Absent,
    Known(Country),
    /// Not in `countries.tsv`; holds the trimmed NFC text.
    Unknown(Cow<'a, str>),
}

impl CountryField<'_> {
    pub fn known(&self) -> Option<Country> {
        match self {
            CountryField::Known(c) => Some(*c),
            _ => None,
        }
    }
    pub fn is_given(&self) -> bool {
        !matches!(self, CountryField::Absent)
    }
}

/// The form part: what the donor's browser had (RULES.md, "The form part").
#[derive(Debug, Clone, PartialEq)]
pub struct Form<'a> {
    pub recipient_type: Option<RecipientType>,
    /// Defaulted to primary for a candidate.
    pub election: Option<Election>,
    pub kind: DonorKind,
    pub first_name: Option<Cow<'a, str>>,
    pub last_name: Option<Cow<'a, str>>,
    pub line1: Option<Cow<'a, str>>,
    pub line2: Option<Cow<'a, str>>,
    pub city: Option<Cow<'a, str>>,
    /// ASCII upper-cased.
    pub state: Option<Cow<'a, str>>,
    /// ASCII upper-cased.
    pub postal_code: Option<Cow<'a, str>>,
    pub country: CountryField<'a>,
    /// The text typed for the country, kept for the mixed-script check.
    pub country_text: Option<Cow<'a, str>>,
    pub citizenship: Option<Citizenship>,
    pub passport_country: CountryField<'a>,
    pub passport_country_text: Option<Cow<'a, str>>,
    /// Spaces and `-` removed, ASCII upper-cased.
    pub passport_number: Option<String>,
    pub employer: Option<Cow<'a, str>>,
    pub occupation: Option<Cow<'a, str>>,
    /// As given (NFC, not trimmed: `" 25"` is invalid); a JSON number as its shortest decimal.
    pub amount: Option<Cow<'a, str>>,
    /// ASCII upper-cased; defaults to USD.
    pub currency: Cow<'a, str>,
    pub method: Option<Method>,
    pub attestation_version: Option<Cow<'a, str>>,
    /// Sorted, without duplicates or blanks.
    pub affirmed: Vec<Cow<'a, str>>,
    /// `contribution.date`, trimmed (`YYYY-MM-DD`: [`crate::parse`] refuses anything else).
    pub date: Option<Cow<'a, str>>,
    /// The language of the messages (not part of the digest).
    pub language: Language,
}

/// What the server or the processor adds: never seen by the browser.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra<'a> {
    pub card_country: Option<(CountryField<'a>, Cow<'a, str>)>,
    pub bank_country: Option<(CountryField<'a>, Cow<'a, str>)>,
    pub ip_country: Option<CountryField<'a>>,
    pub prior_total: Decimal,
    pub cycle_total: Decimal,
    pub client: Option<Client<'a>>,
}

/// The browser's verdict, as carried in `client_verdict`.
#[derive(Debug, Clone, PartialEq)]
pub struct Client<'a> {
    pub decision: Option<Decision>,
    pub submission_digest: Option<Cow<'a, str>>,
    pub ruleset_digest: Option<Cow<'a, str>>,
}

/// Unicode NFC. Natively from `unicode-normalization`; in the browser from the platform's
/// `String.prototype.normalize`, which keeps ~60 KB of tables out of the wasm.
#[cfg(not(target_arch = "wasm32"))]
pub fn nfc(s: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

#[cfg(target_arch = "wasm32")]
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        // A throwing (patched) normalize makes the whole call answer an error (wasm.rs).
        match crate::wasm::platform_nfc(s) {
            Some(normalized) if normalized != s => Cow::Owned(normalized),
            _ => Cow::Borrowed(s),
        }
    }
}

/// Trimmed and NFC; blank (empty or whitespace only) is absent.
pub fn text(s: &Option<String>) -> Option<Cow<'_, str>> {
    let t = s.as_deref()?.trim();
    if t.is_empty() {
        return None;
    }
    Some(nfc(t))
}

/// ASCII upper case: codes (state, postal code, currency) are ASCII; other letters stay as typed,
/// which keeps Unicode's case tables (14 KB gzip) out of the wasm.
fn upper(s: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    s.map(|s| if s.bytes().any(|b| b.is_ascii_lowercase()) { Cow::Owned(s.to_ascii_uppercase()) } else { s })
}

static NONE: Option<String> = None;

fn lookup_country(s: &Option<String>) -> (CountryField<'_>, Option<Cow<'_, str>>) {
    match text(s) {
        None => (CountryField::Absent, None),
        Some(t) => match countries::lookup(&t) {
            Some(c) => (CountryField::Known(c), Some(t)),
            None => (CountryField::Unknown(t.clone()), Some(t)),
        },
    }
}

/// The normalised form part of a submission.
pub fn form(sub: &Submission) -> Form<'_> {
    let recipient = sub.recipient.as_ref();
    let recipient_type = recipient.and_then(|r| r.kind).and_then(|k| k.value());
    let election = recipient.and_then(|r| r.election).and_then(|e| e.value());
    let election = match recipient_type {
        Some(RecipientType::Candidate) => Some(election.unwrap_or(Election::Primary)),
        _ => election,
    };
    let donor = sub.donor.as_ref();
    let address = donor.and_then(|d| d.address.as_ref());
    let passport = donor.and_then(|d| d.passport.as_ref());
    let contribution = sub.contribution.as_ref();
    let attestations = sub.attestations.as_ref();
    let (country, country_text) = lookup_country(address.map_or(&NONE, |a| &a.country));
    let (passport_country, passport_country_text) = lookup_country(passport.map_or(&NONE, |p| &p.country));

    let mut affirmed: Vec<Cow<'_, str>> = attestations
        .and_then(|a| a.affirmed.as_ref())
        .map(|list| list.iter().filter_map(text).collect())
        .unwrap_or_default();
    crate::map::sort_by(&mut affirmed, &|a: &Cow<'_, str>, b: &Cow<'_, str>| a < b);
    affirmed.dedup();

    Form {
        recipient_type,
        election,
        kind: donor.and_then(|d| d.kind).and_then(|k| k.value()).unwrap_or(DonorKind::Individual),
        first_name: text(donor.map_or(&NONE, |d| &d.first_name)),
        last_name: text(donor.map_or(&NONE, |d| &d.last_name)),
        line1: text(address.map_or(&NONE, |a| &a.line1)),
        line2: text(address.map_or(&NONE, |a| &a.line2)),
        city: text(address.map_or(&NONE, |a| &a.city)),
        state: upper(text(address.map_or(&NONE, |a| &a.state))),
        postal_code: upper(text(address.map_or(&NONE, |a| &a.postal_code))),
        country,
        country_text,
        citizenship: donor.and_then(|d| d.citizenship).and_then(|c| c.value()),
        passport_country,
        passport_country_text,
        passport_number: text(passport.map_or(&NONE, |p| &p.number))
            .map(|n| n.chars().filter(|c| *c != '-' && !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect())
            .filter(|n: &String| !n.is_empty()),
        employer: text(donor.map_or(&NONE, |d| &d.employer)),
        occupation: text(donor.map_or(&NONE, |d| &d.occupation)),
        amount: contribution.and_then(|c| c.amount.as_ref()).and_then(|a| {
            let s = a.as_str();
            if s.trim().is_empty() {
                None
            } else {
                Some(nfc(s))
            }
        }),
        currency: upper(text(contribution.map_or(&NONE, |c| &c.currency))).unwrap_or(Cow::Borrowed("USD")),
        method: contribution.and_then(|c| c.method).and_then(|m| m.value()),
        attestation_version: text(attestations.map_or(&NONE, |a| &a.version)),
        affirmed,
        date: text(contribution.map_or(&NONE, |c| &c.date)),
        language: sub.language.and_then(|l| l.value()).unwrap_or(Language::En),
    }
}

/// The normalised part that only the server or processor supplies.
pub fn extra(sub: &Submission) -> Extra<'_> {
    let contribution = sub.contribution.as_ref();
    fn with_text(s: &Option<String>) -> Option<(CountryField<'_>, Cow<'_, str>)> {
        match lookup_country(s) {
            (CountryField::Absent, _) => None,
            (field, text) => text.map(|t| (field, t)),
        }
    }
    let history = sub.history.as_ref();
    Extra {
        card_country: with_text(contribution.and_then(|c| c.card.as_ref()).map_or(&NONE, |c| &c.country)),
        bank_country: with_text(contribution.map_or(&NONE, |c| &c.bank_country)),
        ip_country: match lookup_country(sub.signals.as_ref().map_or(&NONE, |s| &s.ip_country)).0 {
            CountryField::Absent => None,
            other => Some(other),
        },
        prior_total: history.and_then(|h| h.prior_total).map_or(Decimal::ZERO, |t| t.0),
        cycle_total: history.and_then(|h| h.cycle_total).map_or(Decimal::ZERO, |t| t.0),
        client: sub.client_verdict.as_ref().map(client),
    }
}

fn client(c: &ClientVerdict) -> Client<'_> {
    Client {
        decision: c.decision.and_then(|d| d.value()),
        submission_digest: text(&c.submission_digest),
        ruleset_digest: text(&c.ruleset_digest),
    }
}

/// Whether an address is in the United States (RULES.md, reading 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Domestic,
    Foreign,
    /// No country, or one not in the table: neither domestic nor foreign.
    Unknown,
}

/// States that are valid on a domestic address: the 50 states, DC, the inhabited territories
/// and the military "states".
pub const STATES: [&str; 59] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "AA",
    "AE", "AP",
];

const MILITARY_STATES: [&str; 3] = ["AA", "AE", "AP"];
const MILITARY_CITIES: [&str; 3] = ["APO", "FPO", "DPO"];

impl Form<'_> {
    /// Military mail: state AA, AE or AP with an APO, FPO or DPO city.
    pub fn is_military(&self) -> bool {
        let state = self.state.as_deref().unwrap_or_default();
        let city = self.city.as_deref().unwrap_or_default();
        MILITARY_STATES.contains(&state) && MILITARY_CITIES.iter().any(|c| c.eq_ignore_ascii_case(city))
    }

    pub fn locale(&self) -> Locale {
        let Some(country) = self.country.known() else {
            return Locale::Unknown;
        };
        let state = self.state.as_deref().unwrap_or_default();
        if self.is_military() || (country.is_domestic() && !countries::FREELY_ASSOCIATED.contains(&state)) {
            Locale::Domestic
        } else {
            Locale::Foreign
        }
    }

    /// A passport is given when its number is not blank; it is a U.S. passport only when its
    /// country is recognised as US.
    pub fn has_us_passport(&self) -> bool {
        self.passport_number.is_some() && self.passport_country.known().is_some_and(|c| c.is_us())
    }

    /// A format-valid U.S. passport number was given.
    pub fn has_valid_us_passport(&self) -> bool {
        self.has_us_passport() && self.passport_number.as_deref().is_some_and(is_us_passport_number)
    }

    /// Claims to be a U.S. citizen or national, or does not say.
    pub fn claims_us_or_silent(&self) -> bool {
        matches!(self.citizenship, None | Some(Citizenship::UsCitizen) | Some(Citizenship::UsNational))
    }
}

/// Nine digits, or one letter and eight digits (normalised: no spaces or dashes, upper case).
pub fn is_us_passport_number(n: &str) -> bool {
    let b = n.as_bytes();
    match b.split_first() {
        Some((first, rest)) if b.len() == 9 => {
            (first.is_ascii_digit() || first.is_ascii_uppercase()) && rest.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passport_numbers() {
        for ok in ["123456789", "A12345678", "C03005988", "Z00000000"] {
            assert!(is_us_passport_number(ok), "{ok}");
        }
        for bad in ["12345678", "1234567890", "AB1234567", "A1234567", "", "A1234567Ä", "١٢٣٤٥٦٧٨٩"] {
            assert!(!is_us_passport_number(bad), "{bad}");
        }
    }

    #[test]
    fn blank_is_absent_and_text_is_trimmed_nfc() {
        assert_eq!(text(&Some("   ".into())), None);
        assert_eq!(text(&Some("".into())), None);
        assert_eq!(text(&None), None);
        assert_eq!(text(&Some("  Ada \t".into())).as_deref(), Some("Ada"));
        // "é" as e + combining acute becomes the single code point.
        assert_eq!(text(&Some("Jose\u{301}".into())).as_deref(), Some("Jos\u{e9}"));
    }
}
