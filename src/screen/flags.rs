//! The findings of a screen, held compactly and written out one at a time.
//!
//! A file of tens of millions of rows can carry millions of findings: as [`Flag`]s (six owned
//! strings and a map each, about 600 bytes with their allocations) the 1.8M findings of 10M
//! generated rows took 1.1 GB. The two findings that come in millions, `exceeds_limit` and
//! `itemization_info_missing`, are held here as a few numbers and indexes into the screen's
//! tables (donors, committees, periods, rulesets: kept once for all of them) and made a
//! [`Flag`], message and all, only when one is read. The rest (a row's foreign address or
//! cash, sanctions, possible duplicates) are held whole.

use super::law::CommitteeType;
use super::{fmt_date, group_limit, Donors, Flag, FxMap};
use rust_decimal::Decimal;

/// The screen's tables that held findings point into (moved out of the screen at its end).
#[derive(Default)]
pub(super) struct Tables {
    pub(super) donors: Donors,
    pub(super) committees: Vec<(String, CommitteeType)>,
    pub(super) periods: Vec<String>,
    pub(super) rulesets: Vec<&'static crate::ruleset::Ruleset>,
    /// Non-numeric ids, by line.
    pub(super) text_ids: FxMap<u64, String>,
    /// Memo texts of kept gifts that speak of a refund or redesignation, by line.
    pub(super) memos: FxMap<u64, String>,
}

/// Where a total's gift is and what it added up to: shared by the two compact findings.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    pub(super) line: u64,
    /// The row's id when it is a number, else `u64::MAX` ([`Tables::text_ids`]).
    pub(super) id: u64,
    pub(super) amount: Decimal,
    /// The running total with this gift.
    pub(super) total: Decimal,
    pub(super) donor: u32,
    pub(super) committee: u32,
    pub(super) period: u32,
    pub(super) date: u32,
    /// Index into [`Tables::rulesets`]; `u8::MAX` when none covers the date.
    pub(super) rs: u8,
    /// The total's kind (`K_LIMIT`, `K_ACCOUNT`, `K_NOT_JUDGED`).
    pub(super) kind: u8,
}

#[derive(Debug, Clone)]
pub(super) enum Held {
    /// `exceeds_limit`: the part of the total above the limit from this gift, and whether the
    /// presumption of redesignation covers it.
    Over {
        at: At,
        excess: Decimal,
        presume: bool,
    },
    /// `itemization_info_missing` (the donor's answer read "information requested" or not).
    Info {
        at: At,
        requested: bool,
    },
    Whole(Box<Flag>),
}

impl Held {
    pub(super) fn line(&self) -> u64 {
        match self {
            Held::Over { at, .. } | Held::Info { at, .. } => at.line,
            Held::Whole(f) => f.line,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Held::Over { .. } => crate::findings::Code::ExceedsLimit.as_str(),
            Held::Info { .. } => crate::findings::Code::ItemizationInfoMissing.as_str(),
            Held::Whole(f) => f.code,
        }
    }

    fn status(&self) -> &'static str {
        match self {
            Held::Over { presume: true, .. } => "presumptively_redesignated",
            Held::Over { .. } => "excessive",
            Held::Info { .. } => "",
            Held::Whole(f) => f.status,
        }
    }

    fn brief(&self) -> Brief {
        Brief { code: self.code(), status: self.status(), date: self.date() }
    }

    fn date(&self) -> u32 {
        match self {
            Held::Over { at, .. } | Held::Info { at, .. } => at.date,
            Held::Whole(f) => f.date,
        }
    }
}

/// A finding's code, status and date, read without making the whole [`Flag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    pub code: &'static str,
    pub status: &'static str,
    pub date: u32,
}

/// Every finding of a screen, in row order.
#[derive(Default)]
pub struct Flags {
    pub(super) held: Vec<Held>,
    pub(super) tables: Tables,
}

impl std::fmt::Debug for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Flags {
    pub fn len(&self) -> usize {
        self.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// The findings, each made whole as it is read.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        self.held.iter().map(|h| self.flag(h))
    }

    /// Each finding's code, status and date.
    pub fn briefs(&self) -> impl Iterator<Item = Brief> + '_ {
        self.held.iter().map(Held::brief)
    }

    /// The findings whose [`Brief`] `keep` picks, each made whole as it is read.
    pub fn picked<'a>(&'a self, keep: impl Fn(&Brief) -> bool + 'a) -> impl Iterator<Item = Flag> + 'a {
        self.held.iter().filter(move |h| keep(&Held::brief(h))).map(|h| self.flag(h))
    }

    pub(super) fn push(&mut self, f: Flag) {
        self.held.push(Held::Whole(Box::new(f)));
    }

    fn flag(&self, h: &Held) -> Flag {
        match h {
            Held::Whole(f) => (**f).clone(),
            Held::Over { at, excess, presume } => self.over(at, *excess, *presume),
            Held::Info { at, requested } => self.info(at, *requested),
        }
    }

    /// The fields every compact finding fills the same way; `limit` is the total's limit under
    /// the gift's ruleset.
    fn base(&self, at: &At, code: crate::findings::Code, citation: &'static str, message: String) -> Flag {
        let t = &self.tables;
        let cid = t.committees.get(at.committee as usize).map_or("", |c| c.0.as_str());
        let (rs, ct) = self.ruleset_and_type(at);
        Flag {
            line: at.line,
            id: if at.id == u64::MAX {
                t.text_ids.get(&at.line).cloned().unwrap_or_default()
            } else {
                at.id.to_string()
            },
            code: code.as_str(),
            severity: code.catalogue_severity().as_str(),
            donor: t.donors.get(at.donor as usize).map(super::Donor::display).unwrap_or_default(),
            committee: format!("{cid} ({})", ct.as_str()),
            period: t.periods.get(at.period as usize).cloned().unwrap_or_default(),
            date: at.date,
            amount: at.amount,
            aggregate: at.total,
            limit: group_limit(rs, ct, at.kind).map(|l| l.amount.normalize()),
            excess: Decimal::ZERO,
            deadline: String::new(),
            citation,
            message,
            status: "",
            params: std::collections::BTreeMap::new(),
        }
    }

    fn ruleset_and_type(&self, at: &At) -> (Option<&'static crate::ruleset::Ruleset>, CommitteeType) {
        let t = &self.tables;
        let ct = t.committees.get(at.committee as usize).map_or(CommitteeType::Other, |c| c.1);
        (t.rulesets.get(usize::from(at.rs)).copied(), ct)
    }

    /// Every gift that takes the aggregate over the limit, or adds to it once over, is
    /// excessive in the part above the limit (the first in part, later ones in full): each has
    /// its own 60-day deadline (11 CFR 103.3(b)(3)).
    fn over(&self, at: &At, excess: Decimal, presume: bool) -> Flag {
        let (rs, ct) = self.ruleset_and_type(at);
        let limit = group_limit(rs, ct, at.kind);
        let amount = limit.map_or(Decimal::ZERO, |l| l.amount.normalize());
        let total = at.total;
        let deadline = if at.date == 0 { String::new() } else { fmt_date(super::add_days(at.date, 60)) };
        let by = if deadline.is_empty() { "within 60 days of receipt".to_string() } else { format!("by {deadline}") };
        let agg = total - amount;
        let part = if agg == excess { String::new() } else { format!(" (${excess} of it from this gift)") };
        let per = limit.map_or("", |l| l.per.words());
        let rs_id = rs.map_or("", |r| r.id());
        let message = if presume {
            format!(
                "Aggregate ${total} passes the ${amount} limit per {per} ({rs_id}) by ${agg}{part}. The excess is \
                 presumptively redesignated to the next election or reattributed to a joint account \
                 holder (11 CFR 110.1(b)(5), (k)(3)): notify the donor {by}, who may ask for a refund."
            )
        } else {
            format!(
                "Aggregate ${total} passes the ${amount} limit per {per} ({rs_id}) by ${agg}{part}: refund the excess, or obtain \
                 a written redesignation or reattribution, {by} (60 days after receipt, 11 CFR 103.3(b)(3))."
            )
        };
        // The statute and regulation; the ruleset's source notes (with their links) stay in the ruleset.
        let citation = limit
            .and_then(|l| l.citation.as_deref())
            .and_then(|c| c.split("; FEC").next())
            .unwrap_or("52 U.S.C. 30116(a)");
        let memo = self.tables.memos.get(&at.line);
        let message = match memo {
            Some(m) => {
                format!("{message} The filer's memo on this row reads \"{m}\": check whether it settles the excess.")
            }
            None => message,
        };
        let mut f = self.base(at, crate::findings::Code::ExceedsLimit, citation, message);
        if let Some(m) = memo {
            f.params.insert("memo_text", m.clone());
        }
        f.excess = excess;
        f.deadline = deadline;
        f.status = if presume { "presumptively_redesignated" } else { "excessive" };
        f
    }

    /// Best efforts: the gift that takes an itemization total with a missing employer or
    /// occupation over the threshold.
    fn info(&self, at: &At, requested: bool) -> Flag {
        let (rs, _) = self.ruleset_and_type(at);
        let threshold = super::itemization_threshold(rs);
        let total = at.total;
        let message = if requested {
            format!("Aggregate ${total} is over ${threshold} and employer/occupation reads \"information requested\": best efforts were made but the information is still missing; keep the record of the request and report any answer.")
        } else {
            format!("Aggregate ${total} is over ${threshold} and employer or occupation is missing: make best efforts (one written or oral request within 30 days) to obtain it.")
        };
        self.base(
            at,
            crate::findings::Code::ItemizationInfoMissing,
            "52 U.S.C. 30104(b)(3)(A); 11 CFR 104.7(b)",
            message,
        )
    }
}
