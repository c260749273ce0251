//! Lifetime value from the roll-up: BG/NBD on (repeat purchase days, recency, age) in weeks, Gamma-Gamma
//! on the repeat customers' mean spend per purchase day, and per customer P(alive), expected purchases
//! and CLV over the horizon (monthly steps, optionally discounted).

use serde::Serialize;

use crate::analysis::lifetime::bgnbd::{BgNbd, History};
use crate::analysis::lifetime::gamma_gamma::GammaGamma;
use crate::pipeline::lifetime::rollup::Customer;

/// Days per time unit (weeks, as `lifetimes`' examples use).
pub const UNIT_DAYS: f64 = 7.0;

#[derive(Debug, Clone, PartialEq)]
pub struct LifetimeOptions {
    pub horizon_days: u32,
    /// Monthly discount rate (0 = none).
    pub monthly_discount: f64,
}

impl Default for LifetimeOptions {
    fn default() -> Self {
        Self {
            horizon_days: 365,
            monthly_discount: 0.0,
        }
    }
}

/// The fitted models and every customer's figures, in the roll-up's order.
#[derive(Debug, Clone, Serialize)]
pub struct Lifetime {
    pub model: &'static str,
    pub time_unit: &'static str,
    pub repeat_customers: usize,
    pub bgnbd: BgNbd,
    pub log_likelihood: f64,
    pub gamma_gamma: GammaGamma,
    /// Pearson correlation of repeat purchases and mean spend among repeat customers: Gamma-Gamma
    /// assumes it is near 0.
    pub spend_frequency_correlation: f64,
    #[serde(skip)]
    pub p_alive: Vec<f64>,
    #[serde(skip)]
    pub expected: Vec<f64>,
    #[serde(skip)]
    pub clv: Vec<f64>,
    #[serde(skip)]
    pub spend: Vec<f64>,
}

/// A customer's history in weeks, seen at `as_of`.
pub fn history(c: &Customer, as_of: i32) -> History {
    History {
        x: (c.days.len() - 1) as f64,
        t_x: (c.last - c.first) as f64 / UNIT_DAYS,
        t: (as_of - c.first) as f64 / UNIT_DAYS,
    }
}

/// Mean spend of a customer's repeat purchase days (the first day left out, as `lifetimes` does).
pub fn repeat_spend(c: &Customer) -> f64 {
    let repeat = &c.day_spend[1..];
    if repeat.is_empty() {
        0.0
    } else {
        repeat.iter().sum::<f64>() / repeat.len() as f64
    }
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    if a.len() < 2 {
        return f64::NAN;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

pub fn lifetime(cs: &[Customer], as_of: i32, o: &LifetimeOptions) -> Result<Lifetime, String> {
    let hist: Vec<History> = cs.iter().map(|c| history(c, as_of)).collect();
    let bg = BgNbd::fit(&hist).map_err(|e| e.to_string())?;
    let pairs: Vec<(f64, f64)> = cs
        .iter()
        .zip(&hist)
        .filter(|(_, h)| h.x > 0.0)
        .map(|(c, h)| (h.x, repeat_spend(c)))
        .collect();
    let gg = GammaGamma::fit(&pairs).map_err(|e| e.to_string())?;
    let (xs, ms): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let months = o.horizon_days.div_ceil(30).max(1);
    let mut p_alive = Vec::with_capacity(cs.len());
    let mut expected = Vec::with_capacity(cs.len());
    let mut clv = Vec::with_capacity(cs.len());
    let mut spend = Vec::with_capacity(cs.len());
    for (c, h) in cs.iter().zip(&hist) {
        let s = gg.expected_spend(h.x, repeat_spend(c));
        let at = |days: u32| {
            bg.expected_purchases(h, days as f64 / UNIT_DAYS)
                .unwrap_or(f64::NAN)
        };
        let total = at(o.horizon_days);
        let mut value = 0.0;
        let mut before = 0.0;
        for m in 1..=months {
            let now = at((m * 30).min(o.horizon_days));
            value += (now - before) * s / (1.0 + o.monthly_discount).powi(m as i32);
            before = now;
        }
        p_alive.push(bg.p_alive(h));
        expected.push(total);
        clv.push(value);
        spend.push(s);
    }
    Ok(Lifetime {
        model: "BG/NBD + Gamma-Gamma",
        time_unit: "weeks",
        repeat_customers: pairs.len(),
        log_likelihood: bg.total_ln_likelihood(&hist),
        bgnbd: bg,
        gamma_gamma: gg,
        spend_frequency_correlation: pearson(&xs, &ms),
        p_alive,
        expected,
        clv,
        spend,
    })
}
