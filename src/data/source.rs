//! What the readers share (load, text, shape, tidy, excel, encoding): the load error, the separators and
//! missing-value markers, and line numbers for messages. It imports none of them, so they form no loop.

use thiserror::Error;

/// Separators tried by the sniffer, in order of preference on ties.
pub const CANDIDATE_SEPARATORS: [u8; 4] = [b',', b'\t', b';', b'|'];
/// Tokens read as missing values (any letter case, besides empty fields); see `tidy`.
pub const NULL_TOKENS: [&str; 6] = ["NA", "N/A", "NULL", "NaN", "#N/A", "?"];

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Force a separator instead of sniffing one (`b' '`: whitespace-aligned columns).
    pub separator: Option<u8>,
    /// The sheet of a workbook: a name or a number from 1 (default: the first).
    pub sheet: Option<String>,
    /// Force a text encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Everything that can go wrong while loading; each message names the file.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{path}: file not found")]
    NotFound { path: String },
    #[error("{path}: is a directory, not a data file")]
    IsDirectory { path: String },
    #[error("{path}: cannot read: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: file is empty")]
    Empty { path: String },
    #[error("{path}: has a header but no data rows")]
    HeaderOnly { path: String },
    #[error("{path}: looks like a binary file, not text (NUL byte at line {line})")]
    Binary { path: String, line: usize },
    #[error("{path}: not valid UTF-8 text (line {line}); name its encoding with --encoding (e.g. windows-1252) or leave it out to detect it")]
    NotUtf8 { path: String, line: usize },
    #[error("{path}: row {row} has {found} fields but the header has {expected}")]
    Ragged {
        path: String,
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("{path}: unterminated quoted field starting on line {line}")]
    OpenQuote { path: String, line: usize },
    #[error("{path}: {reason}")]
    Parse { path: String, reason: String },
}

/// The first line of a message (polars' errors run over several).
pub(crate) fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// 1-based line number of a byte offset.
pub fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
