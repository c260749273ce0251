//! Customer segments: z-scoring, a k-means sweep with scikit-learn's conventions (inertia is the SUM of
//! squared distances; best of several k-means++ starts), silhouette on a seeded sample, the elbow by the
//! Kneedle chord rule, the chosen model, and a 2-D PCA view.
//!
//! linfa's own `inertia()` is a mean and its `cluster_count()` comes from the last run rather than the
//! best, so both are recomputed here from predictions.

use std::sync::atomic::AtomicBool;

use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde::Serialize;

pub(crate) use crate::analysis::segments::cluster::check;
pub use crate::analysis::segments::cluster::{SegmentError, SweepPoint};
pub use crate::analysis::segments::elbow::{
    elbow, sample_rows, silhouette, ElbowVerdict, CLEAR_ELBOW,
};
pub use crate::analysis::segments::kmeans::{
    assign, greedy_kmeanspp, lloyd, mean_variance, KMeansFit, Lloyd,
};
pub use crate::analysis::segments::pca::{pca2, Pca2};

/// A z-scored matrix with the statistics used.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaled {
    pub x: Array2<f64>,
    pub means: Vec<f64>,
    /// Population standard deviations.
    pub sds: Vec<f64>,
}

/// Z-score every column with the population standard deviation (scikit-learn's StandardScaler).
pub fn zscore(x: &Array2<f64>) -> Result<Scaled, SegmentError> {
    let mut out = x.clone();
    let (means, sds) = zscore_in_place(&mut out)?;
    Ok(Scaled { x: out, means, sds })
}

/// `zscore` without a copy: the matrix is scaled where it is; returns the means and sds used.
pub fn zscore_in_place(x: &mut Array2<f64>) -> Result<(Vec<f64>, Vec<f64>), SegmentError> {
    check(x)?;
    let n = x.nrows() as f64;
    let mut means = Vec::with_capacity(x.ncols());
    let mut sds = Vec::with_capacity(x.ncols());
    for (j, col) in x.axis_iter(Axis(1)).enumerate() {
        let m = col.sum() / n;
        let sd = (col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt();
        if sd <= 1e-12 * m.abs().max(1.0) {
            return Err(SegmentError::ZeroVariance(j));
        }
        means.push(m);
        sds.push(sd);
    }
    for mut row in x.rows_mut() {
        for ((v, m), s) in row.iter_mut().zip(&means).zip(&sds) {
            *v = (*v - m) / s;
        }
    }
    Ok((means, sds))
}

/// Rows the k-means++ starts run on when the table is larger (see `SweepParams::start_sample`).
pub const START_SAMPLE: usize = 20_000;

/// Distinct sample solutions scored on every row before the best is refined.
const CANDIDATES: usize = 4;

/// Sweep settings.
#[derive(Debug, Clone, Serialize)]
pub struct SweepParams {
    pub k_min: usize,
    pub k_max: usize,
    pub seed: u64,
    /// k-means++ starts per k (scikit-learn's n_init).
    pub n_init: usize,
    pub max_iter: u64,
    pub tol: f64,
    /// Rows sampled for the silhouette (exact silhouette is O(n²)).
    pub silhouette_sample: usize,
    /// On more rows than this, the `n_init` starts run on a seeded sample of this many rows and the best
    /// is then refined by Lloyd's algorithm on every row.
    pub start_sample: usize,
}

impl Default for SweepParams {
    fn default() -> Self {
        Self {
            k_min: 2,
            k_max: 10,
            seed: 42,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            silhouette_sample: 3000,
            start_sample: START_SAMPLE,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sweep {
    pub points: Vec<SweepPoint>,
    pub verdict: ElbowVerdict,
}

/// A fitted k-means model; clusters are numbered by size, largest first.
#[derive(Debug, Clone, PartialEq)]
pub struct KModel {
    pub k: usize,
    pub labels: Vec<usize>,
    pub centroids: Array2<f64>,
    pub inertia: f64,
    pub sizes: Vec<usize>,
}

/// Progress of a sweep: share done and the k being fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepProgress {
    pub fraction: f32,
    pub k: usize,
}

/// Where the starts run: every row, or a seeded sample of them.
struct Starts {
    rows: Option<Array2<f64>>,
    tol_sub: f64,
    tol_full: f64,
}

impl Starts {
    fn new(x: &Array2<f64>, params: &SweepParams) -> Self {
        let tol_full = params.tol * mean_variance(x.view());
        if x.nrows() <= params.start_sample.max(1) {
            return Self {
                rows: None,
                tol_sub: tol_full,
                tol_full,
            };
        }
        let pick = sample_rows(x.nrows(), params.start_sample, params.seed ^ 0x5eed);
        let sub = x.select(Axis(0), &pick);
        Self {
            tol_sub: params.tol * mean_variance(sub.view()),
            rows: Some(sub),
            tol_full,
        }
    }
}

/// The best of `n_init` greedy k-means++ starts (run in parallel, on the sample when there is one),
/// refined on every row.
fn best_of(
    x: &Array2<f64>,
    starts: &Starts,
    k: usize,
    params: &SweepParams,
    cancel: &AtomicBool,
) -> Result<KMeansFit, SegmentError> {
    let sub = starts.rows.as_ref().unwrap_or(x);
    let fits: Vec<Result<KMeansFit, SegmentError>> = (0..params.n_init.max(1))
        .into_par_iter()
        .map(|run| {
            let seed = params
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add((k * 1000 + run) as u64);
            let init = greedy_kmeanspp(sub.view(), k, seed);
            lloyd(
                sub.view(),
                init,
                params.max_iter as usize,
                starts.tol_sub,
                cancel,
            )
        })
        .collect();
    let mut fits = fits.into_iter().collect::<Result<Vec<_>, _>>()?;
    fits.sort_by(|a, b| a.inertia.total_cmp(&b.inertia));
    let Some(first) = fits.first() else {
        return Err(SegmentError::NoRows);
    };
    let mut best = first.clone();
    if starts.rows.is_some() {
        // Two local minima can trade places between the sample and the full table: the best few
        // distinct sample solutions are scored on every row (one assignment each) before refining.
        let mut distinct: Vec<&KMeansFit> = Vec::new();
        for f in &fits {
            let same = |d: &&KMeansFit| (d.inertia - f.inertia).abs() <= 1e-9 * f.inertia;
            if !distinct.iter().any(same) && distinct.len() < CANDIDATES {
                distinct.push(f);
            }
        }
        if distinct.len() > 1 {
            let mut scored = Vec::new();
            for d in distinct {
                if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    return Err(SegmentError::Cancelled);
                }
                scored.push((assign(x.view(), &d.centroids).1, d));
            }
            if let Some((_, d)) = scored.into_iter().min_by(|a, b| a.0.total_cmp(&b.0)) {
                best = d.clone();
            }
        }
    }
    match starts.rows {
        None => Ok(best),
        Some(_) => lloyd(
            x.view(),
            best.centroids,
            params.max_iter as usize,
            starts.tol_full,
            cancel,
        ),
    }
}

/// Start from the (k-1)-solution plus the point farthest from its centroid: Lloyd's steps never raise the
/// objective, so the result is at most the (k-1) inertia.
fn grow_from(
    x: &Array2<f64>,
    prev: &Array2<f64>,
    tol: f64,
    params: &SweepParams,
    cancel: &AtomicBool,
) -> Result<KMeansFit, SegmentError> {
    let (labels, _) = assign(x.view(), prev);
    let far = x
        .axis_iter(Axis(0))
        .zip(&labels)
        .map(|(r, &l)| crate::analysis::segments::cluster::sq_dist(r, prev.row(l)))
        .enumerate()
        .fold(
            (0, -1.0),
            |acc, (i, d)| if d > acc.1 { (i, d) } else { acc },
        )
        .0;
    let mut init = prev.clone();
    init.push_row(x.row(far))
        .map_err(|e| SegmentError::Fit(e.to_string()))?;
    lloyd(x.view(), init, params.max_iter as usize, tol, cancel)
}

fn sizes(labels: &[usize], k: usize) -> Vec<usize> {
    let mut s = vec![0; k];
    for &l in labels {
        s[l] += 1;
    }
    s
}

/// Fit k-means for every k in the range, reporting progress; cancel stops between iterations.
pub fn sweep(
    x: &Array2<f64>,
    params: &SweepParams,
    progress: &dyn Fn(SweepProgress),
    cancel: &AtomicBool,
) -> Result<Sweep, SegmentError> {
    check(x)?;
    if params.k_min < 1 || params.k_min > params.k_max {
        return Err(SegmentError::BadRange {
            min: params.k_min,
            max: params.k_max,
        });
    }
    if params.k_max > x.nrows() {
        return Err(SegmentError::TooManyClusters {
            k: params.k_max,
            rows: x.nrows(),
        });
    }
    let ks: Vec<usize> = (params.k_min..=params.k_max).collect();
    let sample = sample_rows(x.nrows(), params.silhouette_sample, params.seed);
    let starts = Starts::new(x, params);
    let mut points: Vec<SweepPoint> = Vec::new();
    let mut prev: Option<(Array2<f64>, f64)> = None;
    for (i, &k) in ks.iter().enumerate() {
        progress(SweepProgress {
            fraction: i as f32 / ks.len() as f32,
            k,
        });
        let mut fit = best_of(x, &starts, k, params, cancel)?;
        if let Some((pc, pi)) = &prev {
            if fit.inertia > *pi {
                // a poor set of starts: retry from the previous solution grown by one centroid
                let grown = grow_from(x, pc, starts.tol_full, params, cancel)?;
                if grown.inertia < fit.inertia {
                    fit = grown;
                }
            }
        }
        let sil = silhouette(x, &fit.labels, &sample);
        points.push(SweepPoint {
            k,
            inertia: fit.inertia,
            silhouette: sil,
            sizes: sizes(&fit.labels, k),
            centroids: Some(fit.centroids.clone()),
        });
        prev = Some((fit.centroids, fit.inertia));
    }
    progress(SweepProgress {
        fraction: 1.0,
        k: params.k_max,
    });
    let verdict = elbow(&points);
    Ok(Sweep { points, verdict })
}

/// Fit the chosen k on all rows (best of `n_init` starts); clusters renumbered by size, largest first.
pub fn fit_k(x: &Array2<f64>, k: usize, seed: u64, n_init: usize) -> Result<KModel, SegmentError> {
    check(x)?;
    if k == 0 {
        return Err(SegmentError::BadRange { min: 0, max: 0 });
    }
    if k > x.nrows() {
        return Err(SegmentError::TooManyClusters { k, rows: x.nrows() });
    }
    let params = SweepParams {
        seed,
        n_init,
        ..Default::default()
    };
    let starts = Starts::new(x, &params);
    let fit = best_of(x, &starts, k, &params, &AtomicBool::new(false))?;
    by_size(fit)
}

/// The model for centres a sweep already found: every row labelled, clusters renumbered by size.
pub fn model_from(x: &Array2<f64>, centroids: &Array2<f64>) -> Result<KModel, SegmentError> {
    check(x)?;
    let (labels, inertia) = assign(x.view(), centroids);
    by_size(KMeansFit {
        centroids: centroids.clone(),
        labels,
        inertia,
        n_iter: 0,
    })
}

fn by_size(fit: KMeansFit) -> Result<KModel, SegmentError> {
    let k = fit.centroids.nrows();
    let raw = sizes(&fit.labels, k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| raw[b].cmp(&raw[a]).then(a.cmp(&b)));
    let mut rank = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    let labels: Vec<usize> = fit.labels.iter().map(|&l| rank[l]).collect();
    let centroids = fit.centroids.select(Axis(0), &order);
    Ok(KModel {
        k,
        sizes: sizes(&labels, k),
        labels,
        centroids,
        inertia: fit.inertia,
    })
}
