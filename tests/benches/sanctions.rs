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
    let total: usize = neg.iter().map(|n| list.candidates(n)).sum();
    let mut worst: Vec<(usize, &String)> = neg.iter().map(|n| (list.candidates(n), n)).collect();
    worst.sort();
    println!(
        "blocking: {:.1} candidate names per donor name on average (of {}); most: {}",
        total as f64 / neg.len() as f64,
        list.names(),
        worst.last().map_or(0, |w| w.0)
    );
    // Speed: the FEC names, repeated, one thread.
    let rounds = 5;
    let t = Instant::now();
    let mut found = 0usize;
    for _ in 0..rounds {
        for n in &neg {
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

#[cfg(target_arch = "wasm32")]
fn main() {}
