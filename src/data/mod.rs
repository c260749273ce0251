//! Data layer: loading, tidying, profiling, derived features, breakdowns and the frame → matrix bridge.
//! Polars in, plain Rust out.

pub mod breakdown;
pub mod dates;
pub mod encoding;
pub mod excel;
pub mod experiment;
pub mod features;
pub mod load;
pub mod matrix;
pub mod orders;
pub mod parallel;
pub mod profile;
pub mod shape;
pub mod source;
pub mod summary;
pub mod text;
pub mod tidy;
pub mod workspace;

pub use load::{LoadError, LoadOptions};
pub use workspace::Workspace;
