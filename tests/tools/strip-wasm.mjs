// Drops the custom sections a browser never reads (function names, DWARF, producers) from
// .wasm files, in place: node tests/tools/strip-wasm.mjs FILE...
// (The profile keeps its symbols so that wasm-bindgen can read the target_features section;
// this runs after it.)
import { readFileSync, writeFileSync } from "node:fs";

const DROP = (name) => name === "name" || name === "producers" || name.startsWith(".debug");

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, i];
  }
}

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file}: not a wasm module`);
  const kept = [bytes.subarray(0, 8)];
  let i = 8;
  while (i < bytes.length) {
    const start = i;
    const id = bytes[i++];
    const [size, body] = leb(bytes, i);
    const end = body + size;
    let drop = false;
    if (id === 0) {
      const [len, at] = leb(bytes, body);
      drop = DROP(bytes.subarray(at, at + len).toString("utf8"));
    }
    if (!drop) kept.push(bytes.subarray(start, end));
    i = end;
  }
  const out = Buffer.concat(kept);
  new WebAssembly.Module(out); // still a valid module
  writeFileSync(file, out);
}
