//! Token folding, the token similarity and the assignment score.
//!
//! Ideas taken from the two open matchers issue 13 names (read with the `search` tool):
//! - moov-io/watchman (`internal/stringscore`, `pkg/search/similarity*.go`): Jaro-Winkler per
//!   token with a best one-to-one token assignment, a penalty for unmatched tokens, and
//!   stop-word / legal-form removal for entity names ("LLC", "CO", "LTD") before scoring.
//! - OpenSanctions' `nomenklatura`/`rigour` name matching: names as sets of folded tokens
//!   (ASCII transliteration, case and punctuation dropped), organization legal forms
//!   normalised away, given-name spelling variants treated as one, and an edit-distance gate
//!   on top of the string similarity so that long tokens tolerate more edits than short ones.
//!
//! Everything here works on bytes of already folded tokens, without allocating: the hot path
//! of a screen is [`score`] over a handful of candidate names.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Given names written many ways, folded to one spelling (after the letter rules below).
const NAME_CLASSES: &[(&str, &[&str])] = &[
    ("evgeni", &["evgeni", "evgeniy", "yevgeniy", "yevgeni", "ievgeni", "evgenii", "evgenyi", "evgueni"]),
    ("alexandr", &["alexandr", "alexander", "alexandre", "olexandr", "alexandar", "aleksander"]),
    (
        "muhamad",
        &[
            "muhamad", "mohamad", "mohamed", "muhamed", "mohamud", "mahamad", "mohammed", "muhammed", "mohd",
            "mohammod", "mouhamad", "mehmed",
        ],
    ),
    ("ahmad", &["ahmad", "ahmed", "ahmet"]),
    ("iuri", &["iuri", "juri", "yuri", "iouri", "yurii", "iurii"]),
    ("sergei", &["sergei", "sergey", "serge", "sergii", "serhii", "serhi", "serhiy", "sergiy"]),
    ("aleksei", &["alexei", "aleksei", "alexey", "aleksey", "alexi", "oleksi", "oleksii", "olexi", "oleksiy"]),
    ("dmitri", &["dmitri", "dmitry", "dmitrii", "dimitri", "dmytro"]),
    ("andrei", &["andrei", "andrey", "andrii", "andri", "andriy"]),
    ("iusuf", &["iusuf", "yusuf", "iusef", "yousef", "yousuf", "iousef", "iousuf", "yosef", "iosef", "youssef"]),
    ("husein", &["husein", "hussein", "husain", "hussain", "hosein", "hossein", "husayn", "hossain"]),
    ("umar", &["umar", "omar", "omer"]),
    ("usama", &["usama", "osama", "ousama"]),
    ("mihail", &["mihail", "mikhail", "michail", "mykhailo", "mikhailo"]),
    ("petr", &["petr", "pyotr", "piotr", "petro"]),
    ("fedor", &["fedor", "fyodor", "fiodor"]),
    ("nikolai", &["nikolai", "nikolay", "mykola"]),
    ("vladimir", &["vladimir", "volodymyr", "wladimir"]),
    ("igor", &["igor", "ihor"]),
    ("abdulah", &["abdullah", "abdallah", "abdulla"]),
    ("ibrahim", &["ibrahim", "ebrahim", "ibraheem"]),
    ("mustafa", &["mustafa", "mostafa", "moustafa"]),
    ("mahmud", &["mahmud", "mahmoud", "mahmood"]),
];

/// Name particles: articles and "son of" words that a donor may drop, join to the next word
/// or write apart (`AL-TIKRITI`, `Al Tikriti`, `Altikriti`), in folded form.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "ben", "uld", "de", "del", "dela", "di", "da", "do", "dos", "das", "du",
    "la", "le", "van", "von", "der", "den",
];

/// One folded token of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tok {
    /// The letters, folded (see [`fold_token`]) but before the name classes.
    pub f: Box<str>,
    /// The name class it belongs to, if any (`Yevgeniy` -> `evgeni`).
    pub class: Option<&'static str>,
    pub particle: bool,
    /// A one-letter token: an initial.
    pub initial: bool,
}

impl Tok {
    pub fn new(raw: &str, buf: &mut String) -> Option<Tok> {
        let class = fold_parts(raw, buf);
        if buf.is_empty() {
            return None;
        }
        let particle = PARTICLES.contains(&buf.as_str());
        let initial = buf.chars().count() == 1;
        Some(Tok { f: buf.as_str().into(), class, particle, initial })
    }

    /// The spelling that compares: the name class, else the letters.
    pub fn canon(&self) -> &str {
        self.class.unwrap_or(&self.f)
    }

    /// The token without an attached article (`altikriti` -> `tikriti`), when it has one.
    pub fn core(&self) -> Option<&str> {
        core_of(&self.f)
    }

    pub fn heap_bytes(&self) -> usize {
        self.f.len()
    }
}

/// `al`/`el` + at least five letters: the rest.
pub(super) fn core_of(f: &str) -> Option<&str> {
    if f.len() >= 7 && (f.starts_with("al") || f.starts_with("el")) {
        f.get(2..)
    } else {
        None
    }
}

/// A token folded for comparison: NFKD with combining marks dropped, lower case, letters and
/// digits only; then transliteration letter rules (dzh/dj -> j, kh -> h, ks -> x, ph -> f,
/// ck -> k, ou -> u, w -> v, y -> i, leading "ie" -> "e", double letters single) and the name classes.
pub fn fold_token(raw: &str) -> String {
    let mut buf = String::new();
    match fold_parts(raw, &mut buf) {
        Some(c) => c.to_string(),
        None => buf,
    }
}

/// Folds `raw` into `out` (the letters), and returns its name class.
fn fold_parts(raw: &str, out: &mut String) -> Option<&'static str> {
    out.clear();
    letters(raw, out);
    if out.is_empty() {
        return None;
    }
    classes().get(out.as_str()).copied()
}

/// The letter rules, in one pass, into `out`.
fn letters(raw: &str, out: &mut String) {
    // Lower-case letters and digits, diacritics dropped. ASCII needs no NFKD.
    let mut base: [u8; 96] = [0; 96];
    let mut n = 0usize;
    let mut wide = String::new();
    if raw.is_ascii() {
        for b in raw.bytes() {
            if b.is_ascii_alphanumeric() {
                if let Some(slot) = base.get_mut(n) {
                    *slot = b.to_ascii_lowercase();
                    n += 1;
                }
            }
        }
    } else {
        wide.extend(
            raw.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()),
        );
        if wide.is_ascii() {
            for b in wide.bytes() {
                if let Some(slot) = base.get_mut(n) {
                    *slot = b;
                    n += 1;
                }
            }
            wide.clear();
        }
    }
    if !wide.is_empty() {
        // Other scripts (and letters NFKD leaves alone, like ø or ß): kept as they are.
        out.push_str(&wide);
        return;
    }
    let s = base.get(..n).unwrap_or(&[]);
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0usize;
    // Leading "ie" (Ievgeni) reads as "e"; leading "ye" becomes "ie" first below.
    let mut last: u8 = 0;
    let push = |c: u8, out: &mut String, last: &mut u8| {
        if c != *last {
            out.push(char::from(c));
        }
        *last = c;
    };
    while i < n {
        let c = at(i);
        let (r, step) = match c {
            b'd' if at(i + 1) == b'z' && at(i + 2) == b'h' => (b'j', 3),
            b'd' if at(i + 1) == b'j' => (b'j', 2),
            b'k' if at(i + 1) == b'h' => (b'h', 2),
            b'k' if at(i + 1) == b's' => (b'x', 2),
            b'p' if at(i + 1) == b'h' => (b'f', 2),
            b'c' if at(i + 1) == b'k' => (b'k', 2),
            b'o' if at(i + 1) == b'u' => (b'u', 2),
            b'w' => (b'v', 1),
            b'y' => (b'i', 1),
            c => (c, 1),
        };
        push(r, out, &mut last);
        i += step;
    }
    if out.len() > 3 && out.starts_with("ie") {
        out.remove(0);
    }
    if out.len() > 3 && out.ends_with("ij") {
        out.pop();
    }
}

/// Folded spelling -> class name.
fn classes() -> &'static std::collections::HashMap<String, &'static str> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, &'static str>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for (canon, forms) in NAME_CLASSES {
            for f in forms.iter().chain(std::iter::once(canon)) {
                let mut s = String::new();
                letters(f, &mut s);
                map.insert(s, *canon);
            }
        }
        map
    })
}

/// Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up to 4).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() || a.len() > 64 || b.len() > 64 {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = 0u64;
    let mut a_used = 0u64;
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if b_used & (1 << j) != 0 || b.get(j) != Some(ca) {
                continue;
            }
            b_used |= 1 << j;
            a_used |= 1 << i;
            matches += 1;
            break;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_m = a.iter().enumerate().filter(|(i, _)| a_used & (1 << i) != 0).map(|(_, c)| c);
    let b_m = b.iter().enumerate().filter(|(j, _)| b_used & (1 << j) != 0).map(|(_, c)| c);
    let transpositions = a_m.zip(b_m).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Whether the optimal-string-alignment distance (Levenshtein plus adjacent transpositions)
/// of `a` and `b` is at most `k`.
fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.len() > 63 || b.len() > 63 {
        return false;
    }
    let big = usize::MAX / 4;
    let mut pp = [big; 64];
    let mut prev = [0usize; 64];
    let mut cur = [0usize; 64];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let g = |r: &[usize; 64], x: usize| r.get(x).copied().unwrap_or(big);
            let mut v = (g(&prev, j) + usize::from(ca != cb)).min(g(&prev, j + 1) + 1).min(g(&cur, j) + 1);
            if i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca) {
                v = v.min(g(&pp, j - 1) + 1);
            }
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > k {
            return false;
        }
        pp = prev;
        prev = cur;
    }
    prev.get(b.len()).is_some_and(|d| *d <= k)
}

/// Below this a token pair is no match at all.
const TOKEN_FLOOR: f64 = 0.80;

/// Similarity of two folded spellings: their Jaro-Winkler, when they are within the edits
/// their length allows (a transposition is one edit). The allowance is OpenSanctions'
/// (`nomenklatura`'s `levenshtein_similarity`: floor(ln(max(longest - 2, 1))) edits): none up
/// to four letters, one from five, two from ten. So "Morris" is not "Morrissey", "Alam" is not
/// "Anam", but "Prigozhin" is "Prigozhim".
fn spelling_sim(a: &[u8], b: &[u8]) -> f64 {
    if a == b {
        return 1.0;
    }
    let longest = a.len().max(b.len());
    let allowed = match longest {
        0..=4 => return 0.0,
        5..=9 => 1,
        _ => 2,
    };
    if a.len().abs_diff(b.len()) > allowed {
        return 0.0;
    }
    // Up to six letters a changed first letter is another name (Arif, Zarif): typos rarely hit
    // it, and Soundex keeps it for the same reason.
    if longest <= 6 && a.first() != b.first() {
        return 0.0;
    }
    let jw = jaro_winkler(a, b);
    if jw < TOKEN_FLOOR || !within_edits(a, b, allowed) {
        return 0.0;
    }
    jw
}

/// Similarity of two tokens: the best of their letters, their name classes and their cores
/// (an attached article dropped).
pub(super) fn token_sim(a: &Tok, b: &Tok) -> f64 {
    let mut s = spelling_sim(a.f.as_bytes(), b.f.as_bytes());
    if s >= 1.0 {
        return 1.0;
    }
    if a.class.is_some() || b.class.is_some() {
        s = s.max(spelling_sim(a.canon().as_bytes(), b.canon().as_bytes()));
    }
    let (ca, cb) = (a.core(), b.core());
    if ca.is_some() || cb.is_some() {
        let x = ca.unwrap_or(&a.f);
        let y = cb.unwrap_or(&b.f);
        s = s.max(spelling_sim(x.as_bytes(), y.as_bytes()));
    }
    s
}

/// The weight of an entry's optional token (middle name, patronymic) that the donor omits...
const OPTIONAL_MISSING: f64 = 0.05;
/// ... and the most all of them together cost: a long patronymic chain is still one omission.
const OPTIONAL_CAP: f64 = 0.15;
/// The weight of a donor token the entry lacks (when the entry has a middle name of its own
/// that the donor's does not meet)...
const DONOR_EXTRA: f64 = 0.6;
/// ... and when the entry has no other name for it.
const DONOR_EXTRA_FREE: f64 = 0.25;
/// ... of a donor's initial the entry lacks, and of a particle either side lacks.
const INITIAL_EXTRA: f64 = 0.15;
const PARTICLE_EXTRA: f64 = 0.05;
/// A donor's initial against an optional entry token with that first letter: its similarity
/// and weight (it says little).
const INITIAL_SIM: f64 = 0.9;
const INITIAL_WEIGHT: f64 = 0.3;
/// What each inexact token pair beyond the first takes off: two typos at once ("Diana Hammer"
/// for "Dana Samer") are another name.
const FUZZY_EXTRA: f64 = 0.04;

/// The score in [0, 1] of donor tokens against an entry name's tokens: a one-to-one
/// assignment (best pairs first), 0 unless every required entry token (bit `j` of `required`)
/// is met by a donor token (not an initial).
pub(super) fn score(donor: &[Tok], entry: &[Tok], required: u16, entity: bool) -> f64 {
    if donor.len() > 16 || entry.len() > 16 || donor.is_empty() || entry.is_empty() {
        return 0.0;
    }
    // (similarity, donor index, entry index, is an initial pair); at most 64 kept.
    let mut pairs = [(0.0f64, 0u8, 0u8, false); 64];
    let mut np = 0usize;
    for (i, d) in donor.iter().enumerate() {
        for (j, e) in entry.iter().enumerate() {
            let (s, init) = if d.initial && e.initial {
                (if d.f == e.f { 1.0 } else { 0.0 }, false)
            } else if d.initial {
                let ok = required & (1 << j) == 0
                    && !e.initial
                    && !e.particle
                    && e.f.as_bytes().first() == d.f.as_bytes().first();
                (if ok { INITIAL_SIM } else { 0.0 }, true)
            } else if e.initial {
                (0.0, false)
            } else {
                (token_sim(d, e), false)
            };
            if s >= TOKEN_FLOOR {
                if let Some(p) = pairs.get_mut(np) {
                    *p = (s, i as u8, j as u8, init);
                    np += 1;
                }
            }
        }
    }
    let pairs = pairs.get_mut(..np).unwrap_or(&mut []);
    // Insertion sort: best first, ties by donor then entry index (deterministic).
    for k in 1..pairs.len() {
        let mut m = k;
        while m > 0 {
            let (Some(x), Some(y)) = (pairs.get(m - 1).copied(), pairs.get(m).copied()) else { break };
            let worse = x.0 < y.0 || (x.0 == y.0 && (x.1, x.2) > (y.1, y.2));
            if !worse {
                break;
            }
            pairs.swap(m - 1, m);
            m -= 1;
        }
    }
    let mut d_used = 0u32;
    let mut e_used = 0u32;
    let mut sum = 0.0;
    let mut weight = 0.0;
    let mut met = 0u16;
    let mut fuzzy = 0usize;
    let mut single = 1.0;
    let mut single_len = 0usize;
    for &(s, i, j, init) in pairs.iter() {
        if d_used & (1 << i) != 0 || e_used & (1 << j) != 0 {
            continue;
        }
        d_used |= 1 << i;
        e_used |= 1 << j;
        if !init && s < 1.0 {
            fuzzy += 1;
            if required == 1 << j {
                single = s;
                single_len = entry.get(j as usize).map_or(0, |e| e.f.len());
            }
        }
        let w = if init { INITIAL_WEIGHT } else { 1.0 };
        sum += w * s;
        weight += w;
        if !init {
            met |= 1 << j;
        }
    }
    if met & required != required {
        return 0.0;
    }
    let mut optional = 0.0;
    for (j, e) in entry.iter().enumerate() {
        if e_used & (1 << j) == 0 && !e.particle {
            optional += OPTIONAL_MISSING;
        }
    }
    weight += optional.min(OPTIONAL_CAP);
    for (i, d) in donor.iter().enumerate() {
        if d_used & (1 << i) == 0 {
            weight += if d.particle {
                PARTICLE_EXTRA
            } else if d.initial && optional == 0.0 {
                // An initial the entry has no name for; against a middle name of another
                // letter ("John H Lee", "LEE, John Ka-chiu") it says another person.
                INITIAL_EXTRA
            } else if !entity && !d.initial && optional == 0.0 && i + 1 < donor.len() {
                // A middle name where the list gives none ("Yevgeny Ivanovich Khodotov" for
                // "KHODOTOV, Yevgeny"): not a contradiction, since every name of the entry is
                // met. The donor's last word is their surname, though: "John Henry Eaves" is
                // not "HENRY, John".
                DONOR_EXTRA_FREE
            } else {
                DONOR_EXTRA
            };
        }
    }
    if weight == 0.0 {
        return 0.0;
    }
    let mut score = sum / weight - FUZZY_EXTRA * fuzzy.saturating_sub(1) as f64;
    if entity && single < 1.0 {
        // An entity named by one word is that word: a typo in it counts twice more, and in a
        // word of five letters or fewer (SONY, SONIS) it is another name.
        score *= if single_len < 6 { 0.0 } else { single * single };
    }
    score.max(0.0)
}

/// The public form of [`score`], on raw tokens: entry token `j` is required when
/// `required[j]` (missing: required).
pub fn score_tokens(donor: &[String], entry: &[String], required: &[bool]) -> f64 {
    let mut buf = String::new();
    let d: Vec<Tok> = donor.iter().filter_map(|t| Tok::new(t, &mut buf)).collect();
    let e: Vec<Tok> = entry.iter().filter_map(|t| Tok::new(t, &mut buf)).collect();
    let mut mask = 0u16;
    for j in 0..e.len().min(16) {
        if required.get(j).copied().unwrap_or(true) {
            mask |= 1 << j;
        }
    }
    score(&d, &e, mask, false)
}
