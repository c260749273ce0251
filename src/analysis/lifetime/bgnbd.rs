//! The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, "Counting your customers the easy
//! way"), as the `lifetimes` package's `BetaGeoFitter`: while alive a customer buys at a Poisson rate
//! λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b). Per customer:
//! `x` repeat purchases, the last at `t_x`, observed for `t` time units since the first.

use thiserror::Error;

use crate::analysis::stats::optimize::minimise;
use crate::analysis::stats::special::{hyp2f1, ln_beta, ln_gamma};

#[derive(Debug, Error, PartialEq)]
pub enum BgNbdError {
    #[error("no customers to fit")]
    Empty,
    #[error(
        "no customer bought more than once: repeat purchases are needed to fit a lifetime model"
    )]
    NoRepeats,
    #[error("every customer was observed for no time (all purchases on one day)")]
    NoTime,
    #[error("customer {0}: recency {1} is beyond the time observed {2}")]
    Inconsistent(usize, f64, f64),
    #[error("the likelihood did not settle (the fit is unreliable)")]
    NoFit,
}

/// One customer's summary: repeat purchases, time of the last since the first, time observed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct History {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
}

/// Fitted parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl BgNbd {
    /// ln L of one customer (Fader, Hardie & Lee 2005, equation 6).
    pub fn ln_likelihood(&self, h: &History) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + h.x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_beta(a, b + h.x) - ln_beta(a, b);
        let a3 = -(r + h.x) * (alpha + h.t).ln();
        if h.x > 0.0 {
            let a4 = a.ln() - (b + h.x - 1.0).ln() - (r + h.x) * (alpha + h.t_x).ln();
            let m = a3.max(a4);
            a1 + a2 + m + ((a3 - m).exp() + (a4 - m).exp()).ln()
        } else {
            a1 + a2 + a3
        }
    }

    /// Σ ln L over customers: the terms that depend only on x are computed once per distinct count.
    pub fn total_ln_likelihood(&self, data: &[History]) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let max_x = data.iter().map(|h| h.x).fold(0.0, f64::max);
        if max_x.fract() != 0.0 || max_x > 100_000.0 {
            return data.iter().map(|h| self.ln_likelihood(h)).sum();
        }
        let base = -ln_gamma(r) + r * alpha.ln() - ln_beta(a, b);
        let ln_a = a.ln();
        // per x: ln Γ(r + x) + ln B(a, b + x) and ln(b + x − 1)
        let mut by_x: Vec<Option<(f64, f64)>> = vec![None; max_x as usize + 1];
        let mut total = 0.0;
        for h in data {
            if h.x.fract() != 0.0 {
                total += self.ln_likelihood(h);
                continue;
            }
            let (lead, ln_bx) = *by_x[h.x as usize].get_or_insert_with(|| {
                (
                    ln_gamma(r + h.x) + ln_beta(a, b + h.x),
                    (b + h.x - 1.0).ln(),
                )
            });
            let a3 = -(r + h.x) * (alpha + h.t).ln();
            total += base + lead;
            total += if h.x > 0.0 {
                let a4 = ln_a - ln_bx - (r + h.x) * (alpha + h.t_x).ln();
                let m = a3.max(a4);
                m + ((a3 - m).exp() + (a4 - m).exp()).ln()
            } else {
                a3
            };
        }
        total
    }

    /// P(still alive | history) (equation 13 of Fader, Hardie & Lee 2005).
    pub fn p_alive(&self, h: &History) -> f64 {
        if h.x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let ratio = ((alpha + h.t) / (alpha + h.t_x)).ln() * (r + h.x);
        1.0 / (1.0 + a / (b + h.x - 1.0) * ratio.exp())
    }

    /// Expected purchases in the next `horizon` time units given the history (equation 10).
    pub fn expected_purchases(&self, h: &History, horizon: f64) -> Option<f64> {
        let BgNbd { r, alpha, a, b } = *self;
        if horizon <= 0.0 {
            return Some(0.0);
        }
        let z = horizon / (alpha + h.t + horizon);
        let f = hyp2f1(r + h.x, b + h.x, a + b + h.x - 1.0, z)?;
        let lead = (a + b + h.x - 1.0) / (a - 1.0);
        let decay = ((alpha + h.t) / (alpha + h.t + horizon)).powf(r + h.x);
        let numerator = lead * (1.0 - decay * f);
        let denominator = if h.x > 0.0 {
            1.0 + a / (b + h.x - 1.0) * ((alpha + h.t) / (alpha + h.t_x)).powf(r + h.x)
        } else {
            1.0
        };
        Some(numerator / denominator)
    }

    /// Maximum likelihood over log-parameters (so they stay positive), from r = α = a = b = 1 with
    /// α started at the mean observed time, as `lifetimes` scales it.
    pub fn fit(data: &[History]) -> Result<BgNbd, BgNbdError> {
        if data.is_empty() {
            return Err(BgNbdError::Empty);
        }
        for (i, h) in data.iter().enumerate() {
            if h.t_x > h.t + 1e-9 || h.t_x < 0.0 || h.x < 0.0 {
                return Err(BgNbdError::Inconsistent(i, h.t_x, h.t));
            }
        }
        if data.iter().all(|h| h.x == 0.0) {
            return Err(BgNbdError::NoRepeats);
        }
        if data.iter().all(|h| h.t == 0.0) {
            return Err(BgNbdError::NoTime);
        }
        let n = data.len() as f64;
        let nll = |p: &[f64]| {
            let m = BgNbd {
                r: p[0].exp(),
                alpha: p[1].exp(),
                a: p[2].exp(),
                b: p[3].exp(),
            };
            -m.total_ln_likelihood(data) / n
        };
        let best = minimise(&nll, &[0.0; 4]);
        if !best.value.is_finite() {
            return Err(BgNbdError::NoFit);
        }
        Ok(BgNbd {
            r: best.x[0].exp(),
            alpha: best.x[1].exp(),
            a: best.x[2].exp(),
            b: best.x[3].exp(),
        })
    }
}
