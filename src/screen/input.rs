//! Reading what compliance staff really have: the bytes (UTF-8 with or without a BOM, UTF-16
//! from Excel's "Unicode text", Windows-1252 from Excel's plain "CSV"), CSV records (RFC 4180:
//! quoted cells with delimiters, doubled quotes and line breaks; comma, semicolon, tab or pipe),
//! the header names of the platforms' exports, amounts and dates as spreadsheets write them.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::{self, Read};
use std::str::FromStr;

/// A reader that turns UTF-16 (with its BOM) into UTF-8 and drops a UTF-8 BOM; anything else
/// passes through untouched.
pub struct Decoded<R> {
    inner: R,
    /// Bytes read ahead to look for a BOM, served first.
    head: Vec<u8>,
    head_pos: usize,
    /// `Some(little_endian)` for UTF-16.
    utf16: Option<bool>,
    /// An odd byte or a lone high surrogate waiting for the rest.
    carry: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
}

impl<R: Read> Decoded<R> {
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut head = vec![0u8; 4];
        let mut n = 0;
        while n < head.len() {
            match inner.read(head.get_mut(n..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        head.truncate(n);
        let (skip, utf16) = match head.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => (3, None),
            [0xFF, 0xFE, ..] => (2, Some(true)),
            [0xFE, 0xFF, ..] => (2, Some(false)),
            _ => (0, None),
        };
        Ok(Decoded { inner, head, head_pos: skip, utf16, carry: Vec::new(), out: Vec::new(), out_pos: 0 })
    }

    /// The first bytes of the input (after any BOM), for telling a workbook from text.
    pub fn head(&self) -> &[u8] {
        self.head.get(self.head_pos..).unwrap_or_default()
    }

    fn raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.head_pos < self.head.len() {
            let rest = self.head.get(self.head_pos..).unwrap_or_default();
            let n = rest.len().min(buf.len());
            buf.get_mut(..n).unwrap_or_default().copy_from_slice(rest.get(..n).unwrap_or_default());
            self.head_pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(le) = self.utf16 else { return self.raw(buf) };
        while self.out_pos >= self.out.len() {
            self.out.clear();
            self.out_pos = 0;
            let mut raw = [0u8; 1 << 14];
            let n = self.raw(&mut raw)?;
            if n == 0 {
                if !self.carry.is_empty() {
                    self.carry.clear();
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                    continue;
                }
                return Ok(0);
            }
            self.carry.extend_from_slice(raw.get(..n).unwrap_or_default());
            let units: Vec<u16> = self
                .carry
                .chunks_exact(2)
                .map(|p| match p {
                    [a, b] if le => u16::from_le_bytes([*a, *b]),
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0,
                })
                .collect();
            // Keep an odd byte, and a high surrogate at the end, for the next read.
            let mut take = units.len();
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                take -= 1;
            }
            for c in char::decode_utf16(units.iter().take(take).copied()) {
                let c = c.unwrap_or('\u{FFFD}');
                let mut b = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            self.carry.drain(..take * 2);
        }
        let rest = self.out.get(self.out_pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(rest.get(..n).unwrap_or_default());
        self.out_pos += n;
        Ok(n)
    }
}

/// What the first bytes say about a file that is not text at all.
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
    match head {
        [b'P', b'K', 3, 4, ..] => {
            Some("an Excel workbook (.xlsx) or another ZIP archive: save it as CSV (UTF-8) first")
        }
        [0xD0, 0xCF, 0x11, 0xE0, ..] => Some("an old Excel workbook (.xls): save it as CSV (UTF-8) first"),
        [0x1F, 0x8B, ..] => Some("gzip-compressed: decompress it first (gunzip)"),
        [b'%', b'P', b'D', b'F', ..] => Some("a PDF: export the contributions as CSV instead"),
        _ => None,
    }
}

/// A line's text: UTF-8, or else Windows-1252 (Excel's "CSV" on Windows), so "José" stays
/// José and not "Jos\u{FFFD}".
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH.get(usize::from(b - 0x80)).copied().unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// Whether a record read so far has an open quote (an odd number of `"`): RFC 4180 lets a
/// quoted cell hold line breaks, and a doubled quote counts twice.
pub fn open_quote(bytes: &[u8]) -> bool {
    bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1
}

/// Splits one CSV record (RFC 4180: quotes around a cell, `""` inside it, line breaks inside
/// quotes). Spaces before an opening quote are allowed (`a, "b"`).
pub fn split(record: &str, delim: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = record.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => cur.push(c),
            }
        } else if c == delim {
            out.push(std::mem::take(&mut cur));
            was_quoted = false;
        } else if c == '"' && !was_quoted && cur.trim().is_empty() {
            cur.clear();
            quoted = true;
            was_quoted = true;
        } else if c == '\r' && chars.peek().is_none() {
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

/// The delimiter of a header line: the one of `,` `;` tab `|` that splits it into the most
/// cells outside quotes (Excel writes `;` where the decimal mark is a comma, tab for "Unicode
/// text").
pub fn delimiter_candidates(header: &str) -> Vec<char> {
    let mut counts: Vec<(usize, char)> =
        [',', ';', '\t', '|'].iter().map(|&d| (split(header, d).len(), d)).filter(|(n, _)| *n > 1).collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    counts.into_iter().map(|(_, d)| d).collect()
}

/// A header name folded for matching: lower case, apostrophes dropped ("Donor's" = "donors"),
/// every other run of non-alphanumerics one `_` ("State / Province" = "state_province").
pub fn fold_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for c in s.trim().trim_start_matches('\u{feff}').chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('_');
            }
            sep = false;
            out.extend(c.to_lowercase());
        } else {
            sep = true;
        }
    }
    out
}

/// The fields a CSV export can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    TranId,
    First,
    Middle,
    Last,
    Suffix,
    Name,
    City,
    State,
    Postal,
    Country,
    Employer,
    Occupation,
    Amount,
    AmountCents,
    Date,
    Recipient,
    RecipientType,
    RecipientDesignation,
    RecipientName,
    Election,
    Method,
    Entity,
    Memo,
    TransactionType,
    Amendment,
    Status,
    Refund,
    MemoText,
}

pub const FIELDS: usize = 29;

/// The header names of each field, folded ([`fold_header`]), most specific first; a field takes
/// the first of them whose cell is not empty. Sources:
/// - FEC website Schedule A CSV download (openFEC `schedules/schedule_a` columns; the CSV's
///   order seen in public scripts that read it, e.g. `committee_id, committee_name, report_year,
///   report_type, image_number, line_number, transaction_id, file_number, entity_type, ...,
///   contributor_name, recipient_committee_type, recipient_committee_org_type,
///   recipient_committee_designation, contributor_first_name, contributor_middle_name,
///   contributor_last_name, contributor_suffix, contributor_street_1, ..., contributor_city,
///   contributor_state, contributor_zip, contributor_employer, contributor_occupation, ...,
///   receipt_type, ..., memo_code, memo_code_full, contribution_receipt_date,
///   contribution_receipt_amount, contributor_aggregate_ytd, ..., election_type,
///   election_type_full, fec_election_type_desc, fec_election_year, amendment_indicator, ...,
///   sub_id`): `sub_id` is the row's id, `transaction_id` the filer's (amendments replace it);
/// - ActBlue "all contributions" CSV (`Receipt ID, Date, Amount, Recurring Total Months, ...,
///   Recipient, ..., Donor First Name, Donor Last Name, Donor Addr1, Donor Addr2, Donor City,
///   Donor State, Donor ZIP, Donor Country, Donor Occupation, Donor Employer, ..., Check Number,
///   ..., Recipient Committee, Recipient ID, Recipient Gov ID, Recipient Election, ..., Refund ID,
///   Refund Date, ...`), and WinRed's export of the same shape (`Donor ...` columns);
/// - Donorbox donations export (`Name, Donating Company, Donor's First Name, Donor's Last Name,
///   Donor Email, ..., Amount, ..., Currency, Amount in USD, ..., Donated At, ..., Address,
///   Address 2, City, State / Province, Postal Code, Country, Employer, Occupation, Designation,
///   Receipt Id, Donation Type, ...`);
/// - Anedot (help.anedot.com, "Donation batch import": `Date` YYYY-MM-DD, `Amount in Dollars`,
///   `Source` credit_card / cash / check / in_kind, `Donor Type` individual / organization);
/// - NGP VAN / EveryAction contribution reports (`Contribution ID`, `VANID`, `Date Received`,
///   `Amount`, `Payment Method`);
/// - NationBuilder donations (its API and export: `amount_in_cents`, `succeeded_at`,
///   `billing_address_city`, `billing_address_state`, `billing_address_zip`,
///   `billing_address_country_code`, `employer`, `occupation`, `payment_type_name`);
/// - generic spreadsheets (`First Name`, `Last Name`, `Zip`, `Amount`, `Date`, ...).
pub const ALIASES: [(Field, &str, &[&str]); FIELDS] = [
    (
        Field::Id,
        "id",
        &[
            "sub_id",
            "receipt_id",
            "contribution_id",
            "donation_id",
            "gift_id",
            "order_id",
            "transaction_id",
            "id",
            "payment_id",
            "lineitem_id",
        ],
    ),
    (Field::TranId, "tran_id", &["transaction_id", "tran_id"]),
    (
        Field::First,
        "first",
        &[
            "contributor_first_name",
            "donor_first_name",
            "donors_first_name",
            "first_name",
            "firstname",
            "first",
            "given_name",
            "fname",
            "billing_first_name",
        ],
    ),
    (
        Field::Middle,
        "middle",
        &["contributor_middle_name", "donor_middle_name", "middle_name", "middle", "middle_initial"],
    ),
    (
        Field::Last,
        "last",
        &[
            "contributor_last_name",
            "donor_last_name",
            "donors_last_name",
            "last_name",
            "lastname",
            "last",
            "surname",
            "family_name",
            "lname",
            "billing_last_name",
        ],
    ),
    (Field::Suffix, "suffix", &["contributor_suffix", "donor_suffix", "suffix", "name_suffix"]),
    (
        Field::Name,
        "name",
        &["contributor_name", "donor_name", "full_name", "name", "contact_name", "display_name", "donor"],
    ),
    (
        Field::City,
        "city",
        &[
            "contributor_city",
            "donor_city",
            "billing_address_city",
            "billing_city",
            "city",
            "address_city",
            "addr_city",
            "mailing_city",
            "town",
        ],
    ),
    (
        Field::State,
        "state",
        &[
            "contributor_state",
            "donor_state",
            "billing_address_state",
            "billing_state",
            "state",
            "state_province",
            "state_province_region",
            "address_state",
            "addr_state",
            "mailing_state",
            "province",
            "region",
            "st",
        ],
    ),
    (
        Field::Postal,
        "postal",
        &[
            "contributor_zip",
            "donor_zip",
            "donor_zip_code",
            "billing_address_zip",
            "billing_zip",
            "zip",
            "zip_code",
            "zipcode",
            "postal_code",
            "zip_postal",
            "zip_postal_code",
            "postcode",
            "address_zip",
            "addr_zip",
            "mailing_zip",
        ],
    ),
    (
        Field::Country,
        "country",
        &[
            "contributor_country",
            "donor_country",
            "billing_address_country_code",
            "billing_address_country",
            "billing_country",
            "country",
            "country_code",
            "address_country",
            "addr_country",
            "mailing_country",
        ],
    ),
    (Field::Employer, "employer", &["contributor_employer", "donor_employer", "employer", "employer_name"]),
    (
        Field::Occupation,
        "occupation",
        &["contributor_occupation", "donor_occupation", "occupation", "job_title", "profession"],
    ),
    (
        Field::Amount,
        "amount",
        &[
            "contribution_receipt_amount",
            "amount_in_usd",
            "amount_in_dollars",
            "amount",
            "contribution_amount",
            "donation_amount",
            "gift_amount",
            "receipt_amount",
            "transaction_amount",
            "transaction_amt",
            "contb_receipt_amt",
            "amt",
            "total_amount",
            "gross_amount",
            "total",
        ],
    ),
    (Field::AmountCents, "amount_cents", &["amount_in_cents", "amount_cents"]),
    (
        Field::Date,
        "date",
        &[
            "contribution_receipt_date",
            "date",
            "contribution_date",
            "donation_date",
            "date_received",
            "received_date",
            "receipt_date",
            "gift_date",
            "donated_at",
            "succeeded_at",
            "transaction_date",
            "transaction_dt",
            "contb_receipt_dt",
            "payment_date",
            "paid_at",
            "received_at",
            "created_at",
            "date_created",
            "created_date",
        ],
    ),
    (
        Field::Recipient,
        "recipient",
        &[
            "committee_id",
            "recipient_gov_id",
            "fec_committee_id",
            "recipient_committee_id",
            "cmte_id",
            "fec_id",
            "recipient_id",
            "committee",
            "recipient_committee",
            "committee_name",
            "recipient",
        ],
    ),
    (Field::RecipientType, "recipient_type", &["recipient_committee_type", "committee_type", "cmte_tp", "cmte_type"]),
    (
        Field::RecipientDesignation,
        "recipient_designation",
        &["recipient_committee_designation", "committee_designation", "cmte_dsgn"],
    ),
    (
        Field::RecipientName,
        "recipient_name",
        &["committee_name", "recipient_committee_name", "recipient_committee", "recipient"],
    ),
    (
        Field::Election,
        "election",
        &[
            "election_type",
            "transaction_pgi",
            "election",
            "recipient_election",
            "election_code",
            "fec_election_type_desc",
        ],
    ),
    (
        Field::Method,
        "method",
        &["payment_method", "payment_type", "payment_type_name", "method", "donation_type", "tender_type", "source"],
    ),
    (
        Field::Entity,
        "entity",
        &["entity_type", "entity", "entity_tp", "donor_type", "contributor_type", "contact_type"],
    ),
    (Field::Memo, "memo", &["memo_code", "memo_cd", "memo"]),
    (Field::TransactionType, "transaction_type", &["receipt_type", "transaction_tp", "transaction_type"]),
    (Field::Amendment, "amendment", &["amendment_indicator", "amndt_ind", "amendment"]),
    (Field::Status, "status", &["status", "payment_status", "transaction_status", "donation_status"]),
    (
        Field::Refund,
        "refund",
        &["refund_id", "refund_date", "refunded_at", "refunded", "recovery_id", "recovery_date", "chargeback_date"],
    ),
    (Field::MemoText, "memo_text", &["memo_text", "memo_description"]),
];

/// Which columns of a header fill which field (each field: its candidate columns in order).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub columns: Vec<Vec<usize>>,
    pub width: usize,
    pub delim: char,
}

impl Mapping {
    /// The mapping of a header; `columns` (`--columns field=Header`) come before the aliases.
    /// An unknown field or a header that is not there is an error.
    pub fn new(header: &[String], overrides: &[(String, String)], delim: char) -> Result<Mapping, String> {
        let folded: Vec<String> = header.iter().map(|h| fold_header(h)).collect();
        let mut columns = vec![Vec::new(); FIELDS];
        for (field, col) in overrides {
            let Some(i) = ALIASES.iter().position(|(_, name, _)| *name == field.as_str()) else {
                let names: Vec<&str> = ALIASES.iter().map(|a| a.1).collect();
                return Err(format!("--columns: unknown field {field:?} (one of {})", names.join(", ")));
            };
            let want = fold_header(col);
            let Some(c) = folded.iter().position(|h| *h == want) else {
                return Err(format!("--columns: the header has no column {col:?}"));
            };
            if let Some(v) = columns.get_mut(i) {
                v.push(c);
            }
        }
        for (i, (_, _, names)) in ALIASES.iter().enumerate() {
            let Some(v) = columns.get_mut(i) else { continue };
            if !v.is_empty() {
                continue;
            }
            for n in *names {
                if let Some(c) = folded.iter().position(|h| h == n) {
                    if !v.contains(&c) {
                        v.push(c);
                    }
                }
            }
        }
        // The FEC's transaction_id is the filer's id of the row, replaced by an amendment; as
        // the row's own id it is only the last resort.
        Ok(Mapping { columns, width: header.len(), delim })
    }

    pub fn has(&self, f: Field) -> bool {
        self.columns.get(f as usize).is_some_and(|v| !v.is_empty())
    }

    /// The first non-empty cell of a field's columns.
    pub fn get<'c>(&self, cells: &'c [String], f: Field) -> &'c str {
        for &c in self.columns.get(f as usize).map_or(&[][..], |v| v.as_slice()) {
            if let Some(s) = cells.get(c).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                return s;
            }
        }
        ""
    }
}

/// An amount as spreadsheets write it: `1000`, `1,000.00`, `$1,000.00`, `-$25`, `$-25`,
/// `(25.00)` (accounting negative), `25-` , `USD 25`, `25,00` and `1.000,00` (decimal comma).
pub fn parse_amount(s: &str) -> Result<Decimal, String> {
    let bad = || format!("amount {s:?} is not a number");
    let mut t: String = s.trim().chars().filter(|c| !c.is_whitespace() && *c != '$' && *c != '\u{a0}').collect();
    for cur in ["USD", "usd", "US"] {
        if let Some(r) = t.strip_prefix(cur) {
            t = r.to_string();
        }
        if let Some(r) = t.strip_suffix(cur) {
            t = r.to_string();
        }
    }
    let mut neg = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        neg = true;
        t = inner.to_string();
    }
    if let Some(r) = t.strip_suffix('-') {
        neg = !neg;
        t = r.to_string();
    }
    if let Some(r) = t.strip_prefix('-') {
        neg = !neg;
        t = r.to_string();
    }
    if let Some(r) = t.strip_prefix('+') {
        t = r.to_string();
    }
    t = t.trim_start_matches('$').to_string();
    if let Some(r) = t.strip_prefix('-') {
        neg = !neg;
        t = r.to_string();
    }
    // A decimal comma: one comma followed by one or two digits and no other comma.
    let comma_decimal = t.matches(',').count() == 1
        && t.rsplit(',').next().is_some_and(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()));
    let t = if comma_decimal { t.replace('.', "").replace(',', ".") } else { t.replace(',', "") };
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad());
    }
    let d = Decimal::from_str(&t).map_err(|_| bad())?;
    Ok(if neg { -d } else { d })
}

fn check_date(y: u32, m: u32, d: u32) -> Option<u32> {
    ((1..=12).contains(&m) && (1..=super::days_in(y, m)).contains(&d) && y > 1900 && y < 2200)
        .then_some(y * 10_000 + m * 100 + d)
}

/// A two-digit year: 00-69 is 20xx, 70-99 is 19xx (the POSIX `%y` rule; FEC data starts in the
/// 1970s).
fn year(y: u32, digits: usize) -> u32 {
    match digits {
        2 if y < 70 => 2000 + y,
        2 => 1900 + y,
        _ => y,
    }
}

fn month_name(s: &str) -> Option<u32> {
    const M: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let l = s.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    if l.len() < 3 {
        return None;
    }
    M.iter().position(|m| l.starts_with(m)).map(|i| i as u32 + 1)
}

/// Dates in exports: `YYYY-MM-DD`, ISO date-time (`2024-01-15T10:00:00Z`, `2024-01-15
/// 10:00:00`: the date as written), `YYYY/MM/DD`, `MM/DD/YYYY` and `M/D/YY` (U.S. order; a
/// first number over 12 makes it `DD/MM/YYYY`), `MM-DD-YYYY`, `MMDDYYYY` (FEC), `YYYYMMDD`,
/// `15-Jan-2024`, `Jan 15, 2024`, `January 15 2024`. A time after the date is ignored.
pub fn parse_date(s: &str) -> Result<u32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    let bad = || format!("date {s:?} is not a date (YYYY-MM-DD, MM/DD/YYYY, MMDDYYYY)");
    // The date part: up to a 'T' after digits, or a space followed by a time.
    let date = match s.find(['T', ' ']) {
        Some(i)
            if s.get(..i)
                .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'/' || b == b'.')) =>
        {
            s.get(..i).unwrap_or(s)
        }
        _ => s,
    };
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = date.parse().map_err(|_| bad())?;
        let mmdd = check_date(n % 10_000, n / 1_000_000, (n / 10_000) % 100);
        let yyyy = check_date(n / 10_000, (n / 100) % 100, n % 100);
        return mmdd.or(yyyy).ok_or_else(bad);
    }
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let nums: Vec<Option<u32>> = parts.iter().map(|p| p.trim().parse::<u32>().ok()).collect();
    match (parts.as_slice(), nums.as_slice()) {
        ([a, _, _], [Some(y), Some(m), Some(d)]) if a.len() == 4 => return check_date(*y, *m, *d).ok_or_else(bad),
        ([_, _, c], [Some(m), Some(d), Some(y)]) if c.len() == 4 || c.len() == 2 => {
            let y = year(*y, c.len());
            // U.S. order unless the first number cannot be a month.
            return check_date(y, *m, *d)
                .or_else(|| if *m > 12 { check_date(y, *d, *m) } else { None })
                .ok_or_else(bad);
        }
        ([_, mon, c], [Some(d), None, Some(y)]) if c.len() == 4 || c.len() == 2 => {
            let m = month_name(mon).ok_or_else(bad)?;
            return check_date(year(*y, c.len()), m, *d).ok_or_else(bad);
        }
        _ => {}
    }
    // "Jan 15, 2024", "January 15 2024", "15 Jan 2024".
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if let [a, b, c, ..] = words.as_slice() {
        let y = c.parse::<u32>().ok().filter(|_| c.len() == 4);
        if let (Some(m), Ok(d), Some(y)) = (month_name(a), b.parse::<u32>(), y) {
            return check_date(y, m, d).ok_or_else(bad);
        }
        if let (Ok(d), Some(m), Some(y)) = (a.parse::<u32>(), month_name(b), y) {
            return check_date(y, m, d).ok_or_else(bad);
        }
    }
    Err(bad())
}

/// An election as exports write it, in the FEC's form (`P2024`, `G2024`, ...): `P2024` stays;
/// "primary", "2024 Primary", "General Election 2024", "runoff", "special", "convention" get
/// their letter and the year written, or else the gift's cycle (`year` rounded up to even).
pub fn election(s: &str, year: u32) -> String {
    let t = s.trim().to_ascii_uppercase();
    if t.is_empty() {
        return String::new();
    }
    let b = t.as_bytes();
    if b.len() == 5 && b.first().is_some_and(|c| c.is_ascii_alphabetic()) && b.iter().skip(1).all(u8::is_ascii_digit) {
        return t;
    }
    let letter = if t.contains("PRIMARY") || t == "P" {
        'P'
    } else if t.contains("GENERAL") || t == "G" {
        'G'
    } else if t.contains("RUNOFF") || t == "R" {
        'R'
    } else if t.contains("SPECIAL") || t == "S" {
        'S'
    } else if t.contains("CONVENTION") || t == "C" {
        'C'
    } else if t.contains("RECOUNT") || t == "E" {
        'E'
    } else {
        return t;
    };
    let written = t.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 4).and_then(|w| w.parse::<u32>().ok());
    format!("{letter}{}", written.unwrap_or(year + year % 2))
}
