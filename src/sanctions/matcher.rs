//! Token folding and the token-level Jaro-Winkler score.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Given names written many ways, folded to one spelling (after the letter rules below).
const NAME_CLASSES: &[(&str, &[&str])] = &[
    ("evgeni", &["evgeni", "evgeniy", "yevgeniy", "yevgeni", "ievgeni", "evgenii", "evgenyi"]),
    ("alexandr", &["alexandr", "alexander", "alexandre", "olexandr", "alexandar"]),
    ("muhamad", &["muhamad", "mohamad", "mohamed", "muhamed", "mohamud", "mahamad", "mohammed", "muhammed", "mohd"]),
    ("ahmad", &["ahmad", "ahmed", "ahmet"]),
    ("iuri", &["iuri", "juri", "yuri", "iouri"]),
    ("sergei", &["sergei", "sergey", "serge", "sergii", "serhii", "serhi"]),
    ("aleksei", &["alexei", "aleksei", "alexey", "aleksey", "alexi", "oleksi", "oleksii", "olexi"]),
    ("dmitri", &["dmitri", "dmitry", "dmitrii", "dimitri", "dmytro"]),
    ("andrei", &["andrei", "andrey", "andrii", "andri"]),
    ("iusuf", &["iusuf", "yusuf", "iusef", "yousef", "yousuf", "iousef", "iousuf", "yosef", "iosef"]),
];

/// A token folded for comparison: NFKD with combining marks dropped, lower case, letters and
/// digits only; then transliteration letter rules (dzh/dj -> j, kh -> h, ks -> x, ph -> f,
/// ck -> k, w -> v, y -> i, leading "ie" -> "e", double letters single) and the name classes.
pub fn fold_token(raw: &str) -> String {
    let base: String = raw
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if base.is_empty() {
        return base;
    }
    let mut s = base
        .replace("dzh", "j")
        .replace("dj", "j")
        .replace("kh", "h")
        .replace("ks", "x")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace('w', "v")
        .replace('y', "i");
    if s.starts_with("ie") && s.len() > 3 {
        s.remove(0);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    // Trailing "ii"/"ij" already collapsed; "ij" endings read as "i".
    if out.ends_with("ij") && out.len() > 3 {
        out.pop();
    }
    for (canon, forms) in NAME_CLASSES {
        if forms.iter().any(|f| fold_plain(f) == out) {
            return (*canon).to_string();
        }
    }
    out
}

/// The letter rules alone, for the class table (its spellings are ASCII).
fn fold_plain(f: &str) -> String {
    let s = f.replace("dzh", "j").replace("kh", "h").replace("ks", "x").replace('y', "i");
    let s = if s.starts_with("ie") && s.len() > 3 { s.get(1..).unwrap_or("").to_string() } else { s };
    let mut out = String::new();
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up to 4).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_used = [false; 64];
    let mut b_used = [false; 64];
    if a.len() > 64 || b.len() > 64 {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if b_used.get(j).copied().unwrap_or(true) || b.get(j) != Some(ca) {
                continue;
            }
            if let (Some(x), Some(y)) = (a_used.get_mut(i), b_used.get_mut(j)) {
                *x = true;
                *y = true;
            }
            matches += 1;
            break;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_m = a.iter().zip(a_used.iter()).filter(|(_, u)| **u).map(|(c, _)| c);
    let b_m = b.iter().zip(b_used.iter()).filter(|(_, u)| **u).map(|(c, _)| c);
    let transpositions = a_m.zip(b_m).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Similarity of two folded tokens: Jaro-Winkler, but tokens of one or two letters (initials)
/// count only when equal.
fn token_sim(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() <= 2 || b.len() <= 2 {
        return 0.0;
    }
    jaro_winkler(a.as_bytes(), b.as_bytes())
}

/// Below this a token pair is no match at all.
const TOKEN_FLOOR: f64 = 0.80;
/// The weight of an entry's optional token (middle name, patronymic) that the donor omits.
const OPTIONAL_MISSING: f64 = 0.05;
/// The weight of a donor token the entry lacks.
const DONOR_EXTRA: f64 = 0.6;

/// The score in [0, 1] of donor tokens against an entry name's tokens: a one-to-one
/// assignment (best pairs first), 0 unless every required entry token is met.
pub fn score_tokens(donor: &[String], entry: &[String], required: &[bool]) -> f64 {
    if donor.len() > 16 || entry.len() > 16 || donor.is_empty() || entry.is_empty() {
        return 0.0;
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(donor.len() * entry.len());
    for (i, d) in donor.iter().enumerate() {
        for (j, e) in entry.iter().enumerate() {
            let s = token_sim(d, e);
            if s >= TOKEN_FLOOR {
                pairs.push((s, i, j));
            }
        }
    }
    if pairs.is_empty() {
        return 0.0;
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut d_used = 0u32;
    let mut e_used = 0u32;
    let mut sum = 0.0;
    let mut weight = 0.0;
    for (s, i, j) in pairs {
        if d_used & (1 << i) != 0 || e_used & (1 << j) != 0 {
            continue;
        }
        d_used |= 1 << i;
        e_used |= 1 << j;
        sum += s;
        weight += 1.0;
    }
    for j in 0..entry.len() {
        if e_used & (1 << j) == 0 {
            if required.get(j).copied().unwrap_or(true) {
                return 0.0;
            }
            weight += OPTIONAL_MISSING;
        }
    }
    let extra = donor.len() - d_used.count_ones() as usize;
    weight += DONOR_EXTRA * extra as f64;
    if weight == 0.0 {
        0.0
    } else {
        sum / weight
    }
}
