//! Loading customer tables: CSV/TSV/`;`/`|` with a sniffed separator, and Parquet.
//!
//! The raw bytes are checked first (missing, directory, empty, binary, non-UTF-8, ragged rows) so every
//! failure is one line naming the file and, where known, the row. Polars then parses the text with type
//! inference over at least 10,000 rows (the whole file if a late value breaks the guess), and a tidy-up
//! pass turns whitespace-only numerics into nulls and recognised date strings into `Date`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use polars::prelude::*;

use super::source::first_line;
pub use super::source::{line_of, LoadError, LoadOptions, CANDIDATE_SEPARATORS, NULL_TOKENS};
use super::text::read_text_file;
pub use super::text::{read_delimited, read_text, Text};
use super::tidy;

/// A loaded table and how it was read.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub df: DataFrame,
    /// The separator used (None for Parquet and workbooks).
    pub separator: Option<u8>,
    /// How the file was read, for people: "separator: comma", "Parquet", "sheet \"Customers\"".
    pub source: String,
    pub elapsed: Duration,
    /// Things the loader did that a careful analyst wants to know.
    pub notes: Vec<String>,
}

/// Human name of a separator byte.
pub fn separator_name(sep: Option<u8>) -> &'static str {
    match sep {
        Some(b',') => "comma",
        Some(b'\t') => "tab",
        Some(b';') => "semicolon",
        Some(b'|') => "pipe",
        Some(b' ') => "spaces (aligned columns)",
        Some(_) => "other",
        None => "none (parquet)",
    }
}

/// Parse a `--separator` argument: a single character or a name.
pub fn parse_separator(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        "\\t" | "\t" | "tab" | "TAB" => Ok(b'\t'),
        ";" | "semicolon" => Ok(b';'),
        "|" | "pipe" => Ok(b'|'),
        " " | "space" | "spaces" | "whitespace" => Ok(b' '),
        other if other.len() == 1 && other.is_ascii() => Ok(other.as_bytes()[0]),
        other => Err(format!(
            "separator must be one character (or comma, tab, semicolon, pipe), got {other:?}"
        )),
    }
}

/// Load a file by extension: `.parquet`/`.pq` through Parquet, anything else as delimited text.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let shown = path.display().to_string();
    let start = Instant::now();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound {
            path: shown.clone(),
        },
        _ => LoadError::Io {
            path: shown.clone(),
            reason: e.to_string(),
        },
    })?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory { path: shown });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (df, separator, source, mut notes) = if ext == "parquet" || ext == "pq" {
        let file = std::fs::File::open(path).map_err(|e| LoadError::Io {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| LoadError::Parse {
                path: shown.clone(),
                reason: format!(
                    "not a readable Parquet file ({})",
                    first_line(&e.to_string())
                ),
            })?;
        (df, None, "Parquet".to_string(), Vec::new())
    } else if super::excel::EXTENSIONS.contains(&ext.as_str()) {
        let sheet = super::excel::read_workbook(path, opts.sheet.as_deref(), &shown)?;
        let source = format!("sheet {:?} of {}", sheet.name, sheet.names.len());
        (sheet.df, None, source, sheet.notes)
    } else {
        let t = read_text_file(path, meta.len(), opts, &shown)?;
        let source = format!("separator: {}", separator_name(Some(t.sep)));
        (t.df, Some(t.sep), source, t.notes)
    };
    // `;` files come from spreadsheets set to a decimal comma (1,5): such columns are read as numbers
    let decimal_comma = separator == Some(b';');
    let df = tidy::name_unnamed_columns(df, &mut notes)
        .and_then(|df| tidy::drop_empty_rows(df, &mut notes))
        .and_then(|df| tidy::tidy_frame(df, decimal_comma, &mut notes))
        .and_then(|df| super::dates::yyyymmdd_columns(df, &mut notes))
        .map_err(|e| LoadError::Parse {
            path: shown.clone(),
            reason: first_line(&e.to_string()),
        })?;
    if df.height() == 0 {
        return Err(LoadError::HeaderOnly { path: shown });
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        df,
        separator,
        source,
        elapsed: start.elapsed(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_separator_accepts_names_and_chars() {
        assert_eq!(parse_separator("tab"), Ok(b'\t'));
        assert_eq!(parse_separator(";"), Ok(b';'));
        assert!(parse_separator("ab").is_err());
    }
}
