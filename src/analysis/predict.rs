//! Response / churn models: a stratified split, z-scoring fitted on the training rows only, L2 logistic
//! regression (linfa-logistic) and a decision tree (linfa-trees) with leaf probabilities, optional
//! stratified k-fold CV, metrics from our own counts, and coefficients read in words.
//!
//! linfa-logistic 0.8.1 takes the MORE FREQUENT label as its positive class; we fit on booleans, read
//! `labels().pos` and flip probabilities and coefficients so "positive" is always the user's class. Its
//! objective is Σ log-loss + α/2·‖w‖², so α = 1 matches scikit-learn's default C = 1.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use linfa_trees::{DecisionTree, TreeNode};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;
use thiserror::Error;

use super::metrics::{log_loss, roc_auc, Confusion, MetricError};

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

/// Seeded stratified split: (train rows, test rows); each class contributes round(n_c × test_size) rows.
pub fn stratified_split(
    y: &[bool],
    test_size: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>), PredictError> {
    if !(0.05..=0.5).contains(&test_size) {
        return Err(PredictError::TestSize(test_size));
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        idx.shuffle(&mut rng);
        let n_test = (idx.len() as f64 * test_size).round() as usize;
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok((train, test))
}

/// Seeded stratified k-fold: the test rows of each fold.
pub fn stratified_kfold(y: &[bool], k: usize, seed: u64) -> Result<Vec<Vec<usize>>, PredictError> {
    let pos = y.iter().filter(|&&t| t).count();
    if k < 2 || pos < k || y.len() - pos < k {
        return Err(PredictError::TooFewPositives { pos, folds: k });
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut folds = vec![Vec::new(); k];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        idx.shuffle(&mut rng);
        for (n, i) in idx.into_iter().enumerate() {
            folds[n % k].push(i);
        }
    }
    folds.iter_mut().for_each(|f| f.sort_unstable());
    Ok(folds)
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
        let (mut mean, mut sd) = (Vec::new(), Vec::new());
        for j in 0..x.ncols() {
            if is_dummy.get(j).copied().unwrap_or(false) {
                mean.push(0.0);
                sd.push(1.0);
                continue;
            }
            let m = rows.iter().map(|&i| x[[i, j]]).sum::<f64>() / n;
            let v = rows.iter().map(|&i| (x[[i, j]] - m).powi(2)).sum::<f64>() / n;
            mean.push(m);
            sd.push(if v > 1e-24 { v.sqrt() } else { 1.0 });
        }
        Self { mean, sd }
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

/// Test-set quality of one model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    pub name: String,
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub roc_auc: f64,
    pub log_loss: f64,
    pub cv_auc_mean: Option<f64>,
    pub cv_auc_sd: Option<f64>,
    pub confusion: Confusion,
    /// Test rows' true labels and scores, for curves and thresholds.
    #[serde(skip)]
    pub test_y: Vec<bool>,
    #[serde(skip)]
    pub test_scores: Vec<f64>,
    #[serde(skip)]
    pub model: Option<Model>,
}

/// A standardised coefficient and its reading.
#[derive(Debug, Clone, Serialize)]
pub struct Coefficient {
    pub feature: String,
    pub coef: f64,
    #[serde(skip)]
    pub words: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PredictReport {
    pub rows: usize,
    pub base_rate: f64,
    pub baseline_accuracy: f64,
    pub train_rows: Vec<usize>,
    pub test_rows: Vec<usize>,
    pub models: Vec<ModelReport>,
    pub coefficients: Vec<Coefficient>,
    pub notes: Vec<String>,
}

fn check(data: &Dataset) -> Result<(), PredictError> {
    if data.x.ncols() == 0 {
        return Err(PredictError::NoFeatures);
    }
    if data.x.nrows() != data.y.len() {
        return Err(PredictError::Length(data.x.nrows(), data.y.len()));
    }
    if data.y.len() < 20 {
        return Err(PredictError::TooFewRows(data.y.len()));
    }
    let pos = data.y.iter().filter(|&&t| t).count();
    if pos == 0 {
        return Err(PredictError::OneClass("no positive rows"));
    }
    if pos == data.y.len() {
        return Err(PredictError::OneClass("every row is positive"));
    }
    if let Some(((r, _), _)) = data.x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(PredictError::NotFinite(r));
    }
    Ok(())
}

fn report(
    name: String,
    model: Model,
    data: &Dataset,
    test: &[usize],
) -> Result<ModelReport, PredictError> {
    let xt = data.x.select(Axis(0), test);
    let scores = model.score(&xt);
    let yt: Vec<bool> = test.iter().map(|&i| data.y[i]).collect();
    let c = Confusion::at(&yt, &scores, 0.5)?;
    Ok(ModelReport {
        name,
        accuracy: c.accuracy(),
        precision: c.precision(),
        recall: c.recall(),
        f1: c.f1(),
        roc_auc: roc_auc(&yt, &scores)?,
        log_loss: log_loss(&yt, &scores)?,
        cv_auc_mean: None,
        cv_auc_sd: None,
        confusion: c,
        test_y: yt,
        test_scores: scores,
        model: Some(model),
    })
}

/// "each +1 sd of Recency lowers the odds of responding by 38 %".
pub fn coefficient_words(name: &str, coef: f64, dummy: bool, outcome: &str) -> String {
    let change = (coef.exp() - 1.0) * 100.0;
    let verb = if change >= 0.0 { "raises" } else { "lowers" };
    let pct = change.abs();
    let amount = if pct >= 1000.0 {
        format!("{:.0}×", coef.exp())
    } else {
        format!("{pct:.0} %")
    };
    if dummy {
        format!("being {name} {verb} the odds of {outcome} by {amount} (vs the rest)")
    } else {
        format!("each +1 sd of {name} {verb} the odds of {outcome} by {amount}")
    }
}

/// Split, fit the chosen models, evaluate on the test rows, optionally cross-validate.
pub fn fit_and_evaluate(
    data: &Dataset,
    params: &PredictParams,
    outcome: &str,
    progress: &dyn Fn(f32),
    cancel: &AtomicBool,
) -> Result<PredictReport, PredictError> {
    check(data)?;
    let (train, test) = stratified_split(&data.y, params.test_size, params.seed)?;
    let n = data.y.len();
    let base_rate = data.y.iter().filter(|&&t| t).count() as f64 / n as f64;
    let mut notes = Vec::new();
    if !(0.3..=0.7).contains(&base_rate) {
        notes.push(format!(
            "accuracy alone misleads here: {:.0} % of rows are {}, so always guessing that scores {:.1} %",
            100.0 * base_rate.max(1.0 - base_rate),
            if base_rate < 0.5 { "negative" } else { "positive" },
            100.0 * base_rate.max(1.0 - base_rate)
        ));
    }
    let stop = || cancel.load(Ordering::Relaxed);
    let mut models = Vec::new();
    let mut coefficients = Vec::new();
    let want_log = params.models != ModelChoice::Tree;
    let want_tree = params.models != ModelChoice::Logistic;
    progress(0.1);
    if want_log {
        let (m, mut n_) = fit_logistic(data, &train, params)?;
        notes.append(&mut n_);
        if let Model::Logistic { coef, .. } = &m {
            let mut cs: Vec<Coefficient> = coef
                .iter()
                .enumerate()
                .map(|(j, &c)| Coefficient {
                    feature: data.names[j].clone(),
                    coef: c,
                    words: coefficient_words(&data.names[j], c, data.is_dummy[j], outcome),
                })
                .collect();
            cs.sort_by(|a, b| b.coef.abs().total_cmp(&a.coef.abs()));
            coefficients = cs;
        }
        models.push(report(
            format!("logistic (L2, alpha = {})", params.alpha),
            m,
            data,
            &test,
        )?);
    }
    if stop() {
        return Err(PredictError::Cancelled);
    }
    progress(0.4);
    if want_tree {
        let m = fit_tree(data, &train, params)?;
        models.push(report(
            format!("decision tree (depth ≤ {})", params.max_depth),
            m,
            data,
            &test,
        )?);
    }
    if let Some(k) = params.cv_folds {
        let folds = stratified_kfold(&data.y, k, params.seed)?;
        for (mi, rep) in models.iter_mut().enumerate() {
            let mut aucs = Vec::new();
            for (fi, fold) in folds.iter().enumerate() {
                if stop() {
                    return Err(PredictError::Cancelled);
                }
                progress(0.5 + 0.5 * (mi * k + fi) as f32 / (models_len(params) * k) as f32);
                let tr: Vec<usize> = (0..n).filter(|i| fold.binary_search(i).is_err()).collect();
                let m = if rep.name.starts_with("logistic") {
                    fit_logistic(data, &tr, params)?.0
                } else {
                    fit_tree(data, &tr, params)?
                };
                let s = m.score(&data.x.select(Axis(0), fold));
                let yf: Vec<bool> = fold.iter().map(|&i| data.y[i]).collect();
                aucs.push(roc_auc(&yf, &s)?);
            }
            let mean = aucs.iter().sum::<f64>() / aucs.len() as f64;
            let sd =
                (aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / aucs.len() as f64).sqrt();
            rep.cv_auc_mean = Some(mean);
            rep.cv_auc_sd = Some(sd);
        }
    }
    progress(1.0);
    Ok(PredictReport {
        rows: n,
        base_rate,
        baseline_accuracy: base_rate.max(1.0 - base_rate),
        train_rows: train,
        test_rows: test,
        models,
        coefficients,
        notes,
    })
}

fn models_len(p: &PredictParams) -> usize {
    if p.models == ModelChoice::All {
        2
    } else {
        1
    }
}
