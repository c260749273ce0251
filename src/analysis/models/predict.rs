//! Response / churn models: a stratified split, z-scoring fitted on the training rows only, L2 logistic
//! regression (Newton's method, `logistic.rs`) and a classification tree with leaf probabilities
//! (`tree.rs`), optional stratified k-fold CV, metrics from our own counts, and coefficients read in words.
//! Both solvers are the project's own behind linfa's `Fit` traits: linfa-logistic and linfa-trees were
//! the slow steps on large tables (see each module, and the README's Speed section).
//!
//! The objective is scikit-learn's: Σ log-loss + α/2·‖w‖², so α = 1 matches its default C = 1.

use ndarray::Array2;
use serde::Serialize;
use thiserror::Error;

use crate::analysis::models::boost::BoostFit;
use crate::analysis::models::forest::ForestFit;
use crate::analysis::models::logistic::{probabilities, LogisticError, Newton, Problem};
use crate::analysis::models::metrics::MetricError;
pub use crate::analysis::models::split::{stratified_kfold, stratified_split, Scaler, SplitError};
use crate::analysis::models::svm::SvmFit;
use crate::analysis::models::tree::{Binned, Cart, TreeFit};

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
    #[error("a feature value is missing or infinite (row {0})")]
    NotFinite(usize),
    #[error("{0}")]
    Split(#[from] SplitError),
    #[error("model fit failed: {0}")]
    Fit(String),
    #[error("metric: {0}")]
    Metric(#[from] MetricError),
    #[error("cancelled")]
    Cancelled,
}

impl From<LogisticError> for PredictError {
    fn from(e: LogisticError) -> Self {
        match e {
            LogisticError::Cancelled => PredictError::Cancelled,
            e => PredictError::Fit(e.to_string()),
        }
    }
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

/// Which models a run fits: one of them, or the whole lineup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum ModelChoice {
    Logistic,
    Tree,
    Forest,
    Boosting,
    Svm,
    #[default]
    All,
}

/// One model of the lineup, in the order "all" fits them (quickest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    Logistic,
    Tree,
    Boosting,
    Forest,
    Svm,
}

impl ModelKind {
    pub const ALL: [ModelKind; 5] = [
        ModelKind::Logistic,
        ModelKind::Tree,
        ModelKind::Boosting,
        ModelKind::Forest,
        ModelKind::Svm,
    ];
    /// The plain name used in tables, JSON and the report.
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::Logistic => "logistic regression",
            ModelKind::Tree => "decision tree",
            ModelKind::Boosting => "gradient boosting",
            ModelKind::Forest => "random forest",
            ModelKind::Svm => "svm",
        }
    }
    /// The `--model` word.
    pub fn word(self) -> &'static str {
        match self {
            ModelKind::Logistic => "logistic",
            ModelKind::Tree => "tree",
            ModelKind::Boosting => "boosting",
            ModelKind::Forest => "forest",
            ModelKind::Svm => "svm",
        }
    }
    /// Needs the binned table.
    pub fn binned(self) -> bool {
        matches!(
            self,
            ModelKind::Tree | ModelKind::Boosting | ModelKind::Forest
        )
    }
}

impl ModelChoice {
    /// `--model` words: logistic, tree, forest, boosting, svm, all.
    pub fn parse(word: &str) -> Option<ModelChoice> {
        Some(match word {
            "logistic" => ModelChoice::Logistic,
            "tree" => ModelChoice::Tree,
            "forest" => ModelChoice::Forest,
            "boosting" => ModelChoice::Boosting,
            "svm" => ModelChoice::Svm,
            "all" => ModelChoice::All,
            _ => return None,
        })
    }
    pub fn kinds(self) -> Vec<ModelKind> {
        match self {
            ModelChoice::Logistic => vec![ModelKind::Logistic],
            ModelChoice::Tree => vec![ModelKind::Tree],
            ModelChoice::Forest => vec![ModelKind::Forest],
            ModelChoice::Boosting => vec![ModelKind::Boosting],
            ModelChoice::Svm => vec![ModelKind::Svm],
            ModelChoice::All => ModelKind::ALL.to_vec(),
        }
    }
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
    /// Trees in the random forest.
    pub forest_trees: usize,
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
            forest_trees: 100,
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
        tree: Box<TreeFit>,
    },
    Boosting {
        fit: Box<BoostFit>,
    },
    Forest {
        fit: Box<ForestFit>,
    },
    Svm {
        fit: Box<SvmFit>,
    },
}

impl Model {
    /// Positive-class probabilities for every row of `x`.
    pub fn score(&self, x: &Array2<f64>) -> Vec<f64> {
        match self {
            Model::Logistic {
                scaler,
                coef,
                intercept,
            } => probabilities(x.view(), &scaler.mean, &scaler.sd, coef, *intercept),
            Model::Tree { tree } => tree.probabilities(x.view()),
            Model::Boosting { fit } => fit.probabilities(x.view()),
            Model::Forest { fit } => fit.probabilities(x.view()),
            Model::Svm { fit } => fit.probabilities(x),
        }
    }

    /// Work to score one row, in tree-node visits or kernel terms (sizes the drivers' sample).
    pub fn cost_per_row(&self) -> f64 {
        match self {
            Model::Logistic { coef, .. } => coef.len() as f64,
            Model::Tree { tree } => tree.nodes.iter().map(|n| n.depth).max().unwrap_or(1) as f64,
            // tree ensembles rescore only the paths that test the shuffled column (about a fifth)
            Model::Boosting { fit } => fit.trees.len() as f64 * 2.0,
            Model::Forest { fit } => fit.trees.len() as f64 * (fit.mean_nodes().log2() + 2.0) / 3.0,
            Model::Svm { fit } => fit.coef.len() as f64 * 2.0,
        }
    }
}

/// Fit logistic regression on `rows`; returns the model and notes (retries, convergence).
pub fn fit_logistic(
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
) -> Result<(Model, Vec<String>), PredictError> {
    fit_logistic_cancellable(
        data,
        rows,
        params,
        None,
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// `fit_logistic` that stops between Newton steps when `cancel` is set, optionally starting from a
/// previous solution (coefficients on the scaled features, intercept): a CV fold starts from the full fit.
pub fn fit_logistic_cancellable(
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
    warm: Option<(Vec<f64>, f64)>,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<(Model, Vec<String>), PredictError> {
    let scaler = Scaler::fit(&data.x, rows, &data.is_dummy);
    let problem = Problem {
        x: data.x.view(),
        rows,
        mean: &scaler.mean,
        sd: &scaler.sd,
        y: &data.y,
    };
    let mut notes = Vec::new();
    let mut alpha = params.alpha;
    let fit = loop {
        let solver = Newton {
            alpha,
            max_iter: params.max_iter as usize,
            warm: warm.clone(),
            ..Default::default()
        };
        match solver.solve(&problem, cancel) {
            Ok(f) => break f,
            Err(LogisticError::Singular) if alpha < params.alpha * 1000.0 => {
                notes.push(format!(
                    "the fit was singular with alpha = {alpha}; retried with alpha = {}",
                    alpha * 10.0
                ));
                alpha *= 10.0;
            }
            Err(e) => return Err(e.into()),
        }
    };
    if !fit.converged {
        notes.push(format!(
            "logistic regression stopped at the iteration cap ({}) before converging (gradient {:.1e} per row)",
            params.max_iter, fit.gradient
        ));
    }
    Ok((
        Model::Logistic {
            scaler,
            coef: fit.coef,
            intercept: fit.intercept,
        },
        notes,
    ))
}

/// Fit a classification tree on `rows` (bins made from the whole table).
pub fn fit_tree(
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
) -> Result<Model, PredictError> {
    let binned = Binned::new(data.x.view()).map_err(|e| PredictError::Fit(e.to_string()))?;
    fit_tree_binned(&binned, data, rows, params)
}

/// Fit a classification tree on `rows` of a table binned once (the CV folds share the bins).
pub fn fit_tree_binned(
    binned: &Binned,
    data: &Dataset,
    rows: &[usize],
    params: &PredictParams,
) -> Result<Model, PredictError> {
    let cart = Cart {
        max_depth: params.max_depth,
        min_samples_leaf: params.min_leaf,
    };
    let tree = cart
        .grow(binned, rows, &data.y)
        .map_err(|e| PredictError::Fit(e.to_string()))?;
    Ok(Model::Tree {
        tree: Box::new(tree),
    })
}
