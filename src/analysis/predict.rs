//! Response / churn models: a stratified split, z-scoring fitted on the training rows only, L2 logistic
//! regression (linfa-logistic) and a decision tree (linfa-trees) with leaf probabilities, optional
//! stratified k-fold CV, metrics from our own counts, and coefficients read in words.
//!
//! linfa-logistic 0.8.1 takes the MORE FREQUENT label as its positive class; we fit on booleans, read
//! `labels().pos` and flip probabilities and coefficients so "positive" is always the user's class. Its
//! objective is Σ log-loss + α/2·‖w‖², so α = 1 matches scikit-learn's default C = 1.

use std::collections::HashMap;

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use linfa_trees::{DecisionTree, TreeNode};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use serde::Serialize;
use thiserror::Error;

pub use super::evaluate::{
    coefficient_words, fit_and_evaluate, Coefficient, ModelReport, PredictReport,
};
use super::metrics::MetricError;
pub use super::split::{stratified_kfold, stratified_split, Scaler};

#[derive(Debug, Error, PartialEq)]
pub enum PredictError {
    #[error("no features to model")]
    NoFeatures,
    #[error("{0} rows but {1} labels")]
    Length(usize, usize),
    #[error("only {0} rows: at least 20 are needed")]
    TooFewRows(usize),
    #[error("the target has only one class ({0}): nothing to predict")]
    OneClass(&'static str),
    #[error("only {pos} positive rows for {folds}-fold cross-validation")]
    TooFewPositives { pos: usize, folds: usize },
    #[error("a feature value is missing or infinite (row {0})")]
    NotFinite(usize),
    #[error("test size must be between 0.05 and 0.5, got {0}")]
    TestSize(f64),
    #[error("model fit failed: {0}")]
    Fit(String),
    #[error("metric: {0}")]
    Metric(#[from] MetricError),
    #[error("cancelled")]
    Cancelled,
}

/// A modelling table: no missing values (imputed upstream), y = true for the user's positive class.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub x: Array2<f64>,
    pub y: Vec<bool>,
    pub names: Vec<String>,
    /// One-hot columns are not scaled (like scikit-learn's ColumnTransformer with OneHotEncoder).
    pub is_dummy: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum ModelChoice {
    Logistic,
    Tree,
    All,
}

#[derive(Debug, Clone, Serialize)]
pub struct PredictParams {
    pub models: ModelChoice,
    pub test_size: f64,
    pub seed: u64,
    pub cv_folds: Option<usize>,
    /// L2 strength in linfa's sense (1.0 = scikit-learn's C = 1).
    pub alpha: f64,
    pub max_iter: u64,
    pub max_depth: usize,
    pub min_leaf: usize,
}

impl Default for PredictParams {
    fn default() -> Self {
        Self {
            models: ModelChoice::All,
            test_size: 0.25,
            seed: 42,
            cv_folds: None,
            alpha: 1.0,
            max_iter: 300,
            max_depth: 6,
            min_leaf: 20,
        }
    }
}

/// A fitted model that scores rows of the (unscaled) design matrix.
#[derive(Debug, Clone)]
pub enum Model {
    Logistic {
        scaler: Scaler,
        /// Coefficients on the scaled features, for OUR positive class.
        coef: Vec<f64>,
        intercept: f64,
    },
    Tree {
        tree: Box<DecisionTree<f64, bool>>,
        /// Positive share of the training rows in each leaf (by leaf path id).
        leaves: HashMap<u64, f64>,
        base_rate: f64,
    },
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Leaf path id: 1, then ×2 (+1 for right) at each split.
fn leaf_id(row: ArrayView1<f64>, node: &TreeNode<f64, bool>) -> u64 {
    let mut node = node;
    let mut id = 1u64;
    while !node.is_leaf() {
        let (feature, value, _) = node.split();
        let go_right = row[feature] >= value;
        let children = node.children();
        match children[go_right as usize] {
            Some(child) => node = child,
            None => break,
        }
        id = id.wrapping_mul(2) + go_right as u64;
    }
    id
}

impl Model {
    /// Positive-class probabilities for every row of `x`.
    pub fn score(&self, x: &Array2<f64>) -> Vec<f64> {
        match self {
            Model::Logistic {
                scaler,
                coef,
                intercept,
            } => scaler
                .transform_all(x)
                .axis_iter(Axis(0))
                .map(|r| sigmoid(r.iter().zip(coef).map(|(a, b)| a * b).sum::<f64>() + intercept))
                .collect(),
            Model::Tree {
                tree,
                leaves,
                base_rate,
            } => x
                .axis_iter(Axis(0))
                .map(|r| {
                    *leaves
                        .get(&leaf_id(r, tree.root_node()))
                        .unwrap_or(base_rate)
                })
                .collect(),
        }
    }
}

/// Fit logistic regression on `rows`; returns the model and notes (retries, convergence).
pub fn fit_logistic(
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
) -> Result<(Model, Vec<String>), PredictError> {
    let scaler = Scaler::fit(&data.x, rows, &data.is_dummy);
    let xs = scaler.transform(&data.x, rows);
    let y: Array1<bool> = rows.iter().map(|&i| data.y[i]).collect();
    let mut notes = Vec::new();
    let mut alpha = params.alpha;
    let fitted: FittedLogisticRegression<f64, bool> = loop {
        let ds = linfa::Dataset::new(xs.clone(), y.clone());
        match LogisticRegression::default()
            .alpha(alpha)
            .max_iterations(params.max_iter)
            .fit(&ds)
        {
            Ok(m) => break m,
            Err(e) if alpha < params.alpha * 1000.0 => {
                notes.push(format!(
                    "fit failed with alpha = {alpha} ({e}); retried with alpha = {}",
                    alpha * 10.0
                ));
                alpha *= 10.0;
            }
            Err(e) => return Err(PredictError::Fit(e.to_string())),
        }
    };
    // linfa's positive class is the more frequent label: flip when that is not ours.
    let flip = !fitted.labels().pos.class;
    let sign = if flip { -1.0 } else { 1.0 };
    let coef: Vec<f64> = fitted.params().iter().map(|c| c * sign).collect();
    let intercept = fitted.intercept() * sign;
    // Convergence: the gradient of Σ log-loss + α/2‖w‖² should be ~0 at the optimum.
    let mut grad = vec![0.0; coef.len()];
    let mut g0 = 0.0;
    for (r, &t) in xs.axis_iter(Axis(0)).zip(y.iter()) {
        let p = sigmoid(r.iter().zip(&coef).map(|(a, b)| a * b).sum::<f64>() + intercept);
        let d = p - t as u8 as f64;
        g0 += d;
        for (g, v) in grad.iter_mut().zip(r.iter()) {
            *g += d * v;
        }
    }
    let norm = (grad
        .iter()
        .zip(&coef)
        .map(|(g, c)| (g + alpha * c).powi(2))
        .sum::<f64>()
        + g0 * g0)
        .sqrt();
    if norm / rows.len() as f64 > 1e-3 {
        notes.push(format!(
            "logistic regression stopped at the iteration cap ({}) before converging (gradient {:.1e} per row)",
            params.max_iter,
            norm / rows.len() as f64
        ));
    }
    Ok((
        Model::Logistic {
            scaler,
            coef,
            intercept,
        },
        notes,
    ))
}

/// Fit a decision tree on `rows` with leaf probabilities from the training rows.
pub fn fit_tree(
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
) -> Result<Model, PredictError> {
    let x = data.x.select(Axis(0), rows);
    let y: Array1<bool> = rows.iter().map(|&i| data.y[i]).collect();
    let ds = linfa::Dataset::new(x.clone(), y.clone());
    let tree = DecisionTree::params()
        .max_depth(Some(params.max_depth))
        .min_weight_leaf(params.min_leaf as f32)
        .fit(&ds)
        .map_err(|e| PredictError::Fit(e.to_string()))?;
    let mut counts: HashMap<u64, (usize, usize)> = HashMap::new();
    for (r, &t) in x.axis_iter(Axis(0)).zip(y.iter()) {
        let e = counts.entry(leaf_id(r, tree.root_node())).or_default();
        e.0 += t as usize;
        e.1 += 1;
    }
    let leaves = counts
        .into_iter()
        .map(|(k, (p, n))| (k, p as f64 / n as f64))
        .collect();
    let base_rate = y.iter().filter(|&&t| t).count() as f64 / y.len().max(1) as f64;
    Ok(Model::Tree {
        tree: Box::new(tree),
        leaves,
        base_rate,
    })
}
