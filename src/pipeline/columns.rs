//! What the pipelines share: their error, the columns they add to the frame, and which columns are
//! candidates for clustering (kept below `segments` and `personas`, which both use them).

use thiserror::Error;

use crate::data::matrix::MatrixError;
use crate::data::profile::Flag;
use crate::data::Workspace;

#[derive(Debug, Error, PartialEq)]
pub enum PipelineError {
    #[error("{0}")]
    Matrix(#[from] MatrixError),
    #[error("{0}")]
    Segment(String),
    #[error("{0}")]
    Persona(String),
    #[error("cancelled")]
    Cancelled,
}

/// Columns campaign-lens adds to the frame.
pub const CLUSTER_COL: &str = "cluster";
pub const PERSONA_COL: &str = "persona";
pub const NEXT_BEST_COL: &str = "next_best_category";

pub(crate) fn is_analysis_column(name: &str) -> bool {
    [CLUSTER_COL, PERSONA_COL, NEXT_BEST_COL].contains(&name) || name.starts_with("score_")
}

/// Numeric columns worth clustering on: not IDs, constants, binaries, dates or our own outputs.
pub fn candidate_features(ws: &Workspace) -> Vec<String> {
    ws.profiles
        .iter()
        .filter(|p| p.is_model_numeric() && !p.has(Flag::Binary) && !is_analysis_column(&p.name))
        .map(|p| p.name.clone())
        .collect()
}
