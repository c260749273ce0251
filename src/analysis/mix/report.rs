//! The fitted model as an analyst reads it: per-channel spend, contribution, shares, ROAS, marginal ROAS,
//! half-life and half-saturation spend, with bootstrap intervals, plus fit metrics on the training weeks
//! and on the holdout weeks no fit has seen. Totals are over all N weeks (holdout weeks use the model's
//! predicted contributions, which depend on spend only).

use super::fit::{FitResult, Hyper, Problem};
use super::interval::{Bootstrap, Interval};
use super::search::SearchResult;
use super::transform::{half_life, half_saturation_spend};

/// Goodness of fit over a run of weeks. `None` where undefined (constant KPI for R²/NRMSE, all-zero KPI
/// for MAPE).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Number of weeks evaluated.
    pub weeks: usize,
    /// 1 − SSE / SST (can be negative out of sample).
    pub r2: Option<f64>,
    /// RMSE / (max y − min y) over these weeks.
    pub nrmse: Option<f64>,
    /// Mean |error| / |y| over weeks with y ≠ 0, as a fraction (0.05 = 5%).
    pub mape: Option<f64>,
}

/// Computes [`Metrics`] of predictions `yhat` against `y`.
pub fn metrics(y: &[f64], yhat: &[f64]) -> Metrics {
    let n = y.len().min(yhat.len());
    if n == 0 {
        return Metrics {
            weeks: 0,
            r2: None,
            nrmse: None,
            mape: None,
        };
    }
    let (y, yhat) = (&y[..n], &yhat[..n]);
    let mean = y.iter().sum::<f64>() / n as f64;
    let sse: f64 = y.iter().zip(yhat).map(|(a, b)| (a - b) * (a - b)).sum();
    let sst: f64 = y.iter().map(|a| (a - mean) * (a - mean)).sum();
    let range = y.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - y.iter().copied().fold(f64::INFINITY, f64::min);
    let ape: Vec<f64> = y
        .iter()
        .zip(yhat)
        .filter(|(a, _)| **a != 0.0)
        .map(|(a, b)| ((a - b) / a).abs())
        .collect();
    Metrics {
        weeks: n,
        r2: (sst > 0.0).then(|| 1.0 - sse / sst),
        nrmse: (range > 0.0).then(|| (sse / n as f64).sqrt() / range),
        mape: (!ape.is_empty()).then(|| ape.iter().sum::<f64>() / ape.len() as f64),
    }
}

/// One channel's results over the whole period.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelReport {
    /// Channel name.
    pub name: String,
    /// Total spend over the period.
    pub spend: f64,
    /// Spend / total spend of all channels.
    pub spend_share: f64,
    /// Modelled KPI driven by the channel, `Σ_t β·hill(z_t)`.
    pub contribution: f64,
    /// Contribution / total media contribution.
    pub effect_share: f64,
    /// Contribution / total KPI.
    pub kpi_share: f64,
    /// Contribution / spend.
    pub roas: f64,
    /// Extra KPI per extra unit of spend when all its weeks are scaled up together, at current spend.
    pub marginal_roas: f64,
    /// Adstock half-life in weeks.
    pub half_life_weeks: f64,
    /// Steady weekly spend at which the channel reaches half its maximum effect.
    pub half_saturation_spend: f64,
    /// Chosen hyperparameters.
    pub hyper: Hyper,
    /// β: KPI per week at full saturation.
    pub coefficient: f64,
    /// Bootstrap interval of `contribution`.
    pub contribution_interval: Interval,
    /// Bootstrap interval of `effect_share`.
    pub effect_share_interval: Interval,
    /// Bootstrap interval of `roas`.
    pub roas_interval: Interval,
}

/// A fitted marketing-mix model.
#[derive(Debug, Clone, PartialEq)]
pub struct MixModel {
    /// Per-channel results, in input order.
    pub channels: Vec<ChannelReport>,
    /// The final fit (coefficients, fitted values, contributions, curves).
    pub fit: FitResult,
    /// How the hyperparameters were chosen.
    pub search: SearchResult,
    /// Bootstrap coefficient draws (also used by the optimiser).
    pub bootstrap: Bootstrap,
    /// Metrics on the fitted (training) weeks.
    pub train: Metrics,
    /// Metrics on the holdout weeks (None when the holdout is empty).
    pub holdout: Option<Metrics>,
    /// All weeks N.
    pub weeks: usize,
    /// Weeks fitted (the first `train_weeks`).
    pub train_weeks: usize,
    /// Σ_t y_t over all weeks.
    pub kpi_total: f64,
    /// Adstock max lag used.
    pub max_lag: usize,
}

/// Assembles the model report.
pub fn build(
    problem: &Problem,
    fit: FitResult,
    search: SearchResult,
    bootstrap: Bootstrap,
) -> MixModel {
    let y = &problem.data.kpi;
    let train = problem.split.train;
    let kpi_total: f64 = y.iter().sum();
    let spend_total: f64 = fit.curves.iter().map(|c| c.spend).sum();
    let contrib: Vec<f64> = fit.contributions.iter().map(|c| c.iter().sum()).collect();
    let media_total: f64 = contrib.iter().sum();
    let contribution_iv = bootstrap.contribution_intervals(&fit.curves);
    let share_iv = bootstrap.share_intervals(&fit.curves);
    let roas_iv = bootstrap.roas_intervals(&fit.curves);
    let ratio = |a: f64, b: f64| if b != 0.0 { a / b } else { 0.0 };
    let channels = fit
        .curves
        .iter()
        .enumerate()
        .map(|(c, curve)| {
            let h = fit.hyper[c];
            ChannelReport {
                name: curve.name.clone(),
                spend: curve.spend,
                spend_share: ratio(curve.spend, spend_total),
                contribution: contrib[c],
                effect_share: ratio(contrib[c], media_total),
                kpi_share: ratio(contrib[c], kpi_total),
                roas: ratio(contrib[c], curve.spend),
                marginal_roas: curve.marginal_roas(1.0),
                half_life_weeks: half_life(h.theta),
                half_saturation_spend: half_saturation_spend(
                    h.theta,
                    h.gamma,
                    fit.scale[c],
                    problem.config.max_lag,
                ),
                hyper: h,
                coefficient: fit.media_coef[c],
                contribution_interval: contribution_iv[c],
                effect_share_interval: share_iv[c],
                roas_interval: roas_iv[c],
            }
        })
        .collect();
    let holdout = (train < y.len()).then(|| metrics(&y[train..], &fit.fitted[train..]));
    MixModel {
        channels,
        train: metrics(&y[..train], &fit.fitted[..train]),
        holdout,
        weeks: y.len(),
        train_weeks: train,
        kpi_total,
        max_lag: problem.config.max_lag,
        fit,
        search,
        bootstrap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_hand_worked() {
        let y = [10.0, 12.0, 8.0, 10.0];
        let yhat = [11.0, 12.0, 8.0, 9.0];
        let m = metrics(&y, &yhat);
        // SSE = 2, SST = 8, RMSE = sqrt(0.5), range = 4, APE = 0.1, 0, 0, 0.1.
        assert_eq!(m.r2, Some(0.75));
        assert!((m.nrmse.unwrap_or(0.0) - 0.5_f64.sqrt() / 4.0).abs() < 1e-15);
        assert!((m.mape.unwrap_or(0.0) - 0.05).abs() < 1e-15);
        let flat = metrics(&[0.0, 0.0], &[1.0, -1.0]);
        assert_eq!((flat.r2, flat.nrmse, flat.mape), (None, None, None));
    }
}
