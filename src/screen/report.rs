//! The self-contained HTML report (no scripts, no CDN; inline CSS and SVG).

use super::{fmt_date, Brief, Flag, Outcome};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn money(d: Decimal) -> String {
    let r = d.round_dp(2);
    let neg = r < Decimal::ZERO;
    let s = format!("{:.2}", r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${grouped}.{frac}", if neg { "−" } else { "" })
}

/// Pixel width of `v` in a bar of `w` for a maximum of `max` (display only).
fn px(v: Decimal, max: Decimal, w: f64) -> f64 {
    if max <= Decimal::ZERO {
        return 0.0;
    }
    (v.max(Decimal::ZERO) / max).to_f64().unwrap_or(0.0).min(1.0) * w
}

fn bars(rows: &[(String, Decimal, &str)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(Decimal::ZERO);
    let h = 28 * rows.len() + 10;
    let mut s = format!("<svg role=\"img\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\">");
    for (i, (label, v, color)) in rows.iter().enumerate() {
        let y = 5 + i * 28;
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"220\" y=\"{y}\" width=\"{:.1}\" height=\"20\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 15,
            esc(label),
            px(*v, max, 300.0).max(1.0),
            226.0 + px(*v, max, 300.0),
            y + 15,
            money(*v)
        );
    }
    s.push_str("</svg>");
    s
}

/// The first `limit` of the `count` findings `flags` (made whole only for the table).
fn table(flags: impl Iterator<Item = Flag>, count: usize, limit: usize) -> String {
    let mut s = String::from("<table><thead><tr><th>Row</th><th>ID</th><th>Donor</th><th>Committee</th><th>Period</th><th>Date</th><th>Gift</th><th>Aggregate</th><th>Limit</th><th>Excess</th><th>Deadline</th><th>What to do</th></tr></thead><tbody>");
    for f in flags.take(limit) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td><td>{} <small>({})</small></td></tr>",
            f.line,
            esc(&f.id),
            esc(&f.donor),
            esc(&f.committee),
            esc(&f.period),
            fmt_date(f.date),
            money(f.amount),
            if f.aggregate.is_zero() { String::new() } else { money(f.aggregate) },
            f.limit.map(money).unwrap_or_default(),
            if f.excess.is_zero() { String::new() } else { money(f.excess) },
            esc(&f.deadline),
            esc(&f.message),
            esc(f.citation)
        );
    }
    s.push_str("</tbody></table>");
    if count > limit {
        let _ = write!(s, "<p>… and {} more: see the CSV of flagged rows.</p>", count - limit);
    }
    s
}

/// The report as one HTML document.
pub fn html(out: &Outcome, source: &str) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!doctype html><html lang=en><head><meta charset=utf-8><title>Contribution screening report</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:1em}.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;min-width:140px}.card b{display:block;font-size:1.5em}.warn{background:#fff4d6;border:1px solid #e0b44c;padding:8px 12px;border-radius:6px}</style></head><body>");
    let _ = write!(s, "<h1>Contribution screening report</h1><p>File: <b>{}</b>. Read {} rows: {} contributions counted, {} memo entries not counted, {} superseded by amendments, {} refunds, {} rows that could not be read.</p>", esc(source), out.rows, out.counted, out.memo_rows, out.superseded, out.refunds, out.unreadable.len());
    if out.committee_types_assumed {
        let _ = write!(s, "<p class=warn><b>Committee types were assumed.</b> No committee master file was given (<code>--committees cm.txt</code>) and the file does not say the recipient's type, so {} recipient(s) were treated as candidate committees with per-election limits. Gifts to PACs, parties, super PACs or joint fundraising committees may be flagged wrongly.</p>", out.assumed_committees);
    }
    if !out.not_judged.is_empty() {
        s.push_str("<h2>Not judged against a limit</h2><p>These individuals' gifts were read and counted (foreign addresses and missing employer or occupation are still flagged), but no contribution limit was applied to them, for the reason given.</p><table><tr><th>Reason</th><th>Rows</th><th>Amount</th></tr>");
        for (why, (n, a)) in &out.not_judged {
            let _ = write!(s, "<tr><td>{}</td><td class=n>{n}</td><td class=n>{}</td></tr>", esc(why), money(*a));
        }
        s.push_str("</table>");
    }
    if !out.not_counted.is_empty() {
        s.push_str("<h2>Not counted</h2><p>Rows the export itself marks as not received.</p><table><tr><th>Reason</th><th>Rows</th><th>Amount</th></tr>");
        for (why, (n, a)) in &out.not_counted {
            let _ = write!(s, "<tr><td>{}</td><td class=n>{n}</td><td class=n>{}</td></tr>", esc(why), money(*a));
        }
        s.push_str("</table>");
    }
    let count = |keep: &dyn Fn(&Brief) -> bool| out.flags.briefs().filter(|b| keep(b)).count();
    let is_excessive = |f: &Brief| f.code == "exceeds_limit" && f.status == "excessive";
    let is_presumed = |f: &Brief| f.status == "presumptively_redesignated";
    let (excessive, presumed) = (count(&is_excessive), count(&is_presumed));
    let _ = write!(
        s,
        "<div class=cards><div class=card><b>{}</b>distinct donors</div><div class=card><b>{}</b>total counted</div><div class=card><b>{}</b>excessive: refund due</div><div class=card><b>{}</b>presumptively redesignated</div><div class=card><b>{}</b>foreign address: inquire</div><div class=card><b>{}</b>employer/occupation missing</div><div class=card><b>{}</b>possible duplicate donors</div></div>",
        out.donors,
        money(out.total),
        excessive,
        presumed,
        count(&|b| b.code == "foreign_address"),
        count(&|b| b.code == "itemization_info_missing"),
        out.duplicates.len()
    );
    s.push_str("<h2>Amounts by outcome</h2>");
    let colors = ["#2e7d32", "#f9a825", "#c62828", "#757575"];
    let rows: Vec<(String, Decimal, &str)> =
        ["within limits", "presumptively redesignated", "excessive (refund due)", "no limit applied"]
            .iter()
            .zip(colors)
            .map(|(k, c)| ((*k).to_string(), out.by_outcome.get(k).copied().unwrap_or(Decimal::ZERO), c))
            .collect();
    s.push_str(&bars(&rows));
    s.push_str("<h2>Top donors against their limits</h2>");
    if out.top.is_empty() {
        s.push_str("<p>No donor has a limit that applies.</p>");
    } else {
        let h = 24 * out.top.len() + 30;
        let max = out.top.iter().map(|t| t.3.max(t.4)).max().unwrap_or(Decimal::ONE);
        let _ = write!(s, "<svg role=img width=900 height={h} viewBox=\"0 0 900 {h}\">");
        for (i, (donor, cmte, period, total, limit)) in out.top.iter().enumerate() {
            let y = 5 + i * 24;
            let color = if total > limit { "#c62828" } else { "#1565c0" };
            let _ = write!(s, "<text x=\"0\" y=\"{}\" font-size=\"12\">{} · {} · {}</text><rect x=\"340\" y=\"{y}\" width=\"{:.1}\" height=\"16\" fill=\"{color}\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{} / {}</text>", y + 12, esc(donor), esc(cmte), esc(period), px(*total, max, 400.0).max(1.0), 340.0 + px(*limit, max, 400.0), 340.0 + px(*limit, max, 400.0), y.saturating_sub(2), y + 18, 346.0 + px((*total).max(*limit), max, 400.0), y + 12, money(*total), money(*limit));
        }
        s.push_str("</svg><p><small>Bar: the donor's aggregate for that committee and period; black line: the limit.</small></p>");
    }
    s.push_str("<h2>Flags over time</h2>");
    let mut months: std::collections::BTreeMap<u32, u64> = std::collections::BTreeMap::new();
    for f in out.flags.briefs().filter(|f| f.date > 0) {
        *months.entry(f.date / 100).or_default() += 1;
    }
    if months.is_empty() {
        s.push_str("<p>No dated flags.</p>");
    } else {
        let max = months.values().copied().max().unwrap_or(1).max(1);
        let n = months.len();
        let w = (860 / n.max(1)).clamp(4, 40);
        let _ = write!(s, "<svg role=img width={} height=200 viewBox=\"0 0 {} 200\">", w * n + 40, w * n + 40);
        for (i, (m, c)) in months.iter().enumerate() {
            let bh = (*c as f64 / max as f64) * 150.0;
            let _ = write!(
                s,
                "<rect x={} y={:.1} width={} height={bh:.1} fill=#6a1b9a><title>{}-{:02}: {c}</title></rect>",
                30 + i * w,
                160.0 - bh,
                w.saturating_sub(1),
                m / 100,
                m % 100
            );
            // Every sixth month, the first and the last; none within four bars of the last, where
            // the two labels would overlap.
            if i == 0 || i + 1 == n || (i % 6 == 0 && n - 1 - i >= 4) {
                let _ = write!(s, "<text x={} y=178 font-size=10>{}-{:02}</text>", 30 + i * w, m / 100, m % 100);
            }
        }
        let _ = write!(
            s,
            "<text x=0 y=15 font-size=10>{max}</text></svg><p><small>Flags per month of the gift's date.</small></p>"
        );
    }
    s.push_str("<h2>Needs action: excessive contributions</h2><p>Refund the excess, or obtain a signed redesignation or reattribution, within 60 days of receipt.</p>");
    s.push_str(&if excessive == 0 {
        "<p>None.</p>".to_string()
    } else {
        table(out.flags.picked(is_excessive), excessive, 500)
    });
    s.push_str("<h2>Presumptively redesignated or reattributed</h2><p>Candidate gifts whose excess is no more than one more limit: the excess is presumed to go to the next election or to a joint account holder. Send the donor the notice within 60 days; they may ask for a refund instead.</p>");
    s.push_str(&if presumed == 0 {
        "<p>None.</p>".to_string()
    } else {
        table(out.flags.picked(is_presumed), presumed, 500)
    });
    for (code, title, intro) in [
        ("foreign_address", "Foreign addresses: inquire", "A foreign address is a reason to ask, not proof of a foreign national. Ask for proof of U.S. citizenship or permanent residence (for example a copy of a U.S. passport); if it cannot be confirmed, refund within 30 days."),
        ("itemization_info_missing", "Employer or occupation missing (best efforts)", "Donors over $200 in aggregate must be asked for employer and occupation. \"Information requested\" means the request was made and nothing came back."),
        ("cash_limit", "Cash over $100", "Cash over $100 from one person must be returned."),
        ("possible_duplicate_donor", "Possible duplicate donors", "Near matches (same last name and initial in one ZIP, or the same name in another ZIP). They were not added together: decide whether they are one person."),
    ] {
        let n = count(&|b| b.code == code);
        let _ = write!(s, "<h2>{title} ({n})</h2><p>{intro}</p>");
        let list = out.flags.picked(|b| b.code == code);
        s.push_str(&if n == 0 { "<p>None.</p>".to_string() } else { table(list, n, 300) });
    }
    if !out.non_individual.is_empty() {
        s.push_str("<h2>Contributions from organisations (reported on their own)</h2><table><tr><th>Entity type</th><th>Rows</th><th>Amount</th></tr>");
        for (k, (n, a)) in &out.non_individual {
            let _ = write!(s, "<tr><td>{}</td><td class=n>{n}</td><td class=n>{}</td></tr>", esc(k), money(*a));
        }
        s.push_str("</table><p>Not counted against individual limits.</p>");
    }
    if !out.unreadable.is_empty() {
        let _ = write!(
            s,
            "<h2>Rows that could not be read ({})</h2><table><tr><th>Row</th><th>Reason</th></tr>",
            out.unreadable.len()
        );
        for (line, reason) in out.unreadable.iter().take(200) {
            let _ = write!(s, "<tr><td>{line}</td><td>{}</td></tr>", esc(reason));
        }
        s.push_str("</table>");
    }
    s.push_str("<p><small>Limits are those in force on each gift's date. Produced by donation-guard screen. This report is an aid to review, not legal advice.</small></p></body></html>\n");
    s
}
