//! Rulesets are data: limits, thresholds, attestation texts, severities, citations and the
//! donor-facing messages of one jurisdiction and cycle, in a JSON file embedded at build time.
//! A new cycle is a new file `src/rulesets/<id>.json`, embedded by `build.rs`: no new code.

use crate::canonical::write_json_string;
use crate::findings::{Code, Severity};
use crate::map::VecMap;
use crate::model::{Citizenship, Language, RecipientType};
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::sync::{OnceLock, RwLock};

/// The rulesets compiled into this build, by id (file stem), sorted: every `src/rulesets/*.json`,
/// as listed by `build.rs`.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rulesets.rs"));

/// The id used when a submission names neither a ruleset nor a date.
pub const DEFAULT_RULESET: &str = "us-federal-2025-2026";

/// The languages a finding message can be in. `en` is the `message` field; the others are keys
/// of `messages`.
pub const LANGUAGES: &[&str] = &["en", "es"];

/// The prompts a ruleset may word: the hint under the citizenship question, and the one under
/// the passport number asked of a donor with an address abroad.
pub const PROMPTS: &[&str] = &["citizenship_hint", "passport_hint"];

/// The ruleset file, exactly as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulesetData {
    pub id: String,
    pub title: String,
    /// The first and last day (`YYYY-MM-DD`, inclusive) this ruleset's law applies to a gift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<Cycle>,
    /// The languages every finding message is given in (`en` always).
    #[serde(skip_serializing_if = "is_default_languages")]
    pub languages: Vec<String>,
    pub currency: String,
    /// Who may give, by citizenship, at home and abroad, and whether organizations may.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Eligibility>,
    /// Every recipient type: a limit, `null` (no limit) or `"not_covered"` (this ruleset does
    /// not apply to that recipient; a submission naming it is refused).
    pub limits: VecMap<RecipientType, LimitEntry>,
    pub itemization_threshold: Decimal,
    /// The period the itemization aggregate runs over, for every recipient type (`cycle`,
    /// `calendar_year` or `election`). Absent: the federal reading, per election cycle for a
    /// candidate and per calendar year for everyone else (11 CFR 104.3(a)(4)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub itemization_period: Option<VecMap<RecipientType, Period>>,
    pub cash_limit: Decimal,
    pub amount_ceiling: Decimal,
    pub attestations: Vec<Attestation>,
    pub findings: VecMap<Code, FindingSpec>,
    /// What a form says beside the questions it adds, by prompt and language: it states the
    /// law, so it lives here, not in the widget. Known prompts: [`PROMPTS`].
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub prompts: VecMap<String, VecMap<String, String>>,
    /// What the author read, for the compliance officer (never shown to donors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Laws of this jurisdiction that a court has enjoined: flagged here, not enforced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enjoined: Vec<Enjoined>,
}

fn is_default_languages(v: &[String]) -> bool {
    v.len() == 1 && v.first().is_some_and(|l| l == "en")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cycle {
    pub start: String,
    pub end: String,
}

/// Which citizenship statuses may give with a U.S. address (`home`) and with an address abroad
/// (`abroad`). A status missing from `home` is `foreign_national`; a permanent resident missing
/// from `abroad` is `resides_abroad` (at that code's severity). Citizens and nationals abroad
/// always go through the passport rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    pub home: Vec<Citizenship>,
    pub abroad: Vec<Citizenship>,
    pub organizations: bool,
}

impl Eligibility {
    /// The federal reading (52 U.S.C. 30121, 11 CFR 110.20) when a file gives none.
    pub fn federal() -> Eligibility {
        Eligibility {
            home: vec![Citizenship::UsCitizen, Citizenship::UsNational, Citizenship::PermanentResident],
            abroad: vec![Citizenship::UsCitizen, Citizenship::UsNational],
            organizations: false,
        }
    }
}

/// A law the ruleset does not enforce because a court has stopped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Enjoined {
    pub law: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// A contribution limit and the period it runs over.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub amount: Decimal,
    pub per: Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// What a ruleset says about one recipient type.
#[derive(Debug, Clone, PartialEq)]
pub enum LimitEntry {
    Limited(Limit),
    /// `null`: no limit.
    Unlimited,
    /// `"not_covered"`: this ruleset does not apply to the recipient type.
    NotCovered,
}

impl Serialize for LimitEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LimitEntry::Limited(l) => l.serialize(serializer),
            LimitEntry::Unlimited => serializer.serialize_none(),
            LimitEntry::NotCovered => serializer.serialize_str("not_covered"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Each election (primary, general, ...) separately.
    Election,
    /// The calendar year of the gift.
    CalendarYear,
    /// The ruleset's whole cycle.
    Cycle,
    /// No period: the limit applies to each contribution alone (prior totals are not added).
    None,
}

impl Period {
    /// The wire name (the finding's `period` param).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Election => "election",
            Period::CalendarYear => "calendar_year",
            Period::Cycle => "cycle",
            Period::None => "none",
        }
    }

    /// How the period reads in a sentence ("per {per}"), in English.
    pub fn words(self) -> &'static str {
        self.words_in(Language::En)
    }

    /// How the period reads in a sentence ("per {per}" / "por {per}").
    pub fn words_in(self, lang: Language) -> &'static str {
        match (lang, self) {
            (Language::En, Period::Election) => "election",
            (Language::En, Period::CalendarYear) => "calendar year",
            (Language::En, Period::Cycle) => "election cycle",
            (Language::En, Period::None) => "contribution",
            (Language::Es, Period::Election) => "elección",
            (Language::Es, Period::CalendarYear) => "año calendario",
            (Language::Es, Period::Cycle) => "ciclo electoral",
            (Language::Es, Period::None) => "contribución",
        }
    }
}

/// A statement the donor affirms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub id: String,
    pub required: Required,
    /// The statement in English: the attestation version digest is over these texts only, so
    /// a translation never changes what the donor affirmed (RULES.md).
    pub text: String,
    /// The same statement in the file's other languages, by language code (`es`): every
    /// language the file declares must have one.
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub texts: VecMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

impl Attestation {
    /// The statement in a language, English when the file has none for it.
    pub fn text_in(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.text,
            other => self.texts.get(crate::model::Wire::wire(other)).map_or(&self.text, String::as_str),
        }
    }
}

/// When an attestation is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Required {
    Always,
    /// Only when `contribution.method` is exactly `card`.
    Card,
}

/// What a finding code means in this ruleset.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingSpec {
    pub severity: Severity,
    /// The severity when the safe harbor applies (a valid U.S. passport from an overseas
    /// citizen): `foreign_payment` drops to info.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_harbor_severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Donor-facing, in English; the placeholders of [`placeholders`] are filled in.
    pub message: String,
    /// The same message in the file's other languages, by language code (`es`).
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub messages: VecMap<String, String>,
}

impl FindingSpec {
    /// The message in a language, English when the file has none for it.
    pub fn message_in(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.message,
            other => self.messages.get(crate::model::Wire::wire(other)).map_or(&self.message, String::as_str),
        }
    }
}

/// The placeholders a code's message may use.
pub fn placeholders(code: Code) -> &'static [&'static str] {
    match code {
        Code::ExceedsLimit => &["limit", "per", "remaining"],
        Code::CashLimit => &["limit"],
        Code::ItemizationInfoMissing => &["threshold"],
        _ => &[],
    }
}

/// The first problem with a text given per language (a prompt's, or a statement's translations
/// beside its English `text` when `with_en` is false): a declared language missing or empty, or
/// a language the file does not declare (or English, when English is the `text`). `None`: fine.
fn translation_problem(
    texts: &VecMap<String, String>,
    languages: &[String],
    with_en: bool,
    what: &str,
) -> Option<(String, String)> {
    for lang in languages.iter().filter(|l| with_en || *l != "en") {
        match texts.get(lang) {
            None => return Some((lang.clone(), "missing: the file declares this language".to_owned())),
            Some(t) if t.trim().is_empty() => return Some((lang.clone(), format!("empty {what}"))),
            Some(_) => {}
        }
    }
    texts.keys().find(|l| !languages.contains(l) || (!with_en && *l == "en")).map(|lang| {
        let message = if lang == "en" && !with_en {
            format!("English is the {what}'s `text`")
        } else {
            "a language the file does not declare in `languages`".to_owned()
        };
        (lang.clone(), message)
    })
}

/// A loaded ruleset with its computed digests.
#[derive(Debug, Clone, PartialEq)]
pub struct Ruleset {
    pub data: RulesetData,
    /// `sha256:` + hex SHA-256 of the ruleset's compact JSON (fields in file order, maps sorted).
    pub digest: String,
    /// `sha256:` + hex SHA-256 of the attestation texts, each followed by `\n` (RULES.md).
    pub attestation_digest: String,
    specs: Vec<FindingSpec>,
    eligibility: Eligibility,
}

/// What `donation-guard rules` and `ruleset()` print.
#[derive(Serialize)]
struct RulesetDoc<'a> {
    digest: &'a str,
    attestation_digest: &'a str,
    #[serde(flatten)]
    data: &'a RulesetData,
}

/// Why a ruleset file cannot be used: where (the file or origin, the ruleset id when known, the
/// JSON path inside the file) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetError {
    /// The file name or other origin given to the loader.
    pub origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A JSON path such as `limits.candidate.per` or `findings.exceeds_limit.messages.es`
    /// (`.` for the whole file).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for RulesetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(id) = &self.id {
            write!(f, " (ruleset {id})")?;
        }
        write!(f, ": at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for RulesetError {}

impl RulesetError {
    /// `{"error": {"code": "invalid_ruleset", "origin", "id"?, "path", "message"}}`, one line.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"error\":{\"code\":\"invalid_ruleset\",\"origin\":");
        write_json_string(&mut out, &self.origin);
        if let Some(id) = &self.id {
            out.push_str(",\"id\":");
            write_json_string(&mut out, id);
        }
        out.push_str(",\"path\":");
        write_json_string(&mut out, &self.path);
        out.push_str(",\"message\":");
        write_json_string(&mut out, &self.message);
        out.push_str("}}");
        out
    }
}

/// A `YYYY-MM-DD` date of the proleptic Gregorian calendar.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl Ruleset {
    /// Loads a ruleset from its JSON text (origin `"<input>"`).
    pub fn from_json(text: &str) -> Result<Ruleset, RulesetError> {
        Ruleset::load(text, "<input>")
    }

    /// Loads and validates a ruleset; `origin` names the file in errors.
    pub fn load(text: &str, origin: &str) -> Result<Ruleset, RulesetError> {
        let err = |id: Option<&str>, path: &str, message: String| RulesetError {
            origin: origin.to_owned(),
            id: id.map(str::to_owned),
            path: path.to_owned(),
            message,
        };
        let data = crate::json::rules_file::ruleset_data(text).map_err(|e| err(e.id.as_deref(), &e.path, e.message))?;
        let id = Some(data.id.as_str());
        if data.id.trim().is_empty() || !data.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(err(None, "id", "an id is letters, digits, '-' and '_'".to_owned()));
        }
        if let Some(c) = &data.cycle {
            for (path, d) in [("cycle.start", &c.start), ("cycle.end", &c.end)] {
                if !valid_date(d) {
                    return Err(err(id, path, "not a YYYY-MM-DD date".to_owned()));
                }
            }
            if c.start > c.end {
                return Err(err(id, "cycle", "start is after end".to_owned()));
            }
        }
        if !data.languages.iter().any(|l| l == "en") {
            return Err(err(id, "languages", "must include \"en\" (the `message` field)".to_owned()));
        }
        for (i, l) in data.languages.iter().enumerate() {
            if !LANGUAGES.contains(&l.as_str()) {
                return Err(err(
                    id,
                    &format!("languages[{i}]"),
                    format!("unknown language; known: {}", LANGUAGES.join(", ")),
                ));
            }
        }
        for t in <RecipientType as crate::model::Wire>::ALL {
            if !data.limits.contains_key(t) {
                return Err(err(
                    id,
                    &format!("limits.{t}"),
                    "missing: give a limit {\"amount\", \"per\"}, null for no limit, or \"not_covered\"".to_owned(),
                ));
            }
        }
        if let Some(periods) = &data.itemization_period {
            for t in <RecipientType as crate::model::Wire>::ALL {
                match periods.get(t) {
                    None => {
                        return Err(err(
                            id,
                            &format!("itemization_period.{t}"),
                            "missing: give the period for every recipient type (cycle, calendar_year or election)"
                                .to_owned(),
                        ))
                    }
                    Some(Period::None) => {
                        return Err(err(
                            id,
                            &format!("itemization_period.{t}"),
                            "the itemization aggregate runs over a period: cycle, calendar_year or election".to_owned(),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        for (name, texts) in &data.prompts {
            if !PROMPTS.contains(&name.as_str()) {
                return Err(err(
                    id,
                    &format!("prompts.{name}"),
                    format!("unknown prompt; known: {}", PROMPTS.join(", ")),
                ));
            }
            if let Some((lang, message)) = translation_problem(texts, &data.languages, true, "prompt") {
                return Err(err(id, &format!("prompts.{name}.{lang}"), message));
            }
        }
        for (i, a) in data.attestations.iter().enumerate() {
            if data.attestations.iter().take(i).any(|b| b.id == a.id) {
                return Err(err(id, &format!("attestations[{i}].id"), format!("duplicate attestation id {:?}", a.id)));
            }
            if a.text.trim().is_empty() {
                return Err(err(id, &format!("attestations[{i}].text"), "empty statement".to_owned()));
            }
            if let Some((lang, message)) = translation_problem(&a.texts, &data.languages, false, "statement") {
                return Err(err(id, &format!("attestations[{i}].texts.{lang}"), message));
            }
        }
        let mut specs = Vec::with_capacity(Code::ALL.len());
        for code in Code::ALL {
            let Some(spec) = data.findings.get(code) else {
                return Err(err(
                    id,
                    &format!("findings.{}", code.as_str()),
                    "missing: every finding code needs an entry".to_owned(),
                ));
            };
            let known = placeholders(*code);
            let mut texts = vec![("message".to_owned(), spec.message.as_str())];
            for lang in &data.languages {
                if lang == "en" {
                    continue;
                }
                match spec.messages.get(lang) {
                    Some(m) => texts.push((format!("messages.{lang}"), m.as_str())),
                    None => {
                        return Err(err(
                            id,
                            &format!("findings.{}.messages.{lang}", code.as_str()),
                            "missing: the file declares this language".to_owned(),
                        ))
                    }
                }
            }
            for lang in spec.messages.keys() {
                if !data.languages.contains(lang) {
                    return Err(err(
                        id,
                        &format!("findings.{}.messages.{lang}", code.as_str()),
                        "a language the file does not declare in `languages`".to_owned(),
                    ));
                }
            }
            for (where_, text) in texts {
                if text.trim().is_empty() {
                    return Err(err(id, &format!("findings.{}.{where_}", code.as_str()), "empty message".to_owned()));
                }
                if let Some(bad) = unknown_placeholder(text, known) {
                    return Err(err(
                        id,
                        &format!("findings.{}.{where_}", code.as_str()),
                        format!(
                            "unknown placeholder {{{bad}}}; this code knows: {}",
                            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                        ),
                    ));
                }
            }
            specs.push(spec.clone());
        }
        let digest = sha256_tagged(data_json(&data).as_bytes());
        let mut texts = String::new();
        for a in &data.attestations {
            texts.push_str(&a.text);
            texts.push('\n');
        }
        let attestation_digest = sha256_tagged(texts.as_bytes());
        let eligibility = data.eligibility.clone().unwrap_or_else(Eligibility::federal);
        Ok(Ruleset { data, digest, attestation_digest, specs, eligibility })
    }

    pub fn id(&self) -> &str {
        &self.data.id
    }

    /// The entry for a finding code (every code has one: [`Ruleset::load`] checks).
    pub fn spec(&self, code: Code) -> &FindingSpec {
        self.specs.get(code as usize).unwrap_or(&FALLBACK)
    }

    /// The limit for a recipient type; `None` when unlimited or not covered.
    pub fn limit(&self, recipient: RecipientType) -> Option<&Limit> {
        match self.data.limits.get(&recipient) {
            Some(LimitEntry::Limited(l)) => Some(l),
            _ => None,
        }
    }

    /// The period a recipient type's itemization aggregate runs over: the file's
    /// `itemization_period`, else the federal reading (per election cycle for a candidate, per
    /// calendar year otherwise: 11 CFR 104.3(a)(4)).
    pub fn itemization_period(&self, recipient: RecipientType) -> Period {
        match self.data.itemization_period.as_ref().and_then(|m| m.get(&recipient)) {
            Some(p) => *p,
            None if recipient == RecipientType::Candidate => Period::Cycle,
            None => Period::CalendarYear,
        }
    }

    /// Whether this ruleset applies to a recipient type at all.
    pub fn covers(&self, recipient: RecipientType) -> bool {
        !matches!(self.data.limits.get(&recipient), Some(LimitEntry::NotCovered) | None)
    }

    /// Who may give (the file's `eligibility`, or the federal reading).
    pub fn eligibility(&self) -> &Eligibility {
        &self.eligibility
    }

    /// Whether the ruleset names its cycle's dates (every shipped one does; a run-time file may
    /// not).
    pub fn has_cycle(&self) -> bool {
        self.data.cycle.is_some()
    }

    /// Whether a `YYYY-MM-DD` date falls in this ruleset's cycle.
    pub fn covers_date(&self, date: &str) -> bool {
        self.data.cycle.as_ref().is_some_and(|c| c.start.as_str() <= date && date <= c.end.as_str())
    }

    /// The ruleset as the CLI and the JS API print it: the file plus its digests.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.doc()).unwrap_or_default()
    }

    /// The ruleset as `to_json_pretty` prints it, in compact JSON (the wasm's `ruleset()`),
    /// written by hand: the file's members after the two digests.
    pub fn to_json(&self) -> String {
        let data = data_json(&self.data);
        let mut out = String::with_capacity(data.len() + 180);
        out.push_str("{\"digest\":");
        write_json_string(&mut out, &self.digest);
        out.push_str(",\"attestation_digest\":");
        write_json_string(&mut out, &self.attestation_digest);
        out.push(',');
        out.push_str(data.get(1..).unwrap_or_default());
        out
    }

    fn doc(&self) -> RulesetDoc<'_> {
        RulesetDoc { digest: &self.digest, attestation_digest: &self.attestation_digest, data: &self.data }
    }
}

/// The ruleset's compact JSON, the bytes its digest is over: the members in the struct's order,
/// maps sorted by key (the enums' declaration order), absent and default members left out, as
/// serde_json wrote them (a native test holds the two equal for every file).
pub fn data_json(d: &RulesetData) -> String {
    let mut w = Json(String::with_capacity(16_384));
    w.0.push('{');
    w.str_member("id", &d.id, true);
    w.str_member("title", &d.title, false);
    if let Some(c) = &d.cycle {
        w.key("cycle", false);
        w.0.push('{');
        w.str_member("start", &c.start, true);
        w.str_member("end", &c.end, false);
        w.0.push('}');
    }
    if !is_default_languages(&d.languages) {
        w.key("languages", false);
        w.list(d.languages.iter().map(String::as_str));
    }
    w.str_member("currency", &d.currency, false);
    if let Some(e) = &d.eligibility {
        w.key("eligibility", false);
        w.0.push('{');
        w.key("home", true);
        w.list(e.home.iter().map(|c| crate::model::Wire::wire(*c)));
        w.key("abroad", false);
        w.list(e.abroad.iter().map(|c| crate::model::Wire::wire(*c)));
        w.key("organizations", false);
        w.0.push_str(if e.organizations { "true" } else { "false" });
        w.0.push('}');
    }
    w.key("limits", false);
    w.0.push('{');
    for (i, (t, entry)) in d.limits.iter().enumerate() {
        w.key(crate::model::Wire::wire(*t), i == 0);
        match entry {
            LimitEntry::Limited(l) => {
                w.0.push('{');
                w.str_member("amount", &l.amount.to_string(), true);
                w.str_member("per", l.per.as_str(), false);
                if let Some(c) = &l.citation {
                    w.str_member("citation", c, false);
                }
                w.0.push('}');
            }
            LimitEntry::Unlimited => w.0.push_str("null"),
            LimitEntry::NotCovered => w.0.push_str("\"not_covered\""),
        }
    }
    w.0.push('}');
    w.str_member("itemization_threshold", &d.itemization_threshold.to_string(), false);
    if let Some(periods) = &d.itemization_period {
        w.key("itemization_period", false);
        w.0.push('{');
        for (i, (t, p)) in periods.iter().enumerate() {
            w.str_member(crate::model::Wire::wire(*t), p.as_str(), i == 0);
        }
        w.0.push('}');
    }
    w.str_member("cash_limit", &d.cash_limit.to_string(), false);
    w.str_member("amount_ceiling", &d.amount_ceiling.to_string(), false);
    w.key("attestations", false);
    w.0.push('[');
    for (i, a) in d.attestations.iter().enumerate() {
        if i > 0 {
            w.0.push(',');
        }
        w.0.push('{');
        w.str_member("id", &a.id, true);
        w.str_member("required", if a.required == Required::Always { "always" } else { "card" }, false);
        w.str_member("text", &a.text, false);
        if !a.texts.is_empty() {
            w.key("texts", false);
            w.map(&a.texts);
        }
        if let Some(c) = &a.citation {
            w.str_member("citation", c, false);
        }
        w.0.push('}');
    }
    w.0.push(']');
    w.key("findings", false);
    w.0.push('{');
    for (i, (code, f)) in d.findings.iter().enumerate() {
        w.key(code.as_str(), i == 0);
        w.0.push('{');
        w.str_member("severity", f.severity.as_str(), true);
        if let Some(s) = f.safe_harbor_severity {
            w.str_member("safe_harbor_severity", s.as_str(), false);
        }
        if let Some(c) = &f.citation {
            w.str_member("citation", c, false);
        }
        w.str_member("message", &f.message, false);
        if !f.messages.is_empty() {
            w.key("messages", false);
            w.map(&f.messages);
        }
        w.0.push('}');
    }
    w.0.push('}');
    if !d.prompts.is_empty() {
        w.key("prompts", false);
        w.0.push('{');
        for (i, (name, texts)) in d.prompts.iter().enumerate() {
            w.key(name, i == 0);
            w.map(texts);
        }
        w.0.push('}');
    }
    if !d.notes.is_empty() {
        w.key("notes", false);
        w.list(d.notes.iter().map(String::as_str));
    }
    if !d.enjoined.is_empty() {
        w.key("enjoined", false);
        w.0.push('[');
        for (i, e) in d.enjoined.iter().enumerate() {
            if i > 0 {
                w.0.push(',');
            }
            w.0.push('{');
            w.str_member("law", &e.law, true);
            w.str_member("status", &e.status, false);
            if let Some(c) = &e.citation {
                w.str_member("citation", c, false);
            }
            w.0.push('}');
        }
        w.0.push(']');
    }
    w.0.push('}');
    w.0
}

/// A compact JSON writer (serde_json's escaping: [`write_json_string`]).
struct Json(String);

impl Json {
    fn key(&mut self, key: &str, first: bool) {
        if !first {
            self.0.push(',');
        }
        write_json_string(&mut self.0, key);
        self.0.push(':');
    }

    fn str_member(&mut self, key: &str, value: &str, first: bool) {
        self.key(key, first);
        write_json_string(&mut self.0, value);
    }

    fn list<'a>(&mut self, items: impl Iterator<Item = &'a str>) {
        self.0.push('[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            write_json_string(&mut self.0, item);
        }
        self.0.push(']');
    }

    fn map(&mut self, m: &VecMap<String, String>) {
        self.0.push('{');
        for (i, (k, v)) in m.iter().enumerate() {
            self.str_member(k, v, i == 0);
        }
        self.0.push('}');
    }
}

/// The first `{name}` in `text` whose name is not in `known`.
fn unknown_placeholder<'t>(text: &'t str, known: &[&str]) -> Option<&'t str> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..)?;
        let close = after.find('}')?;
        let name = after.get(..close)?;
        if !known.contains(&name) {
            return Some(name);
        }
        rest = after.get(close + 1..)?;
    }
    None
}

static FALLBACK: FindingSpec = FindingSpec {
    severity: Severity::Reject,
    safe_harbor_severity: None,
    citation: None,
    message: String::new(),
    messages: VecMap::new(),
};

/// `sha256:` + lowercase hex.
pub fn sha256_tagged(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in hash {
        out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The embedded ruleset at `index` in [`EMBEDDED`], read and validated the first time it is asked
/// for. Each file is loaded on its own, so a process (the widget's engine above all) reads only
/// the rulesets it uses: loading all seven on the first `ruleset()` call took about 60 ms of a
/// cold page's start in Chromium, 6/7 of it for rulesets the page never used.
fn loaded(index: usize) -> Option<&'static Result<Ruleset, String>> {
    static LOADED: [OnceLock<Result<Ruleset, String>>; EMBEDDED.len()] = [const { OnceLock::new() }; EMBEDDED.len()];
    let (id, text) = EMBEDDED.get(index)?;
    Some(LOADED.get(index)?.get_or_init(|| {
        let origin = format!("src/rulesets/{id}.json");
        match Ruleset::load(text, &origin) {
            Ok(rs) if rs.id() == *id => Ok(rs),
            Ok(rs) => Err(format!("{origin}: at id: the id {:?} is not the file name", rs.id())),
            Err(e) => Err(e.to_string()),
        }
    }))
}

/// The embedded ruleset `index`, when it loads.
fn loaded_ok(index: usize) -> Option<&'static Ruleset> {
    loaded(index).and_then(|r| r.as_ref().ok())
}

/// Rulesets loaded at run time ([`load_runtime`]), process-wide.
fn runtime() -> &'static RwLock<Vec<&'static Ruleset>> {
    static RUNTIME: OnceLock<RwLock<Vec<&'static Ruleset>>> = OnceLock::new();
    RUNTIME.get_or_init(|| RwLock::new(Vec::new()))
}

/// Loads a ruleset at run time (`--ruleset-file`, `loadRuleset`) for the rest of the process.
/// Validated as embedded files are. An id already embedded, or already loaded with other
/// contents, is refused; loading the same file twice returns the first.
pub fn load_runtime(text: &str, origin: &str) -> Result<&'static Ruleset, RulesetError> {
    let rs = Ruleset::load(text, origin)?;
    let clash = |what: &str| RulesetError {
        origin: origin.to_owned(),
        id: Some(rs.id().to_owned()),
        path: "id".to_owned(),
        message: format!("the id is already taken by {what}; give this ruleset its own id"),
    };
    if embedded(rs.id()).is_some() {
        return Err(clash("an embedded ruleset"));
    }
    let mut list = runtime().write().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(existing) = list.iter().find(|r| r.id() == rs.id()) {
        return if existing.digest == rs.digest { Ok(existing) } else { Err(clash("a ruleset loaded earlier")) };
    }
    let leaked: &'static Ruleset = Box::leak(Box::new(rs));
    list.push(leaked);
    Ok(leaked)
}

fn embedded(id: &str) -> Option<&'static Ruleset> {
    EMBEDDED.iter().position(|(name, _)| *name == id).and_then(loaded_ok)
}

/// A ruleset by id (embedded or loaded at run time); `None` for an unknown id.
pub fn get(id: &str) -> Option<&'static Ruleset> {
    embedded(id).or_else(|| {
        runtime().read().unwrap_or_else(std::sync::PoisonError::into_inner).iter().copied().find(|r| r.id() == id)
    })
}

/// The default ruleset.
pub fn default_ruleset() -> Option<&'static Ruleset> {
    get(DEFAULT_RULESET)
}

/// The federal ruleset for a gift's date: the embedded `us-federal-*` ruleset whose cycle covers
/// it; with no date, the default. `None` when no federal ruleset covers the date (or the date is
/// not `YYYY-MM-DD`).
pub fn for_date(date: Option<&str>) -> Option<&'static Ruleset> {
    match date {
        None => default_ruleset(),
        // Newest first, loading only the federal files it reads: federal cycles never overlap
        // (a test asserts it), so the order does not change the answer, and a current date
        // reads one file.
        Some(d) if valid_date(d) => (0..EMBEDDED.len())
            .rev()
            .filter(|&i| EMBEDDED.get(i).is_some_and(|(id, _)| id.starts_with("us-federal-")))
            .filter_map(loaded_ok)
            .find(|r| r.covers_date(d)),
        Some(_) => None,
    }
}

/// The ids of every ruleset: embedded (sorted), then those loaded at run time.
pub fn ids() -> impl Iterator<Item = &'static str> {
    let runtime: Vec<&'static str> =
        runtime().read().unwrap_or_else(std::sync::PoisonError::into_inner).iter().map(|r| r.id()).collect();
    EMBEDDED.iter().map(|(id, _)| *id).chain(runtime)
}

/// Load problems of the embedded files (empty in a good build; the tests assert it).
pub fn load_errors() -> Vec<String> {
    (0..EMBEDDED.len()).filter_map(loaded).filter_map(|r| r.as_ref().err().cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_text() -> &'static str {
        EMBEDDED.iter().find(|(id, _)| *id == DEFAULT_RULESET).unwrap().1
    }

    #[test]
    fn every_embedded_ruleset_loads_under_its_own_id() {
        assert!(load_errors().is_empty(), "{:?}", load_errors());
        for id in ids() {
            assert_eq!(get(id).map(Ruleset::id), Some(id));
        }
    }

    #[test]
    fn federal_cycles_never_overlap_so_for_date_has_one_answer() {
        // for_date reads the federal files newest first and stops at the first that covers the
        // date: that is the only one only while no two cycles overlap.
        let mut cycles: Vec<(String, String, &str)> = ids()
            .filter(|id| id.starts_with("us-federal-"))
            .filter_map(get)
            .filter_map(|rs| rs.data.cycle.as_ref().map(|c| (c.start.clone(), c.end.clone(), rs.id())))
            .collect();
        assert!(cycles.len() >= 6, "{cycles:?}");
        cycles.sort();
        for pair in cycles.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{} and {} overlap", pair[0].2, pair[1].2);
        }
        for (start, end, id) in &cycles {
            assert_eq!(for_date(Some(start)).map(Ruleset::id), Some(*id));
            assert_eq!(for_date(Some(end)).map(Ruleset::id), Some(*id));
        }
        assert_eq!(for_date(Some("1999-06-01")), None);
    }

    #[test]
    fn every_file_in_src_rulesets_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rulesets");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|(id, _)| *id).collect();
        assert_eq!(embedded, on_disk);
        assert!(embedded.contains(&DEFAULT_RULESET));
    }

    #[test]
    fn a_file_that_extends_another_is_embedded_as_the_base_with_its_members_replaced() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rulesets");
        let read = |id: &str| -> serde_json::Map<String, serde_json::Value> {
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap()).unwrap()
        };
        let mut overlays = 0;
        for (id, text) in EMBEDDED {
            let own = read(id);
            let Some(base) = own.get("extends").and_then(|b| b.as_str()) else { continue };
            overlays += 1;
            let base = read(base);
            let whole: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
            assert!(!whole.contains_key("extends"), "{id}");
            let keys: std::collections::BTreeSet<&String> = base.keys().chain(own.keys()).collect();
            for key in keys.into_iter().filter(|k| *k != "extends") {
                let expected = own.get(key).or_else(|| base.get(key));
                assert_eq!(whole.get(key), expected, "{id}: {key}");
            }
            // And it loads as a ruleset of its own, under its own id and cycle.
            let rs = get(id).unwrap();
            assert_eq!(rs.data.title, own["title"].as_str().unwrap());
        }
        assert!(overlays >= 11, "{overlays}");
    }

    #[test]
    fn the_cycles_before_2015_carry_their_indexed_limits() {
        let amount = |id: &str, t| get(id).unwrap().limit(t).unwrap().amount.to_string();
        let table = [
            ("us-federal-2003-2004", "2000.00", "25000.00"),
            ("us-federal-2005-2006", "2100.00", "26700.00"),
            ("us-federal-2007-2008", "2300.00", "28500.00"),
            ("us-federal-2009-2010", "2400.00", "30400.00"),
            ("us-federal-2011-2012", "2500.00", "30800.00"),
            ("us-federal-2013-2014", "2600.00", "32400.00"),
        ];
        for (id, candidate, party) in table {
            assert_eq!(amount(id, RecipientType::Candidate), candidate, "{id}");
            assert_eq!(amount(id, RecipientType::PartyNational), party, "{id}");
            assert_eq!(amount(id, RecipientType::Pac), "5000.00", "{id}");
            assert_eq!(amount(id, RecipientType::PartyState), "10000.00", "{id}");
            // The same statements: the version a form sends does not depend on the cycle.
            assert_eq!(get(id).unwrap().attestation_digest, default_ruleset().unwrap().attestation_digest);
        }
        // Super PACs: the PAC limit before SpeechNow (2010), none after.
        assert_eq!(amount("us-federal-2007-2008", RecipientType::SuperPac), "5000.00");
        assert!(get("us-federal-2009-2010").unwrap().limit(RecipientType::SuperPac).is_none());
        // The separate party accounts date from 16 December 2014.
        assert_eq!(amount("us-federal-2011-2012", RecipientType::PartyNationalAccount), "30800.00");
        assert_eq!(amount("us-federal-2013-2014", RecipientType::PartyNationalAccount), "97200.00");
    }

    #[test]
    fn attestation_digest_matches_rules_md() {
        let rs = default_ruleset().unwrap();
        assert_eq!(rs.attestation_digest, "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6");
    }

    #[test]
    fn limits_match_rules_md() {
        let rs = default_ruleset().unwrap();
        let amount = |t| rs.limit(t).unwrap().amount.to_string();
        assert_eq!(amount(RecipientType::Candidate), "3500.00");
        assert_eq!(amount(RecipientType::Pac), "5000.00");
        assert_eq!(amount(RecipientType::PartyNational), "44300.00");
        assert_eq!(amount(RecipientType::PartyState), "10000.00");
        assert_eq!(rs.data.cash_limit.to_string(), "100.00");
        assert_eq!(rs.data.itemization_threshold.to_string(), "200.00");
    }

    #[test]
    fn a_ruleset_missing_a_code_is_refused() {
        let mut v: serde_json::Value = serde_json::from_str(default_text()).unwrap();
        v["findings"].as_object_mut().unwrap().remove("cash_limit");
        let err = Ruleset::from_json(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("cash_limit"), "{err}");
    }

    #[test]
    fn digest_changes_with_any_word() {
        let a = default_ruleset().unwrap();
        let text = default_text().replace("I am at least 18 years old.", "I am at least 21 years old.");
        let b = Ruleset::from_json(&text).unwrap();
        assert_ne!(a.digest, b.digest);
        assert_ne!(a.attestation_digest, b.attestation_digest);
        // Whitespace in the file is not part of the digest.
        let c = Ruleset::from_json(&default_text().replace("\n", "\n  ")).unwrap();
        assert_eq!(a.digest, c.digest);
    }

    #[test]
    fn another_ruleset_is_data_not_code() {
        // A state's cycle with its own limit, words and severities: the same engine applies it.
        let text = default_text()
            .replace("\"id\": \"us-federal-2025-2026\"", "\"id\": \"us-xx-2026\"")
            .replace("\"3500.00\"", "\"100.00\"")
            .replace("I am at least 18 years old.", "I am at least 16 years old.");
        let rs = Ruleset::from_json(&text).unwrap();
        let sub = crate::parse(
            br#"{"recipient":{"type":"candidate"},"contribution":{"amount":"150","method":"ach"},
                 "attestations":{"version":"sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6"}}"#,
        )
        .unwrap();
        let v = crate::check(&sub, &rs);
        assert_eq!(v.ruleset.id, "us-xx-2026");
        let limit = v.findings.iter().find(|f| f.code == Code::ExceedsLimit).unwrap();
        assert!(limit.message.contains("$100.00"), "{}", limit.message);
        // The donor saw the federal words, not this ruleset's.
        assert!(v.has(Code::AttestationVersionMismatch));
    }

    #[test]
    fn the_printed_ruleset_has_each_key_once() {
        let text = default_ruleset().unwrap().to_json_pretty();
        assert_eq!(text.matches("\"id\": \"us-federal-2025-2026\"").count(), 1, "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], "us-federal-2025-2026");
        assert!(v["digest"].as_str().unwrap().starts_with("sha256:"));
    }

    /// The hand-written JSON is serde_json's, byte for byte (the digest is over it), for every
    /// embedded file and for files using what those leave out; the compact doc is the pretty one.
    #[test]
    fn the_digest_bytes_are_serde_jsons() {
        for id in ids() {
            let rs = get(id).unwrap();
            assert_eq!(data_json(&rs.data), serde_json::to_string(&rs.data).unwrap(), "{id}");
            let pretty: serde_json::Value = serde_json::from_str(&rs.to_json_pretty()).unwrap();
            let compact: serde_json::Value = serde_json::from_str(&rs.to_json()).unwrap();
            assert_eq!(pretty, compact, "{id}");
        }
        let mut v: serde_json::Value = serde_json::from_str(default_text()).unwrap();
        v["id"] = "edge\"\u{1}\n é".into();
        v["languages"] = serde_json::json!(["en"]);
        v.as_object_mut().unwrap().remove("prompts");
        v.as_object_mut().unwrap().remove("cycle");
        v.as_object_mut().unwrap().remove("eligibility");
        v.as_object_mut().unwrap().remove("itemization_period");
        v["enjoined"] =
            serde_json::json!([{"law": "A\tB", "status": "enjoined"}, {"law": "C", "status": "s", "citation": "x"}]);
        v["limits"]["pac"] = serde_json::Value::Null;
        v["cash_limit"] = 100.into();
        v["amount_ceiling"] = "1e3".into();
        for a in v["attestations"].as_array_mut().unwrap() {
            a.as_object_mut().unwrap().remove("texts");
            a.as_object_mut().unwrap().remove("citation");
        }
        for f in v["findings"].as_object_mut().unwrap().values_mut() {
            f.as_object_mut().unwrap().remove("messages");
        }
        let data = crate::json::rules_file::ruleset_data(&v.to_string()).ok().unwrap();
        assert_eq!(data_json(&data), serde_json::to_string(&data).unwrap());
        assert!(data.prompts.is_empty() && data.cycle.is_none());
    }

    #[test]
    fn ruleset_errors_keep_serdes_words() {
        let load = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value = serde_json::from_str(default_text()).unwrap();
            f(&mut v);
            let e = Ruleset::load(&v.to_string(), "t.json").unwrap_err();
            (e.path, e.message)
        };
        let pair = |p: &str, m: &str| (p.to_owned(), m.to_owned());
        assert_eq!(
            load(&|v| v["titel"] = "x".into()),
            pair("titel", "unknown field `titel`, expected one of `id`, `title`, `cycle`, `languages`, `currency`, `eligibility`, `limits`, `itemization_threshold`, `itemization_period`, `cash_limit`, `amount_ceiling`, `attestations`, `findings`, `prompts`, `notes`, `enjoined`")
        );
        assert_eq!(
            load(&|v| {
                v.as_object_mut().unwrap().remove("currency");
            }),
            pair(".", "missing field `currency`")
        );
        assert_eq!(load(&|v| v["title"] = 5.into()), pair("title", "invalid type: integer `5`, expected a string"));
        assert_eq!(
            load(&|v| v["title"] = 1.5.into()),
            pair("title", "invalid type: floating point `1.5`, expected a string")
        );
        assert_eq!(
            load(&|v| v["eligibility"]["organizations"] = "no".into()),
            pair("eligibility.organizations", "invalid type: string \"no\", expected a boolean")
        );
        assert_eq!(
            load(&|v| v["cash_limit"] = "lots".into()),
            pair(
                "cash_limit",
                "invalid value: string \"lots\", expected a Decimal type representing a fixed-point number"
            )
        );
        assert_eq!(
            load(&|v| v["findings"]["cash_limit"]["severity"] = "fatal".into()),
            pair("findings.cash_limit.severity", "unknown variant `fatal`, expected one of `reject`, `review`, `info`")
        );
        assert_eq!(
            load(&|v| v["attestations"][1]["required"] = "sometimes".into()),
            pair("attestations[1].required", "unknown variant `sometimes`, expected `always` or `card`")
        );
        assert_eq!(
            load(&|v| {
                v["limits"]["pac"].as_object_mut().unwrap().remove("amount");
            }),
            pair("limits.pac", ".: missing field `amount`")
        );
        assert_eq!(
            load(&|v| v["limits"]["pac"]["per"] = "fortnight".into()),
            pair(
                "limits.pac",
                "per: unknown variant `fortnight`, expected one of `election`, `calendar_year`, `cycle`, `none`"
            )
        );
        let (p, m) = load(&|v| v["eligibility"]["home"][1] = "alien".into());
        assert_eq!(p, "eligibility.home[1]");
        assert!(m.ends_with("not one of us_citizen, us_national, permanent_resident, foreign_national"), "{m}");
        assert_eq!(
            load(&|v| v["notes"] = serde_json::Value::Null),
            pair("notes", "invalid type: null, expected a sequence")
        );
        let e = Ruleset::load("{\"id\": \"a\", \"id\": \"b\"}", "t").unwrap_err();
        assert_eq!((e.path.as_str(), e.message.as_str(), e.id.as_deref()), (".", "duplicate field `id`", Some("b")));
        let e = Ruleset::load("{\"id\": \"a\", \"limits\": {\"pac\": [1,", "t").unwrap_err();
        assert_eq!(e.path, "limits.pac[1]");
        assert!(e.message.starts_with("EOF while parsing"), "{}", e.message);
        assert_eq!(e.to_json(), format!("{{\"error\":{{\"code\":\"invalid_ruleset\",\"origin\":\"t\",\"path\":\"limits.pac[1]\",\"message\":{:?}}}}}", e.message));
    }

    #[test]
    fn severities_match_rules_md() {
        let rs = default_ruleset().unwrap();
        for code in Code::ALL {
            assert_eq!(rs.spec(*code).severity, code.catalogue_severity(), "{}", code.as_str());
        }
        assert_eq!(rs.spec(Code::ForeignPayment).safe_harbor_severity, Some(Severity::Info));
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use crate::model::Decision;

    fn fed_text() -> &'static str {
        EMBEDDED.iter().find(|(id, _)| *id == DEFAULT_RULESET).unwrap().1
    }

    #[test]
    fn attestation_texts_by_language_leave_the_version_digest_alone() {
        let rs = Ruleset::load(fed_text(), "fed").unwrap();
        let a = &rs.data.attestations[0];
        assert_eq!(a.text_in(Language::En), a.text);
        assert!(a.text_in(Language::Es).starts_with("Soy ciudadano"), "{}", a.text_in(Language::Es));
        let other = edited(|v| v["attestations"][0]["texts"]["es"] = "Soy ciudadana.".into()).unwrap();
        assert_eq!(other.attestation_digest, rs.attestation_digest);
        assert_ne!(other.digest, rs.digest);
    }

    #[test]
    fn itemization_period_from_the_file_or_the_federal_reading() {
        let rs = Ruleset::load(fed_text(), "fed").unwrap();
        assert_eq!(rs.itemization_period(RecipientType::Candidate), Period::Cycle);
        assert_eq!(rs.itemization_period(RecipientType::SuperPac), Period::CalendarYear);
        let bare = edited(|v| {
            v.as_object_mut().unwrap().remove("itemization_period");
        })
        .unwrap();
        for t in <RecipientType as crate::model::Wire>::ALL {
            assert_eq!(bare.itemization_period(*t), rs.itemization_period(*t), "{t}");
        }
        let ca = get("us-ca-ballot-2025-2026").unwrap();
        assert_eq!(ca.itemization_period(RecipientType::BallotMeasureCommittee), Period::CalendarYear);
    }

    fn edited(f: impl FnOnce(&mut serde_json::Value)) -> Result<Ruleset, RulesetError> {
        let mut v: serde_json::Value = serde_json::from_str(fed_text()).unwrap();
        f(&mut v);
        Ruleset::load(&v.to_string(), "test.json")
    }

    /// A complete submission under `ruleset` (null for none), with `extra` merged at the top.
    fn sub(ruleset: &str, recipient: &str, amount: &str, more: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(&base(ruleset, recipient, amount)).unwrap();
        let patch: serde_json::Value = serde_json::from_str(&format!("{{\"_\":0{more}}}")).unwrap();
        for (k, x) in patch.as_object().unwrap() {
            if k != "_" {
                v[k] = x.clone();
            }
        }
        v.to_string()
    }

    fn base(ruleset: &str, recipient: &str, amount: &str) -> String {
        format!(
            r#"{{"ruleset":{ruleset},"recipient":{{"type":"{recipient}"}},
            "donor":{{"first_name":"Ada","last_name":"Lovelace","address":{{"line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}},
                     "citizenship":"us_citizen","employer":"Acme","occupation":"Engineer"}},
            "contribution":{{"amount":"{amount}","method":"ach"}},
            "attestations":{{"affirmed":["us_citizen_or_lpr","own_funds","not_federal_contractor","age_18_or_older"]}}}}"#
        )
    }

    fn codes(input: &str) -> Vec<&'static str> {
        crate::check_bytes(input.as_bytes()).unwrap().findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn each_historical_federal_ruleset_holds_its_candidate_limit() {
        for (id, limit, over) in [
            ("us-federal-2015-2016", "2700.00", "2700.01"),
            ("us-federal-2017-2018", "2700.00", "2700.01"),
            ("us-federal-2019-2020", "2800.00", "2800.01"),
            ("us-federal-2021-2022", "2900.00", "2900.01"),
            ("us-federal-2023-2024", "3300.00", "3300.01"),
            ("us-federal-2025-2026", "3500.00", "3500.01"),
        ] {
            let at = crate::check_bytes(sub(&format!("{id:?}"), "candidate", limit, "").as_bytes()).unwrap();
            assert_eq!(at.decision, Decision::Accept, "{id}: {}", at.to_json());
            assert_eq!(at.ruleset.id, id);
            let v = crate::check_bytes(sub(&format!("{id:?}"), "candidate", over, "").as_bytes()).unwrap();
            assert_eq!(v.decision, Decision::Reject, "{id}");
            let f = v.findings.iter().find(|f| f.code == Code::ExceedsLimit).unwrap();
            assert_eq!(f.params.get("limit").map(String::as_str), Some(limit), "{id}");
            assert_eq!(f.params.get("period").map(String::as_str), Some("election"));
            assert_eq!(f.params.get("remaining").map(String::as_str), Some(limit));
        }
    }

    #[test]
    fn historical_party_and_pac_limits() {
        let rs = get("us-federal-2017-2018").unwrap();
        let amount = |t| rs.limit(t).unwrap().amount.to_string();
        assert_eq!(amount(RecipientType::PartyNational), "33900.00");
        assert_eq!(amount(RecipientType::PartyNationalAccount), "101700.00");
        assert_eq!(amount(RecipientType::Pac), "5000.00");
        assert_eq!(amount(RecipientType::PartyState), "10000.00");
        assert!(rs.limit(RecipientType::SuperPac).is_none() && rs.covers(RecipientType::SuperPac));
        assert!(!rs.covers(RecipientType::BallotMeasureCommittee));
        // A super PAC takes any amount; the national-party accounts take three times the party limit.
        let big = sub("null", "super_pac", "250000", "");
        assert!(codes(&big).is_empty(), "{:?}", codes(&big));
        assert!(codes(&sub("null", "party_national_account", "132900", "")).is_empty());
        assert_eq!(codes(&sub("null", "party_national_account", "132900.01", "")), ["exceeds_limit"]);
        // Federally a ballot-measure committee is not covered: an input error, not a verdict.
        let e = crate::check_bytes(sub("null", "ballot_measure_committee", "10", "").as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("recipient.type"));
    }

    const CA: &str = r#""us-ca-ballot-2025-2026""#;

    #[test]
    fn california_ballot_measure_ruleset() {
        let two = r#","attestations":{"affirmed":["us_citizen_or_lpr","own_funds"]}"#;
        let ca = |amount: &str, more: &str| {
            crate::check_bytes(sub(CA, "ballot_measure_committee", amount, &format!("{two}{more}")).as_bytes()).unwrap()
        };
        let v = ca("50000", "");
        assert_eq!(v.decision, Decision::Accept, "{}", v.to_json());
        assert_eq!(v.ruleset.id, "us-ca-ballot-2025-2026");
        // A permanent resident abroad: reviewed federally, rejected here.
        let abroad = r#","donor":{"first_name":"Ada","last_name":"Lovelace","citizenship":"permanent_resident","employer":"Acme","occupation":"Engineer",
            "address":{"line1":"88 Harbord St","city":"Toronto","state":"ON","postal_code":"M5S 1G4","country":"CA"}}"#;
        let v = ca("50", abroad);
        assert_eq!(v.decision, Decision::Reject, "{}", v.to_json());
        assert!(v.has(Code::ResidesAbroad));
        let fed = crate::check_bytes(sub("null", "pac", "50", abroad).as_bytes()).unwrap();
        assert_eq!(fed.decision, Decision::Review, "{}", fed.to_json());
        // Employer and occupation at $100 cumulative: $100.01 asks for both; $99.99 does not.
        let no_job = r#","donor":{"first_name":"Ada","last_name":"Lovelace","citizenship":"us_citizen",
            "address":{"line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}}"#;
        let v = ca("100.01", no_job);
        let got: Vec<_> = v.findings.iter().map(|f| (f.code.as_str(), f.field.as_ref())).collect();
        assert_eq!(
            got,
            [("itemization_info_missing", "donor.employer"), ("itemization_info_missing", "donor.occupation")]
        );
        assert!(ca("99.99", no_job).findings.is_empty());
        // No federal-contractor or age statement; organizations may give.
        assert!(ca("25", r#","donor":{"kind":"organization","first_name":"Ada","last_name":"Lovelace","citizenship":"us_citizen","employer":"Acme","occupation":"Engineer","address":{"line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}}"#).findings.is_empty());
        // A candidate is not covered by a ballot-measure ruleset.
        let e = crate::check_bytes(sub(CA, "candidate", "10", "").as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("recipient.type"));
        assert!(!get("us-ca-ballot-2025-2026").unwrap().data.notes.is_empty());
    }

    #[test]
    fn the_date_picks_the_federal_ruleset() {
        assert_eq!(for_date(None).map(Ruleset::id), Some(DEFAULT_RULESET));
        assert_eq!(for_date(Some("2020-02-29")).map(Ruleset::id), Some("us-federal-2019-2020"));
        assert_eq!(for_date(Some("2015-01-01")).map(Ruleset::id), Some("us-federal-2015-2016"));
        assert_eq!(for_date(Some("2024-12-31")).map(Ruleset::id), Some("us-federal-2023-2024"));
        assert_eq!(for_date(Some("2014-12-31")).map(Ruleset::id), Some("us-federal-2013-2014"));
        assert_eq!(for_date(Some("2003-01-01")).map(Ruleset::id), Some("us-federal-2003-2004"));
        assert_eq!(for_date(Some("2002-12-31")), None);
        assert_eq!(for_date(Some("2021-02-29")), None);
        let dated = |d: &str| {
            sub(
                "null",
                "candidate",
                "3000",
                &format!(r#","contribution":{{"amount":"3000","method":"ach","date":"{d}"}}"#),
            )
        };
        let v = crate::check_bytes(dated("2018-06-01").as_bytes()).unwrap();
        assert_eq!(v.ruleset.id, "us-federal-2017-2018");
        assert!(v.has(Code::ExceedsLimit));
        let v = crate::check_bytes(dated("2024-06-01").as_bytes()).unwrap();
        assert_eq!(v.ruleset.id, "us-federal-2023-2024");
        assert!(!v.has(Code::ExceedsLimit));
        for bad in ["2024-13-01", "2024-6-1", "yesterday", "2030-01-01"] {
            let e = crate::check_bytes(dated(bad).as_bytes()).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("contribution.date"), "{bad}");
        }
        // A date is part of the digest only when given.
        let none = crate::check_bytes(sub("null", "candidate", "3000", "").as_bytes()).unwrap();
        assert_ne!(none.submission_digest, v.submission_digest);
    }

    #[test]
    fn language_changes_the_message_never_the_digest() {
        let en = crate::check_bytes(sub("null", "candidate", "3600", "").as_bytes()).unwrap();
        let es = crate::check_bytes(sub("null", "candidate", "3600", r#","language":"es""#).as_bytes()).unwrap();
        assert_eq!(en.submission_digest, es.submission_digest);
        assert_eq!(en.findings[0].params, es.findings[0].params);
        assert!(en.findings[0].message.contains("per election"), "{}", en.findings[0].message);
        assert_eq!(
            es.findings[0].message,
            "Esta contribución superaría el límite legal de $3,500.00 por elección. Puede contribuir hasta $3,500.00 más."
        );
        assert!(crate::check_bytes(sub("null", "candidate", "1", r#","language":"fr""#).as_bytes()).is_err());
        // Every code has a Spanish message in every embedded ruleset.
        for id in ids() {
            let rs = get(id).unwrap();
            for code in Code::ALL {
                assert_ne!(rs.spec(*code).message_in(Language::Es), rs.spec(*code).message, "{id} {}", code.as_str());
            }
        }
    }

    #[test]
    fn validation_names_the_file_and_the_path() {
        let e = edited(|v| {
            v["limits"].as_object_mut().unwrap().remove("super_pac");
        })
        .unwrap_err();
        assert_eq!((e.origin.as_str(), e.path.as_str()), ("test.json", "limits.super_pac"));
        assert_eq!(e.id.as_deref(), Some("us-federal-2025-2026"));
        let e = edited(|v| v["limits"]["pac"]["per"] = "fortnight".into()).unwrap_err();
        assert_eq!(e.path, "limits.pac", "{e}");
        assert!(e.message.starts_with("per: unknown variant `fortnight`"), "{e}");
        let e = edited(|v| v["findings"]["cash_limit"]["messages"]["es"] = "Máximo {limite}.".into()).unwrap_err();
        assert_eq!(e.path, "findings.cash_limit.messages.es");
        assert!(e.message.contains("{limite}"), "{e}");
        let e = edited(|v| v["findings"]["foreign_ip"]["message"] = "From {country}.".into()).unwrap_err();
        assert_eq!(e.path, "findings.foreign_ip.message");
        let e = edited(|v| {
            v["findings"]["foreign_ip"]["messages"].as_object_mut().unwrap().remove("es");
        })
        .unwrap_err();
        assert_eq!(e.path, "findings.foreign_ip.messages.es");
        let e = edited(|v| v["attestations"][1]["id"] = "us_citizen_or_lpr".into()).unwrap_err();
        assert_eq!(e.path, "attestations[1].id");
        // Every declared language has each statement; none in an undeclared one, none empty.
        let e = edited(|v| v["attestations"][2]["texts"] = serde_json::json!({})).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("attestations[2].texts.es", "missing: the file declares this language")
        );
        let e = edited(|v| v["attestations"][0]["texts"]["es"] = " ".into()).unwrap_err();
        assert_eq!(e.path, "attestations[0].texts.es");
        let e = edited(|v| v["attestations"][0]["texts"]["en"] = "I am.".into()).unwrap_err();
        assert_eq!(e.path, "attestations[0].texts.en");
        let e = edited(|v| {
            v["languages"] = serde_json::json!(["en"]);
            v.as_object_mut().unwrap().remove("prompts");
            for f in v["findings"].as_object_mut().unwrap().values_mut() {
                f.as_object_mut().unwrap().remove("messages");
            }
        })
        .unwrap_err();
        assert_eq!(e.path, "attestations[0].texts.es");
        // The itemization period names every recipient type, and a period.
        let e = edited(|v| {
            v["itemization_period"].as_object_mut().unwrap().remove("super_pac");
        })
        .unwrap_err();
        assert_eq!(e.path, "itemization_period.super_pac");
        let e = edited(|v| v["itemization_period"]["pac"] = "none".into()).unwrap_err();
        assert_eq!(e.path, "itemization_period.pac");
        // Prompts: known names, every declared language.
        let e = edited(|v| v["prompts"]["amount_hint"] = serde_json::json!({"en": "x", "es": "y"})).unwrap_err();
        assert_eq!(e.path, "prompts.amount_hint");
        let e = edited(|v| {
            v["prompts"]["citizenship_hint"].as_object_mut().unwrap().remove("es");
        })
        .unwrap_err();
        assert_eq!(e.path, "prompts.citizenship_hint.es");
        let e = edited(|v| v["cycle"]["end"] = "2026-02-30".into()).unwrap_err();
        assert_eq!(e.path, "cycle.end");
        let e = edited(|v| v["limits"]["pac"] = 5000.into()).unwrap_err();
        assert_eq!(e.path, "limits.pac");
        let e = Ruleset::load("{\"id\": ", "x.json").unwrap_err();
        assert_eq!(e.origin, "x.json");
        let j: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(j["error"]["code"], "invalid_ruleset");
        // Unlimited and per-contribution limits load.
        let rs = edited(|v| {
            v["limits"]["pac"] = serde_json::Value::Null;
            v["limits"]["candidate"]["per"] = "none".into();
        })
        .unwrap();
        assert!(rs.limit(RecipientType::Pac).is_none());
        assert_eq!(rs.limit(RecipientType::Candidate).unwrap().per, Period::None);
    }

    #[test]
    fn runtime_rulesets_load_once_and_never_shadow_embedded_ones() {
        let mut v: serde_json::Value = serde_json::from_str(fed_text()).unwrap();
        assert!(load_runtime(&v.to_string(), "fed.json").unwrap_err().message.contains("already taken"));
        v["id"] = "committee-own-words-test".into();
        v["findings"]["exceeds_limit"]["message"] = "Over {limit}, sorry.".into();
        let text = v.to_string();
        let rs = load_runtime(&text, "own.json").unwrap();
        assert!(std::ptr::eq(rs, load_runtime(&text, "own.json").unwrap()));
        assert!(std::ptr::eq(get("committee-own-words-test").unwrap(), rs));
        assert!(ids().any(|i| i == "committee-own-words-test"));
        let input = sub(r#""committee-own-words-test""#, "candidate", "3600", "");
        let verdict = crate::check_bytes(input.as_bytes()).unwrap();
        assert_eq!(verdict.findings[0].message, "Over $3,500.00, sorry.");
        assert_eq!(verdict.ruleset.digest, rs.digest);
        v["title"] = "changed".into();
        assert!(load_runtime(&v.to_string(), "own2.json").is_err());
    }
}
