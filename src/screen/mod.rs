//! `donation-guard screen`: re-screens a whole file (FEC itcont, a CSV export or JSON Lines
//! submissions) for a committee's compliance staff. Gifts are totalled per donor, committee and
//! election (candidates) or calendar year (others) under the limits of each gift's date; the
//! outputs are an HTML report, a CSV of flagged rows and a JSON summary.
//!
//! Files are read twice ([`screen_files`]): the first pass keeps one entry per distinct donor and
//! one per donor, committee and period (totals), the second keeps the gifts of only those
//! totals that could pass a limit or the itemization threshold, whose date order decides which
//! gift is flagged. Memory is bounded by the number of donors (and of amended rows), not rows.
//! Standard input is read once ([`screen`]) and keeps a compact record per gift.
//! Rows are parsed and donors identified on every core; totals are added in file order, so the
//! outputs do not depend on the number of threads.

mod chunks;
pub mod cli;
mod flags;
pub mod input;
pub mod law;
mod report;
mod spill;
pub use flags::{Brief, Flags};

use chunks::Chunked;
use law::CommitteeType;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::str::FromStr;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Fec,
    Csv,
    Jsonl,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "fec" | "itcont" => Ok(Self::Fec),
            "csv" => Ok(Self::Csv),
            "jsonl" | "json" | "ndjson" => Ok(Self::Jsonl),
            _ => Err(format!("unknown format {s:?} (fec, csv or jsonl)")),
        }
    }
}

/// One input row, normalised from any format.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub line: u64,
    pub id: String,
    pub committee: String,
    pub amendment: bool,
    pub tran_id: String,
    pub election: String,
    pub transaction_type: String,
    pub entity: String,
    pub first: String,
    pub last: String,
    pub city: String,
    pub state: String,
    pub postal: String,
    pub country: String,
    pub employer: String,
    pub occupation: String,
    /// yyyymmdd, 0 when unknown.
    pub date: u32,
    pub amount: Decimal,
    pub memo: bool,
    /// The filer's memo text (FEC MEMO_TEXT), e.g. "$5,050 REFUNDED 10/12/17".
    pub memo_text: String,
    pub cash: Option<bool>,
    /// Why the export says the gift was not received (refunded, failed, voided): not counted.
    pub skip: Option<&'static str>,
    /// The recipient's type when the file says it (the FEC's Schedule A CSV does).
    pub committee_type: Option<CommitteeType>,
}

/// A finding on one row, for the CSV and the report.
#[derive(Debug, Clone)]
pub struct Flag {
    pub line: u64,
    pub id: String,
    pub code: &'static str,
    pub severity: &'static str,
    pub donor: String,
    pub committee: String,
    pub period: String,
    pub date: u32,
    pub amount: Decimal,
    pub aggregate: Decimal,
    pub limit: Option<Decimal>,
    pub excess: Decimal,
    pub deadline: String,
    pub citation: &'static str,
    pub message: String,
    /// For exceeds_limit: "excessive" or "presumptively_redesignated".
    pub status: &'static str,
    /// The finding's params (sanctions: `sdn_uid`, `sdn_name`, `programs`, `score`,
    /// `list_digest`; possible duplicates: `other_donor`, `combined`).
    pub params: std::collections::BTreeMap<&'static str, String>,
}

/// Everything the outputs are written from.
#[derive(Debug, Default)]
pub struct Outcome {
    pub format: Option<Format>,
    pub rows: u64,
    pub counted: u64,
    pub memo_rows: u64,
    pub superseded: u64,
    pub refunds: u64,
    pub non_individual: std::collections::BTreeMap<String, (u64, Decimal)>,
    pub unreadable: Vec<(u64, String)>,
    pub flags: Flags,
    pub donors: u64,
    pub duplicates: Vec<(String, String)>,
    pub total: Decimal,
    pub by_outcome: std::collections::BTreeMap<&'static str, Decimal>,
    /// (donor, committee, period, aggregate, limit)
    pub top: Vec<(String, String, String, Decimal, Decimal)>,
    pub committee_types_assumed: bool,
    pub no_ruleset_rows: u64,
    /// Individuals' gifts counted but not judged against a limit, by reason: (rows, amount).
    pub not_judged: std::collections::BTreeMap<&'static str, (u64, Decimal)>,
    /// Rows the export itself says were not received (refunded, failed, voided): (rows, amount).
    pub not_counted: std::collections::BTreeMap<&'static str, (u64, Decimal)>,
    /// Committees whose type was assumed (a candidate committee) for want of a committee master.
    pub assumed_committees: u64,
}

/// Options.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub format: Option<Format>,
    /// Committee id → type, from the FEC committee master file.
    pub committees: Option<HashMap<String, CommitteeType>>,
    /// CSV column mapping (field → header name).
    pub columns: Vec<(String, String)>,
    /// A progress bar on standard error (drawn only when it is a terminal).
    pub progress: bool,
    /// OFAC SDN screening of every row's donor name (`--sanctions-list`).
    pub sanctions: Option<std::sync::Arc<crate::cli::Screening>>,
    /// Worker threads; 0: the number of cores.
    pub jobs: usize,
    /// The most duplicate-index keys built at once (0: about 4M); tests set it small to make
    /// [`Screen::duplicates`] shard.
    #[doc(hidden)]
    pub duplicate_index_keys: usize,
    /// Pass 2 reads the input again instead of pass 1's temporary file of counted gifts (what
    /// happens anyway when no temporary file can be written); tests compare the two.
    #[doc(hidden)]
    pub reread: bool,
}

/// FxHash (rustc's): the keys are the file's own names and ids, read by the committee's own
/// staff, so SipHash's flood resistance buys nothing here and costs a tenth of the run.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time, the last chunk padded with zeros.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let w = <[u8; 8]>::try_from(chunk).unwrap_or_default();
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            if let Some(head) = w.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.mix(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_u32(&mut self, i: u32) {
        self.write(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.write(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.write(&(i as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A compact counted gift.
#[derive(Debug, Clone, Copy)]
struct Gift {
    line: u64,
    id: u64,
    /// 64-bit hash of (committee, TRAN_ID); 0 without one (one pass only).
    tran: u64,
    amount: Decimal,
    group: u32,
    /// Its itemization total ([`ItemGroup`]).
    igroup: u32,
    date: u32,
    /// Index into `Screen::rulesets`; `u8::MAX` when no ruleset covers the date.
    rs: u8,
    flags: u8,
}
const F_INFO_MISSING: u8 = 1;
const F_INFO_REQUESTED: u8 = 2;
const F_SUPERSEDED: u8 = 4;
const F_AMENDMENT: u8 = 8;

/// A distinct donor: the first spelling seen, `first \x1f last \x1f postal` (for the report and
/// for [`crate::identity::near`] at the end), borrowed from [`Donors`].
#[derive(Clone, Copy)]
struct Donor<'a> {
    raw: &'a str,
}

impl<'a> Donor<'a> {
    fn parts(self) -> (&'a str, &'a str, &'a str) {
        let mut it = self.raw.split('\u{1f}');
        (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""))
    }
    fn display(self) -> String {
        let (f, l, _) = self.parts();
        format!("{f} {l}").trim().to_string()
    }
    fn identity(self) -> crate::identity::Identity {
        let (f, l, p) = self.parts();
        crate::identity::donor_identity(f, l, p)
    }
}

/// Every distinct donor's spelling, in strings of about a megabyte that never move (one string
/// doubling copied 100 MB at 3 million donors), not a `Box<str>` (and its allocator overhead)
/// each. `ends` holds each donor's string (high half) and where its spelling ends in it.
#[derive(Default)]
struct Donors {
    names: Vec<String>,
    ends: Chunked<u64>,
}

/// The bytes a string of [`Donors`] holds before the next is begun.
const NAMES: usize = 1 << 20;

impl Donors {
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn push(&mut self, raw: &str) {
        if self.names.last().map_or(true, |s| s.len() + raw.len() > NAMES) {
            self.names.push(String::with_capacity(NAMES.max(raw.len())));
        }
        let chunk = self.names.len() - 1;
        if let Some(s) = self.names.last_mut() {
            s.push_str(raw);
            self.ends.push(((chunk as u64) << 32) | s.len() as u64);
        }
    }
    fn get(&self, i: usize) -> Option<Donor<'_>> {
        let end = *self.ends.get(i)?;
        let chunk = end >> 32;
        let start = match i.checked_sub(1).and_then(|p| self.ends.get(p)) {
            Some(&prev) if prev >> 32 == chunk => prev & u64::from(u32::MAX),
            _ => 0,
        };
        let names = self.names.get(chunk as usize)?;
        Some(Donor { raw: names.get(start as usize..(end & u64::from(u32::MAX)) as usize)? })
    }
}

/// One donor's gifts to one committee in one period (election, calendar year, cycle).
#[derive(Debug, Clone)]
struct Group {
    donor: u32,
    committee: u32,
    period: u32,
    first_line: u64,
    first_id: u64,
    first_date: u32,
    /// Pass 1: the sum of the positive gifts (superseded ones too), which no running total in
    /// any order passes ([`Screen::mark_detail`]). Then, from pass 2 (or the end of a single
    /// pass) on, the net: refunds taken off, superseded rows left out.
    net: Decimal,
    /// The highest limit among its gifts' rulesets: an index into `Screen::amounts`
    /// ([`NO_AMOUNT`]: none).
    limit: u16,
    /// Its gifts are kept (pass 2) for the date-ordered walk.
    detail: bool,
    /// [`K_LIMIT`], [`K_ACCOUNT`] or [`K_NOT_JUDGED`].
    kind: u8,
    /// Its rows in pass 1 (saturating): how many gifts pass 2 keeps, so that their list is
    /// allocated once ([`Screen::mark_detail`]).
    rows: u32,
}

/// One donor's gifts to one committee over the itemization period of its recipient type
/// (`Ruleset::itemization_period`: per election cycle for a candidate's committee, per calendar
/// year otherwise, 11 CFR 104.3(a)(4)), which may hold several limit periods (a primary and a
/// general): the best-efforts threshold is judged on this total, the limit on [`Group`]'s.
#[derive(Debug, Clone)]
struct ItemGroup {
    period: u32,
    /// Sum of the positive gifts: no running total in any order passes it.
    gross: Decimal,
    /// The lowest itemization threshold among its gifts' rulesets (`Screen::amounts`).
    threshold: u16,
    info_missing: bool,
    /// Its gifts are kept (pass 2) for the date-ordered walk.
    detail: bool,
    /// Its rows in pass 1 (saturating), as [`Group::rows`].
    rows: u32,
}

/// No amount (an index into `Screen::amounts`).
const NO_AMOUNT: u16 = u16::MAX;

/// The amounts that totals are judged against (limits, itemization thresholds), each once, so
/// that a total holds a two-byte index rather than a 20-byte `Option<Decimal>`. They come from
/// the embedded rulesets: a handful, searched in order. When [`NO_AMOUNT`] of them are held
/// already, `full` is set and `NO_AMOUNT` given: the pass then ends in an error rather than
/// judging a total against no limit.
fn amount_ix(amounts: &mut Vec<Decimal>, full: &mut bool, d: Decimal) -> u16 {
    if let Some(i) = amounts.iter().position(|a| *a == d && a.scale() == d.scale()) {
        return u16::try_from(i).unwrap_or(NO_AMOUNT);
    }
    if amounts.len() >= usize::from(NO_AMOUNT) {
        *full = true;
        return NO_AMOUNT;
    }
    amounts.push(d);
    u16::try_from(amounts.len() - 1).unwrap_or(NO_AMOUNT)
}

fn amount_at(amounts: &[Decimal], i: u16) -> Option<Decimal> {
    amounts.get(usize::from(i)).copied()
}

/// Where a held finding's gift is ([`flags::At`]): the gift, its total, the period it is
/// totalled over and the running total with it.
fn held_at(g: &Gift, group: &Group, period: u32, total: Decimal) -> flags::At {
    flags::At {
        line: g.line,
        id: g.id,
        amount: g.amount,
        total,
        donor: group.donor,
        committee: group.committee,
        period,
        date: g.date,
        rs: g.rs,
        kind: group.kind,
    }
}

/// The itemization threshold under a gift's ruleset ($200 when no ruleset covers its date:
/// 52 U.S.C. 30104(b)(3)(A)).
fn itemization_threshold(rs: Option<&crate::ruleset::Ruleset>) -> Decimal {
    rs.map_or(Decimal::from(200), |r| r.data.itemization_threshold.normalize())
}

/// A total judged against its committee type's limit.
const K_LIMIT: u8 = 0;
/// A national party's convention, headquarters or recount account (52 U.S.C. 30116(a)(9)).
const K_ACCOUNT: u8 = 1;
/// Not judged against a limit ([`law::not_judged_type`], [`CommitteeType::not_judged`]).
const K_NOT_JUDGED: u8 = 2;

/// The limit of a total's kind under one ruleset.
fn group_limit(
    rs: Option<&'static crate::ruleset::Ruleset>,
    ct: CommitteeType,
    kind: u8,
) -> Option<&'static crate::ruleset::Limit> {
    match kind {
        K_LIMIT => rs.and_then(|rs| law::limit(rs, ct)),
        K_ACCOUNT => rs.and_then(|rs| rs.limit(crate::model::RecipientType::PartyNationalAccount)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Standard input: everything in one pass, every gift kept.
    Single,
    /// Files, first pass: donors, totals, per-row flags.
    First,
    /// Files, second pass: the gifts of the totals that need them.
    Second,
}

/// Screening state.
struct Screen<'a> {
    opts: &'a Options,
    out: Outcome,
    donors: Donors,
    /// The first pass's indexes ([`Frozen`]: lent to the second pass's workers).
    ix: Frozen,
    groups: Chunked<Group>,
    igroups: Chunked<ItemGroup>,
    gifts: Vec<Gift>,
    periods: Vec<String>,
    rulesets: Vec<&'static crate::ruleset::Ruleset>,
    /// Limits and thresholds, each once ([`amount_ix`]).
    amounts: Vec<Decimal>,
    /// Set when [`amount_ix`] had no room for an amount: the pass fails.
    amounts_full: bool,
    /// Non-numeric ids of the rows that need them, by line.
    text_ids: FxMap<u64, String>,
    /// Kept gifts' memo texts that speak of a refund or redesignation, by line.
    memos: FxMap<u64, String>,
    /// The last committee and the last two periods interned ([`Screen::intern_committee`],
    /// [`Screen::intern_period`]); `u32::MAX` for none.
    recent: (u32, (u32, u32)),
    /// Scratch strings for a law worked out again ([`Counted::ct`]).
    scratch: String,
    /// Pass 1's counted gifts, for pass 2 ([`spill`]); `None` when pass 2 reads the input again.
    spill: Option<spill::Spill>,
    /// Pass 1's itemization-total numbers → pass 2's ([`Screen::mark_detail`] keeps only some;
    /// [`NO_IGROUP`]: not kept), for the spilt gifts.
    iremap: Vec<u32>,
}

/// A donor's key: the 128-bit SipHash-1-3 of [`crate::identity::Identity::key`] (two keys of
/// one file colliding: about 1 in 10^25 at 3,000,000 donors), hashed again by its first half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DonorKey(u64, u64);

impl std::hash::Hash for DonorKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.0);
    }
}

impl DonorKey {
    fn of(key: &str) -> DonorKey {
        use siphasher::sip128::Hasher128;
        use std::hash::Hasher;
        let mut h = siphasher::sip128::SipHasher13::new();
        h.write(key.as_bytes());
        let d = h.finish128();
        DonorKey(d.h1, d.h2)
    }
}

/// A string in a batch's arena (byte offsets).
#[derive(Debug, Clone, Copy, Default)]
struct Span(u32, u32);

fn push_span(arena: &mut String, s: &str) -> Span {
    let start = arena.len() as u32;
    arena.push_str(s);
    Span(start, arena.len() as u32)
}

fn span_str(arena: &str, s: Span) -> &str {
    arena.get(s.0 as usize..s.1 as usize).unwrap_or("")
}

/// One row out of a worker: everything [`Screen::add`] needs, worked out from the row alone
/// (parsed, its donor identified, its law looked up), its strings in the batch's arena, so
/// that the main thread, which adds the rows in file order, neither parses, allocates nor
/// frees per row.
struct Rec {
    line: u64,
    what: What,
    sanction: Option<Box<Flag>>,
}

enum What {
    Unreadable(String),
    Memo,
    /// Not received, the export says (why, amount).
    Skip(&'static str, Decimal),
    /// Not an individual: (refund, entity, amount).
    Other(bool, Span, Decimal),
    Counted(Counted),
}

/// A counted individual's gift.
struct Counted {
    refund: bool,
    key: DonorKey,
    /// `first \x1f last \x1f postal` as spelt (pass 1: a new donor's [`Donor::raw`]).
    names: Span,
    committee: Span,
    hint: Option<CommitteeType>,
    /// The committee type `law` was worked out with ([`committee_type`]); the main thread
    /// works it out again when the committee was first seen with another type.
    ct: CommitteeType,
    law: Law,
    /// The transaction type and election (for working the law out again).
    tt: Span,
    election: Span,
    rs: Option<&'static crate::ruleset::Ruleset>,
    /// Foreign address, cash over the limit (pass 1).
    row_flags: Vec<Flag>,
    id: u64,
    /// The id when it is not a number.
    text_id: Span,
    /// The memo text when it speaks of a refund, redesignation or reattribution
    /// ([`resolution_memo`]): shown with the gift's excess.
    memo_text: Span,
    /// [`hash_tran`] of (committee, TRAN_ID); 0 without one.
    tran: u64,
    amount: Decimal,
    date: u32,
    flags: u8,
    amendment: bool,
    /// Pass 2: its totals, found by the worker ([`second`]).
    second: Option<Second>,
}

impl Counted {
    /// The compact gift, in the given totals and ruleset index ([`Screen::ruleset_ix`]).
    fn gift(&self, line: u64, group: u32, igroup: u32, rs: u8) -> Gift {
        Gift {
            line,
            id: self.id,
            tran: self.tran,
            amount: self.amount,
            group,
            igroup,
            date: self.date,
            rs,
            flags: self.flags,
        }
    }

    /// Its id when that is not a number ([`Gift::id`] `u64::MAX`), else empty.
    fn text_id<'s>(&self, arena: &'s str) -> &'s str {
        if self.id == u64::MAX {
            span_str(arena, self.text_id)
        } else {
            ""
        }
    }
}

/// What limit a gift is judged against, and the periods it is totalled over (strings in the
/// arena, or in the main thread's scratch when worked out again).
#[derive(Clone, Copy)]
struct Law {
    kind: u8,
    /// Why it is not judged (by transaction type, else by committee type).
    not_judged: Option<&'static str>,
    limit: Option<&'static crate::ruleset::Limit>,
    period: Span,
    iperiod: Span,
}

/// The committee type of a committee id: the committee master's, else the file's (`hint`),
/// else a candidate committee (assumed: the report says so).
fn committee_type(opts: &Options, id: &str, hint: Option<CommitteeType>) -> CommitteeType {
    match (&opts.committees, hint) {
        (Some(map), _) => map.get(id).copied().or(hint).unwrap_or(CommitteeType::Unknown),
        (None, Some(h)) => h,
        (None, None) => CommitteeType::Candidate,
    }
}

/// The election as a period (`P2024`, upper-cased), or the general election of the gift's cycle
/// when the row has none.
fn push_election(out: &mut String, election: &str, year: u32) {
    use std::fmt::Write;
    let e = election.trim();
    let cycle = year + year % 2;
    match e.as_bytes() {
        _ if e.len() >= 5 => {
            for c in e.chars() {
                out.push(c.to_ascii_uppercase());
            }
        }
        // The letter alone, as most rows of the bulk files have it (7,929 of the 10k sample's
        // rows read "P"): that election of the cycle the gift falls in.
        [l] if matches!(l.to_ascii_uppercase(), b'P' | b'G' | b'R' | b'S' | b'C' | b'E' | b'O') => {
            let _ = write!(out, "{}{cycle}", char::from(l.to_ascii_uppercase()));
        }
        _ => {
            let _ = write!(out, "G{cycle}");
        }
    }
}

/// The limit a gift is judged against and its two periods (appended to `arena`): none for the
/// recipients and transaction types that have none (super PACs, joint fundraising,
/// non-contribution accounts, the candidate's own money, conduits' earmark rows), a national
/// party's account limit for its convention, headquarters and recount accounts, else the
/// committee type's.
fn law_of(
    ct: CommitteeType,
    rs: Option<&'static crate::ruleset::Ruleset>,
    tt: &str,
    election: &str,
    date: u32,
    line: u64,
    arena: &mut String,
) -> Law {
    use crate::ruleset::Period;
    use std::fmt::Write;
    let year = date / 10_000;
    let by_type = law::not_judged_type(tt);
    let account = if ct == CommitteeType::NationalParty { law::party_account(tt) } else { None };
    let kind = if by_type.is_some() || ct.not_judged().is_some() {
        K_NOT_JUDGED
    } else if account.is_some() {
        K_ACCOUNT
    } else {
        K_LIMIT
    };
    let limit = group_limit(rs, ct, kind);
    let start = arena.len() as u32;
    match (by_type, account) {
        (Some(why), _) => {
            let _ = write!(arena, "{year} ({})", why.split(" (").next().unwrap_or(why));
        }
        (None, Some(acct)) if kind == K_ACCOUNT => {
            let _ = write!(arena, "{year} {acct} account");
        }
        _ => match limit.map(|l| l.per) {
            Some(Period::Election) => push_election(arena, election, year),
            Some(Period::Cycle) => arena.push_str(rs.map_or("", |r| r.id())),
            Some(Period::None) => {
                let _ = write!(arena, "row {line}");
            }
            Some(Period::CalendarYear) | None => {
                let _ = write!(arena, "{year}");
            }
        },
    }
    let period = Span(start, arena.len() as u32);
    // The itemization total: over the ruleset's itemization period for the recipient type
    // (the ledger's `scopes` reads it the same way), which may differ from the limit's.
    let iper = match (rs, ct.recipient_type()) {
        (Some(r), Some(t)) => r.itemization_period(t),
        _ if ct == CommitteeType::Candidate => Period::Cycle,
        _ => Period::CalendarYear,
    };
    let start = arena.len() as u32;
    match (iper, rs) {
        (Period::Cycle, Some(r)) => arena.push_str(r.id()),
        (Period::Election, _) => push_election(arena, election, year),
        _ => {
            let _ = write!(arena, "{year}");
        }
    }
    let iperiod = Span(start, arena.len() as u32);
    // No ruleset for the date: said, never silently within limits.
    let no_law = (rs.is_none() && ct.recipient_type().is_some()).then_some(law::NO_RULESET);
    Law { kind, not_judged: by_type.or(ct.not_judged()).or(no_law), limit, period, iperiod }
}

/// Lines for a worker: one buffer and (line number, end) per line.
struct Batch {
    seq: u64,
    bytes: Vec<u8>,
    /// (line number, end) per record; empty for a block of whole lines ([`read_blocks`]),
    /// which the worker splits itself.
    lines: Vec<(u64, usize)>,
    /// For a block: the number of the line before its first.
    line_before: u64,
}

/// A worker's output for one batch: its records and the arena their strings are in.
struct Done {
    seq: u64,
    recs: Vec<Rec>,
    arena: String,
}

const BATCH: usize = 2048;

/// Buffers handed back for reuse: the main thread returns each batch's records and arena to
/// the workers, and the workers return its bytes to the reader. Without it every batch was
/// fresh memory, faulted in and zeroed by the kernel, then freed on another thread (a sixth
/// of the main thread's time in `clear_page`, perf).
#[derive(Default)]
struct Pools {
    done: Pool<(Vec<Rec>, String)>,
    bytes: Pool<Vec<u8>>,
}

/// Buffers a pool keeps at most (the channels hold twice the workers' batches).
const POOL: usize = 16;

/// Emptied buffers waiting to be filled again.
struct Pool<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T: Default> Pool<T> {
    /// A buffer given back earlier, else a new one.
    fn take(&self) -> T {
        self.0.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default()
    }
    /// Keeps an emptied buffer, unless the pool is full.
    fn give(&self, buffer: T) {
        if let Ok(mut p) = self.0.lock() {
            if p.len() < POOL {
                p.push(buffer);
            }
        }
    }
}

/// The bytes of a block of whole lines (formats whose records are single lines).
const BLOCK: usize = 1 << 20;

/// What every worker needs to parse a line.
struct Ctx<'a> {
    fmt: Format,
    map: input::Mapping,
    opts: &'a Options,
    pass: Pass,
    /// Pass 2: the first pass's indexes, read-only.
    frozen: Option<&'a Frozen>,
}

/// The first pass's indexes, which the second only reads: lent to its workers, which find each
/// gift's totals themselves, so that the main thread only adds the amounts up (the lookups were
/// most of its pass-2 time). Moved out of [`Screen`] for the pass and back after it.
#[derive(Default)]
struct Frozen {
    by_key: FxMap<DonorKey, Slot>,
    group_ix: FxMap<(u32, u32, u32), u32>,
    igroup_ix: FxMap<(u32, u32, u32), u32>,
    committees: Vec<(String, CommitteeType)>,
    committee_ix: FxMap<String, u32>,
    period_ix: FxMap<String, u32>,
    /// Hash of (committee, TRAN_ID) of each amendment row → the line of the last one: it
    /// supersedes every other row with that TRAN_ID.
    amended: FxMap<u64, u64>,
}

/// [`Second::igroup`] when the gift's itemization total is not one pass 2 keeps gifts of.
const NO_IGROUP: u32 = u32::MAX;

/// A donor's number and the totals its last gift went to ([`Group`], [`ItemGroup`];
/// `u32::MAX` before its first). Most of a donor's gifts go where the last one went (the
/// same committee, election and cycle), and those are found here, in the bucket the donor's
/// key was looked up in, rather than by two more lookups in [`Frozen::group_ix`] and
/// [`Frozen::igroup_ix`], tables of millions of entries (a cache miss each, most of the first
/// pass's main thread).
#[derive(Debug, Clone, Copy)]
struct Slot {
    donor: u32,
    group: u32,
    igroup: u32,
}

/// A pass-2 gift's totals ([`Frozen`]) and whether an amendment later in the file supersedes it.
#[derive(Debug, Clone, Copy)]
struct Second {
    group: u32,
    igroup: u32,
    superseded: bool,
}

/// [`Second`] for a gift, `None` when the first pass did not count its donor, committee or
/// periods (the same file read again always has them). The law is worked out again when the
/// committee was first seen with another type, as [`Screen::add`] does in the first pass.
fn second(f: &Frozen, c: &Counted, line: u64, arena: &str, scratch: &mut String) -> Option<Second> {
    let donor = f.by_key.get(&c.key)?.donor;
    let committee = *f.committee_ix.get(span_str(arena, c.committee))?;
    let ct = f.committees.get(committee as usize).map_or(CommitteeType::Other, |c| c.1);
    let (law, strings) = if ct == c.ct {
        (c.law, arena)
    } else {
        scratch.clear();
        let (tt, election) = (span_str(arena, c.tt), span_str(arena, c.election));
        (law_of(ct, c.rs, tt, election, c.date, line, scratch), scratch.as_str())
    };
    let period = *f.period_ix.get(span_str(strings, law.period))?;
    let iperiod = *f.period_ix.get(span_str(strings, law.iperiod))?;
    Some(Second {
        group: *f.group_ix.get(&(donor, committee, period))?,
        // Pass 2 indexes only the itemization totals whose gifts it keeps.
        igroup: f.igroup_ix.get(&(donor, committee, iperiod)).copied().unwrap_or(NO_IGROUP),
        superseded: superseded(&f.amended, c.tran, line),
    })
}

/// Whether the gift on `line` with this [`hash_tran`] is superseded: the last amendment with its
/// TRAN_ID is another row ([`Frozen::amended`]).
fn superseded(amended: &FxMap<u64, u64>, tran: u64, line: u64) -> bool {
    tran != 0 && amended.get(&tran).is_some_and(|&l| l != line)
}

/// 64-bit SipHash-1-3 of (committee, TRAN_ID), never 0.
fn hash_tran(committee: &str, tran: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = siphasher::sip::SipHasher13::new();
    for part in [committee, tran] {
        h.write(part.as_bytes());
        h.write_usize(part.len());
    }
    h.finish().max(1)
}

/// Screens standard input (or any reader), read once. Pass 2 reads pass 1's temporary file of
/// counted gifts ([`spill`]), so memory is bounded by donors; without a temporary file (or with
/// [`Options::reread`]) every gift is kept in memory instead. Errors are I/O errors or an
/// unreadable format (`InvalidData`).
pub fn screen<R: Read + Send>(input: R, opts: &Options) -> io::Result<Outcome> {
    let mut st = Screen::new(opts);
    let bar = progress_bar(opts, None);
    st.spill = if opts.reread { None } else { spill::Spill::new().ok() };
    let pass = if st.spill.is_some() { Pass::First } else { Pass::Single };
    st.pass(input, pass, &bar)?;
    st.readable()?;
    if pass == Pass::Single {
        bar.finish_and_clear();
        return Ok(st.finish(Pass::Single));
    }
    st.mark_detail();
    match st.spill.take().and_then(spill::Spill::finish) {
        Some(gifts) => st.replay(gifts)?,
        None => {
            return Err(io::Error::other("the temporary file of counted gifts could not be written (is TMPDIR full?)"))
        }
    }
    bar.finish_and_clear();
    Ok(st.finish(Pass::Second))
}

/// Screens files in two passes (memory bounded by donors, not rows); `open` gives the input
/// again, `bytes` its size for the progress bar. Pass 2 reads pass 1's temporary file of
/// counted gifts ([`spill`]) and reads the input again only when that file could not be
/// written (or with [`Options::reread`]).
pub fn screen_twice<F>(open: F, bytes: Option<u64>, opts: &Options) -> io::Result<Outcome>
where
    F: Fn() -> io::Result<Box<dyn Read + Send>>,
{
    let mut st = Screen::new(opts);
    st.spill = if opts.reread { None } else { spill::Spill::new().ok() };
    let bar = progress_bar(opts, bytes.map(|b| if st.spill.is_some() { b } else { b * 2 }));
    st.pass(open()?, Pass::First, &bar)?;
    st.readable()?;
    st.mark_detail();
    match st.spill.take().and_then(spill::Spill::finish) {
        Some(gifts) => st.replay(gifts)?,
        None => {
            // The file read again: every gift's totals are looked up afresh (in pass 1's
            // numbering, which only the spill needed kept).
            st.iremap = Vec::new();
            if let Some(n) = bytes.filter(|_| !opts.reread) {
                bar.set_length(n * 2);
            }
            st.pass(open()?, Pass::Second, &bar)?
        }
    }
    bar.finish_and_clear();
    Ok(st.finish(Pass::Second))
}

/// [`screen_twice`] over files read one after the other (line numbers continue across them).
pub fn screen_files(paths: &[std::path::PathBuf], opts: &Options) -> io::Result<Outcome> {
    let mut total = 0u64;
    for p in paths {
        total += std::fs::metadata(p)?.len();
    }
    let open = || -> io::Result<Box<dyn Read + Send>> {
        let mut r: Box<dyn Read + Send> = Box::new(io::empty());
        for p in paths {
            r = Box::new(r.chain(std::fs::File::open(p)?));
        }
        Ok(r)
    };
    screen_twice(open, Some(total), opts)
}

/// A bar on standard error, bytes-based when the size is known; hidden unless stderr is a
/// terminal (so logs and pipes never see it).
fn progress_bar(opts: &Options, bytes: Option<u64>) -> indicatif::ProgressBar {
    if !opts.progress || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    match bytes {
        Some(n) => {
            let bar = indicatif::ProgressBar::new(n);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "screening {bar:40} {percent}% {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("screening {spinner} {binary_bytes} ({binary_bytes_per_sec})")
            {
                bar.set_style(style);
            }
            bar
        }
    }
}

fn trim_line(buf: &mut Vec<u8>) {
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
}

/// A row's fields, borrowed from its line (FEC) or from an owned [`Row`] (CSV, JSON Lines).
struct RowView<'a> {
    line: u64,
    id: &'a str,
    committee: &'a str,
    amendment: bool,
    tran_id: &'a str,
    election: &'a str,
    transaction_type: &'a str,
    entity: &'a str,
    first: &'a str,
    last: &'a str,
    city: &'a str,
    state: &'a str,
    postal: &'a str,
    country: &'a str,
    employer: &'a str,
    occupation: &'a str,
    date: u32,
    amount: Decimal,
    memo: bool,
    memo_text: &'a str,
    cash: Option<bool>,
    skip: Option<&'static str>,
    committee_type: Option<CommitteeType>,
}

impl Row {
    fn view(&self) -> RowView<'_> {
        RowView {
            line: self.line,
            id: &self.id,
            committee: &self.committee,
            amendment: self.amendment,
            tran_id: &self.tran_id,
            election: &self.election,
            transaction_type: &self.transaction_type,
            entity: &self.entity,
            first: &self.first,
            last: &self.last,
            city: &self.city,
            state: &self.state,
            postal: &self.postal,
            country: &self.country,
            employer: &self.employer,
            occupation: &self.occupation,
            date: self.date,
            amount: self.amount,
            memo: self.memo,
            memo_text: &self.memo_text,
            cash: self.cash,
            skip: self.skip,
            committee_type: self.committee_type,
        }
    }
}

/// A worker's own state: the sanctions cache, the rulesets by date, a key buffer.
#[derive(Default)]
struct WorkerState {
    sanctions: FxMap<String, Option<SanctionsHit>>,
    rulesets: FxMap<u32, Option<&'static crate::ruleset::Ruleset>>,
    key: String,
    /// A law worked out again in pass 2 ([`second`]).
    scratch: String,
}

impl WorkerState {
    fn ruleset(&mut self, date: u32) -> Option<&'static crate::ruleset::Ruleset> {
        *self.rulesets.entry(date).or_insert_with(|| law::ruleset_for(date))
    }
}

/// Parses one line in a worker, and works out all that does not depend on the rows before it.
fn parse_line(ctx: &Ctx<'_>, text: &str, line: u64, st: &mut WorkerState, arena: &mut String) -> Rec {
    let owned = match ctx.fmt {
        Format::Fec => None,
        Format::Csv => Some(parse_csv(text, line, &ctx.map)),
        Format::Jsonl => Some(parse_jsonl(text, line)),
    };
    let view = match &owned {
        None => parse_fec(text, line),
        Some(Ok(r)) => Ok(r.view()),
        Some(Err(e)) => Err(e.clone()),
    };
    match view {
        Err(reason) => Rec { line, what: What::Unreadable(reason), sanction: None },
        Ok(v) => prepare(ctx, &v, st, arena),
    }
}

fn prepare(ctx: &Ctx<'_>, r: &RowView<'_>, st: &mut WorkerState, arena: &mut String) -> Rec {
    let first_pass = ctx.pass != Pass::Second;
    let individual = r.entity.is_empty() || r.entity == "IND";
    let mut sanction = None;
    if first_pass {
        if let Some(s) = &ctx.opts.sanctions {
            sanction = screen_name(s, r, individual, &mut st.sanctions).map(Box::new);
        }
    }
    let what = prepare_what(ctx, r, individual, st, arena);
    Rec { line: r.line, what, sanction }
}

fn prepare_what(ctx: &Ctx<'_>, r: &RowView<'_>, individual: bool, st: &mut WorkerState, arena: &mut String) -> What {
    if r.memo {
        return What::Memo;
    }
    if let Some(why) = r.skip {
        return What::Skip(why, r.amount);
    }
    // Refunds by type (FEC 20Y, 22Y; 40Y-42Y for a national party's accounts): the type,
    // not the sign, says it (filers report most of them as positive amounts).
    let refund = matches!(r.transaction_type, "20Y" | "22Y" | "40Y" | "41Y" | "42Y");
    let amount = if refund { -r.amount.abs() } else { r.amount };
    if !individual {
        return What::Other(refund, push_span(arena, r.entity), amount);
    }
    let rs = st.ruleset(r.date);
    let mut row_flags = Vec::new();
    let first_pass = ctx.pass != Pass::Second;
    if first_pass {
        if is_foreign(r) {
            let place: Vec<&str> =
                [r.city, r.state, r.postal, r.country].into_iter().map(str::trim).filter(|s| !s.is_empty()).collect();
            let msg = format!(
                "Foreign address ({}): inquire whether the donor is a U.S. citizen or permanent resident \
                 (e.g. a copy of a U.S. passport); refund within 30 days if that cannot be confirmed.",
                place.join(", ")
            );
            row_flags.push(row_flag(
                r,
                amount,
                crate::findings::Code::ForeignAddress,
                "52 U.S.C. 30121; 11 CFR 110.20(a)(5)(ii)",
                msg,
            ));
        }
        let cash_limit = rs.map_or(Decimal::from(100), |r| r.data.cash_limit.normalize());
        if r.cash == Some(true) && amount > cash_limit {
            let msg =
                format!("Cash of ${amount} is over ${cash_limit}: return the amount over ${cash_limit} promptly.");
            row_flags.push(row_flag(
                r,
                amount,
                crate::findings::Code::CashLimit,
                "52 U.S.C. 30123; 11 CFR 110.4(c)",
                msg,
            ));
        }
    }
    crate::identity::donor_key_into(r.first, r.last, r.postal, &mut st.key);
    let key = DonorKey::of(&st.key);
    let names = if first_pass {
        let start = arena.len() as u32;
        for (i, part) in [r.first, r.last, r.postal].into_iter().enumerate() {
            if i > 0 {
                arena.push('\u{1f}');
            }
            arena.push_str(part);
        }
        Span(start, arena.len() as u32)
    } else {
        Span::default()
    };
    let ct = committee_type(ctx.opts, r.committee, r.committee_type);
    let law = law_of(ct, rs, r.transaction_type, r.election, r.date, r.line, arena);
    let id = r.id.parse::<u64>().unwrap_or(u64::MAX);
    let text_id = if id == u64::MAX && !r.id.is_empty() { push_span(arena, r.id) } else { Span::default() };
    let mut flags = 0;
    let (emp, occ) = (r.employer.trim(), r.occupation.trim());
    // "N/A" for the employer of a retiree, a student, a homemaker or someone not employed is
    // the answer, not a placeholder (the 10k sample's "N/A|RETIRED" and the like were 70 of
    // its 135 best-efforts flags).
    let emp_placeholder = is_placeholder(emp) && !(has_no_employer(occ) && is_not_applicable(emp));
    let requested = emp_placeholder || is_placeholder(occ);
    if emp.is_empty() || occ.is_empty() || requested {
        flags |= F_INFO_MISSING;
        if requested {
            flags |= F_INFO_REQUESTED;
        }
    }
    if r.amendment {
        flags |= F_AMENDMENT;
    }
    let mut c = Counted {
        refund,
        key,
        names,
        committee: push_span(arena, r.committee),
        hint: r.committee_type,
        ct,
        law,
        tt: push_span(arena, r.transaction_type),
        election: push_span(arena, r.election),
        rs,
        row_flags,
        id,
        text_id,
        tran: if r.tran_id.is_empty() { 0 } else { hash_tran(r.committee, r.tran_id) },
        memo_text: if resolution_memo(r.memo_text) { push_span(arena, r.memo_text.trim()) } else { Span::default() },
        amount,
        date: r.date,
        flags,
        amendment: r.amendment,
        second: None,
    };
    if let Some(f) = ctx.frozen {
        c.second = second(f, &c, r.line, arena, &mut st.scratch);
    }
    What::Counted(c)
}

/// A finding on the row itself (foreign address, cash).
fn row_flag(
    r: &RowView<'_>,
    amount: Decimal,
    code: crate::findings::Code,
    citation: &'static str,
    message: String,
) -> Flag {
    Flag {
        line: r.line,
        id: r.id.to_string(),
        code: code.as_str(),
        severity: code.catalogue_severity().as_str(),
        donor: format!("{} {}", r.first, r.last).trim().to_string(),
        committee: r.committee.to_string(),
        period: String::new(),
        date: r.date,
        amount,
        aggregate: Decimal::ZERO,
        limit: None,
        excess: Decimal::ZERO,
        deadline: String::new(),
        citation,
        message,
        status: "",
        params: std::collections::BTreeMap::new(),
    }
}

/// What a name's sanctions screening found, the same for every row that carries the name: the
/// code, its citation, the message and the params of the row's flag ([`row_flag`] writes the rest).
type SanctionsHit = (crate::findings::Code, &'static str, String, std::collections::BTreeMap<&'static str, String>);

/// `sanctions_match` / `sanctions_possible_match` for a row's donor (individuals against SDN
/// individuals, organizations against entities; memo rows too: they name the real giver).
fn screen_name(
    s: &crate::cli::Screening,
    r: &RowView<'_>,
    individual: bool,
    cache: &mut FxMap<String, Option<SanctionsHit>>,
) -> Option<Flag> {
    use crate::findings::Code;
    let org = matches!(r.entity, "ORG" | "ORGANIZATION");
    if !individual && !org {
        return None;
    }
    let name = format!("{}{} {}", if org { "o:" } else { "p:" }, r.first, r.last);
    if cache.len() > 100_000 {
        cache.clear();
    }
    let found = cache.entry(name).or_insert_with_key(|name| {
        let full = name.get(2..).unwrap_or("");
        let hit = if org { s.list.best_entity(full) } else { s.list.best_person(full) }?;
        let code = if hit.score >= s.thresholds.reject {
            Code::SanctionsMatch
        } else if hit.score >= s.thresholds.review {
            Code::SanctionsPossibleMatch
        } else {
            return None;
        };
        let citation = crate::ruleset::default_ruleset()
            .and_then(|rs| rs.spec(code).citation.as_deref())
            .unwrap_or("50 U.S.C. 1701 ff.; 31 CFR Part 501");
        let mut params = std::collections::BTreeMap::new();
        params.insert("sdn_uid", hit.entry.uid.to_string());
        params.insert("sdn_name", hit.entry.name.clone());
        params.insert("programs", hit.entry.programs.clone());
        params.insert("score", format!("{:.3}", hit.score));
        params.insert("list_digest", s.list.digest().to_string());
        let message = if code == Code::SanctionsMatch {
            format!(
                "The donor's name matches OFAC SDN entry {} (uid {}, {}) with score {:.3}. Confirm or rule out the match \
                 (date of birth, address, nationality). If confirmed, the money is blocked property: do not deposit, \
                 use or refund it; block it and report to OFAC within 10 business days (31 CFR 501.603).",
                hit.entry.name, hit.entry.uid, hit.entry.programs, hit.score
            )
        } else {
            format!(
                "The donor's name resembles OFAC SDN entry {} (uid {}, {}), score {:.3}: a person should compare the \
                 details before the money is used; most such hits are other people with similar names.",
                hit.entry.name, hit.entry.uid, hit.entry.programs, hit.score
            )
        };
        Some((code, citation, message, params))
    });
    let (code, citation, message, params) = found.clone()?;
    let mut f = row_flag(r, r.amount, code, citation, message);
    f.params = params;
    Some(f)
}

fn worker(
    ctx: &Ctx<'_>,
    jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Batch>>,
    out: &std::sync::mpsc::SyncSender<Done>,
    pools: &Pools,
) {
    let mut st = WorkerState::default();
    loop {
        let batch = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(batch) = batch else { return };
        let done = work(ctx, &batch, &mut st, pools);
        let mut bytes = batch.bytes;
        bytes.clear();
        pools.bytes.give(bytes);
        if out.send(done).is_err() {
            return;
        }
    }
}

/// Parses a batch's records.
fn work(ctx: &Ctx<'_>, batch: &Batch, st: &mut WorkerState, pools: &Pools) -> Done {
    let (mut recs, mut arena) = pools.done.take();
    recs.reserve(batch.lines.len().max(BLOCK / 128));
    arena.reserve(BATCH * 64);
    if batch.lines.is_empty() {
        // Whole lines: numbered from `line_before`, line ends trimmed, blank lines skipped (as
        // [`read_record`] reads them).
        let mut line = batch.line_before;
        let mut start = 0;
        let bytes = batch.bytes.as_slice();
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default()).map_or(bytes.len(), |i| start + i);
            let mut rec = bytes.get(start..end).unwrap_or_default();
            start = end + 1;
            line += 1;
            while let [head @ .., b'\r' | b'\n'] = rec {
                rec = head;
            }
            if rec.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            recs.push(parse_line(ctx, &input::text(rec), line, st, &mut arena));
        }
    } else {
        let mut start = 0;
        for &(line, end) in &batch.lines {
            let bytes = batch.bytes.get(start..end).unwrap_or_default();
            start = end;
            recs.push(parse_line(ctx, &input::text(bytes), line, st, &mut arena));
        }
    }
    Done { seq: batch.seq, recs, arena }
}

/// The longest record a quoted cell may stretch over (an unbalanced quote stops there, and the
/// record is reported as unreadable, rather than swallowing the rest of the file).
const MAX_RECORD: usize = 1 << 20;

/// Reads the next non-blank record into `buf` (line ends trimmed): one line, or for CSV as many
/// as a quoted cell spans (RFC 4180). Returns the record's first line number and the bytes
/// read; `None` at the end.
fn read_record<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    line_no: &mut u64,
    csv: bool,
) -> io::Result<Option<(u64, u64)>> {
    let mut read = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', buf)?;
        if n == 0 {
            return Ok(None);
        }
        read += n as u64;
        *line_no += 1;
        trim_line(buf);
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let start = *line_no;
        if csv {
            let mut open = input::open_quote(buf);
            while open && buf.len() < MAX_RECORD {
                let at = buf.len();
                buf.push(b'\n');
                let n = reader.read_until(b'\n', buf)?;
                if n == 0 {
                    buf.truncate(at);
                    break;
                }
                read += n as u64;
                *line_no += 1;
                trim_line(buf);
                if input::open_quote(buf.get(at..).unwrap_or_default()) {
                    open = false;
                }
            }
        }
        return Ok(Some((start, read)));
    }
}

fn read_batches<R: BufRead>(
    mut reader: R,
    mut line_no: u64,
    csv: bool,
    jobs: &std::sync::mpsc::SyncSender<Batch>,
    bar: &indicatif::ProgressBar,
    pools: &Pools,
) -> io::Result<()> {
    let mut seq = 0u64;
    let mut buf = Vec::new();
    loop {
        let mut bytes = pools.bytes.take();
        bytes.reserve(BATCH * 160);
        let mut batch = Batch { seq, bytes, lines: Vec::with_capacity(BATCH), line_before: 0 };
        let mut read = 0u64;
        let mut eof = false;
        while batch.lines.len() < BATCH {
            match read_record(&mut reader, &mut buf, &mut line_no, csv)? {
                None => {
                    eof = true;
                    break;
                }
                Some((start, n)) => {
                    read += n;
                    batch.bytes.extend_from_slice(&buf);
                    batch.lines.push((start, batch.bytes.len()));
                }
            }
        }
        bar.inc(read);
        if !batch.lines.is_empty() {
            if jobs.send(batch).is_err() {
                return Ok(());
            }
            seq += 1;
        }
        if eof {
            return Ok(());
        }
    }
}

/// Reads blocks of whole lines (about [`BLOCK`] bytes each) for formats whose records are
/// single lines: the workers split and number them, the reader only counts line ends.
fn read_blocks<R: Read>(
    mut reader: R,
    mut line_no: u64,
    jobs: &std::sync::mpsc::SyncSender<Batch>,
    bar: &indicatif::ProgressBar,
    pools: &Pools,
) -> io::Result<()> {
    let mut seq = 0u64;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut bytes = pools.bytes.take();
        bytes.extend_from_slice(&carry);
        carry.clear();
        let mut eof = false;
        // Fill the block; past it, read on until a line ends (a line longer than a block).
        loop {
            let at = bytes.len();
            let want = if at < BLOCK { BLOCK - at } else { BLOCK / 4 };
            bytes.resize(at + want, 0);
            let n = loop {
                match reader.read(bytes.get_mut(at..).unwrap_or_default()) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    r => break r,
                }
            };
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    bytes.truncate(at);
                    return Err(e);
                }
            };
            bytes.truncate(at + n);
            bar.inc(n as u64);
            if n == 0 {
                eof = true;
                break;
            }
            if bytes.len() >= BLOCK && memchr::memchr(b'\n', bytes.get(at..).unwrap_or_default()).is_some() {
                break;
            }
        }
        if !eof {
            // Keep the partial last line for the next block.
            if let Some(i) = memchr::memrchr(b'\n', &bytes) {
                carry.extend_from_slice(bytes.get(i + 1..).unwrap_or_default());
                bytes.truncate(i + 1);
            }
        }
        if !bytes.is_empty() {
            let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64
                + u64::from(bytes.last().is_some_and(|&b| b != b'\n'));
            let batch = Batch { seq, bytes, lines: Vec::new(), line_before: line_no };
            line_no += lines;
            if jobs.send(batch).is_err() {
                return Ok(());
            }
            seq += 1;
        }
        if eof {
            return Ok(());
        }
    }
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

impl<'a> Screen<'a> {
    fn new(opts: &'a Options) -> Self {
        Screen {
            opts,
            out: Outcome::default(),
            donors: Donors::default(),
            ix: Frozen::default(),
            groups: Chunked::default(),
            igroups: Chunked::default(),
            gifts: Vec::new(),
            periods: Vec::new(),
            rulesets: Vec::new(),
            amounts: Vec::new(),
            amounts_full: false,
            text_ids: FxMap::default(),
            memos: FxMap::default(),
            recent: (u32::MAX, (u32::MAX, u32::MAX)),
            scratch: String::new(),
            spill: None,
            iremap: Vec::new(),
        }
    }

    /// One pass over the input: the format and header from the first line here, then lines
    /// parsed on every core and added in file order.
    fn pass<R: Read + Send>(&mut self, input: R, pass: Pass, bar: &indicatif::ProgressBar) -> io::Result<()> {
        let opts = self.opts;
        let decoded = input::Decoded::new(input)?;
        if let Some(kind) = input::binary_kind(decoded.head()) {
            return Err(invalid(format!("this file is {kind}")));
        }
        let mut reader = BufReader::with_capacity(1 << 16, decoded);
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        let mut fmt = self.out.format.or(opts.format);
        let mut map = None;
        let mut pending = None;
        // The format and, for CSV, the header: the first line, or for CSV the first of up to
        // 20 lines that is a header with an amount column (reports put a title above it).
        let mut tried = 0;
        while let Some((line, n)) = read_record(&mut reader, &mut buf, &mut line_no, false)? {
            bar.inc(n);
            let text = input::text(&buf).trim_start_matches('\u{feff}').to_string();
            tried += 1;
            match fmt {
                Some(Format::Csv) => match csv_header(&text, &opts.columns).map_err(invalid)? {
                    Some(m) => {
                        map = Some(m);
                        break;
                    }
                    None if tried < 20 => continue,
                    None => {
                        return Err(invalid(
                            "no CSV header with an amount column in the first 20 lines (map it with --columns amount=COLUMN)",
                        ))
                    }
                },
                Some(Format::Fec) if text.get(..8).is_some_and(|h| h.eq_ignore_ascii_case("CMTE_ID|")) => continue,
                Some(_) => {
                    pending = Some((line, text));
                    break;
                }
                None => match detect(&text, &opts.columns).map_err(invalid)? {
                    Some(Format::Csv) => {
                        fmt = Some(Format::Csv);
                        map = csv_header(&text, &opts.columns).map_err(invalid)?;
                        break;
                    }
                    Some(f) => {
                        fmt = Some(f);
                        if !(f == Format::Fec && text.get(..8).is_some_and(|h| h.eq_ignore_ascii_case("CMTE_ID|"))) {
                            pending = Some((line, text));
                            break;
                        }
                    }
                    None if tried < 20 && !text.trim_start().starts_with('{') => continue,
                    None => {
                        return Err(invalid(
                            "cannot tell the format of this file: expected FEC itcont (21 pipe-separated columns), \
                             a CSV with a header naming an amount column, or JSON Lines; name it with --format fec|csv|jsonl",
                        ))
                    }
                },
            }
        }
        let Some(fmt) = fmt else {
            if tried > 0 {
                return Err(invalid(
                    "cannot tell the format of this file: expected FEC itcont (21 pipe-separated columns), \
                     a CSV with a header naming an amount column, or JSON Lines; name it with --format fec|csv|jsonl",
                ));
            }
            return Ok(());
        };
        self.out.format = Some(fmt);
        // Pass 2's workers read the first pass's indexes; they come back to `self` after it.
        let frozen = if pass == Pass::Second { Some(std::mem::take(&mut self.ix)) } else { None };
        let ctx = Ctx { fmt, map: map.unwrap_or_default(), opts, pass, frozen: frozen.as_ref() };
        let result = self.run(&ctx, reader, line_no, pending, bar);
        if let Some(ix) = frozen {
            self.ix = ix;
        }
        if self.amounts_full {
            return Err(io::Error::other(format!(
                "more than {NO_AMOUNT} distinct limits and thresholds: totals cannot be judged (the rulesets hold a handful)"
            )));
        }
        result
    }

    /// The pass's lines after the first: parsed on every core, added in file order.
    fn run<R: Read + Send>(
        &mut self,
        ctx: &Ctx<'_>,
        reader: BufReader<input::Decoded<R>>,
        line_no: u64,
        pending: Option<(u64, String)>,
        bar: &indicatif::ProgressBar,
    ) -> io::Result<()> {
        let (opts, pass, fmt) = (self.opts, ctx.pass, ctx.fmt);
        if let Some((line, text)) = pending {
            let mut arena = String::new();
            let rec = parse_line(ctx, &text, line, &mut WorkerState::default(), &mut arena);
            self.add(rec, &arena, pass);
        }
        let jobs = if opts.jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { opts.jobs };
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<Batch>(jobs * 2);
        let (out_tx, out_rx) = std::sync::mpsc::sync_channel::<Done>(jobs * 2);
        let job_rx = std::sync::Mutex::new(job_rx);
        let pools = Pools::default();
        let pools = &pools;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let out_tx = out_tx.clone();
                let job_rx = &job_rx;
                scope.spawn(move || worker(ctx, job_rx, &out_tx, pools));
            }
            drop(out_tx);
            let csv = fmt == Format::Csv;
            let reader = scope.spawn(move || {
                if csv {
                    read_batches(reader, line_no, csv, &job_tx, bar, pools)
                } else {
                    read_blocks(reader, line_no, &job_tx, bar, pools)
                }
            });
            // Batches come back in any order; they are added in file order.
            let mut waiting: std::collections::BTreeMap<u64, Done> = std::collections::BTreeMap::new();
            let mut next = 0u64;
            for done in out_rx {
                waiting.insert(done.seq, done);
                while let Some(mut done) = waiting.remove(&next) {
                    for rec in done.recs.drain(..) {
                        self.add(rec, &done.arena, pass);
                    }
                    done.arena.clear();
                    pools.done.give((done.recs, done.arena));
                    next += 1;
                }
            }
            // Batches with no lines are never sent: add what is left in order.
            for (_, done) in std::mem::take(&mut waiting) {
                for rec in done.recs {
                    self.add(rec, &done.arena, pass);
                }
            }
            reader.join().unwrap_or_else(|_| Err(io::Error::other("reader thread failed")))
        })
    }
}

/// Reads the FEC committee master (cm.txt): id → type. Party committees are national when the
/// name says so (NATIONAL COMMITTEE, SENATORIAL / CONGRESSIONAL CAMPAIGN COMMITTEE), state
/// otherwise; designation J (joint fundraising) overrides the type.
pub fn read_committees<R: Read>(input: R) -> io::Result<HashMap<String, CommitteeType>> {
    let mut map = HashMap::new();
    for line in BufReader::new(input).split(b'\n') {
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        let f: Vec<&str> = line.trim_end_matches('\r').split('|').collect();
        let (Some(id), Some(name), Some(dsgn), Some(tp)) = (f.first(), f.get(1), f.get(8), f.get(9)) else { continue };
        let ct = CommitteeType::from_codes(tp, dsgn, &name.to_ascii_uppercase());
        map.insert((*id).to_string(), ct);
    }
    Ok(map)
}

/// National party committees by name: the six Hill / national committees by their names and
/// acronyms, and any "NATIONAL COMMITTEE" / "NAT'L COMMITTEE" / "SENATORIAL CAMPAIGN COMMITTEE"
/// / "CONGRESSIONAL CAMPAIGN COMMITTEE" (minor parties' national committees too). Everything
/// else of type X or Y is a state or local party (a heuristic: cm.txt has no such column).
fn is_national_party(name: &str) -> bool {
    const ACRONYMS: [&str; 6] = ["DCCC", "DSCC", "NRCC", "NRSC", "DNC", "RNC"];
    let first = name.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    ACRONYMS.contains(&first)
        || [
            "NATIONAL COMMITTEE",
            "NAT'L COMMITTEE",
            "NATIONAL CAMPAIGN COMMITTEE",
            "SENATORIAL CAMPAIGN COMMITTEE",
            "CONGRESSIONAL CAMPAIGN COMMITTEE",
            "NATIONAL REPUBLICAN SENATORIAL",
            "NATIONAL REPUBLICAN CONGRESSIONAL",
        ]
        .iter()
        .any(|k| name.contains(k))
}

/// The format of a first line: JSON Lines, FEC itcont (21 pipe-separated columns), or a CSV
/// header (any of the delimiters that maps an amount column).
fn detect(first: &str, columns: &[(String, String)]) -> Result<Option<Format>, String> {
    let t = first.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return Ok(Some(Format::Jsonl));
    }
    if t.starts_with('[') {
        return Err("this is a JSON array, not JSON Lines: write one submission per line (jq -c '.[]')".into());
    }
    if first.split('|').count() == 21 {
        return Ok(Some(Format::Fec));
    }
    Ok(csv_header(first, columns)?.map(|_| Format::Csv))
}

/// A CSV header line: its cells and mapping, with the delimiter that maps an amount column
/// (`None`: not a header). An explicit `--columns` that names a missing column is an error.
fn csv_header(line: &str, columns: &[(String, String)]) -> Result<Option<input::Mapping>, String> {
    let mut err = None;
    for d in input::delimiter_candidates(line) {
        let cells = input::split(line, d);
        match input::Mapping::new(&cells, columns, d) {
            Ok(m) if m.has(input::Field::Amount) || m.has(input::Field::AmountCents) => return Ok(Some(m)),
            Ok(_) => {}
            Err(e) => err = err.or(Some(e)),
        }
    }
    match err {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

fn parse_date_mmddyyyy(s: &str) -> Result<u32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("date {s:?} is not MMDDYYYY"));
    }
    let n: u32 = s.parse().map_err(|_| format!("date {s:?} is not MMDDYYYY"))?;
    let (m, d, y) = (n / 1_000_000, (n / 10_000) % 100, n % 10_000);
    check_date(y, m, d).ok_or_else(|| format!("date {s:?} is not a calendar date"))
}

fn check_date(y: u32, m: u32, d: u32) -> Option<u32> {
    ((1..=12).contains(&m) && (1..=days_in(y, m)).contains(&d) && y > 1900).then_some(y * 10_000 + m * 100 + d)
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// FEC amounts: plain decimals (a leading minus for a negative); anything else as exports
/// write amounts ([`input::parse_amount`]).
fn parse_amount(s: &str) -> Result<Decimal, String> {
    let b = s.as_bytes();
    if !b.is_empty() && b.iter().enumerate().all(|(i, c)| c.is_ascii_digit() || *c == b'.' || (i == 0 && *c == b'-')) {
        if let Ok(d) = Decimal::from_str(s) {
            return Ok(d);
        }
    }
    input::parse_amount(s)
}

/// "LAST, FIRST M" (FEC) or "First M Last": (first, last).
fn split_name(name: &str) -> (String, String) {
    match name.split_once(',') {
        Some((l, r)) => (r.trim().to_string(), l.trim().to_string()),
        None => match name.trim().rsplit_once(' ') {
            Some((f, l)) => (f.trim().to_string(), l.trim().to_string()),
            None => (String::new(), name.trim().to_string()),
        },
    }
}

fn parse_fec(line: &str, line_no: u64) -> Result<RowView<'_>, String> {
    let mut f = [""; 21];
    let mut n = 0;
    // '|' is ASCII, so every cut falls on a char boundary; memchr finds them a word at a time
    // (`str::split(char)` compared each candidate with memcmp: 12% of a worker's time).
    let mut start = 0;
    for end in memchr::memchr_iter(b'|', line.as_bytes()).chain(std::iter::once(line.len())) {
        if let Some(slot) = f.get_mut(n) {
            *slot = line.get(start..end).unwrap_or_default().trim();
        }
        start = end + 1;
        n += 1;
    }
    if n != 21 {
        return Err(format!("{n} columns, expected 21"));
    }
    let g = |i: usize| f.get(i).copied().unwrap_or("");
    let name = g(7);
    let (last, first) = match name.split_once(',') {
        Some((l, r)) => (l.trim(), r.trim()),
        None => (name, ""),
    };
    Ok(RowView {
        line: line_no,
        id: g(20),
        committee: g(0),
        amendment: g(1) == "A",
        tran_id: g(16),
        election: g(3),
        transaction_type: g(5),
        entity: g(6),
        first,
        last,
        city: g(8),
        state: g(9),
        postal: g(10),
        country: "",
        employer: g(11),
        occupation: g(12),
        date: parse_date_mmddyyyy(g(13))?,
        amount: parse_amount(g(14))?,
        memo: g(18).eq_ignore_ascii_case("X"),
        memo_text: g(19),
        cash: None,
        skip: None,
        committee_type: None,
    })
}

/// Entity types as exports write them, in the FEC's codes.
fn entity_code(s: &str) -> String {
    let u = s.trim().to_ascii_uppercase();
    match u.as_str() {
        "INDIVIDUAL" | "PERSON" | "IND" | "I" => "IND".into(),
        "ORGANIZATION" | "ORGANISATION" | "BUSINESS" | "COMPANY" | "CORPORATION" | "ORG" => "ORG".into(),
        "CANDIDATE" => "CAN".into(),
        _ => u,
    }
}

/// What a status or refund column says about a gift that was not received.
fn not_received(status: &str, refund: &str) -> Option<&'static str> {
    const REFUNDED: &str = "refunded (the export says so): not counted";
    const FAILED: &str = "not completed (failed, declined, voided, cancelled or pending): not counted";
    let r = refund.trim().to_ascii_lowercase();
    if !r.is_empty() && !matches!(r.as_str(), "false" | "no" | "n" | "0" | "none") {
        return Some(REFUNDED);
    }
    let s = status.trim().to_ascii_lowercase();
    if s.contains("refund") {
        Some(REFUNDED)
    } else if ["fail", "declin", "void", "cancel", "reject", "error", "pending", "dispute", "charge"]
        .iter()
        .any(|k| s.contains(k))
    {
        Some(FAILED)
    } else {
        None
    }
}

fn parse_csv(line: &str, line_no: u64, map: &input::Mapping) -> Result<Row, String> {
    use input::Field as F;
    let cells = input::split(line, map.delim);
    let extra = cells.iter().skip(map.width).any(|c| !c.trim().is_empty());
    if extra || (cells.len() == 1 && map.width > 1) {
        return Err(format!("{} cells, the header has {}", cells.len(), map.width));
    }
    let g = |f: F| map.get(&cells, f);
    let (mut first, mut last) = (g(F::First).to_string(), g(F::Last).to_string());
    if first.is_empty() && last.is_empty() {
        (first, last) = split_name(g(F::Name));
    } else {
        let middle = g(F::Middle);
        if !middle.is_empty() {
            first = format!("{first} {middle}");
        }
    }
    let suffix = g(F::Suffix);
    if !suffix.is_empty() && !last.is_empty() {
        last = format!("{last} {suffix}");
    }
    let entity = entity_code(g(F::Entity));
    if first.is_empty() && last.is_empty() && (entity.is_empty() || entity == "IND") {
        return Err("no donor name".into());
    }
    let method = g(F::Method).to_ascii_lowercase();
    let amount = if map.has(F::Amount) && !g(F::Amount).is_empty() {
        input::parse_amount(g(F::Amount))?
    } else {
        input::parse_amount(g(F::AmountCents))? / Decimal::ONE_HUNDRED
    };
    let date = input::parse_date(g(F::Date))?;
    let ctp = g(F::RecipientType);
    Ok(Row {
        line: line_no,
        id: g(F::Id).to_string(),
        committee: g(F::Recipient).to_string(),
        amendment: g(F::Amendment).eq_ignore_ascii_case("A"),
        tran_id: g(F::TranId).to_string(),
        election: input::election(g(F::Election), date / 10_000),
        transaction_type: g(F::TransactionType).to_ascii_uppercase(),
        entity,
        first,
        last,
        city: g(F::City).to_string(),
        state: g(F::State).to_string(),
        postal: g(F::Postal).to_string(),
        country: g(F::Country).to_string(),
        employer: g(F::Employer).to_string(),
        occupation: g(F::Occupation).to_string(),
        date,
        amount,
        memo: g(F::Memo).eq_ignore_ascii_case("X"),
        memo_text: g(F::MemoText).to_string(),
        cash: if method.is_empty() { None } else { Some(method.contains("cash") || method == "currency") },
        skip: not_received(g(F::Status), g(F::Refund)),
        committee_type: if ctp.is_empty() {
            None
        } else {
            Some(CommitteeType::from_codes(ctp, g(F::RecipientDesignation), &g(F::RecipientName).to_ascii_uppercase()))
        },
    })
}

fn parse_jsonl(line: &str, line_no: u64) -> Result<Row, String> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let s = |path: &[&str]| -> String {
        let mut cur = &v;
        for p in path {
            match cur.get(p) {
                Some(n) => cur = n,
                None => return String::new(),
            }
        }
        match cur {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    };
    let amount = s(&["contribution", "amount"]);
    if amount.is_empty() {
        return Err("no contribution.amount".into());
    }
    let mut date = s(&["contribution", "date"]);
    if date.is_empty() {
        date = s(&["date"]);
    }
    let method = s(&["contribution", "method"]);
    let kind = s(&["donor", "kind"]);
    let rtype = s(&["recipient", "type"]);
    let mut committee = s(&["recipient", "id"]);
    if committee.is_empty() {
        committee = if rtype.is_empty() { "(recipient)".into() } else { rtype.clone() };
    }
    Ok(Row {
        line: line_no,
        id: s(&["id"]),
        committee,
        election: s(&["recipient", "election"]),
        entity: if kind.is_empty() || kind == "individual" { "IND".into() } else { kind.to_ascii_uppercase() },
        first: s(&["donor", "first_name"]),
        last: s(&["donor", "last_name"]),
        city: s(&["donor", "address", "city"]),
        state: s(&["donor", "address", "state"]),
        postal: s(&["donor", "address", "postal_code"]),
        country: s(&["donor", "address", "country"]),
        employer: s(&["donor", "employer"]),
        occupation: s(&["donor", "occupation"]),
        date: input::parse_date(&date)?,
        amount: parse_amount(&amount)?,
        cash: if method.is_empty() { None } else { Some(method == "cash") },
        ..Row::default()
    })
}

/// An occupation that has no employer: retired, not employed, unemployed, homemaker, student,
/// disabled (and longer spellings: "RETIRED TEACHER", "N/A HOMEMAKER").
fn has_no_employer(occupation: &str) -> bool {
    let u = occupation.to_ascii_uppercase();
    ["RETIRED", "NOT EMPLOYED", "UNEMPLOYED", "HOMEMAKER", "STUDENT", "DISABLED", "NOT CURRENTLY EMPLOYED"]
        .iter()
        .any(|w| u.contains(w))
}

/// "N/A", "NA", "NOT APPLICABLE", "NONE" (any case, dots and slashes aside).
fn is_not_applicable(s: &str) -> bool {
    let u: String =
        s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ').collect::<String>().to_ascii_uppercase();
    matches!(u.trim(), "NA" | "NOT APPLICABLE" | "NONE")
}

/// A memo text that speaks of what became of the gift (refunded, redesignated, reattributed):
/// staff see it beside the gift's excess, since the row may already be resolved.
fn resolution_memo(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 6
        && b.windows(6).any(|w| {
            w.eq_ignore_ascii_case(b"REFUND") || w.eq_ignore_ascii_case(b"REDESI") || w.eq_ignore_ascii_case(b"REATTR")
        })
}

/// The filers' best-efforts placeholders: the information was asked for and not given.
fn is_placeholder(s: &str) -> bool {
    let s = s.trim();
    // Most employers and occupations start with another letter: no allocation for them.
    if !s.bytes().next().is_some_and(|b| matches!(b.to_ascii_uppercase(), b'I' | b'R' | b'B' | b'N' | b'U' | b'D')) {
        return false;
    }
    // Upper-cased letters, digits and spaces, on the stack: RETIRED, NONE and N/A are among the
    // commonest occupations and employers, and each once cost an allocation here. The buffer
    // holds more than the longest placeholder; `whole` says whether it holds all of `s`.
    let mut buf = [0u8; 32];
    let (mut n, mut whole) = (0, true);
    for b in s.bytes().filter(|b| b.is_ascii_alphanumeric() || *b == b' ') {
        match buf.get_mut(n) {
            Some(slot) => *slot = b.to_ascii_uppercase(),
            None => {
                whole = false;
                break;
            }
        }
        n += 1;
    }
    let u = buf.get(..n).unwrap_or_default();
    u.starts_with(b"INFORMATION REQUESTED")
        || u.starts_with(b"INFO REQUESTED")
        || u.starts_with(b"REQUESTED")
        || u.starts_with(b"BEST EFFORT")
        || whole
            && matches!(u, b"NA" | b"NONE PROVIDED" | b"NOT PROVIDED" | b"REFUSED" | b"DECLINED TO STATE" | b"UNKNOWN")
}

/// A U.S. address by its country: the states, D.C. and the territories (whose people are U.S.
/// citizens or nationals).
fn is_us_country(c: &str) -> bool {
    let c: String = c.trim().to_ascii_uppercase().chars().filter(|c| c.is_ascii_alphabetic() || *c == ' ').collect();
    matches!(
        c.trim(),
        "US" | "USA"
            | "UNITED STATES"
            | "UNITED STATES OF AMERICA"
            | "AMERICA"
            | "PR"
            | "PUERTO RICO"
            | "GU"
            | "GUAM"
            | "VI"
            | "VIR"
            | "VIRGIN ISLANDS"
            | "US VIRGIN ISLANDS"
            | "UNITED STATES VIRGIN ISLANDS"
            | "VIRGIN ISLANDS US"
            | "AS"
            | "AMERICAN SAMOA"
            | "MP"
            | "NORTHERN MARIANA ISLANDS"
    )
}

/// A postal code of the U.S. form (5 or 9 digits, with or without the hyphen).
fn us_zip(p: &str) -> Option<String> {
    let d: String = p.chars().filter(|c| *c != '-' && *c != ' ').collect();
    (d.bytes().all(|b| b.is_ascii_digit()) && (3..=5).contains(&d.len())
        || d.len() == 9 && d.bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("{:0>5}", d.get(..d.len().min(5)).unwrap_or("")))
}

/// A foreign address, as the FEC's files mark it: a foreign country; state `ZZ` (except Puerto
/// Rico and the Virgin Islands, which filers sometimes mark `ZZ`: ZIP 006xx-009xx, leading
/// zeros often dropped, e.g. "987" for Carolina, PR 00987); or no state, a city and a postal code
/// that is not a U.S. ZIP.
fn is_foreign(row: &RowView<'_>) -> bool {
    let c = row.country.trim();
    if !c.is_empty() && !c.eq_ignore_ascii_case("ZZ") {
        return !is_us_country(c);
    }
    let state = row.state.trim();
    if state.eq_ignore_ascii_case("ZZ") || c.eq_ignore_ascii_case("ZZ") {
        let territory = us_zip(row.postal).is_some_and(|z| ("006".."010").contains(&z.get(..3).unwrap_or("")));
        return !territory;
    }
    state.is_empty() && !row.city.trim().is_empty() && !row.postal.trim().is_empty() && us_zip(row.postal).is_none()
}

fn fmt_date(d: u32) -> String {
    if d == 0 {
        return String::new();
    }
    format!("{:04}-{:02}-{:02}", d / 10_000, (d / 100) % 100, d % 100)
}

/// `d` (yyyymmdd) plus `days`.
fn add_days(d: u32, days: u32) -> u32 {
    let (mut y, mut m, mut day) = (d / 10_000, (d / 100) % 100, d % 100 + days);
    while (1..=12).contains(&m) && day > days_in(y, m) {
        day -= days_in(y, m);
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    y * 10_000 + m * 100 + day
}

impl Screen<'_> {
    /// A committee's index; its type from the committee master, else from the file (`hint`),
    /// else assumed a candidate committee (the report says so).
    fn intern_committee(&mut self, id: &str, hint: Option<CommitteeType>) -> u32 {
        // Bulk files come a filing at a time: most rows have the last row's committee.
        let last = self.recent.0;
        if self.ix.committees.get(last as usize).is_some_and(|c| c.0 == id) {
            return last;
        }
        if let Some(&i) = self.ix.committee_ix.get(id) {
            self.recent.0 = i;
            return i;
        }
        let ct = match (&self.opts.committees, hint) {
            (Some(map), _) => map.get(id).copied().or(hint).unwrap_or(CommitteeType::Unknown),
            (None, Some(h)) => h,
            (None, None) => {
                self.out.assumed_committees += 1;
                CommitteeType::Candidate
            }
        };
        let i = self.ix.committees.len() as u32;
        self.ix.committees.push((id.to_string(), ct));
        self.ix.committee_ix.insert(id.to_string(), i);
        self.recent.0 = i;
        i
    }

    fn intern_period(&mut self, p: &str) -> u32 {
        // A row asks for two (the limit's and the itemization's), and the next row mostly for
        // the same two: the last two are tried first.
        let (a, b) = self.recent.1;
        for i in [a, b] {
            if self.periods.get(i as usize).is_some_and(|q| q == p) {
                return i;
            }
        }
        let i = match self.ix.period_ix.get(p) {
            Some(&i) => i,
            None => {
                let i = self.periods.len() as u32;
                self.periods.push(p.to_string());
                self.ix.period_ix.insert(p.to_string(), i);
                i
            }
        };
        self.recent.1 = (i, a);
        i
    }

    /// A ruleset's index, interned (`u8::MAX`: none covers the date).
    fn ruleset_ix(&mut self, rs: Option<&'static crate::ruleset::Ruleset>) -> u8 {
        let Some(rs) = rs else { return u8::MAX };
        match self.rulesets.iter().position(|r| std::ptr::eq(*r, rs)) {
            Some(i) => i as u8,
            None if self.rulesets.len() < usize::from(u8::MAX) => {
                self.rulesets.push(rs);
                (self.rulesets.len() - 1) as u8
            }
            None => u8::MAX,
        }
    }

    fn ruleset(&self, i: u8) -> Option<&'static crate::ruleset::Ruleset> {
        self.rulesets.get(usize::from(i)).copied()
    }

    fn add(&mut self, rec: Rec, arena: &str, pass: Pass) {
        let first_pass = pass != Pass::Second;
        let c = match rec.what {
            What::Unreadable(reason) => {
                if first_pass {
                    self.out.rows += 1;
                    self.out.unreadable.push((rec.line, reason));
                }
                return;
            }
            what => {
                if first_pass {
                    self.out.rows += 1;
                    if let Some(f) = rec.sanction {
                        self.out.flags.held.push(flags::Held::Whole(f));
                    }
                }
                what
            }
        };
        let c = match c {
            What::Unreadable(_) => return,
            What::Memo => {
                if first_pass {
                    self.out.memo_rows += 1;
                }
                return;
            }
            What::Skip(why, amount) => {
                if first_pass {
                    let e = self.out.not_counted.entry(why).or_insert((0, Decimal::ZERO));
                    e.0 += 1;
                    e.1 += amount;
                }
                return;
            }
            What::Other(refund, entity, amount) => {
                if first_pass {
                    if refund {
                        self.out.refunds += 1;
                    }
                    let entity = span_str(arena, entity);
                    match self.out.non_individual.get_mut(entity) {
                        Some(e) => {
                            e.0 += 1;
                            e.1 += amount;
                        }
                        None => {
                            self.out.non_individual.insert(entity.to_string(), (1, amount));
                        }
                    }
                }
                return;
            }
            What::Counted(c) => c,
        };
        let mut c = c;
        if pass == Pass::Second {
            if let Some(s) = c.second {
                self.add_second(&c, s, rec.line, arena);
            }
            return;
        }
        if c.refund && first_pass {
            self.out.refunds += 1;
        }
        let rsi = self.ruleset_ix(c.rs);
        let rs = c.rs;
        if first_pass {
            if rs.is_none() {
                self.out.no_ruleset_rows += 1;
            }
            for f in c.row_flags.drain(..) {
                self.out.flags.push(f);
            }
        }
        let slot = match self.ix.by_key.get(&c.key) {
            Some(&s) => s,
            None => {
                let s = Slot { donor: self.donors.len() as u32, group: u32::MAX, igroup: u32::MAX };
                self.ix.by_key.insert(c.key, s);
                self.donors.push(span_str(arena, c.names));
                s
            }
        };
        let donor = slot.donor;
        let committee = self.intern_committee(span_str(arena, c.committee), c.hint);
        let ct = self.ix.committees.get(committee as usize).map_or(CommitteeType::Other, |c| c.1);
        // The law as the worker saw it, unless the committee was first seen with another type.
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let (law, strings) = if ct == c.ct {
            (c.law, arena)
        } else {
            let (tt, election) = (span_str(arena, c.tt), span_str(arena, c.election));
            (law_of(ct, rs, tt, election, c.date, rec.line, &mut scratch), scratch.as_str())
        };
        if first_pass {
            if let Some(why) = law.not_judged {
                let e = self.out.not_judged.entry(why).or_insert((0, Decimal::ZERO));
                e.0 += 1;
                e.1 += c.amount;
            }
        }
        let limit = law.limit;
        let period = self.intern_period(span_str(strings, law.period));
        let iperiod = self.intern_period(span_str(strings, law.iperiod));
        self.scratch = scratch;
        let kind = law.kind;
        let id = c.id;
        let flags = c.flags;
        let line = rec.line;
        // The last gift's totals, when this one goes to the same committee: the group if its
        // period is this one's too, the itemization total if its period is.
        let last = self.groups.get(slot.group as usize).filter(|g| g.committee == committee);
        let same_group = last.is_some_and(|g| g.period == period);
        let same_igroup = last.is_some() && self.igroups.get(slot.igroup as usize).is_some_and(|g| g.period == iperiod);
        let gkey = (donor, committee, period);
        let gi = match if same_group { Some(&slot.group) } else { self.ix.group_ix.get(&gkey) } {
            Some(&g) => g,
            None => {
                let g = self.groups.len() as u32;
                self.groups.push(Group {
                    donor,
                    committee,
                    period,
                    first_line: line,
                    first_id: id,
                    first_date: c.date,
                    net: Decimal::ZERO,
                    limit: NO_AMOUNT,
                    detail: pass == Pass::Single,
                    kind,
                    rows: 0,
                });
                self.ix.group_ix.insert(gkey, g);
                if id == u64::MAX && c.text_id.1 > c.text_id.0 {
                    self.text_ids.insert(line, span_str(arena, c.text_id).to_string());
                }
                g
            }
        };
        let ikey = (donor, committee, iperiod);
        let igi = match if same_igroup { Some(&slot.igroup) } else { self.ix.igroup_ix.get(&ikey) } {
            Some(&g) => g,
            None => {
                let g = self.igroups.len() as u32;
                let threshold = itemization_threshold(rs);
                let threshold = amount_ix(&mut self.amounts, &mut self.amounts_full, threshold);
                self.igroups.push(ItemGroup {
                    period: iperiod,
                    gross: Decimal::ZERO,
                    threshold,
                    info_missing: false,
                    detail: pass == Pass::Single,
                    rows: 0,
                });
                self.ix.igroup_ix.insert(ikey, g);
                g
            }
        };
        if (gi, igi) != (slot.group, slot.igroup) {
            if let Some(s) = self.ix.by_key.get_mut(&c.key) {
                (s.group, s.igroup) = (gi, igi);
            }
        }
        let tran = c.tran;
        if first_pass {
            self.out.counted += 1;
            if let Some(g) = self.groups.get_mut(gi as usize) {
                g.rows = g.rows.saturating_add(1);
                if c.amount > Decimal::ZERO {
                    g.net += c.amount;
                }
                if let Some(l) = limit {
                    let a = l.amount.normalize();
                    match amount_at(&self.amounts, g.limit) {
                        Some(m) if m >= a => {}
                        _ => g.limit = amount_ix(&mut self.amounts, &mut self.amounts_full, a),
                    }
                }
            }
            if let Some(ig) = self.igroups.get_mut(igi as usize) {
                ig.rows = ig.rows.saturating_add(1);
                if c.amount > Decimal::ZERO {
                    ig.gross += c.amount;
                }
                if let Some(r) = rs {
                    let t = itemization_threshold(Some(r));
                    if amount_at(&self.amounts, ig.threshold).map_or(true, |m| t < m) {
                        ig.threshold = amount_ix(&mut self.amounts, &mut self.amounts_full, t);
                    }
                }
                if flags & F_INFO_MISSING != 0 {
                    ig.info_missing = true;
                }
            }
            if c.amendment && tran != 0 {
                // The last amendment in the file supersedes every other row with its TRAN_ID.
                self.ix.amended.insert(tran, line);
            }
            if let Some(spill) = self.spill.as_mut() {
                spill.push(&c.gift(line, gi, igi, rsi), c.text_id(arena), span_str(arena, c.memo_text));
            }
        }
        if pass == Pass::Single {
            self.keep(c.gift(line, gi, igi, rsi), c.text_id(arena), span_str(arena, c.memo_text));
        }
    }

    /// A pass-2 gift: added to its total's net unless an amendment supersedes it, and kept when
    /// a total it is in needs its gifts.
    fn add_second(&mut self, c: &Counted, s: Second, line: u64, arena: &str) {
        let rs = if s.superseded { u8::MAX } else { self.ruleset_ix(c.rs) };
        self.second_gift(
            c.gift(line, s.group, s.igroup, rs),
            s.superseded,
            c.text_id(arena),
            span_str(arena, c.memo_text),
        );
    }

    /// Pass 2 from pass 1's temporary file: each gift's totals are known, its superseding
    /// amendment is looked up, and nothing is parsed again.
    fn replay(&mut self, mut gifts: spill::Reader) -> io::Result<()> {
        let iremap = std::mem::take(&mut self.iremap);
        while let Some(r) = gifts.next()? {
            let mut gift = r.gift;
            gift.igroup = iremap.get(gift.igroup as usize).copied().unwrap_or(NO_IGROUP);
            let superseded = superseded(&self.ix.amended, gift.tran, gift.line);
            self.second_gift(gift, superseded, r.text_id, r.memo);
        }
        Ok(())
    }

    /// A pass-2 gift ([`Gift::group`], [`Gift::igroup`] being pass 2's totals).
    fn second_gift(&mut self, gift: Gift, superseded: bool, text_id: &str, memo: &str) {
        if superseded {
            self.out.superseded += 1;
            return;
        }
        let idetail = self.igroups.get(gift.igroup as usize).is_some_and(|g| g.detail);
        let keep = match self.groups.get_mut(gift.group as usize) {
            Some(g) => {
                g.net += gift.amount;
                g.detail || idetail
            }
            None => idetail,
        };
        if keep {
            self.keep(gift, text_id, memo);
        }
    }

    fn keep(&mut self, gift: Gift, text_id: &str, memo: &str) {
        if gift.id == u64::MAX && !text_id.is_empty() {
            self.text_ids.insert(gift.line, text_id.to_string());
        }
        if !memo.is_empty() {
            self.memos.insert(gift.line, memo.to_string());
        }
        self.gifts.push(gift);
    }

    /// A file none of whose rows can be read is one error (exit 2), not a wall of row errors.
    fn readable(&self) -> io::Result<()> {
        match self.out.unreadable.first() {
            Some((line, reason)) if self.out.unreadable.len() as u64 == self.out.rows => {
                let fmt = match self.out.format {
                    Some(Format::Fec) => "FEC itcont",
                    Some(Format::Csv) => "CSV",
                    Some(Format::Jsonl) => "JSON Lines",
                    None => "any format",
                };
                Err(invalid(format!(
                    "none of the {} rows could be read as {fmt} (line {line}: {reason}); name the format with --format fec|csv|jsonl",
                    self.out.rows
                )))
            }
            _ => Ok(()),
        }
    }

    /// After pass 1: the totals whose gifts pass 2 keeps (a limit or the itemization threshold
    /// can be passed in some order of their gifts).
    fn mark_detail(&mut self) {
        // The gifts pass 2 keeps, at most (a gift in two such totals is counted twice): their
        // list is allocated once, not doubled, and copied, as it grows.
        let mut keep = 0u64;
        for g in self.groups.iter_mut() {
            g.detail = amount_at(&self.amounts, g.limit).is_some_and(|l| g.net > l);
            // From here on, the net.
            g.net = Decimal::ZERO;
            if g.detail {
                keep += u64::from(g.rows);
            }
        }
        for g in self.igroups.iter_mut() {
            g.detail = g.info_missing && amount_at(&self.amounts, g.threshold).is_some_and(|t| g.gross > t);
            if g.detail {
                keep += u64::from(g.rows);
            }
        }
        self.gifts.reserve_exact(usize::try_from(keep.min(self.out.counted)).unwrap_or(0));
        // Pass 2 needs only the itemization totals whose gifts it keeps (a few in a hundred):
        // the others, and their index, are freed (at 4.7 million totals, 250 MB), and those
        // kept are numbered again in their order.
        let mut kept: Vec<((u32, u32, u32), u32)> = std::mem::take(&mut self.ix.igroup_ix)
            .into_iter()
            .filter(|&(_, i)| self.igroups.get(i as usize).is_some_and(|g| g.detail))
            .collect();
        kept.sort_unstable_by_key(|&(_, i)| i);
        let mut igroups = Chunked::default();
        let mut ix = FxMap::default();
        ix.reserve(kept.len());
        // The spilt gifts carry pass 1's numbers.
        let mut iremap = if self.spill.is_some() { vec![NO_IGROUP; self.igroups.len()] } else { Vec::new() };
        for (key, i) in kept {
            if let Some(g) = self.igroups.get(i as usize) {
                if let Some(r) = iremap.get_mut(i as usize) {
                    *r = igroups.len() as u32;
                }
                ix.insert(key, igroups.len() as u32);
                igroups.push(g.clone());
            }
        }
        self.iremap = iremap;
        self.igroups = igroups;
        self.ix.igroup_ix = ix;
    }

    fn id_text(&self, line: u64, id: u64) -> String {
        if id == u64::MAX {
            self.text_ids.get(&line).cloned().unwrap_or_default()
        } else {
            id.to_string()
        }
    }

    fn committee_label(&self, c: u32) -> (String, CommitteeType) {
        self.ix.committees.get(c as usize).map_or((String::new(), CommitteeType::Other), |c| (c.0.clone(), c.1))
    }

    fn finish(mut self, pass: Pass) -> Outcome {
        if pass == Pass::Single {
            // The first pass's sums give way to the nets.
            for g in self.groups.iter_mut() {
                g.net = Decimal::ZERO;
            }
            for g in &mut self.gifts {
                if g.tran != 0 && self.ix.amended.get(&g.tran).is_some_and(|&l| l != g.line) {
                    g.flags |= F_SUPERSEDED;
                    self.out.superseded += 1;
                } else if let Some(gr) = self.groups.get_mut(g.group as usize) {
                    gr.net += g.amount;
                }
            }
        }
        self.ix.amended = FxMap::default();
        self.ix.by_key = FxMap::default();
        self.ix.group_ix = FxMap::default();
        self.ix.igroup_ix = FxMap::default();
        self.out.donors = self.donors.len() as u64;
        self.out.committee_types_assumed = self.out.assumed_committees > 0;
        self.out.total = self.groups.iter().map(|g| g.net).sum();
        let mut gifts = std::mem::take(&mut self.gifts);
        gifts.retain(|g| g.flags & F_SUPERSEDED == 0);
        gifts.sort_by_key(|g| (g.group, g.date, g.line));
        let mut over = Decimal::ZERO;
        let mut presumptive = Decimal::ZERO;
        let mut i = 0;
        while i < gifts.len() {
            let Some(group_ix) = gifts.get(i).map(|g| g.group) else { break };
            let Some(group) = self.groups.get(group_ix as usize).cloned() else { break };
            let ct = self.ix.committees.get(group.committee as usize).map_or(CommitteeType::Other, |c| c.1);
            let mut total = Decimal::ZERO;
            let mut j = i;
            while let Some(g) = gifts.get(j).filter(|g| g.group == group_ix) {
                j += 1;
                let before = total;
                total += g.amount;
                let rs = self.ruleset(g.rs);
                let limit = group_limit(rs, ct, group.kind);
                // Every gift that takes the aggregate over the limit, or adds to it once over, is
                // excessive in the part above the limit ([`flags::Flags`] writes its message).
                if let (Some(l), Some(_)) = (limit, rs) {
                    let amount = l.amount.normalize();
                    if total > amount && g.amount > Decimal::ZERO {
                        let excess = total - before.max(amount);
                        // The presumption covers what the next election's limit can take: the
                        // aggregate excess, not only this gift's part of it.
                        let presume = l.per == crate::ruleset::Period::Election && total - amount <= amount;
                        if presume {
                            presumptive += excess;
                        } else {
                            over += excess;
                        }
                        let at = held_at(g, &group, group.period, total);
                        self.out.flags.held.push(flags::Held::Over { at, excess, presume });
                    }
                }
            }
            i = j.max(i + 1);
        }
        // Best efforts, over each itemization total (its own period: a candidate's cycle holds
        // its primary and general), walked in date order.
        gifts.sort_by_key(|g| (g.igroup, g.date, g.line));
        let mut i = 0;
        while i < gifts.len() {
            let Some(ig_ix) = gifts.get(i).map(|g| g.igroup) else { break };
            // Gifts kept for their limit total only ([`NO_IGROUP`]) sort last.
            let Some(ig) = self.igroups.get(ig_ix as usize).cloned() else { break };
            let mut total = Decimal::ZERO;
            let mut info_flagged = false;
            let mut j = i;
            while let Some(g) = gifts.get(j).filter(|g| g.igroup == ig_ix) {
                j += 1;
                let before = total;
                total += g.amount;
                if info_flagged || g.flags & F_INFO_MISSING == 0 {
                    continue;
                }
                let rs = self.ruleset(g.rs);
                let threshold = itemization_threshold(rs);
                if before <= threshold && total > threshold {
                    info_flagged = true;
                    let Some(group) = self.groups.get(g.group as usize) else { continue };
                    let at = held_at(g, group, ig.period, total);
                    let requested = g.flags & F_INFO_REQUESTED != 0;
                    self.out.flags.held.push(flags::Held::Info { at, requested });
                }
            }
            i = j.max(i + 1);
        }
        // The gifts and the itemization totals are done with: freed before the duplicate search.
        drop(gifts);
        self.igroups = Chunked::default();
        // Top donors against their limits: every total with a limit, highest share first.
        let mut top: Vec<(Decimal, Decimal, u32)> = Vec::new();
        for (gi, g) in self.groups.iter().enumerate() {
            if let Some(l) = amount_at(&self.amounts, g.limit).filter(|l| *l > Decimal::ZERO) {
                top.push((g.net, l, gi as u32));
                if top.len() > 2000 {
                    top.sort_by(|a, b| (b.0 * a.1).cmp(&(a.0 * b.1)).then(a.2.cmp(&b.2)));
                    top.truncate(20);
                }
            }
        }
        top.sort_by(|a, b| (b.0 * a.1).cmp(&(a.0 * b.1)).then(a.2.cmp(&b.2)));
        top.truncate(20);
        self.out.top = top
            .iter()
            .filter_map(|&(net, l, gi)| {
                let g = self.groups.get(gi as usize)?;
                Some((
                    self.donors.get(g.donor as usize)?.display(),
                    self.committee_label(g.committee).0,
                    self.periods.get(g.period as usize).cloned().unwrap_or_default(),
                    net,
                    l,
                ))
            })
            .collect();
        self.duplicates();
        // No limit applied (super PACs, joint fundraising, other committees, a date outside the
        // rulesets, the not-judged types): not "within limits".
        let unlimited: Decimal =
            self.groups.iter().filter(|g| amount_at(&self.amounts, g.limit).is_none()).map(|g| g.net).sum();
        self.out.by_outcome.insert("within limits", self.out.total - over - presumptive - unlimited);
        self.out.by_outcome.insert("no limit applied", unlimited);
        self.out.by_outcome.insert("presumptively redesignated", presumptive);
        self.out.by_outcome.insert("excessive (refund due)", over);
        self.out.flags.held.sort_by_key(flags::Held::line);
        self.out.flags.held.shrink_to_fit();
        self.out.flags.tables = flags::Tables {
            donors: std::mem::take(&mut self.donors),
            committees: std::mem::take(&mut self.ix.committees),
            periods: std::mem::take(&mut self.periods),
            rulesets: std::mem::take(&mut self.rulesets),
            text_ids: std::mem::take(&mut self.text_ids),
            memos: std::mem::take(&mut self.memos),
        };
        self.out
    }

    /// Possible duplicate donors: two donors [`crate::identity::near`] each other (same name at
    /// another ZIP, one edit apart at one ZIP, another suffix) whose gifts to one committee in
    /// one period would together pass its limit. Listed for a person to decide, never merged.
    /// One of the two totals is then over half the limit, so only those are indexed; every
    /// other total probes the index (same blocking keys as the ledger: the skeleton and the near
    /// skeletons, and the skeleton's deletion variants at one ZIP). Near skeletons pair Chris
    /// with Christopher, Garcia-Lopez with Garcia, O Brien with OBrien.
    fn duplicates(&mut self) {
        let threads = if self.opts.jobs == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.opts.jobs
        };
        let mut bigs: Vec<u32> = (0..self.groups.len() as u32)
            .filter(|&gi| {
                self.groups
                    .get(gi as usize)
                    .is_some_and(|g| amount_at(&self.amounts, g.limit).is_some_and(|l| g.net * Decimal::TWO > l))
            })
            .collect();
        // The index is built and probed a shard of committees and periods at a time (a pair is
        // always in one of them), at most about 4M keys each: one index for 10M generated rows
        // took 2 GB.
        let most = if self.opts.duplicate_index_keys == 0 { SHARD_KEYS } else { self.opts.duplicate_index_keys };
        let shards = (bigs.len() * KEYS_PER_TOTAL).div_ceil(most).clamp(1, usize::from(u16::MAX));
        // Each total's shard, by its committee and period.
        let shard_of: Vec<u16> = if shards == 1 {
            Vec::new()
        } else {
            self.groups
                .iter()
                .map(|g| {
                    use std::hash::Hasher;
                    let mut h = Fx::default();
                    h.write_u32(g.committee);
                    h.write_u32(g.period);
                    (h.finish() % shards as u64) as u16
                })
                .collect()
        };
        let mut pairs = std::collections::BTreeSet::new();
        for shard in 0..shards as u16 {
            let mine: Vec<u32> = if shards == 1 {
                std::mem::take(&mut bigs)
            } else {
                bigs.iter().copied().filter(|&gi| shard_of.get(gi as usize) == Some(&shard)).collect()
            };
            pairs.extend(self.duplicate_pairs(&mine, (&shard_of, shard), threads));
        }
        let code = crate::findings::Code::PossibleDuplicateDonor;
        for (a, b) in pairs {
            let (Some(ga), Some(gb)) = (self.groups.get(a as usize), self.groups.get(b as usize)) else { continue };
            let (Some(da), Some(db)) = (self.donors.get(ga.donor as usize), self.donors.get(gb.donor as usize)) else {
                continue;
            };
            let describe = |d: Donor<'_>| format!("{} ({})", d.display(), d.identity().zip5);
            // Flagged on the later of the two donors' first rows.
            let (this, other, dthis, dother) =
                if gb.first_line >= ga.first_line { (gb, ga, db, da) } else { (ga, gb, da, db) };
            let combined = this.net + other.net;
            let limit = amount_at(&self.amounts, this.limit)
                .unwrap_or_default()
                .min(amount_at(&self.amounts, other.limit).unwrap_or_default());
            let (cid, ct) = self.committee_label(this.committee);
            let period = self.periods.get(this.period as usize).cloned().unwrap_or_default();
            let mut params = std::collections::BTreeMap::new();
            params.insert("other_donor", describe(dother));
            params.insert("combined", combined.to_string());
            self.out.flags.push(Flag {
                line: this.first_line,
                id: self.id_text(this.first_line, this.first_id),
                code: code.as_str(),
                severity: code.catalogue_severity().as_str(),
                donor: describe(dthis),
                committee: format!("{cid} ({})", ct.as_str()),
                period,
                date: this.first_date,
                amount: this.net,
                aggregate: combined,
                limit: Some(limit),
                excess: Decimal::ZERO,
                deadline: String::new(),
                citation: "52 U.S.C. 30116(a); 11 CFR 110.1(b)",
                message: format!(
                    "May be the same person as {}: together they gave ${combined} to this committee for {}, over the \
                     ${limit} limit. Check (address, employer); if they are one person, the excess must be refunded, \
                     redesignated or reattributed. Not added together here.",
                    describe(dother),
                    if ct == CommitteeType::Candidate { "this election" } else { "this period" }
                ),
                status: "",
                params,
            });
            self.out.duplicates.push((describe(dother), describe(dthis)));
        }
    }

    /// The possible-duplicate pairs (lower total first) of the totals in one shard (`shard_of`
    /// each total's, empty when there is one) against the index of its big totals `bigs` (see
    /// [`Screen::duplicates`]), probed on `threads` threads.
    fn duplicate_pairs(&self, bigs: &[u32], (shard_of, shard): (&[u16], u16), threads: usize) -> Vec<(u32, u32)> {
        use crate::identity::{near, near_by_initial, near_by_skeletons, near_skeletons, Identity};
        // A big donor's identity and its near skeletons (Chris: Christopher, Garcia-Lopez:
        // Garcia), which are also keys: they meet the other donor's own skeleton.
        let mut big: FxMap<u32, (Identity, Vec<String>)> = FxMap::default();
        // The index: a key's newest entry in `heads`, each entry (total, the key's next older
        // entry or `u32::MAX`) in `chain` (one allocation, not a `Vec` per key).
        let mut heads: FxMap<u64, u32> = FxMap::default();
        let mut chain: Vec<(u32, u32)> = Vec::new();
        let (mut buf, mut ks) = (String::new(), Vec::new());
        // The largest big total per committee and period: a total that cannot pass the limit
        // with it is not probed.
        let mut max_big: FxMap<(u32, u32), Decimal> = FxMap::default();
        // Sized once (about 18 keys a total: two, and a variant per letter of a skeleton), not
        // grown by rehashing, which faulted in and copied its tables again at every doubling.
        big.reserve(bigs.len());
        heads.reserve(bigs.len() * KEYS_PER_TOTAL);
        chain.reserve(bigs.len() * KEYS_PER_TOTAL);
        for &gi in bigs {
            let Some(g) = self.groups.get(gi as usize) else { continue };
            let Some(d) = self.donors.get(g.donor as usize) else { continue };
            let (id, near_sks) = big.entry(g.donor).or_insert_with(|| {
                let (first, last, _) = d.parts();
                (d.identity(), near_skeletons(first, last))
            });
            if id.skeleton.is_empty() {
                continue;
            }
            let m = max_big.entry((g.committee, g.period)).or_insert(g.net);
            *m = (*m).max(g.net);
            keys(id, near_sks, g.committee, g.period, &mut buf, &mut ks);
            for &k in &ks {
                let Ok(e) = u32::try_from(chain.len()) else { break };
                let next = heads.insert(k, e).unwrap_or(u32::MAX);
                chain.push((gi, next));
            }
        }
        if heads.is_empty() {
            return Vec::new();
        }
        let (groups, donors, heads, chain, big, max_big) = (&self.groups, &self.donors, &heads, &chain, &big, &max_big);
        let amounts = &self.amounts;
        let probe = |from: usize, to: usize| -> Vec<(u32, u32)> {
            let mut pairs = Vec::new();
            let (mut buf, mut ks) = (String::new(), Vec::new());
            let mut id = Identity {
                key: String::new(),
                name_key: String::new(),
                skeleton: String::new(),
                zip5: String::new(),
                suffix: String::new(),
            };
            for gi in from..to {
                let Some(g) = groups.get(gi) else { break };
                if shard_of.get(gi).is_some_and(|&s| s != shard) {
                    continue;
                }
                let Some(l) = amount_at(amounts, g.limit) else { continue };
                if g.net <= Decimal::ZERO || !max_big.get(&(g.committee, g.period)).is_some_and(|m| g.net + *m > l) {
                    continue;
                }
                let Some(d) = donors.get(g.donor as usize) else { continue };
                let (first, last, postal) = d.parts();
                crate::identity::donor_identity_into(first, last, postal, &mut id);
                if id.skeleton.is_empty() {
                    continue;
                }
                let near_sks = near_skeletons(first, last);
                keys(&id, &near_sks, g.committee, g.period, &mut buf, &mut ks);
                for k in &ks {
                    let mut e = heads.get(k).copied().unwrap_or(u32::MAX);
                    while let Some(&(b, next)) = chain.get(e as usize) {
                        e = next;
                        let Some(bg) = groups.get(b as usize) else { continue };
                        if b as usize == gi
                            || bg.donor == g.donor
                            || g.net + bg.net <= l.min(amount_at(amounts, bg.limit).unwrap_or(l))
                        {
                            continue;
                        }
                        if big.get(&bg.donor).is_some_and(|(bid, bnear)| {
                            near(&id, bid) || near_by_skeletons(&id, &near_sks, bid, bnear) || near_by_initial(&id, bid)
                        }) {
                            pairs.push(((gi as u32).min(b), (gi as u32).max(b)));
                        }
                    }
                }
            }
            pairs
        };
        let n = groups.len();
        let chunk = n.div_ceil(threads.max(1)).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                (0..n).step_by(chunk).map(|from| scope.spawn(move || probe(from, (from + chunk).min(n)))).collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        })
    }
}

/// About how many blocking keys ([`keys`]) a big total has in the duplicate index.
const KEYS_PER_TOTAL: usize = 18;
/// The most index keys built at once ([`Screen::duplicates`]).
const SHARD_KEYS: usize = 1 << 22;

/// The blocking keys of a total (`out`, cleared first): its skeleton and its `near` skeletons
/// ([`crate::identity::near_skeletons`]) at any ZIP, and the skeleton's
/// single-deletion variants (with the skeleton itself) at its ZIP and suffix, as
/// [`crate::identity::deletion_variants`] gives them, but hashed from one reused buffer
/// rather than a `String` each. Deleting either of two equal neighbours gives the same
/// string, so only the first of a run is deleted (each distinct variant once).
fn keys(id: &crate::identity::Identity, near: &[String], c: u32, p: u32, buf: &mut String, out: &mut Vec<u64>) {
    use std::hash::Hasher;
    out.clear();
    let seed = |tag: u8| {
        let mut h = Fx::default();
        h.write_u8(tag);
        h.write_u32(c);
        h.write_u32(p);
        h
    };
    let s = id.skeleton.as_str();
    // The skeleton alone, and each near skeleton as if it were one (any ZIP).
    for sk in std::iter::once(s).chain(near.iter().map(String::as_str)) {
        let mut h = seed(0);
        h.write(sk.as_bytes());
        h.write_usize(sk.len());
        out.push(h.finish());
    }
    // The place and suffix hashed once, each variant after them.
    let mut place = seed(1);
    for part in [id.zip5.as_str(), id.suffix.as_str()] {
        place.write(part.as_bytes());
        place.write_usize(part.len());
    }
    let mut variant = |v: &str| {
        let mut h = place;
        h.write(v.as_bytes());
        h.write_usize(v.len());
        out.push(h.finish());
    };
    variant(s);
    let mut prev = None;
    for (i, ch) in s.char_indices() {
        if prev == Some(ch) {
            continue;
        }
        prev = Some(ch);
        buf.clear();
        buf.push_str(s.get(..i).unwrap_or_default());
        buf.push_str(s.get(i + ch.len_utf8()..).unwrap_or_default());
        variant(buf);
    }
    // A word cut to its initial ("mark thompson": "m thompson"), meeting a donor filed by
    // initial at the same place ([`crate::identity::near_by_initial`]), whose skeleton is above.
    crate::identity::each_initial_variant(s, buf, &mut variant);
}

/// Writes the CSV of flagged rows: `row,id,code,severity,...`.
pub fn write_csv<W: Write>(out: &Outcome, mut w: W) -> io::Result<()> {
    writeln!(w, "row,id,code,severity,status,donor,committee,period,date,amount,aggregate,limit,excess,deadline,citation,message,params")?;
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for f in out.flags.iter() {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            f.line,
            q(&f.id),
            f.code,
            f.severity,
            f.status,
            q(&f.donor),
            q(&f.committee),
            q(&f.period),
            fmt_date(f.date),
            f.amount,
            f.aggregate,
            f.limit.map(|l| l.to_string()).unwrap_or_default(),
            f.excess,
            f.deadline,
            q(f.citation),
            q(&f.message),
            q(&if f.params.is_empty() { String::new() } else { serde_json::to_string(&f.params).unwrap_or_default() })
        )?;
    }
    for (line, reason) in &out.unreadable {
        writeln!(w, "{line},,unreadable_row,error,,,,,,,,,,,,{},", q(reason))?;
    }
    Ok(())
}

/// The JSON summary.
pub fn summary_json(out: &Outcome) -> serde_json::Value {
    let mut codes: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for f in out.flags.briefs() {
        *codes.entry(f.code).or_default() += 1;
    }
    serde_json::json!({
        "format": match out.format { Some(Format::Fec) => "fec", Some(Format::Csv) => "csv", Some(Format::Jsonl) => "jsonl", None => "" },
        "rows": out.rows,
        "counted": out.counted,
        "memo_rows": out.memo_rows,
        "superseded": out.superseded,
        "refunds": out.refunds,
        "unreadable": out.unreadable.len(),
        "donors": out.donors,
        "possible_duplicates": out.duplicates.len(),
        "total": out.total.to_string(),
        "by_outcome": out.by_outcome.iter().map(|(k, v)| ((*k).to_string(), serde_json::Value::String(v.to_string()))).collect::<serde_json::Map<_, _>>(),
        "flags_by_code": codes,
        "non_individual": out.non_individual.iter().map(|(k, (n, a))| (k.clone(), serde_json::json!({"rows": n, "amount": a.to_string()}))).collect::<serde_json::Map<_, _>>(),
        "committee_types_assumed": out.committee_types_assumed,
        "committees_assumed_candidate": out.assumed_committees,
        "not_judged": out.not_judged.iter().map(|(k, (n, a))| ((*k).to_string(), serde_json::json!({"rows": n, "amount": a.to_string()}))).collect::<serde_json::Map<_, _>>(),
        "not_counted": out.not_counted.iter().map(|(k, (n, a))| ((*k).to_string(), serde_json::json!({"rows": n, "amount": a.to_string()}))).collect::<serde_json::Map<_, _>>(),
    })
}

pub use report::html;

#[cfg(test)]
mod tests {
    use super::{amount_ix, is_placeholder, NO_AMOUNT};
    use rust_decimal::Decimal;

    #[test]
    fn amounts_are_held_once_and_a_full_table_says_so() {
        let (mut amounts, mut full) = (Vec::new(), false);
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(3300, 0)), 0);
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(200, 0)), 1);
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(3300, 0)), 0);
        // Another scale is another amount (its text differs in the report).
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(330000, 2)), 2);
        amounts.extend((amounts.len()..usize::from(NO_AMOUNT)).map(|i| Decimal::from(i as u64 + 10_000)));
        assert!(!full);
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(1, 0)), NO_AMOUNT);
        assert!(full);
        assert_eq!(amount_ix(&mut amounts, &mut full, Decimal::new(200, 0)), 1);
    }

    #[test]
    fn no_employer_occupations_answer_with_n_a() {
        use super::{has_no_employer, is_not_applicable};
        for o in ["RETIRED", "Retired Fire Captain", "NOT EMPLOYED", "unemployed", "N/A HOMEMAKER", "STUDENT"] {
            assert!(has_no_employer(o), "{o}");
        }
        for o in ["ATTORNEY", "TECHNOLOGY", "SELF-EMPLOYED", "N/A", ""] {
            assert!(!has_no_employer(o), "{o}");
        }
        for e in ["N/A", "n.a.", "NA", "None", "NOT APPLICABLE"] {
            assert!(is_not_applicable(e), "{e}");
        }
        assert!(!is_not_applicable("INFORMATION REQUESTED"));
        assert!(!is_not_applicable(""));
    }

    #[test]
    fn placeholders_by_their_letters() {
        for s in [
            "INFORMATION REQUESTED",
            "Information Requested Per Best Efforts",
            " info requested ",
            "REQUESTED",
            "Best Efforts",
            "N/A",
            "n.a.",
            "NONE PROVIDED",
            "Not Provided",
            "REFUSED",
            "Declined to state",
            "UNKNOWN",
            "INFORMATION REQUESTED, AND SOME MORE TEXT THAN THE BUFFER HOLDS",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in [
            "",
            "RETIRED",
            "NONE",
            "NOT EMPLOYED",
            "BANKER",
            "UNKNOWN QUANTITIES LLC",
            "NA NA NA NA NA NA NA NA NA NA NA NA NA NA NA NA",
            "DECLINED TO STATE WHY",
            "NATIONAL BANK",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }
}
