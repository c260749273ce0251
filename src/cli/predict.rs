//! `campaign-lens predict FILE --target COL …`: model quality, coefficients in words, scores.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde_json::{json, Value};

use super::{open, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::analysis::models::predict::{ModelChoice, PredictParams};
use crate::data::profile::{string_values, Flag};
use crate::fmt::pct;
use crate::pipeline::predict::{resolve_target, run_predict, PredictRun};

pub struct PredictArgs<'a> {
    pub target: Option<&'a str>,
    pub positive: Option<&'a str>,
    pub features: Option<&'a str>,
    pub exclude: Option<&'a str>,
    pub model: &'a str,
    pub score_with: Option<&'a str>,
    pub test_size: f64,
    pub seed: u64,
    pub cv: Option<usize>,
    pub scores_out: Option<&'a Path>,
    /// Write the scoring model (features, parameters, calibration) to this model file.
    pub save_model: Option<&'a Path>,
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
    let models = model_choice(a.model)?;
    let score_with = match a.score_with {
        None => None,
        Some(w) => match ModelChoice::parse(w).map(|c| c.kinds()) {
            Some(k) if k.len() == 1 && models.kinds().contains(&k[0]) => Some(k[0]),
            _ => {
                return Err(UserError(format!(
                    "--score-with must name one of the fitted models ({}), got {w:?}",
                    models
                        .kinds()
                        .iter()
                        .map(|k| k.word())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        },
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
    let mut run = run_predict(
        &ws,
        &target,
        features.as_deref(),
        &list(a.exclude),
        &params,
        &progress,
        &AtomicBool::new(false),
    )
    .map_err(|e| UserError(e.to_string()))?;
    if let Some(kind) = score_with {
        let i = run.report.models.iter().position(|m| m.kind == kind);
        run.rescore(&ws, i).map_err(|e| UserError(e.to_string()))?;
    }
    if tty {
        eprint!("\r{}\r", " ".repeat(60));
    }
    if let Some(path) = a.save_model {
        crate::deploy::freeze::save(&ws, Some(&run), None, path)?;
        eprintln!(
            "saved {} to {}",
            run.report
                .selected()
                .map_or("the model", |m| m.kind.label()),
            path.display()
        );
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

/// `--model WORD`, or the one-line error.
pub fn model_choice(word: &str) -> Result<ModelChoice, UserError> {
    ModelChoice::parse(word).ok_or_else(|| {
        UserError(format!(
            "--model must be logistic, tree, forest, boosting, svm or all, got {word:?}"
        ))
    })
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
            "kind": m.kind,
            "accuracy": m.accuracy,
            "precision": m.precision,
            "recall": m.recall,
            "f1": m.f1,
            "roc_auc": m.roc_auc,
            "log_loss": m.log_loss,
            "brier": m.brier,
            "cv_auc_mean": m.cv_auc_mean,
            "cv_auc_sd": m.cv_auc_sd,
            "calibration": {
                "method": m.calibrator.name(),
                "brier_before": m.brier_uncalibrated,
                "brier_after": m.brier,
                "curve_before": m.curve_uncalibrated,
                "curve_after": m.curve,
            },
            "confusion": {"tp": m.confusion.tp, "fp": m.confusion.fp, "fn": m.confusion.fn_, "tn": m.confusion.tn},
            "drivers": m.drivers,
            "drivers_rows": m.drivers_rows,
        })).collect::<Vec<_>>(),
        "selected": r.selection,
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
        "\n  {:<20} {:>8} {:>9} {:>7} {:>6} {:>8} {:>8} {:>7} {:>14}  calibration",
        "model", "accuracy", "precision", "recall", "F1", "ROC AUC", "log-loss", "Brier", "CV AUC"
    );
    let outcome = format!("{} = {}", run.target.label(), run.target.positive_label());
    let chosen = r.selection.as_ref().map(|s| s.index);
    for (i, m) in r.models.iter().enumerate() {
        let cv = match (m.cv_auc_mean, m.cv_auc_sd) {
            (Some(a), Some(s)) => format!("{a:.3} ± {s:.3}"),
            _ => "–".into(),
        };
        let cal = match m.calibrator.name() {
            "none" if m.cv_auc_mean.is_none() => "– (needs --cv)".to_string(),
            "none" => "not needed".to_string(),
            c => format!("{c}: Brier {:.4} → {:.4}", m.brier_uncalibrated, m.brier),
        };
        println!(
            "{} {:<20} {:>8.3} {:>9.3} {:>7.3} {:>6.3} {:>8.3} {:>8.3} {:>7.4} {:>14}  {cal}",
            if chosen == Some(i) { "▶" } else { " " },
            m.kind.label(),
            m.accuracy,
            m.precision,
            m.recall,
            m.f1,
            m.roc_auc,
            m.log_loss,
            m.brier,
            cv
        );
    }
    println!("  {:<20} {:>8.3}", "majority baseline", r.baseline_accuracy);
    println!();
    for m in &r.models {
        println!("  {}", m.name);
    }
    if let Some(s) = &r.selection {
        println!("\n▶ {}", s.words);
    }
    if let Some(m) = r.selected() {
        println!("\n{}", auc_words(m.roc_auc, &outcome));
    }
    for m in &r.models {
        println!(
            "\nWhat drives the {} (drop in ROC AUC when a feature is shuffled, {} test rows):",
            m.kind.label(),
            m.drivers_rows
        );
        for d in m.drivers.iter().take(5) {
            println!("  {:.3}  {}", d.importance, d.words(&outcome));
        }
    }
    if !r.coefficients.is_empty() {
        println!("\nStrongest effects (standardised logistic coefficients):");
        for c in r.coefficients.iter().take(8) {
            println!("  {:+.3}  {}", c.coef, c.words);
        }
    }
    for n in &run.notes {
        println!("note: {n}");
    }
}

/// ROC AUC in plain words.
pub fn auc_words(auc: f64, positive: &str) -> String {
    let quality = crate::export::charts::findings::quality(auc);
    format!(
        "ROC AUC {auc:.3} ({quality}): given one customer with {positive} and one without, the model scores the first higher {:.0} % of the time.",
        auc * 100.0
    )
}
