//! `campaign-lens predict FILE --target COL …`: model quality, coefficients in words, scores.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde_json::{json, Value};

use super::{open, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::analysis::predict::{ModelChoice, PredictParams};
use crate::data::profile::{string_values, Flag};
use crate::fmt::pct;
use crate::pipeline::predict::{resolve_target, run_predict, PredictRun};

pub struct PredictArgs<'a> {
    pub target: Option<&'a str>,
    pub positive: Option<&'a str>,
    pub features: Option<&'a str>,
    pub exclude: Option<&'a str>,
    pub model: &'a str,
    pub test_size: f64,
    pub seed: u64,
    pub cv: Option<usize>,
    pub scores_out: Option<&'a Path>,
    pub json: bool,
}

fn list(s: Option<&str>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

pub fn predict(file: &Path, read: &ReadArgs, a: &PredictArgs) -> CliResult {
    let ws = open(file, read)?;
    let target = resolve_target(&ws, a.target, a.positive).map_err(|e| UserError(e.to_string()))?;
    let models = match a.model {
        "logistic" => ModelChoice::Logistic,
        "tree" => ModelChoice::Tree,
        "all" => ModelChoice::All,
        other => {
            return Err(UserError(format!(
                "--model must be logistic, tree or all, got {other:?}"
            )))
        }
    };
    let params = PredictParams {
        models,
        test_size: a.test_size,
        seed: a.seed,
        cv_folds: a.cv,
        ..Default::default()
    };
    let features = a.features.map(|f| list(Some(f)));
    let tty = std::io::stderr().is_terminal();
    let progress = |f: f32, label: String| {
        if tty {
            eprint!("\r{label} · {:.0} %      ", f * 100.0);
        }
    };
    let run = run_predict(
        &ws,
        &target,
        features.as_deref(),
        &list(a.exclude),
        &params,
        &progress,
        &AtomicBool::new(false),
    )
    .map_err(|e| UserError(e.to_string()))?;
    if tty {
        eprint!("\r{}\r", " ".repeat(60));
    }
    if let Some(out) = a.scores_out {
        let id = ws
            .profiles
            .iter()
            .find(|p| p.has(Flag::Id))
            .map(|p| p.name.clone());
        let ids = id
            .as_ref()
            .and_then(|c| ws.df.column(c).ok())
            .map(string_values);
        let mut text = format!(
            "{},{}\n",
            id.clone().unwrap_or_else(|| "row".into()),
            run.target.score_column()
        );
        for (i, s) in run.scores.iter().enumerate() {
            let key = ids
                .as_ref()
                .and_then(|v| v[i].clone())
                .unwrap_or_else(|| (i + 1).to_string());
            text.push_str(&format!("{},{s:.6}\n", super::csv_cell(&key)));
        }
        write_atomic(out, text.as_bytes())?;
        eprintln!("wrote {} scores to {}", run.scores.len(), out.display());
    }
    if a.json {
        return print_json(&to_json(&run));
    }
    print_text(&run);
    Ok(())
}

/// The documented JSON shape.
pub fn to_json(run: &PredictRun) -> Value {
    let r = &run.report;
    json!({
        "target": run.target.label(),
        "positive": run.target.positive_label(),
        "rows": r.rows,
        "base_rate": r.base_rate,
        "features_used": run.features_used,
        "models": r.models.iter().map(|m| json!({
            "name": m.name,
            "accuracy": m.accuracy,
            "precision": m.precision,
            "recall": m.recall,
            "f1": m.f1,
            "roc_auc": m.roc_auc,
            "log_loss": m.log_loss,
            "brier": m.brier,
            "cv_auc_mean": m.cv_auc_mean,
            "cv_auc_sd": m.cv_auc_sd,
            "confusion": {"tp": m.confusion.tp, "fp": m.confusion.fp, "fn": m.confusion.fn_, "tn": m.confusion.tn},
            "drivers": m.drivers,
        })).collect::<Vec<_>>(),
        "coefficients": r.coefficients.iter().map(|c| json!({"feature": c.feature, "coef": c.coef})).collect::<Vec<_>>(),
    })
}

fn print_text(run: &PredictRun) {
    let r = &run.report;
    println!(
        "target {} = {} · {} rows · positive rate {} · {} features",
        run.target.label(),
        run.target.positive_label(),
        r.rows,
        pct(r.base_rate),
        run.features_used.len()
    );
    println!(
        "\n{:<28} {:>8} {:>9} {:>7} {:>6} {:>8} {:>8} {:>14}",
        "model", "accuracy", "precision", "recall", "F1", "ROC AUC", "log-loss", "CV AUC"
    );
    let outcome = format!("{} = {}", run.target.label(), run.target.positive_label());
    for m in &r.models {
        let cv = match (m.cv_auc_mean, m.cv_auc_sd) {
            (Some(a), Some(s)) => format!("{a:.3} ± {s:.3}"),
            _ => "–".into(),
        };
        println!(
            "{:<28} {:>8.3} {:>9.3} {:>7.3} {:>6.3} {:>8.3} {:>8.3} {:>14}",
            m.name, m.accuracy, m.precision, m.recall, m.f1, m.roc_auc, m.log_loss, cv
        );
    }
    println!(
        "{:<28} {:>8.3}",
        "majority-class baseline", r.baseline_accuracy
    );
    if let Some(m) = r.models.first() {
        println!(
            "\n{}",
            auc_words(
                m.roc_auc,
                &format!("{} = {}", run.target.label(), run.target.positive_label())
            )
        );
    }
    for m in &r.models {
        println!(
            "\nWhat drives the {} (drop in ROC AUC when a feature is shuffled; Brier {:.3}):",
            m.name, m.brier
        );
        for d in m.drivers.iter().take(5) {
            println!("  {:.3}  {}", d.importance, d.words(&outcome));
        }
    }
    println!("\nStrongest effects (standardised logistic coefficients):");
    for c in r.coefficients.iter().take(8) {
        println!("  {:+.3}  {}", c.coef, c.words);
    }
    for n in &run.notes {
        println!("note: {n}");
    }
}

/// ROC AUC in plain words.
pub fn auc_words(auc: f64, positive: &str) -> String {
    let quality = match auc {
        a if a >= 0.9 => "excellent",
        a if a >= 0.8 => "good",
        a if a >= 0.7 => "fair",
        a if a >= 0.6 => "weak",
        _ => "barely better than chance",
    };
    format!(
        "ROC AUC {auc:.3} ({quality}): given one customer with {positive} and one without, the model scores the first higher {:.0} % of the time.",
        auc * 100.0
    )
}
