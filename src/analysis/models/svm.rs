//! A support vector machine with an RBF kernel (linfa-svm's SMO solver, C = 1, scikit-learn's
//! `gamma="scale"` = 1 / (p · Var(X)) on the z-scored features) and Platt-scaled probabilities.
//!
//! The kernel matrix is dense (n² doubles), so the SVM is fitted on a stratified sample of at most
//! `FIT_ROWS` training rows and Platt's sigmoid on up to `PLATT_ROWS` other training rows (on small tables
//! the training rows are split 80/20 between the two), so the probabilities are fitted on rows the SVM
//! did not see. The model table says how many rows each step used. Scoring is ours: the decision value
//! Σ αᵢ·exp(−γ‖x − svᵢ‖²) − ρ over the support vectors read back from linfa's solution.

use linfa::prelude::*;
use linfa_svm::Svm;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rayon::prelude::*;
use thiserror::Error;

use crate::analysis::models::calibrate::Platt;
use crate::analysis::models::split::{stratified_sample, Scaler};

#[derive(Debug, Error, PartialEq)]
pub enum SvmError {
    #[error("too few training rows for the SVM: {0}")]
    TooFewRows(usize),
    #[error("the SVM's sample has only one class")]
    OneClass,
    #[error("linfa-svm: {0}")]
    Linfa(String),
}

/// Rows the SVM is fitted on, at most.
pub const FIT_ROWS: usize = 2_500;
/// Rows Platt's sigmoid is fitted on, at most.
pub const PLATT_ROWS: usize = 2_500;

#[derive(Debug, Clone, PartialEq)]
pub struct SvmFit {
    pub scaler: Scaler,
    /// Support vectors, z-scored.
    pub support: Array2<f64>,
    /// αᵢ·yᵢ of each support vector.
    pub coef: Vec<f64>,
    pub rho: f64,
    pub gamma: f64,
    pub platt: Platt,
    pub fit_rows: usize,
    pub platt_rows: usize,
}

impl SvmFit {
    /// Fit on `rows` of `x` (unscaled; `is_dummy` columns are not scaled) with labels `y`.
    pub fn fit(
        x: &Array2<f64>,
        is_dummy: &[bool],
        y: &[bool],
        rows: &[usize],
        seed: u64,
    ) -> Result<SvmFit, SvmError> {
        if rows.len() < 20 {
            return Err(SvmError::TooFewRows(rows.len()));
        }
        let fit_n = FIT_ROWS.min((rows.len() as f64 * 0.8) as usize);
        let (fit_rows, rest) = stratified_sample(rows, y, fit_n, seed);
        let (platt_rows, _) = stratified_sample(&rest, y, PLATT_ROWS, seed + 1);
        let yf: Vec<bool> = fit_rows.iter().map(|&r| y[r]).collect();
        if yf.iter().all(|&t| t) || yf.iter().all(|&t| !t) || platt_rows.is_empty() {
            return Err(SvmError::OneClass);
        }
        let scaler = Scaler::fit(x, &fit_rows, is_dummy);
        let xs = scaler.transform(x, &fit_rows);
        let p = xs.ncols() as f64;
        let mean = xs.mean().unwrap_or(0.0);
        let var = xs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        let gamma = if var > 0.0 { 1.0 / (p * var) } else { 1.0 };
        let data = DatasetBase::new(xs.clone(), Array1::from(yf));
        let svm: Svm<f64, bool> = Svm::<f64, bool>::params()
            .pos_neg_weights(1.0, 1.0)
            // libsvm's and scikit-learn's stopping tolerance (linfa's default 1e-7 runs far longer)
            .eps(1e-3)
            .gaussian_kernel(1.0 / gamma)
            .fit(&data)
            .map_err(|e| SvmError::Linfa(e.to_string()))?;
        let keep: Vec<usize> = (0..svm.alpha.len())
            .filter(|&i| svm.alpha[i].abs() > 100.0 * f64::EPSILON)
            .collect();
        let mut fit = SvmFit {
            scaler,
            support: xs.select(Axis(0), &keep),
            coef: keep.iter().map(|&i| svm.alpha[i]).collect(),
            rho: svm.rho,
            gamma,
            platt: Platt { a: 1.0, b: 0.0 },
            fit_rows: fit_rows.len(),
            platt_rows: platt_rows.len(),
        };
        let dv = fit.decision(&x.select(Axis(0), &platt_rows));
        let yp: Vec<bool> = platt_rows.iter().map(|&r| y[r]).collect();
        fit.platt = Platt::fit(&dv, &yp);
        Ok(fit)
    }

    /// Decision values Σ αᵢ K(x, svᵢ) − ρ of unscaled rows.
    pub fn decision(&self, x: &Array2<f64>) -> Vec<f64> {
        let xs = self.scaler.transform_all(x);
        let d2 = self.sq_distances(xs.view());
        self.decision_from(&d2)
    }

    /// ‖x − svᵢ‖² for every (row, support vector), from a matrix product.
    pub fn sq_distances(&self, xs: ArrayView2<f64>) -> Array2<f64> {
        let cross = xs.dot(&self.support.t());
        let xn: Vec<f64> = xs.rows().into_iter().map(|r| r.dot(&r)).collect();
        let sn: Vec<f64> = self.support.rows().into_iter().map(|r| r.dot(&r)).collect();
        let mut d = cross;
        d.axis_iter_mut(Axis(0))
            .into_par_iter()
            .zip(xn.par_iter())
            .for_each(|(mut row, &a)| {
                for (v, &b) in row.iter_mut().zip(&sn) {
                    *v = (a + b - 2.0 * *v).max(0.0);
                }
            });
        d
    }

    /// Decision values from squared distances to the support vectors.
    pub fn decision_from(&self, d2: &Array2<f64>) -> Vec<f64> {
        d2.axis_iter(Axis(0))
            .into_par_iter()
            .map(|row| {
                row.iter()
                    .zip(&self.coef)
                    .map(|(&d, &c)| c * (-self.gamma * d).exp())
                    .sum::<f64>()
                    - self.rho
            })
            .collect()
    }

    /// Platt-scaled positive-class probabilities of unscaled rows.
    pub fn probabilities(&self, x: &Array2<f64>) -> Vec<f64> {
        self.decision(x)
            .into_iter()
            .map(|d| self.platt.apply(d))
            .collect()
    }

    /// Probabilities of `x` with column `j` replaced by `column`, from the squared distances of the
    /// unchanged rows (`d2` from `sq_distances` on the scaled rows): one pass over the support vectors,
    /// for permutation importance.
    pub fn probabilities_with_column(
        &self,
        xs_base: ArrayView2<f64>,
        d2: &Array2<f64>,
        j: usize,
        column: &[f64],
    ) -> Vec<f64> {
        let (m, s) = (self.scaler.mean[j], self.scaler.sd[j]);
        let sv = self.support.column(j);
        (0..xs_base.nrows())
            .into_par_iter()
            .map(|i| {
                let old = xs_base[[i, j]];
                let new = (column[i] - m) / s;
                let dv = d2
                    .row(i)
                    .iter()
                    .zip(sv.iter())
                    .zip(&self.coef)
                    .map(|((&d, &v), &c)| {
                        let d = (d - (old - v).powi(2) + (new - v).powi(2)).max(0.0);
                        c * (-self.gamma * d).exp()
                    })
                    .sum::<f64>()
                    - self.rho;
                self.platt.apply(dv)
            })
            .collect()
    }
}
