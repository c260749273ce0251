//! `campaign-lens customers LOG --out customers.csv`: an order log rolled up into the customer table,
//! with RFM segments and lifetime value.

use std::path::PathBuf;

use serde_json::json;

use super::{load_options, print_json, write_atomic, CliResult, ReadArgs, UserError};
use crate::data::features::parse_ymd;
use crate::data::load::load;
use crate::data::orders::{Lines, RoleOverrides, Roles};
use crate::data::profile::string_values;
use crate::pipeline::lifetime::customers::customer_table;
use crate::pipeline::lifetime::fit::LifetimeOptions;

#[derive(Debug, clap::Args)]
pub struct CustomersArgs {
    /// The order log (one row per order line: customer, date, amount or quantity and price, …).
    pub log: PathBuf,
    /// Write the customer table to this CSV.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Recency and lifetime are measured to this date (default: the day after the last in the log).
    #[arg(long)]
    pub as_of: Option<String>,
    /// The lifetime-value horizon in days.
    #[arg(long, default_value_t = 365)]
    pub horizon_days: u32,
    /// Fit on the log up to this date (yyyy-mm-dd) and compare the purchases after it with the model's
    /// forecast; the table gets `holdout_purchases` and `bought_again`.
    #[arg(long)]
    pub calibration_end: Option<String>,
    /// Monthly discount rate for the lifetime value (0.01 = 1 % a month).
    #[arg(long, default_value_t = 0.0)]
    pub discount: f64,
    /// Add `next_products`: each customer's three most likely next products (EASE, fitted on every
    /// purchase; needs a product column).
    #[arg(long)]
    pub next_products: bool,
    #[command(flatten)]
    pub roles: RoleArgs,
    #[arg(long)]
    pub json: bool,
}

/// The order-log columns, when their names are not recognised.
#[derive(Debug, Clone, clap::Args)]
pub struct RoleArgs {
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long)]
    pub order: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    #[arg(long)]
    pub price: Option<String>,
    #[arg(long)]
    pub product: Option<String>,
}

impl RoleArgs {
    pub fn overrides(&self) -> RoleOverrides {
        RoleOverrides {
            customer: self.customer.clone(),
            order: self.order.clone(),
            date: self.date.clone(),
            amount: self.amount.clone(),
            quantity: self.quantity.clone(),
            price: self.price.clone(),
            product: self.product.clone(),
        }
    }
}

/// The file name of a path, for messages.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default()
}

pub fn customers(a: &CustomersArgs, read: &ReadArgs) -> CliResult {
    let loaded = load(&a.log, &load_options(read)?)?;
    let file = file_name(&a.log);
    let overrides = a.roles.overrides();
    let date = |flag: &str, t: &str| {
        parse_ymd(t)
            .ok_or_else(|| UserError(format!("--{flag} must be a date as yyyy-mm-dd, got {t:?}")))
    };
    let calibration_end = a
        .calibration_end
        .as_deref()
        .map(|t| date("calibration-end", t))
        .transpose()?;
    let as_of = a.as_of.as_deref().map(|t| date("as-of", t)).transpose()?;
    if !(0.0..1.0).contains(&a.discount) {
        return Err(UserError(format!(
            "--discount must be a monthly rate from 0 to 1, got {}",
            a.discount
        )));
    }
    if a.horizon_days == 0 {
        return Err(UserError("--horizon-days must be at least 1".into()));
    }
    let roles = Roles::detect(&loaded.df, &overrides, &file)?;
    let lines = Lines::read(&loaded.df, &roles, &file)?;
    let opts = LifetimeOptions {
        horizon_days: a.horizon_days,
        monthly_discount: a.discount,
    };
    let (fit_lines, after) = match calibration_end {
        None => (lines.clone(), None),
        Some(end) => {
            let (first, last) = (
                lines.day.iter().copied().min().unwrap_or(0),
                lines.day.iter().copied().max().unwrap_or(0),
            );
            if end < first || end >= last {
                return Err(UserError(format!(
                    "{file}: --calibration-end must fall inside the log ({} to {}), before its last day",
                    crate::data::features::format_ymd(first),
                    crate::data::features::format_ymd(last)
                )));
            }
            let (cal, after) = crate::pipeline::lifetime::holdout::split(&lines, end);
            (cal, Some(after))
        }
    };
    let as_of = calibration_end.map(|e| e + 1).or(as_of);
    let mut table = customer_table(&fit_lines, &roles.customer, as_of, &opts)
        .map_err(|e| UserError(format!("{file}: {e}")))?;
    let holdout = after.as_ref().map(|after| {
        let last = lines.day.iter().copied().max().unwrap_or(0);
        crate::pipeline::lifetime::holdout::evaluate(&table, &lines, after, last)
    });
    if let Some(h) = &holdout {
        let n: Vec<i64> = h.per_customer.iter().map(|&v| v as i64).collect();
        let again: Vec<i64> = n.iter().map(|&v| i64::from(v > 0)).collect();
        let [purchases, again_name] = crate::pipeline::lifetime::holdout::HOLDOUT_COLUMNS;
        for (name, v) in [(purchases, n), (again_name, again)] {
            table
                .df
                .with_column(polars::prelude::Column::new(name.into(), v))
                .map_err(|e| UserError(e.to_string()))?;
        }
    }
    if a.next_products {
        let recs = crate::pipeline::recommend::recommend(
            &lines,
            &file,
            &crate::pipeline::recommend::RecommendOptions::default(),
            &|_, _| {},
        )
        .map_err(UserError)?;
        let col = crate::pipeline::recommend::columns::next_products_column(&table.df, &recs, 3)
            .map_err(UserError)?;
        table
            .df
            .with_column(col)
            .map_err(|e| UserError(e.to_string()))?;
    }
    if let Some(out) = &a.out {
        write_atomic(out, to_csv(&table.df).as_bytes())?;
        eprintln!("wrote {} customers to {}", table.customers, out.display());
    }
    let life = &table.lifetime;
    let correlation = life.spend_frequency_correlation;
    let gg_note = if correlation.abs() >= 0.3 {
        format!(
            "spend per purchase and purchase frequency are correlated (r = {correlation:.2}): the Gamma-Gamma \
             assumption of independence does not hold, so treat the spend part of the CLV with caution"
        )
    } else {
        format!("spend per purchase is close to independent of frequency (r = {correlation:.2}), as Gamma-Gamma assumes")
    };
    let sum = |c: &str| {
        table
            .df
            .column(c)
            .ok()
            .and_then(crate::data::profile::f64_values)
            .map(|v| v.into_iter().flatten().sum::<f64>())
            .unwrap_or(0.0)
    };
    if a.json {
        return print_json(&json!({
            "file": file,
            "roles": roles,
            "transactions": table.transactions,
            "customers": table.customers,
            "orders": sum("frequency"),
            "net_revenue": sum("monetary"),
            "customers_without_purchase": table.without_purchase,
            "dropped": table.dropped,
            "as_of": table.as_of,
            "rfm_segments": table.rfm_segments,
            "holdout": holdout,
            "clv": {
                "model": life.model,
                "time_unit": life.time_unit,
                "horizon_days": a.horizon_days,
                "monthly_discount": a.discount,
                "repeat_customers": life.repeat_customers,
                "bgnbd": {"r": life.bgnbd.r, "alpha": life.bgnbd.alpha, "a": life.bgnbd.a, "b": life.bgnbd.b,
                          "log_likelihood": life.log_likelihood},
                "gamma_gamma": life.gamma_gamma,
                "spend_frequency_correlation": correlation,
                "note": gg_note,
            },
        }));
    }
    println!(
        "{file}: {} order lines → {} customers (as of {}); left out: {} lines without a customer, {} cancelled, {} returns",
        table.transactions, table.customers, table.as_of, table.dropped.no_customer, table.dropped.cancelled,
        table.dropped.returns
    );
    println!("RFM segments:");
    for s in &table.rfm_segments {
        println!(
            "  {:<20} {:>6} customers {:>6.1} %  revenue {:>5.1} %",
            s.name,
            s.customers,
            s.share * 100.0,
            s.revenue_share * 100.0
        );
    }
    if let Some(h) = &holdout {
        println!(
            "holdout {} to {} ({:.1} weeks): {} purchases, {:.0} expected; {} of {} customers bought again",
            h.from, h.to, h.weeks, h.actual, h.predicted, h.bought_again, h.customers
        );
        for r in &h.by_repeat_purchases {
            println!(
                "  {:>3} repeat purchases: {:>5} customers, {:.2} actual vs {:.2} expected each",
                r.repeat_purchases, r.customers, r.actual, r.predicted
            );
        }
    }
    let b = &life.bgnbd;
    println!(
        "BG/NBD (weeks): r = {:.4}, alpha = {:.4}, a = {:.4}, b = {:.4}, log-likelihood {:.1}",
        b.r, b.alpha, b.a, b.b, life.log_likelihood
    );
    let g = &life.gamma_gamma;
    println!(
        "Gamma-Gamma: p = {:.4}, q = {:.4}, v = {:.4}; {gg_note}",
        g.p, g.q, g.v
    );
    Ok(())
}

fn to_csv(df: &polars::prelude::DataFrame) -> String {
    let cols: Vec<Vec<Option<String>>> = df.columns().iter().map(string_values).collect();
    let mut text = df
        .get_column_names()
        .iter()
        .map(|n| crate::export::csv_cell(n))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for i in 0..df.height() {
        let row: Vec<String> = cols
            .iter()
            .map(|c| {
                c[i].as_deref()
                    .map(crate::export::csv_cell)
                    .unwrap_or_default()
            })
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}
