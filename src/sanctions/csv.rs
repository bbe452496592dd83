//! OFAC's CSV: no header, fields in double quotes (`""` inside) or bare, `-0-` for empty, a
//! Ctrl-Z at the end of some files. Bytes that are not UTF-8 are read as Latin-1.

/// The records of a file as `(line number, fields)`; blank lines are skipped.
pub fn records(bytes: &[u8]) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut i = 0usize;
    let finish_field = |field: &mut Vec<u8>, fields: &mut Vec<String>, quoted: bool| {
        let text = decode(field);
        let text = if quoted { text } else { text.trim().to_string() };
        fields.push(if text.trim() == "-0-" { String::new() } else { text });
        field.clear();
    };
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if in_quotes {
            if b == b'"' {
                if bytes.get(i) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else {
                if b == b'\n' {
                    line += 1;
                }
                field.push(b);
            }
            continue;
        }
        match b {
            b'"' if field.iter().all(|c| c.is_ascii_whitespace()) => {
                field.clear();
                in_quotes = true;
                quoted = true;
            }
            b',' => {
                finish_field(&mut field, &mut fields, quoted);
                quoted = false;
            }
            b'\n' | 0x1a => {
                finish_field(&mut field, &mut fields, quoted);
                quoted = false;
                if !(fields.len() == 1 && fields.first().is_some_and(|f| f.is_empty())) {
                    out.push((start_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                if b == b'\n' {
                    line += 1;
                }
                start_line = line;
            }
            b'\r' => {}
            _ => field.push(b),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        finish_field(&mut field, &mut fields, quoted);
        if !(fields.len() == 1 && fields.first().is_some_and(|f| f.is_empty())) {
            out.push((start_line, fields));
        }
    }
    out
}

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The aliases in an SDN remarks field: `a.k.a. 'X'`, `a.k.a. "Y"` (also `f.k.a.`, `n.k.a.`).
pub fn remark_aliases(remarks: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = remarks.to_ascii_lowercase();
    for marker in ["a.k.a. ", "f.k.a. ", "n.k.a. "] {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|s| s.find(marker)) {
            let start = from + pos + marker.len();
            from = start;
            let Some(rest) = remarks.get(start..) else { break };
            let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else { continue };
            let body = rest.get(1..).unwrap_or("");
            // The closing quote is the first one not followed by a letter (`'ABU-'UMAR'`).
            let end = body.char_indices().find(|&(i, c)| {
                c == q && !body.get(i + 1..).and_then(|r| r.chars().next()).is_some_and(char::is_alphanumeric)
            });
            if let Some((end, _)) = end {
                let alias = body.get(..end).unwrap_or("").trim();
                if !alias.is_empty() {
                    out.push(alias.to_string());
                }
                from = start + 1 + end;
            }
        }
    }
    out
}
