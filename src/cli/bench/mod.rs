//! The `campaign-lens bench …` subcommands: their arguments and which function measures each.

pub mod dashboard;
pub mod fuzz;
pub mod mix;
pub mod models;

use std::path::PathBuf;

use clap::Subcommand;

use crate::analysis::models::predict::ModelChoice;
use crate::cli::{CliResult, UserError};

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Load a file several times and report the median.
    Load {
        file: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Write the loading benchmark's table: 13 columns (ID, text, date, ints, money, long floats, Yes/No).
    MakeLoadFile {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Select each column of the Data tab in turn and time it (chart + breakdown).
    DataTab { file: PathBuf },
    /// The marketing-mix model on generated weeks: search, fit, bootstrap and budget plan, timed.
    Mix {
        #[arg(long, default_value_t = 208)]
        weeks: usize,
        #[arg(long, default_value_t = 10)]
        channels: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// An ROI slider move over N customers' scores.
    Roi {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write the modelling benchmark's table: an ID, 12 numeric features and a 0/1 `responded`.
    MakeNumeric {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write FROM's header once and its body N times (bank-full.csv × 16: the one-hot benchmark).
    MakeRepeat {
        from: PathBuf,
        #[arg(long, default_value_t = 16)]
        times: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// The Segments job on FILE, timed: load, sweep k = 2..10 per k, the chosen k; peak memory.
    Segment {
        file: PathBuf,
        #[arg(long, default_value_t = 10)]
        n_init: usize,
    },
    /// The prediction work on FILE phase by phase: design, logistic, tree, CV, scoring; peak memory.
    Predict {
        file: PathBuf,
        #[arg(long)]
        target: Option<String>,
        /// logistic, tree or all.
        #[arg(long, default_value = "all")]
        model: String,
        #[arg(long)]
        cv: Option<usize>,
    },
    /// The dashboard's Predict job on FILE: when each model would appear, and when all are done.
    PredictTab { file: PathBuf },
    /// Fuzz the loader: open N generated malformed tables; any panic or unclear message is a finding.
    FuzzLoad {
        #[arg(long, default_value_t = 10_000)]
        cases: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder for the case being run (kept when the process aborts).
        #[arg(long, default_value = "fuzz-cases")]
        keep: PathBuf,
    },
    /// A k-means sweep (k = 2..10, 10 starts) over N synthetic customers.
    Sweep {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Run one benchmark.
pub fn run(what: BenchCmd) -> CliResult {
    match what {
        BenchCmd::Load { file, runs } => crate::cli::bench::dashboard::load(&file, runs),
        BenchCmd::Sweep { rows, seed } => crate::cli::bench::dashboard::sweep(rows, seed),
        BenchCmd::MakeNumeric { rows, seed, out } => {
            crate::cli::bench::models::make_numeric(rows, seed, &out)
        }
        BenchCmd::MakeRepeat { from, times, out } => {
            crate::cli::bench::models::make_repeat(&from, times, &out)
        }
        BenchCmd::Segment { file, n_init } => crate::cli::bench::models::segment(&file, n_init),
        BenchCmd::Predict {
            file,
            target,
            model,
            cv,
        } => match model.as_str() {
            "logistic" | "tree" | "all" => crate::cli::bench::models::predict(
                &file,
                target.as_deref(),
                match model.as_str() {
                    "logistic" => ModelChoice::Logistic,
                    "tree" => ModelChoice::Tree,
                    _ => ModelChoice::All,
                },
                cv,
            ),
            other => Err(UserError(format!(
                "--model must be logistic, tree or all, got {other:?}"
            ))),
        },
        BenchCmd::PredictTab { file } => crate::cli::bench::models::predict_tab(&file),
        BenchCmd::FuzzLoad { cases, seed, keep } => {
            crate::cli::bench::fuzz::fuzz_load(cases, seed, &keep)
        }
        BenchCmd::Mix {
            weeks,
            channels,
            seed,
        } => crate::cli::bench::mix::mix(weeks, channels, seed),
        BenchCmd::Roi { rows, seed } => crate::cli::bench::dashboard::roi(rows, seed),
        BenchCmd::DataTab { file } => crate::cli::bench::dashboard::data_tab(&file),
        BenchCmd::MakeLoadFile { rows, seed, out } => {
            crate::cli::bench::dashboard::make_load_file(rows, seed, &out)
        }
    }
}
