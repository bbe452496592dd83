//! A vector held in fixed-size chunks, for `screen`'s per-donor and per-total tables.
//!
//! A `Vec` that doubles copies everything it holds into a block twice the size, so for a moment
//! it holds both: at 4.7 million totals of 72 bytes that was 300 MB on top of the 300 MB kept,
//! at the end of the first pass, which is where the peak was. A chunk, once allocated, never
//! moves: growing allocates the next chunk only, and at most one chunk is ever part-empty.

/// Elements a chunk holds: 2^16 (a few MB for the largest element, and only the touched pages
/// of the last chunk are resident).
const SHIFT: u32 = 16;
const CHUNK: usize = 1 << SHIFT;
const MASK: usize = CHUNK - 1;

/// Indexed like a `Vec`; pushes never copy.
pub(super) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn push(&mut self, value: T) {
        if self.len & MASK == 0 {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(value);
            self.len += 1;
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> SHIFT)?.get(i & MASK)
    }

    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks.get_mut(i >> SHIFT)?.get_mut(i & MASK)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.chunks.iter_mut().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_across_chunk_ends_like_a_vec() {
        let mut c = Chunked::default();
        let n = CHUNK * 2 + 3;
        for i in 0..n {
            c.push(i as u32);
        }
        assert_eq!(c.len(), n);
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, n - 1] {
            assert_eq!(c.get(i), Some(&(i as u32)));
        }
        assert_eq!(c.get(n), None);
        if let Some(v) = c.get_mut(CHUNK) {
            *v = 7;
        }
        assert_eq!(c.get(CHUNK), Some(&7));
        for v in c.iter_mut() {
            *v += 1;
        }
        let all: Vec<u32> = c.iter().copied().collect();
        assert_eq!(all.len(), n);
        assert_eq!(all.first(), Some(&1));
        assert_eq!(all.get(CHUNK), Some(&8));
        assert_eq!(all.last(), Some(&(n as u32)));
        assert_eq!(c.chunks.len(), 3);
    }
}
