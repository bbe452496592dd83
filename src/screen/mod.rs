//! `donation-guard screen`: re-screens a whole file (FEC itcont, a CSV export or JSON Lines
//! submissions) for a committee's compliance staff. Gifts are totalled per donor, committee and
//! election (candidates) or calendar year (others) under the limits of each gift's date; the
//! outputs are an HTML report, a CSV of flagged rows and a JSON summary.
//!
//! Memory: one entry per distinct donor and a compact record (48 bytes) per counted gift, which
//! the per-donor date ordering needs; the file itself is streamed.

pub mod cli;
pub mod law;
mod report;

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
    pub cash: Option<bool>,
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
    pub flags: Vec<Flag>,
    pub donors: u64,
    pub duplicates: Vec<(String, String)>,
    pub total: Decimal,
    pub by_outcome: std::collections::BTreeMap<&'static str, Decimal>,
    /// (donor, committee, period, aggregate, limit)
    pub top: Vec<(String, String, String, Decimal, Decimal)>,
    pub committee_types_assumed: bool,
    pub no_ruleset_rows: u64,
}

/// Options.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub format: Option<Format>,
    /// Committee id → type, from the FEC committee master file.
    pub committees: Option<HashMap<String, CommitteeType>>,
    /// CSV column mapping (field → header name).
    pub columns: Vec<(String, String)>,
    pub progress: bool,
}

/// FxHash (rustc's): the keys are the file's own names and ids, read by the committee's own
/// staff, so SipHash's flood resistance buys nothing here and costs a tenth of the run.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(chunk) {
                *d = *s;
            }
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
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

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

fn fx(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = Fx::default();
    h.write(s.as_bytes());
    h.write_usize(s.len());
    h.finish()
}

/// A compact counted gift.
#[derive(Debug, Clone, Copy)]
struct Gift {
    line: u64,
    id: u64,
    amount: Decimal,
    committee: u32,
    period: u32,
    date: u32,
    flags: u8,
}
const F_INFO_MISSING: u8 = 1;
const F_INFO_REQUESTED: u8 = 2;
const F_SUPERSEDED: u8 = 4;

struct Donor {
    ident: law::Identity,
    display: String,
    gifts: Vec<Gift>,
}

/// Screening state.
struct Screen<'a> {
    opts: &'a Options,
    out: Outcome,
    donors: Vec<Donor>,
    by_key: FxMap<String, u32>,
    committees: Vec<(String, CommitteeType)>,
    committee_ix: FxMap<String, u32>,
    periods: Vec<String>,
    period_ix: FxMap<String, u32>,
    /// Non-numeric ids, by line.
    text_ids: FxMap<u64, String>,
    /// (committee, 64-bit hash of TRAN_ID) → (donor, gift index, is an amendment).
    tran: FxMap<(u32, u64), (u32, u32, bool)>,
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
        let name = name.to_ascii_uppercase();
        let ct = if *dsgn == "J" {
            CommitteeType::JointFundraising
        } else {
            match *tp {
                "H" | "S" | "P" => CommitteeType::Candidate,
                "N" | "Q" | "V" | "W" => CommitteeType::Pac,
                "O" | "U" => CommitteeType::SuperPac,
                "X" | "Y" => {
                    if is_national_party(&name) {
                        CommitteeType::NationalParty
                    } else {
                        CommitteeType::StateParty
                    }
                }
                _ => CommitteeType::Other,
            }
        };
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

/// Screens `input`. Errors are I/O errors or an unreadable format (`InvalidData`).
pub fn screen<R: Read>(input: R, opts: &Options) -> io::Result<Outcome> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut st = Screen {
        opts,
        out: Outcome { committee_types_assumed: opts.committees.is_none(), ..Outcome::default() },
        donors: Vec::new(),
        by_key: FxMap::default(),
        committees: Vec::new(),
        committee_ix: FxMap::default(),
        periods: Vec::new(),
        period_ix: FxMap::default(),
        text_ids: FxMap::default(),
        tran: FxMap::default(),
    };
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut format = opts.format;
    let mut header: Option<Vec<String>> = None;
    let tty = opts.progress && io::stderr().is_terminal();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        let text = String::from_utf8_lossy(&buf);
        if text.trim().is_empty() {
            continue;
        }
        let fmt = match format {
            Some(f) => f,
            None => {
                let f = detect(&text).ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        "cannot tell the format of this file: expected FEC itcont (21 pipe-separated columns), \
                         a CSV with a header, or JSON Lines; name it with --format fec|csv|jsonl",
                    )
                })?;
                format = Some(f);
                f
            }
        };
        st.out.format = Some(fmt);
        if fmt == Format::Csv && header.is_none() {
            let h = split_csv(&text);
            if csv_field(&h, &opts.columns, "amount").is_none() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "CSV header has no amount column (map it with --columns amount=COLUMN)",
                ));
            }
            header = Some(h);
            continue;
        }
        st.out.rows += 1;
        if tty && st.out.rows % 500_000 == 0 {
            eprint!("\rscreening: {} rows, {} donors", st.out.rows, st.donors.len());
        }
        let row = match fmt {
            Format::Fec => parse_fec(&text, line_no),
            Format::Csv => parse_csv(&text, line_no, header.as_deref().unwrap_or_default(), &opts.columns),
            Format::Jsonl => parse_jsonl(&text, line_no),
        };
        match row {
            Ok(row) => st.add(row),
            Err(reason) => st.out.unreadable.push((line_no, reason)),
        }
    }
    if tty {
        eprintln!("\rscreening: {} rows, {} donors — done", st.out.rows, st.donors.len());
    }
    if format.is_none() {
        st.out.format = opts.format;
    }
    Ok(st.finish())
}

fn detect(first: &str) -> Option<Format> {
    let t = first.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return Some(Format::Jsonl);
    }
    if first.split('|').count() == 21 {
        return Some(Format::Fec);
    }
    let h = split_csv(first);
    if h.len() > 1 && csv_field(&h, &[], "amount").is_some() {
        return Some(Format::Csv);
    }
    None
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

/// Dates in CSV / JSON: YYYY-MM-DD (a time after it is ignored), MM/DD/YYYY or MMDDYYYY.
fn parse_date_any(s: &str) -> Result<u32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    let bad = || format!("date {s:?} is not YYYY-MM-DD or MM/DD/YYYY");
    let num = |p: &str| p.trim().parse::<u32>().map_err(|_| bad());
    if let Some(date) = s.get(..10).filter(|d| d.as_bytes().get(4) == Some(&b'-')) {
        let p: Vec<&str> = date.split('-').collect();
        if let [y, m, d] = p.as_slice() {
            return check_date(num(y)?, num(m)?, num(d)?).ok_or_else(bad);
        }
    }
    let p: Vec<&str> = s.split('/').collect();
    if let [m, d, y] = p.as_slice() {
        return check_date(num(y)?, num(m)?, num(d)?).ok_or_else(bad);
    }
    parse_date_mmddyyyy(s).map_err(|_| bad())
}

fn parse_amount(s: &str) -> Result<Decimal, String> {
    let t = s.trim().replace(['$', ','], "");
    let (neg, t) = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => (true, inner.to_string()),
        None => (false, t),
    };
    let d = Decimal::from_str(&t).map_err(|_| format!("amount {s:?} is not a number"))?;
    Ok(if neg { -d } else { d })
}

fn parse_fec(line: &str, line_no: u64) -> Result<Row, String> {
    let f: Vec<&str> = line.split('|').collect();
    if f.len() != 21 {
        return Err(format!("{} columns, expected 21", f.len()));
    }
    let g = |i: usize| f.get(i).map_or("", |s| s.trim());
    let name = g(7);
    let (last, first) = match name.split_once(',') {
        Some((l, r)) => (l.trim().to_string(), r.trim().to_string()),
        None => (name.to_string(), String::new()),
    };
    Ok(Row {
        line: line_no,
        id: g(20).to_string(),
        committee: g(0).to_string(),
        amendment: g(1) == "A",
        tran_id: g(16).to_string(),
        election: g(3).to_string(),
        transaction_type: g(5).to_string(),
        entity: g(6).to_string(),
        first,
        last,
        city: g(8).to_string(),
        state: g(9).to_string(),
        postal: g(10).to_string(),
        country: if g(9) == "ZZ" { "ZZ".into() } else { String::new() },
        employer: g(11).to_string(),
        occupation: g(12).to_string(),
        date: parse_date_mmddyyyy(g(13))?,
        amount: parse_amount(g(14))?,
        memo: g(18).eq_ignore_ascii_case("X"),
        cash: None,
    })
}

/// Splits one CSV record (RFC 4180 quotes; a quoted newline is not supported).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Case-insensitive header aliases of each field.
const ALIASES: [(&str, &[&str]); 17] = [
    ("id", &["id", "contribution_id", "transaction_id", "sub_id", "receipt_id", "order_id"]),
    ("first", &["first_name", "firstname", "donor_first_name", "first", "given_name"]),
    ("last", &["last_name", "lastname", "donor_last_name", "last", "surname", "family_name"]),
    ("name", &["name", "donor_name", "full_name", "contributor_name"]),
    ("city", &["city", "donor_city", "addr_city"]),
    ("state", &["state", "donor_state", "addr_state", "region"]),
    ("postal", &["zip", "zip_code", "postal_code", "zipcode", "postcode", "donor_zip"]),
    ("country", &["country", "donor_country", "addr_country"]),
    ("employer", &["employer", "donor_employer", "employer_name"]),
    ("occupation", &["occupation", "donor_occupation", "job_title"]),
    ("amount", &["amount", "contribution_amount", "donation_amount", "amt", "transaction_amt", "total"]),
    ("date", &["date", "contribution_date", "donation_date", "received_at", "created_at", "transaction_dt", "paid_at"]),
    ("recipient", &["recipient", "committee", "committee_id", "recipient_id", "cmte_id", "campaign"]),
    ("election", &["election", "transaction_pgi", "designation"]),
    ("method", &["method", "payment_method", "payment_type"]),
    ("entity", &["entity_type", "entity", "entity_tp", "donor_type"]),
    ("memo", &["memo", "memo_cd", "memo_code"]),
];

fn csv_field(header: &[String], columns: &[(String, String)], field: &str) -> Option<usize> {
    let fold = |s: &str| -> String {
        s.trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() })
            .collect()
    };
    let find = |name: &str| {
        let name = fold(name);
        header.iter().position(|h| fold(h) == name)
    };
    if let Some((_, col)) = columns.iter().find(|(f, _)| f == field) {
        return find(col);
    }
    ALIASES.iter().find(|(f, _)| *f == field).and_then(|(_, names)| names.iter().find_map(|n| find(n)))
}

fn parse_csv(line: &str, line_no: u64, header: &[String], columns: &[(String, String)]) -> Result<Row, String> {
    let cells = split_csv(line);
    if cells.len() != header.len() {
        return Err(format!("{} cells, header has {}", cells.len(), header.len()));
    }
    let g = |field: &str| csv_field(header, columns, field).and_then(|i| cells.get(i)).map_or("", |s| s.trim());
    let (mut first, mut last) = (g("first").to_string(), g("last").to_string());
    if first.is_empty() && last.is_empty() {
        last = g("name").to_string();
        first = String::new();
    }
    let method = g("method").to_ascii_lowercase();
    let entity = g("entity").to_ascii_uppercase();
    Ok(Row {
        line: line_no,
        id: g("id").to_string(),
        committee: g("recipient").to_string(),
        election: g("election").to_string(),
        entity: if entity == "INDIVIDUAL" { "IND".into() } else { entity },
        first,
        last,
        city: g("city").to_string(),
        state: g("state").to_string(),
        postal: g("postal").to_string(),
        country: g("country").to_string(),
        employer: g("employer").to_string(),
        occupation: g("occupation").to_string(),
        date: parse_date_any(g("date"))?,
        amount: parse_amount(g("amount"))?,
        memo: g("memo").eq_ignore_ascii_case("X"),
        cash: if method.is_empty() { None } else { Some(method == "cash" || method == "currency") },
        ..Row::default()
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
        date: parse_date_any(&date)?,
        amount: parse_amount(&amount)?,
        cash: if method.is_empty() { None } else { Some(method == "cash") },
        ..Row::default()
    })
}

fn is_placeholder(s: &str) -> bool {
    let u = s.trim().to_ascii_uppercase();
    u.starts_with("INFORMATION REQUESTED") || u == "REQUESTED" || u == "N/A" || u == "NONE PROVIDED"
}

fn is_foreign(row: &Row) -> bool {
    let c = row.country.trim().to_ascii_uppercase();
    if row.state.eq_ignore_ascii_case("ZZ") || c == "ZZ" {
        return true;
    }
    !c.is_empty() && !matches!(c.as_str(), "US" | "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA")
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
    fn intern_committee(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.committee_ix.get(id) {
            return i;
        }
        let ct = match &self.opts.committees {
            Some(map) => map.get(id).copied().unwrap_or(CommitteeType::Other),
            None => CommitteeType::Candidate,
        };
        let i = self.committees.len() as u32;
        self.committees.push((id.to_string(), ct));
        self.committee_ix.insert(id.to_string(), i);
        i
    }

    fn intern_period(&mut self, p: String) -> u32 {
        if let Some(&i) = self.period_ix.get(&p) {
            return i;
        }
        let i = self.periods.len() as u32;
        self.periods.push(p.clone());
        self.period_ix.insert(p, i);
        i
    }

    fn flag(&mut self, row: &Row, code: crate::findings::Code, citation: &'static str, message: String) {
        let display = format!("{} {}", row.first, row.last).trim().to_string();
        self.out.flags.push(Flag {
            line: row.line,
            id: row.id.clone(),
            code: code.as_str(),
            severity: code.catalogue_severity().as_str(),
            donor: display,
            committee: row.committee.clone(),
            period: String::new(),
            date: row.date,
            amount: row.amount,
            aggregate: Decimal::ZERO,
            limit: None,
            excess: Decimal::ZERO,
            deadline: String::new(),
            citation,
            message,
            status: "",
        });
    }

    fn add(&mut self, mut row: Row) {
        if row.memo {
            self.out.memo_rows += 1;
            return;
        }
        let refund = matches!(row.transaction_type.as_str(), "20Y" | "22Y");
        if refund {
            self.out.refunds += 1;
            row.amount = -row.amount.abs();
        }
        if !row.entity.is_empty() && row.entity != "IND" {
            let e = self.out.non_individual.entry(row.entity.clone()).or_insert((0, Decimal::ZERO));
            e.0 += 1;
            e.1 += row.amount;
            return;
        }
        if is_foreign(&row) {
            let msg = format!(
                "Foreign address ({}{}{}): inquire whether the donor is a U.S. citizen or permanent resident \
                 (e.g. a copy of a U.S. passport); refund within 30 days if that cannot be confirmed.",
                row.city,
                if row.city.is_empty() { "" } else { ", " },
                if row.state.is_empty() { row.country.as_str() } else { row.state.as_str() },
            );
            self.flag(&row, crate::findings::Code::ForeignAddress, "52 U.S.C. 30121; 11 CFR 110.20(a)(5)(ii)", msg);
        }
        if row.cash == Some(true) && row.amount > Decimal::from(100) {
            let msg = format!("Cash of ${} is over $100: return the amount over $100 promptly.", row.amount);
            self.flag(&row, crate::findings::Code::CashLimit, "52 U.S.C. 30123; 11 CFR 110.4(c)", msg);
        }
        let ident = law::identity(&row.first, &row.last, &row.postal);
        let donor = match self.by_key.get(&ident.key) {
            Some(&i) => i,
            None => {
                let i = self.donors.len() as u32;
                let display = format!("{} {}", row.first, row.last).trim().to_string();
                self.by_key.insert(ident.key.clone(), i);
                self.donors.push(Donor { ident, display, gifts: Vec::new() });
                i
            }
        };
        let committee = self.intern_committee(&row.committee);
        let ct = self.committees.get(committee as usize).map_or(CommitteeType::Other, |c| c.1);
        let year = row.date / 10_000;
        let period = if ct == CommitteeType::Candidate {
            let e = row.election.trim().to_ascii_uppercase();
            if e.len() >= 5 {
                e
            } else {
                // No election on the row: the general election of the gift's cycle.
                format!("G{}", year + year % 2)
            }
        } else {
            year.to_string()
        };
        let period = self.intern_period(period);
        let id = match row.id.parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                if !row.id.is_empty() {
                    self.text_ids.insert(row.line, row.id.clone());
                }
                u64::MAX
            }
        };
        let mut flags = 0;
        let (emp, occ) = (row.employer.trim(), row.occupation.trim());
        if emp.is_empty() || occ.is_empty() || is_placeholder(emp) || is_placeholder(occ) {
            flags |= F_INFO_MISSING;
            if is_placeholder(emp) || is_placeholder(occ) {
                flags |= F_INFO_REQUESTED;
            }
        }
        if row.date == 0 {
            self.out.no_ruleset_rows += 1;
        }
        let gift = Gift { line: row.line, id, amount: row.amount, committee, period, date: row.date, flags };
        let Some(d) = self.donors.get_mut(donor as usize) else { return };
        let gi = d.gifts.len() as u32;
        d.gifts.push(gift);
        self.out.counted += 1;
        if !row.tran_id.is_empty() {
            let key = (committee, fx(&row.tran_id));
            match self.tran.get(&key).copied() {
                Some((pd, pg, prev_amend)) => {
                    // An amendment supersedes the earlier row with the same TRAN_ID; between two
                    // of the same kind the later one in the file wins.
                    let (old, new) =
                        if row.amendment || !prev_amend { ((pd, pg), (donor, gi)) } else { ((donor, gi), (pd, pg)) };
                    if let Some(g) = self.donors.get_mut(old.0 as usize).and_then(|d| d.gifts.get_mut(old.1 as usize)) {
                        g.flags |= F_SUPERSEDED;
                    }
                    self.out.superseded += 1;
                    let amend = if (new.0, new.1) == (donor, gi) { row.amendment } else { prev_amend };
                    self.tran.insert(key, (new.0, new.1, amend));
                }
                None => {
                    self.tran.insert(key, (donor, gi, row.amendment));
                }
            }
        }
    }

    fn id_of(&self, g: &Gift) -> String {
        if g.id == u64::MAX {
            self.text_ids.get(&g.line).cloned().unwrap_or_default()
        } else {
            g.id.to_string()
        }
    }

    fn finish(mut self) -> Outcome {
        self.tran = FxMap::default();
        let donors = std::mem::take(&mut self.donors);
        self.out.donors = donors.len() as u64;
        let mut top: Vec<Top> = Vec::new();
        let mut over = Decimal::ZERO;
        let mut presumptive = Decimal::ZERO;
        for d in &donors {
            let mut gifts: Vec<&Gift> = d.gifts.iter().filter(|g| g.flags & F_SUPERSEDED == 0).collect();
            gifts.sort_by_key(|g| (g.committee, g.period, g.date, g.line));
            let mut i = 0;
            while i < gifts.len() {
                let Some(first) = gifts.get(i) else { break };
                let (c, p) = (first.committee, first.period);
                let mut j = i;
                let mut total = Decimal::ZERO;
                let mut info_flagged = false;
                let mut over_flagged = false;
                let mut max_limit = None;
                while let Some(g) = gifts.get(j).filter(|g| (g.committee, g.period) == (c, p)) {
                    let (cid, ct) =
                        self.committees.get(c as usize).map_or(("", CommitteeType::Other), |c| (c.0.as_str(), c.1));
                    let period = self.periods.get(p as usize).map_or("", |p| p.as_str());
                    let before = total;
                    total += g.amount;
                    self.out.total += g.amount;
                    let date = if g.date == 0 { 20_250_101 } else { g.date };
                    let limit = law::limit(date, ct);
                    if let Some(l) = limit {
                        max_limit = Some(l.amount);
                    }
                    let base =
                        |code: crate::findings::Code, citation: &'static str, message: String, this: &Self| Flag {
                            line: g.line,
                            id: this.id_of(g),
                            code: code.as_str(),
                            severity: code.catalogue_severity().as_str(),
                            donor: d.display.clone(),
                            committee: format!("{cid} ({})", ct.as_str()),
                            period: period.to_string(),
                            date: g.date,
                            amount: g.amount,
                            aggregate: total,
                            limit: limit.map(|l| l.amount),
                            excess: Decimal::ZERO,
                            deadline: String::new(),
                            citation,
                            message,
                            status: "",
                        };
                    match limit {
                        Some(l) if total > l.amount && !over_flagged => {
                            over_flagged = true;
                            let excess = total - l.amount;
                            let deadline = fmt_date(add_days(date, 60));
                            let presume = ct == CommitteeType::Candidate && excess <= l.amount;
                            let message = if presume {
                                presumptive += excess;
                                format!(
                                    "Aggregate ${total} passes the ${} per-election limit ({}) by ${excess}. The excess is \
                                     presumptively redesignated to the next election or reattributed to a joint account \
                                     holder (11 CFR 110.1(b)(5), (k)(3)): notify the donor by {deadline}, who may ask for a refund.",
                                    l.amount, l.ruleset
                                )
                            } else {
                                over += excess;
                                format!(
                                    "Aggregate ${total} passes the ${} {} limit ({}) by ${excess}: refund the excess, or obtain \
                                     a written redesignation or reattribution, by {deadline} (60 days after receipt, 11 CFR 103.3(b)(3)).",
                                    l.amount,
                                    if l.per_election { "per-election" } else { "calendar-year" },
                                    l.ruleset
                                )
                            };
                            let mut f = base(crate::findings::Code::ExceedsLimit, l.citation, message, &self);
                            f.excess = excess;
                            f.deadline = deadline;
                            f.status = if presume { "presumptively_redesignated" } else { "excessive" };
                            self.out.flags.push(f);
                        }
                        Some(l) if total <= l.amount && over_flagged && g.amount < Decimal::ZERO => {
                            // A refund brought the donor back under: a later gift over the limit is flagged again.
                            over_flagged = false;
                        }
                        _ => {}
                    }
                    if !info_flagged
                        && g.flags & F_INFO_MISSING != 0
                        && before <= law::itemization_threshold(date)
                        && total > law::itemization_threshold(date)
                    {
                        info_flagged = true;
                        let message = if g.flags & F_INFO_REQUESTED != 0 {
                            format!("Aggregate ${total} is over $200 and employer/occupation reads \"information requested\": best efforts were made but the information is still missing; keep the record of the request and report any answer.")
                        } else {
                            format!("Aggregate ${total} is over $200 and employer or occupation is missing: make best efforts (one written or oral request within 30 days) to obtain it.")
                        };
                        let f = base(
                            crate::findings::Code::ItemizationInfoMissing,
                            "52 U.S.C. 30104(b)(3)(A); 11 CFR 104.7(b)",
                            message,
                            &self,
                        );
                        self.out.flags.push(f);
                    }
                    j += 1;
                }
                let cid = self.committees.get(c as usize).map(|c| c.0.clone()).unwrap_or_default();
                if let Some(l) = max_limit {
                    top.push((
                        d.display.clone(),
                        cid,
                        self.periods.get(p as usize).cloned().unwrap_or_default(),
                        total,
                        l,
                    ));
                    if top.len() > 200 {
                        top.sort_by(by_ratio);
                        top.truncate(20);
                    }
                }
                i = j;
            }
        }
        top.sort_by(by_ratio);
        top.truncate(20);
        self.out.top = top;
        // Possible duplicates: near identities, listed never merged (grouped by last name + ZIP5
        // and last + first name; each pair once, at most 1,000).
        let mut groups: FxMap<String, Vec<u32>> = FxMap::default();
        for (i, d) in donors.iter().enumerate() {
            if d.ident.last.is_empty() {
                continue;
            }
            groups.entry(format!("z|{}|{}", d.ident.name_key, d.ident.zip5)).or_default().push(i as u32);
            groups.entry(format!("n|{}|{}", d.ident.last, d.ident.first)).or_default().push(i as u32);
        }
        let mut pairs = std::collections::BTreeSet::new();
        for v in groups.values().filter(|v| v.len() > 1 && v.len() < 20) {
            for (k, &a) in v.iter().enumerate() {
                for &b in v.iter().skip(k + 1) {
                    if let (Some(da), Some(db)) = (donors.get(a as usize), donors.get(b as usize)) {
                        if law::near(&da.ident, &db.ident) && pairs.len() < 1000 {
                            pairs.insert((a.min(b), a.max(b)));
                        }
                    }
                }
            }
        }
        for (a, b) in pairs {
            if let (Some(da), Some(db)) = (donors.get(a as usize), donors.get(b as usize)) {
                let describe = |d: &Donor| format!("{} ({})", d.display, d.ident.zip5);
                if let Some(g) = db.gifts.first() {
                    self.out.flags.push(Flag {
                        line: g.line,
                        id: self.id_of(g),
                        code: crate::findings::Code::PossibleDuplicateDonor.as_str(),
                        severity: crate::findings::Code::PossibleDuplicateDonor.catalogue_severity().as_str(),
                        donor: describe(db),
                        committee: String::new(),
                        period: String::new(),
                        date: g.date,
                        amount: g.amount,
                        aggregate: Decimal::ZERO,
                        limit: None,
                        excess: Decimal::ZERO,
                        deadline: String::new(),
                        citation: "11 CFR 110.1(b)",
                        message: format!(
                            "May be the same person as {}: check; if so their gifts count together (not merged here).",
                            describe(da)
                        ),
                        status: "",
                    });
                }
                self.out.duplicates.push((describe(da), describe(db)));
            }
        }
        self.out.by_outcome.insert("within limits", self.out.total - over - presumptive);
        self.out.by_outcome.insert("presumptively redesignated", presumptive);
        self.out.by_outcome.insert("excessive (refund due)", over);
        self.out.flags.sort_by_key(|f| f.line);
        self.out
    }
}

type Top = (String, String, String, Decimal, Decimal);

/// Highest aggregate / limit first (compared by cross-multiplication; limits are positive).
fn by_ratio(a: &Top, b: &Top) -> std::cmp::Ordering {
    (b.3 * a.4).cmp(&(a.3 * b.4))
}

/// Writes the CSV of flagged rows: `row,id,code,severity,...`.
pub fn write_csv<W: Write>(out: &Outcome, mut w: W) -> io::Result<()> {
    writeln!(w, "row,id,code,severity,status,donor,committee,period,date,amount,aggregate,limit,excess,deadline,citation,message")?;
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for f in &out.flags {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
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
            q(&f.message)
        )?;
    }
    for (line, reason) in &out.unreadable {
        writeln!(w, "{line},,unreadable_row,error,,,,,,,,,,,,{}", q(reason))?;
    }
    Ok(())
}

/// The JSON summary.
pub fn summary_json(out: &Outcome) -> serde_json::Value {
    let mut codes: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for f in &out.flags {
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
    })
}

pub use report::html;
