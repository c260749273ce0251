//! Text encodings: what Excel on Windows and older exports write is often not UTF-8. A UTF-8 byte-order mark
//! is dropped; UTF-16 (with a byte-order mark, or ASCII text with every other byte zero) and text that is
//! not valid UTF-8 are decoded (Windows-1252 unless `--encoding` names another), with a note.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Parse an `--encoding` argument: any WHATWG label (utf-8, windows-1252, latin1, iso-8859-15, utf-16le,
/// shift_jis, …).
pub fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding {label:?} (try utf-8, windows-1252, latin1, iso-8859-15, utf-16le, utf-16be)"
        )
    })
}

/// Text that had to be decoded, and how.
pub struct Decoded {
    pub text: String,
    pub note: String,
}

fn looks_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let head = &head[..head.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = head.len() / 2;
    if zeros(1) * 10 >= half * 9 && zeros(0) * 10 < half {
        Some(UTF_16LE)
    } else if zeros(0) * 10 >= half * 9 && zeros(1) * 10 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `head` (the start of a file) is UTF-16 text: a byte-order mark, or every other byte zero.
pub fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || looks_utf16(head).is_some()
}

/// Whether `head` (the start of a file) needs decoding before it can be read as UTF-8.
pub fn needs_decoding(head: &[u8], forced: Option<&'static Encoding>) -> bool {
    match forced {
        Some(e) => e != UTF_8,
        None => {
            head.starts_with(b"\xFF\xFE")
                || head.starts_with(b"\xFE\xFF")
                || looks_utf16(head).is_some()
                || invalid_utf8(head)
        }
    }
}

/// True when `bytes` is not UTF-8 (a sequence cut off at the very end does not count: it may be the
/// head of a longer file).
fn invalid_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => false,
        Err(e) => e.error_len().is_some(),
    }
}

/// Decode `bytes` when they are not UTF-8 (or `forced` names an encoding); None when they are UTF-8.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Option<Decoded> {
    let (encoding, why) = match forced {
        Some(e) if e == UTF_8 => return None,
        Some(e) => (e, "--encoding".to_string()),
        None => {
            if bytes.starts_with(b"\xFF\xFE") {
                (UTF_16LE, "byte-order mark".into())
            } else if bytes.starts_with(b"\xFE\xFF") {
                (UTF_16BE, "byte-order mark".into())
            } else if let Some(e) = looks_utf16(bytes) {
                (e, "every other byte is zero".into())
            } else if std::str::from_utf8(bytes).is_ok() {
                return None;
            } else {
                let line = super::source::line_of(
                    bytes,
                    std::str::from_utf8(bytes)
                        .err()
                        .map_or(0, |e| e.valid_up_to()),
                );
                (
                    WINDOWS_1252,
                    format!("not UTF-8 from line {line}; --encoding overrides"),
                )
            }
        }
    };
    let (text, _, _) = encoding.decode(bytes);
    Some(Decoded {
        text: text.into_owned(),
        note: format!("read as {} ({why})", encoding.name()),
    })
}
