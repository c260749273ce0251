//! `campaign-lens segment FILE …`: the sweep, the chosen k and the personas, as tables or JSON.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde_json::{json, Map, Value};

use super::{open, print_json, CliResult, ReadArgs, UserError};
use crate::fmt::{num, pct, thousands};
use crate::pipeline::{default_features, run_segments, SegmentConfig, SegmentRun};

/// Options of the segment command.
pub struct SegmentArgs<'a> {
    pub features: Option<&'a str>,
    pub no_scale: bool,
    /// "auto" or a number.
    pub k: &'a str,
    pub k_min: usize,
    pub k_max: usize,
    pub seed: u64,
    pub target: Option<&'a str>,
    /// Write the segmentation (centroids, scaler, personas) to this model file.
    pub save_model: Option<&'a Path>,
    pub json: bool,
}

pub fn segment(file: &Path, read: &ReadArgs, a: &SegmentArgs) -> CliResult {
    let ws = open(file, read)?;
    let features = match a.features {
        Some(list) => list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => default_features(&ws),
    };
    let k = match a.k {
        "auto" => None,
        n => Some(
            n.parse::<usize>()
                .map_err(|_| UserError(format!("--k must be a number or auto, got {n:?}")))?,
        ),
    };
    if let Some(k) = k {
        if k < a.k_min || k > a.k_max {
            return Err(UserError(format!(
                "--k {k} is outside the sweep range {}..{}",
                a.k_min, a.k_max
            )));
        }
    }
    let cfg = SegmentConfig {
        features,
        scale: !a.no_scale,
        k_min: a.k_min,
        k_max: a.k_max,
        k,
        seed: a.seed,
        target: a.target.map(String::from),
        ..Default::default()
    };
    let file_name = ws.file_name();
    // progress on stderr, only when a person is watching it
    let tty = std::io::stderr().is_terminal();
    let progress = |f: f32, label: String| {
        if tty {
            eprint!("\r{label} · {:.0} %   ", f * 100.0);
        }
    };
    let run = run_segments(&ws, &cfg, &progress, &AtomicBool::new(false))
        .map_err(|e| UserError(format!("{file_name}: {e}")))?;
    if tty {
        eprint!("\r{}\r", " ".repeat(60));
    }
    if let Some(path) = a.save_model {
        crate::deploy::freeze::save(&ws, None, Some(&run), path)?;
        eprintln!("saved the segments to {}", path.display());
    }
    if a.json {
        return print_json(&to_json(&run));
    }
    print_tables(&run);
    Ok(())
}

/// The documented JSON shape.
pub fn to_json(run: &SegmentRun) -> Value {
    let personas: Vec<Value> = run
        .personas
        .iter()
        .map(|p| {
            let mut means = Map::new();
            let mut z = Map::new();
            for (f, m, _, zz) in &p.profile {
                means.insert(f.clone(), json!(m));
                z.insert(f.clone(), json!(zz));
            }
            json!({
                "id": p.id,
                "name": p.name,
                "size": p.size,
                "share": p.share,
                "means": means,
                "z": z,
                "target_rate": p.target_rate,
                "traits": p.traits,
                "strategy": p.strategy,
            })
        })
        .collect();
    json!({
        "rows_used": run.rows_used,
        "rows_dropped": run.rows_dropped,
        "features": run.config.features,
        "scaled": run.config.scale,
        "sweep": run.sweep.points.iter().map(|p| json!({"k": p.k, "inertia": p.inertia, "silhouette": p.silhouette})).collect::<Vec<_>>(),
        "elbow_k": run.sweep.verdict.elbow_k,
        "silhouette_k": run.sweep.verdict.silhouette_k,
        "chosen_k": run.chosen_k,
        "notes": run.notes,
        "personas": personas,
    })
}

fn print_tables(run: &SegmentRun) {
    println!(
        "{} rows clustered ({} left out for missing values) on {} feature(s){}: {}",
        thousands(run.rows_used as f64),
        thousands(run.rows_dropped as f64),
        run.config.features.len(),
        if run.config.scale { ", z-scored" } else { "" },
        run.config.features.join(", ")
    );
    println!("\n{:>3} {:>16} {:>11}", "k", "inertia", "silhouette");
    for p in &run.sweep.points {
        let mark = if p.k == run.chosen_k {
            "  ◀ chosen"
        } else {
            ""
        };
        println!(
            "{:>3} {:>16} {:>11}{mark}",
            p.k,
            num(p.inertia),
            p.silhouette.map(|s| format!("{s:.3}")).unwrap_or_default()
        );
    }
    for n in &run.notes {
        println!("note: {n}");
    }
    println!("\n{}", run.k_reason);
    for p in &run.personas {
        println!(
            "\n#{} {} — {} customers ({})",
            p.id,
            p.name,
            thousands(p.size as f64),
            pct(p.share)
        );
        if let (Some(r), Some(t)) = (p.target_rate, &run.target) {
            println!("   {t} rate {}", pct(r));
        }
        for t in &p.traits {
            println!("   · {t}");
        }
        let s = &p.strategy;
        if let Some(c) = &s.channel {
            println!("   channel: {c}");
        }
        if let Some(d) = &s.deal_sensitivity {
            println!("   deals: {d}");
        }
        println!("   offer: {}", s.offer);
        println!("   message: {}", s.message);
    }
}
