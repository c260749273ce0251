//! `campaign-lens bench make-numeric | make-repeat | segment | predict | predict-tab`: the modelling speed
//! figures in the README, each phase timed, with the peak memory of the process. The scikit-learn side of
//! each comparison is in `bench/` (same files, same work).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Instant;

use crate::analysis::models::evaluate::fit_and_evaluate;
use crate::analysis::models::predict::{
    fit_logistic, fit_tree, Dataset, ModelChoice, PredictParams,
};
use crate::analysis::models::split::{stratified_kfold, stratified_split};
use crate::cli::{CliResult, UserError};
use crate::data::matrix::design_matrix;
use crate::data::{LoadOptions, Workspace};
use crate::jobs::{run_with, JobKind, JobOutcome};
use crate::pipeline::predict::{default_predictors, outcome, resolve_target, MAX_LEVELS};
use crate::pipeline::{default_features, run_segments, SegmentConfig};

/// Peak resident memory of this process so far (Linux's VmHWM), in MB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn peak() -> String {
    peak_rss_mb().map_or("?".into(), |m| format!("{m:.0} MB"))
}

fn cannot_write(out: &Path, e: impl std::fmt::Display) -> UserError {
    UserError(format!("{}: cannot write: {e}", out.display()))
}

/// Write the modelling benchmark's table (see `synth::write_numeric_bench_csv`).
pub fn make_numeric(rows: usize, seed: u64, out: &Path) -> CliResult {
    let file = std::fs::File::create(out).map_err(|e| cannot_write(out, e))?;
    crate::synth::write_numeric_bench_csv(file, rows, seed).map_err(|e| cannot_write(out, e))?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {} ({rows} rows × 14 columns: an ID, 12 numeric features, responded; {:.1} MB)",
        out.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// Write `from`'s header once and its body `times` times (bank-full.csv × 16 is the one-hot benchmark).
pub fn make_repeat(from: &Path, times: usize, out: &Path) -> CliResult {
    let text = std::fs::read(from)
        .map_err(|e| UserError(format!("{}: cannot read: {e}", from.display())))?;
    let split = text
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| UserError(format!("{}: no header line", from.display())))?;
    let (head, body) = text.split_at(split + 1);
    let mut buf = Vec::with_capacity(head.len() + body.len() * times);
    buf.extend_from_slice(head);
    for _ in 0..times {
        buf.extend_from_slice(body);
        if !body.ends_with(b"\n") {
            buf.push(b'\n');
        }
    }
    std::fs::write(out, &buf).map_err(|e| cannot_write(out, e))?;
    println!(
        "wrote {} ({} × the body of {}, {:.1} MB)",
        out.display(),
        times,
        from.display(),
        buf.len() as f64 / 1e6
    );
    Ok(())
}

/// The Segments job on a file: load, default features, sweep k = 2..10 (n_init starts each, sampled
/// silhouette), the chosen k and its personas. Prints the time at which each k started and the inertia.
pub fn segment(file: &Path, n_init: usize) -> CliResult {
    let t = Instant::now();
    let ws = Workspace::open(file, &LoadOptions::default())?;
    let loaded = t.elapsed().as_secs_f64();
    let cfg = SegmentConfig {
        features: default_features(&ws),
        n_init,
        ..Default::default()
    };
    let marks = Mutex::new(Vec::new());
    let run = run_segments(
        &ws,
        &cfg,
        &|_, label| {
            if let Ok(mut m) = marks.lock() {
                m.push((t.elapsed().as_secs_f64(), label));
            }
        },
        &AtomicBool::new(false),
    )
    .map_err(|e| UserError(e.to_string()))?;
    let total = t.elapsed().as_secs_f64();
    println!(
        "{} rows × {} features ({}), n_init {n_init}",
        run.rows_used,
        cfg.features.len(),
        cfg.features.join(", ")
    );
    println!("load and profile: {loaded:.2} s");
    let mut last = String::new();
    for (s, label) in marks.into_inner().unwrap_or_default() {
        if label != last {
            println!("{s:7.2} s  {label}");
            last = label;
        }
    }
    for p in &run.sweep.points {
        println!(
            "k = {:2}: inertia {:.1} · silhouette {:.4}",
            p.k,
            p.inertia,
            p.silhouette.unwrap_or(f64::NAN)
        );
    }
    println!(
        "total {total:.2} s (chosen k = {}) · peak memory {}",
        run.chosen_k,
        peak()
    );
    Ok(())
}

/// The prediction work on a file, phase by phase: load, design matrix, logistic fit, tree fit, `cv`-fold
/// cross-validation of the chosen models, and scoring every row.
pub fn predict(
    file: &Path,
    target: Option<&str>,
    model: ModelChoice,
    cv: Option<usize>,
) -> CliResult {
    let t = Instant::now();
    let lap = |what: &str, since: &mut f64| {
        let now = t.elapsed().as_secs_f64();
        println!("{what:<34} {:7.2} s", now - *since);
        *since = now;
    };
    let mut since = 0.0;
    let ws = Workspace::open(file, &LoadOptions::default())?;
    lap("load and profile", &mut since);
    let tg = resolve_target(&ws, target, None).map_err(|e| UserError(e.to_string()))?;
    let (num, cat) = default_predictors(&ws, &tg, &[]);
    let design =
        design_matrix(&ws.df, &num, &cat, MAX_LEVELS).map_err(|e| UserError(e.to_string()))?;
    let y: Vec<bool> = outcome(&ws, &tg)?
        .into_iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    let data = Dataset {
        x: design.x,
        y,
        names: design.names,
        is_dummy: design.is_dummy,
    };
    lap(
        &format!("design matrix ({} × {})", data.x.nrows(), data.x.ncols()),
        &mut since,
    );
    let params = PredictParams {
        models: model,
        cv_folds: cv,
        ..Default::default()
    };
    let (train, test) = stratified_split(&data.y, params.test_size, params.seed)?;
    if model != ModelChoice::Tree {
        let (m, notes) = fit_logistic(&data, &train, &params)?;
        lap("logistic regression fit", &mut since);
        let s = m.score(&data.x.select(ndarray::Axis(0), &test));
        let yt: Vec<bool> = test.iter().map(|&i| data.y[i]).collect();
        let auc = crate::analysis::models::metrics::roc_auc(&yt, &s)?;
        println!("  test ROC AUC {auc:.4} {}", notes.join("; "));
        let all = m.score(&data.x);
        std::hint::black_box(&all);
        lap("score every row (logistic)", &mut since);
    }
    if model != ModelChoice::Logistic {
        let m = fit_tree(&data, &train, &params)?;
        lap("decision tree fit", &mut since);
        let all = m.score(&data.x);
        std::hint::black_box(&all);
        lap("score every row (tree)", &mut since);
    }
    if let Some(k) = cv {
        stratified_kfold(&data.y, k, params.seed)?;
        let r = fit_and_evaluate(
            &data,
            &params,
            "responding",
            &|_| {},
            &AtomicBool::new(false),
        )?;
        lap(&format!("fit and evaluate with {k}-fold CV"), &mut since);
        for m in &r.models {
            println!(
                "  {}: AUC {:.4}, CV AUC {:.4} ± {:.4}",
                m.name,
                m.roc_auc,
                m.cv_auc_mean.unwrap_or(f64::NAN),
                m.cv_auc_sd.unwrap_or(f64::NAN)
            );
        }
    }
    println!(
        "total {:.2} s · peak memory {}",
        t.elapsed().as_secs_f64(),
        peak()
    );
    Ok(())
}

/// The dashboard's Predict job on a file (logistic + tree + 5-fold CV, as on a first visit), timed from
/// the moment it starts: when each partial result would appear in the table, and when it is done.
pub fn predict_tab(file: &Path) -> CliResult {
    let ws = Workspace::open(file, &LoadOptions::default())?;
    let target = resolve_target(&ws, None, None).map_err(|e| UserError(e.to_string()))?;
    let kind = JobKind::Predict {
        ws: Box::new(ws),
        target,
        params: PredictParams {
            cv_folds: Some(5),
            ..Default::default()
        },
    };
    let t = Instant::now();
    let partial = |o: JobOutcome| {
        if let JobOutcome::Predicted(Ok(run)) = o {
            let shown: Vec<String> = run
                .report
                .models
                .iter()
                .map(|m| match m.cv_auc_mean {
                    Some(cv) => format!("{} (AUC {:.3}, CV {cv:.3})", m.name, m.roc_auc),
                    None => format!("{} (AUC {:.3})", m.name, m.roc_auc),
                })
                .collect();
            println!(
                "{:7.2} s  shown: {}",
                t.elapsed().as_secs_f64(),
                shown.join(" · ")
            );
        }
    };
    match run_with(kind, &|_, _| {}, &partial, &AtomicBool::new(false)) {
        JobOutcome::Predicted(Ok(_)) => {}
        JobOutcome::Predicted(Err(e)) => return Err(UserError(e)),
        _ => return Err(UserError("the Predict job did not finish".into())),
    }
    println!(
        "{:7.2} s  done · peak memory {}",
        t.elapsed().as_secs_f64(),
        peak()
    );
    Ok(())
}
