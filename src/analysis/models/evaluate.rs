//! Evaluation: split, fit the chosen models, test-set metrics, cross-validation on the training rows
//! (whose out-of-fold scores also fit each model's calibration), the model that scores customers, and
//! coefficients in words.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, Axis};
use serde::Serialize;

use crate::analysis::models::calibrate::{calibration_curve, choose, Calibrator, CurvePoint};
use crate::analysis::models::drivers::model_drivers;
use crate::analysis::models::importance::Driver;
use crate::analysis::models::lineup::{fit_model, model_name, select, Candidate, Selection};
use crate::analysis::models::metrics::{brier, log_loss, roc_auc, Confusion};
use rayon::prelude::*;

use crate::analysis::models::predict::{Dataset, Model, ModelKind, PredictError, PredictParams};
use crate::analysis::models::split::{stratified_kfold, stratified_split};
use crate::analysis::models::tree::Binned;

/// Bins of the reliability curves.
pub const CURVE_BINS: usize = 10;

/// Test-set quality of one model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    pub name: String,
    pub kind: ModelKind,
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
    /// Test rows the drivers were measured on.
    pub drivers_rows: usize,
    /// The calibration fitted on the out-of-fold training scores (none without cross-validation).
    #[serde(skip)]
    pub calibrator: Calibrator,
    /// Brier score and reliability curve of the uncalibrated scores (the metrics above are after).
    pub brier_uncalibrated: f64,
    pub curve_uncalibrated: Vec<CurvePoint>,
    pub curve: Vec<CurvePoint>,
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
    /// The model that scores customers, and why.
    pub selection: Option<Selection>,
}

impl ModelReport {
    /// Calibrated probabilities of the rows of `x`.
    pub fn score(&self, x: &Array2<f64>) -> Vec<f64> {
        let raw = self.model.as_ref().map(|m| m.score(x)).unwrap_or_default();
        raw.into_iter().map(|p| self.calibrator.apply(p)).collect()
    }

    /// Test-set metrics from scores (after calibration, when there is one).
    fn set_scores(&mut self, scores: Vec<f64>) -> Result<(), PredictError> {
        let c = Confusion::at(&self.test_y, &scores, 0.5)?;
        self.accuracy = c.accuracy();
        self.precision = c.precision();
        self.recall = c.recall();
        self.f1 = c.f1();
        self.roc_auc = roc_auc(&self.test_y, &scores)?;
        self.log_loss = log_loss(&self.test_y, &scores)?;
        self.brier = brier(&self.test_y, &scores)?;
        self.curve = calibration_curve(&self.test_y, &scores, CURVE_BINS);
        self.confusion = c;
        self.test_scores = scores;
        Ok(())
    }
}

impl PredictReport {
    /// The model that scores customers.
    pub fn selected(&self) -> Option<&ModelReport> {
        self.selection
            .as_ref()
            .and_then(|s| self.models.get(s.index))
            .or_else(|| self.models.first())
    }

    /// Choose the scoring model again: `forced` = the user's pick (an index into `models`).
    pub fn reselect(&mut self, forced: Option<usize>) {
        let c: Vec<Candidate> = self
            .models
            .iter()
            .map(|m| Candidate {
                name: m.kind.label(),
                auc: m.roc_auc,
                cv: m.cv_auc_mean.zip(m.cv_auc_sd),
            })
            .collect();
        self.selection = select(&c, forced);
    }
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
    kind: ModelKind,
    name: String,
    model: Model,
    data: &Dataset,
    test: &[usize],
) -> Result<ModelReport, PredictError> {
    let xt = data.x.select(Axis(0), test);
    let scores = model.score(&xt);
    let yt: Vec<bool> = test.iter().map(|&i| data.y[i]).collect();
    let (drivers, drivers_rows) = model_drivers(&model, &xt, &yt, &data.names)?;
    let c = Confusion::at(&yt, &scores, 0.5)?;
    let mut r = ModelReport {
        name,
        kind,
        accuracy: 0.0,
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
        roc_auc: 0.0,
        log_loss: 0.0,
        brier: 0.0,
        drivers,
        drivers_rows,
        calibrator: Calibrator::None,
        brier_uncalibrated: brier(&yt, &scores)?,
        curve_uncalibrated: calibration_curve(&yt, &scores, CURVE_BINS),
        curve: Vec::new(),
        cv_auc_mean: None,
        cv_auc_sd: None,
        confusion: c,
        test_y: yt,
        test_scores: Vec::new(),
        model: Some(model),
    };
    r.set_scores(scores)?;
    Ok(r)
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
        selection: None,
    };
    if !(0.3..=0.7).contains(&base_rate) {
        out.notes.push(format!(
            "accuracy alone misleads here: {:.0} % of rows are {}, so always guessing that scores {:.1} %",
            100.0 * base_rate.max(1.0 - base_rate),
            if base_rate < 0.5 { "negative" } else { "positive" },
            100.0 * base_rate.max(1.0 - base_rate)
        ));
    }
    if let Some(note) = copies_note(data, &train, &test) {
        out.notes.push(note);
    }
    let stop = || cancel.load(Ordering::Relaxed);
    let kinds = params.models.kinds();
    let total = kinds.len() as f32 * (1.0 + params.cv_folds.map_or(0.0, |k| k as f32));
    let mut done = 0.0;
    progress(0.05);
    // bins depend on the features only: every tree model and fold shares one binning of the table
    let binned = if kinds.iter().any(|k| k.binned()) {
        Some(Binned::new(data.x.view()).map_err(|e| PredictError::Fit(e.to_string()))?)
    } else {
        None
    };
    for &kind in &kinds {
        if stop() {
            return Err(PredictError::Cancelled);
        }
        let (m, mut notes) = fit_model(kind, data, binned.as_ref(), &train, params, None, cancel)?;
        out.notes.append(&mut notes);
        if let Model::Logistic { coef, .. } = &m {
            out.coefficients = coefficients(data, coef, outcome);
        }
        let name = model_name(&m, params);
        out.models.push(report(kind, name, m, data, &test)?);
        out.reselect(None);
        done += 1.0;
        progress(done / total);
        on_partial(&with_rows(&out, &train, &test));
    }
    if let Some(k) = params.cv_folds {
        // folds of the training rows: the test rows stay unseen by fitting, CV and calibration alike
        let ytrain: Vec<bool> = train.iter().map(|&i| data.y[i]).collect();
        let folds: Vec<Vec<usize>> = stratified_kfold(&ytrain, k, params.seed)?
            .into_iter()
            .map(|f| f.into_iter().map(|i| train[i]).collect())
            .collect();
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
            let kind = out.models[mi].kind;
            type Fold = (f64, Vec<(usize, f64)>);
            let results: Vec<Result<Fold, PredictError>> = folds
                .par_iter()
                .map(|fold| {
                    let tr: Vec<usize> = train
                        .iter()
                        .copied()
                        .filter(|i| fold.binary_search(i).is_err())
                        .collect();
                    let (m, _) = fit_model(
                        kind,
                        data,
                        binned.as_ref(),
                        &tr,
                        params,
                        warm.clone(),
                        cancel,
                    )?;
                    let s = m.score(&data.x.select(Axis(0), fold));
                    let yf: Vec<bool> = fold.iter().map(|&i| data.y[i]).collect();
                    Ok((roc_auc(&yf, &s)?, fold.iter().copied().zip(s).collect()))
                })
                .collect();
            let results = results.into_iter().collect::<Result<Vec<Fold>, _>>()?;
            let aucs: Vec<f64> = results.iter().map(|r| r.0).collect();
            let mean = aucs.iter().sum::<f64>() / aucs.len() as f64;
            let sd =
                (aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / aucs.len() as f64).sqrt();
            // out-of-fold scores of the training rows, in row order, fit the calibration
            let mut oof: Vec<(usize, f64)> = results.into_iter().flat_map(|r| r.1).collect();
            oof.sort_unstable_by_key(|p| p.0);
            let (os, oy): (Vec<f64>, Vec<bool>) = oof.iter().map(|&(i, s)| (s, data.y[i])).unzip();
            let m = &mut out.models[mi];
            m.cv_auc_mean = Some(mean);
            m.cv_auc_sd = Some(sd);
            m.calibrator = choose(&os, &oy);
            if m.calibrator != Calibrator::None {
                let raw = m
                    .model
                    .as_ref()
                    .map(|md| md.score(&data.x.select(Axis(0), &test)))
                    .unwrap_or_default();
                let cal = raw.into_iter().map(|p| m.calibrator.apply(p)).collect();
                m.set_scores(cal)?;
            }
            out.reselect(None);
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

/// A note when over 1 % of the test rows are exact copies (features and label) of training rows: the
/// test and CV figures then overstate how the models do on new customers.
fn copies_note(data: &Dataset, train: &[usize], test: &[usize]) -> Option<String> {
    use std::collections::HashSet;
    use std::hash::{DefaultHasher, Hash, Hasher};
    // one 64-bit hash per row (features' bits and the label): a collision would need 2⁻⁶⁴ luck
    let key = |i: usize| -> u64 {
        let mut h = DefaultHasher::new();
        data.x.row(i).iter().for_each(|v| v.to_bits().hash(&mut h));
        data.y[i].hash(&mut h);
        h.finish()
    };
    let seen: HashSet<u64> = train.par_iter().map(|&i| key(i)).collect();
    let copies = test.par_iter().filter(|&&i| seen.contains(&key(i))).count();
    (copies * 100 > test.len()).then(|| {
        format!(
            "{} of {} test rows ({:.0} %) are exact copies of training rows: test and CV figures overstate how the models do on new customers (remove duplicate rows to measure that)",
            crate::fmt::thousands(copies as f64),
            crate::fmt::thousands(test.len() as f64),
            100.0 * copies as f64 / test.len() as f64
        )
    })
}

/// Standardised coefficients, largest first, in words.
fn coefficients(data: &Dataset, coef: &[f64], outcome: &str) -> Vec<Coefficient> {
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
    cs
}

/// The report so far, with its split.
fn with_rows(r: &PredictReport, train: &[usize], test: &[usize]) -> PredictReport {
    PredictReport {
        train_rows: train.to_vec(),
        test_rows: test.to_vec(),
        ..r.clone()
    }
}
