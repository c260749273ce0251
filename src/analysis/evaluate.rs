//! Evaluation: split, fit the chosen models, test-set metrics, cross-validation and coefficients in words.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Axis;
use serde::Serialize;

use super::metrics::{log_loss, roc_auc, Confusion};
use super::predict::{
    fit_logistic, fit_tree, Dataset, Model, ModelChoice, PredictError, PredictParams,
};
use super::split::{stratified_kfold, stratified_split};

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
