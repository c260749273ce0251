//! `campaign-lens recommend LOG`: each customer's most likely next products (EASE), with the holdout
//! figures of the method and of popularity side by side, and (`--out`) every customer's list.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::customers::{file_name, RoleArgs};
use super::{load_options, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::analysis::recommend::Figures;
use crate::data::features::parse_ymd;
use crate::data::load::load;
use crate::data::orders::{Lines, Roles};
use crate::pipeline::recommend::{recommend as run, HoldoutStart, RecommendOptions};

#[derive(Debug, clap::Args)]
pub struct RecommendArgs {
    /// The order log (customer, date, product, quantity, …).
    pub log: PathBuf,
    /// Products per customer.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// The holdout starts on this date (yyyy-mm-dd); the model learns from the purchases before it.
    #[arg(long, conflicts_with = "holdout_days")]
    pub holdout_from: Option<String>,
    /// The holdout is the log's last N days (the default: 30).
    #[arg(long)]
    pub holdout_days: Option<u32>,
    /// EASE's L2 weight λ.
    #[arg(long, default_value_t = 100.0)]
    pub lambda: f64,
    /// Write every customer's list (customer, rank, product, description, score) to this CSV.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub roles: RoleArgs,
    #[arg(long)]
    pub json: bool,
}

fn named(f: &Figures, k: usize) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(format!("hit_rate_at_{k}"), json!(f.hit_rate));
    m.insert(format!("precision_at_{k}"), json!(f.precision));
    m.insert(format!("recall_at_{k}"), json!(f.recall));
    m
}

pub fn recommend(a: &RecommendArgs, read: &ReadArgs) -> CliResult {
    if a.top == 0 {
        return Err(UserError("--top must be at least 1".into()));
    }
    if !(a.lambda.is_finite() && a.lambda > 0.0) {
        return Err(UserError(format!(
            "--lambda must be above 0, got {}",
            a.lambda
        )));
    }
    let holdout = match (&a.holdout_from, a.holdout_days) {
        (Some(t), _) => HoldoutStart::From(parse_ymd(t).ok_or_else(|| {
            UserError(format!(
                "--holdout-from must be a date as yyyy-mm-dd, got {t:?}"
            ))
        })?),
        (None, Some(0)) => return Err(UserError("--holdout-days must be at least 1".into())),
        (None, Some(n)) => HoldoutStart::LastDays(n),
        (None, None) => HoldoutStart::LastDays(30),
    };
    let loaded = load(&a.log, &load_options(read)?)?;
    let file = file_name(&a.log);
    let roles = Roles::detect(&loaded.df, &a.roles.overrides(), &file)?;
    let lines = Lines::read(&loaded.df, &roles, &file)?;
    let opts = RecommendOptions {
        top: a.top,
        holdout,
        lambda: a.lambda,
        lists: a.out.is_some(),
    };
    let r = run(&lines, &file, &opts, &|_, _| {}).map_err(UserError)?;
    if let Some(out) = &a.out {
        write_atomic(out, crate::export::recs_export::lists_csv(&r).as_bytes())?;
        eprintln!(
            "wrote {} customers' top {} to {}",
            r.lists.iter().filter(|l| !l.is_empty()).count(),
            r.top,
            out.display()
        );
    }
    let h = &r.holdout;
    let k = r.top;
    if a.json {
        let mut hold = named(&h.method, k);
        hold.insert("from".into(), json!(h.from));
        hold.insert("customers".into(), json!(h.customers));
        hold.insert("train_customers".into(), json!(h.train_customers));
        hold.insert("train_items".into(), json!(h.train_items));
        hold.insert(
            "baseline_popularity".into(),
            Value::Object(named(&h.popularity, k)),
        );
        return print_json(&json!({
            "file": file,
            "method": r.method,
            "lambda": r.lambda,
            "top": k,
            "customers": r.customers,
            "items": r.items,
            "holdout": hold,
            "seconds": r.seconds,
        }));
    }
    println!(
        "{file}: {} customers, {} products; holdout from {}: {} customers bought a product new to them",
        r.customers, r.items, h.from, h.customers
    );
    println!(
        "{:<22}{:>14}{:>16}{:>13}",
        "",
        format!("hit rate@{k}"),
        format!("precision@{k}"),
        format!("recall@{k}")
    );
    for (name, f) in [
        (format!("{} (λ = {})", r.method, r.lambda), &h.method),
        ("popularity".to_string(), &h.popularity),
    ] {
        println!(
            "{name:<22}{:>14.3}{:>16.3}{:>13.3}",
            f.hit_rate, f.precision, f.recall
        );
    }
    println!(
        "lift over popularity: {:.2}× the hit rate ({} of {} customers had a new purchase in their top {k})",
        h.method.hit_rate / h.popularity.hit_rate.max(1e-12),
        (h.method.hit_rate * h.customers as f64).round(),
        h.customers
    );
    Ok(())
}
