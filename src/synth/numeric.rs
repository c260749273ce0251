//! The speed benchmarks' customer table (`bench make-numeric`): 12 numeric behaviour columns drawn from
//! six overlapping customer types, and a 0/1 `responded` outcome that is logistic in four of them. Plain
//! numbers only, so the same file feeds our `segment`/`predict` and scikit-learn's scripts in `bench/`.

use std::io::{self, Write};

use super::Rng;

/// The header of the benchmark table.
pub const NUMERIC_BENCH_HEADER: &str = "customer_id,income,age,recency,tenure_months,web_visits,\
web_orders,store_orders,catalog_orders,deal_orders,avg_basket,email_open_rate,support_calls,responded";

/// Means of the 12 features for each customer type (income in thousands).
const TYPES: [[f64; 12]; 6] = [
    [
        78.0, 55.0, 30.0, 60.0, 4.0, 3.0, 8.0, 5.0, 1.0, 95.0, 0.35, 1.0,
    ],
    [
        32.0, 38.0, 45.0, 24.0, 9.0, 2.0, 3.0, 0.5, 5.0, 25.0, 0.20, 3.0,
    ],
    [
        52.0, 27.0, 20.0, 12.0, 12.0, 7.0, 1.0, 0.5, 2.0, 40.0, 0.45, 1.5,
    ],
    [
        58.0, 46.0, 40.0, 48.0, 5.0, 2.5, 9.0, 1.5, 3.0, 60.0, 0.25, 2.0,
    ],
    [
        40.0, 61.0, 85.0, 80.0, 2.0, 0.5, 1.5, 1.0, 0.5, 30.0, 0.08, 0.5,
    ],
    [
        95.0, 35.0, 15.0, 30.0, 7.0, 6.0, 4.0, 3.0, 0.5, 140.0, 0.55, 0.8,
    ],
];
/// Shares of the types.
const SHARES: [f64; 6] = [0.20, 0.26, 0.17, 0.18, 0.11, 0.08];
/// Within-type standard deviations, as a share of the mean.
const SPREAD: [f64; 12] = [
    0.25, 0.18, 0.45, 0.5, 0.5, 0.6, 0.5, 0.7, 0.6, 0.4, 0.35, 0.7,
];

/// Write `rows` customers (deterministic for a seed) as comma-separated text with a header.
pub fn write_numeric_bench_csv<W: Write>(out: W, rows: usize, seed: u64) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut rng = Rng::new(seed);
    writeln!(out, "{NUMERIC_BENCH_HEADER}")?;
    for id in 1..=rows {
        let u = rng.u();
        let mut acc = 0.0;
        let t = SHARES
            .iter()
            .position(|s| {
                acc += s;
                u < acc
            })
            .unwrap_or(SHARES.len() - 1);
        let mut v = [0.0; 12];
        for j in 0..12 {
            let m = TYPES[t][j];
            v[j] = (m + m * SPREAD[j] * rng.normal()).max(0.0);
        }
        v[1] = v[1].clamp(18.0, 95.0);
        v[10] = v[10].min(1.0);
        // response: more likely for recent, engaged, deal-seeking customers
        let z = -2.2 - 0.025 * (v[2] - 40.0)
            + 0.9 * (v[10] - 0.3) * 4.0
            + 0.12 * (v[8] - 2.0)
            + 0.08 * (v[5] - 3.0);
        let responded = (rng.u() < 1.0 / (1.0 + (-z).exp())) as u8;
        write!(out, "{id},{:.2}", v[0] * 1000.0)?;
        write!(out, ",{:.0},{:.0},{:.0}", v[1], v[2], v[3])?;
        for x in &v[4..9] {
            write!(out, ",{:.0}", x)?;
        }
        writeln!(out, ",{:.2},{:.3},{:.0},{responded}", v[9], v[10], v[11])?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_the_header_field_count_and_are_repeatable() {
        let mut a = Vec::new();
        write_numeric_bench_csv(&mut a, 300, 7).expect("write to memory");
        let mut b = Vec::new();
        write_numeric_bench_csv(&mut b, 300, 7).expect("write to memory");
        assert_eq!(a, b);
        let text = String::from_utf8(a).expect("ascii");
        let fields = NUMERIC_BENCH_HEADER.split(',').count();
        assert_eq!(fields, 14);
        assert_eq!(text.lines().count(), 301);
        assert!(text.lines().all(|l| l.split(',').count() == fields));
        let rate = text.lines().skip(1).filter(|l| l.ends_with(",1")).count() as f64 / 300.0;
        assert!((0.03..0.4).contains(&rate), "response rate {rate}");
    }
}
