//! The one adapter between `screen` and the law / donor identity it depends on.
//!
//! TODO(merge): switch to `crate::ruleset::for_date(date)` (past federal rulesets, recipient types
//! `super_pac` and `party_national_account`) for [`limit`] and [`itemization_threshold`], and to
//! `crate::identity::donor_identity(first, last, postal_code)` / `crate::identity::near(&a, &b)`
//! for [`identity`] and [`near`]. Until then the table and the key below are this module's own,
//! minimal versions.

use rust_decimal::Decimal;

/// The recipient types `screen` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommitteeType {
    /// Candidate committee (FEC types H, S, P): limit per election.
    Candidate,
    /// PAC (N, Q, V, W): limit per calendar year.
    Pac,
    /// Independent-expenditure-only committee (O, U): no contribution limit.
    SuperPac,
    /// National party committee (X, Y, national): limit per calendar year.
    NationalParty,
    /// State or local party committee (X, Y, other): limit per calendar year (federal account).
    StateParty,
    /// Joint fundraising committee (designation J): allocated to its participants; no single limit.
    JointFundraising,
    /// Any other type (communication costs, electioneering, ...): no limit applied.
    Other,
}

impl CommitteeType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Candidate => "candidate committee",
            Self::Pac => "PAC",
            Self::SuperPac => "super PAC",
            Self::NationalParty => "national party",
            Self::StateParty => "state party",
            Self::JointFundraising => "joint fundraising",
            Self::Other => "other",
        }
    }
}

/// A contribution limit in force on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub amount: Decimal,
    /// True: per election (candidates); false: per calendar year.
    pub per_election: bool,
    /// The cycle the limit belongs to, e.g. "us-federal-2015-2016".
    pub ruleset: &'static str,
    pub citation: &'static str,
}

/// (first year of cycle, ruleset id, candidate per election, national party per year).
/// 11 CFR 110.1(b), 110.1(c); the indexed amounts published by the FEC for each cycle.
const CYCLES: [(u32, &str, i64, i64); 6] = [
    (2015, "us-federal-2015-2016", 2_700, 33_400),
    (2017, "us-federal-2017-2018", 2_700, 33_900),
    (2019, "us-federal-2019-2020", 2_800, 35_500),
    (2021, "us-federal-2021-2022", 2_900, 36_500),
    (2023, "us-federal-2023-2024", 3_300, 41_300),
    (2025, "us-federal-2025-2026", 3_500, 44_300),
];

/// The cycle (ruleset id, candidate limit, national party limit) of a date `yyyymmdd`.
fn cycle(date: u32) -> Option<(&'static str, i64, i64)> {
    let year = date / 10_000;
    let start = if year % 2 == 1 { year } else { year.saturating_sub(1) };
    CYCLES.iter().find(|c| c.0 == start).map(|c| (c.1, c.2, c.3))
}

/// The ruleset id in force on a date, if this build knows it.
pub fn ruleset_id(date: u32) -> Option<&'static str> {
    cycle(date).map(|c| c.0)
}

/// The limit for a gift of `date` (`yyyymmdd`) to a committee of type `ct`; `None` when there
/// is no single limit (super PAC, joint fundraising, other) or no ruleset for the date.
pub fn limit(date: u32, ct: CommitteeType) -> Option<Limit> {
    let (ruleset, candidate, national) = cycle(date)?;
    let (amount, per_election, citation) = match ct {
        CommitteeType::Candidate => (candidate, true, "52 U.S.C. 30116(a)(1)(A); 11 CFR 110.1(b)"),
        CommitteeType::Pac => (5_000, false, "52 U.S.C. 30116(a)(1)(C); 11 CFR 110.1(d)"),
        CommitteeType::NationalParty => (national, false, "52 U.S.C. 30116(a)(1)(B); 11 CFR 110.1(c)"),
        CommitteeType::StateParty => (10_000, false, "52 U.S.C. 30116(a)(1)(D); 11 CFR 110.1(c)(5)"),
        CommitteeType::SuperPac | CommitteeType::JointFundraising | CommitteeType::Other => return None,
    };
    Some(Limit { amount: Decimal::from(amount), per_election, ruleset, citation })
}

/// The itemization threshold (aggregate over which employer and occupation are required).
pub fn itemization_threshold(_date: u32) -> Decimal {
    Decimal::from(200)
}

/// A donor's identity: `key` decides "same donor"; `name_key` (last + first initial) and `zip5`
/// find near matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    pub key: String,
    pub name_key: String,
    pub last: String,
    pub first: String,
    pub zip5: String,
}

const SUFFIXES: [&str; 8] = ["JR", "SR", "II", "III", "IV", "V", "ESQ", "MD"];
const TITLES: [&str; 8] = ["MR", "MRS", "MS", "DR", "MISS", "HON", "REV", "PROF"];
const NICKNAMES: [(&str, &str); 40] = [
    ("BILL", "WILLIAM"),
    ("BILLY", "WILLIAM"),
    ("WILL", "WILLIAM"),
    ("BOB", "ROBERT"),
    ("BOBBY", "ROBERT"),
    ("ROB", "ROBERT"),
    ("DICK", "RICHARD"),
    ("RICK", "RICHARD"),
    ("RICH", "RICHARD"),
    ("JIM", "JAMES"),
    ("JIMMY", "JAMES"),
    ("JAMIE", "JAMES"),
    ("MIKE", "MICHAEL"),
    ("MIKEY", "MICHAEL"),
    ("TOM", "THOMAS"),
    ("TOMMY", "THOMAS"),
    ("JOE", "JOSEPH"),
    ("JOEY", "JOSEPH"),
    ("DAVE", "DAVID"),
    ("DAN", "DANIEL"),
    ("DANNY", "DANIEL"),
    ("CHRIS", "CHRISTOPHER"),
    ("STEVE", "STEPHEN"),
    ("TONY", "ANTHONY"),
    ("ED", "EDWARD"),
    ("TED", "EDWARD"),
    ("KATE", "KATHERINE"),
    ("KATHY", "KATHERINE"),
    ("KATIE", "KATHERINE"),
    ("LIZ", "ELIZABETH"),
    ("BETH", "ELIZABETH"),
    ("BETTY", "ELIZABETH"),
    ("PEGGY", "MARGARET"),
    ("MAGGIE", "MARGARET"),
    ("SUE", "SUSAN"),
    ("PATTY", "PATRICIA"),
    ("PAT", "PATRICIA"),
    ("JENNY", "JENNIFER"),
    ("JEN", "JENNIFER"),
    ("CHUCK", "CHARLES"),
];

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_uppercase());
        } else if c == '\'' || c == '.' {
            // O'BRIEN = OBRIEN; "J." = J
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn canonical_first(first: &str) -> String {
    NICKNAMES.iter().find(|(n, _)| *n == first).map_or_else(|| first.to_string(), |(_, full)| (*full).to_string())
}

/// The five-digit ZIP of a US postal code ("62701", "62701-1234", "627011234"), or the folded
/// code itself when it is not a US ZIP.
pub fn zip5(postal: &str) -> String {
    let digits: String = postal.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if digits.len() >= 5 && digits.chars().take(5).all(|c| c.is_ascii_digit()) {
        digits.chars().take(5).collect()
    } else {
        digits.to_uppercase()
    }
}

/// The identity of a donor from first and last name (either may hold "LAST, FIRST M" when the
/// other is empty) and postal code. Case, whitespace, punctuation, order, middle names and
/// initials, suffixes, titles and common nicknames do not change the key.
pub fn identity(first: &str, last: &str, postal_code: &str) -> Identity {
    let (last_t, first_t) = if first.trim().is_empty() {
        split_full_name(last)
    } else if last.trim().is_empty() {
        split_full_name(first)
    } else {
        (tokens(last), tokens(first))
    };
    let clean = |v: Vec<String>| -> Vec<String> {
        v.into_iter().filter(|t| !SUFFIXES.contains(&t.as_str()) && !TITLES.contains(&t.as_str())).collect()
    };
    let last_t = clean(last_t);
    let first_t = clean(first_t);
    let last = last_t.concat();
    // First name: the first token of two letters or more (drops initials like "J" in "J ROBERT").
    let first = first_t
        .iter()
        .find(|t| t.chars().count() > 1)
        .or(first_t.first())
        .map(|t| canonical_first(t))
        .unwrap_or_default();
    let zip = zip5(postal_code);
    let initial: String = first.chars().take(1).collect();
    Identity { key: format!("{last}|{first}|{zip}"), name_key: format!("{last}|{initial}"), last, first, zip5: zip }
}

/// "LAST, FIRST M" → (last tokens, first tokens); without a comma, "FIRST M LAST".
fn split_full_name(name: &str) -> (Vec<String>, Vec<String>) {
    match name.split_once(',') {
        Some((l, f)) => (tokens(l), tokens(f)),
        None => {
            let mut t: Vec<String> = tokens(name).into_iter().filter(|t| !SUFFIXES.contains(&t.as_str())).collect();
            let last = t.pop().map(|l| vec![l]).unwrap_or_default();
            (last, t)
        }
    }
}

/// Near match that is not certain: same last name and first initial in the same ZIP, or the
/// same last and first name in another ZIP. Never merged; listed for a person to decide.
pub fn near(a: &Identity, b: &Identity) -> bool {
    if a.key == b.key || a.last.is_empty() {
        return false;
    }
    (a.name_key == b.name_key && a.zip5 == b.zip5) || (a.last == b.last && a.first == b.first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_survives_variants() {
        let a = identity("", "SMITH, JOHN Q.", "627011234");
        let b = identity("john", "Smith Jr.", "62701-1234");
        let c = identity("Johnny Q", "smith", "62701");
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert!(near(&a, &c));
        assert_eq!(identity("Bill", "O'Brien", "10001").key, identity("", "OBRIEN, WILLIAM", "10001").key);
    }

    #[test]
    fn limits_by_date() {
        assert_eq!(limit(20160301, CommitteeType::Candidate).map(|l| l.amount), Some(Decimal::from(2700)));
        assert_eq!(limit(20240301, CommitteeType::Candidate).map(|l| l.amount), Some(Decimal::from(3300)));
        assert_eq!(limit(20240301, CommitteeType::SuperPac), None);
        assert_eq!(limit(20100301, CommitteeType::Candidate), None);
    }
}
