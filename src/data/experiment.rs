//! Test tables: a treatment column (two or more arms: `0/1`, `Yes/No`, `control`/`treatment`, `No E-Mail` …)
//! found by its name and values, which arm is the control, and the outcomes measured after the test
//! (`visit`, `conversion`, `spend`, …). Every other column is a pre-treatment feature.

use polars::prelude::*;

use super::profile::{f64_values, string_values, Flag};
use super::Workspace;

/// Names a treatment column goes by (lower case, spaces and dashes as underscores).
const TREATMENT_NAMES: &[&str] = &[
    "treatment",
    "treated",
    "treatment_group",
    "treat",
    "group",
    "test_group",
    "arm",
    "variant",
    "assignment",
    "segment",
    "campaign_group",
    "offer",
    "w",
    "t",
];

/// Values that name the control arm.
const CONTROL_VALUES: &[&str] = &[
    "control",
    "ctrl",
    "holdout",
    "hold_out",
    "no_e_mail",
    "no_email",
    "none",
    "no",
    "false",
    "0",
    "c",
    "baseline",
    "untreated",
    "not_treated",
    "no_mail",
    "no_offer",
    "no_contact",
];

/// Names outcome columns go by.
const OUTCOME_NAMES: &[&str] = &[
    "conversion",
    "converted",
    "visit",
    "visited",
    "spend",
    "revenue",
    "response",
    "responded",
    "purchase",
    "purchased",
    "outcome",
    "y",
    "target",
    "sales",
    "order",
    "orders",
    "clicked",
    "click",
];

/// The most arms a treatment column may have: more is a category, not a test.
pub const MAX_ARMS: usize = 10;

/// Why a table cannot be read as a test.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExperimentError {
    #[error("no treatment column found: name it with --treatment COL (a column whose values are the arms, e.g. control/treatment or 0/1)")]
    NoTreatment,
    #[error("no column named {0:?}")]
    NoColumn(String),
    #[error("the treatment column {column:?} has {arms} values: a test has 2 to {max} arms (is it the right column?)", max = MAX_ARMS)]
    TooManyArms { column: String, arms: usize },
    #[error("the treatment column {column:?} has only one arm ({arm:?}): a readout needs a control and at least one treated arm")]
    OneArm { column: String, arm: String },
    #[error("no control arm in {column:?} (values: {values}): name it with --control VALUE")]
    NoControl { column: String, values: String },
    #[error("{value:?} is not a value of {column:?} (values: {values})")]
    NoSuchArm {
        column: String,
        value: String,
        values: String,
    },
    #[error("no outcome column found: name them with --outcome A,B (binary like conversion, or amounts like spend)")]
    NoOutcome,
    #[error("the outcome {0:?} is not numeric or binary")]
    BadOutcome(String),
    #[error("{0:?} is the treatment column; it cannot also be an outcome")]
    OutcomeIsTreatment(String),
}

/// A test table's roles, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    pub treatment: String,
    /// Arm names, the control first, then the treated arms in order of first appearance.
    pub arms: Vec<String>,
    /// Each row's arm (None where the treatment is missing).
    pub arm_of_row: Vec<Option<usize>>,
    pub outcomes: Vec<Outcome>,
    /// Every column measured after the test: the outcomes and any other column named like one (never a
    /// feature of an uplift model, or the model would read the answer).
    pub post: Vec<String>,
}

/// One outcome: its values (binary outcomes as 0/1) and whether it is a rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub values: Vec<Option<f64>>,
    pub binary: bool,
}

impl Experiment {
    /// Rows with an arm.
    pub fn rows(&self) -> usize {
        self.arm_of_row.iter().flatten().count()
    }
}

fn key(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace([' ', '-', '.'], "_")
}

/// Whether a value names the control arm.
pub fn is_control_value(v: &str) -> bool {
    CONTROL_VALUES.contains(&key(v).as_str())
}

/// Distinct non-null values of a column, in order of first appearance (stops past `cap`).
fn distinct_values(col: &Column, cap: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in string_values(col).into_iter().flatten() {
        if !out.contains(&v) {
            out.push(v);
            if out.len() > cap {
                break;
            }
        }
    }
    out
}

/// The treatment column: `asked`, else the first column with a treatment name and 2..=MAX_ARMS values
/// one of which names a control, else any such name with two values.
pub fn find_treatment(ws: &Workspace, asked: Option<&str>) -> Result<String, ExperimentError> {
    if let Some(a) = asked {
        return ws
            .profile(a)
            .map(|p| p.name.clone())
            .ok_or_else(|| ExperimentError::NoColumn(a.to_string()));
    }
    let named: Vec<&str> = TREATMENT_NAMES
        .iter()
        .flat_map(|n| {
            ws.profiles
                .iter()
                .filter(move |p| key(&p.name) == *n && !p.has(Flag::Id))
                .map(|p| p.name.as_str())
        })
        .collect();
    let with_control = named.iter().find(|n| {
        ws.df.column(n).is_ok_and(|c| {
            let vals = distinct_values(c, MAX_ARMS);
            (2..=MAX_ARMS).contains(&vals.len()) && vals.iter().any(|v| is_control_value(v))
        })
    });
    with_control
        .or_else(|| {
            named.iter().find(|n| {
                ws.df
                    .column(n)
                    .is_ok_and(|c| distinct_values(c, MAX_ARMS).len() == 2)
            })
        })
        // else the first so named, so that what is wrong with it (one arm, fifty) can be said
        .or(named.first())
        .map(|n| n.to_string())
        .ok_or(ExperimentError::NoTreatment)
}

/// Resolve the arms of `treatment`, its control (`control`, else the value that names one), and the
/// outcomes (`outcomes`, else the columns named like outcomes).
pub fn experiment(
    ws: &Workspace,
    treatment: &str,
    control: Option<&str>,
    outcomes: Option<&[String]>,
) -> Result<Experiment, ExperimentError> {
    let col = ws
        .df
        .column(treatment)
        .map_err(|_| ExperimentError::NoColumn(treatment.to_string()))?;
    let mut values = distinct_values(col, MAX_ARMS);
    if values.len() > MAX_ARMS {
        let arms = ws.profile(treatment).map_or(values.len(), |p| p.distinct);
        return Err(ExperimentError::TooManyArms {
            column: treatment.to_string(),
            arms,
        });
    }
    let listed = || values.join(", ");
    if values.len() < 2 {
        return Err(ExperimentError::OneArm {
            column: treatment.to_string(),
            arm: values.first().cloned().unwrap_or_default(),
        });
    }
    let control_at = match control {
        Some(c) => {
            values
                .iter()
                .position(|v| v == c)
                .ok_or_else(|| ExperimentError::NoSuchArm {
                    column: treatment.to_string(),
                    value: c.to_string(),
                    values: listed(),
                })?
        }
        None => values
            .iter()
            .position(|v| is_control_value(v))
            .ok_or_else(|| ExperimentError::NoControl {
                column: treatment.to_string(),
                values: listed(),
            })?,
    };
    let c = values.remove(control_at);
    values.insert(0, c);
    let arm_of_row = string_values(col)
        .into_iter()
        .map(|v| v.and_then(|v| values.iter().position(|a| *a == v)))
        .collect();
    let named: Vec<String> = OUTCOME_NAMES
        .iter()
        .flat_map(|n| {
            ws.profiles
                .iter()
                .filter(move |p| key(&p.name) == *n)
                .map(|p| p.name.clone())
        })
        .filter(|n| n != treatment)
        .collect();
    let names: Vec<String> = match outcomes {
        Some(list) => list.to_vec(),
        None => named.clone(),
    };
    let mut post = named;
    post.extend(
        names
            .iter()
            .filter(|n| !post.contains(n))
            .cloned()
            .collect::<Vec<_>>(),
    );
    if names.is_empty() {
        return Err(ExperimentError::NoOutcome);
    }
    let outcomes = names
        .iter()
        .map(|n| outcome(ws, n, treatment))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Experiment {
        treatment: treatment.to_string(),
        arms: values,
        arm_of_row,
        outcomes,
        post,
    })
}

/// An outcome's values: a binary column as 0/1 (its positive value as 1), a numeric one as it is.
fn outcome(ws: &Workspace, name: &str, treatment: &str) -> Result<Outcome, ExperimentError> {
    if name == treatment {
        return Err(ExperimentError::OutcomeIsTreatment(name.to_string()));
    }
    let p = ws
        .profile(name)
        .ok_or_else(|| ExperimentError::NoColumn(name.to_string()))?;
    let col = ws
        .df
        .column(name)
        .map_err(|_| ExperimentError::NoColumn(name.to_string()))?;
    if p.has(Flag::Binary) {
        if let Some(pos) = &p.positive {
            let values = string_values(col)
                .into_iter()
                .map(|v| v.map(|v| if &v == pos { 1.0 } else { 0.0 }))
                .collect();
            return Ok(Outcome {
                name: name.to_string(),
                values,
                binary: true,
            });
        }
    }
    if !p.numeric {
        return Err(ExperimentError::BadOutcome(name.to_string()));
    }
    let values = f64_values(col).ok_or_else(|| ExperimentError::BadOutcome(name.to_string()))?;
    let binary = values.iter().flatten().all(|v| *v == 0.0 || *v == 1.0);
    Ok(Outcome {
        name: name.to_string(),
        values,
        binary,
    })
}
