//! Evaluation: split, fit the chosen models, test-set metrics, cross-validation and coefficients in words.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Axis;
use serde::Serialize;

use super::importance::{permutation_importance, Driver};
use super::metrics::{brier, log_loss, roc_auc, Confusion};
use rayon::prelude::*;

use super::predict::{
    fit_logistic_cancellable, fit_tree_binned, Dataset, Model, ModelChoice, PredictError,
    PredictParams,
};
use super::split::{stratified_kfold, stratified_split};
use super::tree::Binned;

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
    /// Mean squared error of the probabilities (scikit-learn's `brier_score_loss`).
    pub brier: f64,
    pub cv_auc_mean: Option<f64>,
    pub cv_auc_sd: Option<f64>,
    pub confusion: Confusion,
    /// Permutation importance on the test rows, largest first.
    pub drivers: Vec<Driver>,
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
    let drivers = permutation_importance(&xt, &yt, &data.names, &|x| model.score(x), 42)
        .map_err(|e| PredictError::Fit(e.to_string()))?;
    Ok(ModelReport {
        name,
        accuracy: c.accuracy(),
        precision: c.precision(),
        recall: c.recall(),
        f1: c.f1(),
        roc_auc: roc_auc(&yt, &scores)?,
        log_loss: log_loss(&yt, &scores)?,
        brier: brier(&yt, &scores)?,
        drivers,
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
    fit_and_evaluate_with(data, params, outcome, progress, &|_| {}, cancel)
}

/// `fit_and_evaluate` that also hands over the report so far each time a model or its cross-validation
/// finishes (the dashboard shows models as they arrive). Cross-validation folds are fitted in parallel;
/// the logistic folds start from the full fit's solution.
pub fn fit_and_evaluate_with(
    data: &Dataset,
    params: &PredictParams,
    outcome: &str,
    progress: &dyn Fn(f32),
    on_partial: &dyn Fn(&PredictReport),
    cancel: &AtomicBool,
) -> Result<PredictReport, PredictError> {
    check(data)?;
    let (train, test) = stratified_split(&data.y, params.test_size, params.seed)?;
    let n = data.y.len();
    let base_rate = data.y.iter().filter(|&&t| t).count() as f64 / n as f64;
    let mut out = PredictReport {
        rows: n,
        base_rate,
        baseline_accuracy: base_rate.max(1.0 - base_rate),
        train_rows: Vec::new(),
        test_rows: Vec::new(),
        models: Vec::new(),
        coefficients: Vec::new(),
        notes: Vec::new(),
    };
    if !(0.3..=0.7).contains(&base_rate) {
        out.notes.push(format!(
            "accuracy alone misleads here: {:.0} % of rows are {}, so always guessing that scores {:.1} %",
            100.0 * base_rate.max(1.0 - base_rate),
            if base_rate < 0.5 { "negative" } else { "positive" },
            100.0 * base_rate.max(1.0 - base_rate)
        ));
    }
    let stop = || cancel.load(Ordering::Relaxed);
    let want_log = params.models != ModelChoice::Tree;
    let want_tree = params.models != ModelChoice::Logistic;
    let total = models_len(params) as f32 * (1.0 + params.cv_folds.map_or(0.0, |k| k as f32));
    let mut done = 0.0;
    progress(0.05);
    if want_log {
        let (m, mut notes) = fit_logistic_cancellable(data, &train, params, None, cancel)?;
        out.notes.append(&mut notes);
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
            out.coefficients = cs;
        }
        out.models.push(report(
            format!("logistic (L2, alpha = {})", params.alpha),
            m,
            data,
            &test,
        )?);
        done += 1.0;
        progress(done / total);
        on_partial(&with_rows(&out, &train, &test));
    }
    if stop() {
        return Err(PredictError::Cancelled);
    }
    // bins depend on the features only, so the tree and its folds share one binning of the table
    let binned = if want_tree {
        Some(Binned::new(data.x.view()).map_err(|e| PredictError::Fit(e.to_string()))?)
    } else {
        None
    };
    if let Some(binned) = &binned {
        let m = fit_tree_binned(binned, data, &train, params)?;
        out.models.push(report(
            format!("decision tree (depth ≤ {})", params.max_depth),
            m,
            data,
            &test,
        )?);
        done += 1.0;
        progress(done / total);
        on_partial(&with_rows(&out, &train, &test));
    }
    if let Some(k) = params.cv_folds {
        let folds = stratified_kfold(&data.y, k, params.seed)?;
        for mi in 0..out.models.len() {
            if stop() {
                return Err(PredictError::Cancelled);
            }
            let warm = match out.models[mi].model.as_ref() {
                Some(Model::Logistic {
                    coef, intercept, ..
                }) => Some((coef.clone(), *intercept)),
                _ => None,
            };
            let logistic = out.models[mi].name.starts_with("logistic");
            let aucs: Vec<Result<f64, PredictError>> = folds
                .par_iter()
                .map(|fold| {
                    let tr: Vec<usize> =
                        (0..n).filter(|i| fold.binary_search(i).is_err()).collect();
                    let m = if logistic {
                        fit_logistic_cancellable(data, &tr, params, warm.clone(), cancel)?.0
                    } else if let Some(b) = &binned {
                        fit_tree_binned(b, data, &tr, params)?
                    } else {
                        return Err(PredictError::Fit("no binned table for the tree".into()));
                    };
                    let s = m.score(&data.x.select(Axis(0), fold));
                    let yf: Vec<bool> = fold.iter().map(|&i| data.y[i]).collect();
                    Ok(roc_auc(&yf, &s)?)
                })
                .collect();
            let aucs = aucs.into_iter().collect::<Result<Vec<f64>, _>>()?;
            let mean = aucs.iter().sum::<f64>() / aucs.len() as f64;
            let sd =
                (aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / aucs.len() as f64).sqrt();
            out.models[mi].cv_auc_mean = Some(mean);
            out.models[mi].cv_auc_sd = Some(sd);
            done += k as f32;
            progress(done / total);
            on_partial(&with_rows(&out, &train, &test));
        }
    }
    progress(1.0);
    out.train_rows = train;
    out.test_rows = test;
    Ok(out)
}

/// The report so far, with its split.
fn with_rows(r: &PredictReport, train: &[usize], test: &[usize]) -> PredictReport {
    PredictReport {
        train_rows: train.to_vec(),
        test_rows: test.to_vec(),
        ..r.clone()
    }
}

fn models_len(p: &PredictParams) -> usize {
    if p.models == ModelChoice::All {
        2
    } else {
        1
    }
}
