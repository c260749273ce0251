//! `campaign-lens plan-test`: the rows each arm needs to detect a lift, and (on a customer or scored
//! file) a random control group drawn within strata, written as a `group` column.

use std::path::PathBuf;

use clap::Args;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::json;

use crate::analysis::uplift::power::rows_per_arm;
use crate::cli::{open, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::fmt::{pct, thousands};

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// A customer or scored file to draw the control group from (optional).
    pub file: Option<PathBuf>,
    /// The response rate expected without contact (0..1).
    #[arg(long)]
    pub baseline: Option<f64>,
    /// The smallest lift worth detecting, in absolute terms (0.01 = one point).
    #[arg(long)]
    pub mde: Option<f64>,
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// Share of the list held back as control.
    #[arg(long, default_value_t = 0.1)]
    pub control_share: f64,
    /// Column to stratify the draw by (default: persona, else the score's decile, else none).
    #[arg(long)]
    pub stratify: Option<String>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write the list with its `group` column (control / treatment) here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn plan_test(a: &PlanArgs, read: &ReadArgs) -> CliResult {
    let mut report = serde_json::Map::new();
    if a.baseline.is_some() || a.mde.is_some() {
        let (Some(b), Some(m)) = (a.baseline, a.mde) else {
            return Err(UserError("--baseline and --mde go together".into()));
        };
        let n = rows_per_arm(b, m, a.alpha, a.power).map_err(|e| UserError(e.to_string()))?;
        report.insert("rows_per_arm".into(), json!(n));
        report.insert("baseline".into(), json!(b));
        report.insert("mde".into(), json!(m));
        report.insert("alpha".into(), json!(a.alpha));
        report.insert("power".into(), json!(a.power));
        if !a.json {
            println!(
                "{} rows per arm detect a lift from {} to {} ({} two-sided, power {})",
                thousands(n as f64),
                pct(b),
                pct(b + m),
                a.alpha,
                a.power
            );
        }
    }
    if let Some(file) = &a.file {
        let drawn = draw(file, a, read)?;
        if !a.json {
            println!(
                "{}: {} of {} customers held back as control{}",
                file.display(),
                thousands(drawn.0 as f64),
                thousands(drawn.1 as f64),
                drawn
                    .2
                    .as_ref()
                    .map(|s| format!(", stratified by {s}"))
                    .unwrap_or_default()
            );
        }
        report.insert("control_rows".into(), json!(drawn.0));
        report.insert("rows".into(), json!(drawn.1));
        report.insert("stratified_by".into(), json!(drawn.2));
    } else if a.out.is_some() {
        return Err(UserError(
            "--out needs a FILE to draw the control group from".into(),
        ));
    }
    if report.is_empty() {
        return Err(UserError(
            "plan-test needs --baseline and --mde (the sample size), or a FILE (a control group)"
                .into(),
        ));
    }
    if a.json {
        print_json(&report)?;
    }
    Ok(())
}

/// Draw the control group; (control rows, rows, the stratifying column).
fn draw(
    file: &std::path::Path,
    a: &PlanArgs,
    read: &ReadArgs,
) -> Result<(usize, usize, Option<String>), UserError> {
    if !(a.control_share > 0.0 && a.control_share < 1.0) {
        return Err(UserError(format!(
            "--control-share must be between 0 and 1, got {}",
            a.control_share
        )));
    }
    let ws = open(file, read)?;
    let n = ws.rows();
    let strat_col = match &a.stratify {
        Some(c) => Some(
            ws.profile(c)
                .map(|p| p.name.clone())
                .ok_or_else(|| UserError(format!("{}: no column named {c:?}", ws.file_name())))?,
        ),
        None => ws
            .profile(crate::pipeline::PERSONA_COL)
            .map(|p| p.name.clone())
            .or_else(|| {
                ws.profiles
                    .iter()
                    .find(|p| p.name.starts_with("score_"))
                    .map(|p| p.name.clone())
            }),
    };
    // strata: the column's values, or a score's deciles
    let strata: Vec<String> = match &strat_col {
        Some(c) => {
            let col = ws.df.column(c).map_err(|e| UserError(e.to_string()))?;
            if c.starts_with("score_") {
                let v = crate::data::profile::f64_values(col).unwrap_or_default();
                let mut sorted: Vec<f64> = v.iter().flatten().copied().collect();
                sorted.sort_by(f64::total_cmp);
                v.iter()
                    .map(|x| match x {
                        Some(x) => {
                            let r = sorted.partition_point(|s| s < x);
                            format!("{}", (10 * r / sorted.len().max(1)).min(9))
                        }
                        None => "missing".into(),
                    })
                    .collect()
            } else {
                crate::data::profile::string_values(col)
                    .into_iter()
                    .map(|v| v.unwrap_or_else(|| "missing".into()))
                    .collect()
            }
        }
        None => vec![String::new(); n],
    };
    let mut by: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, s) in strata.iter().enumerate() {
        by.entry(s).or_default().push(i);
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(a.seed);
    let mut control = vec![false; n];
    for rows in by.values_mut() {
        rows.shuffle(&mut rng);
        let k = (rows.len() as f64 * a.control_share).round() as usize;
        for &i in &rows[..k] {
            control[i] = true;
        }
    }
    if let Some(out) = &a.out {
        let group: Vec<String> = control
            .iter()
            .map(|&c| if c { "control" } else { "treatment" }.to_string())
            .collect();
        let text = super::frame_csv(&ws.df, &[("group", group)]);
        write_atomic(out, text.as_bytes())?;
        eprintln!("wrote {} rows to {}", thousands(n as f64), out.display());
    }
    Ok((control.iter().filter(|c| **c).count(), n, strat_col))
}
