//! Prediction: a target (a binary column, or a rule such as `Recency > 60`), a design matrix (numerics plus
//! one-hot categoricals, IDs and constants left out), the models, and a propensity score for every row.

use std::sync::atomic::AtomicBool;

use polars::prelude::*;
use serde::Serialize;

use super::PipelineError;
use crate::analysis::models::evaluate::{fit_and_evaluate_with, PredictReport};
use crate::analysis::models::predict::{Dataset, PredictParams};
use crate::data::breakdown::is_positive;
use crate::data::matrix::design_matrix;
use crate::data::profile::{f64_values, Flag};
use crate::data::Workspace;

/// Most frequent levels kept per categorical column (the rest pooled as "other").
pub const MAX_LEVELS: usize = 15;

/// What counts as a hit.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub enum Target {
    /// A column and the value that counts as positive.
    Column { name: String, positive: String },
    /// A rule on a numeric column, e.g. Recency > 60.
    Rule {
        column: String,
        op: String,
        value: f64,
    },
}

impl Target {
    /// The column the target reads (left out of the features).
    pub fn column(&self) -> &str {
        match self {
            Target::Column { name, .. } => name,
            Target::Rule { column, .. } => column,
        }
    }
    pub fn label(&self) -> String {
        match self {
            Target::Column { name, .. } => name.clone(),
            Target::Rule { column, op, value } => format!("{column} {op} {value}"),
        }
    }
    pub fn positive_label(&self) -> String {
        match self {
            Target::Column { positive, .. } => positive.clone(),
            Target::Rule { .. } => "true".into(),
        }
    }
    /// Name of the score column added to the frame.
    pub fn score_column(&self) -> String {
        let raw = match self {
            Target::Column { name, .. } => name.clone(),
            Target::Rule { column, op, value } => {
                let op = match op.as_str() {
                    ">" => "gt",
                    ">=" => "ge",
                    "<" => "lt",
                    "<=" => "le",
                    _ => "eq",
                };
                format!("{column}_{op}_{value}")
            }
        };
        format!(
            "score_{}",
            raw.replace(|c: char| !c.is_alphanumeric() && c != '_', "_")
        )
    }
}

/// Parse `COL OP NUMBER` (OP one of > >= < <= ==).
pub fn parse_rule(text: &str) -> Option<Target> {
    for op in [">=", "<=", "==", ">", "<"] {
        if let Some((l, r)) = text.split_once(op) {
            let value: f64 = r.trim().parse().ok()?;
            return Some(Target::Rule {
                column: l.trim().to_string(),
                op: op.to_string(),
                value,
            });
        }
    }
    None
}

/// Resolve the user's target (or the default) against the workspace.
pub fn resolve_target(
    ws: &Workspace,
    target: Option<&str>,
    positive: Option<&str>,
) -> Result<Target, PipelineError> {
    let file = ws.file_name();
    let err = |m: String| PipelineError::Segment(format!("{file}: {m}"));
    let name = match target {
        Some(t) => t.to_string(),
        None => ws
            .default_target()
            .map(|p| p.name.clone())
            .ok_or_else(|| err("no binary column to predict; pass --target".into()))?,
    };
    if ws.profile(&name).is_none() {
        if let Some(rule) = parse_rule(&name) {
            let p = ws
                .profile(rule.column())
                .ok_or_else(|| err(format!("no column named {:?}", rule.column())))?;
            if !p.numeric {
                return Err(err(format!(
                    "a rule needs a numeric column; {:?} is not numeric",
                    p.name
                )));
            }
            return Ok(rule);
        }
        return Err(err(format!("no column named {name:?}")));
    }
    let p = ws
        .profile(&name)
        .ok_or_else(|| err(format!("no column named {name:?}")))?;
    if p.distinct < 2 {
        return Err(err(format!(
            "target {name:?} has only one value: nothing to predict"
        )));
    }
    if p.distinct > 2 {
        return Err(err(format!(
            "target {name:?} has {} values; choose a two-valued column or a rule such as \"{name} > 60\"",
            p.distinct
        )));
    }
    let values: Vec<String> = {
        let text = as_text(ws.df.column(&name).map_err(|e| err(e.to_string()))?)
            .map_err(|e| err(e.to_string()))?;
        let distinct: std::collections::HashSet<&str> = text.iter().flatten().collect();
        let mut v: Vec<String> = distinct.into_iter().map(str::to_string).collect();
        v.sort();
        v
    };
    let positive = match positive {
        Some(v) => {
            if !values.iter().any(|x| is_positive(x, v)) {
                return Err(err(format!(
                    "value {v:?} never occurs in target {name:?} (values: {})",
                    values.join(", ")
                )));
            }
            v.to_string()
        }
        None => p
            .positive
            .clone()
            .unwrap_or_else(|| values[values.len() - 1].clone()),
    };
    Ok(Target::Column { name, positive })
}

/// A column as text (numbers and booleans written out), without copying each value into a `String`.
fn as_text(col: &Column) -> PolarsResult<StringChunked> {
    Ok(col
        .as_materialized_series()
        .cast(&DataType::String)?
        .str()?
        .clone())
}

/// The 0/1 outcome per row (None where the target is missing).
pub fn outcome(ws: &Workspace, t: &Target) -> Result<Vec<Option<bool>>, PipelineError> {
    let col = ws
        .df
        .column(t.column())
        .map_err(|e| PipelineError::Segment(e.to_string()))?;
    Ok(match t {
        Target::Column { positive, .. } => {
            // each distinct value is compared once (the comparison may parse numbers)
            let text = as_text(col).map_err(|e| PipelineError::Segment(e.to_string()))?;
            let mut seen: std::collections::HashMap<&str, bool> = Default::default();
            text.iter()
                .map(|v| v.map(|v| *seen.entry(v).or_insert_with(|| is_positive(v, positive))))
                .collect()
        }
        Target::Rule { op, value, .. } => f64_values(col)
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                v.map(|x| match op.as_str() {
                    ">" => x > *value,
                    ">=" => x >= *value,
                    "<" => x < *value,
                    "<=" => x <= *value,
                    _ => x == *value,
                })
            })
            .collect(),
    })
}

/// Default features: every usable column except the target, IDs, constants, dates, our outputs and `exclude`
/// — and columns that would hand the model its answer: derived columns computed from the target
/// (AcceptedTotal for AcceptedCmp3), for a derived target (Spent > 1000) the columns it is computed from,
/// and for a holdout target (`bought_again`) the other holdout column.
pub fn default_predictors(
    ws: &Workspace,
    t: &Target,
    exclude: &[String],
) -> (Vec<String>, Vec<String>) {
    let holdout = super::lifetime::holdout::HOLDOUT_COLUMNS;
    let leaks: Vec<String> = ws
        .derived_from(t.column())
        .into_iter()
        .chain(ws.sources_of(t.column()))
        .chain(
            holdout
                .iter()
                .filter(|_| holdout.contains(&t.column()))
                .map(|c| c.to_string()),
        )
        .collect();
    let skip = |n: &str| {
        n == t.column()
            || leaks.iter().any(|l| l == n)
            || exclude.iter().any(|e| e == n)
            || n.starts_with("score_")
            || [super::CLUSTER_COL, super::PERSONA_COL, super::NEXT_BEST_COL].contains(&n)
    };
    let numeric = ws
        .profiles
        .iter()
        .filter(|p| p.is_model_numeric() && !skip(&p.name))
        .map(|p| p.name.clone())
        .collect();
    let categorical = ws
        .profiles
        .iter()
        .filter(|p| p.is_categorical() && !p.has(Flag::Date) && !skip(&p.name))
        .map(|p| p.name.clone())
        .collect();
    (numeric, categorical)
}

/// Everything a prediction produced.
#[derive(Debug, Clone)]
pub struct PredictRun {
    pub target: Target,
    pub params: PredictParams,
    pub features_used: Vec<String>,
    pub report: PredictReport,
    /// Propensity of every frame row (None where the target was missing is still scored).
    pub scores: Vec<f64>,
    pub notes: Vec<String>,
    /// The numeric and categorical columns the design matrix was built from (to score again).
    pub columns: (Vec<String>, Vec<String>),
}

/// Build the design, fit and evaluate, and score every row with the selected model (the best by CV
/// AUC; see `lineup::select`), calibrated.
pub fn run_predict(
    ws: &Workspace,
    target: &Target,
    features: Option<&[String]>,
    exclude: &[String],
    params: &PredictParams,
    progress: &dyn Fn(f32, String),
    cancel: &AtomicBool,
) -> Result<PredictRun, PipelineError> {
    let inputs = PredictInputs {
        target,
        features,
        exclude,
        params,
    };
    run_predict_with(ws, &inputs, progress, &|_| {}, cancel)
}

/// What to predict and with which features.
pub struct PredictInputs<'a> {
    pub target: &'a Target,
    pub features: Option<&'a [String]>,
    pub exclude: &'a [String],
    pub params: &'a PredictParams,
}

/// `run_predict` that also hands over a run each time a model (or its cross-validation) finishes.
pub fn run_predict_with(
    ws: &Workspace,
    inputs: &PredictInputs,
    progress: &dyn Fn(f32, String),
    on_partial: &dyn Fn(PredictRun),
    cancel: &AtomicBool,
) -> Result<PredictRun, PipelineError> {
    let PredictInputs {
        target,
        features,
        exclude,
        params,
    } = *inputs;
    let file = ws.file_name();
    let err = |m: String| PipelineError::Segment(format!("{file}: {m}"));
    let (numeric, categorical) = match features {
        Some(list) => {
            let mut num = Vec::new();
            let mut cat = Vec::new();
            for f in list {
                let p = ws
                    .profile(f)
                    .ok_or_else(|| err(format!("no column named {f:?}")))?;
                if f == target.column() {
                    return Err(err(format!(
                        "{f:?} is the target; it cannot also be a feature"
                    )));
                }
                if p.numeric {
                    num.push(f.clone());
                } else {
                    cat.push(f.clone());
                }
            }
            (num, cat)
        }
        None => default_predictors(ws, target, exclude),
    };
    progress(0.02, "building the design matrix".into());
    let design = design_matrix(&ws.df, &numeric, &categorical, MAX_LEVELS)
        .map_err(|e| err(e.to_string()))?;
    let y_all = outcome(ws, target)?;
    let keep: Vec<usize> = (0..ws.rows()).filter(|&i| y_all[i].is_some()).collect();
    let dropped = ws.rows() - keep.len();
    let outcome_words = match target {
        Target::Column { name, positive }
            if name.to_ascii_lowercase().contains("churn")
                && !positive.eq_ignore_ascii_case("no") =>
        {
            "churning".to_string()
        }
        Target::Column { .. } => "responding".to_string(),
        Target::Rule { .. } => target.label(),
    };
    let mut notes = design.notes.clone();
    if dropped > 0 {
        notes.push(format!(
            "{dropped} rows with a missing target left out of fitting"
        ));
    }
    let data = Dataset {
        x: if keep.len() == ws.rows() {
            design.x
        } else {
            design.x.select(ndarray::Axis(0), &keep)
        },
        y: keep.iter().map(|&i| y_all[i].unwrap_or(false)).collect(),
        names: design.names,
        is_dummy: design.is_dummy,
    };
    // every frame row is scored; rows with a missing target are scored too
    let all_rows = (keep.len() != ws.rows())
        .then(|| design_matrix(&ws.df, &numeric, &categorical, MAX_LEVELS).map(|d| d.x));
    let all_rows = match all_rows {
        Some(r) => Some(r.map_err(|e| err(e.to_string()))?),
        None => None,
    };
    let score_x = all_rows.as_ref().unwrap_or(&data.x);
    let assemble = |report: PredictReport| -> Result<PredictRun, PipelineError> {
        let model = report
            .selected()
            .filter(|m| m.model.is_some())
            .ok_or_else(|| err("no model was fitted".into()))?;
        let scores = model.score(score_x);
        let mut notes = notes.clone();
        notes.extend(report.notes.iter().cloned());
        Ok(PredictRun {
            target: target.clone(),
            params: params.clone(),
            features_used: data.names.clone(),
            report,
            scores,
            notes,
            columns: (numeric.clone(), categorical.clone()),
        })
    };
    let report = fit_and_evaluate_with(
        &data,
        params,
        &outcome_words,
        &|f| progress(0.05 + 0.9 * f, "fitting models".into()),
        &|partial| {
            if let Ok(run) = assemble(partial.clone()) {
                on_partial(run);
            }
        },
        cancel,
    )
    .map_err(|e| match e {
        crate::analysis::models::predict::PredictError::Cancelled => PipelineError::Cancelled,
        e => err(e.to_string()),
    })?;
    let run = assemble(report)?;
    progress(1.0, "done".into());
    Ok(run)
}

/// Add `score_<target>` to the shared frame.
pub fn apply_scores(ws: &mut Workspace, run: &PredictRun) -> PolarsResult<()> {
    let name = run.target.score_column();
    let ca = Float64Chunked::from_vec(name.as_str().into(), run.scores.clone());
    ws.set_column(
        ca.into_column(),
        &format!(
            "propensity of {} = {} ({})",
            run.target.label(),
            run.target.positive_label(),
            run.report.selected().map_or("no model", |m| m.kind.label())
        ),
    )
}

/// Score every customer with the best of `models` by 5-fold CV AUC (calibrated); also returns the
/// observed outcome per row (a missing target counts as a miss). Used by the ROI command and the report.
pub fn score_customers(
    ws: &Workspace,
    target: &Target,
    models: crate::analysis::models::predict::ModelChoice,
) -> Result<(PredictRun, Vec<bool>), PipelineError> {
    let params = PredictParams {
        models,
        cv_folds: Some(5),
        ..Default::default()
    };
    let run = run_predict(
        ws,
        target,
        None,
        &[],
        &params,
        &|_, _| {},
        &AtomicBool::new(false),
    )?;
    let observed = outcome(ws, target)?
        .into_iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    Ok((run, observed))
}
