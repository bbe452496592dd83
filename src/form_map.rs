//! Mapping a donation form's controls to submission paths without renaming them: one pure
//! function, [`map_form`], over descriptors of the controls the page renders (name, type,
//! `autocomplete`, label texts, fieldset legend, placeholder, options). It returns the
//! [`FieldMap`] that [`crate::form::read_form`] reads the posted form with, and the required
//! paths it could not map, so the widget can fail open (and say so) instead of blocking.
//!
//! # How a control gets its path (first that answers wins)
//!
//! 1. `path`: the page's explicit `data-dg-field` (a known path only).
//! 2. Skipped outright: a name or `autocomplete` that belongs to someone else or to the card
//!    (`shipping_*`, tribute/honoree fields, `cc-*`, phone, company, password).
//! 3. The `autocomplete` token (`given-name`, `family-name`, `address-line1`, `postal-code`,
//!    `address-level1`/`2`, `country`, `email`, `transaction-amount`, ...).
//! 4. The name: split into words (brackets, `_`, `-`, `.`, camelCase), then the longest tail of
//!    words that is a known name (`billing_street_address-5` → `street address`,
//!    `wpforms[fields][3][first]` → `first`, `civicrm_1_contact_1_address_postal_code` →
//!    `postal code`, `SelectAmount` → `amount`); a trailing number is dropped when nothing
//!    matched with it (`email-5`).
//! 5. The label text (`<label for>`, a wrapping label, `aria-label`, `aria-labelledby`), then
//!    the placeholder, then the fieldset legend, against an English and Spanish vocabulary
//!    (`First`, `ZIP / Postal Code`, `Correo electrónico`, `Otra cantidad`). For a radio group
//!    the legend comes first (its own labels are the choices).
//! 6. The options: a list with most U.S. state names or codes is the state; a radio group or
//!    select of dollar amounts is the amount; choices that speak of citizenship are the
//!    citizenship question.
//!
//! Two kinds of control are read narrowly: a lone checkbox only as the citizenship question (it
//! states the donor's status; ticked, it means what its own label says; it yields to any real
//! question on the page), and a hidden input only as the amount, by its name (the input a page's
//! amount buttons write), when no visible choice holds it.
//!
//! Each path goes to the first control that claims it, strongest source first. The amount is
//! assembled last: the radio group (or select) first, then its "other" box (`OtherAmount`,
//! `give-amount-other`, a box labelled "Other"), as `read_form` expects.

use crate::form::{FieldMap, Name, Source};
use crate::map::VecMap;
use serde::{Deserialize, Serialize};

/// One option of a `<select>` or one radio/checkbox of a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Choice {
    pub value: String,
    pub text: String,
}

/// What the page says about one named control (a radio group is one control).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Control {
    pub name: String,
    /// The input type (`text`, `email`, `radio`, `checkbox`, `number`, `tel`, ...), `select`
    /// or `textarea`.
    #[serde(rename = "type")]
    pub kind: String,
    pub autocomplete: String,
    /// Label texts: `<label for>`, a wrapping label, `aria-label`, `aria-labelledby`.
    pub labels: Vec<String>,
    pub legend: String,
    pub placeholder: String,
    pub options: Vec<Choice>,
    /// `data-dg-field`: the page's own choice.
    pub path: Option<String>,
}

/// Where one path was found, for the console table and for naming the field in messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    pub path: String,
    pub names: Vec<String>,
    /// The donor-facing name of the field: its label, else legend, placeholder or name.
    pub label: String,
    /// `path`, `autocomplete`, `name`, `label`, `placeholder`, `legend` or `options`.
    pub source: &'static str,
}

/// The answer of [`map_form`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mapping {
    pub map: FieldMap,
    /// One row per mapped path, in form order.
    pub fields: Vec<Mapped>,
    /// Required paths no control maps to (see [`REQUIRED`]).
    pub missing: Vec<String>,
    /// Names of the controls left unmapped.
    pub unmapped: Vec<String>,
}

/// The paths a form must supply for a verdict without `field_required` (the address rule's
/// list, plus the amount). `donor.full_name` stands in for both names. Citizenship is not
/// here: the engine does not require it (the citizenship statement covers it), and the widget
/// asks it itself when the form has no such question.
pub const REQUIRED: [&str; 7] = [
    "donor.first_name",
    "donor.last_name",
    "donor.address.line1",
    "donor.address.city",
    "donor.address.state",
    "donor.address.postal_code",
    "contribution.amount",
];

/// Paths a control may be mapped to (`data-dg-field` is checked against them).
const PATHS: [&str; 21] = [
    "donor.first_name",
    "donor.last_name",
    "donor.full_name",
    "donor.email",
    "donor.address.line1",
    "donor.address.line2",
    "donor.address.city",
    "donor.address.state",
    "donor.address.postal_code",
    "donor.address.country",
    "donor.employer",
    "donor.occupation",
    "donor.citizenship",
    "donor.kind",
    "donor.passport.number",
    "donor.passport.country",
    "contribution.amount",
    "contribution.method",
    "contribution.currency",
    "recipient.type",
    "recipient.election",
];

const FIRST: &str = "donor.first_name";
const LAST: &str = "donor.last_name";
const FULL: &str = "donor.full_name";
const EMAIL: &str = "donor.email";
const LINE1: &str = "donor.address.line1";
const LINE2: &str = "donor.address.line2";
const CITY: &str = "donor.address.city";
const STATE: &str = "donor.address.state";
const ZIP: &str = "donor.address.postal_code";
const COUNTRY: &str = "donor.address.country";
const EMPLOYER: &str = "donor.employer";
const OCCUPATION: &str = "donor.occupation";
const CITIZENSHIP: &str = "donor.citizenship";
const AMOUNT: &str = "contribution.amount";
/// Not a path: the "other amount" box of the amount.
const OTHER: &str = "contribution.amount#other";
const SKIP: &str = "";

/// Name words that make a control someone else's (a tribute, the shipping address) or not
/// donor data at all.
const FOREIGN_WORDS: [&str; 14] = [
    "shipping",
    "tribute",
    "honoree",
    "honor",
    "memory",
    "memorial",
    "notify",
    "ecard",
    "spouse",
    "recipient",
    "referrer",
    "captcha",
    "coupon",
    "confirm",
];

/// Squashed name tails → path (SKIP: known, and not the donor's).
const NAMES: &[(&str, &str)] = &[
    ("firstname", FIRST),
    ("fname", FIRST),
    ("givenname", FIRST),
    ("first", FIRST),
    ("forename", FIRST),
    ("nombre", FIRST),
    ("primernombre", FIRST),
    ("lastname", LAST),
    ("lname", LAST),
    ("surname", LAST),
    ("familyname", LAST),
    ("last", LAST),
    ("apellido", LAST),
    ("apellidos", LAST),
    ("fullname", FULL),
    ("name", FULL),
    ("yourname", FULL),
    ("donorname", FULL),
    ("nombrecompleto", FULL),
    ("email", EMAIL),
    ("emailaddress", EMAIL),
    ("mail", EMAIL),
    ("correo", EMAIL),
    ("correoelectronico", EMAIL),
    ("line1", LINE1),
    ("address1", LINE1),
    ("addressline1", LINE1),
    ("address", LINE1),
    ("street", LINE1),
    ("street1", LINE1),
    ("streetaddress", LINE1),
    ("streetaddress1", LINE1),
    ("addr", LINE1),
    ("addr1", LINE1),
    ("direccion", LINE1),
    ("calle", LINE1),
    ("line2", LINE2),
    ("address2", LINE2),
    ("addressline2", LINE2),
    ("addr2", LINE2),
    ("street2", LINE2),
    ("streetaddress2", LINE2),
    ("supplementalstreetaddress", LINE2),
    ("city", CITY),
    ("town", CITY),
    ("locality", CITY),
    ("ciudad", CITY),
    ("municipio", CITY),
    ("state", STATE),
    ("stateprovince", STATE),
    ("stateprovinceid", STATE),
    ("statecode", STATE),
    ("province", STATE),
    ("region", STATE),
    ("administrativearea", STATE),
    ("estado", STATE),
    ("provincia", STATE),
    ("zip", ZIP),
    ("zipcode", ZIP),
    ("zip5", ZIP),
    ("postalcode", ZIP),
    ("postcode", ZIP),
    ("postal", ZIP),
    ("zippostal", ZIP),
    ("codigopostal", ZIP),
    ("country", COUNTRY),
    ("countryid", COUNTRY),
    ("countrycode", COUNTRY),
    ("countryname", COUNTRY),
    ("pais", COUNTRY),
    ("employer", EMPLOYER),
    ("employername", EMPLOYER),
    ("currentemployer", EMPLOYER),
    ("empleador", EMPLOYER),
    ("occupation", OCCUPATION),
    ("jobtitle", OCCUPATION),
    ("profession", OCCUPATION),
    ("ocupacion", OCCUPATION),
    ("citizenship", CITIZENSHIP),
    ("citizen", CITIZENSHIP),
    ("uscitizen", CITIZENSHIP),
    ("citizenshipstatus", CITIZENSHIP),
    ("ciudadania", CITIZENSHIP),
    ("donorkind", "donor.kind"),
    ("donortype", "donor.kind"),
    ("passportnumber", "donor.passport.number"),
    ("passport", "donor.passport.number"),
    ("passportcountry", "donor.passport.country"),
    ("amount", AMOUNT),
    ("amounts", AMOUNT),
    ("donationamount", AMOUNT),
    ("contributionamount", AMOUNT),
    ("giveamount", AMOUNT),
    ("totalamount", AMOUNT),
    ("selectamount", AMOUNT),
    ("price", AMOUNT),
    ("cantidad", AMOUNT),
    ("monto", AMOUNT),
    ("otheramount", OTHER),
    ("amountother", OTHER),
    ("customamount", OTHER),
    ("amountcustom", OTHER),
    ("otracantidad", OTHER),
    ("otromonto", OTHER),
    ("other", OTHER),
    ("method", "contribution.method"),
    ("paymentmethod", "contribution.method"),
    ("currency", "contribution.currency"),
    ("election", "recipient.election"),
    // Known, and not the donor's data.
    ("companyname", SKIP),
    ("company", SKIP),
    ("organization", SKIP),
    ("organisation", SKIP),
    ("phone", SKIP),
    ("telephone", SKIP),
    ("phonenumber", SKIP),
    ("tel", SKIP),
    ("mobile", SKIP),
    ("cardname", SKIP),
    ("nameoncard", SKIP),
    ("ccname", SKIP),
    ("cardnumber", SKIP),
    ("ccnumber", SKIP),
    ("username", SKIP),
    ("displayname", SKIP),
];

/// Label vocabulary, English and Spanish: word sequences (a trailing `*` matches a word's
/// start), most specific first. SKIP stops the search.
const LABELS: &[(&str, &str)] = &[
    // First: a citizenship question may speak of a "green card" (not the payment card).
    ("citizen*", CITIZENSHIP),
    ("ciudadan*", CITIZENSHIP),
    ("foreign national", CITIZENSHIP),
    ("extranjero", CITIZENSHIP),
    ("card", SKIP),
    ("tarjeta", SKIP),
    ("cvv", SKIP),
    ("cvc", SKIP),
    ("security code", SKIP),
    ("expir*", SKIP),
    ("phone", SKIP),
    ("telefono", SKIP),
    ("celular", SKIP),
    ("company", SKIP),
    ("organization", SKIP),
    ("organizacion", SKIP),
    ("comment*", SKIP),
    ("message", SKIP),
    ("mensaje", SKIP),
    ("honor", SKIP),
    ("tribute", SKIP),
    ("memory", SKIP),
    ("shipping", SKIP),
    ("envio", SKIP),
    ("password", SKIP),
    ("confirm*", SKIP),
    ("username", SKIP),
    ("address line 2", LINE2),
    ("address 2", LINE2),
    ("line 2", LINE2),
    ("apartment", LINE2),
    ("apt", LINE2),
    ("suite", LINE2),
    ("unit", LINE2),
    ("linea 2", LINE2),
    ("apartamento", LINE2),
    ("email", EMAIL),
    ("e mail", EMAIL),
    ("correo", EMAIL),
    ("employer*", EMPLOYER),
    ("empleador", EMPLOYER),
    ("empresa", EMPLOYER),
    ("occupation", OCCUPATION),
    ("job title", OCCUPATION),
    ("profession", OCCUPATION),
    ("ocupacion", OCCUPATION),
    ("profesion", OCCUPATION),
    ("zip", ZIP),
    ("zip code", ZIP),
    ("postal", ZIP),
    ("postcode", ZIP),
    ("codigo postal", ZIP),
    ("passport", "donor.passport.number"),
    ("pasaporte", "donor.passport.number"),
    ("other amount", OTHER),
    ("custom amount", OTHER),
    ("otra cantidad", OTHER),
    ("otro monto", OTHER),
    ("otro importe", OTHER),
    ("other", OTHER),
    ("otra", OTHER),
    ("otro", OTHER),
    ("amount", AMOUNT),
    ("donation*", AMOUNT),
    ("contribution*", AMOUNT),
    ("gift", AMOUNT),
    ("cantidad", AMOUNT),
    ("monto", AMOUNT),
    ("importe", AMOUNT),
    ("donativo", AMOUNT),
    ("donacion", AMOUNT),
    ("contribucion", AMOUNT),
    ("payment method", "contribution.method"),
    ("metodo de pago", "contribution.method"),
    ("forma de pago", "contribution.method"),
    ("full name", FULL),
    ("nombre completo", FULL),
    ("nombre y apellido*", FULL),
    ("first", FIRST),
    ("given name", FIRST),
    ("forename", FIRST),
    ("primer nombre", FIRST),
    ("nombre de pila", FIRST),
    ("last", LAST),
    ("surname", LAST),
    ("family name", LAST),
    ("apellido*", LAST),
    ("nombre", FIRST),
    ("name", FULL),
    ("state", STATE),
    ("province", STATE),
    ("region", STATE),
    ("estado", STATE),
    ("provincia", STATE),
    ("city", CITY),
    ("town", CITY),
    ("ciudad", CITY),
    ("municipio", CITY),
    ("localidad", CITY),
    ("country", COUNTRY),
    ("pais", COUNTRY),
    ("street", LINE1),
    ("address", LINE1),
    ("direccion", LINE1),
    ("calle", LINE1),
    ("domicilio", LINE1),
];

/// `autocomplete` tokens (the last token of the attribute, after section and billing words).
const AUTOCOMPLETE: &[(&str, &str)] = &[
    ("given-name", FIRST),
    ("family-name", LAST),
    ("name", FULL),
    ("email", EMAIL),
    ("street-address", LINE1),
    ("address-line1", LINE1),
    ("address-line2", LINE2),
    ("address-level2", CITY),
    ("address-level1", STATE),
    ("postal-code", ZIP),
    ("country", COUNTRY),
    ("country-name", COUNTRY),
    ("organization-title", OCCUPATION),
    ("transaction-amount", AMOUNT),
    ("tel", SKIP),
    ("tel-national", SKIP),
    ("username", SKIP),
    ("new-password", SKIP),
    ("current-password", SKIP),
    ("one-time-code", SKIP),
    ("additional-name", SKIP),
    ("honorific-prefix", SKIP),
    ("honorific-suffix", SKIP),
];

/// Letters folded to ASCII (Spanish accents), lower case.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c => c.to_ascii_lowercase(),
    }
}

/// Text as lower-case ASCII words ("ZIP / Postal Code:" → ["zip", "postal", "code"]).
fn words(s: &str) -> Vec<String> {
    let folded: String = s.chars().map(fold).collect();
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// A control name as words: brackets, `_`, `-`, `.` and camelCase split it.
fn name_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars().map(|c| if c.is_ascii_uppercase() { c } else { fold(c) }) {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, p)| *p)
}

/// The path a control's name says, by its longest known tail of words.
fn by_name(ws: &[String]) -> Option<&'static str> {
    let tail = |ws: &[String]| (0..ws.len()).find_map(|start| ws.get(start..).and_then(|t| lookup(NAMES, &t.concat())));
    tail(ws).or_else(|| {
        let end = ws.iter().rposition(|w| !w.bytes().all(|b| b.is_ascii_digit()))?;
        let trimmed = ws.get(..=end)?;
        if trimmed.len() == ws.len() {
            return None;
        }
        // A trailing number dropped (CiviCRM's `email-5`); a trailing `id` too (`country_id`).
        tail(trimmed)
    })
}

/// Does `text` (as words) contain the pattern's words in a row?
fn contains(text: &[String], pattern: &str) -> bool {
    let pat: Vec<&str> = pattern.split(' ').collect();
    if pat.is_empty() || pat.len() > text.len() {
        return false;
    }
    text.windows(pat.len()).any(|win| {
        win.iter().zip(&pat).all(|(w, p)| match p.strip_suffix('*') {
            Some(prefix) => w.starts_with(prefix),
            None => w == p,
        })
    })
}

fn by_label(text: &str) -> Option<&'static str> {
    let ws = words(text);
    if ws.is_empty() {
        return None;
    }
    LABELS.iter().find(|(p, _)| contains(&ws, p)).map(|(_, path)| *path)
}

fn is_choice(kind: &str) -> bool {
    matches!(kind, "radio" | "select" | "select-one")
}

/// A checkbox on its own (one box under its name, not a group of several).
fn is_lone_checkbox(c: &Control) -> bool {
    c.kind == "checkbox" && c.options.len() <= 1
}

fn is_text(kind: &str) -> bool {
    matches!(kind, "" | "text" | "email" | "search" | "tel" | "number" | "url" | "textarea")
}

/// May a control of this type hold this path?
fn fits(path: &str, c: &Control) -> bool {
    let k = c.kind.as_str();
    match path {
        // A hidden input the page's own amount buttons write (`<button data-amount>` setting
        // `<input type=hidden name=amount>`): by its name only, see `amount`.
        AMOUNT => is_choice(k) || is_text(k) || k == "hidden",
        OTHER => is_text(k),
        // One checkbox that states the donor's status ("I am NOT a U.S. citizen or lawful
        // permanent resident"): ticked, it says what its label says (`citizenship_name`).
        CITIZENSHIP => is_choice(k) || is_text(k) || is_lone_checkbox(c),
        "donor.kind" | "contribution.method" | "recipient.election" | "recipient.type" => is_choice(k) || is_text(k),
        STATE | COUNTRY | "donor.passport.country" | "contribution.currency" => is_choice(k) || is_text(k),
        SKIP => true,
        _ => is_text(k),
    }
}

/// Most of the options are U.S. states (by name or code)?
fn options_are_states(c: &Control) -> bool {
    let n = c
        .options
        .iter()
        .filter(|o| {
            let s = crate::form::read_state(&o.value);
            let t = crate::form::read_state(&o.text);
            crate::normalize::STATES.contains(&s.as_str()) || crate::normalize::STATES.contains(&t.as_str())
        })
        .count();
    n >= 40
}

fn options_are_amounts(c: &Control) -> bool {
    let money = |s: &str| crate::money::parse(&crate::form::read_money(s)).is_some();
    let n = c.options.iter().filter(|o| money(&o.value) || money(&o.text)).count();
    n >= 2 && n + 1 >= c.options.len()
}

fn options_speak_of_citizenship(c: &Control) -> bool {
    c.options.iter().any(|o| {
        let ws = words(&format!("{} {}", o.value, o.text));
        contains(&ws, "citizen*") || contains(&ws, "ciudadan*") || contains(&ws, "green card")
    })
}

/// The path of one control and where it came from; `None` when nothing claims it.
fn classify(c: &Control) -> Option<(&'static str, &'static str)> {
    if let Some(p) = c.path.as_deref() {
        return PATHS.iter().find(|k| **k == p).map(|k| (*k, "path"));
    }
    let ws = name_words(&c.name);
    if ws.iter().any(|w| FOREIGN_WORDS.contains(&w.as_str())) {
        return None;
    }
    let ac_words: Vec<String> = c.autocomplete.split_ascii_whitespace().map(str::to_ascii_lowercase).collect();
    if ac_words.iter().any(|w| w == "shipping") {
        return None;
    }
    let ac = ac_words.last().map(String::as_str).unwrap_or("");
    if ac.starts_with("cc-") {
        return None;
    }
    let found = |path: &'static str, source| (path != SKIP && fits(path, c)).then_some((path, source));
    if let Some(path) = lookup(AUTOCOMPLETE, ac) {
        return found(path, "autocomplete");
    }
    let by_name = by_name(&ws);
    if c.kind == "hidden" {
        // Hidden inputs have no label the donor reads: only an amount, and only by name.
        return by_name.filter(|p| *p == AMOUNT).map(|p| (p, "name"));
    }
    if let Some(path) = by_name {
        if path == SKIP {
            return None;
        }
        // A box named only "name" (Elementor's default field id `form_fields[name]`, kept when
        // the campaign relabels it "First Name") is the half its own label says.
        if path == FULL {
            let half = c.labels.iter().find_map(|l| by_label(l).filter(|p| *p == FIRST || *p == LAST));
            if let Some(half) = half.filter(|h| fits(h, c)) {
                return Some((half, "label"));
            }
        }
        if fits(path, c) {
            return Some((path, "name"));
        }
    }
    let labels = c.labels.iter().map(|l| (l.as_str(), "label"));
    let legend = std::iter::once((c.legend.as_str(), "legend"));
    let placeholder = std::iter::once((c.placeholder.as_str(), "placeholder"));
    let texts: Vec<(&str, &'static str)> = if c.kind == "radio" {
        legend.chain(labels).collect()
    } else {
        labels.chain(placeholder).chain(legend).collect()
    };
    for (text, source) in texts {
        match by_label(text) {
            Some(SKIP) => return None,
            Some(path) if fits(path, c) => return Some((path, source)),
            _ => {}
        }
    }
    if is_choice(&c.kind) {
        if options_are_states(c) {
            return Some((STATE, "options"));
        }
        if options_speak_of_citizenship(c) {
            return Some((CITIZENSHIP, "options"));
        }
        if options_are_amounts(c) {
            return Some((AMOUNT, "options"));
        }
    }
    None
}

const STRENGTH: [&str; 7] = ["path", "autocomplete", "name", "label", "options", "placeholder", "legend"];

fn strength(source: &str) -> usize {
    STRENGTH.iter().position(|s| *s == source).unwrap_or(STRENGTH.len())
}

/// The control's name; for a choice whose option values are opaque numbers (CiviCRM's
/// `1228` for "United States", `3` for "$25.00"), with the option texts by value.
fn name_of(c: &Control) -> Name {
    // A number that is not the option's own amount ("25" for "$25" says what it means).
    let opaque = |v: &str, t: &str| {
        !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && crate::form::read_money(t) != v && t.trim() != v
    };
    let text: VecMap<String, String> = c
        .options
        .iter()
        .filter(|o| opaque(&o.value, &o.text) && !o.text.trim().is_empty())
        .map(|o| (o.value.clone(), o.text.trim().to_owned()))
        .collect();
    if is_choice(&c.kind) && !text.is_empty() {
        Name::Choices { name: c.name.clone(), text }
    } else {
        Name::Plain(c.name.clone())
    }
}

/// The citizenship question's name. A bare "Yes"/"No" answer means what the question asks,
/// and a question may ask it either way round: "Are you a U.S. citizen?" (Yes = a citizen) or
/// "Are you a foreign national?", "I am not a U.S. citizen or permanent resident" (Yes = a
/// foreign national). For a question asked the negative way, the bare answers are given their
/// meaning in the map's option texts, so `read_form` (here, in the widget and on the server)
/// reads "Yes" as `foreign_national` and "No" as "a U.S. citizen or permanent resident"
/// (`permanent_resident`: eligible at home, review abroad, the cautious reading of "not a
/// foreign national"). Options that say what they mean ("I am a U.S. citizen") keep their words.
fn citizenship_name(c: &Control) -> Name {
    if is_lone_checkbox(c) {
        return checkbox_citizenship(c);
    }
    let question = std::iter::once(c.legend.as_str())
        .chain(c.labels.iter().map(String::as_str))
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or("");
    // The question itself, not a note after it: "Are you a U.S. citizen? (Foreign nationals may
    // not give.)" asks the positive way.
    let clause = first_sentence(question.split(['?', '(', '!', ';']).next().unwrap_or(""));
    let negative = crate::form::read_citizenship(clause) == Some(crate::model::Citizenship::ForeignNational);
    let (name, mut text) = match name_of(c) {
        Name::Plain(name) => (name, VecMap::new()),
        Name::Choices { name, text } => (name, text),
    };
    // A value that says nothing ("c", "opt2") with a text that does ("I am a U.S. citizen"):
    // the text is what the donor chose.
    for o in &c.options {
        let read = crate::form::read_citizenship;
        if read(&o.value).is_none() && read(&o.text).is_some() && !text.contains_key(&o.value) {
            text.insert(o.value.clone(), o.text.trim().to_owned());
        }
    }
    if !negative {
        return if text.is_empty() { Name::Plain(name) } else { Name::Choices { name, text } };
    }
    let bare = |s: &str| {
        let w = words(s).join(" ");
        if crate::form::TRUE.contains(&w.as_str()) || w == "si" {
            Some(true)
        } else if ["no", "n", "false", "0"].contains(&w.as_str()) {
            Some(false)
        } else {
            None
        }
    };
    let meaning = |yes: bool| if yes { "foreign national" } else { "U.S. citizen or permanent resident" };
    for o in &c.options {
        // The option's text when the value is opaque (CiviCRM's 1/0), else its value.
        let shown = text.get(&o.value).cloned().unwrap_or_else(|| o.text.clone());
        if let Some(yes) = bare(&shown).or_else(|| bare(&o.value)) {
            text.insert(o.value.clone(), meaning(yes).to_owned());
        }
    }
    if c.options.is_empty() {
        // A lone checkbox posts its value ("on" by default) when ticked.
        for v in ["on", "yes", "Yes", "true", "1"] {
            text.insert(v.to_owned(), meaning(true).to_owned());
        }
    }
    if !text.is_empty() {
        Name::Choices { name, text }
    } else {
        Name::Plain(name)
    }
}

/// One checkbox stating a status: ticked, it posts its value (`on` by default, or the page's
/// `value`), which means what its own label states, never what a fieldset around it asks
/// ("Eligibility"). "I am NOT a U.S. citizen or lawful permanent resident" ticked is a foreign
/// national; "I confirm that I am not a foreign national" ticked is eligible; unticked, nothing
/// is posted and nothing is read (the widget's citizenship statement covers it).
fn checkbox_citizenship(c: &Control) -> Name {
    let statement = c
        .options
        .iter()
        .map(|o| o.text.as_str())
        .chain(c.labels.iter().map(String::as_str))
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or("");
    let clause = first_sentence(statement.split(['?', '(', '!', ';']).next().unwrap_or(""));
    let Some(read) = crate::form::read_citizenship(clause) else { return Name::Plain(c.name.clone()) };
    let wire = crate::model::Wire::wire(read).to_owned();
    let values: Vec<String> = match c.options.first() {
        Some(o) if !o.value.is_empty() => vec![o.value.clone()],
        _ => ["on", "yes", "Yes", "true", "1"].iter().map(|v| (*v).to_owned()).collect(),
    };
    Name::Choices { name: c.name.clone(), text: values.into_iter().map(|v| (v, wire.clone())).collect() }
}

/// Up to the first full stop that ends a sentence: one after a word of two letters or more
/// ("citizen. Foreign nationals ..."), not one in an abbreviation ("U.S. citizen", "i.e.").
fn first_sentence(text: &str) -> &str {
    let mut word = 0usize;
    for (i, ch) in text.char_indices() {
        if ch.is_alphanumeric() {
            word += 1;
        } else if ch == '.' && word > 1 && text.get(i + 1..).is_some_and(|rest| rest.starts_with(char::is_whitespace)) {
            return text.get(..i).unwrap_or(text);
        } else {
            word = 0;
        }
    }
    text
}

/// The donor-facing name of a control.
fn label_of(c: &Control) -> String {
    let clean = |s: &str| s.trim().trim_end_matches(['*', ':', ' ']).trim().to_owned();
    let own = c.labels.iter().map(|l| clean(l)).find(|l| !l.is_empty());
    let legend = clean(&c.legend);
    match own {
        Some(_) if c.kind == "radio" && !legend.is_empty() => legend,
        // A sub-label ("First" under "Name") reads better with its group.
        Some(l)
            if matches!(words(&l).as_slice(), [w] if ["first", "last", "middle"].contains(&w.as_str()))
                && !legend.is_empty() =>
        {
            format!("{legend} ({l})")
        }
        Some(l) => l,
        None if !legend.is_empty() => legend,
        None if !c.placeholder.trim().is_empty() => clean(&c.placeholder),
        None => c.name.clone(),
    }
}

impl Mapping {
    /// The mapping as JSON, the same as its `Serialize` gives (written by hand: the wasm stays
    /// smaller without serde's serializer for it).
    pub fn to_json(&self) -> String {
        use crate::canonical::write_json_string as s;
        let strings = |out: &mut String, list: &[String]| {
            out.push('[');
            for (i, n) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                s(out, n);
            }
            out.push(']');
        };
        let name = |out: &mut String, n: &Name| match n {
            Name::Plain(n) => s(out, n),
            Name::Choices { name, text } => {
                out.push_str("{\"name\":");
                s(out, name);
                out.push_str(",\"text\":{");
                for (i, (k, v)) in text.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    s(out, k);
                    out.push(':');
                    s(out, v);
                }
                out.push_str("}}");
            }
        };
        let mut out = String::from("{\"map\":{");
        for (i, (path, source)) in self.map.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            s(&mut out, path);
            out.push(':');
            match source {
                Source::One(n) => name(&mut out, n),
                Source::Many(ns) => {
                    out.push('[');
                    for (j, n) in ns.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        name(&mut out, n);
                    }
                    out.push(']');
                }
                Source::Fixed { value } => {
                    out.push_str("{\"value\":");
                    s(&mut out, value);
                    out.push('}');
                }
            }
        }
        out.push_str("},\"fields\":[");
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"path\":");
            s(&mut out, &f.path);
            out.push_str(",\"names\":");
            strings(&mut out, &f.names);
            out.push_str(",\"label\":");
            s(&mut out, &f.label);
            out.push_str(",\"source\":");
            s(&mut out, f.source);
            out.push('}');
        }
        out.push_str("],\"missing\":");
        strings(&mut out, &self.missing);
        out.push_str(",\"unmapped\":");
        strings(&mut out, &self.unmapped);
        out.push('}');
        out
    }
}

/// Maps a form's controls (in form order) to submission paths. Never fails.
pub fn map_form(controls: &[Control]) -> Mapping {
    // path → (strength, control index, source)
    // (path, strength, control index, source): a short list, so no map (the wasm stays small).
    let mut best: Vec<(&'static str, usize, usize, &'static str)> = Vec::new();
    let mut amounts: Vec<(usize, &'static str, &'static str)> = Vec::new();
    let mut claimed = vec![false; controls.len()];
    for (i, c) in controls.iter().enumerate() {
        if c.name.is_empty() {
            continue;
        }
        let Some((path, source)) = classify(c) else { continue };
        if path == AMOUNT || path == OTHER {
            amounts.push((i, path, source));
            continue;
        }
        // A lone checkbox is the citizenship question only when the page asks none of its own.
        let s = if path == CITIZENSHIP && is_lone_checkbox(c) { STRENGTH.len() } else { strength(source) };
        match best.iter_mut().find(|b| b.0 == path) {
            Some(b) if b.1 <= s => {}
            Some(b) => *b = (path, s, i, source),
            None => best.push((path, s, i, source)),
        }
    }
    let mut map = VecMap::new();
    // One row per control at most, in form order.
    let mut rows: Vec<Option<Mapped>> = vec![None; controls.len()];
    for (path, _, i, source) in &best {
        let Some(c) = controls.get(*i) else { continue };
        if let Some(flag) = claimed.get_mut(*i) {
            *flag = true;
        }
        let name = if *path == CITIZENSHIP { citizenship_name(c) } else { name_of(c) };
        map.insert((*path).to_owned(), Source::One(name));
        if let Some(row) = rows.get_mut(*i) {
            *row = Some(Mapped { path: (*path).to_owned(), names: vec![c.name.clone()], label: label_of(c), source });
        }
    }
    if let Some((names, row)) = amount(controls, &amounts) {
        for (i, _, _) in &amounts {
            if let (Some(flag), Some(c)) = (claimed.get_mut(*i), controls.get(*i)) {
                *flag = names.iter().any(|n| n.name() == c.name);
            }
        }
        let source = match names.as_slice() {
            [one] => Source::One(one.clone()),
            _ => Source::Many(names),
        };
        map.insert(AMOUNT.to_owned(), source);
        if let Some(slot) = rows.get_mut(row.0) {
            *slot = Some(row.1);
        }
    }
    let has = |p: &str| map.contains_key(p);
    let missing = REQUIRED
        .iter()
        .filter(|p| !(has(p) || ((**p == FIRST || **p == LAST) && has(FULL))))
        .map(|p| (*p).to_owned())
        .collect();
    let unmapped = controls
        .iter()
        .zip(&claimed)
        .filter(|(c, done)| !**done && !c.name.is_empty())
        .map(|(c, _)| c.name.clone())
        .collect();
    Mapping { map: FieldMap(map), fields: rows.into_iter().flatten().collect(), missing, unmapped }
}

/// The amount: the choice (radio group or select) first, then the boxes ("other" ones first).
/// With no choice, the plain boxes come first and the "other" ones after.
fn amount(controls: &[Control], found: &[(usize, &'static str, &'static str)]) -> Option<(Vec<Name>, (usize, Mapped))> {
    let get = |i: &usize| controls.get(*i);
    let choice = found.iter().filter(|(i, p, _)| *p == AMOUNT && get(i).is_some_and(|c| is_choice(&c.kind)));
    let choice = choice.min_by_key(|(_, _, s)| strength(s)).copied();
    // With no visible choice, the hidden input the page's amount buttons write stands in for it.
    let choice = choice
        .or_else(|| found.iter().find(|(i, p, _)| *p == AMOUNT && get(i).is_some_and(|c| c.kind == "hidden")).copied());
    let boxes = |want: &'static str| -> Vec<(usize, &'static str, &'static str)> {
        found.iter().filter(|(i, p, _)| *p == want && get(i).is_some_and(|c| is_text(&c.kind))).copied().collect()
    };
    let mut order: Vec<(usize, &'static str, &'static str)> = Vec::new();
    match choice {
        Some(ch) => {
            order.push(ch);
            order.extend(boxes(OTHER));
            order.extend(boxes(AMOUNT));
        }
        None => {
            let plain = boxes(AMOUNT);
            // An "Other amount" box and nothing else: the preset amounts are something the page
            // does not show as a field (buttons writing an input the engine was not told of), so
            // the amount cannot be read. Left unmapped (so `missing`, and the widget fails open)
            // rather than read as absent, which would refuse every donor who picks a preset.
            if plain.is_empty() {
                return None;
            }
            order.extend(plain);
            order.extend(boxes(OTHER));
        }
    }
    let (first, _, source) = *order.first()?;
    let c = get(&first)?;
    let mut names: Vec<Name> = Vec::new();
    for (i, _, _) in &order {
        if let Some(c) = get(i) {
            if !names.iter().any(|n| n.name() == c.name) {
                names.push(name_of(c));
            }
        }
    }
    let plain = names.iter().map(|n| n.name().to_owned()).collect();
    let row = Mapped { path: AMOUNT.to_owned(), names: plain, label: label_of(c), source };
    Some((names, (first, row)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(name_words("wpforms[fields][3][first]"), ["wpforms", "fields", "3", "first"]);
        assert_eq!(name_words("AddressLine1"), ["address", "line1"]);
        assert_eq!(name_words("billing_street_address-5"), ["billing", "street", "address", "5"]);
        assert_eq!(name_words("give-amount-other"), ["give", "amount", "other"]);
        assert_eq!(by_name(&name_words("billing_street_address-5")), Some(LINE1));
        assert_eq!(by_name(&name_words("billing_address_2")), Some(LINE2));
        assert_eq!(by_name(&name_words("email-5")), Some(EMAIL));
        assert_eq!(by_name(&name_words("input_7.3")), None);
        assert_eq!(by_name(&name_words("item_meta[12]")), None);
    }

    #[test]
    fn labels_in_two_languages() {
        assert_eq!(by_label("ZIP / Postal Code *"), Some(ZIP));
        assert_eq!(by_label("Email Address"), Some(EMAIL));
        assert_eq!(by_label("Address Line 2"), Some(LINE2));
        assert_eq!(by_label("Correo electrónico"), Some(EMAIL));
        assert_eq!(by_label("Código postal"), Some(ZIP));
        assert_eq!(by_label("Nombre completo"), Some(FULL));
        assert_eq!(by_label("Apellidos"), Some(LAST));
        assert_eq!(by_label("Name on card"), Some(SKIP));
        assert_eq!(by_label("Employer Name"), Some(EMPLOYER));
        assert_eq!(by_label("Mailing address"), Some(LINE1));
    }
}
