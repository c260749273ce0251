//! The shape of delimited text: separator sniffing and a quote-aware check that every record has the
//! header's field count.

use super::source::{LoadError, CANDIDATE_SEPARATORS};

/// Count the fields of each record (quote-aware) in the first `max_records` records.
pub(crate) fn field_counts(bytes: &[u8], sep: u8, max_records: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut fields = 1;
    let mut line_has_content = false;
    for &b in bytes {
        if counts.len() >= max_records {
            break;
        }
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                line_has_content = true;
            }
            b'\n' if !in_quotes => {
                if line_has_content {
                    counts.push(fields);
                }
                fields = 1;
                line_has_content = false;
            }
            b'\r' => {}
            _ if b == sep && !in_quotes => {
                fields += 1;
                line_has_content = true;
            }
            _ => line_has_content = true,
        }
    }
    if line_has_content && counts.len() < max_records {
        counts.push(fields);
    }
    counts
}

/// Fields of a line split on runs of spaces and tabs (leading and trailing ones ignored), a quoted field
/// kept whole.
fn aligned_fields(line: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && matches!(line[i], b' ' | b'\t' | b'\r') {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        let start = i;
        if line[i] == b'"' {
            i += 1;
            while i < line.len() && line[i] != b'"' {
                i += 1;
            }
            i = (i + 1).min(line.len());
        } else {
            while i < line.len() && !matches!(line[i], b' ' | b'\t' | b'\r') {
                i += 1;
            }
        }
        out.push(&line[start..i]);
    }
    out
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
}

/// True when the first lines split on runs of whitespace into one number (> 1) of fields.
fn is_aligned(head: &[u8]) -> bool {
    let counts: Vec<usize> = lines(head)
        .take(30)
        .map(|l| aligned_fields(l).len())
        .collect();
    counts.len() >= 2 && counts[0] > 1 && counts.iter().all(|&c| c == counts[0])
}

/// Whitespace-aligned text rewritten as tab-separated text.
pub fn aligned_to_tabs(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for line in lines(bytes) {
        for (i, f) in aligned_fields(line).iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            out.extend_from_slice(f);
        }
        out.push(b'\n');
    }
    out
}

/// True when the first record holds only numbers and so is data, not a header (a headerless export).
pub fn first_row_is_data(bytes: &[u8], sep: u8) -> bool {
    let Some(first) = lines(bytes).next() else {
        return false;
    };
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let fields: Vec<&[u8]> = if sep == b' ' {
        aligned_fields(first)
    } else {
        first.split(|&b| b == sep).collect()
    };
    fields.len() > 1
        && fields.iter().all(|f| {
            std::str::from_utf8(f)
                .ok()
                .map(|t| t.trim().trim_matches('"'))
                .is_some_and(|t| !t.is_empty() && t.parse::<f64>().is_ok())
        })
}

/// Pick the separator that splits the first lines into the same number (> 1) of fields most consistently;
/// `b' '` when none does but runs of whitespace do (columns aligned with spaces).
pub fn sniff_separator(bytes: &[u8]) -> u8 {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut best = (b',', 0usize, 0usize); // (sep, consistent lines, fields)
    for &sep in &CANDIDATE_SEPARATORS {
        let counts = field_counts(head, sep, 30);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == header).count();
        if consistent > best.1 || (consistent == best.1 && header > best.2) {
            best = (sep, consistent, header);
        }
    }
    let lines_seen = field_counts(head, b'\n', 30).len().max(1);
    if best.1 < lines_seen.min(30) && is_aligned(head) {
        return b' ';
    }
    best.0
}

/// Check that every record has the header's field count and quotes are closed; returns the data row count.
/// Files without any quote character take a fast path (a vectorisable separator count per line).
pub(crate) fn check_shape(bytes: &[u8], sep: u8, path: &str) -> Result<usize, LoadError> {
    if !bytes.contains(&b'"') {
        return check_shape_unquoted(bytes, sep, path);
    }
    let mut in_quotes = false;
    let mut quote_line = 0usize;
    let mut line = 1usize; // physical line, 1-based
    let mut record_line = 1usize;
    let mut fields = 1usize;
    let mut content = false;
    let mut header: Option<usize> = None;
    let mut rows = 0usize;
    let mut finish = |fields: usize, record_line: usize| -> Result<(), LoadError> {
        match header {
            None => header = Some(fields),
            Some(h) if h != fields => {
                return Err(LoadError::Ragged {
                    path: path.to_string(),
                    row: record_line,
                    expected: h,
                    found: fields,
                })
            }
            Some(_) => rows += 1,
        }
        Ok(())
    };
    for &b in bytes {
        match b {
            b'"' => {
                if !in_quotes {
                    quote_line = line;
                }
                in_quotes = !in_quotes;
                content = true;
            }
            b'\n' => {
                line += 1;
                if !in_quotes {
                    if content {
                        finish(fields, record_line)?;
                    }
                    fields = 1;
                    content = false;
                    record_line = line;
                }
            }
            b'\r' => {}
            _ if b == sep && !in_quotes => {
                fields += 1;
                content = true;
            }
            b' ' | b'\t' if !content => {}
            _ => content = true,
        }
    }
    if in_quotes {
        return Err(LoadError::OpenQuote {
            path: path.to_string(),
            line: quote_line,
        });
    }
    if content {
        finish(fields, record_line)?;
    }
    Ok(rows)
}

fn check_shape_unquoted(bytes: &[u8], sep: u8, path: &str) -> Result<usize, LoadError> {
    let mut header: Option<usize> = None;
    let mut rows = 0usize;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line
            .iter()
            .all(|b| *b == b' ' || *b == b'\t' && sep != b'\t')
        {
            continue;
        }
        let fields = 1 + line.iter().filter(|&&b| b == sep).count();
        match header {
            None => header = Some(fields),
            Some(h) if h != fields => {
                return Err(LoadError::Ragged {
                    path: path.to_string(),
                    row: i + 1,
                    expected: h,
                    found: fields,
                })
            }
            Some(_) => rows += 1,
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_candidate_quote_aware() {
        assert_eq!(sniff_separator(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_separator(b"a\tb\n1\t2\n"), b'\t');
        // commas inside quotes must not win over the real separator
        assert_eq!(sniff_separator(b"\"x,y\";b\n\"1,5\";2\n\"3,1\";4\n"), b';');
        assert_eq!(sniff_separator(b"a|b|c\n1|2|3\n"), b'|');
    }

    #[test]
    fn field_counts_ignore_separators_in_quotes_and_crlf() {
        assert_eq!(field_counts(b"a,\"b,c\"\r\n1,2\r\n", b',', 10), vec![2, 2]);
    }

    #[test]
    fn ragged_row_is_reported_with_its_line() {
        let err = check_shape(b"a,b\n1,2\n3\n", b',', "f.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv: row 3 has 1 fields but the header has 2"
        );
    }

    #[test]
    fn open_quote_is_reported() {
        let err = check_shape(b"a,b\n\"1,2\n", b',', "f.csv").unwrap_err();
        assert!(err
            .to_string()
            .contains("unterminated quoted field starting on line 2"));
    }
}
