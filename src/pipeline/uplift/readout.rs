//! The readout of a test table: per arm the rows and each outcome's mean; per treated arm the lift
//! against control with its 95 % interval and p-value, the incremental total and (with a value per
//! response and a cost per contact) the incremental profit; the sample-ratio check, the balance of every
//! pre-treatment column and, with `covariates`, the CUPED-adjusted lifts.

use serde::Serialize;

use crate::analysis::uplift::balance::balance;
use crate::analysis::uplift::cuped::cuped;
use crate::analysis::uplift::readout::{readout, Lift, OutcomeKind, Readout};
use crate::analysis::uplift::srm::srm;
use crate::data::experiment::Experiment;
use crate::data::matrix::design_matrix;
use crate::data::profile::{f64_values, Flag};
use crate::data::Workspace;
use crate::fmt::{num, thousands};
use crate::pipeline::predict::MAX_LEVELS;

/// What a readout is asked for beyond the roles.
#[derive(Debug, Clone, Default)]
pub struct ReadoutOptions {
    /// Planned share of each arm, control first (default: equal).
    pub split: Option<Vec<f64>>,
    /// Pre-period columns for CUPED.
    pub covariates: Vec<String>,
    pub value_per_response: Option<f64>,
    pub cost_per_contact: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeFigures {
    pub mean: f64,
    pub lift: Option<f64>,
    pub lift_ci: Option<[f64; 2]>,
    pub relative_lift: Option<f64>,
    pub p_value: Option<f64>,
    pub incremental_total: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArmFigures {
    pub name: String,
    pub rows: usize,
    pub outcomes: serde_json::Map<String, serde_json::Value>,
    /// Incremental profit and ROI of contacting this arm (treated arms, with value and cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Money {
    pub outcome: String,
    pub incremental_profit: f64,
    pub incremental_profit_ci: [f64; 2],
    pub cost: f64,
    pub roi: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SrmFigures {
    pub p_value: f64,
    pub statistic: f64,
    pub expected: Vec<f64>,
    pub mismatch: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceRow {
    pub column: String,
    pub arm: String,
    pub smd: f64,
    pub imbalanced: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CupedRow {
    pub outcome: String,
    pub arm: String,
    pub lift: f64,
    pub lift_ci: [f64; 2],
    pub p_value: f64,
    pub unadjusted_ci: [f64; 2],
    pub ci_width_ratio: f64,
    pub variance_reduction: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadoutReport {
    pub rows: usize,
    pub treatment: String,
    pub control: String,
    pub arms: Vec<ArmFigures>,
    pub srm: SrmFigures,
    pub balance: Vec<BalanceRow>,
    pub cuped: Vec<CupedRow>,
    /// One plain sentence per treated arm and outcome.
    pub verdicts: Vec<String>,
    pub notes: Vec<String>,
}

/// Rows with an arm and a finite value: their arm indices and values.
fn complete(arm_of_row: &[Option<usize>], values: &[Option<f64>]) -> (Vec<usize>, Vec<f64>) {
    arm_of_row
        .iter()
        .zip(values)
        .filter_map(|(a, v)| match (a, v) {
            (Some(a), Some(v)) if v.is_finite() => Some((*a, *v)),
            _ => None,
        })
        .unzip()
}

/// The readout of every outcome of `exp` on `ws`.
pub fn run_readout(
    ws: &Workspace,
    exp: &Experiment,
    opts: &ReadoutOptions,
) -> Result<ReadoutReport, String> {
    let file = ws.file_name();
    let err = |e: &dyn std::fmt::Display| format!("{file}: {e}");
    let mut notes = Vec::new();
    let missing = ws.rows() - exp.rows();
    if missing > 0 {
        notes.push(format!(
            "{} rows without a value in {} left out",
            thousands(missing as f64),
            exp.treatment
        ));
    }
    let mut readouts: Vec<Readout> = Vec::new();
    for o in &exp.outcomes {
        let (arms, values) = complete(&exp.arm_of_row, &o.values);
        if arms.len() < exp.rows() {
            notes.push(format!(
                "{}: {} rows without a value left out",
                o.name,
                thousands((exp.rows() - arms.len()) as f64)
            ));
        }
        readouts.push(readout(&exp.arms, &arms, &o.name, &values).map_err(|e| err(&e))?);
    }
    let counts: Vec<usize> = (0..exp.arms.len())
        .map(|a| exp.arm_of_row.iter().filter(|r| **r == Some(a)).count())
        .collect();
    if let Some(s) = &opts.split {
        if s.len() != exp.arms.len() {
            return Err(format!(
                "{file}: --split gives {} shares for {} arms ({})",
                s.len(),
                exp.arms.len(),
                exp.arms.join(", ")
            ));
        }
    }
    let srm = srm(&exp.arms, &counts, opts.split.as_deref()).map_err(|e| err(&e))?;
    if srm.mismatch {
        notes.push(format!(
            "SAMPLE-RATIO MISMATCH: the arms' sizes ({}) are not the planned split (p = {:.2e}); the \
             assignment or the data is broken, so no lift below can be trusted",
            counts
                .iter()
                .map(|c| thousands(*c as f64))
                .collect::<Vec<_>>()
                .join(" / "),
            srm.p_value
        ));
    }
    let balance = balance_rows(ws, exp).map_err(|e| err(&e))?;
    let cuped = cuped_rows(ws, exp, &opts.covariates).map_err(|e| format!("{file}: {e}"))?;
    let arms = arm_figures(exp, &readouts, &counts, opts);
    let verdicts = readouts
        .iter()
        .flat_map(|r| r.lifts.iter().map(move |l| verdict(r, l)))
        .collect();
    Ok(ReadoutReport {
        rows: exp.rows(),
        treatment: exp.treatment.clone(),
        control: exp.arms[0].clone(),
        arms,
        srm: SrmFigures {
            p_value: srm.p_value,
            statistic: srm.statistic,
            expected: srm.expected,
            mismatch: srm.mismatch,
        },
        balance,
        cuped,
        verdicts,
        notes,
    })
}

fn arm_figures(
    exp: &Experiment,
    readouts: &[Readout],
    counts: &[usize],
    opts: &ReadoutOptions,
) -> Vec<ArmFigures> {
    (0..exp.arms.len())
        .map(|a| {
            let mut outcomes = serde_json::Map::new();
            let mut money_of = None;
            for r in readouts {
                let lift = r.lifts.iter().find(|l| l.arm == a);
                let f = OutcomeFigures {
                    mean: r.arms[a].mean,
                    lift: lift.map(|l| l.lift),
                    lift_ci: lift.map(|l| [l.ci_low, l.ci_high]),
                    relative_lift: lift.and_then(|l| l.relative_lift),
                    p_value: lift.map(|l| l.p_value),
                    incremental_total: lift.map(|l| l.incremental_total),
                };
                outcomes.insert(
                    r.outcome.clone(),
                    serde_json::to_value(f).unwrap_or_default(),
                );
                // money from the first binary outcome (a response), valued per response
                if let (Some(l), Some(v), Some(c), None) = (
                    lift,
                    opts.value_per_response,
                    opts.cost_per_contact,
                    &money_of,
                ) {
                    if r.kind == OutcomeKind::Binary {
                        let n = counts[a] as f64;
                        let cost = n * c;
                        let profit = |lift: f64| lift * n * v - cost;
                        money_of = Some(Money {
                            outcome: r.outcome.clone(),
                            incremental_profit: profit(l.lift),
                            incremental_profit_ci: [profit(l.ci_low), profit(l.ci_high)],
                            cost,
                            roi: if cost > 0.0 {
                                profit(l.lift) / cost
                            } else {
                                f64::NAN
                            },
                        });
                    }
                }
            }
            ArmFigures {
                name: exp.arms[a].clone(),
                rows: counts[a],
                outcomes,
                money: money_of.filter(|m| m.roi.is_finite() || m.cost == 0.0),
            }
        })
        .collect()
}

/// "Mens E-Mail raised visit by 7.7 points (7.0 to 8.4), p < 0.001".
pub fn verdict(r: &Readout, l: &Lift) -> String {
    let significant = l.p_value < 0.05 && (l.ci_low > 0.0 || l.ci_high < 0.0);
    let (amount, lo, hi) = match r.kind {
        OutcomeKind::Binary => (
            format!("{:.1} points", (l.lift * 100.0).abs()),
            format!("{:.1}", l.ci_low * 100.0),
            format!("{:.1}", l.ci_high * 100.0),
        ),
        OutcomeKind::Continuous => (
            format!("{} a customer", num(l.lift.abs())),
            num(l.ci_low),
            num(l.ci_high),
        ),
    };
    let p = if l.p_value < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {:.3}", l.p_value)
    };
    if significant {
        let verb = if l.lift > 0.0 { "raised" } else { "lowered" };
        format!(
            "{} {verb} {} by {amount} ({lo} to {hi}), {p}",
            l.name, r.outcome
        )
    } else {
        format!(
            "{} made no clear difference to {}: {}{amount} ({lo} to {hi}), {p}",
            l.name,
            r.outcome,
            if l.lift < 0.0 { "-" } else { "+" }
        )
    }
}

/// Pre-treatment columns: every numeric or categorical column but the treatment, the outcomes, IDs,
/// constants, dates and our own outputs.
pub fn pre_treatment_columns(ws: &Workspace, exp: &Experiment) -> (Vec<String>, Vec<String>) {
    let skip = |n: &str| {
        n == exp.treatment
            || exp.post.iter().any(|o| o == n)
            || crate::pipeline::columns::is_analysis_column(n)
            || ["uplift", "part", "group"].contains(&n)
    };
    let numeric = ws
        .profiles
        .iter()
        .filter(|p| p.is_model_numeric() && !p.derived && !skip(&p.name))
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

fn balance_rows(
    ws: &Workspace,
    exp: &Experiment,
) -> Result<Vec<BalanceRow>, crate::analysis::uplift::UpliftError> {
    let (numeric, categorical) = pre_treatment_columns(ws, exp);
    let Ok(design) = design_matrix(&ws.df, &numeric, &categorical, MAX_LEVELS) else {
        return Ok(Vec::new());
    };
    let rows: Vec<usize> = (0..ws.rows())
        .filter(|&i| exp.arm_of_row[i].is_some())
        .collect();
    let arms: Vec<usize> = rows.iter().filter_map(|&i| exp.arm_of_row[i]).collect();
    let mut out = Vec::new();
    for (j, name) in design.names.iter().enumerate() {
        let col: Vec<f64> = rows.iter().map(|&i| design.x[[i, j]]).collect();
        for b in balance(&exp.arms, &arms, name, &col)? {
            out.push(BalanceRow {
                column: name.clone(),
                arm: b.name,
                smd: b.smd,
                imbalanced: b.imbalanced,
            });
        }
    }
    Ok(out)
}

fn cuped_rows(
    ws: &Workspace,
    exp: &Experiment,
    covariates: &[String],
) -> Result<Vec<CupedRow>, String> {
    if covariates.is_empty() {
        return Ok(Vec::new());
    }
    let mut cols = Vec::new();
    for c in covariates {
        let col = ws
            .df
            .column(c)
            .ok()
            .and_then(f64_values)
            .ok_or_else(|| format!("--covariates: no numeric column named {c:?}"))?;
        cols.push(col);
    }
    let mut out = Vec::new();
    for o in &exp.outcomes {
        let keep: Vec<usize> = (0..ws.rows())
            .filter(|&i| {
                exp.arm_of_row[i].is_some()
                    && o.values[i].is_some_and(f64::is_finite)
                    && cols.iter().all(|c| c[i].is_some_and(f64::is_finite))
            })
            .collect();
        let arms: Vec<usize> = keep.iter().filter_map(|&i| exp.arm_of_row[i]).collect();
        let y: Vec<f64> = keep.iter().map(|&i| o.values[i].unwrap_or(0.0)).collect();
        let xs: Vec<Vec<f64>> = cols
            .iter()
            .map(|c| keep.iter().map(|&i| c[i].unwrap_or(0.0)).collect())
            .collect();
        let named: Vec<(&str, &[f64])> = covariates
            .iter()
            .zip(&xs)
            .map(|(n, x)| (n.as_str(), x.as_slice()))
            .collect();
        let c = cuped(&exp.arms, &arms, &o.name, &y, &named).map_err(|e| e.to_string())?;
        for l in c.lifts {
            out.push(CupedRow {
                outcome: o.name.clone(),
                arm: l.name,
                lift: l.adjusted.lift,
                lift_ci: [l.adjusted.ci_low, l.adjusted.ci_high],
                p_value: l.adjusted.p_value,
                unadjusted_ci: [l.unadjusted.ci_low, l.unadjusted.ci_high],
                ci_width_ratio: l.ci_width_ratio,
                variance_reduction: l.variance_reduction,
            });
        }
    }
    Ok(out)
}
