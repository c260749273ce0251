//! What the clustering modules share (segment, kmeans, elbow, pca): the error, the input check, the
//! squared distance and one point of the sweep. It imports none of them, so they form no loop.

use ndarray::{Array2, ArrayView1};
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum SegmentError {
    #[error("no features chosen: pick at least one numeric column")]
    NoFeatures,
    #[error("no rows to cluster")]
    NoRows,
    #[error("feature {0} has zero variance (every row has the same value): leave it out")]
    ZeroVariance(usize),
    #[error("the data contain a missing or infinite value (row {row}, feature {col})")]
    NotFinite { row: usize, col: usize },
    #[error("k = {k} is more than the {rows} rows available")]
    TooManyClusters { k: usize, rows: usize },
    #[error("the k range must satisfy 1 ≤ k-min ≤ k-max (got {min}..{max})")]
    BadRange { min: usize, max: usize },
    #[error("k-means failed: {0}")]
    Fit(String),
    #[error("cancelled")]
    Cancelled,
}

/// linfa's `Fit` trait asks that the error can hold linfa's own.
impl From<linfa::Error> for SegmentError {
    fn from(e: linfa::Error) -> Self {
        SegmentError::Fit(e.to_string())
    }
}

pub(crate) fn check(x: &Array2<f64>) -> Result<(), SegmentError> {
    if x.ncols() == 0 {
        return Err(SegmentError::NoFeatures);
    }
    if x.nrows() == 0 {
        return Err(SegmentError::NoRows);
    }
    if let Some(((row, col), _)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(SegmentError::NotFinite { row, col });
    }
    Ok(())
}

pub(crate) fn sq_dist(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| (x - y).powi(2)).sum()
}

/// One k of the sweep.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SweepPoint {
    pub k: usize,
    /// Sum of squared distances to the nearest centroid (scikit-learn's `inertia_`).
    pub inertia: f64,
    /// Mean silhouette on the sample (None for k = 1).
    pub silhouette: Option<f64>,
    pub sizes: Vec<usize>,
    /// The fitted centres (so choosing this k later needs no new fit).
    #[serde(skip)]
    pub centroids: Option<Array2<f64>>,
}
