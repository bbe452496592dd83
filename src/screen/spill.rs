//! Pass 1's counted gifts, written in file order to an unnamed temporary file and read back
//! for pass 2, which then neither reads nor parses the input again (nor identifies a donor:
//! each record carries its totals). Memory stays bounded by donors; the disk holds about 60
//! bytes a counted row for the length of the run. The file has no name (O_TMPFILE on Linux,
//! deleted on close elsewhere) and holds no name, address, employer or e-mail: a gift's line,
//! id, TRAN_ID hash, amount, date, totals and, when the file has them, a text id and a memo
//! that speaks of a refund or redesignation.

use super::Gift;
use rust_decimal::Decimal;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};

/// Bytes of a record before its two strings.
const FIXED: usize = 8 + 8 + 8 + 16 + 4 + 4 + 4 + 1 + 1 + 4 + 4;

/// The writer: the first write error is kept, and ends the spill (pass 2 then reads the
/// input again).
pub(super) struct Spill {
    w: BufWriter<std::fs::File>,
    failed: bool,
}

impl Spill {
    /// A new unnamed file in the temporary directory (`TMPDIR`).
    pub(super) fn new() -> io::Result<Spill> {
        Ok(Spill { w: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?), failed: false })
    }

    /// One gift; `group` and `igroup` are pass 1's numbers.
    pub(super) fn push(&mut self, g: &Gift, text_id: &str, memo: &str) {
        if self.failed {
            return;
        }
        let mut head = [0u8; FIXED];
        let mut at = 0;
        let mut put = |b: &[u8]| {
            if let Some(d) = head.get_mut(at..at + b.len()) {
                d.copy_from_slice(b);
            }
            at += b.len();
        };
        put(&g.line.to_le_bytes());
        put(&g.id.to_le_bytes());
        put(&g.tran.to_le_bytes());
        put(&g.amount.serialize());
        put(&g.group.to_le_bytes());
        put(&g.igroup.to_le_bytes());
        put(&g.date.to_le_bytes());
        put(&[g.rs, g.flags]);
        let (Ok(tl), Ok(ml)) = (u32::try_from(text_id.len()), u32::try_from(memo.len())) else {
            self.failed = true;
            return;
        };
        put(&tl.to_le_bytes());
        put(&ml.to_le_bytes());
        let ok = self.w.write_all(&head).and_then(|_| self.w.write_all(text_id.as_bytes()));
        if ok.and_then(|_| self.w.write_all(memo.as_bytes())).is_err() {
            self.failed = true;
        }
    }

    /// The records, to be read from the start; `None` when a write failed.
    pub(super) fn finish(self) -> Option<Reader> {
        if self.failed {
            return None;
        }
        let mut f = self.w.into_inner().ok()?;
        f.rewind().ok()?;
        Some(Reader { r: BufReader::with_capacity(1 << 16, f), text: String::new(), memo: String::new() })
    }
}

/// Reads the records back in file order.
pub(super) struct Reader {
    r: BufReader<std::fs::File>,
    text: String,
    memo: String,
}

/// A gift read back, with its text id and memo (empty when it had none).
pub(super) struct Record<'a> {
    pub gift: Gift,
    pub text_id: &'a str,
    pub memo: &'a str,
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).and_then(|s| s.try_into().ok()).map_or(0, u64::from_le_bytes)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).and_then(|s| s.try_into().ok()).map_or(0, u32::from_le_bytes)
}

fn read_string(r: &mut impl Read, len: u32, into: &mut String) -> io::Result<()> {
    into.clear();
    if len == 0 {
        return Ok(());
    }
    let mut bytes = std::mem::take(into).into_bytes();
    bytes.resize(len as usize, 0);
    r.read_exact(&mut bytes)?;
    *into = String::from_utf8(bytes).map_err(|_| corrupt())?;
    Ok(())
}

fn corrupt() -> io::Error {
    io::Error::other("the temporary file of pass 1 was changed while screening (read it again)")
}

impl Reader {
    /// The next record; `None` at the end.
    pub(super) fn next(&mut self) -> io::Result<Option<Record<'_>>> {
        if self.r.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut h = [0u8; FIXED];
        self.r.read_exact(&mut h).map_err(|_| corrupt())?;
        let amount: [u8; 16] = h.get(24..40).and_then(|s| s.try_into().ok()).ok_or_else(corrupt)?;
        let gift = Gift {
            line: u64_at(&h, 0),
            id: u64_at(&h, 8),
            tran: u64_at(&h, 16),
            amount: Decimal::deserialize(amount),
            group: u32_at(&h, 40),
            igroup: u32_at(&h, 44),
            date: u32_at(&h, 48),
            rs: h.get(52).copied().unwrap_or(u8::MAX),
            flags: h.get(53).copied().unwrap_or(0),
        };
        read_string(&mut self.r, u32_at(&h, 54), &mut self.text).map_err(|_| corrupt())?;
        read_string(&mut self.r, u32_at(&h, 58), &mut self.memo).map_err(|_| corrupt())?;
        Ok(Some(Record { gift, text_id: &self.text, memo: &self.memo }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_as_written_in_order() {
        let mut s = Spill::new().expect("temporary file");
        let gifts: Vec<(Gift, &str, &str)> = (0..3000u32)
            .map(|i| {
                let g = Gift {
                    line: u64::from(i) + 2,
                    id: if i % 7 == 0 { u64::MAX } else { u64::from(i) * 1_000_003 },
                    tran: u64::from(i) << 33,
                    amount: Decimal::new(i64::from(i) * 137 - 5000, i % 3),
                    group: i / 2,
                    igroup: u32::MAX - i,
                    date: 20240101 + i,
                    rs: (i % 5) as u8,
                    flags: (i % 16) as u8,
                };
                (g, if i % 7 == 0 { "AB-12" } else { "" }, if i % 11 == 0 { "REDESIGNATION TO GENERAL" } else { "" })
            })
            .collect();
        for (g, t, m) in &gifts {
            s.push(g, t, m);
        }
        let mut r = s.finish().expect("written");
        for (g, t, m) in &gifts {
            let rec = r.next().expect("read").expect("a record");
            let h = &rec.gift;
            assert_eq!(
                (h.line, h.id, h.tran, h.amount, h.amount.scale(), h.group, h.igroup, h.date, h.rs, h.flags),
                (g.line, g.id, g.tran, g.amount, g.amount.scale(), g.group, g.igroup, g.date, g.rs, g.flags)
            );
            assert_eq!((rec.text_id, rec.memo), (*t, *m));
        }
        assert!(r.next().expect("read").is_none());
    }
}
