//! `campaign-lens uplift FILE`: an uplift model of a test table, evaluated on a held-out part, with every
//! row's uplift, part and group written by `--out`.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;

use super::RoleArgs;
use crate::analysis::models::predict::ModelKind;
use crate::cli::{open, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::fmt::{pct, thousands};
use crate::pipeline::uplift::model::{run_uplift, Method, UpliftOptions, UpliftRun};

#[derive(Debug, Clone, Args)]
pub struct UpliftArgs {
    /// A test table: one row per customer, a treatment column, outcomes measured after the test.
    pub file: PathBuf,
    #[command(flatten)]
    pub roles: RoleArgs,
    /// A treated arm to model against control (default: every treated arm pooled).
    #[arg(long)]
    pub arm: Option<String>,
    /// two-model or class-transformation.
    #[arg(long, default_value = "two-model")]
    pub method: String,
    /// The classifier inside: logistic, tree, forest, boosting or svm.
    #[arg(long, default_value = "boosting")]
    pub model: String,
    #[arg(long, default_value_t = 0.3)]
    pub test_share: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write every row with `uplift`, `part` (train / test) and `group` here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn uplift(a: &UpliftArgs, read: &ReadArgs) -> CliResult {
    let method = Method::parse(&a.method).ok_or_else(|| {
        UserError(format!(
            "--method: {:?} is not two-model or class-transformation",
            a.method
        ))
    })?;
    let model = ModelKind::ALL
        .into_iter()
        .find(|k| k.word() == a.model)
        .ok_or_else(|| {
            UserError(format!(
                "--model: {:?} is not logistic, tree, forest, boosting or svm",
                a.model
            ))
        })?;
    let ws = open(&a.file, read)?;
    let exp = crate::pipeline::uplift::resolve(&ws, &a.roles.roles()).map_err(UserError)?;
    let outcome = match a.roles.outcome.as_deref() {
        Some([one]) => Some(one.clone()),
        Some(many) if many.len() > 1 => {
            return Err(UserError(format!(
                "uplift models one outcome at a time; --outcome names {}",
                many.join(", ")
            )));
        }
        _ => None,
    };
    let opts = UpliftOptions {
        method,
        model,
        outcome,
        arm: a.arm.clone(),
        test_share: a.test_share,
        seed: a.seed,
    };
    let quiet = a.json;
    let progress = |f: f32, what: String| {
        if !quiet {
            eprintln!("{:>3.0} % {what}", f * 100.0);
        }
    };
    let run = run_uplift(&ws, &exp, &opts, &progress, &AtomicBool::new(false))
        .map_err(|e| UserError(e.to_string()))?;
    if let Some(out) = &a.out {
        let col = |f: &dyn Fn(usize) -> String| (0..ws.rows()).map(f).collect::<Vec<_>>();
        let text = super::frame_csv(
            &ws.df,
            &[
                ("uplift", col(&|i| format!("{}", run.uplift[i]))),
                ("part", col(&|i| run.part[i].to_string())),
                ("group", col(&|i| run.group[i].to_string())),
            ],
        );
        write_atomic(out, text.as_bytes())?;
        eprintln!(
            "wrote {} rows to {}",
            thousands(ws.rows() as f64),
            out.display()
        );
    }
    if a.json {
        return print_json(&run);
    }
    print!("{}", table(&run));
    Ok(())
}

pub fn table(r: &UpliftRun) -> String {
    let mut out = format!(
        "{} uplift of {} ({} against control), {} · {} training rows, {} held out\n",
        serde_json::to_value(r.method)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        r.outcome,
        r.arm,
        r.model,
        thousands(r.train_rows as f64),
        thousands(r.test_rows as f64)
    );
    out.push_str(&format!(
        "Qini coefficient {:.4} · AUUC {:.4} (random 0) · uplift in the top 30 % {} (everyone {})\n\n",
        r.qini,
        r.auuc,
        pct(r.uplift_at_30),
        pct(r.random.uplift_at_30)
    ));
    out.push_str(&format!(
        "{:>7}{:>9}{:>12}{:>12}{:>10}\n",
        "decile", "rows", "treated", "control", "uplift"
    ));
    let o = |x: Option<f64>| x.map(pct).unwrap_or_else(|| "–".into());
    for d in &r.deciles {
        out.push_str(&format!(
            "{:>7}{:>9}{:>12}{:>12}{:>10}\n",
            d.decile,
            thousands(d.rows as f64),
            o(d.treated_rate),
            o(d.control_rate),
            o(d.uplift)
        ));
    }
    out.push('\n');
    for (g, n) in &r.groups {
        out.push_str(&format!("{g}: {}\n", thousands(*n as f64)));
    }
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
