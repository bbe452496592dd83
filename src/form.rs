//! Reading a donation form: the name/value pairs a browser posts, plus a field map, into a
//! [`Submission`]. One pure function, [`read_form`], shared by the widget (through the wasm) and
//! the server's `/v1/forms/*` endpoints, so both build the same submission, and the same
//! `submission_digest`, from the same post.
//!
//! # The field map
//!
//! A JSON object from a submission path to the form field name(s) that hold it:
//!
//! ```json
//! {
//!   "donor.first_name": "give_first",
//!   "contribution.amount": ["give-amount", "other_amount"],
//!   "donor.full_name": "name",
//!   "attestations.affirmed.own_funds": "consent_1",
//!   "attestations.version": {"value": "sha256:..."}
//! }
//! ```
//!
//! - A path is any string leaf of the contract's submission (`donor.address.state`,
//!   `contribution.method`, ...), plus `donor.full_name` (one field split into first and last
//!   name, used only for the halves not mapped on their own) and `attestations.affirmed.<id>`
//!   (a checkbox that affirms attestation `<id>` when checked). `attestations.affirmed` itself
//!   names fields whose values are attestation ids. Unknown paths are ignored.
//! - A value is one field name, a list of names (the first non-blank value wins; for
//!   `contribution.amount` the first is the amount radio group and the rest its "other" box), or
//!   `{"value": "..."}`, a fixed value the page sets (a default such as `recipient.type`).
//!
//! # What it reads (the word tables live here only)
//!
//! - Amounts as typed: `$1,000`, `1,000.00`, `75`, `$25.00 USD`. The "other" box wins when it
//!   is filled, or when the radio says `other`/`custom` or is empty. An amount that is not
//!   money is passed as typed, so the engine reports `amount_invalid`.
//! - States: USPS codes and full names of the states, DC, the territories and the military
//!   "states" (Armed Forces Americas/Europe/Pacific). Anything else is passed as typed (a
//!   foreign province; the engine reports `state_invalid` on a domestic address).
//! - Countries: any code, name or alias of `countries.tsv`, as the alpha-2 code; anything else
//!   as typed (the engine reports `country_unknown`).
//! - Citizenship, method, donor kind, election and recipient type: words as forms offer them
//!   ("Yes, I am a U.S. citizen", "green card", "Credit card", "No"). A value not recognised
//!   leaves the field absent (the engine then reports `field_required` where it is required);
//!   it is never guessed.
//! - Checkboxes: `on`, `yes`, `true`, `1`, `checked`, `agree` or the attestation id.
//! - Blank values are absent. Text fields are passed as given; the engine normalises them.

use crate::countries;
use crate::map::VecMap;
use crate::model::{
    Address, AmountInput, Attestations, Blankable, Card, Citizenship, Contribution, DonorKind, Election, Method,
    Passport, RecipientType, Signals, Submission, Wire,
};
use crate::model::{Donor, Recipient};
use crate::normalize::STATES;
use serde::{Deserialize, Serialize};

/// A form field: its name, or its name with the texts of its options by value, for a select
/// or radio group whose values are opaque ids (CiviCRM's `<option value="1228">United
/// States</option>`): a posted value found there is read as its text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Name {
    Plain(String),
    Choices { name: String, text: VecMap<String, String> },
}

impl Name {
    pub fn name(&self) -> &str {
        match self {
            Name::Plain(n) | Name::Choices { name: n, .. } => n,
        }
    }
    fn read<'a>(&'a self, v: &'a str) -> &'a str {
        match self {
            Name::Plain(_) => v,
            Name::Choices { text, .. } => text.get(v).map_or(v, String::as_str),
        }
    }
}

impl From<String> for Name {
    fn from(n: String) -> Self {
        Name::Plain(n)
    }
}

/// Where one submission path comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Source {
    /// One form field.
    One(Name),
    /// Several fields: the first non-blank wins (for the amount: radio group, then "other" boxes).
    Many(Vec<Name>),
    /// A fixed value set by the page.
    Fixed { value: String },
}

/// Submission path → form field name(s). See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct FieldMap(pub VecMap<String, Source>);

impl FieldMap {
    fn values<'a>(&'a self, path: &str, pairs: &'a [(String, String)]) -> Vec<&'a str> {
        match self.0.get(path) {
            None => Vec::new(),
            Some(Source::Fixed { .. }) => Vec::new(),
            Some(Source::One(name)) => field(pairs, name),
            Some(Source::Many(names)) => names.iter().flat_map(|n| field(pairs, n)).collect(),
        }
    }

    /// The first non-blank value for `path`, or its fixed value.
    fn first<'a>(&'a self, path: &str, pairs: &'a [(String, String)]) -> Option<&'a str> {
        if let Some(Source::Fixed { value }) = self.0.get(path) {
            return Some(value.as_str()).filter(|v| !v.trim().is_empty());
        }
        self.values(path, pairs).into_iter().next()
    }
}

/// The non-blank values posted under `name`, in order (as their option texts for
/// [`Name::Choices`]).
fn field<'a>(pairs: &'a [(String, String)], name: &'a Name) -> Vec<&'a str> {
    let n = name.name();
    pairs.iter().filter(|(k, v)| k == n && !v.trim().is_empty()).map(|(_, v)| name.read(v)).collect()
}

/// Reads a posted form into a submission. Never fails: what cannot be read is left absent or
/// passed as typed, and the engine reports it.
pub fn read_form(pairs: &[(String, String)], map: &FieldMap) -> Submission {
    let text = |path: &str| map.first(path, pairs).map(str::to_owned);
    let country = |path: &str| map.first(path, pairs).map(read_country);

    let (mut first_name, mut last_name) = (text("donor.first_name"), text("donor.last_name"));
    if first_name.is_none() || last_name.is_none() {
        if let Some((f, l)) = map.first("donor.full_name", pairs).and_then(split_name) {
            first_name = first_name.or(Some(f));
            last_name = last_name.or(l);
        }
    }

    let address = Address {
        line1: text("donor.address.line1"),
        line2: text("donor.address.line2"),
        city: text("donor.address.city"),
        state: map.first("donor.address.state", pairs).map(read_state),
        postal_code: text("donor.address.postal_code"),
        country: country("donor.address.country"),
    };
    let passport = Passport { country: country("donor.passport.country"), number: text("donor.passport.number") };
    let donor = Donor {
        kind: word(map.first("donor.kind", pairs), read_kind),
        first_name,
        last_name,
        email: text("donor.email"),
        address: some(address),
        citizenship: word(map.first("donor.citizenship", pairs), read_citizenship),
        passport: some(passport),
        employer: text("donor.employer"),
        occupation: text("donor.occupation"),
    };
    let contribution = Contribution {
        amount: read_amount(map, pairs),
        currency: text("contribution.currency"),
        method: word(map.first("contribution.method", pairs), read_method),
        card: some(Card { country: country("contribution.card.country") }),
        bank_country: country("contribution.bank_country"),
        date: text("contribution.date"),
    };
    let recipient = Recipient {
        kind: word(map.first("recipient.type", pairs), exact::<RecipientType>),
        election: word(map.first("recipient.election", pairs), exact::<Election>),
    };
    let attestations = Attestations { version: text("attestations.version"), affirmed: read_affirmed(map, pairs) };
    Submission {
        id: text("id"),
        ruleset: text("ruleset"),
        language: word(map.first("language", pairs), exact::<crate::model::Language>),
        recipient: some(recipient),
        donor: some(donor),
        contribution: some(contribution),
        signals: some(Signals { ip_country: country("signals.ip_country") }),
        attestations: some(attestations),
        history: None,
        client_verdict: None,
    }
}

/// `None` for a part left empty, so the submission has no empty objects.
fn some<T: Default + PartialEq>(v: T) -> Option<T> {
    (v != T::default()).then_some(v)
}

fn word<T>(v: Option<&str>, read: impl Fn(&str) -> Option<T>) -> Option<Blankable<T>> {
    v.and_then(read).map(Blankable::Value)
}

/// Lower case ASCII words: every other character is a separator ("U.S." is "u s").
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_ascii_lowercase());
    }
    out
}

/// Spanish letters with accents as their plain letters ("Sí" is "Si"), so the ASCII word
/// readers see Spanish answers whole.
fn fold_spanish(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            other => other,
        })
        .collect()
}

/// Letters and digits only, lower case ("U.S." and "us" are both "us").
fn squash(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

fn exact<T: Wire>(s: &str) -> Option<T> {
    let key = words(s).replace(' ', "_");
    T::ALL.iter().copied().find(|v| v.wire() == key)
}

/// A ticked box or a "yes", as lower-case words (`words`).
pub(crate) const TRUE: [&str; 8] = ["on", "yes", "y", "true", "1", "checked", "agree", "i agree"];

fn is_checked(v: &str) -> bool {
    TRUE.contains(&words(v).as_str())
}

/// Citizenship as forms word it. Order matters: the specific phrases before the bare yes/no.
pub fn read_citizenship(s: &str) -> Option<Citizenship> {
    if let Some(c) = exact::<Citizenship>(s) {
        return Some(c);
    }
    // Spanish forms: "Sí", "Soy ciudadano", "Residente permanente", "Soy extranjero".
    let folded = fold_spanish(s);
    let s = folded.as_str();
    let w = words(s);
    let ws: Vec<&str> = w.split(' ').collect();
    let has = |x: &str| ws.contains(&x);
    let sq = squash(s);
    let phrase = |p: &str| sq.contains(p);
    // "Not a U.S. citizen or green card holder", "No, I am neither a citizen nor a permanent
    // resident": a negation before the resident words negates them too.
    // "I am not a foreign national", "No soy extranjero": the foreign words negated say the
    // donor is not foreign, the cautious reading of which is a permanent resident (eligible at
    // home, reviewed abroad), the same as a "No" to "Are you a foreign national?".
    let is_negator = |w: &str| matches!(w, "not" | "no" | "neither" | "nor" | "none");
    let foreign_at = ws.iter().position(|w| *w == "foreign" || w.starts_with("extranjer"));
    if let Some(f) = foreign_at {
        let before = ws.get(f.saturating_sub(4)..f).unwrap_or(&[]);
        let filler = |w: &&&str| {
            matches!(**w, "a" | "an" | "am" | "soy" | "es" | "un" | "una" | "persona" | "ciudadano" | "ciudadana")
        };
        let mut back = before.iter().rev().skip_while(filler);
        if back.next().is_some_and(|w| is_negator(w)) {
            return Some(Citizenship::PermanentResident);
        }
    }
    let negator = ws.iter().position(|w| is_negator(w));
    let resident =
        ws.iter().position(|w| matches!(*w, "permanent" | "green" | "lpr" | "lawful" | "resident" | "residente"));
    if let (Some(n), Some(r)) = (negator, resident) {
        if n < r {
            return Some(Citizenship::ForeignNational);
        }
    }
    if ws.iter().any(|w| w.starts_with("extranjer")) {
        return Some(Citizenship::ForeignNational);
    }
    if phrase("permanentresident")
        || phrase("greencard")
        || has("lpr")
        || phrase("lawfulresident")
        || phrase("residentepermanente")
    {
        return Some(Citizenship::PermanentResident);
    }
    if phrase("foreignnational") || phrase("foreigncitizen") || phrase("notauscitizen") || phrase("notuscitizen") {
        return Some(Citizenship::ForeignNational);
    }
    if has("national") && (phrase("usnational") || phrase("noncitizennational") || phrase("americannational")) {
        return Some(Citizenship::UsNational);
    }
    if has("no")
        || has("not")
        || has("non")
        || has("false")
        || has("none")
        || has("neither")
        || sq.starts_with("noncitizen")
    {
        return Some(Citizenship::ForeignNational);
    }
    if has("foreign") {
        return Some(Citizenship::ForeignNational);
    }
    if has("citizen")
        || has("yes")
        || has("si")
        || ws.iter().any(|w| w.starts_with("ciudadan"))
        || TRUE.contains(&w.as_str())
        || matches!(sq.as_str(), "us" | "usa" | "american")
    {
        return Some(Citizenship::UsCitizen);
    }
    None
}

/// The payment method as forms word it.
pub fn read_method(s: &str) -> Option<Method> {
    if let Some(m) = exact::<Method>(s) {
        return Some(m);
    }
    let sq = squash(s);
    let any = |list: &[&str]| list.iter().any(|p| sq.contains(p));
    if any(&[
        "credit",
        "debit",
        "card",
        "visa",
        "mastercard",
        "amex",
        "americanexpress",
        "discover",
        "applepay",
        "googlepay",
    ]) {
        return Some(Method::Card);
    }
    if any(&["ach", "echeck", "bank", "eft", "directdebit", "sepa"]) {
        return Some(Method::Ach);
    }
    if any(&["wire"]) {
        return Some(Method::Wire);
    }
    if any(&["check", "cheque", "mail"]) {
        return Some(Method::Check);
    }
    if any(&["cash"]) {
        return Some(Method::Cash);
    }
    if any(&["paypal", "venmo", "other"]) {
        return Some(Method::Other);
    }
    None
}

/// Individual or organization.
pub fn read_kind(s: &str) -> Option<DonorKind> {
    if let Some(k) = exact::<DonorKind>(s) {
        return Some(k);
    }
    match squash(s).as_str() {
        "person" | "personal" | "individualdonor" | "myself" | "me" => Some(DonorKind::Individual),
        "organisation" | "company" | "business" | "corporation" | "organizationdonor" => Some(DonorKind::Organization),
        _ => None,
    }
}

/// State names (lower-case words) by USPS code: the states, DC, the territories, the military.
const STATE_NAMES: [(&str, &str); 66] = [
    ("alabama", "AL"),
    ("alaska", "AK"),
    ("arizona", "AZ"),
    ("arkansas", "AR"),
    ("california", "CA"),
    ("colorado", "CO"),
    ("connecticut", "CT"),
    ("delaware", "DE"),
    ("florida", "FL"),
    ("georgia", "GA"),
    ("hawaii", "HI"),
    ("idaho", "ID"),
    ("illinois", "IL"),
    ("indiana", "IN"),
    ("iowa", "IA"),
    ("kansas", "KS"),
    ("kentucky", "KY"),
    ("louisiana", "LA"),
    ("maine", "ME"),
    ("maryland", "MD"),
    ("massachusetts", "MA"),
    ("michigan", "MI"),
    ("minnesota", "MN"),
    ("mississippi", "MS"),
    ("missouri", "MO"),
    ("montana", "MT"),
    ("nebraska", "NE"),
    ("nevada", "NV"),
    ("new hampshire", "NH"),
    ("new jersey", "NJ"),
    ("new mexico", "NM"),
    ("new york", "NY"),
    ("north carolina", "NC"),
    ("north dakota", "ND"),
    ("ohio", "OH"),
    ("oklahoma", "OK"),
    ("oregon", "OR"),
    ("pennsylvania", "PA"),
    ("rhode island", "RI"),
    ("south carolina", "SC"),
    ("south dakota", "SD"),
    ("tennessee", "TN"),
    ("texas", "TX"),
    ("utah", "UT"),
    ("vermont", "VT"),
    ("virginia", "VA"),
    ("washington", "WA"),
    ("west virginia", "WV"),
    ("wisconsin", "WI"),
    ("wyoming", "WY"),
    ("district of columbia", "DC"),
    ("washington dc", "DC"),
    ("washington d c", "DC"),
    ("puerto rico", "PR"),
    ("guam", "GU"),
    ("virgin islands", "VI"),
    ("u s virgin islands", "VI"),
    ("us virgin islands", "VI"),
    ("american samoa", "AS"),
    ("northern mariana islands", "MP"),
    ("armed forces americas", "AA"),
    ("armed forces americas except canada", "AA"),
    ("armed forces europe", "AE"),
    ("armed forces africa canada europe middle east", "AE"),
    ("armed forces europe middle east africa canada", "AE"),
    ("armed forces pacific", "AP"),
];

/// A state as a USPS code when it is one of the 59 (by code or name); otherwise as typed.
pub fn read_state(s: &str) -> String {
    let t = s.trim();
    if t.len() == 2 {
        let up = t.to_ascii_uppercase();
        if STATES.contains(&up.as_str()) {
            return up;
        }
    }
    let mut w = words(t);
    // "State of Illinois", "Commonwealth of Puerto Rico", "the District of Columbia".
    for lead in ["state of ", "commonwealth of ", "the ", "territory of "] {
        if let Some(rest) = w.strip_prefix(lead) {
            w = rest.to_owned();
        }
    }
    // "IL - Illinois", "Illinois (IL)".
    let w = w
        .split(' ')
        .filter(|p| !(p.len() == 2 && STATES.iter().any(|c| c.eq_ignore_ascii_case(p))))
        .collect::<Vec<_>>();
    let joined = w.join(" ");
    STATE_NAMES
        .iter()
        .find(|(name, _)| *name == joined)
        .map(|(_, code)| (*code).to_owned())
        .or_else(|| codes_in(t))
        .unwrap_or_else(|| s.to_owned())
}

/// "IL" alone among the words ("IL - Illinois" with an unknown spelling): the one valid code.
fn codes_in(s: &str) -> Option<String> {
    let mut found = s
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()) && STATES.contains(p));
    let one = found.next()?;
    found.next().is_none().then(|| one.to_owned())
}

/// The United States as Spanish-language forms and donors write it ("Estados Unidos",
/// "EE. UU.", "EEUU", "E.U.A."), as lower-case words (`words`) and squashed (`squash`).
const US_IN_SPANISH: [&str; 6] =
    ["estados unidos", "estados unidos de america", "eeuu", "eua", "estadosunidos", "estadosunidosdeamerica"];

/// A country as its alpha-2 code when the table knows it (or it is the United States written in
/// Spanish); otherwise as typed.
pub fn read_country(s: &str) -> String {
    if let Some(c) = countries::lookup(s) {
        return c.alpha2.to_owned();
    }
    let folded = fold_spanish(s);
    if US_IN_SPANISH.contains(&words(&folded).as_str()) || US_IN_SPANISH.contains(&squash(&folded).as_str()) {
        return "US".to_owned();
    }
    s.to_owned()
}

/// A decimal comma, as Spanish-language pages write money ("50,00", "1.234,56"), in the
/// engine's syntax: only a comma before exactly two final digits, with dots (if any) grouping
/// thousands before it. U.S. grouping puts three digits after every comma, so these cannot be
/// read two ways; "1,00" in a U.S. reading is no amount at all. "1.234" and "25,5" stay
/// ambiguous and are not read.
fn decimal_comma(t: &str) -> Option<String> {
    let (whole, cents) = t.rsplit_once(',')?;
    if cents.len() != 2 || !cents.bytes().all(|b| b.is_ascii_digit()) || whole.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(t.len());
    for (i, group) in whole.split('.').enumerate() {
        let size_ok = if i == 0 { (1..=3).contains(&group.len()) || !whole.contains('.') } else { group.len() == 3 };
        if !size_ok || group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(group);
    }
    out.push('.');
    out.push_str(cents);
    Some(out)
}

/// An amount as donors type it, in the engine's syntax; as typed when it is not money.
pub fn read_money(s: &str) -> String {
    let mut t = s.trim();
    for cur in ["USD", "usd", "US$", "$", "US", "dollars"] {
        t = t.trim_start_matches(cur).trim_end_matches(cur).trim();
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let t = decimal_comma(&t).unwrap_or(t);
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t.as_str(), None),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (groups.first().is_some_and(|g| (1..=3).contains(&g.len())) && groups.iter().skip(1).all(|g| g.len() == 3));
    let whole: String = if grouped { groups.concat() } else { whole.to_owned() };
    // "25.00" stays; "25.5" stays; the engine's amount syntax decides.
    let out = match frac {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    if crate::money::parse(&out).is_some() {
        out
    } else {
        s.to_owned()
    }
}

/// The amount: the radio group (the first name) unless the "other" box is filled, or the radio
/// says other/custom.
fn read_amount(map: &FieldMap, pairs: &[(String, String)]) -> Option<AmountInput> {
    let chosen = match map.0.get("contribution.amount")? {
        Source::Fixed { value } => Some(value.as_str()).filter(|v| !v.trim().is_empty()),
        Source::One(name) => field(pairs, name).into_iter().next(),
        Source::Many(names) => {
            let radio = names.first().and_then(|n| field(pairs, n).into_iter().next());
            let other = names.iter().skip(1).flat_map(|n| field(pairs, n)).next();
            let radio_is_other = radio.map_or(true, |r| {
                let w = squash(r);
                w.is_empty() || w.contains("other") || w.contains("custom") || w == "0"
            });
            match (radio, other) {
                (_, Some(o)) => Some(o),
                (Some(r), None) if !radio_is_other => Some(r),
                _ => None,
            }
        }
    };
    chosen.map(|v| AmountInput::Text(read_money(v)))
}

/// `attestations.affirmed.<id>` checkboxes and `attestations.affirmed` id-valued fields.
fn read_affirmed(map: &FieldMap, pairs: &[(String, String)]) -> Option<Vec<Option<String>>> {
    let mut ids: Vec<String> = Vec::new();
    for (path, _) in map.0.iter() {
        if let Some(id) = path.strip_prefix("attestations.affirmed.") {
            let checked = match map.0.get(path) {
                Some(Source::Fixed { value }) => is_checked(value),
                _ => map.values(path, pairs).iter().any(|v| is_checked(v) || v.trim() == id),
            };
            if checked && !id.is_empty() && !ids.iter().any(|i| i == id) {
                ids.push(id.to_owned());
            }
        }
    }
    for v in map.values("attestations.affirmed", pairs) {
        let v = v.trim();
        if !ids.iter().any(|i| i == v) {
            ids.push(v.to_owned());
        }
    }
    (!ids.is_empty()).then(|| ids.into_iter().map(Some).collect())
}

const HONORIFICS: [&str; 10] = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "hon", "sir"];
const SUFFIXES: [&str; 10] = ["jr", "sr", "ii", "iii", "iv", "v", "md", "phd", "esq", "dds"];

/// "Ada Lovelace", "Lovelace, Ada", "Dr. Martin Luther King Jr." → (first, last). The suffix
/// stays on the last name ("King Jr."); honorifics are dropped. One word is a first name only.
pub fn split_name(s: &str) -> Option<(String, Option<String>)> {
    let is = |w: &str, list: &[&str]| list.contains(&squash(w).as_str());
    if let Some((last, first)) = s.split_once(',') {
        let first_words: Vec<&str> =
            first.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        // "King, Martin Luther, Jr." or "Lovelace, Ada".
        let (first, suffix): (Vec<&str>, Vec<&str>) = first_words.iter().partition(|w| !is(w, &SUFFIXES));
        let first: Vec<&str> = first.into_iter().filter(|w| !is(w, &HONORIFICS)).collect();
        let mut last = last.split_whitespace().collect::<Vec<_>>();
        // "Lovelace Jr., Ada" keeps its suffix; "King, Jr." alone is no name.
        if !first.is_empty() && !last.is_empty() {
            last.extend(suffix);
            return Some((first.join(" "), Some(last.join(" "))));
        }
    }
    let mut ws: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    while ws.first().is_some_and(|w| is(w, &HONORIFICS)) && ws.len() > 1 {
        ws.remove(0);
    }
    let mut suffix = Vec::new();
    while ws.len() > 2 && ws.last().is_some_and(|w| is(w, &SUFFIXES)) {
        suffix.insert(0, ws.pop().unwrap_or_default());
    }
    match ws.as_slice() {
        [] => None,
        [one] => Some(((*one).to_owned(), None)),
        [firsts @ .., last] => {
            let mut last = vec![*last];
            last.extend(suffix);
            Some((firsts.join(" "), Some(last.join(" "))))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }
    fn map(j: &str) -> FieldMap {
        serde_json::from_str(j).unwrap()
    }
    fn amount(fields: &[(&str, &str)], m: &str) -> Option<String> {
        read_form(&pairs(fields), &map(m)).contribution.and_then(|c| c.amount).map(|a| a.as_str().to_owned())
    }

    #[test]
    fn amounts_as_typed() {
        for (typed, want) in [
            ("$1,000", "1000"),
            ("1,000.00", "1000.00"),
            ("75", "75"),
            ("$25.00 USD", "25.00"),
            (" $ 75 ", "75"),
            ("US$50", "50"),
            ("12,345,678.90", "12345678.90"),
            ("50,00", "50.00"),
            ("1.234,56", "1234.56"),
            ("1 234,56 $", "1234.56"),
            ("US$ 12.345.678,90", "12345678.90"),
        ] {
            assert_eq!(read_money(typed), want, "{typed:?}");
        }
        for bad in ["abc", "-5", "1.234", "25,5", "1,2345", "12.34,56", ",50", "1.2.3,45", "1,234,56"] {
            assert_eq!(read_money(bad), bad, "{bad:?}");
        }
    }

    #[test]
    fn the_other_box_wins_when_filled_or_chosen() {
        let m = r#"{"contribution.amount":["give-amount","other_amount"]}"#;
        assert_eq!(amount(&[("give-amount", "25"), ("other_amount", "")], m).as_deref(), Some("25"));
        assert_eq!(amount(&[("give-amount", "other"), ("other_amount", "$75")], m).as_deref(), Some("75"));
        assert_eq!(amount(&[("give-amount", "custom"), ("other_amount", "75")], m).as_deref(), Some("75"));
        assert_eq!(amount(&[("other_amount", "75")], m).as_deref(), Some("75"));
        assert_eq!(amount(&[("give-amount", "25"), ("other_amount", "75")], m).as_deref(), Some("75"));
        assert_eq!(amount(&[("give-amount", "other"), ("other_amount", " ")], m), None);
        assert_eq!(amount(&[], m), None);
    }

    #[test]
    fn states_by_code_and_name() {
        for (typed, want) in [
            ("Illinois", "IL"),
            ("il", "IL"),
            ("IL", "IL"),
            ("District of Columbia", "DC"),
            ("Washington, D.C.", "DC"),
            ("Puerto Rico", "PR"),
            ("U.S. Virgin Islands", "VI"),
            ("Northern Mariana Islands", "MP"),
            ("Armed Forces Americas", "AA"),
            ("Armed Forces Americas (except Canada)", "AA"),
            ("Armed Forces Europe", "AE"),
            ("Armed Forces Pacific", "AP"),
            ("NEW YORK", "NY"),
            ("IL - Illinois", "IL"),
            ("State of Washington", "WA"),
        ] {
            assert_eq!(read_state(typed), want, "{typed:?}");
        }
        for kept in ["Ontario", "Bavaria", "ZZ", "Federated States of Micronesia"] {
            assert_eq!(read_state(kept), kept);
        }
        // Every one of the 59 codes has a name.
        for code in STATES {
            assert!(STATE_NAMES.iter().any(|(_, c)| *c == code), "{code}");
        }
    }

    #[test]
    fn countries_by_code_or_name() {
        assert_eq!(read_country("United States"), "US");
        assert_eq!(read_country("usa"), "US");
        assert_eq!(read_country("Canada"), "CA");
        assert_eq!(read_country("DEU"), "DE");
        assert_eq!(read_country("Narnia"), "Narnia");
    }

    #[test]
    fn citizenship_words() {
        use Citizenship::*;
        for (typed, want) in [
            ("U.S. citizen", UsCitizen),
            ("Yes, I am a US citizen", UsCitizen),
            ("yes", UsCitizen),
            ("on", UsCitizen),
            ("us_citizen", UsCitizen),
            ("American citizen", UsCitizen),
            ("green card", PermanentResident),
            ("Green-card holder", PermanentResident),
            ("Lawful permanent resident", PermanentResident),
            ("U.S. national", UsNational),
            ("Non-citizen U.S. national", UsNational),
            ("no", ForeignNational),
            ("No, I am not a U.S. citizen", ForeignNational),
            ("Foreign national", ForeignNational),
            ("Non-citizen", ForeignNational),
            ("I am not a U.S. citizen or permanent resident", ForeignNational),
            ("Not a U.S. citizen or green card holder", ForeignNational),
            ("No, I am neither a citizen nor a lawful permanent resident", ForeignNational),
            ("I am a lawful permanent resident (green card holder)", PermanentResident),
            ("Non-citizen, lawful permanent resident", PermanentResident),
        ] {
            assert_eq!(read_citizenship(typed), Some(want), "{typed:?}");
        }
        assert_eq!(read_citizenship("maybe"), None);
        assert_eq!(read_citizenship(""), None);
    }

    #[test]
    fn method_and_kind_words() {
        assert_eq!(read_method("Credit Card"), Some(Method::Card));
        assert_eq!(read_method("Visa"), Some(Method::Card));
        assert_eq!(read_method("eCheck"), Some(Method::Ach));
        assert_eq!(read_method("Bank transfer"), Some(Method::Ach));
        assert_eq!(read_method("Cheque"), Some(Method::Check));
        assert_eq!(read_method("wire transfer"), Some(Method::Wire));
        assert_eq!(read_method("PayPal"), Some(Method::Other));
        assert_eq!(read_method("???"), None);
        assert_eq!(read_kind("Business"), Some(DonorKind::Organization));
        assert_eq!(read_kind("individual"), Some(DonorKind::Individual));
    }

    #[test]
    fn full_names_split() {
        let s = |n: &str| split_name(n).map(|(f, l)| (f, l.unwrap_or_default()));
        assert_eq!(s("Ada Lovelace"), Some(("Ada".into(), "Lovelace".into())));
        assert_eq!(s("Lovelace, Ada"), Some(("Ada".into(), "Lovelace".into())));
        assert_eq!(s("Dr. Martin Luther King Jr."), Some(("Martin Luther".into(), "King Jr.".into())));
        assert_eq!(s("King, Martin Luther, Jr."), Some(("Martin Luther".into(), "King Jr.".into())));
        assert_eq!(s("Cher"), Some(("Cher".into(), String::new())));
        assert_eq!(s("  "), None);
    }

    #[test]
    fn attestations_from_checkboxes() {
        let m = map(
            r#"{"attestations.affirmed.own_funds":"c1","attestations.affirmed.not_foreign":"c2","attestations.affirmed.card":"c3"}"#,
        );
        let sub = read_form(&pairs(&[("c1", "on"), ("c2", "not_foreign"), ("c3", "")]), &m);
        let aff = sub.attestations.unwrap().affirmed.unwrap();
        assert_eq!(aff, vec![Some("not_foreign".to_owned()), Some("own_funds".to_owned())]);
    }

    #[test]
    fn a_full_form_and_hostile_names() {
        let m = map(r#"{"donor.first_name":"constructor","donor.last_name":"__proto__","donor.full_name":"toString",
            "donor.address.state":"state","donor.citizenship":"cit","recipient.type":{"value":"candidate"},
            "unknown.path":"x"}"#);
        let sub = read_form(
            &pairs(&[
                ("constructor", "Ada"),
                ("__proto__", "Lovelace"),
                ("state", "Illinois"),
                ("cit", "U.S. citizen"),
            ]),
            &m,
        );
        let d = sub.donor.unwrap();
        assert_eq!(d.first_name.as_deref(), Some("Ada"));
        assert_eq!(d.last_name.as_deref(), Some("Lovelace"));
        assert_eq!(d.address.unwrap().state.as_deref(), Some("IL"));
        assert_eq!(d.citizenship, Some(Blankable::Value(Citizenship::UsCitizen)));
        assert_eq!(sub.recipient.unwrap().kind, Some(Blankable::Value(RecipientType::Candidate)));
        assert!(sub.contribution.is_none());
        // Nothing mapped: the empty submission.
        assert_eq!(read_form(&pairs(&[("a", "b")]), &FieldMap::default()), Submission::default());
    }
}
