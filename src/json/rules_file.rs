//! The ruleset reader: a ruleset file's tree (the same parser as submissions, [`super::read`])
//! walked by hand into [`RulesetData`], in every build. It replaces serde's derived
//! `Deserialize` behind serde_path_to_error, which was a third of the wasm (issue 9), and keeps
//! its answers: the JSON path of the first problem in document order (`limits.pac`,
//! `attestations[1].id`, `.` for the whole file) and serde's words for it (`missing field
//! `id``, `unknown field `x`, expected one of ...`, `invalid type: string "x", expected a
//! boolean`, `unknown variant ...`). The positions serde_json added to those words (`at line 3
//! column 5`) are not kept: the path names the place.

use super::read::{any_tree, dotted, Seg, J};
use crate::findings::{Code, Severity};
use crate::map::VecMap;
use crate::model::{Citizenship, RecipientType, Wire};
use crate::ruleset::{
    Attestation, Cycle, Eligibility, Enjoined, FindingSpec, Limit, LimitEntry, Period, Required, RulesetData,
};
use rust_decimal::Decimal;

/// Where and what: the path as serde_path_to_error printed it, the message, and the file's `id`
/// when the tree has a string one.
pub(crate) struct ReadError {
    pub path: String,
    pub message: String,
    pub id: Option<String>,
}

type R<T> = Result<T, String>;

/// What [`fields`] calls for each member: the field's index, its value, the path to it.
type Take<'a> = &'a mut dyn FnMut(usize, J, &mut Vec<Seg>) -> R<()>;

/// Reads a ruleset file's text into its data (not yet validated: [`crate::Ruleset::load`]).
pub(crate) fn ruleset_data(text: &str) -> Result<RulesetData, ReadError> {
    let mut trail = Vec::new();
    let tree = match any_tree(text, &mut trail) {
        Ok(t) => t,
        Err(e) => {
            trail.reverse();
            return Err(ReadError { path: path_text(&trail), message: e.message(), id: None });
        }
    };
    let id = match &tree {
        J::Obj(members) => members.iter().rev().find(|(k, _)| k == "id").and_then(|(_, v)| match v {
            J::Str(s) => Some(s.clone()),
            _ => None,
        }),
        _ => None,
    };
    let mut path = Vec::new();
    data(tree, &mut path).map_err(|message| ReadError { path: path_text(&path), message, id })
}

/// `a.b[2].c`; `.` for the top.
fn path_text(segs: &[Seg]) -> String {
    if segs.is_empty() {
        return ".".to_owned();
    }
    dotted(segs)
}

/// serde's words for a value of the wrong kind.
fn unexpected(j: &J) -> String {
    match j {
        J::Null => "null".to_owned(),
        J::Bool(b) => format!("boolean `{b}`"),
        J::Num(v) => {
            let text = crate::model::number_text(*v);
            if v.fract() == 0.0 && v.abs() < 1e19 && !text.contains(['e', 'E', '.']) {
                format!("integer `{text}`")
            } else if text.contains(['.', 'e', 'E']) {
                format!("floating point `{text}`")
            } else {
                format!("floating point `{text}.0`")
            }
        }
        J::Str(s) => format!("string {s:?}"),
        J::Arr(_) => "sequence".to_owned(),
        J::Obj(_) => "map".to_owned(),
    }
}

fn invalid_type(j: &J, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(j))
}

/// serde's list of names: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn names(list: &[&str]) -> String {
    let mut m = String::new();
    if list.len() > 2 {
        m.push_str("one of ");
    }
    for (i, f) in list.iter().enumerate() {
        if i > 0 {
            m.push_str(if list.len() == 2 { " or " } else { ", " });
        }
        m.push('`');
        m.push_str(f);
        m.push('`');
    }
    m
}

/// The walk over one struct's members (serde's derive): an unknown key is refused at the key
/// (its path includes it), a second occurrence at the struct, then the value; afterwards the
/// first missing required field (`required`: a bit per field) in declaration order.
fn fields(
    j: J,
    path: &mut Vec<Seg>,
    what: &str,
    fields: &'static [&'static str],
    required: u32,
    take: Take<'_>,
) -> R<()> {
    let list = match j {
        J::Obj(list) => list,
        other => return Err(invalid_type(&other, what)),
    };
    let mut seen = 0u32;
    for (key, value) in list {
        let Some(i) = fields.iter().position(|f| *f == key) else {
            let m = format!("unknown field `{key}`, expected {}", names(fields));
            path.push(Seg::Key(key));
            return Err(m);
        };
        if seen & (1 << i) != 0 {
            return Err(format!("duplicate field `{key}`"));
        }
        seen |= 1 << i;
        path.push(Seg::Key(key));
        take(i, value, path)?;
        path.pop();
    }
    match fields.iter().enumerate().find(|(i, _)| required & (1 << i) != 0 && seen & (1 << i) == 0) {
        Some((_, f)) => Err(format!("missing field `{f}`")),
        None => Ok(()),
    }
}

fn string(j: J) -> R<String> {
    match j {
        J::Str(s) => Ok(s),
        other => Err(invalid_type(&other, "a string")),
    }
}

fn opt_string(j: J) -> R<Option<String>> {
    match j {
        J::Null => Ok(None),
        other => string(other).map(Some),
    }
}

fn boolean(j: J) -> R<bool> {
    match j {
        J::Bool(b) => Ok(b),
        other => Err(invalid_type(&other, "a boolean")),
    }
}

/// rust_decimal's serde reading: a string (plain or scientific) or a number.
fn decimal(j: J) -> R<Decimal> {
    const WHAT: &str = "a Decimal type representing a fixed-point number";
    match j {
        // `from_str`, else `from_scientific`, as serde's reading was: `decimal` is `from_str`, and
        // a text `from_str` refuses `from_scientific` refuses too (the test in money.rs).
        J::Str(s) => crate::money::decimal(&s).ok_or_else(|| format!("invalid value: string {s:?}, expected {WHAT}")),
        J::Num(v) => crate::money::decimal(&crate::model::number_text(v))
            .ok_or_else(|| format!("invalid value: {}, expected {WHAT}", unexpected(&J::Num(v)))),
        other => Err(invalid_type(&other, WHAT)),
    }
}

fn seq<T>(j: J, path: &mut Vec<Seg>, mut item: impl FnMut(J, &mut Vec<Seg>) -> R<T>) -> R<Vec<T>> {
    let items = match j {
        J::Arr(items) => items,
        other => return Err(invalid_type(&other, "a sequence")),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, j) in items.into_iter().enumerate() {
        path.push(Seg::Index(i));
        out.push(item(j, path)?);
        path.pop();
    }
    Ok(out)
}

/// A map; a key read by `key` (its errors name the key), a later duplicate replacing the
/// earlier value, as in a `BTreeMap`.
fn map<K: Ord, V>(
    j: J,
    path: &mut Vec<Seg>,
    mut key: impl FnMut(&str) -> R<K>,
    mut value: impl FnMut(J, &mut Vec<Seg>) -> R<V>,
) -> R<VecMap<K, V>> {
    let list = match j {
        J::Obj(list) => list,
        other => return Err(invalid_type(&other, "a map")),
    };
    let mut out = VecMap::new();
    for (k, v) in list {
        let name = key(&k);
        path.push(Seg::Key(k));
        out.insert(name?, value(v, path)?);
        path.pop();
    }
    Ok(out)
}

fn strings(j: J, path: &mut Vec<Seg>) -> R<VecMap<String, String>> {
    map(j, path, |k| Ok(k.to_owned()), |v, _| string(v))
}

/// A serde `rename_all = "snake_case"` unit enum: its variant names, in order.
fn variant(s: &str, names_: &[&str]) -> R<usize> {
    names_.iter().position(|n| *n == s).ok_or_else(|| format!("unknown variant `{s}`, expected {}", names(names_)))
}

fn unit_enum(j: J, what: &str, names_: &[&str]) -> R<usize> {
    match j {
        J::Str(s) => variant(&s, names_),
        other => Err(invalid_type(&other, what)),
    }
}

/// The engine's own enumerations (the submission's): blank or unknown is `not_in_enum`.
fn wire<T: Wire>(s: &str) -> R<T> {
    let list = || T::ALL.iter().map(|v| v.wire()).collect::<Vec<_>>().join(", ");
    T::from_wire(s).ok_or_else(|| format!("{}: not one of {}", crate::error::NOT_IN_ENUM, list()))
}

fn wire_value<T: Wire>(j: J) -> R<T> {
    match j {
        J::Str(s) => wire(&s),
        other => {
            let list = T::ALL.iter().map(|v| v.wire()).collect::<Vec<_>>().join(", ");
            Err(invalid_type(&other, &format!("one of {list}")))
        }
    }
}

const PERIODS: &[&str] = &["election", "calendar_year", "cycle", "none"];
const PERIOD_VALUES: [Period; 4] = [Period::Election, Period::CalendarYear, Period::Cycle, Period::None];

fn period(j: J) -> R<Period> {
    let i = unit_enum(j, "enum Period", PERIODS)?;
    PERIOD_VALUES.get(i).copied().ok_or_else(String::new)
}

fn severity(j: J) -> R<Severity> {
    match unit_enum(j, "enum Severity", &["reject", "review", "info"])? {
        0 => Ok(Severity::Reject),
        1 => Ok(Severity::Review),
        _ => Ok(Severity::Info),
    }
}

fn code(s: &str) -> R<Code> {
    let wires: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let i = variant(s, &wires)?;
    Code::ALL.get(i).copied().ok_or_else(String::new)
}

fn data(j: J, path: &mut Vec<Seg>) -> R<RulesetData> {
    const FIELDS: &[&str] = &[
        "id",
        "title",
        "cycle",
        "languages",
        "currency",
        "eligibility",
        "limits",
        "itemization_threshold",
        "itemization_period",
        "cash_limit",
        "amount_ceiling",
        "attestations",
        "findings",
        "prompts",
        "notes",
        "enjoined",
    ];
    // id, title, currency, limits, itemization_threshold, cash_limit, amount_ceiling,
    // attestations, findings.
    const REQUIRED: u32 = 1 | 1 << 1 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12;
    let mut d = RulesetData {
        id: String::new(),
        title: String::new(),
        cycle: None,
        languages: vec!["en".to_owned()],
        currency: String::new(),
        eligibility: None,
        limits: VecMap::new(),
        itemization_threshold: Decimal::ZERO,
        itemization_period: None,
        cash_limit: Decimal::ZERO,
        amount_ceiling: Decimal::ZERO,
        attestations: Vec::new(),
        findings: VecMap::new(),
        prompts: VecMap::new(),
        notes: Vec::new(),
        enjoined: Vec::new(),
    };
    fields(j, path, "struct RulesetData", FIELDS, REQUIRED, &mut |i, v, p| {
        match i {
            0 => d.id = string(v)?,
            1 => d.title = string(v)?,
            2 => d.cycle = if matches!(v, J::Null) { None } else { Some(cycle(v, p)?) },
            3 => d.languages = seq(v, p, |j, _| string(j))?,
            4 => d.currency = string(v)?,
            5 => d.eligibility = if matches!(v, J::Null) { None } else { Some(eligibility(v, p)?) },
            6 => d.limits = map(v, p, wire::<RecipientType>, limit_entry)?,
            7 => d.itemization_threshold = decimal(v)?,
            8 => {
                d.itemization_period =
                    if matches!(v, J::Null) { None } else { Some(map(v, p, wire::<RecipientType>, |j, _| period(j))?) }
            }
            9 => d.cash_limit = decimal(v)?,
            10 => d.amount_ceiling = decimal(v)?,
            11 => d.attestations = seq(v, p, attestation)?,
            12 => d.findings = map(v, p, code, finding)?,
            13 => d.prompts = map(v, p, |k| Ok(k.to_owned()), strings)?,
            14 => d.notes = seq(v, p, |j, _| string(j))?,
            _ => d.enjoined = seq(v, p, enjoined)?,
        }
        Ok(())
    })?;
    Ok(d)
}

fn cycle(j: J, path: &mut Vec<Seg>) -> R<Cycle> {
    let mut c = Cycle { start: String::new(), end: String::new() };
    fields(j, path, "struct Cycle", &["start", "end"], 0b11, &mut |i, v, _| {
        match i {
            0 => c.start = string(v)?,
            _ => c.end = string(v)?,
        }
        Ok(())
    })?;
    Ok(c)
}

fn eligibility(j: J, path: &mut Vec<Seg>) -> R<Eligibility> {
    let mut e = Eligibility { home: Vec::new(), abroad: Vec::new(), organizations: false };
    fields(j, path, "struct Eligibility", &["home", "abroad", "organizations"], 0b111, &mut |i, v, p| {
        match i {
            0 => e.home = seq(v, p, |j, _| wire_value::<Citizenship>(j))?,
            1 => e.abroad = seq(v, p, |j, _| wire_value::<Citizenship>(j))?,
            _ => e.organizations = boolean(v)?,
        }
        Ok(())
    })?;
    Ok(e)
}

/// A limit, `null` (no limit) or `"not_covered"`. A limit's own problem is named inside the
/// message (`per: unknown variant ...`), the path staying at the recipient type, as the loader
/// has always said it.
fn limit_entry(j: J, _: &mut Vec<Seg>) -> R<LimitEntry> {
    match j {
        J::Null => Ok(LimitEntry::Unlimited),
        J::Str(s) if s == "not_covered" => Ok(LimitEntry::NotCovered),
        J::Obj(members) => {
            // It went through a `serde_json::Value` first: keys sorted, a duplicate's last value.
            let sorted: VecMap<String, J> = members.into_iter().collect();
            let mut inner = Vec::new();
            limit(J::Obj(sorted.into_iter().collect()), &mut inner)
                .map(LimitEntry::Limited)
                .map_err(|m| format!("{}: {m}", path_text(&inner)))
        }
        _ => Err("expected {\"amount\": ..., \"per\": ...}, null (no limit) or \"not_covered\"".to_owned()),
    }
}

fn limit(j: J, path: &mut Vec<Seg>) -> R<Limit> {
    let mut l = Limit { amount: Decimal::ZERO, per: Period::None, citation: None };
    fields(j, path, "struct Limit", &["amount", "per", "citation"], 0b11, &mut |i, v, _| {
        match i {
            0 => l.amount = decimal(v)?,
            1 => l.per = period(v)?,
            _ => l.citation = opt_string(v)?,
        }
        Ok(())
    })?;
    Ok(l)
}

fn attestation(j: J, path: &mut Vec<Seg>) -> R<Attestation> {
    let mut a = Attestation {
        id: String::new(),
        required: Required::Always,
        text: String::new(),
        texts: VecMap::new(),
        citation: None,
    };
    fields(j, path, "struct Attestation", &["id", "required", "text", "texts", "citation"], 0b111, &mut |i, v, p| {
        match i {
            0 => a.id = string(v)?,
            1 => {
                a.required = if unit_enum(v, "enum Required", &["always", "card"])? == 0 {
                    Required::Always
                } else {
                    Required::Card
                }
            }
            2 => a.text = string(v)?,
            3 => a.texts = strings(v, p)?,
            _ => a.citation = opt_string(v)?,
        }
        Ok(())
    })?;
    Ok(a)
}

fn finding(j: J, path: &mut Vec<Seg>) -> R<FindingSpec> {
    let mut f = FindingSpec {
        severity: Severity::Reject,
        safe_harbor_severity: None,
        citation: None,
        message: String::new(),
        messages: VecMap::new(),
    };
    let names_ = &["severity", "safe_harbor_severity", "citation", "message", "messages"];
    fields(j, path, "struct FindingSpec", names_, 0b1001, &mut |i, v, p| {
        match i {
            0 => f.severity = severity(v)?,
            1 => f.safe_harbor_severity = if matches!(v, J::Null) { None } else { Some(severity(v)?) },
            2 => f.citation = opt_string(v)?,
            3 => f.message = string(v)?,
            _ => f.messages = strings(v, p)?,
        }
        Ok(())
    })?;
    Ok(f)
}

fn enjoined(j: J, path: &mut Vec<Seg>) -> R<Enjoined> {
    let mut e = Enjoined { law: String::new(), status: String::new(), citation: None };
    fields(j, path, "struct Enjoined", &["law", "status", "citation"], 0b11, &mut |i, v, _| {
        match i {
            0 => e.law = string(v)?,
            1 => e.status = string(v)?,
            _ => e.citation = opt_string(v)?,
        }
        Ok(())
    })?;
    Ok(e)
}
