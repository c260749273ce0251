//! Customer segments: z-scoring, a k-means sweep with scikit-learn's conventions (inertia is the SUM of
//! squared distances; best of several k-means++ starts), silhouette on a seeded sample, the elbow by the
//! Kneedle chord rule, the chosen model, and a 2-D PCA view.
//!
//! linfa's own `inertia()` is a mean and its `cluster_count()` comes from the last run rather than the
//! best, so both are recomputed here from predictions.

use std::sync::atomic::{AtomicBool, Ordering};

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, ArrayView1, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;
use thiserror::Error;

pub use super::elbow::{elbow, sample_rows, silhouette, ElbowVerdict, CLEAR_ELBOW};
pub use super::pca::{pca2, Pca2};

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
    check(x)?;
    let n = x.nrows() as f64;
    let mut out = x.clone();
    let mut means = Vec::with_capacity(x.ncols());
    let mut sds = Vec::with_capacity(x.ncols());
    for (j, mut col) in out.axis_iter_mut(Axis(1)).enumerate() {
        let m = col.sum() / n;
        let sd = (col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt();
        if sd <= 1e-12 * m.abs().max(1.0) {
            return Err(SegmentError::ZeroVariance(j));
        }
        col.mapv_inplace(|v| (v - m) / sd);
        means.push(m);
        sds.push(sd);
    }
    Ok(Scaled { x: out, means, sds })
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
        }
    }
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

pub(crate) fn sq_dist(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| (x - y).powi(2)).sum()
}

/// Nearest-centroid labels and the sum of squared distances.
pub fn assign(x: &Array2<f64>, centroids: &Array2<f64>) -> (Vec<usize>, f64) {
    let mut total = 0.0;
    let labels = x
        .axis_iter(Axis(0))
        .map(|row| {
            let (best, d) = centroids
                .axis_iter(Axis(0))
                .enumerate()
                .map(|(c, cen)| (c, sq_dist(row, cen)))
                .fold(
                    (0, f64::INFINITY),
                    |acc, cur| if cur.1 < acc.1 { cur } else { acc },
                );
            total += d;
            best
        })
        .collect();
    (labels, total)
}

/// scikit-learn's greedy k-means++ start: each new centre is the best of 2 + ln k candidates drawn with
/// probability proportional to the squared distance to the nearest centre so far. (linfa's k-means++ draws a
/// single candidate, which left inertia 2 % above scikit-learn's on our test data.)
pub fn greedy_kmeanspp(x: &Array2<f64>, k: usize, seed: u64) -> Array2<f64> {
    use rand::Rng;
    let n = x.nrows();
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centres = Array2::zeros((k, x.ncols()));
    let first = rng.gen_range(0..n);
    centres.row_mut(0).assign(&x.row(first));
    let mut closest: Vec<f64> = x
        .axis_iter(Axis(0))
        .map(|r| sq_dist(r, x.row(first)))
        .collect();
    let mut potential: f64 = closest.iter().sum();
    for c in 1..k {
        let mut best: Option<(usize, f64, Vec<f64>)> = None;
        for _ in 0..trials {
            let cand = if potential > 0.0 {
                let target = rng.gen::<f64>() * potential;
                let mut acc = 0.0;
                closest
                    .iter()
                    .position(|d| {
                        acc += d;
                        acc > target
                    })
                    .unwrap_or(n - 1)
            } else {
                rng.gen_range(0..n)
            };
            let dists: Vec<f64> = x
                .axis_iter(Axis(0))
                .zip(&closest)
                .map(|(r, &d)| sq_dist(r, x.row(cand)).min(d))
                .collect();
            let pot: f64 = dists.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.1) {
                best = Some((cand, pot, dists));
            }
        }
        if let Some((cand, pot, dists)) = best {
            centres.row_mut(c).assign(&x.row(cand));
            closest = dists;
            potential = pot;
        }
    }
    centres
}

/// scikit-learn stops when the squared shift of the centres is below `tol` × the mean feature variance;
/// linfa compares the (unsquared) norm of the shift with its tolerance, so convert.
fn linfa_tolerance(x: &Array2<f64>, tol: f64) -> f64 {
    let n = x.nrows().max(1) as f64;
    let mean_var = x
        .axis_iter(Axis(1))
        .map(|c| {
            let m = c.sum() / n;
            c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n
        })
        .sum::<f64>()
        / x.ncols().max(1) as f64;
    (tol * mean_var).sqrt().max(f64::EPSILON)
}

/// One k-means run with the given start; returns (centroids, labels, inertia).
fn run_once(
    x: &Array2<f64>,
    k: usize,
    seed: u64,
    params: &SweepParams,
    init: KMeansInit<f64>,
) -> Result<(Array2<f64>, Vec<usize>, f64), SegmentError> {
    let data = DatasetBase::from(x.clone());
    let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(1)
        .max_n_iterations(params.max_iter)
        .tolerance(linfa_tolerance(x, params.tol))
        .init_method(init)
        .fit(&data)
        .map_err(|e| SegmentError::Fit(e.to_string()))?;
    let centroids = model.centroids().clone();
    let (labels, inertia) = assign(x, &centroids);
    Ok((centroids, labels, inertia))
}

fn best_of(
    x: &Array2<f64>,
    k: usize,
    starts: usize,
    params: &SweepParams,
    cancel: &AtomicBool,
    mut tick: impl FnMut(),
) -> Result<(Array2<f64>, Vec<usize>, f64), SegmentError> {
    let mut best: Option<(Array2<f64>, Vec<usize>, f64)> = None;
    for run in 0..starts.max(1) {
        if cancel.load(Ordering::Relaxed) {
            return Err(SegmentError::Cancelled);
        }
        let seed = params
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add((k * 1000 + run) as u64);
        let init = greedy_kmeanspp(x, k, seed);
        let fit = run_once(x, k, seed, params, KMeansInit::Precomputed(init))?;
        if best.as_ref().is_none_or(|b| fit.2 < b.2) {
            best = Some(fit);
        }
        tick();
    }
    best.ok_or(SegmentError::NoRows)
}

/// Start from the (k-1)-solution plus the point farthest from its centroid: Lloyd's steps never raise the
/// objective, so the result is at most the (k-1) inertia.
fn grow_from(
    x: &Array2<f64>,
    prev: &Array2<f64>,
    params: &SweepParams,
) -> Result<(Array2<f64>, Vec<usize>, f64), SegmentError> {
    let (labels, _) = assign(x, prev);
    let far = x
        .axis_iter(Axis(0))
        .zip(&labels)
        .map(|(r, &l)| sq_dist(r, prev.row(l)))
        .enumerate()
        .fold(
            (0, -1.0),
            |acc, (i, d)| if d > acc.1 { (i, d) } else { acc },
        )
        .0;
    let mut init = prev.clone();
    init.push_row(x.row(far))
        .map_err(|e| SegmentError::Fit(e.to_string()))?;
    run_once(
        x,
        prev.nrows() + 1,
        params.seed,
        params,
        KMeansInit::Precomputed(init),
    )
}

fn sizes(labels: &[usize], k: usize) -> Vec<usize> {
    let mut s = vec![0; k];
    for &l in labels {
        s[l] += 1;
    }
    s
}

/// Fit k-means for every k in the range, reporting progress; cancel stops between runs.
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
    let total = (ks.len() * params.n_init.max(1)) as f32;
    let sample = sample_rows(x.nrows(), params.silhouette_sample, params.seed);
    let mut done = 0usize;
    let mut points = Vec::new();
    let mut prev: Option<(Array2<f64>, f64)> = None;
    for &k in &ks {
        let (mut cen, mut labels, mut inertia) =
            best_of(x, k, params.n_init, params, cancel, || {
                done += 1;
                progress(SweepProgress {
                    fraction: done as f32 / total,
                    k,
                });
            })?;
        if let Some((pc, pi)) = &prev {
            if inertia > *pi {
                // a poor set of starts: retry from the previous solution grown by one centroid
                let (c2, l2, i2) = grow_from(x, pc, params)?;
                if i2 < inertia {
                    (cen, labels, inertia) = (c2, l2, i2);
                }
            }
        }
        let sil = silhouette(x, &labels, &sample);
        points.push(SweepPoint {
            k,
            inertia,
            silhouette: sil,
            sizes: sizes(&labels, k),
        });
        prev = Some((cen, inertia));
    }
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
    let (cen, labels, inertia) = best_of(x, k, n_init, &params, &AtomicBool::new(false), || {})?;
    let raw = sizes(&labels, k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| raw[b].cmp(&raw[a]).then(a.cmp(&b)));
    let mut rank = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    let labels: Vec<usize> = labels.iter().map(|&l| rank[l]).collect();
    let centroids = ndarray::stack(
        Axis(0),
        &order.iter().map(|&o| cen.row(o)).collect::<Vec<_>>(),
    )
    .map_err(|e| SegmentError::Fit(e.to_string()))?;
    Ok(KModel {
        k,
        sizes: sizes(&labels, k),
        labels,
        centroids,
        inertia,
    })
}
