//! `POST /v1/forms/check` and `POST /v1/forms/contributions`: the donation form exactly as the
//! donor's browser posted it (`application/x-www-form-urlencoded` or `multipart/form-data`),
//! with the widget's hidden field `donation-guard-response` holding
//! `{"decision","submission_digest","ruleset_digest","map"}`.
//!
//! The field map comes from the hidden field; [`crate::form::read_form`] builds the submission
//! (the same function the widget runs in the wasm, so the same `submission_digest`), and the
//! request then takes the `/v1/check` (or `/v1/contributions`) path, with the hidden field's
//! decision and digests as the widget's response. A campaign's back end forwards the post as is.

use super::http::{error, AppState, Caller, RESPONSE_HEADER};
use crate::form::{read_form, FieldMap};
use crate::json::MAX_BYTES;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use std::sync::Arc;

/// The widget's hidden field.
pub const HIDDEN_FIELD: &str = "donation-guard-response";

/// `POST /v1/forms/check`.
pub async fn check(st: State<Arc<AppState>>, caller: Extension<Caller>, headers: HeaderMap, body: Body) -> Response {
    match to_json(&st, &headers, body).await {
        Ok((h, b)) => super::http::check(st, caller, h, b).await,
        Err(r) => r,
    }
}

/// `POST /v1/forms/contributions`.
pub async fn contributions(
    st: State<Arc<AppState>>,
    caller: Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match to_json(&st, &headers, body).await {
        Ok((h, b)) => super::http::contributions(st, caller, h, b).await,
        Err(r) => r,
    }
}

/// The posted form as the JSON request `/v1/check` takes: the submission as the body and the
/// hidden field's verdict as the `Donation-Guard-Response` header.
#[allow(clippy::result_large_err)]
async fn to_json(st: &AppState, headers: &HeaderMap, body: Body) -> Result<(HeaderMap, Body), Response> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let kind = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if kind != "application/x-www-form-urlencoded" && kind != "multipart/form-data" {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the form as application/x-www-form-urlencoded or multipart/form-data",
            None,
        ));
    }
    let bytes = match tokio::time::timeout(st.cfg.timeout, axum::body::to_bytes(body, MAX_BYTES)).await {
        Err(_) => return Err(error(StatusCode::REQUEST_TIMEOUT, "timeout", "the body took too long to arrive", None)),
        Ok(Err(_)) => {
            return Err(error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the form is over 65536 bytes", None))
        }
        Ok(Ok(b)) => b,
    };
    let pairs = if kind == "multipart/form-data" {
        let boundary = boundary(&ct).ok_or_else(|| bad("multipart/form-data without a boundary", None))?;
        multipart(&bytes, &boundary).ok_or_else(|| bad("the multipart body could not be read", None))?
    } else {
        urlencoded(&bytes)
    };
    let hidden = pairs.iter().find(|(n, _)| n == HIDDEN_FIELD).map(|(_, v)| v.as_str());
    let (map, verdict) = match hidden.filter(|h| !h.trim().is_empty()) {
        None => (FieldMap::default(), None),
        Some(text) => hidden_field(text)?,
    };
    let fields: Vec<(String, String)> = pairs.iter().filter(|(n, _)| n != HIDDEN_FIELD).cloned().collect();
    let sub = read_form(&fields, &map);
    let json = serde_json::to_string(&sub).map_err(|_| bad("the form could not be read", None))?;
    let mut out = HeaderMap::new();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for name in [header::AUTHORIZATION, header::HeaderName::from_static("x-request-id")] {
        if let Some(v) = headers.get(&name) {
            out.insert(name, v.clone());
        }
    }
    if let Some(name) = &st.cfg.trusted_ip_header {
        if let Some(v) = headers.get(name) {
            out.insert(name.clone(), v.clone());
        }
    }
    if let Some(v) = verdict.and_then(|v| HeaderValue::from_str(&v).ok()) {
        out.insert(header::HeaderName::from_static(RESPONSE_HEADER), v);
    }
    Ok((out, Body::from(json)))
}

fn bad(message: &str, field: Option<&str>) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_field", message, field)
}

/// The map and the widget's response (decision and digests only) from the hidden field.
#[allow(clippy::result_large_err)]
fn hidden_field(text: &str) -> Result<(FieldMap, Option<String>), Response> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| bad("the hidden field is not the widget's response", Some(HIDDEN_FIELD)))?;
    let map = match value.get("map") {
        None | Some(serde_json::Value::Null) => FieldMap::default(),
        Some(m) => serde_json::from_value(m.clone())
            .map_err(|_| bad("the hidden field's map is not a field map", Some(HIDDEN_FIELD)))?,
    };
    let mut verdict = serde_json::Map::new();
    for key in ["decision", "submission_digest", "ruleset_digest", "reason"] {
        if let Some(v) = value.get(key) {
            verdict.insert(key.to_owned(), v.clone());
        }
    }
    let verdict = (!verdict.is_empty()).then(|| serde_json::Value::Object(verdict).to_string());
    Ok((map, verdict))
}

/// `a=1&b=x+y%21` → pairs (`+` is a blank; bad escapes are kept as typed).
pub fn urlencoded(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut it = p.splitn(2, |&b| b == b'=');
            let name = it.next().unwrap_or_default();
            let value = it.next().unwrap_or_default();
            (unescape(name), unescape(value))
        })
        .collect()
}

fn unescape(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        let hex = |j: usize| s.get(j).and_then(|c| char::from(*c).to_digit(16));
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn boundary(ct: &str) -> Option<String> {
    ct.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The text parts of a multipart/form-data body (file parts are skipped).
pub fn multipart(body: &[u8], boundary: &str) -> Option<Vec<(String, String)>> {
    let delim = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    let mut parts = text.split(delim.as_str());
    parts.next()?;
    for part in parts {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let (head, value) = part.split_once("\r\n\r\n")?;
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let disposition = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        if disposition.contains("filename=") {
            continue;
        }
        let name = disposition.split(';').map(str::trim).find_map(|p| p.strip_prefix("name="))?;
        out.push((name.trim_matches('"').to_owned(), value.to_owned()));
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_and_multipart_bodies() {
        let p = urlencoded(b"a=1&give-amount=other&other_amount=%2475&name=Ada+Lovelace&x=%zz&&empty=");
        assert_eq!(p[1], ("give-amount".into(), "other".into()));
        assert_eq!(p[2], ("other_amount".into(), "$75".into()));
        assert_eq!(p[3], ("name".into(), "Ada Lovelace".into()));
        assert_eq!(p[4], ("x".into(), "%zz".into()));
        assert_eq!(p[5], ("empty".into(), String::new()));
        let body = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n75\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\nfile\r\n--XX\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nIl\u{e9}\r\n--XX--\r\n";
        assert_eq!(
            multipart(body.as_bytes(), "XX").unwrap(),
            vec![("a".into(), "75".into()), ("b".into(), "Il\u{e9}".into())]
        );
        assert_eq!(boundary("multipart/form-data; boundary=\"XX\"").as_deref(), Some("XX"));
    }
}
