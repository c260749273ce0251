//! campaign-lens: with no subcommand, the dashboard; with one, a headless analysis.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use campaign_lens::app::{update, Action, App};
use campaign_lens::cli::{self, UserError};

/// The bundled sample opened when no file is given.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data/customers.csv");

/// The bundled sample: the checkout `cargo run` runs in, else the one the binary was built from (two
/// clones sharing a target folder share one binary).
fn sample_path() -> PathBuf {
    std::fs::canonicalize("sample_data/customers.csv").unwrap_or_else(|_| PathBuf::from(SAMPLE))
}

#[derive(Parser)]
#[command(
    name = "campaign-lens",
    version,
    about = "A terminal dashboard for marketing analytics: profile customers, find segments, predict response, price targeting.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Table to open in the dashboard (CSV, TSV, `;`- or `|`-separated, or Parquet); default: the bundled sample.
    file: Option<PathBuf>,
    /// Separator for delimited text (`,` tab `;` `|`, or `space` for whitespace-aligned columns); sniffed
    /// when absent.
    #[arg(long, global = true)]
    separator: Option<String>,
    /// Sheet of an Excel or OpenDocument workbook: a name or a number from 1 (default: the first).
    #[arg(long, global = true)]
    sheet: Option<String>,
    /// Text encoding (utf-8, windows-1252, latin1, utf-16le, …); detected when absent.
    #[arg(long, global = true)]
    encoding: Option<String>,
    /// Do not restore (or save) the session for this file.
    #[arg(long)]
    no_session: bool,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Profile every column: type, nulls, distinct values, min/mean/max, flags.
    Profile {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Rate of a binary target per category (or quintile) of another column, with 95 % intervals.
    Breakdown {
        file: PathBuf,
        /// Column to group by.
        #[arg(long)]
        by: String,
        /// Binary outcome column.
        #[arg(long)]
        target: String,
        /// Value of the target that counts as a hit (default: yes/true/1).
        #[arg(long)]
        positive: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Find customer segments: k-means over a range of k, the elbow, and personas for the chosen k.
    Segment {
        file: PathBuf,
        /// Comma-separated feature columns (default: recognised marketing features, else all numeric ones).
        #[arg(long)]
        features: Option<String>,
        /// Cluster on raw values instead of z-scores.
        #[arg(long)]
        no_scale: bool,
        /// The k to describe: a number or `auto` (the elbow).
        #[arg(long, default_value = "auto")]
        k: String,
        #[arg(long, default_value_t = 2)]
        k_min: usize,
        #[arg(long, default_value_t = 10)]
        k_max: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Binary column whose rate is shown per persona (default: Response, Churn, y, …).
        #[arg(long)]
        target: Option<String>,
        /// Save the segments (features, scaler, centroids, personas) as a model file for `score` and `sql`.
        #[arg(long)]
        save_model: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Predict response or churn: logistic regression and a decision tree, quality in plain words, scores.
    Predict {
        file: PathBuf,
        /// Binary column (Yes/No, 0/1, …) or a rule such as "Recency > 60" (default: Response, Churn, y, …).
        #[arg(long)]
        target: Option<String>,
        /// Target value that counts as positive (default: yes/true/1).
        #[arg(long)]
        positive: Option<String>,
        /// Comma-separated feature columns (default: every usable column).
        #[arg(long)]
        features: Option<String>,
        /// Comma-separated columns to leave out.
        #[arg(long)]
        exclude: Option<String>,
        /// logistic, tree, forest, boosting, svm or all.
        #[arg(long, default_value = "all")]
        model: String,
        /// Score with this model (logistic, tree, forest, boosting, svm) instead of the best by CV AUC.
        #[arg(long)]
        score_with: Option<String>,
        #[arg(long, default_value_t = 0.25)]
        test_size: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Stratified k-fold cross-validation folds on the training rows (they also fit the
        /// calibration); 0 = none.
        #[arg(long, default_value_t = 5)]
        cv: usize,
        /// Write every row's score (with the ID column) to this CSV.
        #[arg(long)]
        scores_out: Option<PathBuf>,
        /// Save the scoring model (features, parameters, calibration) as a model file for `score` and `sql`.
        #[arg(long)]
        save_model: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Roll an order log up into the customer table: RFM segments, P(alive) and lifetime value.
    Customers(cli::customers::CustomersArgs),
    /// Recommend products per customer from an order log, measured on a holdout against popularity.
    Recommend(cli::recommend::RecommendArgs),
    /// Read out a test: per arm the outcomes, per treated arm the lift against control with its interval.
    Readout(cli::uplift::readout::ReadoutArgs),
    /// Plan a test: rows per arm for a lift worth detecting, or a random control group for a list.
    PlanTest(cli::uplift::plan::PlanArgs),
    /// Model uplift (who responds because of the contact) on a test table, judged on a held-out part.
    Uplift(cli::uplift::model::UpliftArgs),
    /// Apply saved models to a new file: the ID column, then score_<target>, cluster, persona.
    Score(cli::deploy::ScoreArgs),
    /// Print one SQL SELECT that scores every row of a warehouse table with saved models.
    Sql(cli::deploy::SqlArgs),
    /// What targeting is worth (customer tables) or where the budget should go (--campaigns).
    Roi {
        file: PathBuf,
        /// Binary outcome to score customers on (default: Response, Churn, y, …).
        #[arg(long)]
        target: Option<String>,
        #[arg(long)]
        cost_per_contact: Option<f64>,
        #[arg(long)]
        revenue_per_response: Option<f64>,
        #[arg(long, default_value_t = 0.0)]
        fixed_cost: f64,
        #[arg(long)]
        budget: Option<f64>,
        /// Share of customers contacted, best first (0..1).
        #[arg(long, default_value_t = 0.3)]
        depth: f64,
        /// Models compared (logistic, tree, forest, boosting, svm, all); the best by CV AUC scores.
        #[arg(long, default_value = "all")]
        model: String,
        /// Treat FILE as a campaign table (one row per campaign).
        #[arg(long)]
        campaigns: bool,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        spend: Option<String>,
        #[arg(long)]
        conversions: Option<String>,
        #[arg(long)]
        revenue: Option<String>,
        /// Total budget to allocate across channels (default: today's total).
        #[arg(long)]
        total_budget: Option<f64>,
        #[arg(long)]
        json: bool,
    },
    /// Run the whole pipeline and write a stakeholder report (HTML, Markdown, charts, CSVs) to a folder.
    Report {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        target: Option<String>,
        /// The number of segments, or auto.
        #[arg(long, default_value = "auto")]
        k: String,
        #[arg(long)]
        cost_per_contact: Option<f64>,
        #[arg(long)]
        revenue_per_response: Option<f64>,
        /// Reuse an existing output folder.
        #[arg(long)]
        force: bool,
        /// Models compared (logistic, tree, forest, boosting, svm, all); the best by CV AUC scores.
        #[arg(long, default_value = "all")]
        model: String,
        /// Print the executive summary's figures as JSON (the files are written all the same).
        #[arg(long)]
        json: bool,
    },
    /// Settings: print the file's path, or write a commented default.
    Config {
        /// Print where the settings file is.
        #[arg(long)]
        path: bool,
        /// Write a commented default settings file (refuses to overwrite one).
        #[arg(long)]
        init: bool,
    },
    /// Measure the speed figures quoted in the README.
    Bench {
        #[command(subcommand)]
        what: cli::bench::BenchCmd,
    },
    /// Write a synthetic, deterministic sample table.
    Sample {
        #[arg(long, default_value_t = 5000)]
        rows: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Write campaign-level rows (Channel, Spend, Conversions, …) instead of customers.
        #[arg(long)]
        campaigns: bool,
        /// Write a test table (an e-mail test with a known effect per customer) instead of customers.
        #[arg(long, conflicts_with = "campaigns")]
        test: bool,
    },
}

fn run(cli: Cli) -> Result<(), UserError> {
    let read = cli::ReadArgs {
        separator: cli.separator.as_deref(),
        sheet: cli.sheet.as_deref(),
        encoding: cli.encoding.as_deref(),
    };
    let sep = &read;
    match cli.command {
        Some(Cmd::Profile { file, json }) => cli::profile(&file, sep, json),
        Some(Cmd::Breakdown {
            file,
            by,
            target,
            positive,
            json,
        }) => cli::breakdown_cmd(&file, sep, &by, &target, positive.as_deref(), json),
        Some(Cmd::Segment {
            file,
            features,
            no_scale,
            k,
            k_min,
            k_max,
            seed,
            target,
            save_model,
            json,
        }) => cli::segment::segment(
            &file,
            sep,
            &cli::segment::SegmentArgs {
                features: features.as_deref(),
                no_scale,
                k: &k,
                k_min,
                k_max,
                seed,
                target: target.as_deref(),
                save_model: save_model.as_deref(),
                json,
            },
        ),
        Some(Cmd::Predict {
            file,
            target,
            positive,
            features,
            exclude,
            model,
            score_with,
            test_size,
            seed,
            cv,
            scores_out,
            save_model,
            json,
        }) => cli::predict::predict(
            &file,
            sep,
            &cli::predict::PredictArgs {
                target: target.as_deref(),
                positive: positive.as_deref(),
                features: features.as_deref(),
                exclude: exclude.as_deref(),
                model: &model,
                score_with: score_with.as_deref(),
                test_size,
                seed,
                cv: (cv > 0).then_some(cv),
                scores_out: scores_out.as_deref(),
                save_model: save_model.as_deref(),
                json,
            },
        ),
        Some(Cmd::Roi {
            file,
            target,
            cost_per_contact,
            revenue_per_response,
            fixed_cost,
            budget,
            depth,
            model,
            campaigns,
            group,
            spend,
            conversions,
            revenue,
            total_budget,
            json,
        }) => {
            if campaigns {
                cli::roi::campaigns(
                    &file,
                    sep,
                    &cli::roi::CampaignArgs {
                        group: group.as_deref(),
                        spend: spend.as_deref(),
                        conversions: conversions.as_deref(),
                        revenue: revenue.as_deref(),
                        total: total_budget,
                        json,
                    },
                )
            } else {
                cli::roi::customers(
                    &file,
                    sep,
                    &cli::roi::CustomerArgs {
                        target: target.as_deref(),
                        cost: cost_per_contact,
                        revenue: revenue_per_response,
                        fixed: fixed_cost,
                        budget,
                        depth,
                        model: &model,
                        json,
                    },
                )
            }
        }
        Some(Cmd::Report {
            file,
            out,
            target,
            k,
            cost_per_contact,
            revenue_per_response,
            force,
            model,
            json,
        }) => cli::report::report(
            &file,
            sep,
            &cli::report::ReportArgs {
                out: &out,
                target: target.as_deref(),
                k: &k,
                cost: cost_per_contact,
                revenue: revenue_per_response,
                force,
                model: &model,
                json,
            },
        ),
        Some(Cmd::Config { path, init }) => cli::config(path, init),
        Some(Cmd::Customers(args)) => cli::customers::customers(&args, sep),
        Some(Cmd::Readout(args)) => cli::uplift::readout::readout(&args, sep),
        Some(Cmd::PlanTest(args)) => cli::uplift::plan::plan_test(&args, sep),
        Some(Cmd::Uplift(args)) => cli::uplift::model::uplift(&args, sep),
        Some(Cmd::Recommend(args)) => cli::recommend::recommend(&args, sep),
        Some(Cmd::Score(args)) => cli::deploy::score(&args, sep),
        Some(Cmd::Sql(args)) => cli::deploy::sql(&args),
        Some(Cmd::Bench { what }) => cli::bench::run(what),
        Some(Cmd::Sample {
            rows,
            seed,
            out,
            campaigns,
            test,
        }) => cli::sample(rows, seed, &out, campaigns, test),
        None => {
            let path = cli.file.unwrap_or_else(sample_path);
            let settings =
                campaign_lens::config::load(&campaign_lens::config::path()).map_err(UserError)?;
            let mut app = App::new().with_settings(settings);
            app.load_options = cli::load_options(sep)?;
            // Load before the first frame so a bad file fails on the command line with exit code 2.
            let ws = cli::open(&path, sep)?;
            let _ = update(&mut app, Action::SetWorkspace(Box::new(ws)));
            app.sessions = !cli.no_session;
            let initial = if app.sessions {
                vec![campaign_lens::app::Command::LoadSession(path.clone())]
            } else {
                Vec::new()
            };
            campaign_lens::tui::run(app, initial).map_err(|e| UserError(format!("terminal: {e}")))
        }
    }
}

fn main() -> ExitCode {
    // `campaign-lens profile big.csv | head`: end quietly when the reader goes away, as other command-line
    // tools do (Rust ignores SIGPIPE, and println! then panics on the broken pipe)
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread is started
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(UserError(msg)) => {
            eprintln!("campaign-lens: {msg}");
            ExitCode::from(2)
        }
    }
}
