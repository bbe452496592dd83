// The inputs of tests/vectors/errors.jsonl: malformed and odd submissions, deterministic (no
// randomness): a wrong value of every type at every path of the submission, unknown, duplicate
// and escaped keys at every level, syntax damage at every position of a valid line, limits,
// numbers JSON and JavaScript disagree on, and hand-written nasties.
//
//   node tests/tools/error-corpus.mjs > inputs.jsonl      (one {"input": text} per line;
//                                                          {"input_hex": ...} for non-UTF-8)
// The outputs (`"output"`) were written by the engine before the submission reader was rewritten
// (issue 9), `DG_WRITE_VECTORS=1 cargo test --release --test errors`; tests/errors.rs and
// tests/node/errors.test.mjs hold every build to them.

const BASE = {
  id: "c-1",
  ruleset: "us-federal-2025-2026",
  recipient: { type: "candidate", election: "general" },
  donor: {
    kind: "individual",
    first_name: "Margaret",
    last_name: "Okafor",
    email: "m@example.org",
    address: { line1: "1 Main St", line2: "Apt 2", city: "Springfield", state: "IL", postal_code: "62704", country: "US" },
    citizenship: "us_citizen",
    passport: { country: "US", number: "123456789" },
    employer: "Acme",
    occupation: "Engineer",
  },
  contribution: { amount: "25.00", currency: "USD", method: "card", card: { country: "US" }, bank_country: "US", date: "2025-06-01" },
  signals: { ip_country: "US" },
  attestations: {
    version: "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6",
    affirmed: ["us_citizen_or_lpr", "own_funds", "personal_card", "not_federal_contractor", "age_18_or_older"],
  },
  history: { prior_total: "100.00", cycle_total: "200.00" },
  client_verdict: { decision: "accept", submission_digest: "sha256:00", ruleset_digest: "sha256:00" },
  language: "en",
};

// A smaller line for the damage at every position (every member kept, shorter values).
const SMALL = {
  id: "c",
  recipient: { type: "pac", election: "" },
  donor: {
    kind: "individual", first_name: "A", last_name: "B", email: "e", address: { line1: "1", line2: "", city: "C", state: "IL", postal_code: "6", country: "US" },
    citizenship: "us_citizen", passport: { country: "US", number: "1" }, employer: "E", occupation: "O",
  },
  contribution: { amount: 5, currency: "USD", method: "card", card: { country: "US" }, bank_country: "US", date: "2025-06-01" },
  signals: { ip_country: "US" },
  attestations: { version: "v", affirmed: ["own_funds", null] },
  history: { prior_total: "1", cycle_total: 2 },
  client_verdict: { decision: "", submission_digest: "s", ruleset_digest: "r" },
  language: "es",
};

const out = [];
const seen = new Set();
const emit = (text) => {
  if (seen.has(text)) return;
  seen.add(text);
  out.push(JSON.stringify({ input: text }));
};
/** prefix + unit repeated n times + suffix, stored as such (the limits need 64 KB lines). */
const emitRepeat = (prefix, unit, n, suffix) => out.push(JSON.stringify({ input_repeat: [prefix, unit, n, suffix] }));
const emitHex = (bytes) => out.push(JSON.stringify({ input_hex: Buffer.from(bytes).toString("hex") }));

// Every path (objects and leaves) of the base submission.
const paths = [];
(function walk(o, prefix) {
  for (const [k, v] of Object.entries(o)) {
    const p = [...prefix, k];
    paths.push(p);
    if (v && typeof v === "object" && !Array.isArray(v)) walk(v, p);
  }
})(BASE, []);

const MARK = "\u0000VALUE\u0000";
const clone = (x) => JSON.parse(JSON.stringify(x));
/** The base with the value at `path` replaced by raw JSON text. */
function withRaw(path, raw, base = SMALL) {
  const o = clone(base);
  let t = o;
  for (const k of path.slice(0, -1)) t = t[k];
  t[path[path.length - 1]] = MARK;
  return JSON.stringify(o).replace(JSON.stringify(MARK), raw);
}
/** The smallest submission holding the raw value at `path`. */
function minimal(path, raw) {
  let text = raw;
  for (const k of [...path].reverse()) text = `{${JSON.stringify(k)}:${text}}`;
  return text;
}

const VALUES = [
  "0", "1", "-1", "1.5", "-0", "-0.0", "0.0", "1e2", "1E-2", "25", "25.5", "25.005", "0.1", "1.005", "100000000",
  "1e308", "1e400", "-1e400", "1e-400", "12345678901234567890", "-12345678901234567890", "123456789012345678901234567890",
  "9007199254740993", "0.30000000000000004", "5e-324", "01", "1.", ".5", "+1", "NaN", "Infinity", "-Infinity",
  "true", "false", "null", "tru", "nul",
  '""', '" "', '"x"', '"25.00"', '"-1"', '"-0"', '"abc"', '"1e3"', '"0.001"', '"  25.00 "',
  '"a, expected b"', '"a at line 1 column 2"', '"x, expected struct Foo"', '"secret, expected a string at line 9"',
  '"\\u00e9"', '"e\\u0301"', '"\\ud800"', '"\\udc00"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\x"', '"\\u12"', '"\t"',
  '"candidate"', '"us_citizen"', '"card"', '"accept"', '"es"', '"CANDIDATE"', '" candidate"',
  "[]", "[1]", '["x"]', "[null]", '[null,"x"]', '["x",1]', "[[]]", "[{}]", "{}", '{"a":1}', '{"country":"US"}', "[,]", "{,}",
];
// In a full line, a subset: the first error in the document is the one reported.
const IN_LINE = ["1", "-0", "1e400", "true", "null", "\" \"", "\"a, expected b\"", "[]", "{}", "NaN"];
for (const path of paths) {
  for (const v of VALUES) emit(minimal(path, v));
  for (const v of IN_LINE) emit(withRaw(path, v));
}

// Unknown, duplicate and escaped keys at every object level.
const objects = [[], ...paths.filter((p) => {
  let t = BASE;
  for (const k of p) t = t[k];
  return t && typeof t === "object" && !Array.isArray(t);
})];
const KEYS = ["tip", "Id", "", " id", "id ", "type", "a, expected b", "x at line 3 column 4", "\\u0069d", "caf\\u00e9", "__proto__", "constructor"];
for (const obj of objects) {
  const members = (() => {
    let t = BASE;
    for (const k of obj) t = t[k];
    return Object.keys(t);
  })();
  const wrap = (inner) => {
    let text = inner;
    for (const k of [...obj].reverse()) text = `{${JSON.stringify(k)}:${text}}`;
    return text;
  };
  for (const k of KEYS) {
    emit(wrap(`{"${k}":1}`));
    emit(wrap(`{"${members[0]}":null,"${k}":"x"}`));
  }
  for (const m of members) {
    emit(wrap(`{"${m}":null,"${m}":null}`));
    emit(wrap(`{"${m}":"x","${m}":1}`));
    emit(wrap(`{"${m}":1,"${m}":"x"}`));
    const escaped = m.replace(/^./, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    emit(wrap(`{"${escaped}":null}`));
    emit(wrap(`{"${escaped}":[]}`));
    emit(wrap(`{"${m}":null,"${escaped}":null}`));
    emit(wrap(`{"${m}":[]}`));
    emit(wrap(`{"${m}":{}}`));
  }
}

// Syntax damage at every position of a valid line: truncation, and each character inserted,
// deleted or replaced.
const line = JSON.stringify(SMALL);
for (let i = 0; i <= line.length; i++) emit(line.slice(0, i));
const JUNK = [",", "}", "]", ":", '"', "x", "\\", "{", "[", "\u00e9", "\n"];
for (let i = 0; i < line.length; i += 1) {
  const c = JUNK[i % JUNK.length];
  if (i % 3 === 0) emit(line.slice(0, i) + line.slice(i + 1));
  else if (i % 3 === 1) emit(line.slice(0, i) + c + line.slice(i));
  else emit(line.slice(0, i) + c + line.slice(i + 1));
}
// The same at line 2 and beyond (positions are reported as line and column).
const pretty = JSON.stringify(SMALL, null, 2);
for (let i = 0; i < pretty.length; i += 9) {
  emit(pretty.slice(0, i));
  emit(pretty.slice(0, i) + "#" + pretty.slice(i));
}

// Limits: depth and size.
for (let d = 14; d <= 18; d++) {
  emit("[".repeat(d) + "]".repeat(d));
  emit('{"a":'.repeat(d) + "1" + "}".repeat(d));
  emit('{"donor":{"x":' + "[".repeat(d) + "]".repeat(d) + "}}");
  emit('{"id":"' + "[".repeat(d) + '"}');
  emit('{"attestations":{"affirmed":' + "[".repeat(d - 2) + "]".repeat(d - 2) + "}}");
}
emitRepeat("", "[", 100000, "");
emit("{".repeat(40));
emitRepeat('{"id":"', "x", 65_530, '"}');
emitRepeat('{"id":"', "x", 65_527, '"}');
emitRepeat('{"id":"', "x", 65_528, '"}');
emit('{"id":"' + "x".repeat(128) + '"}');
emit('{"id":"' + "x".repeat(129) + '"}');
emit('{"id":"' + "\u00e9".repeat(128) + '"}');
emit('{"id":"' + "\ud83d\ude00".repeat(64) + '"}');
emit('{"id":"' + "\ud83d\ude00".repeat(65) + '"}');
emitRepeat("", " ", 65_537, "");
emitRepeat('{"id":"', "\u00e9", 32_765, '"}');
emitRepeat('{"id":"', "\u00e9", 32_764, '"}');

// Hand-written nasties.
for (const t of [
  "", " ", "\n", "\t\r\n ", "{}", " {} ", "{} ", "{}\n", "{}{}", "{} {}", "{}x", "{},", "[]", "[{}]", "42", "-0", "null", "true",
  '"text"', '""', "\ufeff{}", "\ufeff", "{\ufeff}", "{,}", '{"id":"a",}', '{"id":"a",,"ruleset":"x"}', '{"id" "a"}', '{"id":}',
  "{'id':'a'}", "{id:1}", '{"id":"a"', '{"id":"a', '{"id', "{", "}", "]", ":", ",", '{"donor":{"first_name":"A","first_name":"B"}}',
  '{"id":"a","id":"a"}', '{"id":null,"id":null}', '{"donor":{},"donor":{}}', '{"donor":{"address":{},"address":[]}}',
  '{"donor":[],"donor":{}}', '{"id":"\\ud800"}', '{"id":"\\udfff\\ud800"}', '{"id":"\\uD83D\\uDE00"}', '{"id":"\\uZZZZ"}',
  '{"id":"\\u"}', '{"id":"\\"}', '{"id":"\u0001"}', '{"id":"\u007f"}', '{"id":"\u2028"}', '{"contribution":{"amount":NaN}}',
  '{"contribution":{"amount":1e400}}', '{"contribution":{"amount":-0}}', '{"contribution":{"amount":"-0"}}',
  '{"contribution":{"amount":25.00}}', '{"contribution":{"amount":2.5e1}}', '{"contribution":{"amount":1e21}}',
  '{"contribution":{"amount":1e-7}}', '{"contribution":{"amount":123456789.123}}', '{"history":{"prior_total":-0}}',
  '{"history":{"prior_total":"0"}}', '{"history":{"prior_total":0.001}}', '{"history":{"prior_total":1e400}}',
  '{"history":{"prior_total":"secret-62704"}}', '{"history":{"prior_total":true}}', '{"history":{"cycle_total":[]}}',
  '{"ruleset":"us-ca-2026"}', '{"ruleset":""}', '{"ruleset":"  "}', '{"ruleset":" us-federal-2025-2026 "}',
  '{"contribution":{"date":"2025-13-01"}}', '{"contribution":{"date":"1999-01-01"}}', '{"contribution":{"date":""}}',
  '{"contribution":{"date":"2025-06-01"},"ruleset":"us-ca-ballot-2025-2026"}',
  '{"recipient":{"type":"super_pac"},"ruleset":"us-federal-2015-2016"}', '{"recipient":{"type":""}}', '{"recipient":{"type":" "}}',
  '{"language":"fr"}', '{"language":""}', '{"language":null}', '{"donor":{"citizenship":"canadian"}}',
  '{"d\\u006fnor":[]}', '{"d\\u006fnor":{"address":["x"]}}', '{"donor":{"address": ["x"]}}', '{"x":{"donor":[]}}',
  '{"attestations":{"affirmed":[{"donor":[]}]}}', '{"attestations":{"affirmed":[{"a":1}]}}', '{"attestations":{"affirmed":[1,[]]}}',
  '{"attestations":{"affirmed":"a, expected b"}}', '{"attestations":{"affirmed":{}}}', '{"id":["x"],"donor":[]}',
  '{"id":1,"donor":[]}', '{"donor":[],"id":1}', '{"id":1,"x":[', '{"tip":1,"donor":[]}', '{"tip":1}{', '{"id":1} x',
  '  {"id":1}  ', '{"id":1}\n', '{"id":1}\r\n', '\r\n{"id":1}', '{"id":1,\n"x":2}', '{\n"id":\n1}',
  '{"donor":{"passport":{"number":62704}}}', '{"donor":{"address":{"postal_code":62704}}}', '{"contribution":"x"}',
  '{"donor":{"address":7}}', '{"id":"x","":1}', '{"":1}', '{"\\"":1}', '{"a\\u0000b":1}', '{1:2}', '{null:1}', '{"id":1 2}',
  '{"contribution":{"amount":"25.00","tip":"5.00"}}', '{"signals":{"ip_country":"US","ip":"1.2.3.4"}}',
]) {
  emit(t);
}
emitHex([0xff]);
emitHex([...Buffer.from('{"id":"'), 0xff, ...Buffer.from('"}')]);
emitHex([...Buffer.from('{"id":"'), 0xc3, ...Buffer.from('"}')]);
emitHex([...Buffer.from('{"id":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}')]);
emitHex([0xef, 0xbb, 0xbf, ...Buffer.from("{}")]);
emitHex([...Buffer.from('{"id":"a"}'), 0x00]);
emitHex([0x00]);

process.stdout.write(out.join("\n") + "\n");
