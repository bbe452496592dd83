//! The command line: `donation-guard check [FILE]`, `rules [ID]` (and `serve` with the server
//! feature). No rule logic lives here: every line goes through [`crate::parse`] and
//! [`crate::check`], as in the browser and the server.

use crate::findings::Code;
use crate::json::MAX_BYTES;
use crate::model::Decision;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;

/// Checks political contributions against U.S. federal law (52 U.S.C. 30121 and the rules
/// around it). Same engine, same verdict bytes as the browser widget and the HTTP server.
#[derive(Debug, Parser)]
#[command(name = "donation-guard", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check JSON Lines (one submission a line) from FILE or standard input; print one verdict
    /// or error line per input line, in order.
    Check {
        /// The file to read; standard input when absent or "-".
        file: Option<PathBuf>,
        /// Print counts by decision and code to standard error at the end.
        #[arg(long)]
        summary: bool,
        /// Worker threads (default: the number of cores).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
        /// Load a ruleset file (validated) before checking; submissions name it by its id.
        /// Repeatable.
        #[arg(long = "ruleset-file", value_name = "FILE")]
        ruleset_files: Vec<PathBuf>,
        #[command(flatten)]
        sanctions: SanctionsArgs,
        /// Append "line" (1-based input line) and "id" (the submission's id) to each verdict line.
        #[arg(long)]
        tag: bool,
    },
    /// Re-screen whole files (FEC itcont, a CSV export, JSON Lines) for compliance staff: totals
    /// per donor, committee and election under the law of each gift's date; HTML report, CSV
    /// of flagged rows, JSON summary.
    Screen(crate::screen::cli::ScreenArgs),
    /// Print a ruleset (limits, attestation texts and digests) as JSON.
    Rules {
        /// The ruleset id; the default ruleset when absent.
        id: Option<String>,
        /// Print the id of every ruleset (embedded and loaded), one a line, instead.
        #[arg(long)]
        list: bool,
    },
    /// Run the HTTP service (see README.md, "For payment processors").
    #[cfg(feature = "server")]
    Serve(Box<crate::server::ServeArgs>),
    /// The ledger's maintenance (see docs/ledger.md, "Backup and restore").
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Ledger(crate::server::ledger::LedgerCommand),
}

/// OFAC SDN screening of donor names (README, "Sanctions screening").
#[derive(Debug, Clone, clap::Args)]
pub struct SanctionsArgs {
    /// OFAC's sdn.csv: screen every donor against it.
    #[arg(long, value_name = "FILE", env = "DG_SANCTIONS_LIST")]
    pub sanctions_list: Option<PathBuf>,
    /// OFAC's alt.csv (more aliases), with --sanctions-list.
    #[arg(long, value_name = "FILE", requires = "sanctions_list", env = "DG_SANCTIONS_ALT")]
    pub sanctions_alt: Option<PathBuf>,
    /// Score at or above which a donor is `sanctions_match` (reject).
    #[arg(long, default_value_t = crate::sanctions::DEFAULT_REJECT, env = "DG_SANCTIONS_REJECT_SCORE")]
    pub sanctions_reject_score: f64,
    /// Score at or above which a donor is `sanctions_possible_match` (review).
    #[arg(long, default_value_t = crate::sanctions::DEFAULT_REVIEW, env = "DG_SANCTIONS_REVIEW_SCORE")]
    pub sanctions_review_score: f64,
}

/// A loaded list with its thresholds.
pub struct Screening {
    pub list: crate::sanctions::SanctionsList,
    pub thresholds: crate::sanctions::Thresholds,
}

impl std::fmt::Debug for Screening {
    /// The digest and size only: the list itself is 15,000 entries.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screening").field("digest", &self.list.digest()).field("entries", &self.list.len()).finish()
    }
}

impl SanctionsArgs {
    /// Loads the list when one is given, printing its digest and entry count to standard error.
    pub fn load(&self) -> Result<Option<Screening>, String> {
        let Some(path) = &self.sanctions_list else { return Ok(None) };
        let ok = |s: f64| (0.0..=1.0).contains(&s);
        if !ok(self.sanctions_reject_score)
            || !ok(self.sanctions_review_score)
            || self.sanctions_review_score > self.sanctions_reject_score
        {
            return Err("sanctions scores must lie in [0, 1], review at most reject".into());
        }
        let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
        let sdn = read(path)?;
        let alt = self.sanctions_alt.as_ref().map(read).transpose()?;
        let list = crate::sanctions::SanctionsList::load(&sdn, alt.as_deref()).map_err(|e| e.to_string())?;
        eprintln!("donation-guard: sanctions list {} ({} entries)", list.digest(), list.len());
        let thresholds =
            crate::sanctions::Thresholds { reject: self.sanctions_reject_score, review: self.sanctions_review_score };
        Ok(Some(Screening { list, thresholds }))
    }
}

/// Runs the command line; returns the process exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Screen(args) => crate::screen::cli::run(&args),
        Command::Check { file, summary, jobs, ruleset_files, sanctions, tag } => {
            if let Err(status) = load_ruleset_files(&ruleset_files) {
                return status;
            }
            let screening = match sanctions.load() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("donation-guard: {e}");
                    return 2;
                }
            };
            let jobs = jobs.map_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
            let input: Box<dyn Read + Send> = match file {
                None => Box::new(io::stdin()),
                Some(p) if p.as_os_str() == "-" => Box::new(io::stdin()),
                Some(p) => match std::fs::File::open(&p) {
                    Ok(f) => Box::new(f),
                    Err(e) => {
                        eprintln!("donation-guard: cannot read {}: {e}", p.display());
                        return 2;
                    }
                },
            };
            let stdout = io::stdout();
            TAG.store(tag, std::sync::atomic::Ordering::Relaxed);
            match check_stream_screened(input, stdout.lock(), jobs, screening.as_ref()) {
                Ok(counts) => {
                    if summary {
                        eprint!("{}", counts.report());
                    }
                    0
                }
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("donation-guard: {e}");
                    2
                }
            }
        }
        Command::Rules { id: _, list: true } => {
            for id in crate::ruleset::ids() {
                println!("{id}");
            }
            0
        }
        Command::Rules { id, list: false } => {
            let rs = match id.as_deref() {
                None => crate::ruleset::default_ruleset(),
                Some(id) => crate::ruleset::get(id),
            };
            match rs {
                Some(rs) => {
                    println!("{}", rs.to_json_pretty());
                    0
                }
                None => {
                    eprintln!(
                        "donation-guard: unknown ruleset {:?}; this build has: {}",
                        id.unwrap_or_default(),
                        crate::ruleset::ids().collect::<Vec<_>>().join(", ")
                    );
                    2
                }
            }
        }
        #[cfg(feature = "server")]
        Command::Serve(args) => crate::server::main(*args),
        #[cfg(feature = "server")]
        Command::Ledger(cmd) => crate::server::ledger::command(&cmd),
    }
}

/// Loads `--ruleset-file` files into the process-wide registry. A file that cannot be read or
/// is not a valid ruleset prints one JSON error line (`invalid_ruleset`, naming the file and the
/// JSON path) to standard error and gives exit status 2.
pub fn load_ruleset_files(files: &[PathBuf]) -> Result<(), i32> {
    for path in files {
        let origin = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("donation-guard: cannot read {origin}: {e}");
                return Err(2);
            }
        };
        if let Err(e) = crate::ruleset::load_runtime(&text, &origin) {
            eprintln!("{}", e.to_json());
            return Err(2);
        }
    }
    Ok(())
}

/// Counts for `--summary`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub lines: u64,
    pub decisions: BTreeMap<&'static str, u64>,
    pub codes: BTreeMap<&'static str, u64>,
    pub errors: BTreeMap<&'static str, u64>,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.lines += other.lines;
        for (map, from) in [
            (&mut self.decisions, &other.decisions),
            (&mut self.codes, &other.codes),
            (&mut self.errors, &other.errors),
        ] {
            for (k, v) in from {
                *map.entry(k).or_default() += v;
            }
        }
    }

    /// The human-readable summary.
    pub fn report(&self) -> String {
        let mut out = format!("lines checked: {}\n", self.lines);
        for d in [Decision::Accept, Decision::Review, Decision::Reject] {
            let name = crate::model::Wire::wire(d);
            out.push_str(&format!("  {name:<8} {:>10}\n", self.decisions.get(name).copied().unwrap_or(0)));
        }
        let errors: u64 = self.errors.values().sum();
        out.push_str(&format!("  {:<8} {errors:>10}\n", "error"));
        if !self.codes.is_empty() {
            out.push_str("findings by code:\n");
            for (code, n) in &self.codes {
                out.push_str(&format!("  {code:<30} {n:>10}\n"));
            }
        }
        if !self.errors.is_empty() {
            out.push_str("errors by code:\n");
            for (code, n) in &self.errors {
                out.push_str(&format!("  {code:<30} {n:>10}\n"));
            }
        }
        out
    }
}

/// `check --tag`: append `"line"` and `"id"` to each verdict line.
static TAG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A verdict line with `"line"` and `"id"` (the submission's `id`, null when it has none)
/// appended before its closing brace.
fn tagged(verdict_json: &str, input: &[u8], line: u64) -> String {
    let id = serde_json::from_slice::<serde_json::Value>(input)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .unwrap_or(serde_json::Value::Null);
    let body = verdict_json.strip_suffix('}').unwrap_or(verdict_json);
    format!("{body},\"line\":{line},\"id\":{id}}}")
}

/// Lines per batch handed to a worker.
const BATCH: usize = 512;

struct Batch {
    seq: u64,
    first_line: u64,
    /// The lines, concatenated; `ends[i]` is where line i stops.
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

/// Checks every line of `input`, writing one output line per input line, in order. Batches go
/// to `jobs` workers through bounded queues, so memory stays flat however long the input.
pub fn check_stream<R: Read + Send, W: Write>(input: R, output: W, jobs: usize) -> io::Result<Counts> {
    check_stream_screened(input, output, jobs, None)
}

/// [`check_stream`], each verdict amended by the sanctions screening when a list is given.
pub fn check_stream_screened<R: Read + Send, W: Write>(
    input: R,
    output: W,
    jobs: usize,
    screening: Option<&Screening>,
) -> io::Result<Counts> {
    let jobs = jobs.max(1);
    let (job_tx, job_rx) = sync_channel::<Batch>(jobs * 2);
    let (out_tx, out_rx) = sync_channel::<(u64, String, Counts)>(jobs * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));

    thread::scope(|scope| {
        for _ in 0..jobs {
            let job_rx = Arc::clone(&job_rx);
            let out_tx = out_tx.clone();
            scope.spawn(move || worker(&job_rx, &out_tx, screening));
        }
        // Only the workers hold the job queue's receiver, and only the workers the output's
        // sender: when the writer fails (a closed pipe, a full disk), out_rx is dropped, the
        // workers stop, the job queue's receiver goes with them, and a reader blocked on the
        // full queue gets an error and ends, instead of waiting forever.
        drop(job_rx);
        drop(out_tx);
        let reader = scope.spawn(move || read_batches(input, &job_tx));
        let written = write_in_order(out_rx, output);
        let read = reader.join().unwrap_or_else(|_| Err(io::Error::other("reader thread failed")));
        let counts = written?;
        read.map(|()| counts)
    })
}

fn worker(
    jobs: &Mutex<Receiver<Batch>>,
    out: &std::sync::mpsc::SyncSender<(u64, String, Counts)>,
    screening: Option<&Screening>,
) {
    loop {
        let batch = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(batch) = batch else { return };
        let mut text = String::with_capacity(batch.ends.len() * 700);
        let mut counts = Counts::default();
        let mut start = 0;
        for (i, &end) in batch.ends.iter().enumerate() {
            let line = batch.bytes.get(start..end).unwrap_or_default();
            start = end;
            counts.lines += 1;
            let result = match screening {
                None => crate::check_bytes(line),
                Some(s) => crate::parse(line).and_then(|sub| {
                    let rs = crate::ruleset_for(&sub)?;
                    Ok(s.list.amend(crate::check(&sub, rs), &sub, &s.thresholds))
                }),
            };
            match result {
                Ok(verdict) => {
                    *counts.decisions.entry(crate::model::Wire::wire(verdict.decision)).or_default() += 1;
                    for f in &verdict.findings {
                        *counts.codes.entry(Code::as_str(f.code)).or_default() += 1;
                    }
                    if TAG.load(std::sync::atomic::Ordering::Relaxed) {
                        text.push_str(&tagged(&verdict.to_json(), line, batch.first_line + i as u64));
                    } else {
                        text.push_str(&verdict.to_json());
                    }
                }
                Err(e) => {
                    *counts.errors.entry(e.code.as_str()).or_default() += 1;
                    text.push_str(&e.to_json(Some(batch.first_line + i as u64)));
                }
            }
            text.push('\n');
        }
        if out.send((batch.seq, text, counts)).is_err() {
            return;
        }
    }
}

fn read_batches<R: Read>(input: R, jobs: &std::sync::mpsc::SyncSender<Batch>) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let (mut seq, mut line_no) = (0u64, 1u64);
    loop {
        let mut batch =
            Batch { seq, first_line: line_no, bytes: Vec::with_capacity(BATCH * 800), ends: Vec::with_capacity(BATCH) };
        while batch.ends.len() < BATCH {
            if !read_line(&mut reader, &mut batch.bytes)? {
                break;
            }
            batch.ends.push(batch.bytes.len());
        }
        if batch.ends.is_empty() {
            return Ok(());
        }
        let full = batch.ends.len() == BATCH;
        line_no += batch.ends.len() as u64;
        seq += 1;
        if jobs.send(batch).is_err() {
            return Ok(());
        }
        if !full {
            return Ok(());
        }
    }
}

/// Appends one line (without its `\n` or `\r\n`) to `buf`; false at the end of input. A line
/// over the size limit keeps only its first `MAX_BYTES + 1` bytes (enough to be `too_large`)
/// and the rest is skipped, so one huge line cannot exhaust memory.
fn read_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> io::Result<bool> {
    let start = buf.len();
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (available.get(..i).unwrap_or_default(), Some(i + 1)),
            None => (available, None),
        };
        let room = (MAX_BYTES + 2).saturating_sub(buf.len() - start);
        buf.extend_from_slice(chunk.get(..chunk.len().min(room)).unwrap_or_default());
        let used = done.unwrap_or(available.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') && buf.len() > start {
        buf.pop();
    }
    Ok(any)
}

fn write_in_order<W: Write>(results: Receiver<(u64, String, Counts)>, output: W) -> io::Result<Counts> {
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut pending = BTreeMap::new();
    let mut next = 0u64;
    let mut counts = Counts::default();
    for (seq, text, c) in results {
        pending.insert(seq, (text, c));
        while let Some((text, c)) = pending.remove(&next) {
            out.write_all(text.as_bytes())?;
            counts.add(&c);
            next += 1;
        }
    }
    out.flush()?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, jobs: usize) -> (String, Counts) {
        let mut out = Vec::new();
        let counts = check_stream(input.as_bytes(), &mut out, jobs).unwrap();
        (String::from_utf8(out).unwrap(), counts)
    }

    /// A writer that takes `room` bytes, then fails as a full disk does.
    struct Full {
        room: usize,
    }
    impl io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_output_ends_the_run_with_its_error_instead_of_hanging() {
        // Far more input than the queues hold, so the reader is blocked on a full queue when the
        // writer fails (before the fix, this never returned).
        let line = "{\"recipient\":{\"type\":\"pac\"}}\n";
        let input = line.repeat(BATCH * 40);
        for jobs in [1, 2, 4] {
            for room in [0, 10, 100_000] {
                let err = check_stream(input.as_bytes(), Full { room }, jobs).unwrap_err();
                assert_eq!(err.raw_os_error(), Some(28), "jobs {jobs}, room {room}");
            }
        }
    }

    #[test]
    fn one_line_out_per_line_in_with_line_numbers_on_errors() {
        let (out, counts) = run("{}\n\nnot json\r\n{\"id\":1}", 2);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with(r#"{"decision":"reject""#));
        assert!(lines[1].contains(r#""code":"invalid_json""#) && lines[1].ends_with(r#""line":2}"#));
        assert!(lines[2].ends_with(r#""line":3}"#));
        assert!(lines[3].contains("invalid_field") && lines[3].ends_with(r#""line":4}"#));
        assert_eq!(counts.lines, 4);
        assert_eq!(counts.errors.get("invalid_json"), Some(&2));
    }

    #[test]
    fn order_is_kept_across_many_batches_and_workers() {
        let mut input = String::new();
        for i in 0..(BATCH * 5 + 7) {
            if i % 3 == 0 {
                input.push_str(&format!("{{\"id\":\"{i}\",\"contribution\":{{\"amount\":\"{}.00\"}}}}\n", i + 1));
            } else {
                input.push_str("[\n");
            }
        }
        let (one, _) = run(&input, 1);
        let (four, counts) = run(&input, 4);
        assert_eq!(one, four);
        assert_eq!(counts.lines as usize, BATCH * 5 + 7);
        for (i, line) in four.lines().enumerate() {
            if i % 3 != 0 {
                assert!(line.ends_with(&format!("\"line\":{}}}", i + 1)), "{i}: {line}");
            }
        }
    }

    #[test]
    fn a_huge_line_is_too_large_and_does_not_swallow_the_next() {
        let input = format!("{{\"id\":\"{}\"}}\n{{}}\n", "x".repeat(MAX_BYTES * 3));
        let (out, _) = run(&input, 2);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("too_large"));
        assert!(lines[1].starts_with("{\"decision\""));
    }

    #[test]
    fn exactly_the_limit_is_not_too_large() {
        let pad = MAX_BYTES - r#"{"id":""}"#.len();
        let line = format!(r#"{{"id":"{}"}}"#, " ".repeat(pad));
        assert_eq!(line.len(), MAX_BYTES);
        let (out, _) = run(&line, 1);
        assert!(out.contains("invalid_field"), "{out}"); // id over 128 chars, not too_large
    }
}
