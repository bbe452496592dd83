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
    match classes().get(out.as_str()) {
        Some(canon) => (*canon).to_string(),
        None => out,
    }
}

/// Folded spelling -> class name.
fn classes() -> &'static std::collections::HashMap<String, &'static str> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, &'static str>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        NAME_CLASSES.iter().flat_map(|(canon, forms)| forms.iter().map(move |f| (fold_plain(f), *canon))).collect()
    })
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

/// Similarity of two folded tokens: their Jaro-Winkler, when they are at most one edit apart
/// (two for tokens of 8 letters or more); tokens of three letters or fewer count only when
/// equal. So "Morris" is not "Morrissey", but "Prigozhin" is "Prigozhim".
fn token_sim(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let short = a.len().min(b.len());
    if short <= 3 {
        return 0.0;
    }
    let allowed = if short >= 8 { 2 } else { 1 };
    if a.len().abs_diff(b.len()) > allowed {
        return 0.0;
    }
    let jw = jaro_winkler(a, b);
    if jw < TOKEN_FLOOR || !within_edits(a, b, allowed) {
        return 0.0;
    }
    jw
}

/// Whether the Levenshtein distance of `a` and `b` is at most `k`.
fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.len() > 63 || b.len() > 63 {
        return false;
    }
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
            let sub = prev.get(j).copied().unwrap_or(usize::MAX / 2) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX / 2) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX / 2) + 1;
            let v = sub.min(del).min(ins);
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > k {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).is_some_and(|d| *d <= k)
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
