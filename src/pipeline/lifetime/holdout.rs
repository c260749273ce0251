//! Calibration and holdout: fit on the log up to a date, then compare the purchases the model expected in
//! the period after it with the ones that happened — in total and by the number of repeat purchases in
//! the calibration period (the standard tracking table of Fader, Hardie & Lee) — and mark who bought
//! again, a real binary target for the Predict tab.

use std::collections::{HashMap, HashSet};

/// The columns `--calibration-end` adds: both describe the holdout period, so neither may predict the other.
pub const HOLDOUT_COLUMNS: [&str; 2] = ["holdout_purchases", "bought_again"];

use serde::Serialize;

use crate::data::features::format_ymd;
use crate::data::orders::Lines;
use crate::pipeline::lifetime::customers::CustomerTable;
use crate::pipeline::lifetime::fit::{history, UNIT_DAYS};

/// One row of the tracking table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tracking {
    pub repeat_purchases: String,
    pub customers: usize,
    pub actual: f64,
    pub predicted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    pub from: String,
    pub to: String,
    pub weeks: f64,
    pub customers: usize,
    /// Purchase days in the holdout of the calibration customers, and what the model expected.
    pub actual: f64,
    pub predicted: f64,
    /// Customers whose first purchase falls in the holdout (not in the calibration table).
    pub new_customers: usize,
    pub bought_again: usize,
    pub by_repeat_purchases: Vec<Tracking>,
    #[serde(skip)]
    pub per_customer: Vec<usize>,
}

/// The lines up to `end` (inclusive), and every customer's purchase days after it.
pub fn split(lines: &Lines, end: i32) -> (Lines, Vec<HashSet<i32>>) {
    let mut cal = Lines {
        customers: lines.customers.clone(),
        orders: lines.orders.clone(),
        order: lines.order.as_ref().map(|_| Vec::new()),
        total_lines: 0,
        no_customer: lines.no_customer,
        ..Default::default()
    };
    let mut after = vec![HashSet::new(); lines.customers.len()];
    for i in 0..lines.customer.len() {
        if lines.day[i] <= end {
            cal.customer.push(lines.customer[i]);
            cal.day.push(lines.day[i]);
            cal.amount.push(lines.amount[i]);
            cal.cancelled.push(lines.cancelled[i]);
            cal.returned.push(lines.returned[i]);
            if let (Some(o), Some(src)) = (cal.order.as_mut(), lines.order.as_ref()) {
                o.push(src[i]);
            }
            cal.total_lines += 1;
        } else if !lines.cancelled[i] && !lines.returned[i] && lines.amount[i] >= 0.0 {
            after[lines.customer[i] as usize].insert(lines.day[i]);
        }
    }
    (cal, after)
}

/// The tracking figures for a table fitted on the calibration lines; `last` is the log's last day.
pub fn evaluate(
    table: &CustomerTable,
    lines: &Lines,
    after: &[HashSet<i32>],
    last: i32,
) -> Holdout {
    let index: HashMap<&str, usize> = lines
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let weeks = (last - table.as_of_day + 1).max(0) as f64 / UNIT_DAYS;
    let bg = &table.lifetime.bgnbd;
    let mut rows: Vec<Tracking> = (0..8)
        .map(|k| Tracking {
            repeat_purchases: if k == 7 { "7+".into() } else { k.to_string() },
            customers: 0,
            actual: 0.0,
            predicted: 0.0,
        })
        .collect();
    let mut per_customer = Vec::with_capacity(table.rolled.len());
    let (mut actual, mut predicted) = (0.0, 0.0);
    for c in &table.rolled {
        let h = history(c, table.as_of_day);
        let got = index.get(c.id.as_str()).map_or(0, |&i| after[i].len());
        let want = bg.expected_purchases(&h, weeks).unwrap_or(f64::NAN);
        let row = &mut rows[(h.x as usize).min(7)];
        row.customers += 1;
        row.actual += got as f64;
        row.predicted += want;
        actual += got as f64;
        predicted += want;
        per_customer.push(got);
    }
    for r in &mut rows {
        if r.customers > 0 {
            r.actual /= r.customers as f64;
            r.predicted /= r.customers as f64;
        }
    }
    let known: HashSet<&str> = table.rolled.iter().map(|c| c.id.as_str()).collect();
    let new_customers = lines
        .customers
        .iter()
        .enumerate()
        .filter(|(i, c)| !after[*i].is_empty() && !known.contains(c.as_str()))
        .count();
    Holdout {
        from: format_ymd(table.as_of_day),
        to: format_ymd(last),
        weeks,
        customers: table.rolled.len(),
        actual,
        predicted,
        new_customers,
        bought_again: per_customer.iter().filter(|n| **n > 0).count(),
        by_repeat_purchases: rows.into_iter().filter(|r| r.customers > 0).collect(),
        per_customer,
    }
}
