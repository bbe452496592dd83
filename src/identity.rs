//! One identity per donor: the canonical key the ledger counts a limit on, shared by the server
//! and the `screen` command. Pure (no I/O); native only, since NFKC comes from
//! `unicode-normalization`, which the wasm build does not carry.
//!
//! The name is folded so that spelling tricks do not make a second donor:
//! 1. default-ignorable code points removed (zero-width space/joiner/non-joiner, soft hyphen,
//!    word joiner, BOM, combining grapheme joiner, variation selectors, bidi controls, tags…);
//! 2. NFKC (fullwidth and mathematical letters become plain ones), lower-case;
//! 3. diacritics dropped (NFD, combining marks removed; ø ł đ ß æ œ folded by hand);
//! 4. confusables mapped to their Latin skeleton (a hand table of the common Cyrillic, Greek,
//!    Armenian and Latin look-alikes, after UTS #39 `confusables.txt`; `unicode-security` is not
//!    in the offline registry);
//! 5. punctuation dropped (apostrophes join: O'Brien = OBrien; other punctuation separates);
//! 6. suffixes (Jr, Sr, II, III, IV, and their spellings) taken out and kept apart;
//! 7. initials (one-letter tokens), titles and post-nominals ([`is_title`]: Mr, Dr, Rev, MD,
//!    Esq…) and middle names dropped: of the first and last name fields together, the first and
//!    the last remaining token are kept (initials and titles only when nothing else is left).
//!    A first-name field of initials only keeps its first initial as the given name: "Thompson,
//!    M" and "Thompson, K" at one ZIP are two people (23 rows of the FEC's 10k sample are
//!    initials only), and "Thompson, M" and "Thompson, M. K." one;
//! 8. common nicknames folded to the given name (Bob = Robert), on both kept tokens;
//! 9. the two tokens sorted, so first and last name are order-free.
//!
//! The place is ZIP5: a postal code of 5 or 9 digits (blanks and hyphens aside) gives its first
//! five; anything else (a foreign postal code) is kept upper-cased without blanks or hyphens.

use unicode_normalization::UnicodeNormalization;

/// A donor's canonical identity. Personal data: hash it (HMAC) before storing or logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The full key: `v2|name|name|suffix|zip5` (the ledger's exact-match key, pre-hash).
    pub key: String,
    /// The key without the place: `v2|name|name|suffix`.
    pub name_key: String,
    /// The folded, sorted name without suffix or place: `name name`.
    pub skeleton: String,
    /// ZIP5 (or the folded foreign postal code).
    pub zip5: String,
    /// The canonical suffix (`jr`, `sr`, `ii`, `iii`, `iv`) or empty.
    pub suffix: String,
}

/// The identity of a donor from the name fields and postal code.
pub fn donor_identity(first: &str, last: &str, postal_code: &str) -> Identity {
    if let Some(id) = ascii::identity(first, last, postal_code) {
        return id;
    }
    unicode_identity(first, last, postal_code)
}

/// [`donor_identity`] written into `out`, reusing its strings' memory (the `screen` command's
/// duplicate search, once per probed total): the same identity.
pub fn donor_identity_into(first: &str, last: &str, postal_code: &str, out: &mut Identity) {
    if !ascii::identity_into(first, last, postal_code, out) {
        *out = unicode_identity(first, last, postal_code);
    }
}

/// Only [`Identity::key`] of [`donor_identity`], written into `out` (cleared first): the same
/// bytes, without the other fields' allocations (the `screen` command's per-row call).
pub fn donor_key_into(first: &str, last: &str, postal_code: &str, out: &mut String) {
    out.clear();
    if !ascii::key_into(first, last, postal_code, out) {
        out.clear();
        out.push_str(&unicode_identity(first, last, postal_code).key);
    }
}

/// [`donor_identity`] by the general (Unicode) steps of the module documentation; the ASCII
/// fast path ([`ascii`]) gives the same identity for ASCII input (tested on both).
fn unicode_identity(first: &str, last: &str, postal_code: &str) -> Identity {
    unicode_identity_with(first, last, postal_code, Rules::TODAY)
}

/// The rules of step 7 a key was made under: the ledger holds rows keyed under earlier ones.
#[derive(Clone, Copy)]
struct Rules {
    /// Titles and post-nominals dropped (since December 2026).
    drop_titles: bool,
    /// An initial-only given name kept (since December 2026).
    keep_initial: bool,
}

impl Rules {
    const TODAY: Rules = Rules { drop_titles: true, keep_initial: true };
    const BEFORE_INITIALS: Rules = Rules { drop_titles: true, keep_initial: false };
    const BEFORE_TITLES: Rules = Rules { drop_titles: false, keep_initial: false };
}

/// The identities this donor had under earlier rules of step 7, each when its key differs from
/// today's. The ledger holds rows written under them.
#[derive(Debug, Default)]
pub struct Earlier {
    /// Before titles were dropped: "Dr. Jun Cho" was `cho dr`.
    pub before_titles: Option<Identity>,
    /// Before an initial-only given name was kept: "Thompson, M" was `thompson`, and so was
    /// "Thompson, K". Such a key was shared by different people, so rows under it are not this
    /// donor's for certain: they are a near match, never re-keyed.
    pub before_initials: Option<Identity>,
}

/// [`Earlier`] for the name fields and postal code.
pub fn earlier_identities(first: &str, last: &str, postal_code: &str) -> Earlier {
    let today = donor_identity(first, last, postal_code).key;
    let differs =
        |rules: Rules| Some(unicode_identity_with(first, last, postal_code, rules)).filter(|id| id.key != today);
    Earlier { before_titles: differs(Rules::BEFORE_TITLES), before_initials: differs(Rules::BEFORE_INITIALS) }
}

/// The name fields as step 7 reads them: a last-name field in "LAST, FIRST" form beside an empty
/// first-name field is split at its comma ("Thompson, M" is "M" and "Thompson"). The other steps
/// read the same tokens either way.
fn comma_form<'a>(first: &'a str, last: &'a str) -> (&'a str, &'a str) {
    match last.split_once(',') {
        Some((l, f)) if first.trim().is_empty() => (f, l),
        _ => (first, last),
    }
}

fn unicode_identity_with(first: &str, last: &str, postal_code: &str, rules: Rules) -> Identity {
    let (first, last) = comma_form(first, last);
    let mut tokens: Vec<String> = Vec::new();
    let mut suffix = String::new();
    let mut first_count = 0;
    for (n, field) in [first, last].into_iter().enumerate() {
        for token in tokenize(&fold(field)) {
            if let Some(s) = canonical_suffix(&token) {
                suffix = s.to_owned();
            } else {
                tokens.push(token);
            }
        }
        if n == 0 {
            first_count = tokens.len();
        }
    }
    // Titles, then initials, go unless nothing else is left; but a first-name field of initials
    // keeps its first one as the given name ("Thompson, M" is not "Thompson, K").
    let strong = |t: &String| t.chars().count() > 1 && !(rules.drop_titles && is_title(t));
    let initial = (rules.keep_initial && !tokens.iter().take(first_count).any(strong))
        .then(|| tokens.iter().take(first_count).find(|t| t.chars().count() == 1).cloned())
        .flatten();
    if tokens.iter().any(strong) {
        tokens.retain(strong);
        if let Some(i) = initial {
            tokens.insert(0, i);
        }
    } else if tokens.iter().any(|t| t.chars().count() > 1) {
        tokens.retain(|t| t.chars().count() > 1);
    }
    let mut kept: Vec<String> = match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) if tokens.len() > 1 => vec![nickname(a), nickname(b)],
        (Some(a), _) => vec![nickname(a)],
        _ => Vec::new(),
    };
    kept.sort();
    let skeleton = kept.join(" ");
    let zip5 = fold_postal(postal_code);
    let name_key = format!("v2|{}|{suffix}", kept.join("|"));
    let key = format!("{name_key}|{zip5}");
    Identity { key, name_key, skeleton, zip5, suffix }
}

/// Nicknames with more than one given name (Chris: Christopher, Christina, Christine), or that
/// only a near match should read (Wm, and the common Spanish hypocoristics): never folded into
/// the exact key, since "Chris Lovelace" at one address may be two people; each reading is a
/// near-match skeleton instead.
const NEAR_NICKNAMES: &[(&str, &[&str])] = &[
    ("alex", &["alexander", "alexandra", "alexis"]),
    ("al", &["albert", "alan", "alfred"]),
    ("chris", &["christopher", "christina", "christine"]),
    ("ted", &["edward", "theodore"]),
    ("teddy", &["edward", "theodore"]),
    ("wm", &["william"]),
    ("sam", &["samuel", "samantha"]),
    ("pat", &["patrick", "patricia"]),
    ("terry", &["terrence", "teresa"]),
    ("dan", &["daniel"]),
    ("steve", &["steven", "stephen"]),
    ("ben", &["benjamin"]),
    ("fred", &["frederick"]),
    ("jeff", &["jeffrey"]),
    ("tim", &["timothy"]),
    ("jen", &["jennifer"]),
    ("jenny", &["jennifer"]),
    ("vicky", &["victoria"]),
    ("cindy", &["cynthia"]),
    ("sandy", &["sandra"]),
    ("becky", &["rebecca"]),
    ("abby", &["abigail"]),
    ("pepe", &["jose"]),
    ("paco", &["francisco"]),
    ("pancho", &["francisco"]),
    ("nacho", &["ignacio"]),
    ("lupe", &["guadalupe"]),
    ("chuy", &["jesus"]),
    ("memo", &["guillermo"]),
    ("beto", &["alberto", "roberto"]),
    ("lalo", &["eduardo"]),
    ("kike", &["enrique"]),
    ("rafa", &["rafael"]),
    ("manolo", &["manuel"]),
    ("nando", &["fernando"]),
    ("tono", &["antonio"]),
    ("charo", &["rosario"]),
    ("concha", &["concepcion"]),
    ("pili", &["pilar"]),
];

/// Skeletons under which a donor may also be the same person as another, for near matches only
/// (the exact key is unchanged): each is compared with other donors' own skeletons.
/// - the last-name field squashed into one word (O Brien = O'Brien, Mc Donald = McDonald,
///   de la Cruz = Delacruz);
/// - the first name with each word of the last-name field (Garcia-Lopez meets Garcia and Lopez,
///   and Lopez Garcia);
/// - each reading of an ambiguous nickname ([`NEAR_NICKNAMES`]) with the last name.
///
/// Empty when either field holds no word (a name written whole in one field).
pub fn near_skeletons(first: &str, last: &str) -> Vec<String> {
    if !may_have_near_skeletons(first, last) {
        return Vec::new();
    }
    let words = |field: &str| -> Vec<String> {
        tokenize(&fold(field)).into_iter().filter(|t| canonical_suffix(t).is_none() && !is_title(t)).collect()
    };
    let (first_words, last_words) = (words(first), words(last));
    let Some(given) = first_words.iter().find(|t| t.chars().count() > 1) else {
        return Vec::new();
    };
    let surnames: Vec<&String> = last_words.iter().filter(|t| t.chars().count() > 1).collect();
    let Some(surname) = surnames.last() else {
        return Vec::new();
    };
    let pair = |a: &str, b: &str| if a <= b { format!("{a} {b}") } else { format!("{b} {a}") };
    let given_folded = nickname(given);
    let mut out: Vec<String> = Vec::new();
    let mut add = |sk: String| {
        if !out.contains(&sk) {
            out.push(sk);
        }
    };
    if last_words.len() > 1 {
        add(pair(&given_folded, &last_words.concat()));
    }
    if surnames.len() > 1 {
        for s in &surnames {
            add(pair(&given_folded, &nickname(s)));
        }
    }
    if let Some((_, readings)) = NEAR_NICKNAMES.iter().find(|(n, _)| *n == given.as_str()) {
        for r in *readings {
            add(pair(r, &nickname(surname)));
        }
    }
    out
}

/// `false` when [`near_skeletons`] is surely empty, told cheaply for ASCII names (the `screen`
/// command asks for every total it probes): one word at most in the last-name field, and no
/// word of the first-name field an ambiguous nickname. `true` otherwise, and for any other input.
fn may_have_near_skeletons(first: &str, last: &str) -> bool {
    if !first.is_ascii() || !last.is_ascii() {
        return true;
    }
    /// Calls `each` on the words step 5 makes of ASCII (apostrophes join, 0 and 1 read as o
    /// and l) until it says `true`; whether it did.
    fn any_word(text: &str, each: &mut dyn FnMut(&str) -> bool) -> bool {
        let mut word = String::new();
        for b in text.bytes().chain(std::iter::once(b' ')) {
            match b {
                b'\'' | b'`' => {}
                b'0' => word.push('o'),
                b'1' => word.push('l'),
                _ if b.is_ascii_alphanumeric() => word.push(char::from(b.to_ascii_lowercase())),
                _ if !word.is_empty() => {
                    if each(&word) {
                        return true;
                    }
                    word.clear();
                }
                _ => {}
            }
        }
        false
    }
    let mut count = 0;
    any_word(last, &mut |_| {
        count += 1;
        count > 1
    }) || any_word(first, &mut |w| NEAR_NICKNAMES.iter().any(|(n, _)| *n == w))
}

/// Whether two donors are near through their [`near_skeletons`] (`a_near` and `b_near`): one's
/// is the other's skeleton, or both share one (Maria Garcia-Lopez and Maria Lopez-Garcia). The
/// ledger's near keys find the same pairs (each donor's skeleton and near skeletons as keys).
pub fn near_by_skeletons(a: &Identity, a_near: &[String], b: &Identity, b_near: &[String]) -> bool {
    a.key != b.key
        && !a.skeleton.is_empty()
        && !b.skeleton.is_empty()
        && (a_near.contains(&b.skeleton) || b_near.contains(&a.skeleton) || a_near.iter().any(|s| b_near.contains(s)))
}

/// Whether one donor's given name is the other's initial at the same ZIP and suffix ("M
/// Thompson" and "Mark Thompson", as one committee's filings often write one donor): probably
/// one person, not certainly (Mary Thompson is an M too), so a possible duplicate for a person
/// to decide, never merged. `screen` finds these pairs; the ledger does not (its near keys are
/// shared variants, and "Mark Thompson" and "Mary Thompson" would share the initial's).
pub fn near_by_initial(a: &Identity, b: &Identity) -> bool {
    if a.key == b.key || a.zip5 != b.zip5 || a.suffix != b.suffix || a.skeleton.is_empty() || b.skeleton.is_empty() {
        return false;
    }
    let mut buf = String::new();
    let mut found = false;
    for (from, to) in [(&b.skeleton, &a.skeleton), (&a.skeleton, &b.skeleton)] {
        each_initial_variant(from, &mut buf, &mut |v| found |= v == to.as_str());
    }
    found
}

/// A skeleton with one of its words (of two letters or more) cut to its initial, for each such
/// word, the words sorted again as a skeleton's are: `mark thompson` gives `m thompson` and
/// `mark t`. A skeleton of one word has none.
pub fn initial_variants(skeleton: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_initial_variant(skeleton, &mut String::new(), &mut |v| {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    });
    out
}

/// [`initial_variants`] written one at a time into `buf` (cleared first) and handed to `each`,
/// with no allocation once `buf` has grown: `screen` asks for them for every total it indexes
/// or probes. A skeleton is two words at most (step 7).
pub fn each_initial_variant(skeleton: &str, buf: &mut String, each: &mut dyn FnMut(&str)) {
    let Some((x, y)) = skeleton.split_once(' ') else { return };
    for (cut, keep) in [(x, y), (y, x)] {
        let mut chars = cut.chars();
        let (Some(c), Some(_)) = (chars.next(), chars.next()) else { continue };
        let initial = cut.get(..c.len_utf8()).unwrap_or_default();
        let (first, second) = if initial <= keep { (initial, keep) } else { (keep, initial) };
        buf.clear();
        buf.push_str(first);
        buf.push(' ');
        buf.push_str(second);
        each(buf);
    }
}

/// Whether two identities are probably one person but not certainly: the same name at another
/// ZIP, one edit apart at the same ZIP, or the same name with another suffix (father and son).
/// An exact match (same key) is not "near": it is the same donor.
pub fn near(a: &Identity, b: &Identity) -> bool {
    if a.key == b.key || a.skeleton.is_empty() || b.skeleton.is_empty() {
        return false;
    }
    // Same skeleton with another key: another ZIP or another suffix.
    a.skeleton == b.skeleton || (a.zip5 == b.zip5 && a.suffix == b.suffix && one_edit(&a.skeleton, &b.skeleton))
}

/// The single-deletion variants of a skeleton (plus the skeleton itself): two skeletons one
/// edit apart share at least one of them, so a store can find near matches by equal hashes.
pub fn deletion_variants(skeleton: &str) -> Vec<String> {
    let chars: Vec<char> = skeleton.chars().collect();
    let mut out = vec![skeleton.to_owned()];
    for i in 0..chars.len() {
        let v: String = chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Levenshtein distance exactly 1 (one insertion, deletion or substitution).
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => short.iter().zip(long.iter()).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
            short.get(prefix..) == long.get(prefix + 1..)
        }
        _ => false,
    }
}

fn is_default_ignorable(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Steps 1–4 of the module documentation.
fn fold(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !is_default_ignorable(*c)).collect();
    let lower: String = clean.nfkc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if unicode_normalization::char::is_combining_mark(c) || is_default_ignorable(c) {
            continue;
        }
        match confusable(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// Step 5: words of letters and digits; apostrophes join, other punctuation separates.
fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}') {
            // O'Brien = OBrien
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Step 7: a title or post-nominal (folded), dropped like an initial: "CHO, DR. JUN", "CHO,
/// JUN DR." and "CHO, JUN" are one donor (all three are in the FEC's 10k sample). Not "Hon"
/// (also a given name) nor "Sr"/"Jr" (suffixes, kept apart).
fn is_title(token: &str) -> bool {
    matches!(
        token,
        "mr" | "mrs" | "ms" | "mx" | "miss" | "dr" | "rev" | "prof" | "md" | "phd" | "esq" | "dds" | "dvm" | "cpa"
    )
}

/// Every spelling [`canonical_suffix`] knows is at most 6 bytes and starts with one of these: a
/// cheap test before the comparisons.
fn may_be_suffix(token: &str) -> bool {
    token.len() <= 6 && matches!(token.as_bytes().first(), Some(b'j' | b's' | b'i' | b'l' | b'2'..=b'4'))
}

fn canonical_suffix(token: &str) -> Option<&'static str> {
    if !may_be_suffix(token) {
        return None;
    }
    Some(match token {
        "jr" | "junior" => "jr",
        "sr" | "senior" => "sr",
        "ii" | "2nd" => "ii",
        "iii" | "3rd" | "lll" => "iii",
        "iv" | "4th" => "iv",
        _ => return None,
    })
}

/// Common English nicknames → given name (step 8). Small on purpose: each entry merges two
/// donors, so only unambiguous ones are here (no Chris, Alex, Sam, Pat, Terry).
const NICKNAMES: &[(&str, &str)] = &[
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("robbie", "robert"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("willy", "william"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("beth", "elizabeth"),
    ("betty", "elizabeth"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("mike", "michael"),
    ("mikey", "michael"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("ricky", "richard"),
    ("kate", "katherine"),
    ("katie", "katherine"),
    ("kathy", "katherine"),
    ("peggy", "margaret"),
    ("maggie", "margaret"),
    ("meg", "margaret"),
    ("jack", "john"),
    ("johnny", "john"),
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("dave", "david"),
    ("danny", "daniel"),
    ("tony", "anthony"),
    ("andy", "andrew"),
    ("greg", "gregory"),
    ("larry", "lawrence"),
    ("ron", "ronald"),
    ("ken", "kenneth"),
    ("matt", "matthew"),
    ("nick", "nicholas"),
    ("pete", "peter"),
    ("sue", "susan"),
    ("debbie", "deborah"),
    ("patty", "patricia"),
];

fn nickname(token: &str) -> String {
    given_name(token).unwrap_or(token).to_owned()
}

/// The given name of a nickname in [`NICKNAMES`]. Length and first letter are compared first:
/// most tokens differ from every entry there, and the full comparison (a memcmp call) is left
/// for the few that do not.
fn given_name(token: &str) -> Option<&'static str> {
    let first = token.as_bytes().first();
    NICKNAMES
        .iter()
        .find(|(n, _)| n.len() == token.len() && n.as_bytes().first() == first && *n == token)
        .map(|(_, g)| *g)
}

/// Step 4: a look-alike (lower-case, after NFKC and NFD) → its Latin skeleton.
fn confusable(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic (lower case, and those whose capital is the look-alike)
        'а' => "a",
        'в' => "b",
        'е' | 'ё' | 'є' => "e",
        'з' => "3",
        'һ' | 'н' => "h",
        'і' | 'ї' => "i",
        'ј' => "j",
        'к' => "k",
        'ӏ' => "l",
        'м' => "m",
        'о' => "o",
        'р' => "p",
        'с' => "c",
        'ԛ' => "q",
        'ѕ' => "s",
        'т' => "t",
        'у' | 'ү' => "y",
        'ԝ' => "w",
        'х' => "x",
        'ԁ' => "d",
        'ɡ' | 'ց' => "g",
        // Greek
        'α' => "a",
        'β' => "b",
        'ε' => "e",
        'η' => "n",
        'ι' => "i",
        'κ' => "k",
        'μ' => "m",
        'ν' => "v",
        'ο' | 'σ' => "o",
        'ρ' => "p",
        'τ' => "t",
        'υ' => "u",
        'χ' => "x",
        'ζ' => "z",
        'γ' => "y",
        // Armenian
        'օ' => "o",
        'ս' => "u",
        'հ' => "h",
        'ո' => "n",
        'զ' => "q",
        'ա' => "w",
        // Latin look-alikes and letters NFD does not decompose
        'ɑ' => "a",
        'ı' | 'ɩ' | 'ɪ' => "i",
        'ȷ' => "j",
        'ʟ' | 'ł' | 'ǀ' => "l",
        'ɴ' => "n",
        'ʀ' => "r",
        'ɛ' => "e",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ħ' => "h",
        // Digits that pass for letters (UTS #39)
        '0' => "o",
        '1' => "l",
        _ => return None,
    })
}

fn fold_postal(postal: &str) -> String {
    let compact: String =
        postal.chars().filter(|c| !c.is_whitespace() && *c != '-' && !is_default_ignorable(*c)).collect();
    let compact: String = compact.nfkc().collect::<String>().to_uppercase();
    let digits = compact.chars().all(|c| c.is_ascii_digit());
    if digits && (compact.len() == 5 || compact.len() == 9) {
        compact.chars().take(5).collect()
    } else {
        compact
    }
}

/// The steps of the module documentation on ASCII input, without allocating per token: NFKC,
/// NFD and the default-ignorables leave ASCII as it is, lower case is ASCII's, and the only
/// confusables are `0` → `o` and `1` → `l`. Gives `None` (the caller takes the general path)
/// for any other input, or for a name too long for its fixed buffers.
mod ascii {
    use super::{canonical_suffix, is_title, Identity};

    /// Bytes of both name fields together, and tokens, that the fast path holds.
    const MAX_BYTES: usize = 256;
    const MAX_TOKENS: usize = 32;

    struct Tokens {
        buf: [u8; MAX_BYTES],
        len: usize,
        /// (start, end) in `buf`.
        spans: [(u16, u16); MAX_TOKENS],
        count: usize,
        suffix: &'static str,
    }

    impl Tokens {
        fn token(&self, i: usize) -> &str {
            let (a, b) = self.spans.get(i).copied().unwrap_or((0, 0));
            // Only ASCII bytes are ever written to `buf`.
            std::str::from_utf8(self.buf.get(usize::from(a)..usize::from(b)).unwrap_or_default()).unwrap_or_default()
        }
    }

    /// Steps 1–6 on one field: folded words appended, suffixes taken out (the last one wins,
    /// as in the general path). `false` when it does not fit.
    fn field(t: &mut Tokens, s: &str) -> bool {
        let mut start = t.len;
        let close = |t: &mut Tokens, start: usize| -> bool {
            if t.len == start {
                return true;
            }
            let word = std::str::from_utf8(t.buf.get(start..t.len).unwrap_or_default()).unwrap_or_default();
            if let Some(sfx) = canonical_suffix(word) {
                t.suffix = sfx;
                t.len = start;
                return true;
            }
            match t.spans.get_mut(t.count) {
                Some(span) => {
                    // MAX_BYTES fits in u16.
                    *span = (start as u16, t.len as u16);
                    t.count += 1;
                    true
                }
                None => false,
            }
        };
        for &b in s.as_bytes() {
            let c = match b {
                b'0' => b'o',
                b'1' => b'l',
                b'A'..=b'Z' => b.to_ascii_lowercase(),
                b'a'..=b'z' | b'2'..=b'9' => b,
                // Apostrophes join (O'Brien = OBrien).
                b'\'' | b'`' => continue,
                _ => {
                    if !close(t, start) {
                        return false;
                    }
                    start = t.len;
                    continue;
                }
            };
            match t.buf.get_mut(t.len) {
                Some(slot) => *slot = c,
                None => return false,
            }
            t.len += 1;
        }
        close(t, start)
    }

    fn nickname(token: &str) -> &str {
        super::given_name(token).unwrap_or(token)
    }

    /// Steps 7–9: the kept tokens (none, one, or two sorted by their folded text) and the suffix.
    fn name(first: &str, last: &str) -> Option<(Tokens, Vec2)> {
        let (first, last) = super::comma_form(first, last);
        let mut t = Tokens { buf: [0; MAX_BYTES], len: 0, spans: [(0, 0); MAX_TOKENS], count: 0, suffix: "" };
        if !first.is_ascii() || !last.is_ascii() || !field(&mut t, first) {
            return None;
        }
        let first_count = t.count;
        if !field(&mut t, last) {
            return None;
        }
        // Titles, then initials, go unless nothing else is left; but a first-name field of
        // initials keeps its first one.
        let long = |i: usize| t.spans.get(i).is_some_and(|(a, b)| b - a > 1);
        let strong = |i: usize| long(i) && !is_title(t.token(i));
        let (any_strong, any_long) = ((0..t.count).any(strong), (0..t.count).any(long));
        let initial = if (0..first_count).any(strong) {
            None
        } else {
            (0..first_count).find(|&i| t.spans.get(i).is_some_and(|(a, b)| b - a == 1))
        };
        let keep = |i: usize| if any_strong { strong(i) || initial == Some(i) } else { !any_long || long(i) };
        let kept = match ((0..t.count).find(|&i| keep(i)), (0..t.count).rev().find(|&i| keep(i))) {
            (Some(a), Some(b)) if a != b => {
                if nickname(t.token(b)) < nickname(t.token(a)) {
                    Vec2::Two(b, a)
                } else {
                    Vec2::Two(a, b)
                }
            }
            (Some(a), _) => Vec2::One(a),
            _ => Vec2::None,
        };
        Some((t, kept))
    }

    /// Up to two token indices, in key order.
    #[derive(Clone, Copy)]
    enum Vec2 {
        None,
        One(usize),
        Two(usize, usize),
    }

    impl Vec2 {
        fn each(self, mut f: impl FnMut(usize)) {
            match self {
                Vec2::None => {}
                Vec2::One(a) => f(a),
                Vec2::Two(a, b) => {
                    f(a);
                    f(b);
                }
            }
        }
    }

    /// ZIP5 of an ASCII postal code (the general path's `fold_postal`), appended to `out`.
    fn postal_into(postal: &str, out: &mut String) -> bool {
        if !postal.is_ascii() {
            return false;
        }
        let mut digits = 0usize;
        let mut all_digits = true;
        let start = out.len();
        for &b in postal.as_bytes() {
            // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, carriage
            // return and space.
            if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | b'-') {
                continue;
            }
            all_digits &= b.is_ascii_digit();
            digits += 1;
            out.push(char::from(b.to_ascii_uppercase()));
        }
        if all_digits && (digits == 5 || digits == 9) {
            out.truncate(start + 5);
        }
        true
    }

    pub(super) fn key_into(first: &str, last: &str, postal: &str, out: &mut String) -> bool {
        let Some((t, kept)) = name(first, last) else { return false };
        out.push_str("v2|");
        let mut n = 0;
        kept.each(|i| {
            if n > 0 {
                out.push('|');
            }
            n += 1;
            out.push_str(nickname(t.token(i)));
        });
        out.push('|');
        out.push_str(t.suffix);
        out.push('|');
        postal_into(postal, out)
    }

    /// [`identity`] into `out`'s strings; `false` (and `out` unspecified) when the fast path
    /// does not hold the input.
    pub(super) fn identity_into(first: &str, last: &str, postal: &str, out: &mut Identity) -> bool {
        let Some((t, order)) = name(first, last) else { return false };
        out.zip5.clear();
        if !postal_into(postal, &mut out.zip5) {
            return false;
        }
        out.skeleton.clear();
        out.name_key.clear();
        out.name_key.push_str("v2|");
        let mut n = 0;
        order.each(|i| {
            let token = nickname(t.token(i));
            if n > 0 {
                out.skeleton.push(' ');
                out.name_key.push('|');
            }
            n += 1;
            out.skeleton.push_str(token);
            out.name_key.push_str(token);
        });
        out.name_key.push('|');
        out.name_key.push_str(t.suffix);
        out.key.clear();
        out.key.push_str(&out.name_key);
        out.key.push('|');
        out.key.push_str(&out.zip5);
        out.suffix.clear();
        out.suffix.push_str(t.suffix);
        true
    }

    pub(super) fn identity(first: &str, last: &str, postal: &str) -> Option<Identity> {
        let (t, order) = name(first, last)?;
        let mut zip5 = String::new();
        if !postal_into(postal, &mut zip5) {
            return None;
        }
        let mut kept: Vec<&str> = Vec::with_capacity(2);
        order.each(|i| kept.push(nickname(t.token(i))));
        let skeleton = kept.join(" ");
        let name_key = format!("v2|{}|{}", kept.join("|"), t.suffix);
        let key = format!("{name_key}|{zip5}");
        Some(Identity { key, name_key, skeleton, zip5, suffix: t.suffix.to_owned() })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const BASE: (&str, &str, &str) = ("Ada", "Lovelace", "62701");

    #[test]
    fn spelling_variants_are_one_donor() {
        let base = donor_identity(BASE.0, BASE.1, BASE.2);
        assert_eq!(base.key, "v2|ada|lovelace||62701");
        let same: &[(&str, &str, &str, &str)] = &[
            ("zero-width space", "A\u{200B}da", "Lovelace", "62701"),
            ("zero-width joiner", "Ada", "Love\u{200D}lace", "62701"),
            ("zero-width non-joiner", "Ad\u{200C}a", "Lovelace", "62701"),
            ("soft hyphen", "Ada", "Love\u{00AD}lace", "62701"),
            ("word joiner", "Ada\u{2060}", "Lovelace", "62701"),
            ("BOM", "\u{FEFF}Ada", "Lovelace", "62701"),
            ("combining grapheme joiner", "Ada", "Lov\u{034F}elace", "62701"),
            ("variation selector", "Ada\u{FE0F}", "Lovelace", "62701"),
            ("bidi override", "\u{202E}Ada", "Lovelace", "62701"),
            ("fullwidth", "Ａｄａ", "Ｌｏｖｅｌａｃｅ", "62701"),
            ("math bold", "𝐀𝐝𝐚", "𝐋𝐨𝐯𝐞𝐥𝐚𝐜𝐞", "62701"),
            ("armenian o", "Ada", "Lօvelace", "62701"),
            ("latin alpha", "Adɑ", "Lovelace", "62701"),
            ("cyrillic a", "Аdа", "Lovelace", "62701"),
            ("greek omicron", "Ada", "Lοvelace", "62701"),
            ("upper case", "ADA", "LOVELACE", "62701"),
            ("diacritics", "Adà", "Lóvëlace", "62701"),
            ("combining diacritic", "Ada\u{0301}", "Lovelace", "62701"),
            ("trailing period", "Ada.", "Lovelace.", "62701"),
            ("middle initial", "Ada B.", "Lovelace", "62701"),
            ("middle initial no period", "Ada B", "Lovelace", "62701"),
            ("middle name", "Ada Byron", "Lovelace", "62701"),
            ("middle name in last", "Ada", "Byron Lovelace", "62701"),
            ("leading initial", "A. Ada", "Lovelace", "62701"),
            ("swapped", "Lovelace", "Ada", "62701"),
            ("all in first", "Ada Lovelace", "", "62701"),
            ("all in last, comma", "", "Lovelace, Ada", "62701"),
            ("inner blanks", "  Ada ", "  Lovelace  ", "62701"),
            ("zip+4", "Ada", "Lovelace", "62701-1234"),
            ("9 digits", "Ada", "Lovelace", "627011234"),
            ("zip with blank", "Ada", "Lovelace", " 62701 "),
            ("fullwidth zip", "Ada", "Lovelace", "６２７０１"),
            ("digit one for l", "Ada", "1ovelace", "62701"),
        ];
        for (what, f, l, z) in same {
            let id = donor_identity(f, l, z);
            assert_eq!(id.key, base.key, "{what}: {f:?} {l:?} {z:?}");
            assert!(!near(&id, &base), "{what}: exact is not near");
        }
    }

    #[test]
    fn all_cyrillic_first_name() {
        // "Роберт"? No: a Latin-looking name typed in Cyrillic letters.
        let a = donor_identity("Ѕеrgеу", "Рорov", "10001");
        let b = donor_identity("Sergey", "Popov", "10001");
        assert_eq!(a.key, b.key);
        let c = donor_identity("Васон", "Smith", "10001"); // В а с о н → bacoh
        assert_eq!(c.key, donor_identity("Bacoh", "Smith", "10001").key);
    }

    #[test]
    fn near_skeletons_meet_the_other_spellings_own_skeleton() {
        // (first, last) pairs whose near skeletons include the other's own skeleton.
        type Name<'a> = (&'a str, &'a str);
        let pairs: &[(Name, Name)] = &[
            (("Margaret", "O Brien"), ("Margaret", "O'Brien")),
            (("Margaret", "Mc Donald"), ("Margaret", "McDonald")),
            (("Margaret", "de la Cruz"), ("Margaret", "Delacruz")),
            (("Maria", "Garcia-Lopez"), ("Maria", "Garcia")),
            (("Maria", "Lopez Garcia"), ("Maria", "Garcia Lopez")),
            (("Chris", "Lovelace"), ("Christopher", "Lovelace")),
            (("Chris", "Lovelace"), ("Christine", "Lovelace")),
            (("Wm.", "Lovelace"), ("William", "Lovelace")),
            (("Pepe", "Lovelace"), ("José", "Lovelace")),
            (("Paco", "Lovelace"), ("Francisco", "Lovelace")),
            (("Ted", "Lovelace Jr."), ("Edward", "Lovelace")),
        ];
        for ((f1, l1), (f2, l2)) in pairs {
            let other = donor_identity(f2, l2, "10001").skeleton;
            assert!(
                near_skeletons(f1, l1).contains(&other),
                "{f1} {l1} / {f2} {l2}: {:?} vs {other}",
                near_skeletons(f1, l1)
            );
            // Never the exact key: those stay other donors unless a limit would pass.
            assert_ne!(donor_identity(f1, l1, "10001").key, donor_identity(f2, l2, "10001").key);
        }
        // Nothing extra for a plain name, or a name written whole in one field.
        assert!(near_skeletons("Margaret", "Lovelace").is_empty());
        assert!(near_skeletons("", "Lovelace, Margaret").is_empty());
        // Another given name or another surname stays apart.
        assert!(!near_skeletons("Maria", "Garcia-Lopez").contains(&donor_identity("Ana", "Garcia", "1").skeleton));
        assert!(!near_skeletons("Chris", "Lovelace").contains(&donor_identity("Christopher", "Hopper", "1").skeleton));
    }

    /// The prefilter of [`near_skeletons`] only skips work: without it, every name gives the
    /// same skeletons (hand-made spellings, and every name in the FEC sample when it is there).
    #[test]
    fn near_skeletons_prefilter_changes_nothing() {
        let slow = |first: &str, last: &str| {
            let words = |field: &str| -> Vec<String> {
                tokenize(&fold(field)).into_iter().filter(|t| canonical_suffix(t).is_none() && !is_title(t)).collect()
            };
            let (f, l) = (words(first), words(last));
            let given = f.iter().find(|t| t.chars().count() > 1);
            let nick = given.is_some_and(|g| NEAR_NICKNAMES.iter().any(|(n, _)| n == g));
            l.len() > 1 || nick
        };
        let mut names: Vec<(String, String)> = [
            ("Chris", "Lovelace"),
            ("CHRIS.", "O BRIEN"),
            ("Maria", "Garcia-Lopez"),
            ("Ch1is", "Smith"),
            ("Wm", "Smith Jr"),
            ("Ada", "Lovelace"),
            ("Ada", "Lovelace, Jr."),
            ("A", "de la Cruz"),
            ("Pépé", "Núñez"),
            ("", "Lovelace Byron"),
        ]
        .iter()
        .map(|(f, l)| (f.to_string(), l.to_string()))
        .collect();
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/fec/itcont-sample-10k.txt");
        if let Ok(text) = std::fs::read_to_string(sample) {
            for line in text.lines() {
                if let Some((last, first)) = line.split('|').nth(7).and_then(|n| n.split_once(',')) {
                    names.push((first.trim().to_string(), last.trim().to_string()));
                }
            }
            assert!(names.len() > 5000, "{} names", names.len());
        }
        let mut kept = 0;
        for (first, last) in &names {
            let fast = may_have_near_skeletons(first, last);
            if slow(first, last) {
                assert!(fast, "{first:?} {last:?}");
            }
            if fast {
                kept += 1;
            }
            // Skipped names have none, asked the long way.
            if !fast {
                assert!(!slow(first, last), "{first:?} {last:?}");
            }
        }
        assert!(kept < names.len(), "the prefilter skips some names");
        let a = donor_identity("Chris", "Lovelace", "62701");
        let b = donor_identity("Christopher", "Lovelace", "62701");
        let c = donor_identity("Christopher", "Hopper", "62701");
        let (an, bn, cn) = (near_skeletons("Chris", "Lovelace"), near_skeletons("Christopher", "Lovelace"), Vec::new());
        assert!(near_by_skeletons(&a, &an, &b, &bn) && near_by_skeletons(&b, &bn, &a, &an));
        assert!(!near_by_skeletons(&a, &an, &c, &cn));
        let (g, h) = (donor_identity("Maria", "Garcia-Lopez", "1"), donor_identity("Maria", "Lopez Garcia", "2"));
        assert!(near_by_skeletons(
            &g,
            &near_skeletons("Maria", "Garcia-Lopez"),
            &h,
            &near_skeletons("Maria", "Lopez Garcia")
        ));
    }

    #[test]
    fn suffix_prefilter_passes_every_spelling() {
        for s in ["jr", "junior", "sr", "senior", "ii", "2nd", "iii", "3rd", "lll", "iv", "4th"] {
            assert!(canonical_suffix(s).is_some(), "{s}");
            assert!(may_be_suffix(s), "{s}");
        }
        assert!(!may_be_suffix("smithson"));
        assert!(!may_be_suffix("ada"));
        // The prefilter only skips the lookup: names still fold the same on both paths.
        let a = donor_identity("Ada Jr", "Lovelace", "62701");
        let b = donor_identity("Ada", "Lovelace Junior", "62701-1234");
        assert_eq!(a.key, b.key);
        assert_eq!(a.suffix, "jr");
    }

    #[test]
    fn an_initial_meets_the_full_given_name_at_one_place_only() {
        assert_eq!(initial_variants("mark thompson"), ["m thompson", "mark t"]);
        assert_eq!(initial_variants("ada zed"), ["a zed", "ada z"]);
        assert_eq!(initial_variants("ada b"), ["a b"]);
        assert_eq!(initial_variants("ann ann"), ["a ann"]);
        assert!(initial_variants("thompson").is_empty());
        let m = donor_identity("M.", "Thompson", "10001");
        let mark = donor_identity("Mark", "Thompson", "10001-1234");
        assert!(near_by_initial(&m, &mark) && near_by_initial(&mark, &m));
        assert!(!near_by_initial(&m, &donor_identity("Mark", "Thompson", "60601")));
        assert!(!near_by_initial(&mark, &donor_identity("Michael", "Thompson", "10001")));
        assert!(!near_by_initial(&m, &donor_identity("M", "Thompson", "10001")));
        assert!(!near_by_initial(&m, &donor_identity("Mark", "Thompson Jr", "10001")));
    }

    #[test]
    fn earlier_keys_are_given_only_when_they_differ() {
        let e = earlier_identities("DR. JUN", "CHO", "10001");
        assert_eq!(e.before_titles.map(|i| i.key).as_deref(), Some("v2|cho|dr||10001"));
        assert!(e.before_initials.is_none());
        let e = earlier_identities("JUN DR.", "CHO", "10001");
        assert!(e.before_titles.is_none() && e.before_initials.is_none());
        let e = earlier_identities("Ada", "Lovelace", "10001");
        assert!(e.before_titles.is_none() && e.before_initials.is_none());
        let e = earlier_identities("M.", "Thompson", "10001");
        assert_eq!(e.before_initials.map(|i| i.key).as_deref(), Some("v2|thompson||10001"));
        assert_eq!(e.before_titles.map(|i| i.key).as_deref(), Some("v2|thompson||10001"));
        let e = earlier_identities("Dr. M", "Cho", "10001");
        assert_eq!(e.before_initials.map(|i| i.skeleton).as_deref(), Some("cho"));
        assert_eq!(e.before_titles.map(|i| i.skeleton).as_deref(), Some("cho dr"));
    }

    #[test]
    fn an_initial_only_given_name_is_kept() {
        let m = donor_identity("M", "THOMPSON", "10001");
        assert_eq!(m.key, "v2|m|thompson||10001");
        for (f, l) in [
            ("M.", "Thompson"),
            ("M K", "THOMPSON"),
            ("M. K.", "Thompson"),
            ("Dr. M", "Thompson"),
            ("M", "Thompson Jr"),
        ] {
            let id = donor_identity(f, l, "10001-2345");
            assert_eq!(id.skeleton, m.skeleton, "{f} {l}");
        }
        assert_eq!(donor_identity("", "Thompson, M.", "10001").key, m.key);
        assert_eq!(donor_identity("", "Thompson, Jr.", "10001").key, donor_identity("", "Thompson Jr", "10001").key);
        assert_ne!(donor_identity("K", "THOMPSON", "10001").key, m.key);
        assert_ne!(donor_identity("", "THOMPSON", "10001").key, m.key);
        // One edit apart at one ZIP: listed as a possible duplicate, not merged.
        assert!(near(&donor_identity("K", "THOMPSON", "10001"), &m));
        // A given name beside the initials: the initials go as before.
        assert_eq!(donor_identity("M. Kate", "Thompson", "10001").key, donor_identity("Kate", "Thompson", "10001").key);
        assert_eq!(donor_identity("Kate M.", "Thompson", "10001").key, donor_identity("Kate", "Thompson", "10001").key);
        // Initials in the last-name field only, or nothing but initials: unchanged.
        assert_eq!(donor_identity("Ada", "T.", "10001").skeleton, "ada");
        assert_eq!(donor_identity("M", "K", "10001").skeleton, "k m");
        // The general path agrees.
        for (f, l) in [("M", "THOMPSON"), ("M. K.", "Garcia Lopez"), ("Dr. M", "Cho"), ("", "Cho, M")] {
            assert_eq!(unicode_identity(f, l, "10001"), donor_identity(f, l, "10001"), "{f} {l}");
        }
        assert_eq!(donor_identity("M. K.", "Garcia Lopez", "10001").skeleton, "lopez m");
    }

    #[test]
    fn titles_and_post_nominals_go_like_initials() {
        // All three spellings are in the FEC's 10k sample.
        let key = donor_identity("JUN", "CHO", "10001").key;
        for (f, l) in [("DR. JUN", "CHO"), ("JUN DR.", "CHO"), ("Jun", "Cho MD"), ("Mr Jun", "Cho, Esq.")] {
            assert_eq!(donor_identity(f, l, "10001").key, key, "{f} {l}");
        }
        // Suffixes stay apart; a title alone is kept when nothing else is left.
        assert_ne!(donor_identity("DR. JUN", "CHO JR", "10001").key, key);
        assert_eq!(donor_identity("Dr", "", "10001").skeleton, "dr");
        // Hon is also a given name.
        assert_eq!(donor_identity("Hon", "Lee", "10001").skeleton, "hon lee");
        // Near skeletons skip titles too.
        assert!(near_skeletons("Dr. Chris", "Cho").contains(&"cho christopher".to_string()));
    }

    #[test]
    fn nicknames_fold() {
        let pairs: &[(&str, &str)] = &[
            ("Bob", "Robert"),
            ("Bobby", "Robert"),
            ("Bill", "William"),
            ("Liz", "Elizabeth"),
            ("Jim", "James"),
            ("Mike", "Michael"),
            ("Tom", "Thomas"),
            ("Dick", "Richard"),
            ("Kate", "Katherine"),
            ("Peggy", "Margaret"),
            ("Jack", "John"),
            ("Joe", "Joseph"),
        ];
        for (nick, given) in pairs {
            assert_eq!(
                donor_identity(nick, "Smith", "10001").key,
                donor_identity(given, "Smith", "10001").key,
                "{nick} = {given}"
            );
        }
        // Not every short name is a nickname.
        assert_ne!(donor_identity("Chris", "Smith", "10001").key, donor_identity("Christopher", "Smith", "10001").key);
    }

    #[test]
    fn suffixes_stay_apart_and_are_near() {
        let father = donor_identity("John", "Smith Sr.", "10001");
        let son = donor_identity("John", "Smith Jr", "10001");
        let plain = donor_identity("John", "Smith", "10001");
        assert_eq!(father.suffix, "sr");
        assert_eq!(son.suffix, "jr");
        assert_ne!(father.key, son.key);
        assert_ne!(plain.key, son.key);
        assert!(near(&father, &son));
        assert!(near(&plain, &son));
        for (a, b) in [("III", "3rd"), ("Junior", "Jr."), ("II", "2nd"), ("IV", "4th")] {
            assert_eq!(
                donor_identity("John", &format!("Smith {a}"), "10001").key,
                donor_identity("John", &format!("Smith, {b}"), "10001").key
            );
        }
        assert_eq!(son.skeleton, plain.skeleton);
        assert_ne!(son.name_key, plain.name_key);
    }

    #[test]
    fn near_matches() {
        let base = donor_identity("Ada", "Lovelace", "62701");
        let cases: &[(&str, &str, &str, &str, bool)] = &[
            ("neighbouring zip", "Ada", "Lovelace", "62702", true),
            ("far zip", "Ada", "Lovelace", "90210", true),
            ("one substitution", "Ada", "Lovelaсa", "62701", true),
            ("one insertion", "Ada", "Lovelacee", "62701", true),
            ("one deletion", "Ada", "Lovelac", "62701", true),
            ("transposition is two edits", "Ada", "Lovelcae", "62701", false),
            ("one edit other zip", "Ada", "Lovelac", "62702", false),
            ("another person", "Grace", "Hopper", "62701", false),
            ("suffix", "Ada", "Lovelace II", "62701", true),
        ];
        for (what, f, l, z, want) in cases {
            let id = donor_identity(f, l, z);
            assert_eq!(near(&base, &id), *want, "{what}");
            assert_eq!(near(&id, &base), *want, "{what} (symmetric)");
        }
    }

    #[test]
    fn deletion_variants_meet_for_one_edit() {
        let a = deletion_variants("ada lovelace");
        for b in ["ada lovelac", "ada lovelacex", "ada lovelaxe"] {
            let vb = deletion_variants(b);
            assert!(a.iter().any(|v| vb.contains(v)), "{b}");
        }
        let vc = deletion_variants("grace hopper");
        assert!(!a.iter().any(|v| vc.contains(v)));
    }

    #[test]
    fn places() {
        assert_eq!(fold_postal("62701-1234"), "62701");
        assert_eq!(fold_postal("627011234"), "62701");
        assert_eq!(fold_postal("6270"), "6270");
        assert_eq!(fold_postal("sw1a 1aa"), "SW1A1AA");
        assert_ne!(donor_identity("Ada", "Lovelace", "62702").key, donor_identity("Ada", "Lovelace", "62701").key);
    }

    /// The ASCII fast path against the general steps: the same identity (every field) and the
    /// same key from [`donor_key_into`], on generated names (letters, digits, 0 and 1, every
    /// ASCII punctuation and control byte, suffixes, nicknames, initials, long names past the
    /// fast path's buffers) and on every name and ZIP of the real FEC sample when it is there.
    #[test]
    fn the_ascii_fast_path_gives_the_general_identity() {
        // One identity reused across every call, as the duplicate search reuses it.
        let mut reused = donor_identity("Stale", "Name Jr", "99999-1234");
        let mut check = |f: &str, l: &str, z: &str| {
            let general = unicode_identity(f, l, z);
            if let Some(fast) = ascii::identity(f, l, z) {
                assert_eq!(fast, general, "{f:?} {l:?} {z:?}");
            }
            assert_eq!(donor_identity(f, l, z), general, "{f:?} {l:?} {z:?}");
            donor_identity_into(f, l, z, &mut reused);
            assert_eq!(reused, general, "{f:?} {l:?} {z:?}");
            let mut key = String::from("stale");
            donor_key_into(f, l, z, &mut key);
            assert_eq!(key, general.key, "{f:?} {l:?} {z:?}");
        };
        let words = [
            "ada",
            "Dr.",
            "MRS",
            "md",
            "LOVELACE",
            "Bob",
            "bobby",
            "WILL",
            "Jr",
            "jr.",
            "SR",
            "III",
            "lll",
            "3rd",
            "IV",
            "ii",
            "2nd",
            "junior",
            "O'Brien",
            "Mc`Donald",
            "de",
            "la",
            "j",
            "J.",
            "0",
            "1",
            "10",
            "Sm1th",
            "J0hn",
            "x",
            "-",
            "Garcia-Lopez",
            "chris",
            "A.B.",
            "iv",
            "",
            "  ",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..200_000 {
            let field = |next: &mut dyn FnMut(usize) -> usize| -> String {
                let mut s = String::new();
                for _ in 0..next(5) {
                    if next(3) == 0 {
                        // Any ASCII byte, control characters included.
                        for _ in 0..next(4) + 1 {
                            s.push(char::from(next(128) as u8));
                        }
                    } else {
                        s.push_str(words[next(words.len())]);
                    }
                    s.push([' ', ',', '.', '\t', '\'', '-', ' '][next(7)]);
                }
                s
            };
            let (f, l) = (field(&mut next), field(&mut next));
            let zips =
                ["62701", "62701-1234", "627011234", " 62701 ", "6270", "sw1a 1aa", "", "-", "12345-", "1234567890"];
            let z = if next(4) == 0 { field(&mut next) } else { zips[next(zips.len())].to_string() };
            check(&f, &l, &z);
        }
        // Past the fast path's buffers (256 bytes, 32 words): the general path, same answer.
        check(&"Ada ".repeat(40), "Lovelace", "62701");
        check(&"A".repeat(300), "Lovelace", "62701");
        check("Ada", &"B C ".repeat(20), "62701");
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/fec/itcont-sample-10k.txt");
        if let Ok(bytes) = std::fs::read(sample) {
            let text = String::from_utf8_lossy(&bytes);
            let mut n = 0;
            for line in text.lines() {
                let f: Vec<&str> = line.split('|').collect();
                let (Some(name), Some(zip)) = (f.get(7), f.get(10)) else { continue };
                let (last, first) = name.split_once(',').unwrap_or((name, ""));
                check(first.trim(), last.trim(), zip.trim());
                check(name, "", zip);
                n += 1;
            }
            assert!(n > 9000, "{n} sample rows");
        }
    }

    #[test]
    fn degenerate_input_never_panics() {
        for (f, l, z) in [("", "", ""), ("...", "\u{200B}", "-"), ("J.", "R.", "1"), ("Jr", "", "")] {
            let id = donor_identity(f, l, z);
            assert!(id.key.starts_with("v2|"));
            assert!(!near(&id, &id));
        }
        assert_eq!(donor_identity("J.", "R.", "").skeleton, "j r");
    }
}
