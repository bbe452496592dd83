//! One description of the submission (issue 14): the JSON Schema derived from the Rust model
//! (`donation_guard::schema`) is the reference, and every hand-kept copy is checked against it:
//! - `docs/submission.schema.json`, the published schema, must equal it byte for byte
//!   (`DG_BLESS=1 cargo test --test schema` rewrites it after a deliberate model change);
//! - the OpenAPI `Submission` component (`src/server/openapi.json`), which schemathesis fuzzes;
//! - the TypeScript `Submission` interface the wasm package ships (`src/wasm.rs`).
//!
//! The copies are compared by *shape*: for every field path, the JSON types it takes, its
//! enumerated values, whether it may be null, and, for objects, their property names and whether
//! unknown properties are refused. Descriptions are free to differ.
#![cfg(feature = "schema")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What a copy says about one field path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Shape {
    types: BTreeSet<String>,
    nullable: bool,
    enumeration: Option<BTreeSet<String>>,
    /// Objects: whether unknown properties are refused.
    closed: bool,
}

type Shapes = BTreeMap<String, Shape>;

/// The shapes of a JSON Schema node and everything under it, keyed by dotted path (arrays add
/// `[]`).
fn schema_shapes(node: &Value, path: &str, out: &mut Shapes) {
    let mut shape = Shape::default();
    let mut alternatives: Vec<&Value> = vec![node];
    if let Some(any) = node.get("anyOf").or_else(|| node.get("oneOf")).and_then(Value::as_array) {
        alternatives = any.iter().collect();
    }
    let mut object: Option<&Value> = None;
    let mut items: Option<&Value> = None;
    for alt in alternatives {
        match alt.get("type") {
            Some(Value::String(t)) => {
                shape.types.insert(t.clone());
            }
            Some(Value::Array(ts)) => {
                for t in ts {
                    shape.types.insert(t.as_str().unwrap().to_owned());
                }
            }
            _ => {}
        }
        if alt.get("const") == Some(&Value::Null) {
            shape.types.insert("null".into());
        }
        if let Some(values) = alt.get("enum").and_then(Value::as_array) {
            let set = shape.enumeration.get_or_insert_with(BTreeSet::new);
            for v in values {
                match v {
                    Value::Null => {
                        shape.nullable = true;
                    }
                    Value::String(s) => {
                        set.insert(s.clone());
                    }
                    other => panic!("{path}: enum value {other} is not a string"),
                }
            }
        }
        if alt.get("properties").is_some() {
            object = Some(alt);
        }
        if alt.get("items").is_some() {
            items = alt.get("items");
        }
    }
    if shape.types.remove("null") {
        shape.nullable = true;
    }
    if let Some(obj) = object {
        shape.closed = obj.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, child) in obj["properties"].as_object().unwrap() {
            let p = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            schema_shapes(child, &p, out);
        }
    }
    if let Some(it) = items {
        schema_shapes(it, &format!("{path}[]"), out);
    }
    out.insert(path.to_owned(), shape);
}

fn reference() -> Value {
    donation_guard::schema::submission_schema()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Names the differences between two sets of shapes, so a failure says what to mend.
fn diff(what: &str, reference: &Shapes, copy: &Shapes) -> Vec<String> {
    let mut out = Vec::new();
    for (path, want) in reference {
        match copy.get(path) {
            None => out.push(format!("{what}: `{path}` is missing")),
            Some(got) if got != want => out.push(format!("{what}: `{path}` is {got:?}, the model says {want:?}")),
            Some(_) => {}
        }
    }
    for path in copy.keys() {
        if !reference.contains_key(path) {
            out.push(format!("{what}: `{path}` is not in the model"));
        }
    }
    out
}

#[test]
fn the_published_schema_is_the_one_the_model_generates() {
    let generated = format!("{}\n", serde_json::to_string_pretty(&reference()).unwrap());
    let file = Path::new(ROOT).join("docs/submission.schema.json");
    if std::env::var_os("DG_BLESS").is_some() {
        std::fs::write(&file, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/submission.schema.json is not what src/model.rs generates; after a deliberate change run \
         `DG_BLESS=1 cargo test --test schema` and commit the file"
    );
}

#[test]
fn the_schema_refuses_unknown_fields_and_knows_every_enum() {
    let mut shapes = Shapes::new();
    schema_shapes(&reference(), "", &mut shapes);
    // Spot checks that the derivation read serde's attributes (rename, deny_unknown_fields) and
    // the hand-written impls: if these fail, the comparison below compares nothing useful.
    assert!(shapes[""].closed, "unknown top-level fields are refused");
    assert!(shapes["donor.address"].closed);
    assert!(shapes.contains_key("recipient.type"), "`kind` is renamed `type` on the wire");
    let citizenship = shapes["donor.citizenship"].enumeration.clone().unwrap();
    assert!(citizenship.contains("foreign_national") && citizenship.contains(""));
    assert_eq!(shapes["contribution.amount"].types, ["number", "string"].map(String::from).into());
    assert!(shapes["attestations.affirmed[]"].nullable);
    assert!(shapes.len() > 30, "{} paths", shapes.len());
}

#[test]
fn the_openapi_submission_component_matches_the_model() {
    let openapi: Value = serde_json::from_str(&read("src/server/openapi.json")).unwrap();
    let component = &openapi["components"]["schemas"]["Submission"];
    let (mut want, mut got) = (Shapes::new(), Shapes::new());
    schema_shapes(&reference(), "", &mut want);
    schema_shapes(component, "", &mut got);
    // The component may narrow a number to integers (the running totals: so that fuzzing sends
    // no float the engine would refuse for its third decimal); that is the only licence it has.
    for shape in got.values_mut() {
        if shape.types.remove("integer") {
            shape.types.insert("number".into());
        }
    }
    let problems = diff("openapi.json Submission", &want, &got);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A small reader for the TypeScript the wasm package ships: enough of the grammar to get the
/// shape of an interface (property names, optionality, unions of literals, aliases, arrays and
/// inline object types). Anything else is a test failure, not a guess.
mod ts {
    use super::{Shape, Shapes};
    use std::collections::{BTreeMap, BTreeSet};

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Ident(String),
        Str(String),
        Punct(char),
    }

    fn lex(src: &str) -> Vec<Tok> {
        let chars: Vec<char> = src.chars().collect();
        let (mut i, mut out) = (0, Vec::new());
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
            } else if c == '/' && chars.get(i + 1) == Some(&'*') {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            } else if c == '/' && chars.get(i + 1) == Some(&'/') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            } else if c == '"' {
                let start = i + 1;
                i = start;
                while chars[i] != '"' {
                    i += 1;
                }
                out.push(Tok::Str(chars[start..i].iter().collect()));
                i += 1;
            } else if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            } else {
                out.push(Tok::Punct(c));
                i += 1;
            }
        }
        out
    }

    /// A type expression, after aliases are resolved.
    #[derive(Debug, Clone)]
    enum Ty {
        Prim(String),
        Lit(String),
        Object(Vec<(String, Vec<Ty>)>),
        Array(Vec<Ty>),
    }

    struct Parser<'a> {
        toks: &'a [Tok],
        at: usize,
        aliases: &'a BTreeMap<String, Vec<Tok>>,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.at)
        }
        fn eat(&mut self, c: char) -> bool {
            if self.peek() == Some(&Tok::Punct(c)) {
                self.at += 1;
                true
            } else {
                false
            }
        }
        fn expect(&mut self, c: char) {
            assert!(self.eat(c), "expected `{c}` at {:?}", self.peek());
        }
        /// `A | B | ...` (a leading `|` allowed), flattened.
        fn union(&mut self, args: &BTreeMap<String, Vec<Ty>>) -> Vec<Ty> {
            self.eat('|');
            let mut out = self.postfix(args);
            while self.eat('|') {
                out.extend(self.postfix(args));
            }
            out
        }
        fn postfix(&mut self, args: &BTreeMap<String, Vec<Ty>>) -> Vec<Ty> {
            let mut t = self.atom(args);
            while self.peek() == Some(&Tok::Punct('[')) {
                self.expect('[');
                self.expect(']');
                t = vec![Ty::Array(t)];
            }
            t
        }
        fn atom(&mut self, args: &BTreeMap<String, Vec<Ty>>) -> Vec<Ty> {
            match self.peek().cloned() {
                Some(Tok::Punct('(')) => {
                    self.at += 1;
                    let t = self.union(args);
                    self.expect(')');
                    t
                }
                Some(Tok::Punct('{')) => vec![Ty::Object(self.object(args))],
                Some(Tok::Str(s)) => {
                    self.at += 1;
                    vec![Ty::Lit(s)]
                }
                Some(Tok::Ident(name)) => {
                    self.at += 1;
                    let mut actual = Vec::new();
                    if self.eat('<') {
                        actual.push(self.union(args));
                        self.expect('>');
                    }
                    if let Some(t) = args.get(&name) {
                        return t.clone();
                    }
                    match name.as_str() {
                        "string" | "number" | "null" | "boolean" => vec![Ty::Prim(name)],
                        _ => self.alias(&name, actual),
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        /// `type Name<T extends string> = ...;` applied to its arguments.
        fn alias(&mut self, name: &str, actual: Vec<Vec<Ty>>) -> Vec<Ty> {
            let toks = self.aliases.get(name).unwrap_or_else(|| panic!("unknown TypeScript type `{name}`"));
            let mut p = Parser { toks, at: 0, aliases: self.aliases };
            let mut formal = Vec::new();
            if p.eat('<') {
                while !p.eat('>') {
                    if let Some(Tok::Ident(n)) = p.peek().cloned() {
                        formal.push(n);
                    }
                    p.at += 1;
                }
            }
            p.expect('=');
            let args: BTreeMap<String, Vec<Ty>> = formal.into_iter().zip(actual).collect();
            p.union(&args)
        }
        /// `{ name?: type; ... }`
        fn object(&mut self, args: &BTreeMap<String, Vec<Ty>>) -> Vec<(String, Vec<Ty>)> {
            self.expect('{');
            let mut props = Vec::new();
            while !self.eat('}') {
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    panic!("expected a property at {:?}", self.peek())
                };
                self.at += 1;
                self.eat('?');
                self.expect(':');
                let t = self.union(args);
                self.eat(';');
                props.push((name, t));
            }
            props
        }
    }

    fn shapes_of(ty: &[Ty], path: &str, out: &mut Shapes) {
        let mut shape = Shape::default();
        let mut literals = BTreeSet::new();
        for t in ty {
            match t {
                Ty::Prim(p) if p == "null" => shape.nullable = true,
                Ty::Prim(p) => {
                    shape.types.insert(p.clone());
                }
                Ty::Lit(s) => {
                    shape.types.insert("string".into());
                    literals.insert(s.clone());
                }
                Ty::Object(props) => {
                    shape.types.insert("object".into());
                    shape.closed = true;
                    for (name, t) in props {
                        let p = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                        shapes_of(t, &p, out);
                    }
                }
                Ty::Array(items) => {
                    shape.types.insert("array".into());
                    shapes_of(items, &format!("{path}[]"), out);
                }
            }
        }
        let only_literals = ty.iter().all(|t| matches!(t, Ty::Lit(_) | Ty::Prim(_)))
            && !ty.iter().any(|t| matches!(t, Ty::Prim(p) if p != "null"));
        if only_literals && !literals.is_empty() {
            shape.enumeration = Some(literals);
        }
        out.insert(path.to_owned(), shape);
    }

    /// The shapes of `export interface <name> { ... }` in `src`.
    pub fn interface_shapes(src: &str, name: &str) -> Shapes {
        let toks = lex(src);
        let mut aliases = BTreeMap::new();
        let mut interfaces = BTreeMap::new();
        let mut i = 0;
        while i < toks.len() {
            let is = |k: usize, w: &str| toks.get(k) == Some(&Tok::Ident(w.into()));
            if is(i, "export") && (is(i + 1, "type") || is(i + 1, "interface")) {
                let Some(Tok::Ident(n)) = toks.get(i + 2).cloned() else { panic!("a nameless export") };
                let start = i + 3;
                let (mut depth, mut j) = (0i32, start);
                while j < toks.len() {
                    match &toks[j] {
                        Tok::Punct('{' | '(' | '<') => depth += 1,
                        Tok::Punct('}' | ')' | '>') => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                    let closed_interface = is(i + 1, "interface") && depth == 0;
                    if closed_interface || (depth == 0 && toks.get(j - 1) == Some(&Tok::Punct(';'))) {
                        break;
                    }
                }
                let body = toks[start..j].to_vec();
                if is(i + 1, "type") {
                    aliases.insert(n, body);
                } else {
                    interfaces.insert(n, body);
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let body = interfaces.get(name).unwrap_or_else(|| panic!("no `export interface {name}`"));
        let mut p = Parser { toks: body, at: 0, aliases: &aliases };
        let ty = vec![Ty::Object(p.object(&BTreeMap::new()))];
        let mut out = Shapes::new();
        shapes_of(&ty, "", &mut out);
        out
    }
}

#[test]
fn the_typescript_submission_matches_the_model() {
    let src = read("src/wasm.rs");
    let start = src.find("const TYPES: &str = r#\"").expect("the TypeScript section of src/wasm.rs");
    let body = &src[start + "const TYPES: &str = r#\"".len()..];
    let end = body.find("\"#;").expect("its end");
    let mut got = ts::interface_shapes(&body[..end], "Submission");
    let mut want = Shapes::new();
    schema_shapes(&reference(), "", &mut want);
    // The top level is a value, never null, in TypeScript as in the schema.
    // `ruleset` in the browser is any id: the page may have loaded one (`loadRuleset`), so the
    // interface types it as a string where the schema enumerates the embedded ids.
    want.get_mut("ruleset").unwrap().enumeration = None;
    if let Some(top) = got.get_mut("") {
        top.nullable = false;
    }
    let problems = diff("src/wasm.rs TypeScript Submission", &want, &got);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
