//! What drives a model, comparably across models: permutation importance on the test rows (scikit-learn's
//! `permutation_importance` with `scoring="roc_auc"`): each feature's column is shuffled (seeded, 5
//! repeats) and the drop in ROC AUC is its importance. The direction is the sign of the correlation between
//! the feature and the model's score, read in words ("more Recency → less likely to respond").

use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;
use thiserror::Error;

use crate::analysis::models::metrics::{roc_auc, MetricError};

#[derive(Debug, Error, PartialEq)]
pub enum ImportanceError {
    #[error("{0} feature names for {1} columns")]
    Names(usize, usize),
    #[error("{0}")]
    Metric(#[from] MetricError),
}

/// Shuffles per feature (scikit-learn's default `n_repeats`).
pub const REPEATS: usize = 5;
/// Test rows looked at, at most (a seeded sample beyond that keeps a fit's drivers under a second).
pub const MAX_ROWS: usize = 20_000;

/// One feature's share in the model's ranking.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Driver {
    pub feature: String,
    /// Mean drop in ROC AUC when the feature is shuffled.
    pub importance: f64,
    /// "+" when higher values go with higher scores, "-" when lower, "" when flat.
    pub direction: String,
}

impl Driver {
    /// "more Recency → less likely to respond"; a one-hot level reads "contact=unknown → less likely …".
    pub fn words(&self, outcome: &str) -> String {
        let what = if self.feature.contains('=') {
            self.feature.clone()
        } else {
            format!("more {}", self.feature)
        };
        match self.direction.as_str() {
            "+" => format!("{what} → more likely {outcome}"),
            "-" => format!("{what} → less likely {outcome}"),
            _ => format!("{} matters, in no one direction", self.feature),
        }
    }
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// Scores of the rows with column `j` replaced by `column` (already written into the rows).
pub type Rescore<'a> = dyn Fn(&Array2<f64>, usize, &[f64]) -> Vec<f64> + Sync + 'a;

/// Permutation importance of every column of `x` (test rows, unscaled) for `score`, largest first, on
/// at most `MAX_ROWS` rows.
pub fn permutation_importance(
    x: &Array2<f64>,
    y: &[bool],
    names: &[String],
    score: &(dyn Fn(&Array2<f64>) -> Vec<f64> + Sync),
    seed: u64,
) -> Result<Vec<Driver>, ImportanceError> {
    drivers_of(x, y, names, MAX_ROWS, seed, score, &|work, _, _| {
        score(work)
    })
}

/// Permutation importance on at most `max_rows` seeded rows of `x`: `base` scores the rows as they
/// are, `rescore(work, j, column)` scores them with column `j` replaced by `column` (already written
/// into `work`), so a model can rescore from cached work on the unchanged columns.
pub fn drivers_of(
    x: &Array2<f64>,
    y: &[bool],
    names: &[String],
    max_rows: usize,
    seed: u64,
    base: &dyn Fn(&Array2<f64>) -> Vec<f64>,
    rescore: &Rescore,
) -> Result<Vec<Driver>, ImportanceError> {
    if names.len() != x.ncols() {
        return Err(ImportanceError::Names(names.len(), x.ncols()));
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let (x, y): (Array2<f64>, Vec<bool>) = if x.nrows() > max_rows {
        let mut rows: Vec<usize> = (0..x.nrows()).collect();
        rows.shuffle(&mut rng);
        rows.truncate(max_rows);
        rows.sort_unstable();
        (
            x.select(Axis(0), &rows),
            rows.iter().map(|&i| y[i]).collect(),
        )
    } else {
        (x.clone(), y.to_vec())
    };
    let base_scores = base(&x);
    let base_auc = roc_auc(&y, &base_scores)?;
    let mut out = Vec::with_capacity(names.len());
    let mut work = x.clone();
    for (j, name) in names.iter().enumerate() {
        let original: Vec<f64> = x.column(j).to_vec();
        let mut drop = 0.0;
        for _ in 0..REPEATS {
            let mut shuffled = original.clone();
            shuffled.shuffle(&mut rng);
            work.column_mut(j)
                .iter_mut()
                .zip(&shuffled)
                .for_each(|(d, v)| *d = *v);
            drop += base_auc - roc_auc(&y, &rescore(&work, j, &shuffled))?;
        }
        work.column_mut(j)
            .iter_mut()
            .zip(&original)
            .for_each(|(d, v)| *d = *v);
        let r = correlation(&original, &base_scores);
        out.push(Driver {
            feature: name.clone(),
            importance: drop / REPEATS as f64,
            direction: if r > 0.01 {
                "+".into()
            } else if r < -0.01 {
                "-".into()
            } else {
                String::new()
            },
        });
    }
    out.sort_by(|a, b| b.importance.total_cmp(&a.importance));
    Ok(out)
}
