//! `campaign-lens bench …`: the speed figures quoted in the README, measured on this machine.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::cli::{CliResult, UserError};
use crate::data::{LoadOptions, Workspace};
use crate::pipeline::{default_features, run_segments, SegmentConfig};

/// Load a file `runs` times; print each run's read time (file → typed frame, what `pandas.read_csv` does) and
/// ready time (plus derived features and every column's profile: the dashboard can draw), and the medians.
pub fn load(file: &Path, runs: usize) -> CliResult {
    let (mut reads, mut readies) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let loaded = crate::data::load::load(file, &LoadOptions::default())?;
        let read = t.elapsed().as_secs_f64();
        let ws = Workspace::from_loaded(loaded).map_err(|e| UserError(e.to_string()))?;
        let ready = t.elapsed().as_secs_f64();
        println!(
            "{} rows × {} columns: read {read:.3} s, ready {ready:.3} s",
            ws.rows(),
            ws.df.width()
        );
        reads.push(read);
        readies.push(ready);
    }
    println!(
        "median over {} runs: read {:.3} s, ready {:.3} s",
        reads.len(),
        median(&mut reads),
        median(&mut readies)
    );
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Select every column of the Data tab in turn (histogram or frequencies, plus the breakdown by the default
/// target) and print how long each selection takes: what an arrow key costs on this file.
pub fn data_tab(file: &Path) -> CliResult {
    use crate::app::{update, Action, App};
    let ws = Workspace::open(file, &LoadOptions::default())?;
    let names: Vec<String> = ws.profiles.iter().map(|p| p.name.clone()).collect();
    let mut app = App::new();
    update(&mut app, Action::SetWorkspace(Box::new(ws)));
    let mut worst = (0.0f64, String::new());
    let mut total = 0.0;
    for (i, name) in names.iter().enumerate() {
        app.data.selected = i;
        let t = Instant::now();
        crate::app::data_tab::refresh(&mut app);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!("{name:<24} {ms:8.1} ms");
        total += ms;
        if ms > worst.0 {
            worst = (ms, name.clone());
        }
    }
    println!(
        "select a column: mean {:.1} ms, worst {:.1} ms ({}) over {} columns",
        total / names.len().max(1) as f64,
        worst.0,
        worst.1,
        names.len()
    );
    Ok(())
}

/// Write the loading benchmark's table (see `synth::write_load_bench_csv`).
pub fn make_load_file(rows: usize, seed: u64, out: &Path) -> CliResult {
    let file = std::fs::File::create(out)
        .map_err(|e| UserError(format!("{}: cannot write: {e}", out.display())))?;
    crate::synth::write_load_bench_csv(file, rows, seed)
        .map_err(|e| UserError(format!("{}: cannot write: {e}", out.display())))?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {} ({rows} rows × 13 columns, {:.1} MB)",
        out.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// A k-means sweep (k = 2..10, 10 starts each) over `rows` synthetic customers on the default features.
pub fn sweep(rows: usize, seed: u64) -> CliResult {
    let dir = std::env::temp_dir().join(format!("campaign-lens-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| UserError(e.to_string()))?;
    let path = dir.join("customers.csv");
    std::fs::write(&path, crate::synth::customers_csv(rows, seed))
        .map_err(|e| UserError(e.to_string()))?;
    let ws = Workspace::open(&path, &LoadOptions::default())?;
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = SegmentConfig {
        features: default_features(&ws),
        ..Default::default()
    };
    let t = Instant::now();
    let run = run_segments(&ws, &cfg, &|_, _| {}, &AtomicBool::new(false))
        .map_err(|e| UserError(e.to_string()))?;
    println!(
        "sweep k = 2..10, n_init 10, {} rows × {} features: {:.1} s (chosen k = {})",
        run.rows_used,
        cfg.features.len(),
        t.elapsed().as_secs_f64(),
        run.chosen_k
    );
    Ok(())
}

/// A slider move at `rows` customers: new economics → optimum, the outcome at the depth, everyone, and a
/// 101-point profit curve (what the ROI tab recomputes on a move). Scores are sorted once beforehand.
pub fn roi(rows: usize, seed: u64) -> CliResult {
    use crate::analysis::money::roi::{Economics, Targeting};
    use rand::{Rng, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let scores: Vec<f64> = (0..rows).map(|_| rng.gen::<f64>().powi(3)).collect();
    let t0 = Instant::now();
    let t = Targeting::new(&scores, None).map_err(|e| UserError(e.to_string()))?;
    println!(
        "sort once: {:.1} ms for {rows} customers",
        t0.elapsed().as_secs_f64() * 1e3
    );
    let mut worst = 0.0f64;
    let mut total = 0.0;
    let moves = 50;
    for i in 0..moves {
        let e = Economics {
            cost_per_contact: 1.0 + i as f64 * 0.1,
            revenue_per_response: 11.0,
            fixed_cost: 100.0,
            budget: None,
        };
        let t1 = Instant::now();
        let best = t.optimal(&e);
        let at = t.at_depth(&e, 0.3);
        let all = t.everyone(&e);
        let curve = t.curve(&e, 101);
        let ms = t1.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box((best, at, all, curve));
        worst = worst.max(ms);
        total += ms;
    }
    println!(
        "slider move (optimum + depth + everyone + 101-point curve): mean {:.2} ms, worst {:.2} ms over {moves} moves (target: under 16 ms)",
        total / moves as f64,
        worst
    );
    Ok(())
}
