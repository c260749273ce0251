//! The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value
//! curves"; `lifetimes`' `GammaGammaFitter`): a customer's purchases are Gamma(p, ν) with ν ~ Gamma(q, γ).
//! Fitted on customers with repeat purchases, from their number `x` and mean value `m` of those.

use thiserror::Error;

use crate::analysis::stats::optimize::minimise;
use crate::analysis::stats::special::ln_gamma;

#[derive(Debug, Error, PartialEq)]
pub enum GammaGammaError {
    #[error(
        "no customer with repeat purchases of positive value: spend per purchase cannot be fitted"
    )]
    Empty,
    #[error("the likelihood did not settle (the spend fit is unreliable)")]
    NoFit,
}

/// Fitted parameters (`v` is the paper's γ).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

impl GammaGamma {
    /// ln L of a customer with `x` repeat purchases of mean value `m`.
    pub fn ln_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * v.ln()
            + (p * x - 1.0) * m.ln()
            + (p * x) * x.ln()
            - (p * x + q) * (x * m + v).ln()
    }

    /// Expected spend per purchase given the customer's history (the population mean p·v/(q − 1) for a
    /// customer without repeat purchases).
    pub fn expected_spend(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        if x <= 0.0 {
            return p * v / (q - 1.0);
        }
        p * (v + x * m) / (p * x + q - 1.0)
    }

    /// Maximum likelihood over log-parameters on (x, m) pairs with x > 0 and m > 0.
    pub fn fit(pairs: &[(f64, f64)]) -> Result<GammaGamma, GammaGammaError> {
        let data: Vec<(f64, f64)> = pairs
            .iter()
            .copied()
            .filter(|&(x, m)| x > 0.0 && m > 0.0 && m.is_finite())
            .collect();
        if data.is_empty() {
            return Err(GammaGammaError::Empty);
        }
        let n = data.len() as f64;
        // ln m per customer and the distinct purchase counts, computed once
        let ln_m: Vec<f64> = data.iter().map(|d| d.1.ln()).collect();
        let mut counts: Vec<f64> = data.iter().map(|d| d.0).collect();
        counts.sort_by(f64::total_cmp);
        counts.dedup();
        let slot: Vec<usize> = data
            .iter()
            .map(|d| counts.partition_point(|c| *c < d.0))
            .collect();
        let nll = |z: &[f64]| {
            let (p, q, v) = (z[0].exp(), z[1].exp(), z[2].exp());
            let per_x: Vec<f64> = counts
                .iter()
                .map(|&x| ln_gamma(p * x + q) - ln_gamma(p * x) + p * x * x.ln())
                .collect();
            let constant = -ln_gamma(q) + q * v.ln();
            let total: f64 = data
                .iter()
                .zip(&ln_m)
                .zip(&slot)
                .map(|((&(x, m), lm), &s)| {
                    per_x[s] + constant + (p * x - 1.0) * lm - (p * x + q) * (x * m + v).ln()
                })
                .sum();
            -total / n
        };
        let best = minimise(&nll, &[0.0, 0.0, 0.0]);
        if !best.value.is_finite() {
            return Err(GammaGammaError::NoFit);
        }
        Ok(GammaGamma {
            p: best.x[0].exp(),
            q: best.x[1].exp(),
            v: best.x[2].exp(),
        })
    }
}
