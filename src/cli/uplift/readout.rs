//! `campaign-lens readout FILE`: per arm the rows and each outcome's rate or mean; per treated arm the
//! lift against control with its interval and p-value; the sample-ratio check, balance and CUPED.

use std::path::PathBuf;

use clap::Args;

use super::RoleArgs;
use crate::cli::{open, print_json, CliResult, ReadArgs, UserError};
use crate::fmt::{money, pct, thousands};
use crate::pipeline::uplift::readout::{run_readout, ReadoutOptions, ReadoutReport};

#[derive(Debug, Clone, Args)]
pub struct ReadoutArgs {
    /// A test table: one row per customer, a treatment column, outcomes measured after the test.
    pub file: PathBuf,
    #[command(flatten)]
    pub roles: RoleArgs,
    /// The planned split, control first, e.g. 0.1,0.9 (default: equal arms).
    #[arg(long, value_delimiter = ',')]
    pub split: Option<Vec<f64>>,
    /// Pre-period columns for CUPED (regression adjustment), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub covariates: Option<Vec<String>>,
    /// What one response is worth (for the incremental profit of each arm).
    #[arg(long)]
    pub value_per_response: Option<f64>,
    /// What one contact costs.
    #[arg(long)]
    pub cost_per_contact: Option<f64>,
    #[arg(long)]
    pub json: bool,
}

pub fn readout(a: &ReadoutArgs, read: &ReadArgs) -> CliResult {
    let ws = open(&a.file, read)?;
    for (name, v) in [
        ("--value-per-response", a.value_per_response),
        ("--cost-per-contact", a.cost_per_contact),
    ] {
        if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(UserError(format!("{name} must be a number of at least 0")));
        }
    }
    if a.value_per_response.is_some() != a.cost_per_contact.is_some() {
        return Err(UserError(
            "--value-per-response and --cost-per-contact go together".into(),
        ));
    }
    let exp = crate::pipeline::uplift::resolve(&ws, &a.roles.roles()).map_err(UserError)?;
    let opts = ReadoutOptions {
        split: a.split.clone(),
        covariates: a.covariates.clone().unwrap_or_default(),
        value_per_response: a.value_per_response,
        cost_per_contact: a.cost_per_contact,
    };
    let r = run_readout(&ws, &exp, &opts).map_err(UserError)?;
    for n in r.notes.iter().filter(|n| n.starts_with("SAMPLE-RATIO")) {
        eprintln!("warning: {n}");
    }
    if a.json {
        return print_json(&r);
    }
    print!("{}", table(&r));
    Ok(())
}

/// The readout as a person reads it.
pub fn table(r: &ReadoutReport) -> String {
    let mut out = format!(
        "{} rows · treatment {} · control {:?}\n",
        thousands(r.rows as f64),
        r.treatment,
        r.control
    );
    let outcomes: Vec<String> = r
        .arms
        .first()
        .map(|a| a.outcomes.keys().cloned().collect())
        .unwrap_or_default();
    out.push_str(&format!("\n{:<22}{:>10}", "arm", "rows"));
    for o in &outcomes {
        out.push_str(&format!("{:>14}{:>32}", o, "lift (95 %)"));
    }
    out.push('\n');
    for a in &r.arms {
        out.push_str(&format!("{:<22}{:>10}", a.name, thousands(a.rows as f64)));
        for o in &outcomes {
            let f = &a.outcomes[o];
            let mean = f["mean"].as_f64().unwrap_or(f64::NAN);
            let rate = r.arms.iter().all(|x| {
                x.outcomes[o]["mean"]
                    .as_f64()
                    .is_some_and(|m| (0.0..=1.0).contains(&m))
            });
            let show = |v: f64| {
                if rate {
                    format!("{:+.2} pt", v * 100.0)
                } else {
                    format!("{v:+.3}")
                }
            };
            let lift = match (f["lift"].as_f64(), f["lift_ci"].as_array()) {
                (Some(l), Some(ci)) => format!(
                    "{} ({}, {})",
                    show(l),
                    show(ci[0].as_f64().unwrap_or(f64::NAN)),
                    show(ci[1].as_f64().unwrap_or(f64::NAN))
                ),
                _ => "control".into(),
            };
            let mean = if rate {
                pct(mean)
            } else {
                format!("{mean:.3}")
            };
            out.push_str(&format!("{mean:>14}{lift:>32}"));
        }
        out.push('\n');
    }
    out.push('\n');
    for v in &r.verdicts {
        out.push_str(&format!("{v}.\n"));
    }
    for a in &r.arms {
        if let Some(m) = &a.money {
            out.push_str(&format!(
                "{}: incremental profit {} ({} to {}) on {} of contacts, ROI {}\n",
                a.name,
                money(m.incremental_profit, "$"),
                money(m.incremental_profit_ci[0], "$"),
                money(m.incremental_profit_ci[1], "$"),
                money(m.cost, "$"),
                pct(m.roi)
            ));
        }
    }
    out.push_str(&format!(
        "\nsample ratio: p = {:.3} against the planned split{}\n",
        r.srm.p_value,
        if r.srm.mismatch {
            " — MISMATCH"
        } else {
            " (fine)"
        }
    ));
    let off: Vec<String> = r
        .balance
        .iter()
        .filter(|b| b.imbalanced)
        .map(|b| format!("{} ({}: SMD {:+.2})", b.column, b.arm, b.smd))
        .collect();
    out.push_str(&if off.is_empty() {
        format!(
            "balance: all {} pre-treatment columns within |SMD| ≤ 0.1\n",
            r.balance
                .iter()
                .map(|b| &b.column)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        )
    } else {
        format!("balance: off by more than 0.1 SMD: {}\n", off.join(", "))
    });
    for c in &r.cuped {
        out.push_str(&format!(
            "CUPED {} {}: lift {:+.4} ({:+.4} to {:+.4}), interval {:.0} % of the unadjusted one\n",
            c.outcome,
            c.arm,
            c.lift,
            c.lift_ci[0],
            c.lift_ci[1],
            c.ci_width_ratio * 100.0
        ));
    }
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
