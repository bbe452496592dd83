//! The one JSON parser of every build: serde_json 1.0's `from_str` rewritten to build the tree
//! [`J`] directly, so serde_json's parser and serde's `Deserializer` machinery leave the wasm
//! (issue 9). Its answers are serde_json's, message and position alike (`at line L column C`,
//! bytes counted from 1 after the last newline), its depth limit (128), its numbers (integers
//! as `u64`/`i64`, then `as f64`; decimals by its own power-of-ten product, not correctly
//! rounded) and its escapes; a native test compares the two over many generated texts.

use super::read::{Seg, J};

/// A syntax error: serde_json's words and its position (line from 1; column: the bytes since the
/// last newline before the byte it points at).
pub(crate) struct SyntaxError {
    what: &'static str,
    line: usize,
    column: usize,
}

impl SyntaxError {
    /// What [`super::read::any_tree`] would answer for [`Fail::Object`], which a parse outside
    /// the contract never gives.
    pub(crate) fn object() -> SyntaxError {
        SyntaxError { what: "object expected", line: 0, column: 0 }
    }

    /// serde_json's `Display`: `expected value at line 1 column 3`.
    pub(crate) fn message(&self) -> String {
        format!("{} at line {} column {}", self.what, self.line, self.column)
    }
}

/// Why a parse stopped: bad syntax, or (contract mode) an array where an object belongs.
pub(crate) enum Fail {
    Syntax(SyntaxError),
    Object,
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const COLON: &str = "expected `:`";
const LIST_COMMA: &str = "expected `,` or `]`";
const OBJECT_COMMA: &str = "expected `,` or `}`";
const IDENT: &str = "expected ident";
const VALUE: &str = "expected value";
const ESCAPE: &str = "invalid escape";
const NUMBER: &str = "invalid number";
const RANGE: &str = "number out of range";
const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY: &str = "key must be a string";
const LONE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING: &str = "trailing characters";
const HEX_END: &str = "unexpected end of hex escape";
const RECURSION: &str = "recursion limit exceeded";

/// The members that hold objects in a submission, at any level.
const OBJECT_KEYS: [&str; 10] = [
    "recipient",
    "donor",
    "address",
    "passport",
    "contribution",
    "card",
    "signals",
    "attestations",
    "history",
    "client_verdict",
];

static POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39,
    1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58,
    1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77,
    1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92, 1e93, 1e94, 1e95, 1e96,
    1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113,
    1e114, 1e115, 1e116, 1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129,
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144, 1e145,
    1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, 1e160, 1e161,
    1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177,
    1e178, 1e179, 1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193,
    1e194, 1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224, 1e225,
    1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240, 1e241,
    1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257,
    1e258, 1e259, 1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273,
    1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289,
    1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305,
    1e306, 1e307, 1e308,
];

/// Parses the whole text. In contract mode an array as the top value or as the value of an
/// object-named member is [`Fail::Object`], and only object-named keys enter `trail` on the
/// way out of an error; otherwise every key and index does (innermost first).
pub(crate) fn parse(text: &str, trail: &mut Vec<Seg>, contract: bool) -> Result<J, Fail> {
    let mut p = Parser { text, bytes: text.as_bytes(), i: 0, depth: 128, contract };
    let j = p.value(trail, contract)?;
    match p.whitespace() {
        Some(_) => Err(p.peek_error(TRAILING)),
        None => Ok(j),
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    depth: u8,
    contract: bool,
}

type R<T> = Result<T, Fail>;

impl Parser<'_> {
    fn at(&self, what: &'static str, i: usize) -> Fail {
        let before = self.bytes.get(..i).unwrap_or(self.bytes);
        let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + before.iter().take(start).filter(|&&b| b == b'\n').count();
        Fail::Syntax(SyntaxError { what, line, column: i - start })
    }
    /// serde_json's `error`: the position of the byte last read.
    fn error(&self, what: &'static str) -> Fail {
        self.at(what, self.i)
    }
    /// serde_json's `peek_error`: the position of the byte peeked at.
    fn peek_error(&self, what: &'static str) -> Fail {
        self.at(what, (self.i + 1).min(self.bytes.len()))
    }
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }
    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }
    fn whitespace(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                other => return other,
            }
        }
    }

    fn value(&mut self, trail: &mut Vec<Seg>, object: bool) -> R<J> {
        let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_VALUE)) };
        match peek {
            b'n' => {
                self.i += 1;
                self.ident(b"ull")?;
                Ok(J::Null)
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue")?;
                Ok(J::Bool(true))
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse")?;
                Ok(J::Bool(false))
            }
            b'-' => {
                self.i += 1;
                self.integer(false).map(J::Num)
            }
            b'0'..=b'9' => self.integer(true).map(J::Num),
            b'"' => {
                self.i += 1;
                self.string().map(J::Str)
            }
            b'[' | b'{' => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Err(self.peek_error(RECURSION));
                }
                self.i += 1;
                let j = if peek == b'[' { self.seq(trail, object)? } else { self.map(trail)? };
                self.depth += 1;
                // The list or object ended at its closing bracket.
                self.i += 1;
                Ok(j)
            }
            _ => Err(self.peek_error(VALUE)),
        }
    }

    fn ident(&mut self, rest: &[u8]) -> R<()> {
        for expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != *expected => return Err(self.error(IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn seq(&mut self, trail: &mut Vec<Seg>, object: bool) -> R<J> {
        if object {
            return Err(Fail::Object);
        }
        let mut items = Vec::new();
        loop {
            let item = match self.has_next_element(items.is_empty()) {
                Ok(false) => return Ok(J::Arr(items)),
                Ok(true) => self.value(trail, false),
                Err(e) => Err(e),
            };
            match item {
                Ok(j) => items.push(j),
                Err(e) => {
                    if !self.contract {
                        trail.push(Seg::Index(items.len()));
                    }
                    return Err(e);
                }
            }
        }
    }

    fn has_next_element(&mut self, first: bool) -> R<bool> {
        let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_LIST)) };
        if peek == b']' {
            Ok(false)
        } else if first {
            Ok(true)
        } else if peek == b',' {
            self.i += 1;
            match self.whitespace() {
                Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => Ok(true),
                None => Err(self.peek_error(EOF_VALUE)),
            }
        } else {
            Err(self.peek_error(LIST_COMMA))
        }
    }

    fn map(&mut self, trail: &mut Vec<Seg>) -> R<J> {
        let mut members = Vec::new();
        loop {
            if !self.has_next_key(members.is_empty())? {
                return Ok(J::Obj(members));
            }
            self.i += 1;
            let key = self.string()?;
            let named = self.contract && OBJECT_KEYS.contains(&key.as_str());
            let value = match self.whitespace() {
                Some(b':') => {
                    self.i += 1;
                    self.value(trail, named)
                }
                Some(_) => Err(self.peek_error(COLON)),
                None => Err(self.peek_error(EOF_OBJECT)),
            };
            match value {
                Ok(v) => members.push((key, v)),
                Err(e) => {
                    if named || !self.contract {
                        trail.push(Seg::Key(key));
                    }
                    return Err(e);
                }
            }
        }
    }

    fn has_next_key(&mut self, first: bool) -> R<bool> {
        let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_OBJECT)) };
        if peek == b'}' {
            Ok(false)
        } else if first {
            if peek == b'"' {
                Ok(true)
            } else {
                Err(self.peek_error(KEY))
            }
        } else if peek == b',' {
            self.i += 1;
            match self.whitespace() {
                Some(b'"') => Ok(true),
                Some(b'}') => Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => Err(self.peek_error(KEY)),
                None => Err(self.peek_error(EOF_VALUE)),
            }
        } else {
            Err(self.peek_error(OBJECT_COMMA))
        }
    }

    /// A string's contents after its opening quote, up to and past the closing one.
    fn string(&mut self) -> R<String> {
        let mut out = String::new();
        let mut start = self.i;
        loop {
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // Every stop is an ASCII byte, so both ends are character boundaries.
            out.push_str(self.text.get(start..self.i).unwrap_or(""));
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(&mut out)?;
                    start = self.i;
                }
                Some(_) => {
                    self.i += 1;
                    return Err(self.error(CONTROL));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> R<()> {
        let Some(c) = self.next() else { return Err(self.error(EOF_STRING)) };
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error(ESCAPE)),
        });
        Ok(())
    }

    fn hex(&mut self) -> R<u32> {
        let Some(four) = self.bytes.get(self.i..self.i + 4) else {
            self.i = self.bytes.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n = 0;
        for &b in four {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'A'..=b'F' => b - b'A' + 10,
                b'a'..=b'f' => b - b'a' + 10,
                _ => return Err(self.error(ESCAPE)),
            };
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    fn unicode_escape(&mut self, out: &mut String) -> R<()> {
        let n = self.hex()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
            return Ok(());
        }
        for want in [b'\\', b'u'] {
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b) => {
                    self.i += 1;
                    if b != want {
                        return Err(self.error(HEX_END));
                    }
                }
            }
        }
        let n2 = self.hex()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(self.error(LONE));
        }
        let c = (((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000;
        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
        Ok(())
    }

    // Numbers: serde_json's `parse_integer` and the functions it calls, without
    // `float_roundtrip` (the feature this crate never enabled).
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]
    fn integer(&mut self, positive: bool) -> R<f64> {
        let Some(first) = self.next() else { return Err(self.error(EOF_VALUE)) };
        let significand = match first {
            b'0' => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(NUMBER));
                }
                0
            }
            c @ b'1'..=b'9' => {
                let mut s = u64::from(c - b'0');
                loop {
                    let c = self.peek_or_null();
                    if !c.is_ascii_digit() {
                        break;
                    }
                    let digit = u64::from(c - b'0');
                    if overflows(s, digit) {
                        return self.long_integer(positive, s);
                    }
                    self.i += 1;
                    s = s * 10 + digit;
                }
                s
            }
            _ => return Err(self.error(NUMBER)),
        };
        match self.peek_or_null() {
            b'.' => self.decimal(positive, significand, 0),
            b'e' | b'E' => self.exponent(positive, significand, 0),
            _ if positive => Ok(significand as f64),
            _ => {
                let neg = (significand as i64).wrapping_neg();
                // A float on underflow, or on `-0`.
                Ok(if neg >= 0 { -(significand as f64) } else { neg as f64 })
            }
        }
    }

    fn long_integer(&mut self, positive: bool, significand: u64) -> R<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.i += 1;
                    exponent = exponent.wrapping_add(1);
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.f64_from_parts(positive, significand, exponent),
            }
        }
    }

    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> R<f64> {
        self.i += 1;
        let mut after = 0i32;
        loop {
            let c = self.peek_or_null();
            if !c.is_ascii_digit() {
                break;
            }
            let digit = u64::from(c - b'0');
            if overflows(significand, digit) {
                // Every further digit is ignored.
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
                let exponent = before.wrapping_add(after);
                return match self.peek_or_null() {
                    b'e' | b'E' => self.exponent(positive, significand, exponent),
                    _ => self.f64_from_parts(positive, significand, exponent),
                };
            }
            self.i += 1;
            significand = significand * 10 + digit;
            after = after.wrapping_sub(1);
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        let exponent = before.wrapping_add(after);
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    fn exponent(&mut self, positive: bool, significand: u64, starting: i32) -> R<f64> {
        self.i += 1;
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.i += 1;
                true
            }
            b'-' => {
                self.i += 1;
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(NUMBER)),
        };
        loop {
            let c = self.peek_or_null();
            if !c.is_ascii_digit() {
                break;
            }
            self.i += 1;
            let digit = i32::from(c - b'0');
            if exp >= i32::MAX / 10 && (exp > i32::MAX / 10 || digit > i32::MAX % 10) {
                if significand != 0 && positive_exp {
                    return Err(self.error(RANGE));
                }
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let exponent = if positive_exp { starting.saturating_add(exp) } else { starting.saturating_sub(exp) };
        self.f64_from_parts(positive, significand, exponent)
    }

    #[allow(clippy::cast_precision_loss, clippy::cast_sign_loss)]
    fn f64_from_parts(&self, positive: bool, significand: u64, mut exponent: i32) -> R<f64> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.wrapping_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }
}

/// Whether `a * 10 + b` passes `u64::MAX`.
fn overflows(a: u64, b: u64) -> bool {
    a >= u64::MAX / 10 && (a > u64::MAX / 10 || b > u64::MAX % 10)
}

/// The old reader, serde_json's parser driven by serde visitors, kept to hold the new one to its
/// answers: the tree, or the error's words and position, and the trail to it, in both modes.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::{parse, Fail, OBJECT_KEYS};
    use crate::json::read::{Seg, J};
    use crate::XorShift;
    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    const MARK: &str = "object expected";

    fn old(text: &str, trail: &mut Vec<Seg>, contract: bool) -> Result<J, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        Node { trail, object: contract, contract }.deserialize(&mut de).and_then(|j| de.end().map(|()| j))
    }

    struct Node<'p> {
        trail: &'p mut Vec<Seg>,
        object: bool,
        contract: bool,
    }

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = J;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<J, D::Error> {
            d.deserialize_any(self)
        }
    }

    struct Key;
    impl<'de> DeserializeSeed<'de> for Key {
        type Value = String;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for Key {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
    }

    impl<'de> Visitor<'de> for Node<'_> {
        type Value = J;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
            let mut members = Vec::new();
            while let Some(key) = map.next_key_seed(Key)? {
                let named = self.contract && OBJECT_KEYS.contains(&key.as_str());
                match map.next_value_seed(Node { trail: self.trail, object: named, contract: self.contract }) {
                    Ok(value) => members.push((key, value)),
                    Err(e) => {
                        if named || !self.contract {
                            self.trail.push(Seg::Key(key));
                        }
                        return Err(e);
                    }
                }
            }
            Ok(J::Obj(members))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
            if self.object {
                return Err(de::Error::custom(MARK));
            }
            let mut items = Vec::new();
            loop {
                match seq.next_element_seed(Node { trail: self.trail, object: false, contract: self.contract }) {
                    Ok(Some(item)) => items.push(item),
                    Ok(None) => break,
                    Err(e) => {
                        if !self.contract {
                            self.trail.push(Seg::Index(items.len()));
                        }
                        return Err(e);
                    }
                }
            }
            Ok(J::Arr(items))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<J, E> {
            Ok(J::Bool(v))
        }
        #[allow(clippy::cast_precision_loss)]
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<J, E> {
            Ok(J::Num(v as f64))
        }
        #[allow(clippy::cast_precision_loss)]
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<J, E> {
            Ok(J::Num(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<J, E> {
            Ok(J::Num(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<J, E> {
            Ok(J::Str(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<J, E> {
            Ok(J::Str(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<J, E> {
            Ok(J::Null)
        }
    }

    /// A tree as text, numbers by their bits (so `-0` is not `0`).
    fn show(j: &J, out: &mut String) {
        match j {
            J::Null => out.push('n'),
            J::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            J::Num(v) => out.push_str(&format!("#{:016x}", v.to_bits())),
            J::Str(s) => out.push_str(&format!("{s:?}")),
            J::Arr(items) => {
                out.push('[');
                for i in items {
                    show(i, out);
                    out.push(',');
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (k, v) in members {
                    out.push_str(&format!("{k:?}:"));
                    show(v, out);
                    out.push(',');
                }
                out.push('}');
            }
        }
    }

    fn trail_text(trail: &[Seg]) -> String {
        trail
            .iter()
            .map(|s| match s {
                Seg::Key(k) => format!("k{k:?}"),
                Seg::Index(i) => format!("i{i}"),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    fn new_outcome(text: &str, contract: bool) -> String {
        let mut trail = Vec::new();
        let r = parse(text, &mut trail, contract);
        let mut out = String::new();
        match r {
            Ok(j) => show(&j, &mut out),
            Err(Fail::Object) => out.push_str("ERR object"),
            Err(Fail::Syntax(e)) => out.push_str(&format!("ERR {}", e.message())),
        }
        format!("{out} @ {}", trail_text(&trail))
    }

    fn old_outcome(text: &str, contract: bool) -> String {
        let mut trail = Vec::new();
        let r = old(text, &mut trail, contract);
        let mut out = String::new();
        match r {
            Ok(j) => show(&j, &mut out),
            Err(e) if e.is_data() => {
                assert_eq!(e.to_string().split(" at line").next(), Some(MARK), "{text:?}");
                out.push_str("ERR object");
            }
            Err(e) => out.push_str(&format!("ERR {e}")),
        }
        format!("{out} @ {}", trail_text(&trail))
    }

    /// Both modes; the number of texts compared.
    fn same(text: &str, mismatches: &mut Vec<String>) {
        for contract in [false, true] {
            let (new, old) = (new_outcome(text, contract), old_outcome(text, contract));
            if new != old && mismatches.len() < 20 {
                mismatches.push(format!("{text:?} (contract {contract}):\n  new {new}\n  old {old}"));
            }
        }
    }

    const PIECES: &[&str] = &[
        "",
        " ",
        "\n",
        "\t",
        "\r",
        "\r\n",
        " \n  ",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "null",
        "true",
        "false",
        "nul",
        "tru",
        "fals",
        "nulll",
        "0",
        "-",
        "-0",
        "00",
        "01",
        "1.",
        ".5",
        "1e",
        "1e+",
        "1E-",
        "-1.5e3",
        "\\u",
        "\\ud800",
        "\\udc00",
        "\\ud83d\\ude00",
        "\\uD83D\\u0041",
        "\\ud800\\",
        "\\ud800x",
        "\\ud800\\n",
        "\\u00e9",
        "\\uZZZZ",
        "\\u12",
        "\\x",
        "\\/",
        "\\b\\f\\n\\r\\t",
        "\u{1}",
        "\u{1f}",
        "\u{7f}",
        "é",
        "€",
        "😀",
        "\"a\"",
        "\"recipient\"",
        "\"donor\"",
        "\"address\"",
        "\"attestations\"",
        "\"affirmed\"",
        "\"id\"",
        "1e400",
        "-1e400",
        "1e-400",
        "0e999999999999",
        "1e2147483647",
        "1e2147483648",
        "1e-2147483649",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "184467440737095516155",
        "1844674407370955161.5",
        "0.000000000000000000000000000001",
        "4.9e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "123456789012345678901234567890",
        "0.1",
        "0.3",
        "9007199254740993",
        "1.0000000000000002",
        "5e-324",
        "1e22",
        "1e23",
    ];

    /// A random number text: mostly well-formed, often at the edges of u64, i32 and f64.
    fn number(rng: &mut XorShift) -> String {
        let mut s = String::new();
        if rng.below(3) == 0 {
            s.push('-');
        }
        let digits = |rng: &mut XorShift, n: u64, s: &mut String| {
            for _ in 0..n {
                s.push(char::from(b'0' + rng.below(10) as u8));
            }
        };
        match rng.below(6) {
            0 => s.push('0'),
            1 => s.push_str(
                ["18446744073709551615", "18446744073709551616", "9223372036854775808", "1844674407370955161"]
                    [rng.below(4) as usize],
            ),
            _ => {
                s.push(char::from(b'1' + rng.below(9) as u8));
                let n = [rng.below(4), rng.below(20), rng.below(45)][rng.below(3) as usize];
                digits(rng, n, &mut s);
            }
        }
        if rng.below(2) == 0 {
            s.push('.');
            let n = [rng.below(4), rng.below(25), rng.below(400)][rng.below(3) as usize];
            digits(rng, n, &mut s);
        }
        if rng.below(3) == 0 {
            s.push(if rng.below(2) == 0 { 'e' } else { 'E' });
            match rng.below(3) {
                0 => s.push('+'),
                1 => s.push('-'),
                _ => {}
            }
            let n = [rng.below(4), rng.below(12)][rng.below(2) as usize];
            digits(rng, n, &mut s);
        }
        s
    }

    fn string(rng: &mut XorShift, out: &mut String) {
        out.push('"');
        for _ in 0..rng.below(8) {
            match rng.below(12) {
                0 => out.push_str(["\\n", "\\\"", "\\\\", "\\/", "\\b", "\\t", "\\r", "\\f"][rng.below(8) as usize]),
                1 => out.push_str(&format!("\\u{:04x}", rng.below(0x1_0000))),
                2 => out.push_str(&format!("\\u{:04X}\\u{:04x}", 0xD800 + rng.below(0x400), 0xDC00 + rng.below(0x400))),
                3 => out.push_str(["é", "€", "😀", " ", "\u{7f}", "\u{fffd}"][rng.below(6) as usize]),
                4 => out.push_str(OBJECT_KEYS[rng.below(OBJECT_KEYS.len() as u64) as usize]),
                _ => out.push(char::from(b'a' + rng.below(26) as u8)),
            }
        }
        out.push('"');
    }

    fn ws(rng: &mut XorShift, out: &mut String) {
        if rng.below(4) == 0 {
            out.push_str([" ", "\n", "\t", "\r\n", "  \n "][rng.below(5) as usize]);
        }
    }

    fn value(rng: &mut XorShift, depth: u32, out: &mut String) {
        ws(rng, out);
        match rng.below(if depth > 6 { 5 } else { 8 }) {
            0 => out.push_str(["null", "true", "false"][rng.below(3) as usize]),
            1 | 2 => out.push_str(&number(rng)),
            3 | 4 => string(rng, out),
            5 => {
                out.push('[');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    value(rng, depth + 1, out);
                }
                ws(rng, out);
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    ws(rng, out);
                    if rng.below(3) == 0 {
                        out.push('"');
                        out.push_str(OBJECT_KEYS[rng.below(OBJECT_KEYS.len() as u64) as usize]);
                        out.push('"');
                    } else {
                        string(rng, out);
                    }
                    ws(rng, out);
                    out.push(':');
                    value(rng, depth + 1, out);
                }
                ws(rng, out);
                out.push('}');
            }
        }
        ws(rng, out);
    }

    /// One random edit of `text` that keeps it UTF-8.
    fn mutate(rng: &mut XorShift, text: &str) -> String {
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let at = bounds[rng.below(bounds.len() as u64) as usize];
        let to = bounds[rng.below(bounds.len() as u64) as usize].max(at);
        let piece = PIECES[rng.below(PIECES.len() as u64) as usize];
        let (head, tail) = (&text[..at], &text[at..]);
        match rng.below(6) {
            0 => head.to_owned(),
            1 => format!("{head}{piece}{tail}"),
            2 => format!("{head}{}", &text[to..]),
            3 => format!("{head}{piece}{}", &text[to..]),
            4 => {
                // An ASCII byte flipped to another ASCII byte.
                let mut b = text.as_bytes().to_vec();
                if let Some(x) = b.get_mut(at) {
                    if x.is_ascii() {
                        *x = (*x ^ (1 << rng.below(7))) & 0x7f;
                    }
                }
                String::from_utf8(b).unwrap()
            }
            _ => format!("{head}{}{tail}", &text[at..to]),
        }
    }

    fn corpus() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for file in [
            "tests/vectors/errors.jsonl",
            "tests/vectors/forms.jsonl",
            "tests/vectors/form-maps.jsonl",
            "tests/fixtures/cases.jsonl",
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            for line in text.lines() {
                out.push(line.to_owned());
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                if let Some(obj) = v.as_object() {
                    for (_, field) in obj {
                        if let Some(s) = field.as_str() {
                            out.push(s.to_owned());
                        }
                    }
                }
            }
        }
        for entry in std::fs::read_dir(root.join("src/rulesets")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                out.push(std::fs::read_to_string(path).unwrap());
            }
        }
        out
    }

    #[test]
    fn the_parser_answers_as_serde_json_did() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut mismatches = Vec::new();
        let mut n = 0usize;
        let mut check = |t: &str, m: &mut Vec<String>| {
            same(t, m);
            n += 1;
        };
        // The corpus whole, and each text cut at every character (short ones) or at random.
        let corpus = corpus();
        for text in &corpus {
            check(text, &mut mismatches);
            let bounds: Vec<usize> = (0..text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            if bounds.len() <= 200 {
                for &b in &bounds {
                    check(&text[..b], &mut mismatches);
                }
            } else {
                for _ in 0..50 {
                    check(&text[..bounds[rng.below(bounds.len() as u64) as usize]], &mut mismatches);
                }
            }
        }
        // The pieces alone, in pairs, and inside a list, an object and a string.
        for a in PIECES {
            for b in PIECES {
                check(&format!("{a}{b}"), &mut mismatches);
                check(&format!("[{a}{b}]"), &mut mismatches);
                check(&format!("{{\"donor\":{a}{b}}}"), &mut mismatches);
                check(&format!("\"{a}{b}\""), &mut mismatches);
            }
        }
        // Nesting around the limit (128), of lists, objects and both, in both modes' trails.
        for depth in 120..135 {
            check(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)), &mut mismatches);
            check(&format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)), &mut mismatches);
            check(&format!("{}null{}", "{\"donor\":[".repeat(depth / 2), "]}".repeat(depth / 2)), &mut mismatches);
            check(&"[".repeat(depth), &mut mismatches);
        }
        // Numbers alone and as members.
        for _ in 0..20_000 {
            let num = number(&mut rng);
            check(&num, &mut mismatches);
            check(&format!("{{\"contribution\":{{\"amount\":{num}}}}}"), &mut mismatches);
        }
        // Generated documents, whole and mutated once to a few times.
        for _ in 0..20_000 {
            let mut text = String::new();
            value(&mut rng, 0, &mut text);
            check(&text, &mut mismatches);
            for _ in 0..3 {
                text = mutate(&mut rng, &text);
                check(&text, &mut mismatches);
            }
        }
        // The corpus mutated.
        for _ in 0..30_000 {
            let base = &corpus[rng.below(corpus.len() as u64) as usize];
            let mut text = mutate(&mut rng, base);
            check(&text, &mut mismatches);
            if rng.below(2) == 0 {
                text = mutate(&mut rng, &text);
                check(&text, &mut mismatches);
            }
        }
        assert!(n > 100_000, "{n} texts");
        assert!(mismatches.is_empty(), "{} texts compared; first differences:\n{}", n, mismatches.join("\n"));
    }
}
