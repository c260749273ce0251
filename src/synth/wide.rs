//! A plain 13-column customer table for the loading benchmark (`bench make-load-file`): the kind of export a
//! CRM produces, with an ID, a date, text, integers, money with two decimals, full-precision floats written
//! by another tool, a few blank incomes and a Yes/No outcome. About 117 bytes a row.

use std::io::{self, Write};

use super::{civil, Rng};
use crate::data::tidy::days_from_civil;

const REGIONS: [&str; 6] = [
    "North East",
    "South West",
    "Midlands",
    "London",
    "Scotland",
    "Wales",
];

/// The header of the benchmark table.
pub const LOAD_BENCH_HEADER: &str = "customer_id,email,signup_date,age,region,income,\
recency_days,web_visits,purchases,total_spend,avg_basket,email_open_rate,responded";

/// Write `rows` customers (deterministic for a seed) as comma-separated text with a header.
pub fn write_load_bench_csv<W: Write>(out: W, rows: usize, seed: u64) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut rng = Rng::new(seed);
    let first_day = days_from_civil(2015, 1, 1).unwrap_or(16_436);
    writeln!(out, "{LOAD_BENCH_HEADER}")?;
    for id in 1..=rows {
        let (d, m, y) = civil(first_day + rng.int(0, 3_650) as i32);
        let age = rng.int(18, 85);
        let region = REGIONS[rng.int(0, 5) as usize];
        let income = 52_000.0 * rng.lognormal(0.45);
        let recency = rng.int(0, 365);
        let visits = rng.int(0, 20);
        let purchases = rng.int(0, 40);
        let spend = purchases as f64 * 38.0 * rng.lognormal(0.6);
        let basket = if purchases > 0 {
            spend / purchases as f64
        } else {
            0.0
        };
        let open_rate = rng.u();
        let responded = if rng.u() < 0.15 { "Yes" } else { "No" };
        write!(
            out,
            "{id},user{id}@example.com,{y:04}-{m:02}-{d:02},{age},{region},"
        )?;
        if rng.u() < 0.01 {
            write!(out, ",")?;
        } else {
            write!(out, "{income:.2},")?;
        }
        writeln!(
            out,
            "{recency},{visits},{purchases},{spend:.2},{basket},{open_rate},{responded}"
        )?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_the_header_field_count_and_are_repeatable() {
        let mut a = Vec::new();
        write_load_bench_csv(&mut a, 200, 7).expect("write to memory");
        let mut b = Vec::new();
        write_load_bench_csv(&mut b, 200, 7).expect("write to memory");
        assert_eq!(a, b);
        let text = String::from_utf8(a).expect("ascii");
        let fields = LOAD_BENCH_HEADER.split(',').count();
        assert_eq!(fields, 13);
        assert_eq!(text.lines().count(), 201);
        assert!(text.lines().all(|l| l.split(',').count() == fields));
    }
}
