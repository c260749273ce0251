//! From an order log to the customer table: per customer first and last purchase, recency, frequency,
//! net monetary value, average order value, tenure and return share, RFM scores and segments, and the
//! lifetime-value columns (`lifetime.rs`). Purchases are the lines that are neither cancellations nor
//! returns; money is net of both.

use polars::prelude::*;
use serde::Serialize;

use crate::analysis::lifetime::rfm;
use crate::data::features::format_ymd;
use crate::data::orders::Lines;
use crate::pipeline::lifetime::fit::{lifetime, Lifetime, LifetimeOptions};
use crate::pipeline::lifetime::rollup::roll_up;

/// What the roll-up left out, in lines.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dropped {
    pub no_customer: usize,
    pub cancelled: usize,
    pub returns: usize,
}

/// A segment's customers and shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentShare {
    pub name: &'static str,
    pub customers: usize,
    pub share: f64,
    pub revenue_share: f64,
}

/// The customer table with its summary.
#[derive(Debug, Clone)]
pub struct CustomerTable {
    pub df: DataFrame,
    pub transactions: usize,
    pub customers: usize,
    /// Customers whose lines were all cancellations or returns.
    pub without_purchase: usize,
    pub dropped: Dropped,
    pub as_of: String,
    pub rfm_segments: Vec<SegmentShare>,
    pub lifetime: Lifetime,
    /// The roll-up behind the rows (same order), and the as-of day.
    pub rolled: Vec<crate::pipeline::lifetime::rollup::Customer>,
    pub as_of_day: i32,
}

fn date_column(name: &str, days: Vec<i32>) -> Result<Column, String> {
    Int32Chunked::from_vec(name.into(), days)
        .into_series()
        .cast(&DataType::Date)
        .map(|s| s.into_column())
        .map_err(|e| e.to_string())
}

/// Build the customer table (`id_name`: the customer column's name in the log).
pub fn customer_table(
    lines: &Lines,
    id_name: &str,
    as_of: Option<i32>,
    opts: &LifetimeOptions,
) -> Result<CustomerTable, String> {
    let (cs, without_purchase) = roll_up(lines);
    if cs.is_empty() {
        return Err("no customer has a purchase (every line is a cancellation or a return)".into());
    }
    let last_day = lines.day.iter().copied().max().unwrap_or(0);
    let as_of = as_of.unwrap_or(last_day + 1);
    let recency: Vec<f64> = cs.iter().map(|c| (as_of - c.last) as f64).collect();
    let frequency: Vec<f64> = cs.iter().map(|c| c.orders as f64).collect();
    let monetary: Vec<f64> = cs.iter().map(|c| c.net).collect();
    let scores = rfm::score(&recency, &frequency, &monetary);
    let life = lifetime(&cs, as_of, opts)?;
    let total_net: f64 = monetary.iter().filter(|m| **m > 0.0).sum();
    let rfm_segments = rfm::SEGMENTS
        .iter()
        .map(|&name| {
            let members: Vec<usize> = (0..cs.len()).filter(|&i| scores[i].3 == name).collect();
            let revenue: f64 = members.iter().map(|&i| monetary[i].max(0.0)).sum();
            SegmentShare {
                name,
                customers: members.len(),
                share: members.len() as f64 / cs.len() as f64,
                revenue_share: if total_net > 0.0 {
                    revenue / total_net
                } else {
                    0.0
                },
            }
        })
        .filter(|s| s.customers > 0)
        .collect();
    let h = opts.horizon_days;
    let col_f = |name: &str, v: Vec<f64>| Column::new(name.into(), v);
    let columns = vec![
        Column::new(
            id_name.into(),
            cs.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ),
        date_column("first_purchase", cs.iter().map(|c| c.first).collect())?,
        date_column("last_purchase", cs.iter().map(|c| c.last).collect())?,
        Column::new(
            "recency_days".into(),
            cs.iter()
                .map(|c| (as_of - c.last) as i64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "frequency".into(),
            cs.iter().map(|c| c.orders as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "repeat_purchases".into(),
            cs.iter()
                .map(|c| c.days.len() as i64 - 1)
                .collect::<Vec<_>>(),
        ),
        col_f("monetary", monetary.clone()),
        col_f(
            "avg_order_value",
            cs.iter()
                .map(|c| c.gross / c.orders.max(1) as f64)
                .collect(),
        ),
        Column::new(
            "tenure_days".into(),
            cs.iter()
                .map(|c| (as_of - c.first) as i64)
                .collect::<Vec<_>>(),
        ),
        col_f(
            "return_share",
            cs.iter()
                .map(|c| {
                    if c.gross > 0.0 {
                        c.returned / c.gross
                    } else {
                        0.0
                    }
                })
                .collect(),
        ),
        Column::new(
            "r_score".into(),
            scores.iter().map(|s| s.0 as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "f_score".into(),
            scores.iter().map(|s| s.1 as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "m_score".into(),
            scores.iter().map(|s| s.2 as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "rfm_segment".into(),
            scores.iter().map(|s| s.3).collect::<Vec<_>>(),
        ),
        col_f("p_alive", life.p_alive.clone()),
        col_f(&format!("expected_purchases_{h}"), life.expected.clone()),
        col_f(&format!("clv_{h}"), life.clv.clone()),
    ];
    let df = DataFrame::new(cs.len(), columns).map_err(|e| e.to_string())?;
    Ok(CustomerTable {
        df,
        transactions: lines.total_lines,
        customers: cs.len(),
        without_purchase,
        dropped: Dropped {
            no_customer: lines.no_customer,
            cancelled: lines.cancelled.iter().filter(|c| **c).count(),
            returns: lines.returned.iter().filter(|c| **c).count(),
        },
        as_of: format_ymd(as_of),
        rfm_segments,
        lifetime: life,
        rolled: cs,
        as_of_day: as_of,
    })
}

/// The customer table of an order log open in the dashboard, as a workspace of its own (named
/// `<log>.customers.csv` beside the log; nothing is written), and the roll-up in words.
pub fn customers_workspace(
    log: &crate::data::Workspace,
) -> Result<(crate::data::Workspace, String), String> {
    use crate::data::orders::{RoleOverrides, Roles};
    let file = log.file_name();
    let roles =
        Roles::detect(&log.df, &RoleOverrides::default(), &file).map_err(|e| e.to_string())?;
    let lines = Lines::read(&log.df, &roles, &file).map_err(|e| e.to_string())?;
    let table = customer_table(&lines, &roles.customer, None, &LifetimeOptions::default())
        .map_err(|e| format!("{file}: {e}"))?;
    let summary = format!(
        "{} customers from {} order lines ({} without a customer, {} cancelled, {} returns left out)",
        crate::fmt::thousands(table.customers as f64),
        crate::fmt::thousands(table.transactions as f64),
        crate::fmt::thousands(table.dropped.no_customer as f64),
        crate::fmt::thousands(table.dropped.cancelled as f64),
        crate::fmt::thousands(table.dropped.returns as f64),
    );
    let stem = log
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "orders".into());
    let loaded = crate::data::load::Loaded {
        path: log.path.with_file_name(format!("{stem}.customers.csv")),
        df: table.df,
        separator: None,
        source: format!("customer table of {file}"),
        elapsed: std::time::Duration::ZERO,
        notes: vec![summary.clone()],
    };
    let ws = crate::data::Workspace::from_loaded(loaded).map_err(|e| e.to_string())?;
    Ok((ws, summary))
}
