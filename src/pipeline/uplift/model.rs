//! Uplift models: who responds *because* of the contact. Two learners, both built from the lineup's
//! classifiers (any of logistic, tree, forest, boosting, svm):
//!
//! - **two-model** (T-learner): one model on the treated rows, one on the control rows; uplift =
//!   P(response | treated, x) − P(response | control, x).
//! - **class transformation** (Jaskowski & Jaroszewicz 2012, scikit-uplift's `ClassTransformation`):
//!   one model of z = 1 when (treated and responded) or (control and did not); uplift = 2 P(z | x) − 1,
//!   exact when half the rows are treated (a note says so otherwise).
//!
//! Both are judged on a held-out part split by arm × outcome, with scikit-uplift's Qini coefficient and
//! AUUC, the uplift among the top 30 % and the uplift by decile. Every row gets its uplift and one of the
//! four groups a marketer knows.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::readout::pre_treatment_columns;
use super::split::stratified_parts;
use crate::analysis::models::lineup::fit_model;
use crate::analysis::models::predict::{Dataset, Model, ModelKind, PredictError, PredictParams};
use crate::analysis::models::tree::Binned;
use crate::analysis::uplift::qini::{
    overall_uplift, qini_auc_score, uplift_at_k, uplift_auc_score, uplift_by_percentile, Strategy,
    TopK,
};
use crate::data::experiment::Experiment;
use crate::data::matrix::design_matrix;
use crate::data::Workspace;
use crate::fmt::thousands;
use crate::pipeline::predict::MAX_LEVELS;
use crate::pipeline::PipelineError;

/// Which learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    TwoModel,
    ClassTransformation,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "two-model" | "t-learner" | "two_model" => Some(Method::TwoModel),
            "class-transformation" | "ct" | "class_transformation" => {
                Some(Method::ClassTransformation)
            }
            _ => None,
        }
    }
}

/// The four groups, by predicted uplift and the response expected without contact.
pub const GROUPS: [&str; 4] = [
    "persuadables",
    "sure things",
    "lost causes",
    "do-not-disturb",
];

#[derive(Debug, Clone)]
pub struct UpliftOptions {
    pub method: Method,
    pub model: ModelKind,
    pub outcome: Option<String>,
    /// A treated arm to model against control; None pools every treated arm.
    pub arm: Option<String>,
    pub test_share: f64,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecileRow {
    pub decile: usize,
    pub rows: usize,
    pub treated_rate: Option<f64>,
    pub control_rate: Option<f64>,
    pub uplift: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Random {
    pub qini: f64,
    pub auuc: f64,
    pub uplift_at_30: f64,
}

/// An uplift model's evaluation and every row's uplift.
#[derive(Debug, Clone, Serialize)]
pub struct UpliftRun {
    pub method: Method,
    pub model: String,
    pub arm: String,
    pub outcome: String,
    pub train_rows: usize,
    pub test_rows: usize,
    pub qini: f64,
    pub auuc: f64,
    pub uplift_at_30: f64,
    pub random: Random,
    pub deciles: Vec<DecileRow>,
    /// Rows per group, in the order of [`GROUPS`].
    pub groups: Vec<(String, usize)>,
    pub notes: Vec<String>,
    /// Every frame row's predicted uplift, part (train / test / "" outside the comparison) and group.
    #[serde(skip)]
    pub uplift: Vec<f64>,
    #[serde(skip)]
    pub part: Vec<&'static str>,
    #[serde(skip)]
    pub group: Vec<&'static str>,
}

/// Fit and evaluate an uplift model of `exp` on `ws`.
pub fn run_uplift(
    ws: &Workspace,
    exp: &Experiment,
    opts: &UpliftOptions,
    progress: &dyn Fn(f32, String),
    cancel: &AtomicBool,
) -> Result<UpliftRun, PipelineError> {
    let file = ws.file_name();
    let err = |m: String| PipelineError::Segment(format!("{file}: {m}"));
    let mut notes = Vec::new();
    let outcome = match &opts.outcome {
        Some(o) => exp
            .outcomes
            .iter()
            .find(|x| &x.name == o)
            .ok_or_else(|| err(format!("{o:?} is not an outcome of this test")))?,
        None => exp
            .outcomes
            .iter()
            .find(|o| o.binary)
            .ok_or_else(|| err("no binary outcome: name one with --outcome".into()))?,
    };
    if !outcome.binary {
        return Err(err(format!(
            "{} is an amount, not a response: an uplift model needs a 0/1 or yes/no outcome",
            outcome.name
        )));
    }
    if !(0.05..=0.9).contains(&opts.test_share) {
        return Err(err(format!(
            "--test-share must be between 0.05 and 0.9, got {}",
            opts.test_share
        )));
    }
    // which rows are treated: one arm, or every treated arm pooled
    let arm_label = match &opts.arm {
        Some(a) => {
            let i = exp.arms.iter().position(|x| x == a).ok_or_else(|| {
                err(format!(
                    "{a:?} is not an arm of {} ({})",
                    exp.treatment,
                    exp.arms.join(", ")
                ))
            })?;
            if i == 0 {
                return Err(err(format!(
                    "{a:?} is the control arm: name a treated arm with --arm"
                )));
            }
            a.clone()
        }
        None => {
            if exp.arms.len() > 2 {
                notes.push(format!(
                    "the treated arms ({}) are pooled against {}: name one with --arm",
                    exp.arms[1..].join(", "),
                    exp.arms[0]
                ));
            }
            exp.arms[1..].join(" + ")
        }
    };
    let treated_of = |a: usize| match &opts.arm {
        Some(name) => (exp.arms[a] == *name).then_some(true),
        None => Some(a > 0),
    };
    let n = ws.rows();
    let mut rows = Vec::new();
    let mut treated = vec![false; n];
    let mut y = vec![false; n];
    for i in 0..n {
        let (Some(a), Some(v)) = (exp.arm_of_row[i], outcome.values[i]) else {
            continue;
        };
        let Some(t) = (a == 0).then_some(false).or_else(|| treated_of(a)) else {
            continue;
        };
        rows.push(i);
        treated[i] = t;
        y[i] = v == 1.0;
    }
    let stratum: Vec<usize> = rows
        .iter()
        .map(|&i| 2 * treated[i] as usize + y[i] as usize)
        .collect();
    for (s, what) in [
        (0, "control non-responders"),
        (1, "control responders"),
        (2, "treated non-responders"),
        (3, "treated responders"),
    ] {
        let c = stratum.iter().filter(|&&x| x == s).count();
        if c < 10 {
            return Err(err(format!(
                "only {c} {what} in {}: an uplift model needs at least 10 of each (is {} constant within an arm?)",
                outcome.name, outcome.name
            )));
        }
    }
    let (train, test) = stratified_parts(&rows, &stratum, opts.test_share, opts.seed);
    progress(0.05, "building the design matrix".into());
    let (numeric, categorical) = pre_treatment_columns(ws, exp);
    let design = design_matrix(&ws.df, &numeric, &categorical, MAX_LEVELS)
        .map_err(|e| err(e.to_string()))?;
    notes.extend(design.notes.iter().cloned());
    let binned = if opts.model.binned() {
        Some(Binned::new(design.x.view()).map_err(|e| err(e.to_string()))?)
    } else {
        None
    };
    let params = PredictParams {
        seed: opts.seed,
        ..Default::default()
    };
    let mut data = Dataset {
        x: design.x,
        y: y.clone(),
        names: design.names,
        is_dummy: design.is_dummy,
    };
    let fit = |data: &Dataset, rows: &[usize], what: &str| -> Result<Model, PipelineError> {
        fit_model(
            opts.model,
            data,
            binned.as_ref(),
            rows,
            &params,
            None,
            cancel,
        )
        .map(|(m, _)| m)
        .map_err(|e| match e {
            PredictError::Cancelled => PipelineError::Cancelled,
            e => err(format!("{what}: {e}")),
        })
    };
    let control_train: Vec<usize> = train.iter().copied().filter(|&i| !treated[i]).collect();
    progress(
        0.15,
        format!(
            "fitting the control model on {} rows",
            thousands(control_train.len() as f64)
        ),
    );
    let control_model = fit(&data, &control_train, "control model")?;
    let p_control = control_model.score(&data.x);
    let uplift: Vec<f64> = match opts.method {
        Method::TwoModel => {
            let treated_train: Vec<usize> = train.iter().copied().filter(|&i| treated[i]).collect();
            progress(
                0.5,
                format!(
                    "fitting the treated model on {} rows",
                    thousands(treated_train.len() as f64)
                ),
            );
            let m = fit(&data, &treated_train, "treated model")?;
            m.score(&data.x)
                .iter()
                .zip(&p_control)
                .map(|(t, c)| t - c)
                .collect()
        }
        Method::ClassTransformation => {
            let share = train.iter().filter(|&&i| treated[i]).count() as f64 / train.len() as f64;
            if (share - 0.5).abs() > 0.05 {
                notes.push(format!(
                    "class transformation assumes half the rows are treated; here {:.0} % are, so its uplift is a ranking more than an amount",
                    share * 100.0
                ));
            }
            for &i in &rows {
                data.y[i] = y[i] == treated[i];
            }
            progress(0.5, "fitting the transformed-class model".into());
            let m = fit(&data, &train, "class-transformation model")?;
            m.score(&data.x).iter().map(|p| 2.0 * p - 1.0).collect()
        }
    };
    progress(0.9, "evaluating on the held-out part".into());
    let ev = |v: &[usize]| -> (Vec<f64>, Vec<f64>, Vec<bool>) {
        (
            v.iter().map(|&i| y[i] as u8 as f64).collect(),
            v.iter().map(|&i| uplift[i]).collect(),
            v.iter().map(|&i| treated[i]).collect(),
        )
    };
    let (ty, ts, tt) = ev(&test);
    let e = |x: crate::analysis::uplift::UpliftError| err(format!("evaluating: {x}"));
    let qini = qini_auc_score(&ty, &ts, &tt).map_err(e)?;
    let auuc = uplift_auc_score(&ty, &ts, &tt).map_err(e)?;
    let at30 = uplift_at_k(&ty, &ts, &tt, Strategy::Overall, TopK::Fraction(0.3)).map_err(e)?;
    let random30 = overall_uplift(&ty, &tt).map_err(e)?;
    let deciles = uplift_by_percentile(&ty, &ts, &tt, Strategy::Overall, 10)
        .map_err(e)?
        .into_iter()
        .enumerate()
        .map(|(d, r)| DecileRow {
            decile: d + 1,
            rows: r.rows,
            treated_rate: r.treated_rate,
            control_rate: r.control_rate,
            uplift: r.uplift,
        })
        .collect();
    // groups: a clear positive or negative uplift, else by the response expected without contact
    let control_rate = rows.iter().filter(|&&i| !treated[i] && y[i]).count() as f64
        / rows.iter().filter(|&&i| !treated[i]).count().max(1) as f64;
    let delta = (0.25 * control_rate).max(0.002);
    let group: Vec<&'static str> = (0..n)
        .map(|i| {
            if uplift[i] >= delta {
                GROUPS[0]
            } else if uplift[i] <= -delta {
                GROUPS[3]
            } else if p_control[i] >= control_rate {
                GROUPS[1]
            } else {
                GROUPS[2]
            }
        })
        .collect();
    let mut part = vec![""; n];
    for &i in &train {
        part[i] = "train";
    }
    for &i in &test {
        part[i] = "test";
    }
    let groups = GROUPS
        .iter()
        .map(|g| (g.to_string(), group.iter().filter(|x| *x == g).count()))
        .collect();
    progress(1.0, "done".into());
    Ok(UpliftRun {
        method: opts.method,
        model: opts.model.word().to_string(),
        arm: arm_label,
        outcome: outcome.name.clone(),
        train_rows: train.len(),
        test_rows: test.len(),
        qini,
        auuc,
        uplift_at_30: at30,
        random: Random {
            qini: 0.0,
            auuc: 0.0,
            uplift_at_30: random30,
        },
        deciles,
        groups,
        notes,
        uplift,
        part,
        group,
    })
}
