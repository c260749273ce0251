//! An order log's lines rolled up per customer: purchase days and their spend (the lines that are
//! neither cancellations nor returns), orders, and money net of cancellations and returns.

use std::collections::HashSet;

use crate::data::orders::Lines;

/// One customer's roll-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: String,
    pub first: i32,
    pub last: i32,
    pub orders: usize,
    /// Distinct purchase days (several orders on one day count once for the lifetime model).
    pub days: Vec<i32>,
    /// Spend per purchase day, in day order.
    pub day_spend: Vec<f64>,
    pub net: f64,
    pub gross: f64,
    pub returned: f64,
}

/// Per-customer roll-up of the lines; customers with no purchase (only cancellations or returns) are
/// counted and left out.
pub fn roll_up(lines: &Lines) -> (Vec<Customer>, usize) {
    let n = lines.customers.len();
    let mut net = vec![0.0; n];
    let mut gross = vec![0.0; n];
    let mut returned = vec![0.0; n];
    let mut day_spend: Vec<Vec<(i32, f64)>> = vec![Vec::new(); n];
    let mut orders: Vec<HashSet<u32>> = vec![HashSet::new(); n];
    for i in 0..lines.customer.len() {
        let c = lines.customer[i] as usize;
        let v = lines.amount[i];
        net[c] += v;
        if lines.cancelled[i] || lines.returned[i] {
            returned[c] += -v.min(0.0);
            continue;
        }
        if v < 0.0 {
            returned[c] += -v;
            continue;
        }
        gross[c] += v;
        day_spend[c].push((lines.day[i], v));
        match &lines.order {
            Some(o) => {
                orders[c].insert(o[i]);
            }
            None => {
                orders[c].insert(lines.day[i] as u32);
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut without = 0;
    for c in 0..n {
        let mut ds = std::mem::take(&mut day_spend[c]);
        if ds.is_empty() {
            without += 1;
            continue;
        }
        ds.sort_by_key(|d| d.0);
        let mut days: Vec<i32> = Vec::new();
        let mut spend: Vec<f64> = Vec::new();
        for (d, v) in ds {
            match (days.last(), spend.last_mut()) {
                (Some(&last), Some(total)) if last == d => *total += v,
                _ => {
                    days.push(d);
                    spend.push(v);
                }
            }
        }
        let (first, last) = (days[0], days[days.len() - 1]);
        out.push(Customer {
            id: lines.customers[c].clone(),
            first,
            last,
            orders: orders[c].len(),
            days,
            day_spend: spend,
            net: net[c],
            gross: gross[c],
            returned: returned[c],
        });
    }
    (out, without)
}
