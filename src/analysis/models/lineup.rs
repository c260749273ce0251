//! The model lineup: fitting any model of it on a set of rows, its name in the tables, and choosing the
//! model that scores customers (best cross-validated AUC), with the honest wording when the difference
//! is within the folds' noise.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::analysis::models::boost::{BoostError, Booster};
use crate::analysis::models::forest::{Forest, ForestError};
use crate::analysis::models::predict::{
    fit_logistic_cancellable, fit_tree_binned, Dataset, Model, ModelKind, PredictError,
    PredictParams,
};
use crate::analysis::models::svm::SvmFit;
use crate::analysis::models::tree::Binned;

/// Rows each forest tree draws at most (scikit-learn's `max_samples`); beyond this a bootstrap of the
/// whole table adds time, not accuracy.
pub const FOREST_MAX_SAMPLES: usize = 50_000;

/// Fit one model of the lineup on `rows`; returns the model and notes. `binned` is needed by the tree
/// models; `warm` starts logistic regression from a previous solution.
pub fn fit_model(
    kind: ModelKind,
    data: &Dataset,
    binned: Option<&Binned>,
    rows: &[usize],
    params: &PredictParams,
    warm: Option<(Vec<f64>, f64)>,
    cancel: &AtomicBool,
) -> Result<(Model, Vec<String>), PredictError> {
    let need_bins = || binned.ok_or_else(|| PredictError::Fit("no binned table".into()));
    match kind {
        ModelKind::Logistic => fit_logistic_cancellable(data, rows, params, warm, cancel),
        ModelKind::Tree => Ok((fit_tree_binned(need_bins()?, data, rows, params)?, vec![])),
        ModelKind::Boosting => {
            let fit = Booster {
                seed: params.seed,
                ..Default::default()
            }
            .fit(need_bins()?, rows, &data.y, cancel)
            .map_err(|e| match e {
                BoostError::Cancelled => PredictError::Cancelled,
                e => PredictError::Fit(format!("gradient boosting: {e}")),
            })?;
            Ok((Model::Boosting { fit: Box::new(fit) }, vec![]))
        }
        ModelKind::Forest => {
            let fit = Forest {
                n_estimators: params.forest_trees,
                max_samples: Some(FOREST_MAX_SAMPLES),
                seed: params.seed,
                ..Default::default()
            }
            .fit(need_bins()?, rows, &data.y, cancel)
            .map_err(|e| match e {
                ForestError::Cancelled => PredictError::Cancelled,
                e => PredictError::Fit(format!("random forest: {e}")),
            })?;
            Ok((Model::Forest { fit: Box::new(fit) }, vec![]))
        }
        ModelKind::Svm => {
            let fit = SvmFit::fit(&data.x, &data.is_dummy, &data.y, rows, params.seed)
                .map_err(|e| PredictError::Fit(format!("svm: {e}")))?;
            Ok((Model::Svm { fit: Box::new(fit) }, vec![]))
        }
    }
}

/// "gradient boosting (100 trees × ≤ 31 leaves)", with what a reader needs to know about the fit.
pub fn model_name(model: &Model, params: &PredictParams) -> String {
    match model {
        Model::Logistic { .. } => format!("logistic regression (L2, alpha = {})", params.alpha),
        Model::Tree { .. } => format!("decision tree (depth ≤ {})", params.max_depth),
        Model::Boosting { fit } => {
            let stop = if fit.early_stopped {
                format!(
                    ", early stop on {} held-out rows",
                    thousands(fit.validation_rows)
                )
            } else {
                String::new()
            };
            format!(
                "gradient boosting ({} trees × ≤ 31 leaves{stop})",
                fit.iterations()
            )
        }
        Model::Forest { fit } => {
            let rows = if fit.samples_per_tree >= FOREST_MAX_SAMPLES {
                format!(", {} rows per tree", thousands(fit.samples_per_tree))
            } else {
                String::new()
            };
            format!("random forest ({} trees{rows})", fit.trees.len())
        }
        Model::Svm { fit } => format!(
            "svm (RBF, {} rows sampled, Platt on {})",
            thousands(fit.fit_rows),
            thousands(fit.platt_rows)
        ),
    }
}

fn thousands(n: usize) -> String {
    crate::fmt::thousands(n as f64)
}

/// Which model scores customers, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Selection {
    /// Index into the report's models.
    pub index: usize,
    pub name: String,
    /// "best CV AUC", "chosen by you", "best test AUC (no cross-validation)", "only model".
    pub reason: String,
    /// Models whose CV AUC is within a fold sd of the chosen one's.
    pub indistinguishable: Vec<String>,
    /// The sentence for the screen and the report.
    pub words: String,
}

/// (name, test AUC, CV mean, CV sd) of each fitted model.
pub struct Candidate<'a> {
    pub name: &'a str,
    pub auc: f64,
    pub cv: Option<(f64, f64)>,
}

/// The best model by CV AUC (by test AUC when there was no cross-validation), or `forced` when the
/// user picked one. Two models are indistinguishable when their CV AUCs differ by less than the larger
/// of their fold standard deviations.
pub fn select(models: &[Candidate], forced: Option<usize>) -> Option<Selection> {
    if models.is_empty() {
        return None;
    }
    // CV AUCs rank only when every model has one (while folds still run, test AUCs rank all alike)
    let all_cv = models.iter().all(|m| m.cv.is_some());
    let any_cv = models.iter().any(|m| m.cv.is_some());
    let key = |m: &Candidate| match (all_cv, m.cv) {
        (true, Some(c)) => c.0,
        _ => m.auc,
    };
    let best = (0..models.len())
        .max_by(|&a, &b| key(&models[a]).total_cmp(&key(&models[b])))
        .unwrap_or(0);
    let index = forced.filter(|&i| i < models.len()).unwrap_or(best);
    let chosen = &models[index];
    let close: Vec<String> = match chosen.cv.filter(|_| all_cv) {
        Some((m, sd)) => models
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != index)
            .filter_map(|(_, o)| {
                let (om, osd) = o.cv?;
                ((m - om).abs() < sd.max(osd)).then(|| format!("{} ({om:.3} ± {osd:.3})", o.name))
            })
            .collect(),
        None => Vec::new(),
    };
    let figure = match chosen.cv.filter(|_| all_cv) {
        Some((m, sd)) => format!("CV AUC {m:.3} ± {sd:.3}"),
        None => format!("test AUC {:.3}", chosen.auc),
    };
    let reason = if models.len() == 1 {
        "the only model fitted".to_string()
    } else if forced.is_some() && index != best {
        let by = if all_cv { "CV AUC" } else { "test AUC" };
        format!("chosen by you; the best by {by} is {}", models[best].name)
    } else if all_cv {
        "the best cross-validated AUC".to_string()
    } else if any_cv {
        "the best test AUC so far (cross-validation is still running)".to_string()
    } else {
        "the best test AUC (no cross-validation was run, so this ranking is fragile)".to_string()
    };
    let mut words = format!("Scores come from {} ({figure}): {reason}.", chosen.name);
    if !close.is_empty() {
        words.push_str(&format!(
            " It is indistinguishable from {}: the CV AUCs differ by less than a fold's standard deviation.",
            close.join(", ")
        ));
    } else if all_cv && models.len() > 1 && index == best {
        words.push_str(" Its lead is larger than the folds' spread.");
    }
    Some(Selection {
        index,
        name: chosen.name.to_string(),
        reason,
        indistinguishable: close,
        words,
    })
}
