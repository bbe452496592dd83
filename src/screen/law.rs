//! How `screen` reads the FEC's committee types, and the law of a gift's date.
//!
//! Nothing here is `screen`'s own copy of the law or of donor identity: limits, their periods,
//! the itemization threshold and the cash limit come from the ruleset of each gift's date
//! ([`crate::ruleset::for_date`]), and donor identity is [`crate::identity`], the same one the
//! server's ledger counts a limit on.

use crate::model::RecipientType;
use crate::ruleset::{Limit, Ruleset};

/// The recipient types `screen` tells apart (from the FEC committee master file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommitteeType {
    /// Candidate committee (FEC types H, S, P).
    Candidate,
    /// PAC (N, Q, V, W).
    Pac,
    /// Independent-expenditure-only committee (O, U).
    SuperPac,
    /// National party committee (X, Y, national).
    NationalParty,
    /// State or local party committee (X, Y, other; federal account).
    StateParty,
    /// Joint fundraising committee (designation J): allocated to its participants; no single limit.
    JointFundraising,
    /// A convention city's host committee (named so in the committee master file): donations to
    /// it are not contributions and have no limit (11 CFR 9008.52(b)).
    HostCommittee,
    /// Any other type (communication costs, electioneering, ...): no limit applied.
    Other,
    /// Not in the committee master file that was given: no limit applied.
    Unknown,
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
            Self::HostCommittee => "convention host committee",
            Self::Other => "other",
            Self::Unknown => "not in the committee master file",
        }
    }

    /// The type from the FEC's codes (cm.txt `CMTE_TP` and `CMTE_DSGN`, or the Schedule A
    /// CSV's `recipient_committee_type` and `recipient_committee_designation`). Party
    /// committees are national when the name says so (`name` upper-case; empty: state).
    /// Designation J (joint fundraising) overrides the type. FEC committee types: H, S, P
    /// candidate; N, Q PAC; V, W PAC with a non-contribution account (hybrid: its contribution
    /// account has the PAC limit, type-10 receipts go to the other one); O, U super PAC; X, Y
    /// party; C, D, E, I, Z and the rest carry no contribution limit here.
    pub fn from_codes(tp: &str, dsgn: &str, name: &str) -> CommitteeType {
        if dsgn.trim().eq_ignore_ascii_case("J") {
            return Self::JointFundraising;
        }
        // Host committees register as party committees (Cleveland 2016 Host Committee: type
        // X), and only their names tell them apart.
        if name.contains("HOST COMMITTEE") {
            return Self::HostCommittee;
        }
        match tp.trim().to_ascii_uppercase().as_str() {
            "H" | "S" | "P" => Self::Candidate,
            "N" | "Q" | "V" | "W" => Self::Pac,
            "O" | "U" => Self::SuperPac,
            "X" | "Y" if super::is_national_party(name) => Self::NationalParty,
            "X" | "Y" => Self::StateParty,
            _ => Self::Other,
        }
    }

    /// Why gifts to this type are not judged against a limit (`None`: they are).
    pub fn not_judged(self) -> Option<&'static str> {
        match self {
            Self::SuperPac => Some(SUPER_PAC),
            Self::JointFundraising => Some(JFC),
            Self::HostCommittee => Some(HOST),
            Self::Other => Some(OTHER),
            Self::Unknown => Some(UNKNOWN),
            _ => None,
        }
    }

    /// The contract's recipient type, whose limit the rulesets give; `None` for a joint
    /// fundraising committee (its gifts are allocated to the participants) and other types.
    pub fn recipient_type(self) -> Option<RecipientType> {
        match self {
            Self::Candidate => Some(RecipientType::Candidate),
            Self::Pac => Some(RecipientType::Pac),
            Self::SuperPac => Some(RecipientType::SuperPac),
            Self::NationalParty => Some(RecipientType::PartyNational),
            Self::StateParty => Some(RecipientType::PartyState),
            Self::JointFundraising | Self::HostCommittee | Self::Other | Self::Unknown => None,
        }
    }
}

/// Reasons a gift is counted but not judged against a limit, written for staff.
pub const SUPER_PAC: &str = "super PAC (independent-expenditure-only committee): no contribution limit";
pub const JFC: &str = "joint fundraising committee: gifts are allocated to its participants, whose limits apply there (11 CFR 102.17(c)(5))";
pub const HOST: &str =
    "convention host committee: donations to it are not contributions and have no limit (11 CFR 9008.52(b))";
pub const OTHER: &str = "committee type with no contribution limit here (communication cost, electioneering, independent expenditure filer, nonfederal account)";
pub const UNKNOWN: &str = "committee not in the committee master file given: its type is unknown";
pub const NON_CONTRIBUTION: &str = "non-contribution account (transaction type 10: super PAC or hybrid PAC's non-contribution account, Levin funds): no contribution limit";
pub const CANDIDATE_OWN: &str = "candidate's own money (transaction type 15C, entity CAN): no limit (11 CFR 110.10)";
/// A gift dated outside every embedded federal ruleset (the test below holds the cycles named
/// here to the embedded files).
pub const NO_RULESET: &str = "dated outside the federal rulesets this version embeds (2003-2004 to 2025-2026): the limits of its cycle are not known here, so no limit was applied; check these by hand";
pub const EARMARK: &str = "earmarked through a conduit (transaction types 24T, 24I, reported by the conduit): a contribution to the earmarked recipient, counted where it reports it (15E), not to the conduit";

/// A national party committee's separate account (52 U.S.C. 30116(a)(9)) from the FEC
/// transaction type: 30 convention, 31 headquarters, 32 recount and legal proceedings (and
/// their variants: 30T, 30J, ...); 40Y, 41Y, 42Y are their refunds.
pub fn party_account(tp: &str) -> Option<&'static str> {
    match tp.trim().get(..2) {
        Some("30") | Some("40") => Some("convention"),
        Some("31") | Some("41") => Some("headquarters"),
        Some("32") | Some("42") => Some("recount and legal"),
        _ => None,
    }
}

/// Why a gift of this FEC transaction type is not judged against a limit, whatever the
/// committee.
pub fn not_judged_type(tp: &str) -> Option<&'static str> {
    let t = tp.trim();
    let is = |code: &str| t.eq_ignore_ascii_case(code);
    if is("10") || is("10J") {
        Some(NON_CONTRIBUTION)
    } else if is("15C") {
        Some(CANDIDATE_OWN)
    } else if is("24T") || is("24I") {
        Some(EARMARK)
    } else {
        None
    }
}

/// The federal ruleset of a gift's date (`yyyymmdd`); an undated gift (0) gets the default
/// ruleset. `None` when no embedded federal ruleset covers the date.
pub fn ruleset_for(date: u32) -> Option<&'static Ruleset> {
    if date == 0 {
        return crate::ruleset::for_date(None);
    }
    let iso = format!("{:04}-{:02}-{:02}", date / 10_000, (date / 100) % 100, date % 100);
    crate::ruleset::for_date(Some(&iso))
}

/// The limit (amount and `per` period) of a ruleset for a committee type; `None` when there is
/// no single limit (super PAC, joint fundraising, other) or the ruleset does not cover it.
pub fn limit(rs: &'static Ruleset, ct: CommitteeType) -> Option<&'static Limit> {
    rs.limit(ct.recipient_type()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn committee_types_from_the_fec_codes() {
        let t = CommitteeType::from_codes;
        assert_eq!(t("X", "U", "CLEVELAND 2016 HOST COMMITTEE INC"), CommitteeType::HostCommittee);
        assert!(CommitteeType::HostCommittee.not_judged().is_some_and(|w| w.contains("9008.52")));
        assert_eq!(t("Y", "U", "OHIO REPUBLICAN PARTY"), CommitteeType::StateParty);
        assert_eq!(t("Y", "U", "REPUBLICAN NATIONAL COMMITTEE"), CommitteeType::NationalParty);
        assert_eq!(t("N", "J", "VICTORY FUND"), CommitteeType::JointFundraising);
        assert_eq!(t("H", "P", "FRIENDS OF A CANDIDATE"), CommitteeType::Candidate);
        assert_eq!(t("O", "U", "A SUPER PAC"), CommitteeType::SuperPac);
        assert_eq!(t("Q", "U", "A PAC"), CommitteeType::Pac);
    }

    #[test]
    fn the_no_ruleset_reason_names_the_embedded_federal_cycles() {
        let cycles: Vec<&str> = crate::ruleset::ids().filter_map(|id| id.strip_prefix("us-federal-")).collect();
        let (first, last) = (cycles.iter().min().unwrap(), cycles.iter().max().unwrap());
        assert!(NO_RULESET.contains(&format!("({first} to {last})")), "{first} {last}: {NO_RULESET}");
        assert!(ruleset_for(20021231).is_none() && ruleset_for(20270101).is_none());
    }

    #[test]
    fn limits_come_from_the_ruleset_of_the_date() {
        let amount = |date: u32, ct| ruleset_for(date).and_then(|rs| limit(rs, ct)).map(|l| l.amount.normalize());
        assert_eq!(amount(20160301, CommitteeType::Candidate), Some(Decimal::from(2700)));
        assert_eq!(amount(20240301, CommitteeType::Candidate), Some(Decimal::from(3300)));
        assert_eq!(amount(20160301, CommitteeType::NationalParty), Some(Decimal::from(33400)));
        assert_eq!(amount(20240301, CommitteeType::SuperPac), None);
        assert_eq!(amount(20240301, CommitteeType::JointFundraising), None);
        assert_eq!(amount(20160301, CommitteeType::HostCommittee), None);
        assert_eq!(amount(20100301, CommitteeType::Candidate), Some(Decimal::from(2400)));
        assert!(ruleset_for(20020301).is_none());
        assert_eq!(ruleset_for(20160301).map(|r| r.id()), Some("us-federal-2015-2016"));
        assert_eq!(
            ruleset_for(20160301).and_then(|rs| limit(rs, CommitteeType::Candidate)).map(|l| l.per),
            Some(crate::ruleset::Period::Election)
        );
    }
}
