//! Donor identity for the ledger, and the keyed hashes that keep personal data out of storage.
//!
//! **Donor identity** is the normalised first name, last name and place:
//! - each name trimmed, in Unicode NFC (as [`crate::normalize::form`] gives it), lower-cased
//!   (Unicode), with runs of inner whitespace collapsed to one space;
//! - the place is ZIP5 (the first five digits of the ZIP or ZIP+4) for a domestic address, and
//!   for a foreign one the ISO alpha-2 country plus the postal code (upper-cased, without
//!   blanks), since a foreign address has no ZIP.
//!
//! So "  Ada   LOVELACE, 62701-1234" and "ada lovelace, 62701" are one donor; "Ada Lovelace,
//! 62702" is another. The ledger stores only `HMAC-SHA-256(secret, identity)`, never the name.
//! Passports are stored as `HMAC-SHA-256(secret, country:number)` plus the last 4 characters;
//! emails as `HMAC-SHA-256(secret, lower-cased email)`.

use crate::normalize::{Form, Locale};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Lower-case, NFC (already), inner whitespace collapsed.
pub fn fold(s: &str) -> String {
    let lower = crate::normalize::nfc(&s.to_lowercase()).into_owned();
    let mut out = String::with_capacity(lower.len());
    for word in lower.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text identity of a donor: `v1|first|last|place` (see the module documentation).
pub fn donor_identity(form: &Form<'_>) -> String {
    let first = form.first_name.as_deref().map(fold).unwrap_or_default();
    let last = form.last_name.as_deref().map(fold).unwrap_or_default();
    let postal: String =
        form.postal_code.as_deref().unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
    let place = match form.locale() {
        Locale::Domestic => postal.chars().take(5).collect::<String>(),
        Locale::Foreign | Locale::Unknown => format!("{}:{postal}", place_country(form)),
    };
    format!("v1|{first}|{last}|{place}")
}

/// The postal argument of [`crate::identity::donor_identity`]: the ZIP for a domestic address,
/// `CC:postal` (ISO alpha-2 country) for a foreign one, as the v1 identity placed it.
pub fn place_postal(form: &Form<'_>) -> String {
    let postal = form.postal_code.as_deref().unwrap_or_default();
    match form.locale() {
        Locale::Domestic => postal.to_owned(),
        Locale::Foreign | Locale::Unknown => format!("{}:{postal}", place_country(form)),
    }
}

/// The country part of a foreign place: its ISO alpha-2 code, or the folded text when the
/// country is not recognised.
fn place_country(form: &Form<'_>) -> String {
    form.country
        .known()
        .map_or_else(|| form.country_text.as_deref().map(fold).unwrap_or_default(), |c| c.alpha2.to_owned())
}

/// The v2 identity of the form's donor (see [`crate::identity`]).
pub fn identity(form: &Form<'_>) -> crate::identity::Identity {
    crate::identity::donor_identity(
        form.first_name.as_deref().unwrap_or_default(),
        form.last_name.as_deref().unwrap_or_default(),
        &place_postal(form),
    )
}

/// The form donor's [`crate::identity::earlier_identities`].
fn earlier(form: &Form<'_>) -> crate::identity::Earlier {
    crate::identity::earlier_identities(
        form.first_name.as_deref().unwrap_or_default(),
        form.last_name.as_deref().unwrap_or_default(),
        &place_postal(form),
    )
}

/// Keyed hashes with the server's secret.
#[derive(Clone)]
pub struct Hasher {
    key: Hmac<Sha256>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hasher(..)")
    }
}

impl Hasher {
    pub fn new(secret: &[u8]) -> Result<Hasher, String> {
        let key = Hmac::<Sha256>::new_from_slice(secret).map_err(|e| format!("bad secret: {e}"))?;
        Ok(Hasher { key })
    }

    /// Lowercase hex of HMAC-SHA-256(secret, domain || 0 || text).
    pub fn hmac(&self, domain: &str, text: &str) -> String {
        let mut mac = self.key.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Lowercase hex of HMAC-SHA-256(secret, domain || 0 || each part with its length): the
    /// keyed digest of a whole request, for idempotency.
    pub fn hmac_parts(&self, domain: &str, parts: &[&[u8]]) -> String {
        let mut mac = self.key.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        for p in parts {
            mac.update(&u64::try_from(p.len()).unwrap_or(u64::MAX).to_be_bytes());
            mac.update(p);
        }
        hex(&mac.finalize().into_bytes())
    }

    /// The ledger key of a donor: HMAC of the v2 identity key ([`crate::identity`]).
    pub fn donor_key(&self, form: &Form<'_>) -> String {
        self.hmac("donor", &identity(form).key)
    }

    /// The keys ledger rows may have been written under before, by this donor for certain: v1
    /// (HMAC of [`donor_identity`]), and v2 before titles were dropped when it differs
    /// ([`crate::identity::Earlier`]: "Dr. Jun Cho" was `cho dr`). The ledger re-keys a
    /// donor's old rows to [`Hasher::donor_key`] the next time the donor gives. An initial-only
    /// given name ("M. Thompson") had a v2 key others shared ("K. Thompson" was `thompson` too):
    /// those rows are not re-keyed but met as near matches ([`Hasher::near_keys`]).
    pub fn legacy_donor_keys(&self, form: &Form<'_>) -> Vec<String> {
        self.legacy_keys(form, &earlier(form))
    }

    /// [`Hasher::legacy_donor_keys`] and [`Hasher::near_keys`] of one request, reading the
    /// donor's earlier identities once.
    pub fn ledger_keys(&self, form: &Form<'_>, email: Option<&str>) -> (Vec<String>, Vec<String>) {
        let earlier = earlier(form);
        (self.legacy_keys(form, &earlier), self.near_keys_with(form, email, &earlier))
    }

    fn legacy_keys(&self, form: &Form<'_>, earlier: &crate::identity::Earlier) -> Vec<String> {
        let mut keys = vec![self.hmac("donor", &donor_identity(form))];
        if let (Some(before), None) = (&earlier.before_titles, &earlier.before_initials) {
            keys.push(self.hmac("donor", &before.key));
        }
        keys
    }

    /// The keyed variants that find near matches (see [`crate::identity::near`]): the skeleton
    /// alone (another ZIP or suffix), each one-deletion variant at the same ZIP and suffix (one
    /// edit away), the [`crate::identity::near_skeletons`] (O Brien, Garcia-Lopez, Chris), the email (another name: its HMAC, and the HMAC of its [`mailbox`] when that
    /// differs, so `ada+2@` and `a.da@gmail.com` meet `ada@`), and the passport (the same
    /// passport under another name). Two donors that share a variant are near.
    pub fn near_keys(&self, form: &Form<'_>, email: Option<&str>) -> Vec<String> {
        self.near_keys_with(form, email, &earlier(form))
    }

    fn near_keys_with(&self, form: &Form<'_>, email: Option<&str>, earlier: &crate::identity::Earlier) -> Vec<String> {
        let id = identity(form);
        let mut out = Vec::new();
        if !id.skeleton.is_empty() {
            out.push(self.hmac("near", &format!("s|{}", id.skeleton)));
            for v in crate::identity::deletion_variants(&id.skeleton) {
                out.push(self.hmac("near", &format!("d|{}|{}|{v}", id.zip5, id.suffix)));
            }
            // Other spellings of the same person (a squashed or partial surname, a nickname's
            // readings), met through the other donor's own skeleton key above.
            let (first, last) =
                (form.first_name.as_deref().unwrap_or_default(), form.last_name.as_deref().unwrap_or_default());
            for sk in crate::identity::near_skeletons(first, last) {
                if sk != id.skeleton {
                    out.push(self.hmac("near", &format!("s|{sk}")));
                }
            }
            // An initial-only given name: the rows its earlier, shared keys were written under
            // (their skeleton at this ZIP, as those rows' own variants hold it).
            if let Some(before) = &earlier.before_initials {
                for old in std::iter::once(before).chain(earlier.before_titles.as_ref()) {
                    let key = self.hmac("near", &format!("d|{}|{}|{}", old.zip5, old.suffix, old.skeleton));
                    // Before titles and before initials are often the same identity.
                    if !out.contains(&key) {
                        out.push(key);
                    }
                }
            }
        }
        if let Some(e) = email.map(str::trim).filter(|e| !e.is_empty()) {
            let lower = e.to_lowercase();
            let boxed = mailbox(&lower);
            out.push(self.hmac("near", &format!("e|{}", self.hmac("email", &lower))));
            if boxed != lower {
                out.push(self.hmac("near", &format!("e|{}", self.hmac("email", &boxed))));
            }
        }
        if let Some((passport, _)) = self.passport(form) {
            out.push(self.hmac("near", &format!("p|{passport}")));
        }
        out
    }

    /// `(hmac, last4)` of the passport number, when one is given.
    pub fn passport(&self, form: &Form<'_>) -> Option<(String, String)> {
        let number = form.passport_number.as_deref()?;
        let country = form.passport_country.known().map_or("", |c| c.alpha2);
        let chars: Vec<char> = number.chars().collect();
        let last4: String = chars.iter().skip(chars.len().saturating_sub(4)).collect();
        Some((self.hmac("passport", &format!("{country}:{number}")), last4))
    }

    /// The HMAC of the email (trimmed, lower-cased), when one is given.
    pub fn email(&self, email: Option<&str>) -> Option<String> {
        let e = email?.trim();
        (!e.is_empty()).then(|| self.hmac("email", &e.to_lowercase()))
    }

    /// A fingerprint of the secret itself, so a ledger refuses a different secret.
    pub fn fingerprint(&self) -> String {
        self.hmac("fingerprint", "donation-guard ledger")
    }
}

/// The mailbox a lower-cased address delivers to, for near matches only (never an exact
/// match: two people can share a mailbox): a `+tag` after the local part is dropped (Gmail,
/// Outlook, iCloud, Fastmail and Proton deliver `ada+x@` to `ada@`), and Gmail ignores dots and
/// `googlemail.com` is `gmail.com`.
pub fn mailbox(lower: &str) -> String {
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return lower.to_owned();
    };
    let local = local.split_once('+').map_or(local, |(l, _)| l);
    let domain = if domain == "googlemail.com" { "gmail.com" } else { domain };
    let local: String =
        if domain == "gmail.com" { local.chars().filter(|c| *c != '.').collect() } else { local.to_owned() };
    if local.is_empty() {
        return lower.to_owned();
    }
    format!("{local}@{domain}")
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes() {
        assert_eq!(mailbox("ada+donations@example.org"), "ada@example.org");
        assert_eq!(mailbox("a.da+x@googlemail.com"), "ada@gmail.com");
        assert_eq!(mailbox("a.da@gmail.com"), "ada@gmail.com");
        assert_eq!(mailbox("a.da@example.org"), "a.da@example.org");
        assert_eq!(mailbox("+x@example.org"), "+x@example.org");
        assert_eq!(mailbox("not an address"), "not an address");
        assert_eq!(mailbox("a@b@c.org"), "a@b@c.org");
    }

    fn identity(json: &str) -> String {
        let sub = crate::parse(json.as_bytes()).unwrap();
        donor_identity(&crate::normalize::form(&sub))
    }

    #[test]
    fn names_fold_and_zip_plus_four_is_zip5() {
        let a = identity(
            r#"{"donor":{"first_name":"  Ada ","last_name":"LOVE   LACE","address":{"country":"US","state":"IL","postal_code":"62701-1234"}}}"#,
        );
        let b = identity(
            r#"{"donor":{"first_name":"ada","last_name":"love lace","address":{"country":"usa","state":"il","postal_code":"62701"}}}"#,
        );
        assert_eq!(a, "v1|ada|love lace|62701");
        assert_eq!(a, b);
        let c = identity(
            r#"{"donor":{"first_name":"Ada","last_name":"Love Lace","address":{"country":"US","state":"IL","postal_code":"62702"}}}"#,
        );
        assert_ne!(a, c);
    }

    #[test]
    fn nfc_and_unicode_case() {
        let a = identity(
            r#"{"donor":{"first_name":"JOSE\u0301","last_name":"Ñandú","address":{"country":"US","postal_code":"10001"}}}"#,
        );
        let b = identity(
            r#"{"donor":{"first_name":"josé","last_name":"ñandú","address":{"country":"US","postal_code":"10001"}}}"#,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn foreign_addresses_use_country_and_postal_code() {
        let a = identity(
            r#"{"donor":{"first_name":"A","last_name":"B","address":{"country":"France","postal_code":"75 001"}}}"#,
        );
        assert_eq!(a, "v1|a|b|FR:75001");
    }

    #[test]
    fn hashes_are_keyed_and_never_the_value() {
        let h = Hasher::new(&[7u8; 32]).unwrap();
        let other = Hasher::new(&[8u8; 32]).unwrap();
        let sub = crate::parse(
            br#"{"donor":{"first_name":"Ada","last_name":"L","email":" Ada@Example.org ","passport":{"country":"US","number":"A1234-5678"}}}"#,
        )
        .unwrap();
        let form = crate::normalize::form(&sub);
        let (p, last4) = h.passport(&form).unwrap();
        assert_eq!(last4, "5678");
        assert_eq!(p.len(), 64);
        assert!(!p.contains("A12345678"));
        assert_ne!(Some(p), other.passport(&form).map(|x| x.0));
        assert_eq!(h.email(Some(" Ada@Example.org ")), h.email(Some("ada@example.org")));
        assert_eq!(h.email(Some("  ")), None);
        assert_ne!(h.donor_key(&form), other.donor_key(&form));
        assert_eq!(h.legacy_donor_keys(&form).len(), 1);
        assert!(!h.legacy_donor_keys(&form).contains(&h.donor_key(&form)));
        // A title changed the v2 key (December 2026): the key before it is re-keyed too.
        let titled = crate::parse(
            br#"{"donor":{"first_name":"Dr. Jun","last_name":"Cho","address":{"postal_code":"10001","country":"US"}}}"#,
        )
        .unwrap();
        let titled = crate::normalize::form(&titled);
        let legacy = h.legacy_donor_keys(&titled);
        assert_eq!(legacy.len(), 2);
        assert_eq!(legacy[1], h.hmac("donor", "v2|cho|dr||10001"));
        assert!(!legacy.contains(&h.donor_key(&titled)));
        // An initial-only given name (December 2026): its earlier key was shared by others, so
        // it is not re-keyed but met as a near match.
        let initial = crate::parse(
            br#"{"donor":{"first_name":"M.","last_name":"Thompson","address":{"postal_code":"10001","country":"US"}}}"#,
        )
        .unwrap();
        let initial = crate::normalize::form(&initial);
        assert_eq!(h.legacy_donor_keys(&initial).len(), 1);
        assert!(h.near_keys(&initial, None).contains(&h.hmac("near", "d|10001||thompson")));
        assert!(!h.near_keys(&form, None).contains(&h.hmac("near", "d|10001||thompson")));
        let near = h.near_keys(&form, Some("Ada@Example.org"));
        assert!(near.len() > 3);
        assert!(near.iter().all(|k| k.len() == 64 && !k.contains("ada")));
    }
}
