//! Form-reading vectors: `tests/vectors/forms.jsonl` holds, per line, the name/value pairs a
//! browser posts (`fields`), the widget's field map (`map`), the submission `read_form` builds
//! from them, and that submission's `submission_digest`. The same file runs in the wasm on Node
//! (`tests/node/forms.test.mjs`), so the browser, the server and the CLI read a form alike.
//!
//! `FORMS_VECTORS_WRITE=1 cargo test --test forms` rewrites the expected columns (review the
//! diff: every change is a change in how forms are read).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use donation_guard::form::{read_form, FieldMap};
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/forms.jsonl");

fn run(line: &Value) -> (Value, String) {
    let fields: Vec<(String, String)> = serde_json::from_value(line["fields"].clone()).unwrap();
    let map: FieldMap = serde_json::from_value(line["map"].clone()).unwrap();
    let sub = read_form(&fields, &map);
    let json = serde_json::to_string(&sub).unwrap();
    let verdict = donation_guard::check_bytes(json.as_bytes()).unwrap();
    (serde_json::from_str(&json).unwrap(), verdict.submission_digest)
}

#[test]
fn form_vectors() {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let write = std::env::var_os("FORMS_VECTORS_WRITE").is_some();
    let mut out = String::new();
    let mut n = 0;
    for raw in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut line: Value = serde_json::from_str(raw).unwrap();
        let (sub, digest) = run(&line);
        let name = line["name"].as_str().unwrap_or_default().to_owned();
        if write {
            line["submission"] = sub;
            line["submission_digest"] = Value::String(digest);
            out.push_str(&serde_json::to_string(&line).unwrap());
            out.push('\n');
        } else {
            assert_eq!(sub, line["submission"], "{name}: submission");
            assert_eq!(digest, line["submission_digest"].as_str().unwrap(), "{name}: digest");
        }
        n += 1;
    }
    if write {
        std::fs::write(VECTORS, out).unwrap();
    }
    assert!(n >= 10, "{n} vectors");
}

#[test]
fn the_map_is_json() {
    let m: FieldMap = serde_json::from_str(
        r#"{"donor.first_name":"give_first","contribution.amount":["give-amount","other_amount"],"recipient.type":{"value":"pac"}}"#,
    )
    .unwrap();
    let back: FieldMap = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(m, back);
    assert!(serde_json::from_str::<FieldMap>(r#"{"donor.first_name":5}"#).is_err());
}

// ---------------------------------------------------------------------------------------------
// Mapping without renaming: `form_map::map_form` over control descriptors as the platforms
// render them (names, types, autocomplete and label texts written from their public markup).

use donation_guard::form_map::{map_form, Choice, Control};

/// `name|type|autocomplete|label|legend` (empty parts allowed); options as `value=text;...`.
fn ctl(spec: &str) -> Control {
    let mut p = spec.split('|');
    let mut next = || p.next().unwrap_or("").to_owned();
    let (name, kind, autocomplete, label, legend, options) = (next(), next(), next(), next(), next(), next());
    Control {
        name,
        kind: if kind.is_empty() { "text".into() } else { kind },
        autocomplete,
        labels: if label.is_empty() { vec![] } else { vec![label] },
        legend,
        options: options
            .split(';')
            .filter(|o| !o.is_empty())
            .map(|o| {
                let (v, t) = o.split_once('=').unwrap_or((o, o));
                Choice { value: v.into(), text: t.into() }
            })
            .collect(),
        ..Control::default()
    }
}

const STATES_BY_NAME: &str = "Alabama;Alaska;Arizona;Arkansas;California;Colorado;Connecticut;Delaware;Florida;Georgia;Hawaii;Idaho;Illinois;Indiana;Iowa;Kansas;Kentucky;Louisiana;Maine;Maryland;Massachusetts;Michigan;Minnesota;Mississippi;Missouri;Montana;Nebraska;Nevada;New Hampshire;New Jersey;New Mexico;New York;North Carolina;North Dakota;Ohio;Oklahoma;Oregon;Pennsylvania;Rhode Island;South Carolina;South Dakota;Tennessee;Texas;Utah;Vermont;Virginia;Washington;West Virginia;Wisconsin;Wyoming";

/// (platform, controls, expected path → names).
type Platform = (&'static str, Vec<Control>, Vec<(&'static str, Vec<&'static str>)>);

fn platforms() -> Vec<Platform> {
    let full = |p: &'static str, n: &'static str| (p, vec![n]);
    vec![
        (
            "GiveWP",
            vec![
                ctl("give-amount|text||Donation Amount"),
                ctl("give-amount-other|text||Other amount"),
                ctl("give_first|text|given-name|First Name"),
                ctl("give_last|text|family-name|Last Name"),
                ctl("give_email|email|email|Email Address"),
                ctl("card_name|text|off|Cardholder Name"),
                ctl("card_address|text||Address 1"),
                ctl("card_address_2|text||Address 2"),
                ctl("card_city|text||City"),
                ctl("card_state|select||State / Province / County"),
                ctl("card_zip|text||Zip / Postal Code"),
                ctl("billing_country|select||Country"),
                ctl("give_citizenship|radio||Citizenship|Are you a U.S. citizen?|us=Yes, I am a U.S. citizen;no=No"),
            ],
            vec![
                ("contribution.amount", vec!["give-amount", "give-amount-other"]),
                full("donor.first_name", "give_first"),
                full("donor.last_name", "give_last"),
                full("donor.email", "give_email"),
                full("donor.address.line1", "card_address"),
                full("donor.address.line2", "card_address_2"),
                full("donor.address.city", "card_city"),
                full("donor.address.state", "card_state"),
                full("donor.address.postal_code", "card_zip"),
                full("donor.address.country", "billing_country"),
                full("donor.citizenship", "give_citizenship"),
            ],
        ),
        (
            "Gravity Forms",
            vec![
                ctl("input_7.3|text|given-name|First|Name"),
                ctl("input_7.6|text||Last|Name"),
                ctl("input_8|email||Email"),
                ctl("input_9.1|text||Street Address|Address"),
                ctl("input_9.2|text||Address Line 2|Address"),
                ctl("input_9.3|text||City|Address"),
                ctl("input_9.4|select||State|Address"),
                ctl("input_9.5|text||ZIP Code|Address"),
                ctl("input_10|radio||$25|Donation Amount|25=$25;50=$50;gf_other_choice=Other"),
                ctl("input_10_other|text||Other|Donation Amount"),
                ctl("input_11|radio|||Citizenship|us_citizen=U.S. citizen;foreign_national=Foreign national"),
            ],
            vec![
                full("donor.first_name", "input_7.3"),
                full("donor.last_name", "input_7.6"),
                full("donor.email", "input_8"),
                full("donor.address.line1", "input_9.1"),
                full("donor.address.line2", "input_9.2"),
                full("donor.address.city", "input_9.3"),
                full("donor.address.state", "input_9.4"),
                full("donor.address.postal_code", "input_9.5"),
                ("contribution.amount", vec!["input_10", "input_10_other"]),
                full("donor.citizenship", "input_11"),
            ],
        ),
        (
            "WPForms",
            vec![
                ctl("wpforms[fields][3][first]|text||First|Name"),
                ctl("wpforms[fields][3][last]|text||Last|Name"),
                ctl("wpforms[fields][4]|email||Email"),
                ctl("wpforms[fields][5][address1]|text||Address Line 1|Address"),
                ctl("wpforms[fields][5][city]|text||City|Address"),
                ctl("wpforms[fields][5][state]|select||State|Address"),
                ctl("wpforms[fields][5][postal]|text||Zip Code|Address"),
                ctl("wpforms[fields][6]|radio||Select an amount|Select an amount|$25.00=$25.00;$50.00=$50.00"),
                ctl("wpforms[fields][7]|text||Other amount"),
            ],
            vec![
                full("donor.first_name", "wpforms[fields][3][first]"),
                full("donor.last_name", "wpforms[fields][3][last]"),
                full("donor.email", "wpforms[fields][4]"),
                full("donor.address.line1", "wpforms[fields][5][address1]"),
                full("donor.address.city", "wpforms[fields][5][city]"),
                full("donor.address.state", "wpforms[fields][5][state]"),
                full("donor.address.postal_code", "wpforms[fields][5][postal]"),
                ("contribution.amount", vec!["wpforms[fields][6]", "wpforms[fields][7]"]),
            ],
        ),
        (
            "WooCommerce",
            vec![
                ctl("billing_first_name|text|given-name|First name"),
                ctl("billing_last_name|text|family-name|Last name"),
                ctl("billing_company|text|organization|Company name (optional)"),
                ctl("billing_country|select|country|Country / Region"),
                ctl("billing_address_1|text|address-line1|Street address"),
                ctl("billing_address_2|text|address-line2|Apartment, suite, unit, etc. (optional)"),
                ctl("billing_city|text|address-level2|Town / City"),
                ctl("billing_state|select|address-level1|State"),
                ctl("billing_postcode|text|postal-code|ZIP Code"),
                ctl("billing_phone|tel|tel|Phone"),
                ctl("billing_email|email|email|Email address"),
                ctl("shipping_first_name|text|given-name|First name"),
            ],
            vec![
                full("donor.first_name", "billing_first_name"),
                full("donor.last_name", "billing_last_name"),
                full("donor.address.country", "billing_country"),
                full("donor.address.line1", "billing_address_1"),
                full("donor.address.line2", "billing_address_2"),
                full("donor.address.city", "billing_city"),
                full("donor.address.state", "billing_state"),
                full("donor.address.postal_code", "billing_postcode"),
                full("donor.email", "billing_email"),
            ],
        ),
        (
            "Ninja Forms",
            vec![
                ctl("nf-field-5|text||First Name"),
                ctl("nf-field-6|text||Last Name"),
                ctl("nf-field-7|email||Email"),
                ctl("nf-field-8|text||Address"),
                ctl("nf-field-9|text||City"),
                ctl(&format!("nf-field-10|select||||{STATES_BY_NAME}")),
                ctl("nf-field-11|text||Zip"),
                ctl("nf-field-12|number||Donation Amount ($)"),
            ],
            vec![
                full("donor.first_name", "nf-field-5"),
                full("donor.last_name", "nf-field-6"),
                full("donor.email", "nf-field-7"),
                full("donor.address.line1", "nf-field-8"),
                full("donor.address.city", "nf-field-9"),
                full("donor.address.state", "nf-field-10"),
                full("donor.address.postal_code", "nf-field-11"),
                full("contribution.amount", "nf-field-12"),
            ],
        ),
        (
            "Formidable",
            vec![
                ctl("item_meta[12][first]|text||First|Name"),
                ctl("item_meta[12][last]|text||Last|Name"),
                ctl("item_meta[13]|email||Email"),
                ctl("item_meta[14][line1]|text||Line 1|Address"),
                ctl("item_meta[14][city]|text||City|Address"),
                ctl("item_meta[14][state]|text||State/Province|Address"),
                ctl("item_meta[14][zip]|text||Zip/Postal|Address"),
                ctl("item_meta[15]|radio|||Donation|10=$10;25=$25;Other=Other"),
                ctl("item_meta[other][15]|text||Other"),
            ],
            vec![
                full("donor.first_name", "item_meta[12][first]"),
                full("donor.last_name", "item_meta[12][last]"),
                full("donor.email", "item_meta[13]"),
                full("donor.address.line1", "item_meta[14][line1]"),
                full("donor.address.city", "item_meta[14][city]"),
                full("donor.address.state", "item_meta[14][state]"),
                full("donor.address.postal_code", "item_meta[14][zip]"),
                ("contribution.amount", vec!["item_meta[15]", "item_meta[other][15]"]),
            ],
        ),
        (
            "CiviCRM",
            vec![
                ctl("price_3|radio||$25.00|Contribution Amount|3=$ 25.00;4=$ 50.00;0=Other"),
                ctl("price_4|text||Other Amount"),
                ctl("email-5|text||Email Address"),
                ctl("first_name|text||First Name"),
                ctl("last_name|text||Last Name"),
                ctl("billing_first_name|text||Billing First Name"),
                ctl("billing_street_address-5|text||Street Address"),
                ctl("billing_city-5|text||City"),
                ctl("billing_state_province_id-5|select||State/Province"),
                ctl("billing_postal_code-5|text||Postal Code"),
                ctl("billing_country_id-5|select||Country"),
                ctl("current_employer|text||Employer"),
                ctl("job_title|text||Job Title"),
            ],
            vec![
                ("contribution.amount", vec!["price_3", "price_4"]),
                full("donor.email", "email-5"),
                full("donor.first_name", "first_name"),
                full("donor.last_name", "last_name"),
                full("donor.address.line1", "billing_street_address-5"),
                full("donor.address.city", "billing_city-5"),
                full("donor.address.state", "billing_state_province_id-5"),
                full("donor.address.postal_code", "billing_postal_code-5"),
                full("donor.address.country", "billing_country_id-5"),
                full("donor.employer", "current_employer"),
                full("donor.occupation", "job_title"),
            ],
        ),
        (
            "EveryAction / NGP VAN",
            vec![
                ctl("SelectAmount|radio|||Select an amount|25=$25;50=$50;other=Other"),
                ctl("OtherAmount|text||Other amount"),
                ctl("FirstName|text|given-name|First Name"),
                ctl("LastName|text|family-name|Last Name"),
                ctl("AddressLine1|text|address-line1|Street Address"),
                ctl("AddressLine2|text|address-line2|Street Address 2"),
                ctl("PostalCode|text|postal-code|Postal Code"),
                ctl("City|text|address-level2|City"),
                ctl("StateProvince|select|address-level1|State"),
                ctl("EmailAddress|email|email|Email"),
                ctl("Employer|text|organization|Employer"),
                ctl("Occupation|text|organization-title|Occupation"),
            ],
            vec![
                ("contribution.amount", vec!["SelectAmount", "OtherAmount"]),
                full("donor.first_name", "FirstName"),
                full("donor.last_name", "LastName"),
                full("donor.address.line1", "AddressLine1"),
                full("donor.address.line2", "AddressLine2"),
                full("donor.address.postal_code", "PostalCode"),
                full("donor.address.city", "City"),
                full("donor.address.state", "StateProvince"),
                full("donor.email", "EmailAddress"),
                full("donor.employer", "Employer"),
                full("donor.occupation", "Occupation"),
            ],
        ),
        (
            "Drupal Webform (CiviCRM and address composites)",
            vec![
                ctl("civicrm_1_contact_1_contact_first_name|text||First Name"),
                ctl("civicrm_1_contact_1_contact_last_name|text||Last Name"),
                ctl("civicrm_1_contact_1_email_email|email||Email"),
                ctl("civicrm_1_contact_1_address_street_address|text||Street Address"),
                ctl("civicrm_1_contact_1_address_city|text||City"),
                ctl("civicrm_1_contact_1_address_state_province_id|select||State/Province"),
                ctl("civicrm_1_contact_1_address_postal_code|text||Postal Code"),
                ctl("civicrm_1_contribution_1_contribution_total_amount|text||Amount"),
            ],
            vec![
                full("donor.first_name", "civicrm_1_contact_1_contact_first_name"),
                full("donor.last_name", "civicrm_1_contact_1_contact_last_name"),
                full("donor.email", "civicrm_1_contact_1_email_email"),
                full("donor.address.line1", "civicrm_1_contact_1_address_street_address"),
                full("donor.address.city", "civicrm_1_contact_1_address_city"),
                full("donor.address.state", "civicrm_1_contact_1_address_state_province_id"),
                full("donor.address.postal_code", "civicrm_1_contact_1_address_postal_code"),
                full("contribution.amount", "civicrm_1_contribution_1_contribution_total_amount"),
            ],
        ),
        (
            "Drupal Webform (donor[...] composite, Spanish labels)",
            vec![
                ctl("donor[first_name]|text||Nombre"),
                ctl("donor[last_name]|text||Apellidos"),
                ctl("donor[address][address_line1]|text||Dirección"),
                ctl("donor[address][locality]|text||Ciudad"),
                ctl("donor[address][administrative_area]|select||Estado"),
                ctl("donor[address][postal_code]|text||Código postal"),
                ctl("donor[address][country_code]|select||País"),
                ctl("donor[amount]|radio|||Cantidad|25=25 $;50=50 $;otra=Otra"),
                ctl("donor[amount_other]|text||Otra cantidad"),
            ],
            vec![
                full("donor.first_name", "donor[first_name]"),
                full("donor.last_name", "donor[last_name]"),
                full("donor.address.line1", "donor[address][address_line1]"),
                full("donor.address.city", "donor[address][locality]"),
                full("donor.address.state", "donor[address][administrative_area]"),
                full("donor.address.postal_code", "donor[address][postal_code]"),
                full("donor.address.country", "donor[address][country_code]"),
                ("contribution.amount", vec!["donor[amount]", "donor[amount_other]"]),
            ],
        ),
        (
            // Elementor Pro keeps its default field ids: the first-name box is
            // form_fields[name], relabelled "First Name"; the last name an opaque id.
            "Elementor Pro Forms",
            vec![
                ctl("form_fields[amount]|select||Contribution||25=$25.00;1000=$1,000.00;other=Other"),
                ctl("form_fields[other]|text||Other amount"),
                ctl("form_fields[name]|text||First Name"),
                ctl("form_fields[field_4c2d1e8]|text||Last Name"),
                ctl("form_fields[email]|email||Email"),
                ctl("form_fields[field_a91c0f2]|text||Street Address"),
                ctl("form_fields[city]|text||City"),
                ctl("form_fields[state]|text||State"),
                ctl("form_fields[field_9a8b7c6]|text||Postal Code"),
            ],
            vec![
                ("contribution.amount", vec!["form_fields[amount]", "form_fields[other]"]),
                full("donor.first_name", "form_fields[name]"),
                full("donor.last_name", "form_fields[field_4c2d1e8]"),
                full("donor.email", "form_fields[email]"),
                full("donor.address.line1", "form_fields[field_a91c0f2]"),
                full("donor.address.city", "form_fields[city]"),
                full("donor.address.state", "form_fields[state]"),
                full("donor.address.postal_code", "form_fields[field_9a8b7c6]"),
            ],
        ),
        (
            // Preset amounts that are <button>s writing a hidden input, and an Other box.
            "amount buttons writing a hidden input",
            vec![
                ctl("amount|hidden"),
                ctl("other_amount|text||Other amount"),
                ctl("first_name|text||First name"),
                ctl("last_name|text||Last name"),
                ctl("address1|text||Street address"),
                ctl("city|text||City"),
                ctl("state|text||State"),
                ctl("zip|text||ZIP code"),
                // A hidden input is read for the amount only, never for anything else.
                ctl("country|hidden"),
            ],
            vec![
                ("contribution.amount", vec!["amount", "other_amount"]),
                full("donor.first_name", "first_name"),
                full("donor.last_name", "last_name"),
                full("donor.address.line1", "address1"),
                full("donor.address.city", "city"),
                full("donor.address.state", "state"),
                full("donor.address.postal_code", "zip"),
            ],
        ),
        (
            // The same page as the widget describes it today (hidden inputs left out): an Other
            // box alone is no amount (its presets are not fields), so the amount is missing.
            "amount buttons, the hidden input not described",
            vec![ctl("other_amount|text||Other amount"), ctl("first_name|text||First name")],
            vec![full("donor.first_name", "first_name")],
        ),
        (
            "opaque names, autocomplete tokens only",
            vec![
                ctl("f1|text|section-donor billing given-name"),
                ctl("f2|text|billing family-name"),
                ctl("f3|text|address-line1"),
                ctl("f4|text|address-level2"),
                ctl("f5|text|address-level1"),
                ctl("f6|text|postal-code"),
                ctl("f7|text|country-name"),
                ctl("f8|email|email"),
                ctl("f9|text|cc-name|First name"),
                ctl("f10|text|cc-number"),
                ctl("f11|text|transaction-amount"),
            ],
            vec![
                full("donor.first_name", "f1"),
                full("donor.last_name", "f2"),
                full("donor.address.line1", "f3"),
                full("donor.address.city", "f4"),
                full("donor.address.state", "f5"),
                full("donor.address.postal_code", "f6"),
                full("donor.address.country", "f7"),
                full("donor.email", "f8"),
                full("contribution.amount", "f11"),
            ],
        ),
    ]
}

#[test]
fn platforms_map_without_renaming() {
    for (platform, controls, want) in platforms() {
        let m = map_form(&controls);
        // Path → the names (a choice's option texts are checked below).
        let got: Value = m
            .fields
            .iter()
            .map(|f| {
                let v = if f.names.len() == 1 { Value::from(f.names[0].clone()) } else { Value::from(f.names.clone()) };
                (f.path.clone(), v)
            })
            .collect::<serde_json::Map<_, _>>()
            .into();
        assert_eq!(m.map.0.len(), m.fields.len(), "{platform}: one row per mapped path");
        let mut expect = serde_json::Map::new();
        for (path, names) in &want {
            let v = if names.len() == 1 { Value::from(names[0]) } else { Value::from(names.clone()) };
            expect.insert((*path).to_owned(), v);
        }
        assert_eq!(got, Value::Object(expect), "{platform}: map");
        // The missing list is exactly the required paths not mapped.
        for p in donation_guard::form_map::REQUIRED {
            let mapped = want.iter().any(|(w, _)| *w == p);
            assert_eq!(m.missing.contains(&p.to_owned()), !mapped, "{platform}: missing {p}");
        }
    }
}

#[test]
fn a_mapped_platform_form_reads_into_an_accepted_submission() {
    // EveryAction: $75 through "Other", Illinois by name, a citizen.
    let mut controls = platforms().into_iter().find(|p| p.0.starts_with("EveryAction")).unwrap().1;
    controls.push(ctl(&format!("StateName|select||||{STATES_BY_NAME}")));
    let m = map_form(&controls);
    let mut map: Value = serde_json::to_value(&m.map).unwrap();
    map["donor.citizenship"] = serde_json::json!({"value": "us_citizen"});
    map["recipient.type"] = serde_json::json!({"value": "candidate"});
    map["recipient.election"] = serde_json::json!({"value": "primary"});
    map["donor.address.country"] = serde_json::json!({"value": "US"});
    let map: FieldMap = serde_json::from_value(map).unwrap();
    let pairs: Vec<(String, String)> = [
        ("SelectAmount", "other"),
        ("OtherAmount", "$75"),
        ("FirstName", "Ada"),
        ("LastName", "Lovelace"),
        ("AddressLine1", "12 Analytical Way"),
        ("City", "Springfield"),
        ("StateProvince", "Illinois"),
        ("PostalCode", "62701"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    let sub = read_form(&pairs, &map);
    let c = sub.contribution.as_ref().unwrap();
    assert_eq!(c.amount.as_ref().unwrap().as_str(), "75");
    assert_eq!(sub.donor.as_ref().unwrap().address.as_ref().unwrap().state.as_deref(), Some("IL"));
    let verdict = donation_guard::check_bytes(serde_json::to_string(&sub).unwrap().as_bytes()).unwrap();
    let codes: Vec<&str> = verdict.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(!codes.contains(&"field_required") && !codes.contains(&"state_invalid"), "{codes:?}");
    assert!(!codes.contains(&"amount_invalid"), "{codes:?}");
}

#[test]
fn hostile_and_empty_descriptors() {
    let m =
        map_form(&[ctl("constructor"), ctl("__proto__|text||First name"), ctl("toString|text||Last name"), ctl("")]);
    let got: Value = serde_json::to_value(&m.map).unwrap();
    assert_eq!(got, serde_json::json!({"donor.first_name": "__proto__", "donor.last_name": "toString"}));
    assert_eq!(m.unmapped, ["constructor"]);
    let none = map_form(&[]);
    assert_eq!(none.missing.len(), donation_guard::form_map::REQUIRED.len());
    // An explicit path wins; an unknown one is ignored.
    let mut c = ctl("x|text||Email");
    c.path = Some("donor.employer".into());
    let mut bad = ctl("y|text||City");
    bad.path = Some("donor.nonsense".into());
    let got: Value = serde_json::to_value(&map_form(&[c, bad]).map).unwrap();
    assert_eq!(got, serde_json::json!({"donor.employer": "x"}));
}

#[test]
fn opaque_option_values_are_read_as_their_texts() {
    // CiviCRM posts ids: price_3=3 is "$ 25.00", the country 1228 is "United States", the
    // state 1012 is "Illinois", and custom_12=0 is "No".
    let controls = vec![
        ctl("price_3|radio||$25.00|Contribution Amount|3=$ 25.00;4=$ 50.00;0=Other"),
        ctl("price_4|text||Other Amount"),
        ctl("billing_state_province_id-5|select||State/Province||=- select -;1012=Illinois;1013=Indiana"),
        ctl("billing_country_id-5|select||Country||1039=Canada;1228=United States"),
        ctl("custom_12|radio|||Are you a U.S. citizen or lawfully admitted permanent resident?|1=Yes;0=No"),
    ];
    let m = map_form(&controls);
    let read = |fields: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = fields.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
        serde_json::to_value(read_form(&pairs, &m.map)).unwrap()
    };
    let sub = read(&[
        ("price_3", "3"),
        ("billing_state_province_id-5", "1012"),
        ("billing_country_id-5", "1228"),
        ("custom_12", "0"),
    ]);
    assert_eq!(sub["contribution"]["amount"], "25.00");
    assert_eq!(sub["donor"]["address"]["state"], "IL");
    assert_eq!(sub["donor"]["address"]["country"], "US");
    assert_eq!(sub["donor"]["citizenship"], "foreign_national");
    let sub = read(&[("price_3", "0"), ("price_4", "75"), ("custom_12", "1")]);
    assert_eq!(sub["contribution"]["amount"], "75");
    assert_eq!(sub["donor"]["citizenship"], "us_citizen");
    // The map with option texts is JSON the server reads back as the same map.
    let back: FieldMap = serde_json::from_str(&serde_json::to_string(&m.map).unwrap()).unwrap();
    assert_eq!(back, m.map);
}

/// `tests/vectors/form-maps.jsonl`: each platform's control descriptors and the mapping
/// `map_form` gives, so the wasm on Node (`tests/node/forms.test.mjs`) proves it maps alike.
/// `FORMS_VECTORS_WRITE=1` rewrites the file.
#[test]
fn map_vectors() {
    const MAPS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/form-maps.jsonl");
    let mut out = String::new();
    for (platform, controls, _) in platforms() {
        let line = serde_json::json!({"name": platform, "controls": controls, "mapping": map_form(&controls)});
        out.push_str(&serde_json::to_string(&line).unwrap());
        out.push('\n');
    }
    if std::env::var_os("FORMS_VECTORS_WRITE").is_some() {
        std::fs::write(MAPS, &out).unwrap();
    }
    assert_eq!(std::fs::read_to_string(MAPS).unwrap(), out, "form-maps.jsonl is stale: FORMS_VECTORS_WRITE=1");
}

#[test]
fn the_mapping_json_is_its_serde_json() {
    for (platform, controls, _) in platforms() {
        let m = map_form(&controls);
        let by_hand: Value = serde_json::from_str(&m.to_json()).unwrap();
        assert_eq!(by_hand, serde_json::to_value(&m).unwrap(), "{platform}");
    }
    let m = map_form(&[ctl("a\"b|text||First \\ name \u{2028}")]);
    assert_eq!(serde_json::from_str::<Value>(&m.to_json()).unwrap(), serde_json::to_value(&m).unwrap());
}

/// A yes/no citizenship question may be asked either way round; "Yes" to "Are you a foreign
/// national?" is a foreign national, never a citizen. Each row: the question (legend), the
/// posted answer, the citizenship read (None: not given).
#[test]
fn a_yes_no_citizenship_question_is_read_by_what_it_asks() {
    let rows: &[(&str, &str, &str, Option<&str>)] = &[
        ("Are you a U.S. citizen?", "Yes=Yes;No=No", "Yes", Some("us_citizen")),
        ("Are you a U.S. citizen?", "Yes=Yes;No=No", "No", Some("foreign_national")),
        ("Are you a U.S. citizen? (Foreign nationals may not contribute.)", "Yes=Yes;No=No", "Yes", Some("us_citizen")),
        // A note after a full stop is not the question either.
        ("I am a U.S. citizen. Foreign nationals may not contribute.", "Yes=Yes;No=No", "Yes", Some("us_citizen")),
        ("Are you a U.S. citizen. Foreign nationals may not give", "Yes=Yes;No=No", "Yes", Some("us_citizen")),
        ("Not a U.S. citizen or green card holder", "Yes=Yes", "Yes", Some("foreign_national")),
        ("Are you a U.S. citizen or lawfully admitted permanent resident?", "Yes=Yes;No=No", "Yes", Some("us_citizen")),
        ("Are you a foreign national?", "Yes=Yes;No=No", "Yes", Some("foreign_national")),
        ("Are you a foreign national?", "Yes=Yes;No=No", "No", Some("permanent_resident")),
        (
            "Are you a foreign national (not a U.S. citizen or green card holder)?",
            "y=Yes;n=No",
            "y",
            Some("foreign_national"),
        ),
        (
            "Are you a foreign national (not a U.S. citizen or green card holder)?",
            "y=Yes;n=No",
            "n",
            Some("permanent_resident"),
        ),
        ("I am not a U.S. citizen or permanent resident", "Yes=Yes", "Yes", Some("foreign_national")),
        ("Are you a non-U.S. citizen?", "1=Yes;0=No", "1", Some("foreign_national")),
        ("¿Es usted ciudadano extranjero?", "si=Sí;no=No", "si", Some("foreign_national")),
        // Options that say what they mean keep their words, however the question reads.
        (
            "If you are not a U.S. citizen, you may not give. Your status:",
            "c=I am a U.S. citizen;p=Permanent resident (green card);f=Neither",
            "c",
            Some("us_citizen"),
        ),
    ];
    for (question, options, answer, want) in rows {
        let controls = vec![ctl("first_name|text||First name"), ctl(&format!("q_21|radio|||{question}|{options}"))];
        let m = map_form(&controls);
        assert!(m.map.0.contains_key("donor.citizenship"), "{question}: not mapped: {:?}", m.map);
        let pairs = vec![("q_21".to_owned(), (*answer).to_owned())];
        let sub = serde_json::to_value(read_form(&pairs, &m.map)).unwrap();
        assert_eq!(sub["donor"]["citizenship"].as_str(), *want, "{question} → {answer}");
    }
}

/// One checkbox stating the donor's status says what its own label states when ticked (never
/// what a fieldset around it asks), and nothing when left empty. Each row: the checkbox's value
/// ("" for the browser's default "on"), its label, the legend around it, whether it is ticked,
/// the citizenship read.
#[test]
fn a_lone_checkbox_reads_its_own_statement() {
    let rows: &[(&str, &str, &str, bool, Option<&str>)] = &[
        // Webflow: "I am NOT a U.S. citizen or lawful permanent resident", value "on".
        ("", "I am NOT a U.S. citizen or lawful permanent resident", "", true, Some("foreign_national")),
        ("", "I am NOT a U.S. citizen or lawful permanent resident", "", false, None),
        // Bootstrap: value="1", inside a fieldset whose legend would read the other way.
        ("1", "I am not a U.S. citizen or lawful permanent resident", "Eligibility", true, Some("foreign_national")),
        // Contact Form 7's acceptance box that every eligible donor ticks.
        (
            "1",
            "I confirm that I am not a foreign national, and that this contribution is made from my own funds.",
            "",
            true,
            Some("permanent_resident"),
        ),
        ("on", "I am a U.S. citizen.", "", true, Some("us_citizen")),
        ("yes", "Marque si NO es ciudadano(a) ni residente permanente", "", true, Some("foreign_national")),
    ];
    for (value, label, legend, ticked, want) in rows {
        let options = if value.is_empty() { format!("on={label}") } else { format!("{value}={label}") };
        let mut c = ctl(&format!("status_9|checkbox||{label}|{legend}|{options}"));
        if value.is_empty() {
            c.options[0].value = "on".into();
        }
        let m = map_form(&[ctl("first_name|text||First name"), c]);
        assert!(m.map.0.contains_key("donor.citizenship"), "{label}: not mapped: {:?}", m.map);
        let posted = if value.is_empty() { "on" } else { value };
        let pairs: Vec<(String, String)> =
            if *ticked { vec![("status_9".to_owned(), (*posted).to_owned())] } else { vec![] };
        let sub = serde_json::to_value(read_form(&pairs, &m.map)).unwrap();
        assert_eq!(sub["donor"]["citizenship"].as_str(), *want, "{label} ticked={ticked}");
    }
    // A page that asks the question itself keeps its question, wherever the box stands.
    let m = map_form(&[
        ctl("confirm_status|checkbox||I am a U.S. citizen or permanent resident||1=I am a U.S. citizen or permanent resident"),
        ctl("q_21|radio|||Are you a U.S. citizen?|Yes=Yes;No=No"),
    ]);
    let got = serde_json::to_value(&m.map).unwrap();
    assert_eq!(got["donor.citizenship"], "q_21", "{got}");
    // A group of several checkboxes is not one statement.
    let m = map_form(&[ctl("status[]|checkbox|||Status|c=U.S. citizen;p=Permanent resident")]);
    assert!(!m.map.0.contains_key("donor.citizenship"), "{:?}", m.map);
}

/// "Not a foreign national" is not a foreign national: a donor who says so is eligible (read as
/// a permanent resident, the cautious reading), in an answer or a statement, in either language.
#[test]
fn not_a_foreign_national_is_eligible() {
    use donation_guard::form::read_citizenship;
    use donation_guard::model::Citizenship::*;
    for (typed, want) in [
        ("I am not a foreign national", PermanentResident),
        ("No, I am not a foreign national.", PermanentResident),
        ("I confirm that I am not a foreign national", PermanentResident),
        ("No soy extranjero", PermanentResident),
        ("No soy una persona extranjera", PermanentResident),
        ("Foreign national", ForeignNational),
        ("I am a foreign national", ForeignNational),
        ("No, I am a foreign national", ForeignNational),
        ("Soy extranjero", ForeignNational),
        ("Not a U.S. citizen or green card holder", ForeignNational),
    ] {
        assert_eq!(read_citizenship(typed), Some(want), "{typed:?}");
    }
}

/// The country as Spanish-language forms write the United States: read as US, so a Spanish
/// speaker at home is not refused for `country_unknown`.
#[test]
fn the_united_states_in_spanish() {
    use donation_guard::form::read_country;
    for typed in
        ["Estados Unidos", "estados unidos", "EE. UU.", "EE.UU.", "EEUU", "E.U.A.", "Estados Unidos de América"]
    {
        assert_eq!(read_country(typed), "US", "{typed:?}");
    }
    for kept in ["Estados", "Unidos", "México"] {
        assert_eq!(read_country(kept), kept);
    }
}

/// The hidden input that amount buttons write is the amount, its Other box winning when filled.
#[test]
fn a_hidden_amount_reads_with_its_other_box() {
    let m =
        map_form(&[ctl("amount|hidden"), ctl("other_amount|text||Other amount"), ctl("first_name|text||First name")]);
    let read = |fields: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = fields.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
        serde_json::to_value(read_form(&pairs, &m.map)).unwrap()["contribution"]["amount"].clone()
    };
    assert_eq!(read(&[("amount", "25"), ("other_amount", "")]), "25");
    assert_eq!(read(&[("amount", ""), ("other_amount", "$75")]), "75");
    assert_eq!(read(&[("amount", "25"), ("other_amount", "1,000")]), "1000");
    assert_eq!(read(&[("amount", ""), ("other_amount", "")]), Value::Null);
    // With a visible choice, a hidden input is not the amount.
    let m = map_form(&[ctl("amount_h|hidden"), ctl("gift|radio|||Amount|25=$25;50=$50"), ctl("amount|hidden")]);
    let got = serde_json::to_value(&m.map).unwrap();
    assert_eq!(got["contribution.amount"], "gift", "{got}");
}
