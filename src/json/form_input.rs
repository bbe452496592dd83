//! The JSON inputs of `readForm` / `checkForm` (the posted pairs and the field map), read from
//! the tree of [`super::read`] instead of serde's derive (whose `untagged` enums buffer every
//! value, a large part of the wasm: issue 9). The readings are serde's: a native test holds
//! them equal to `serde_json::from_str` over the form vectors and the edge cases of `untagged`.

use super::read::{any_tree, J};
use crate::form::{FieldMap, Name, Source};
use crate::map::VecMap;

/// `[[name, value], ...]`, strings only; `None` for anything else.
pub fn pairs(text: &str) -> Option<Vec<(String, String)>> {
    let J::Arr(items) = any_tree(text, &mut Vec::new()).ok()? else { return None };
    items
        .into_iter()
        .map(|item| match item {
            J::Arr(pair) => match <[J; 2]>::try_from(pair).ok()? {
                [J::Str(n), J::Str(v)] => Some((n, v)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The field map: an object from submission paths to a name, a list of names or `{value}`;
/// `None` when it is not one. A later duplicate key replaces the earlier one.
pub fn field_map(text: &str) -> Option<FieldMap> {
    let J::Obj(members) = any_tree(text, &mut Vec::new()).ok()? else { return None };
    let mut map = VecMap::new();
    for (k, v) in members {
        map.insert(k, source(&v)?);
    }
    Some(FieldMap(map))
}

/// serde's `untagged` order: one name, several names, a fixed value.
fn source(j: &J) -> Option<Source> {
    if let Some(n) = name(j) {
        return Some(Source::One(n));
    }
    if let J::Arr(items) = j {
        if let Some(names) = items.iter().map(name).collect::<Option<Vec<_>>>() {
            return Some(Source::Many(names));
        }
    }
    // `{value}` (other members ignored, as serde's derive without deny_unknown_fields does).
    let value = struct_fields(j, &["value"])?;
    match value.as_slice() {
        [Some(J::Str(v))] => Some(Source::Fixed { value: v.clone() }),
        _ => None,
    }
}

/// A name, or `{name, text}`.
fn name(j: &J) -> Option<Name> {
    if let J::Str(s) = j {
        return Some(Name::Plain(s.clone()));
    }
    let fields = struct_fields(j, &["name", "text"])?;
    match fields.as_slice() {
        [Some(J::Str(n)), Some(J::Obj(text))] => {
            let mut map = VecMap::new();
            for (k, v) in text {
                let J::Str(v) = v else { return None };
                map.insert(k.clone(), v.clone());
            }
            Some(Name::Choices { name: n.clone(), text: map })
        }
        _ => None,
    }
}

/// The members of a struct as serde's derive reads an `untagged` variant: from an object only
/// (unknown members ignored, a duplicate refused; an array is not one, the test shows).
fn struct_fields<'j>(j: &'j J, fields: &[&str]) -> Option<Vec<Option<&'j J>>> {
    let mut out: Vec<Option<&J>> = vec![None; fields.len()];
    match j {
        J::Obj(members) => {
            for (k, v) in members {
                if let Some(i) = fields.iter().position(|f| f == k) {
                    let slot = out.get_mut(i)?;
                    if slot.is_some() {
                        return None;
                    }
                    *slot = Some(v);
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The readings are serde's, for the vectors' pairs and maps and the `untagged` edges.
    #[test]
    fn readings_are_serdes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut maps = Vec::new();
        let mut pair_texts = Vec::new();
        for line in std::fs::read_to_string(root.join("tests/vectors/forms.jsonl")).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            maps.push(v["map"].to_string());
            pair_texts.push(v["fields"].to_string());
        }
        for m in [
            r#"{"a":"x"}"#,
            r#"{"a":["x","y"]}"#,
            r#"{"a":{"value":"v"}}"#,
            r#"{"a":{"value":"v","other":1}}"#,
            r#"{"a":{"name":"n","text":{"1":"One"}}}"#,
            r#"{"a":{"name":"n","text":{"1":"One"},"value":"v"}}"#,
            r#"{"a":{"name":"n"}}"#,
            r#"{"a":{"name":"n","name":"m","text":{}}}"#,
            r#"{"a":{"value":"v","value":"w"}}"#,
            r#"{"a":["n",{"1":"One"}]}"#,
            r#"{"a":["n",{"1":2}]}"#,
            r#"{"a":["x",{"name":"n","text":{}}]}"#,
            r#"{"a":[]}"#,
            r#"{"a":[5]}"#,
            r#"{"a":["v"],"a":"w"}"#,
            r#"{"a":null}"#,
            r#"{"a":5}"#,
            r#"{"a":{"value":5}}"#,
            r#"{"a":{"name":"n","text":{"1":null}}}"#,
            r#"[]"#,
            r#"null"#,
            r#"{"a":"x"} x"#,
            r#"{}"#,
        ] {
            maps.push(m.to_owned());
        }
        for m in &maps {
            assert_eq!(field_map(m), serde_json::from_str::<FieldMap>(m).ok(), "{m}");
        }
        for p in
            [r#"[]"#, r#"[["a","b"]]"#, r#"[["a"]]"#, r#"[["a","b","c"]]"#, r#"[["a",1]]"#, r#"{}"#, r#"[null]"#, "x"]
        {
            pair_texts.push(p.to_owned());
        }
        for p in &pair_texts {
            assert_eq!(pairs(p), serde_json::from_str::<Vec<(String, String)>>(p).ok(), "{p}");
        }
    }
}
