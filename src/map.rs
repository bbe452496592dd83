//! A small map kept as a sorted `Vec`, for the engine's maps (ruleset tables, field maps, a
//! finding's params): a handful of entries each, read far more often than written. It iterates
//! in key order, as `BTreeMap` does, and a later insert of a key replaces the earlier value (so
//! do `collect` and serde's `Deserialize`), but its code is a binary search and `Vec::insert`:
//! `BTreeMap`'s node code was the largest single part of the wasm (issue 9).

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// A map from `K` to `V`, sorted by key, each key once.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> VecMap<K, V> {
    /// An empty map (usable in a `static`).
    pub const fn new() -> Self {
        VecMap { entries: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.find(key).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.find(key).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaces (the key stays the first one
    /// given, as in `BTreeMap`).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Sets `key` to `value` only when the key is absent (`BTreeMap`'s
    /// `entry(key).or_insert(value)`); whether it did.
    pub fn insert_if_absent(&mut self, key: K, value: V) -> bool {
        match self.find(&key) {
            Ok(_) => false,
            Err(i) => {
                self.entries.insert(i, (key, value));
                true
            }
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A later entry of a key replaces an earlier one, as in `BTreeMap`'s `collect`.
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// The entries of a [`VecMap`] in key order, by reference.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Sorts `v` by `less`, stably (equal items keep their order), in O(n log n): a top-down merge
/// sort over owned halves. The engine's only sort (findings, attestation lists): one small
/// instantiation per type instead of the standard library's driftsort and ipnsort (issue 9).
pub fn sort_by<T>(v: &mut Vec<T>, less: &impl Fn(&T, &T) -> bool) {
    if v.len() <= INSERTION {
        insertion_sort(v, less);
        return;
    }
    let all = std::mem::take(v);
    *v = merge_sort(all, less);
}

/// Stable: an item moves left only past items strictly greater.
fn insertion_sort<T>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (v.get(j - 1), v.get(j)) else { break };
            if !less(b, a) {
                break;
            }
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Below this length a run is sorted in place by insertion (no allocation: the typical list of
/// attestations or findings is a handful); above it, merged.
const INSERTION: usize = 16;

fn merge_sort<T>(mut left: Vec<T>, less: &impl Fn(&T, &T) -> bool) -> Vec<T> {
    if left.len() <= INSERTION {
        insertion_sort(&mut left, less);
        return left;
    }
    let right = left.split_off(left.len() / 2);
    let (left, right) = (merge_sort(left, less), merge_sort(right, less));
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter(), right.into_iter());
    let (mut a, mut b) = (l.next(), r.next());
    loop {
        match (a.take(), b.take()) {
            // The right one goes first only when strictly less: that keeps the sort stable.
            (Some(x), Some(y)) if less(&y, &x) => {
                out.push(y);
                a = Some(x);
                b = r.next();
            }
            (Some(x), y) => {
                out.push(x);
                if y.is_none() {
                    out.extend(l);
                    break;
                }
                b = y;
                a = l.next();
            }
            (None, Some(y)) => {
                out.push(y);
                out.extend(r);
                break;
            }
            (None, None) => break,
        }
    }
    out
}

/// `map[key]`, for tests only: it panics on a missing key, which library code must not.
#[cfg(test)]
mod index {
    use super::VecMap;
    use std::borrow::Borrow;

    impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
        type Output = V;

        fn index(&self, key: &Q) -> &V {
            match self.get(key) {
                Some(v) => v,
                None => panic!("no such key in the map"),
            }
        }
    }
}

/// A JSON object (a serde map) in key order, as `BTreeMap` serialises.
impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// From a serde map; a later duplicate key replaces the earlier value, as `BTreeMap`'s does.
impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;
    use std::collections::BTreeMap;

    /// Insertion, replacement, lookup, removal and order are `BTreeMap`'s.
    #[test]
    fn behaves_as_a_btreemap() {
        let ops: Vec<(u8, u32)> = (0..400u32).map(|i| (((i * 7919) % 61) as u8, i)).collect();
        let mut ours = VecMap::new();
        let mut theirs = BTreeMap::new();
        for (k, v) in &ops {
            assert_eq!(ours.insert(*k, *v), theirs.insert(*k, *v));
            if v % 5 == 0 {
                assert_eq!(ours.remove(&(*k / 2)), theirs.remove(&(*k / 2)));
            }
            assert_eq!(ours.len(), theirs.len());
        }
        assert!(ours.iter().eq(theirs.iter()));
        assert!(ours.keys().eq(theirs.keys()));
        assert!(ours.values().eq(theirs.values()));
        for k in 0..70u8 {
            assert_eq!(ours.get(&k), theirs.get(&k));
            assert_eq!(ours.contains_key(&k), theirs.contains_key(&k));
            let absent = !theirs.contains_key(&k);
            theirs.entry(k).or_insert(9);
            assert_eq!(ours.insert_if_absent(k, 9), absent);
        }
        assert!(ours.iter().eq(theirs.iter()));
        let collected: VecMap<u8, u32> = ops.iter().copied().collect();
        let collected_b: BTreeMap<u8, u32> = ops.iter().copied().collect();
        assert!(collected.into_iter().eq(collected_b));
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert!(VecMap::<u8, u8>::new().is_empty());
    }

    /// The JSON, both ways, is `BTreeMap`'s: sorted keys, the last of a duplicate key.
    #[test]
    fn serde_as_a_btreemap() {
        for text in [r#"{"b":1,"a":2,"c":3}"#, r#"{"a":1,"a":2}"#, r#"{}"#, r#"[]"#, r#"{"a":"x"}"#, r#"null"#] {
            let ours = serde_json::from_str::<VecMap<String, u32>>(text);
            let theirs = serde_json::from_str::<BTreeMap<String, u32>>(text);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{text}");
            if let (Ok(o), Ok(t)) = (ours, theirs) {
                assert_eq!(serde_json::to_string(&o).unwrap(), serde_json::to_string(&t).unwrap(), "{text}");
                assert_eq!(o.get("a"), t.get("a"));
                if let Some(a) = t.get("a") {
                    assert_eq!(o["a"], *a);
                }
            }
        }
    }

    /// `sort_by` orders as the standard library's stable sort does, equal keys included
    /// (pairs sorted by their first item only: the second tells the original order).
    #[test]
    fn sort_by_is_std_stable_sort() {
        let mut seed = 0x9e37_79b9_u32;
        for len in 0..200 {
            let mut v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    (seed % (len as u32 / 3 + 1), i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            super::sort_by(&mut v, &|a: &(u32, usize), b: &(u32, usize)| a.0 < b.0);
            assert_eq!(v, want, "len {len}");
        }
    }
}
