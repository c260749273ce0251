//! Delimited text: a sniffed separator (or aligned columns), another encoding decoded, parsed by polars
//! with type inference over at least 10,000 rows (the whole file if a late value breaks the guess); the
//! byte-level checks that name a problem run only when polars fails.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use super::shape::{check_shape, first_row_is_data, sniff_separator};
use super::source::{first_line, line_of, LoadError, LoadOptions};

/// Rows polars reads to guess column types on the first try.
const INFER_ROWS: usize = 10_000;

/// Bytes looked at before parsing: enough to sniff the separator and spot a binary file (as git does, a NUL
/// byte in the first 8,000 bytes means binary).
const HEAD_BYTES: usize = 64 * 1024;

fn io_error(path: &str, e: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.to_string(),
        reason: e.to_string(),
    }
}

/// A delimited text file read into a frame.
pub struct Text {
    pub df: DataFrame,
    pub sep: u8,
    pub notes: Vec<String>,
}

fn csv_options(sep: u8, header: bool) -> CsvReadOptions {
    CsvReadOptions::default()
        .with_has_header(header)
        .map_parse_options(|p| {
            p.with_separator(sep)
                .with_quote_char(Some(b'"'))
                .with_missing_is_null(true)
        })
}

fn headerless_note(header: bool, notes: &mut Vec<String>) {
    if !header {
        notes.push(
            "no header row (the first row holds only numbers): columns named column_1, column_2, …"
                .into(),
        );
    }
}

/// Parse a delimited text file. Polars reads the file itself (memory-mapped, no copy) when it is UTF-8 with
/// one of the usual separators; otherwise, and to explain a failure, the bytes are read into memory.
pub(crate) fn read_text_file(
    path: &Path,
    len: u64,
    opts: &LoadOptions,
    shown: &str,
) -> Result<Text, LoadError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| io_error(shown, e))?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_error(shown, e))?;
    let whole = || std::fs::read(path).map_err(|e| io_error(shown, e));
    if len as usize <= head.len() {
        // small file: the in-memory path does every check
        return read_text(&head, opts, shown);
    }
    let head_text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    // a NUL byte means binary, unless the text is UTF-16 (whose ASCII characters carry a zero byte)
    if !super::encoding::is_utf16(&head) {
        if let Some(pos) = head_text.iter().take(8000).position(|&b| b == 0) {
            return Err(LoadError::Binary {
                path: shown.to_string(),
                line: line_of(head_text, pos),
            });
        }
    }
    if super::encoding::needs_decoding(&head, opts.encoding) {
        return read_text(&whole()?, opts, shown);
    }
    let sep = opts.separator.unwrap_or_else(|| sniff_separator(head_text));
    if sep == b' ' || head.starts_with(b"\xEF\xBB\xBF") {
        // aligned columns are rewritten, and a byte-order mark stripped, in memory
        return read_text(
            &whole()?,
            &LoadOptions {
                separator: Some(sep),
                ..opts.clone()
            },
            shown,
        );
    }
    let parsed = csv_options(sep, true)
        .with_infer_schema_length(Some(INFER_ROWS))
        // keep polars' per-thread chunks: gluing them is a full copy (about a third of the read time)
        .with_rechunk(false)
        .into_reader_with_file_handle(std::fs::File::open(path).map_err(|e| io_error(shown, e))?)
        .finish()
        .ok();
    match parsed {
        Some(df) if df.height() > 0 && df.columns().last().is_none_or(|c| c.null_count() == 0) => {
            Ok(Text {
                df,
                sep,
                notes: Vec::new(),
            })
        }
        // Something needs a closer look (or a second inference pass): do it on the bytes.
        _ => read_text(
            &whole()?,
            &LoadOptions {
                separator: Some(sep),
                ..opts.clone()
            },
            shown,
        ),
    }
}

/// Read text held in memory: decoded when it is not UTF-8, whitespace-aligned columns rewritten with tabs.
pub fn read_text(bytes: &[u8], opts: &LoadOptions, shown: &str) -> Result<Text, LoadError> {
    let mut notes = Vec::new();
    let decoded = super::encoding::decode(bytes, opts.encoding);
    let bytes = match &decoded {
        Some(d) => {
            notes.push(d.note.clone());
            d.text.as_bytes()
        }
        None => bytes,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let sep = opts.separator.unwrap_or_else(|| sniff_separator(bytes));
    let (df, sep) = if sep == b' ' {
        notes.push(
            "whitespace-aligned columns: each run of spaces or tabs read as one separator".into(),
        );
        let tabbed = super::shape::aligned_to_tabs(bytes);
        let (df, _) = read_delimited_notes(&tabbed, Some(b'\t'), shown, &mut notes, true)?;
        (df, b' ')
    } else {
        read_delimited_notes(bytes, Some(sep), shown, &mut notes, false)?
    };
    Ok(Text { df, sep, notes })
}

/// Parse delimited text held in memory; `shown` names the source in errors.
pub fn read_delimited(
    bytes: &[u8],
    separator: Option<u8>,
    shown: &str,
) -> Result<(DataFrame, u8), LoadError> {
    read_delimited_notes(bytes, separator, shown, &mut Vec::new(), false)
}

/// The fast path hands the bytes straight to polars; the byte-level diagnostics (UTF-8, field counts,
/// quotes) run only when polars fails or when the last column has nulls (a short row leaves it empty).
/// With `detect_header` (aligned text: legacy exports often have none) a first row of numbers only is data.
/// Delimited files always have a header: a header of numbers (years in a pivot) is common there.
fn read_delimited_notes(
    bytes: &[u8],
    separator: Option<u8>,
    shown: &str,
    notes: &mut Vec<String>,
    detect_header: bool,
) -> Result<(DataFrame, u8), LoadError> {
    let path = shown.to_string();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(LoadError::Empty { path });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(LoadError::Binary {
            path,
            line: line_of(bytes, pos),
        });
    }
    let sep = separator.unwrap_or_else(|| sniff_separator(bytes));
    let header = !(detect_header && first_row_is_data(bytes, sep));
    let read = |infer: Option<usize>| {
        read_text_overflow_as_string(|overwrite| {
            csv_options(sep, header)
                .with_infer_schema_length(infer)
                .with_schema_overwrite(overwrite)
                .into_reader_with_file_handle(Cursor::new(bytes))
                .finish()
        })
    };
    let df = match read(Some(INFER_ROWS)) {
        Ok(df) => {
            let last_has_nulls = df.columns().last().is_some_and(|c| c.null_count() > 0);
            if last_has_nulls || df.height() == 0 {
                diagnose(bytes, sep, &path)?;
            }
            df
        }
        Err(first) => {
            diagnose(bytes, sep, &path)?;
            // A value past the inference window broke the guessed type: read again inferring from every row.
            read(None).map_err(|_| LoadError::Parse {
                path: path.clone(),
                reason: first_line(&first.to_string()),
            })?
        }
    };
    if df.height() == 0 {
        return Err(LoadError::HeaderOnly { path });
    }
    headerless_note(header, notes);
    Ok((df, sep))
}

/// Run a read; when polars guessed 64-bit integers for a column holding a larger whole number, read that
/// column as text instead (the tidy-up pass keeps it as text and says why).
fn read_text_overflow_as_string(
    read: impl Fn(Option<SchemaRef>) -> PolarsResult<DataFrame>,
) -> PolarsResult<DataFrame> {
    let mut overwrite = Schema::default();
    loop {
        let schema = (!overwrite.is_empty()).then(|| Arc::new(overwrite.clone()));
        match read(schema) {
            Err(e) => match overflowing_column(&e.to_string()) {
                Some(col) if !overwrite.contains(&col) => {
                    overwrite.with_column(col.into(), DataType::String);
                }
                _ => return Err(e),
            },
            ok => return ok,
        }
    }
}

/// The column named in polars' "could not parse `…` as dtype `i64` at column 'x' (column number n)" error
/// (the name may itself hold quotes).
fn overflowing_column(message: &str) -> Option<String> {
    let rest = message.split_once("as dtype `i64` at column '")?.1;
    let end = rest.rfind("' (column number")?;
    Some(rest[..end].to_string())
}

/// Byte-level checks that name the problem: text encoding, then the shape of every record.
fn diagnose(bytes: &[u8], sep: u8, path: &str) -> Result<(), LoadError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(LoadError::NotUtf8 {
            path: path.to_string(),
            line: line_of(bytes, e.valid_up_to()),
        });
    }
    let rows = check_shape(bytes, sep, path)?;
    if rows == 0 {
        return Err(LoadError::HeaderOnly {
            path: path.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflowing_column_names_may_hold_quotes() {
        let m = "could not parse `99999999999999999999` as dtype `i64` at column 'customer's id' (column number 1)";
        assert_eq!(overflowing_column(m).as_deref(), Some("customer's id"));
        assert_eq!(overflowing_column("something else"), None);
    }
}
