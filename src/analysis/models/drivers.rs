//! Drivers of any model of the lineup: permutation importance (`importance.rs`) on a row sample sized to
//! the model's cost, with rescoring shortcuts: a tree ensemble walks again only the (row, tree) paths that
//! test the shuffled column, the SVM updates cached squared distances to its support vectors.

use std::sync::OnceLock;

use ndarray::Array2;

use crate::analysis::models::flat::PathCache;
use crate::analysis::models::importance::{drivers_of, Driver, ImportanceError, MAX_ROWS, REPEATS};
use crate::analysis::models::predict::{Model, PredictError};

/// Tree-node visits (or kernel terms) the drivers of one model may cost: sizes their row sample.
const DRIVER_BUDGET: f64 = 4e8;

/// Drivers of `model` on the test rows `xt`, largest first, and how many rows they were measured on.
pub fn model_drivers(
    model: &Model,
    xt: &Array2<f64>,
    yt: &[bool],
    names: &[String],
) -> Result<(Vec<Driver>, usize), PredictError> {
    let max_rows =
        (DRIVER_BUDGET / (xt.ncols().max(1) * REPEATS) as f64 / model.cost_per_row().max(1.0))
            .clamp(500.0, MAX_ROWS as f64) as usize;
    let d = drivers_for(model, xt, yt, names, max_rows)?;
    Ok((d, max_rows.min(xt.nrows())))
}

/// Permutation drivers; the SVM rescoring from cached distances (one kernel pass per shuffle).
fn drivers_for(
    model: &Model,
    xt: &Array2<f64>,
    yt: &[bool],
    names: &[String],
    max_rows: usize,
) -> Result<Vec<Driver>, PredictError> {
    let fail = |e: ImportanceError| PredictError::Fit(e.to_string());
    if let Model::Svm { fit } = model {
        let cache: OnceLock<(Array2<f64>, Array2<f64>)> = OnceLock::new();
        let base = |x: &Array2<f64>| {
            let xs = fit.scaler.transform_all(x);
            let d2 = fit.sq_distances(xs.view());
            let p = fit
                .decision_from(&d2)
                .into_iter()
                .map(|d| fit.platt.apply(d))
                .collect();
            let _ = cache.set((xs, d2));
            p
        };
        let rescore = |work: &Array2<f64>, j: usize, col: &[f64]| match cache.get() {
            Some((xs, d2)) => fit.probabilities_with_column(xs.view(), d2, j, col),
            None => model.score(work),
        };
        return drivers_of(xt, yt, names, max_rows, 42, &base, &rescore).map_err(fail);
    }
    // tree ensembles: only the (row, tree) paths that test the shuffled column are walked again
    let ensemble = match model {
        Model::Boosting { fit } => Some((&fit.trees, fit.baseline, 1.0, true)),
        Model::Forest { fit } => {
            Some((&fit.trees, 0.0, 1.0 / fit.trees.len().max(1) as f64, false))
        }
        _ => None,
    };
    if let Some((trees, offset, scale, logit)) = ensemble {
        let link = move |s: f64| {
            let z = offset + scale * s;
            if logit {
                1.0 / (1.0 + (-z).exp())
            } else {
                z
            }
        };
        let cache: OnceLock<PathCache> = OnceLock::new();
        let base = |x: &Array2<f64>| {
            let c = PathCache::new(trees, x.view());
            let p = c.sums().into_iter().map(link).collect();
            let _ = cache.set(c);
            p
        };
        let rescore = |work: &Array2<f64>, j: usize, _: &[f64]| match cache.get() {
            Some(c) => c
                .sum_with_column(trees, work.view(), j)
                .into_iter()
                .map(link)
                .collect(),
            None => model.score(work),
        };
        return drivers_of(xt, yt, names, max_rows, 42, &base, &rescore).map_err(fail);
    }
    drivers_of(
        xt,
        yt,
        names,
        max_rows,
        42,
        &|x| model.score(x),
        &|w, _, _| model.score(w),
    )
    .map_err(fail)
}
