//! Deployment: a fitted response model or segmentation saved as a versioned JSON file (`model_file`),
//! applied to next month's file (`score`), or written as one plain SQL `SELECT` that a warehouse runs on
//! every row (`sql`). The file freezes everything the features were built with at fit time (derived
//! features' reference values, medians, one-hot levels, scalers), so the three give the same numbers.

pub mod freeze;
pub mod model_file;
pub mod saved;
pub mod score;
pub mod spec;
pub mod sql;
pub mod sql_dialect;
mod sql_parts;
mod sql_segments;
pub mod sql_trees;

use thiserror::Error;

/// Everything that can go wrong saving, reading or applying a model; each message names the file.
#[derive(Debug, Error, PartialEq)]
pub enum DeployError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: not a campaign-lens model file ({reason})")]
    Corrupt { path: String, reason: String },
    #[error("{path}: model file version {found} is newer than this campaign-lens reads (up to {supported}); upgrade campaign-lens")]
    Version {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("{file}: no column named {column:?}, which the model needs ({why})")]
    MissingColumn {
        file: String,
        column: String,
        why: String,
    },
    #[error("{file}: column {column:?} is not numeric, but the model was fitted on numbers")]
    NotNumeric { file: String, column: String },
    #[error("{file}: column {column:?} is not a date column (yyyy-mm-dd, dd-mm-yyyy, …)")]
    NotDate { file: String, column: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Mismatch(String),
}

/// 64-bit FNV-1a of bytes (the training file's fingerprint; stable across platforms and versions).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv_matches_the_published_test_vectors() {
        // from the FNV reference page (isthe.com/chongo/tech/comp/fnv): "" and "a"
        assert_eq!(super::fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(super::fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
