//! The exact table of accepted countries (`countries.tsv`, embedded verbatim from the spec):
//! ISO 3166-1 alpha-2, alpha-3, the ISO English short name and the accepted aliases.

use crate::map::VecMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("rulesets/countries.tsv");

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub name: &'static str,
}

/// Countries whose residents are U.S. citizens or nationals: the United States and its
/// inhabited territories. A payment or address there is domestic.
pub const DOMESTIC: [&str; 6] = ["US", "PR", "GU", "VI", "AS", "MP"];

/// Freely associated states: they have USPS codes but are foreign countries.
pub const FREELY_ASSOCIATED: [&str; 3] = ["FM", "MH", "PW"];

impl Country {
    pub fn is_domestic(&self) -> bool {
        DOMESTIC.contains(&self.alpha2)
    }
    pub fn is_us(&self) -> bool {
        self.alpha2 == "US"
    }
}

struct Index {
    /// In table order, which is alpha-2 order.
    rows: Vec<Country>,
    by_key: VecMap<String, usize>,
    /// Row + 1 by alpha-2 code (`(A-Z) * 26 + (A-Z)`), 0 for none: the fast path.
    by_alpha2: Vec<u16>,
}

fn alpha2_slot(code: &[u8]) -> Option<usize> {
    match code {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some(usize::from(a.to_ascii_uppercase() - b'A') * 26 + usize::from(b.to_ascii_uppercase() - b'A'))
        }
        _ => None,
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut rows = Vec::new();
        let mut by_key = VecMap::new();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(a2), Some(a3), Some(names)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let mut names = names.split('|');
            let name = names.next().unwrap_or(a2);
            let row = rows.len();
            rows.push(Country { alpha2: a2, alpha3: a3, name });
            for key in [a2, a3, name].into_iter().chain(names) {
                by_key.insert_if_absent(fold(key), row);
            }
        }
        let mut by_alpha2 = vec![0u16; 26 * 26];
        for (i, c) in rows.iter().enumerate() {
            if let Some(slot) = alpha2_slot(c.alpha2.as_bytes()).and_then(|s| by_alpha2.get_mut(s)) {
                *slot = u16::try_from(i + 1).unwrap_or(0);
            }
        }
        Index { rows, by_key, by_alpha2 }
    })
}

/// Trimmed, inner blanks collapsed to one space, case-folded (RULES.md, reading 2).
///
/// The fold covers the letters the table uses: ASCII and Latin-1 (`Å`, `Ç`, `É`, `Ô`, `Ü`...);
/// a test checks every name and alias in both cases. Unicode's full case tables would cost the
/// wasm 14 KB gzip for names that are not in the table anyway.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(lower_latin1));
    }
    out
}

/// Lower case for ASCII and the Latin-1 Supplement (`À`..=`Þ` except `×`); anything else as is.
fn lower_latin1(c: char) -> char {
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
        _ => c,
    }
}

/// Looks a country up by code or name.
pub fn lookup(s: &str) -> Option<Country> {
    let ix = index();
    // Fast path, no allocation: a two-letter code, as almost every form sends.
    if let Some(slot) = alpha2_slot(s.trim().as_bytes()) {
        let row = ix.by_alpha2.get(slot).copied().unwrap_or(0);
        if let Some(c) = usize::from(row).checked_sub(1).and_then(|i| ix.rows.get(i)) {
            return Some(*c);
        }
        // Two-letter aliases such as UK fall through.
    }
    ix.by_key.get(&fold(s)).and_then(|&row| ix.rows.get(row)).copied()
}

/// Every row, in table order.
pub fn all() -> &'static [Country] {
    &index().rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_alpha2_order_for_the_fast_path() {
        assert!(all().windows(2).all(|w| w[0].alpha2 < w[1].alpha2));
        for c in all() {
            assert_eq!(lookup(&c.alpha2.to_ascii_lowercase()), Some(*c));
            assert_eq!(lookup(c.alpha3), Some(*c));
        }
    }

    #[test]
    fn table_has_every_row_of_the_spec() {
        assert_eq!(all().len(), TABLE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count());
        assert!(all().len() >= 249);
    }

    #[test]
    fn codes_names_and_aliases_match_case_and_blank_insensitively() {
        for s in ["US", "us", "USA", " usa ", "United States", "united   states of america", "U.S.", "U.S.A."] {
            assert_eq!(lookup(s).map(|c| c.alpha2), Some("US"), "{s:?}");
        }
        assert_eq!(lookup("Georgia").map(|c| c.alpha2), Some("GE"));
        assert_eq!(lookup("UK").map(|c| c.alpha2), Some("GB"));
        assert_eq!(lookup("côte d'ivoire").map(|c| c.alpha2), Some("CI"));
        assert_eq!(lookup("Narnia"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("XX"), None);
    }

    #[test]
    fn every_name_and_alias_matches_in_upper_and_lower_case() {
        let mut keys = 0;
        for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            let row = lookup(cols[0]).unwrap();
            for key in cols[..2].iter().copied().chain(cols[2].split('|')) {
                // Unicode's own mappings (native tests only) against the fold's Latin-1 ones.
                for variant in
                    [key.to_owned(), key.to_uppercase(), key.to_lowercase(), format!("  {}  ", key.to_uppercase())]
                {
                    assert_eq!(lookup(&variant), Some(row), "{variant:?} ({line})");
                }
                assert_eq!(
                    fold(&key.to_uppercase()),
                    key.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
                );
                keys += 1;
            }
        }
        assert!(keys > 500, "{keys}");
        for s in
            ["CÔTE D'IVOIRE", "ÅLAND ISLANDS", "åland islands", "CURAÇAO", "RÉUNION", "SAINT BARTHÉLEMY", "TÜRKIYE"]
        {
            assert!(lookup(s).is_some(), "{s}");
        }
    }

    #[test]
    fn the_fold_is_unicode_lower_case_on_latin1() {
        for c in (0u32..=0xFF).filter_map(char::from_u32) {
            let unicode: Vec<char> = c.to_lowercase().collect();
            assert_eq!(vec![lower_latin1(c)], unicode, "{c:?}");
        }
        // Beyond Latin-1 letters stay as typed (no name in the table needs them).
        assert_eq!(fold("ΕΛΛΆΔΑ  Ő"), "ΕΛΛΆΔΑ Ő");
    }

    #[test]
    fn territories_are_domestic_and_freely_associated_states_are_not() {
        for c in DOMESTIC {
            assert!(lookup(c).unwrap().is_domestic(), "{c}");
        }
        for c in FREELY_ASSOCIATED.iter().chain(&["UM", "CA"]) {
            assert!(!lookup(c).unwrap().is_domestic(), "{c}");
        }
    }

    #[test]
    fn embedded_copy_is_the_spec_file() {
        // The spec sits beside the repository in development and CI; when it does, the
        // embedded copy must be byte-identical.
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/spec/countries.tsv");
        if let Ok(text) = std::fs::read_to_string(spec) {
            assert_eq!(text, TABLE, "src/rulesets/countries.tsv differs from {spec}");
        }
    }
}
