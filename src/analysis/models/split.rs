//! Stratified train/test splits and k-fold, and the z-scoring fitted on training rows only.

use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use thiserror::Error;

/// A split that cannot be drawn.
#[derive(Debug, Error, PartialEq)]
pub enum SplitError {
    #[error("test size must be between 0.05 and 0.5, got {0}")]
    TestSize(f64),
    #[error("only {pos} positive rows for {folds}-fold cross-validation")]
    TooFewPositives { pos: usize, folds: usize },
}

/// All row numbers in one seeded random order. Both classes are drawn from it, so which value counts as
/// positive does not change the split.
fn shuffled_rows(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    order
}

/// Seeded stratified split: (train rows, test rows); each class contributes round(n_c × test_size) rows.
pub fn stratified_split(
    y: &[bool],
    test_size: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>), SplitError> {
    if !(0.05..=0.5).contains(&test_size) {
        return Err(SplitError::TestSize(test_size));
    }
    let order = shuffled_rows(y.len(), seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in [true, false] {
        let idx: Vec<usize> = order.iter().copied().filter(|&i| y[i] == class).collect();
        let n_test = (idx.len() as f64 * test_size).round() as usize;
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok((train, test))
}

/// Seeded stratified k-fold: the test rows of each fold.
pub fn stratified_kfold(y: &[bool], k: usize, seed: u64) -> Result<Vec<Vec<usize>>, SplitError> {
    let pos = y.iter().filter(|&&t| t).count();
    if k < 2 || pos < k || y.len() - pos < k {
        return Err(SplitError::TooFewPositives { pos, folds: k });
    }
    let order = shuffled_rows(y.len(), seed);
    let mut folds = vec![Vec::new(); k];
    for class in [true, false] {
        let idx = order.iter().copied().filter(|&i| y[i] == class);
        for (n, i) in idx.enumerate() {
            folds[n % k].push(i);
        }
    }
    folds.iter_mut().for_each(|f| f.sort_unstable());
    Ok(folds)
}

/// A seeded stratified sample of `k` of `rows` (each class in its share) and the rows left over; all of
/// them when there are no more than `k`.
pub fn stratified_sample(
    rows: &[usize],
    y: &[bool],
    k: usize,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    if k >= rows.len() {
        return (rows.to_vec(), Vec::new());
    }
    let mut order = rows.to_vec();
    order.shuffle(&mut Xoshiro256Plus::seed_from_u64(seed));
    let share = k as f64 / rows.len() as f64;
    let (mut taken, mut rest) = (Vec::new(), Vec::new());
    for class in [true, false] {
        let members: Vec<usize> = order.iter().copied().filter(|&r| y[r] == class).collect();
        let take = (members.len() as f64 * share).round() as usize;
        taken.extend_from_slice(&members[..take]);
        rest.extend_from_slice(&members[take..]);
    }
    taken.sort_unstable();
    rest.sort_unstable();
    (taken, rest)
}

/// Column means and population sds from the training rows (dummies and constant columns keep 0 / 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
}

impl Scaler {
    pub fn fit(x: &Array2<f64>, rows: &[usize], is_dummy: &[bool]) -> Self {
        let n = rows.len().max(1) as f64;
        let p = x.ncols();
        // row by row (the matrix is row-major), blocks of rows in parallel, added in block order
        let sums = |f: &(dyn Fn(usize, f64) -> f64 + Sync)| -> Vec<f64> {
            let parts: Vec<Vec<f64>> = rows
                .par_chunks(8192)
                .map(|chunk| {
                    let mut acc = vec![0.0; p];
                    for &i in chunk {
                        for (j, (a, v)) in acc.iter_mut().zip(x.row(i)).enumerate() {
                            *a += f(j, *v);
                        }
                    }
                    acc
                })
                .collect();
            parts.iter().fold(vec![0.0; p], |mut t, part| {
                t.iter_mut().zip(part).for_each(|(a, b)| *a += b);
                t
            })
        };
        let mean: Vec<f64> = sums(&|_, v| v).iter().map(|s| s / n).collect();
        let var: Vec<f64> = sums(&|j, v| (v - mean[j]).powi(2))
            .iter()
            .map(|s| s / n)
            .collect();
        let (mut m_out, mut sd_out) = (Vec::with_capacity(p), Vec::with_capacity(p));
        for j in 0..p {
            if is_dummy.get(j).copied().unwrap_or(false) {
                m_out.push(0.0);
                sd_out.push(1.0);
            } else {
                m_out.push(mean[j]);
                sd_out.push(if var[j] > 1e-24 { var[j].sqrt() } else { 1.0 });
            }
        }
        Self {
            mean: m_out,
            sd: sd_out,
        }
    }
    pub fn transform(&self, x: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
        Array2::from_shape_fn((rows.len(), x.ncols()), |(r, j)| {
            (x[[rows[r], j]] - self.mean[j]) / self.sd[j]
        })
    }
    pub fn transform_all(&self, x: &Array2<f64>) -> Array2<f64> {
        Array2::from_shape_fn(x.dim(), |(i, j)| (x[[i, j]] - self.mean[j]) / self.sd[j])
    }
}
