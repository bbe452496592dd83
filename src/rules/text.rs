//! Mixed-script spoofing: one word mixing Latin with Cyrillic or Greek look-alikes (RULES.md,
//! reading 9). A name wholly in one non-Latin script is fine; Han with kana is fine.

use super::{Ctx, Findings};
use crate::findings::Code;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

fn script(c: char) -> Option<Script> {
    match c {
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        '\u{00C0}'..='\u{024F}' if c != '\u{00D7}' && c != '\u{00F7}' => Some(Script::Latin),
        '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}' | '\u{AB30}'..='\u{AB6F}' => {
            Some(Script::Latin)
        }
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => Some(Script::Latin),
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' if c.is_alphabetic() => Some(Script::Greek),
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}'
            if c.is_alphabetic() =>
        {
            Some(Script::Cyrillic)
        }
        _ => None,
    }
}

/// Whether one whitespace-separated word mixes two or more of Latin, Greek and Cyrillic.
pub fn mixes_scripts(s: &str) -> bool {
    // ASCII letters are all Latin.
    if s.is_ascii() {
        return false;
    }
    s.split_whitespace().any(|word| {
        let mut first = None;
        word.chars().filter_map(script).any(|sc| *first.get_or_insert(sc) != sc)
    })
}

pub fn check(ctx: &Ctx<'_, '_>, out: &mut Findings<'_>) {
    let f = ctx.form;
    let fields = [
        (f.first_name.as_deref(), "donor.first_name"),
        (f.last_name.as_deref(), "donor.last_name"),
        (f.city.as_deref(), "donor.address.city"),
        (f.country_text.as_deref(), "donor.address.country"),
        (f.passport_country_text.as_deref(), "donor.passport.country"),
        (ctx.extra.card_country.as_ref().map(|(_, t)| t.as_ref()), "contribution.card.country"),
        (ctx.extra.bank_country.as_ref().map(|(_, t)| t.as_ref()), "contribution.bank_country"),
    ];
    for (value, field) in fields {
        if value.is_some_and(mixes_scripts) {
            out.add(Code::MixedScript, field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::codes;

    #[test]
    fn mixing_within_one_word() {
        assert!(mixes_scripts("P\u{03BF}rtland")); // Greek omicron
        assert!(mixes_scripts("\u{0410}da")); // Cyrillic A
        assert!(mixes_scripts("Mary \u{0410}nn"));
        assert!(!mixes_scripts("Νικόλαος"));
        assert!(!mixes_scripts("Владимир Ivanov")); // two words, one script each
        assert!(!mixes_scripts("José-María O'Brien"));
        assert!(!mixes_scripts("山田たろう"));
        assert!(!mixes_scripts("Zoë 3rd"));
    }

    #[test]
    fn flagged_per_field() {
        assert_eq!(codes(r#"{"donor":{"first_name":"Аda"}}"#), ["mixed_script@donor.first_name"]);
        assert_eq!(
            codes(r#"{"donor":{"address":{"country":"Unitеd States"}}}"#),
            ["country_unknown@donor.address.country", "mixed_script@donor.address.country"]
        );
        assert!(codes(r#"{"donor":{"first_name":"Νικόλαος","last_name":"Παπαδόπουλος"}}"#).is_empty());
    }
}
