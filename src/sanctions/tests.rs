#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::*;

const SDN: &str = "21171,\"PRIGOZHIN, Yevgeniy Viktorovich\",\"individual\",\"UKRAINE-EO13661] [CYBER2] [ELECTION-EO13848\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Jun 1961; a.k.a. 'PRIGOJINE, Evgueni'; Linked To: INTERNET RESEARCH AGENCY LLC.\"\n\
24000,\"INTERNET RESEARCH AGENCY LLC\",-0- ,\"CYBER2] [ELECTION-EO13848\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'GLAVSET'; a.k.a. \"\"MEDIASINTEZ LLC\"\".\"\n\
306,\"ABU-'UMAR, Khalid\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'ABU-'UMAR'.\"\n\x1a";

fn sub(json: &str) -> Submission {
    crate::parse(json.as_bytes()).unwrap()
}

#[test]
fn parses_entries_aliases_and_programs() {
    let l = SanctionsList::load(SDN.as_bytes(), None).unwrap();
    assert_eq!(l.len(), 3);
    assert_eq!(l.entries()[0].programs, "[UKRAINE-EO13661] [CYBER2] [ELECTION-EO13848]");
    assert_eq!(l.entries()[1].kind, EntryKind::Entity);
    assert_eq!(csv::remark_aliases("a.k.a. 'ABU-'UMAR'; a.k.a. \"X Y\"."), vec!["ABU-'UMAR", "X Y"]);
    assert!(l.digest().starts_with("sha256:") && l.digest().len() == 71);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert_eq!(SanctionsList::load(b"", None).unwrap_err(), SanctionsError::Empty);
    assert!(matches!(SanctionsList::load(b"abc,\"X\",-0-,-0-\n", None), Err(SanctionsError::Malformed { .. })));
    assert!(matches!(SanctionsList::load(b"1,\"X\"\n", None), Err(SanctionsError::Malformed { line: 1, .. })));
    assert!(SanctionsList::load(b"\"unterminated", None).is_err());
    assert!(matches!(
        SanctionsList::load(SDN.as_bytes(), Some(b"x,1,aka\n")),
        Err(SanctionsError::Malformed { file: "alt.csv", .. })
    ));
    // Latin-1 bytes do not fail.
    assert!(SanctionsList::load(b"1,\"M\xdcLLER, J\xf6rg\",\"individual\",\"SDGT\"\n", None).is_ok());
}

#[test]
fn variants_match_and_others_do_not() {
    let l = SanctionsList::load(SDN.as_bytes(), None).unwrap();
    for name in
        ["Yevgeniy Prigozhin", "PRIGOZHIN, Evgeny", "evgeniy prigozhin", "Yevgeny Prigozhim", "Évgeniy Prigózhin"]
    {
        let h = l.best_person(name).unwrap();
        assert!(h.score >= DEFAULT_REJECT, "{name}: {}", h.score);
    }
    for name in ["Eugene Prince", "Prigozhin", "Viktor Prigozhin", "Anna Ohern"] {
        assert!(l.best_person(name).is_none_or_below(DEFAULT_REVIEW), "{name}");
    }
    assert!(l.best_entity("Internet Research Agency").unwrap().score >= DEFAULT_REJECT);
    assert!(l.best_entity("Mediasintez").unwrap().score >= DEFAULT_REJECT);
}

#[test]
fn particles_initials_typos_and_legal_forms() {
    let sdn = "1,\"AL-TIKRITI, Kamal Mustafa\",\"individual\",\"IRAQ2\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
               2,\"NKUNDA, Laurent\",\"individual\",\"DRC\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
               3,\"LEE, John Ka-chiu\",\"individual\",\"SDNTK\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
               4,\"LIMITED LIABILITY COMPANY STEK\",-0-,\"RUSSIA-EO14024\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
               5,\"BODECARNE, S.A. DE C.V.\",-0-,\"SDNTK\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
               6,\"SONIS\",-0-,\"SDNTK\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n";
    let l = SanctionsList::load(sdn.as_bytes(), None).unwrap();
    let score = |n: &str| l.best_person(n).map_or(0.0, |h| h.score);
    // An article written apart, attached or dropped.
    for n in ["Kamal Al Tikriti", "Kamal Altikriti", "Kamal Tikriti", "kamal m. al-tikriti"] {
        assert!(score(n) >= DEFAULT_REJECT, "{n}: {}", score(n));
    }
    // A transposition is one edit; a changed first letter of a short word is another name.
    assert!(score("Laruent Nkunda") >= DEFAULT_REVIEW);
    assert!(score("Laurent Mkunda") < DEFAULT_REVIEW);
    // An initial that contradicts the entry's middle name costs more than one it lacks.
    assert!(score("John H Lee") < score("John K Lee"));
    assert!(score("John H Lee") < DEFAULT_REVIEW);
    let ent = |n: &str| l.best_entity(n).map_or(0.0, |h| h.score);
    for n in [
        "Stek LLC",
        "OOO Stek",
        "Stek, L.L.C.",
        "stek limited liability company",
        "Bodecarne SA de CV",
        "bodecarne s a de c v",
    ] {
        assert!(ent(n) >= DEFAULT_REJECT, "{n}: {}", ent(n));
    }
    // A one-word entity is that word: a near miss of five letters is another company.
    assert!(ent("Sony") < DEFAULT_REVIEW && ent("Sonis Inc") >= DEFAULT_REJECT);
}

trait Below {
    fn is_none_or_below(&self, t: f64) -> bool;
}
impl Below for Option<Hit<'_>> {
    fn is_none_or_below(&self, t: f64) -> bool {
        self.as_ref().map_or(true, |h| h.score < t)
    }
}

#[test]
fn amend_adds_the_finding_and_rejects() {
    let l = SanctionsList::load(SDN.as_bytes(), Some(b"21171,1,\"aka\",\"PRIGOZHIN, Evgeny\",-0-\n")).unwrap();
    let json = crate::rules::testing::BASE.replace("\"Ada\"", "\"Yevgeny\"").replace("\"Lovelace\"", "\"Prigozhin\"");
    let s = sub(&json);
    let v = crate::check(&s, crate::ruleset::default_ruleset().unwrap());
    assert_eq!(v.decision, crate::Decision::Accept);
    let v = l.amend(v, &s, &Thresholds::default());
    assert_eq!(v.decision, crate::Decision::Reject);
    let f = &v.findings[0];
    assert_eq!(f.code, Code::SanctionsMatch);
    assert_eq!(f.field, "donor.last_name");
    assert_eq!(f.params["sdn_uid"], "21171");
    assert_eq!(f.params["list_digest"], l.digest());
    assert!(f.citation.unwrap().contains("31 CFR Part 579"));
    // Organization donors are matched against entities only.
    let org = crate::rules::testing::BASE
        .replace("\"Ada\"", "\"\"")
        .replace("\"Lovelace\"", "\"Internet Research Agency\"")
        .replace("\"donor\": {", "\"donor\": {\"kind\": \"organization\", ");
    let f = l.screen(&sub(&org), &Thresholds::default());
    assert_eq!(f.len(), 1, "{:?} {:?}", sub(&org).donor, l.best_entity("Internet Research Agency"));
    assert_eq!(f[0].params["sdn_uid"], "24000");
    let plain = sub(crate::rules::testing::BASE);
    assert!(l.screen(&plain, &Thresholds::default()).is_empty());
}
