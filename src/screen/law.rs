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

    /// The contract's recipient type, whose limit the rulesets give; `None` for a joint
    /// fundraising committee (its gifts are allocated to the participants) and other types.
    pub fn recipient_type(self) -> Option<RecipientType> {
        match self {
            Self::Candidate => Some(RecipientType::Candidate),
            Self::Pac => Some(RecipientType::Pac),
            Self::SuperPac => Some(RecipientType::SuperPac),
            Self::NationalParty => Some(RecipientType::PartyNational),
            Self::StateParty => Some(RecipientType::PartyState),
            Self::JointFundraising | Self::Other => None,
        }
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
    fn limits_come_from_the_ruleset_of_the_date() {
        let amount = |date: u32, ct| ruleset_for(date).and_then(|rs| limit(rs, ct)).map(|l| l.amount.normalize());
        assert_eq!(amount(20160301, CommitteeType::Candidate), Some(Decimal::from(2700)));
        assert_eq!(amount(20240301, CommitteeType::Candidate), Some(Decimal::from(3300)));
        assert_eq!(amount(20160301, CommitteeType::NationalParty), Some(Decimal::from(33400)));
        assert_eq!(amount(20240301, CommitteeType::SuperPac), None);
        assert_eq!(amount(20240301, CommitteeType::JointFundraising), None);
        assert!(ruleset_for(20100301).is_none());
        assert_eq!(ruleset_for(20160301).map(|r| r.id()), Some("us-federal-2015-2016"));
        assert_eq!(
            ruleset_for(20160301).and_then(|rs| limit(rs, CommitteeType::Candidate)).map(|l| l.per),
            Some(crate::ruleset::Period::Election)
        );
    }
}
