//! `make bench-sanctions`: the screening's accuracy by threshold, its speed (names per second
//! on one core, against the full list) and the index's memory. Figures, not assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(not(target_arch = "wasm32"))]
#[path = "../sanctions/eval.rs"]
mod eval;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::time::Instant;
    let t = Instant::now();
    let Some(list) = eval::list() else { return };
    let load = t.elapsed();
    let Some(neg) = eval::negatives() else {
        eprintln!("skipping: {} not found", eval::FEC);
        return;
    };
    let pos = eval::positives();
    if std::env::var_os("SANCTIONS_SPEED_ONLY").is_some() {
        // For `valgrind --tool=callgrind --toggle-collect='*speed*'`: instructions per name,
        // whatever the machine's load.
        speed(&list, &neg, 1);
        return;
    }
    println!(
        "list: {} entries, {} names, index+names heap ~{:.1} MB, loaded and indexed in {:.0} ms",
        list.len(),
        list.names(),
        list.heap_bytes() as f64 / 1e6,
        load.as_secs_f64() * 1e3
    );
    let neg_scores: Vec<f64> = neg.iter().map(|n| list.best_person(n).map_or(0.0, |h| h.score)).collect();
    println!("threshold  recall(variants)  recall(EO13848 own)  FP per 10,000 donors");
    for th in [0.80, 0.84, 0.86, 0.88, 0.90, 0.92, 0.93, 0.94, 0.96] {
        let (mut vh, mut vn, mut oh, mut on) = (0, 0, 0, 0);
        for p in &pos {
            let hit = eval::is_hit(&list, &p.name, p.uid, th);
            if p.kind.starts_with("own") {
                on += 1;
                oh += usize::from(hit);
            } else {
                vn += 1;
                vh += usize::from(hit);
            }
        }
        let fp = neg_scores.iter().filter(|s| **s >= th).count();
        println!(
            "{th:9.2}  {:15.1}%  {:18.1}%  {:10.1}",
            vh as f64 * 100.0 / vn as f64,
            oh as f64 * 100.0 / on as f64,
            fp as f64 * 10_000.0 / neg.len() as f64
        );
    }
    for kind in ["swap", "no_middle", "translit", "typo", "case_diac"] {
        let k: Vec<_> = pos.iter().filter(|p| p.kind == kind).collect();
        let h =
            k.iter().filter(|p| eval::is_hit(&list, &p.name, p.uid, donation_guard::sanctions::DEFAULT_REVIEW)).count();
        println!("  at review {:.2}: {kind:<10} {h}/{}", donation_guard::sanctions::DEFAULT_REVIEW, k.len());
    }
    if std::env::var_os("SANCTIONS_SHOW_FP").is_some() {
        for (n, s) in neg.iter().zip(&neg_scores) {
            if *s >= donation_guard::sanctions::DEFAULT_REVIEW {
                let h = list.best_person(n).unwrap();
                println!("FP {s:.3} {n} -> {}", h.entry.name);
            }
        }
    }
    widened(&list);
    let total: usize = neg.iter().map(|n| list.candidates(n)).sum();
    let mut worst: Vec<(usize, &String)> = neg.iter().map(|n| (list.candidates(n), n)).collect();
    worst.sort();
    println!(
        "blocking: {:.1} candidate names per donor name on average (of {}); most: {}",
        total as f64 / neg.len() as f64,
        list.names(),
        worst.last().map_or(0, |w| w.0)
    );
    speed(&list, &neg, 5);
}

/// Speed: the FEC names, repeated, one thread.
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn speed(list: &donation_guard::sanctions::SanctionsList, neg: &[String], rounds: usize) {
    use std::time::Instant;
    let t = Instant::now();
    let mut found = 0usize;
    for _ in 0..rounds {
        for n in neg {
            found += usize::from(list.best_person(std::hint::black_box(n)).is_some());
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "speed: {:.0} names/s on one core ({} names, {:.2} µs each; {found} had a candidate)",
        (rounds * neg.len()) as f64 / secs,
        rounds * neg.len(),
        secs * 1e6 / (rounds * neg.len()) as f64
    );
}

/// The widened set (variants.tsv): recall per kind, dev and held out apart, and false
/// positives on real U.S. person and organization names, by threshold.
#[cfg(not(target_arch = "wasm32"))]
fn widened(list: &donation_guard::sanctions::SanctionsList) {
    use donation_guard::sanctions::{DEFAULT_REJECT, DEFAULT_REVIEW};
    let vars = eval::variants();
    let scores: Vec<f64> = vars.iter().map(|v| eval::variant_score(list, v)).collect();
    let show = std::env::var("SANCTIONS_SHOW_MISS").ok();
    println!("widened set (variants.tsv), recall at review {DEFAULT_REVIEW:.2} / reject {DEFAULT_REJECT:.2}:");
    println!("  kind          dev: review  reject    n    held: review  reject    n");
    let mut kinds: Vec<&str> = vars.iter().map(|v| v.kind.as_str()).collect();
    kinds.dedup();
    kinds.sort();
    kinds.dedup();
    let rate = |f: &dyn Fn(&eval::Variant) -> bool, th: f64| {
        let (mut h, mut n) = (0usize, 0usize);
        for (v, s) in vars.iter().zip(&scores) {
            if f(v) {
                n += 1;
                h += usize::from(*s >= th);
            }
        }
        (h as f64 * 100.0 / n.max(1) as f64, n)
    };
    for kind in kinds.iter().copied().chain(["ALL persons", "ALL entities", "ALL"]) {
        let sel = |v: &eval::Variant, held: bool| {
            v.held == held
                && match kind {
                    "ALL" => true,
                    "ALL persons" => !v.org,
                    "ALL entities" => v.org,
                    k => v.kind == k,
                }
        };
        let (dr, dn) = rate(&|v| sel(v, false), DEFAULT_REVIEW);
        let (dj, _) = rate(&|v| sel(v, false), DEFAULT_REJECT);
        let (hr, hn) = rate(&|v| sel(v, true), DEFAULT_REVIEW);
        let (hj, _) = rate(&|v| sel(v, true), DEFAULT_REJECT);
        println!("  {kind:<12} {dr:10.1}% {dj:6.1}% {dn:5}   {hr:10.1}% {hj:6.1}% {hn:5}");
    }
    if let Some(k) = &show {
        for (v, s) in vars.iter().zip(&scores) {
            if !v.held && (k == "all" || v.kind == *k) && *s < DEFAULT_REVIEW {
                let h = if v.org { list.best_entity(&v.name) } else { list.best_person(&v.name) };
                println!(
                    "MISS {} {:?} {:.3} -> {:?}",
                    v.kind,
                    v.name,
                    s,
                    h.map(|h| (h.entry.name.clone(), (h.score * 1000.0).round() / 1000.0))
                );
            }
        }
    }
    let eo: std::collections::HashSet<u64> =
        list.entries().iter().filter(|e| e.programs.contains("[ELECTION-EO13848]")).map(|e| e.uid).collect();
    for held in [false, true] {
        let (r, n) = rate(&|v| v.held == held && v.uids.iter().any(|u| eo.contains(u)), DEFAULT_REVIEW);
        let (j, _) = rate(&|v| v.held == held && v.uids.iter().any(|u| eo.contains(u)), DEFAULT_REJECT);
        println!(
            "  ELECTION-EO13848 entries, every kind, {}: {r:.1}% at review, {j:.1}% at reject, of {n}",
            if held { "held" } else { "dev" }
        );
    }
    let persons = eval::person_negatives().unwrap_or_default();
    let orgs = eval::org_negatives().unwrap_or_default();
    let ps: Vec<(bool, f64)> =
        persons.iter().map(|(h, n)| (*h, list.best_person(n).map_or(0.0, |x| x.score))).collect();
    let os: Vec<(bool, f64)> = orgs.iter().map(|(h, n)| (*h, list.best_entity(n).map_or(0.0, |x| x.score))).collect();
    let count = |v: &[(bool, f64)], held: bool| v.iter().filter(|x| x.0 == held).count();
    println!(
        "false positives per 10,000 (persons: FEC dev {} / held {} incl. cm.txt treasurers; orgs: employers {} / committees {}):",
        count(&ps, false),
        count(&ps, true),
        count(&os, false),
        count(&os, true)
    );
    println!("  threshold  persons dev  held   orgs dev  held   variant recall dev  held");
    for th in [0.80, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96] {
        let fp = |v: &[(bool, f64)], held: bool| {
            v.iter().filter(|x| x.0 == held && x.1 >= th).count() as f64 * 10_000.0 / count(v, held).max(1) as f64
        };
        let (rd, _) = rate(&|v| !v.held, th);
        let (rh, _) = rate(&|v| v.held, th);
        println!(
            "  {th:9.2}  {:11.1}  {:4.1}  {:9.1}  {:4.1}   {rd:17.1}% {rh:5.1}%",
            fp(&ps, false),
            fp(&ps, true),
            fp(&os, false),
            fp(&os, true)
        );
    }
    if std::env::var_os("SANCTIONS_SHOW_FP").is_some() {
        for (org, (held, n), (_, s)) in
            persons.iter().zip(&ps).map(|(a, b)| (false, a, b)).chain(orgs.iter().zip(&os).map(|(a, b)| (true, a, b)))
        {
            if !held && *s >= DEFAULT_REVIEW {
                let h = if org { list.best_entity(n) } else { list.best_person(n) };
                println!("FP {s:.3} {n} -> {:?}", h.map(|h| h.entry.name.clone()));
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
