//! Budget optimiser: split a total budget across channels, each channel's total within
//! `[lo·current, hi·current]`, its weekly pattern scaled uniformly, maximising the modelled KPI (or
//! `margin·KPI − spend`, where the budget becomes a cap and unspent budget is allowed).
//!
//! Method: the response `R_c(s) = β Σ_t hill((s/S_c)·z_t)` is concave for α ≤ 1 but S-shaped for α > 1,
//! so marginal water-filling alone can stall. We (1) allocate the free budget greedily in 1/M increments
//! to the best gain per unit, (2) refine by pairwise exchanges: move spend from a channel to another
//! along the line that keeps the total, checked on a 12-point grid (to jump an S-curve's flat start)
//! and polished by golden section; accepted only if the objective rises. For concave responses this
//! ends at equal marginal returns (the water-filling optimum). (3) The same refinement is run from the
//! current split and a few seeded random feasible splits, and the best is kept. Finally, a split worse
//! than the current one (scaled to the budget, when that is within the limits) is never returned: we
//! fall back to it.

use super::allocate::allocate;
use super::interval::{Bootstrap, Interval};
use super::report::MixModel;
use super::transform::ResponseCurve;
use super::MixError;

pub use super::allocate::{BudgetOptions, Objective};

/// One channel's part of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPlan {
    /// Channel name.
    pub name: String,
    /// Total spend over the period now.
    pub current_spend: f64,
    /// Proposed total spend (the weekly pattern scaled uniformly).
    pub proposed_spend: f64,
    /// Lowest total allowed (lo · current).
    pub min_spend: f64,
    /// Highest total allowed (hi · current).
    pub max_spend: f64,
    /// Modelled contribution at current spend.
    pub current_contribution: f64,
    /// Modelled contribution at proposed spend.
    pub proposed_contribution: f64,
    /// Extra KPI per extra unit of spend at current spend.
    pub current_marginal_roas: f64,
    /// Extra KPI per extra unit of spend at proposed spend.
    pub proposed_marginal_roas: f64,
}

/// A proposed budget split.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetPlan {
    /// Per-channel current and proposed figures.
    pub channels: Vec<ChannelPlan>,
    /// The budget optimised (the cap for the Profit objective).
    pub budget: f64,
    /// Total current spend.
    pub total_current: f64,
    /// Total proposed spend (= budget for the KPI objective).
    pub total_proposed: f64,
    /// Modelled KPI over the period (baseline + media) at current spend.
    pub kpi_current: f64,
    /// Modelled KPI over the period at proposed spend.
    pub kpi_proposed: f64,
    /// `kpi_proposed − kpi_current` (media only: the baseline is unchanged).
    pub kpi_change: f64,
    /// Bootstrap interval of `kpi_change` (None without bootstrap draws).
    pub kpi_change_interval: Option<Interval>,
    /// `margin · media KPI − spend` at current spend (Profit objective only).
    pub profit_current: Option<f64>,
    /// `margin · media KPI − spend` at proposed spend (Profit objective only).
    pub profit_proposed: Option<f64>,
    /// True when the search found nothing better than the current split (scaled to the budget).
    pub fell_back: bool,
}

/// Optimises the budget for a fitted model.
pub fn optimize_budget(model: &MixModel, opts: &BudgetOptions) -> Result<BudgetPlan, MixError> {
    let baseline: f64 = model.fit.baseline.iter().sum();
    optimize_curves(&model.fit.curves, baseline, Some(&model.bootstrap), opts)
}

/// Optimises the budget for bare response curves (`baseline` = the KPI not driven by media).
pub fn optimize_curves(
    curves: &[ResponseCurve],
    baseline: f64,
    bootstrap: Option<&Bootstrap>,
    opts: &BudgetOptions,
) -> Result<BudgetPlan, MixError> {
    let n = curves.len();
    let bounds: Vec<(f64, f64)> = match &opts.bounds {
        Some(b) if b.len() != n => {
            return Err(MixError::ChannelCount {
                got: b.len(),
                expected: n,
            })
        }
        Some(b) => b.clone(),
        None => vec![(opts.lo, opts.hi); n],
    };
    for &(l, h) in &bounds {
        if !(l.is_finite() && h.is_finite() && l >= 0.0 && h >= l) {
            return Err(MixError::InvalidSetting {
                setting: "budget limits",
                value: if l < 0.0 { l } else { h },
                expected: "finite multiples with 0 <= lo <= hi",
            });
        }
    }
    if !(1..=100_000).contains(&opts.increments) || opts.starts > 100 {
        return Err(MixError::InvalidSetting {
            setting: "budget increments / starts",
            value: opts.increments as f64,
            expected: "1 to 100000 increments and at most 100 starts",
        });
    }
    if let Objective::Profit { margin } = opts.objective {
        if !(margin.is_finite() && margin > 0.0) {
            return Err(MixError::InvalidSetting {
                setting: "margin",
                value: margin,
                expected: "positive",
            });
        }
    }
    let current: Vec<f64> = curves.iter().map(|c| c.spend).collect();
    let total_current: f64 = current.iter().sum();
    let budget = opts.total.unwrap_or(total_current);
    if !(budget.is_finite() && budget > 0.0) {
        return Err(MixError::InvalidSetting {
            setting: "budget",
            value: budget,
            expected: "positive",
        });
    }
    let lo: Vec<f64> = current.iter().zip(&bounds).map(|(c, b)| c * b.0).collect();
    let hi: Vec<f64> = current.iter().zip(&bounds).map(|(c, b)| c * b.1).collect();
    let k0 = match opts.objective {
        Objective::Kpi => budget / total_current,
        Objective::Profit { .. } => (budget / total_current).min(1.0),
    };
    let reference: Vec<f64> = current.iter().map(|c| c * k0).collect();
    let ref_ok = reference
        .iter()
        .zip(lo.iter().zip(&hi))
        .all(|(r, (l, h))| *r >= l * (1.0 - 1e-12) && *r <= h * (1.0 + 1e-12));
    let reference: Vec<f64> = reference
        .iter()
        .zip(lo.iter().zip(&hi))
        .map(|(r, (l, h))| r.clamp(*l, *h))
        .collect();
    let (proposed, fell_back) = allocate(
        curves,
        &lo,
        &hi,
        budget,
        opts.objective,
        opts,
        ref_ok.then_some(reference.as_slice()),
    )?;
    let k: Vec<f64> = proposed
        .iter()
        .zip(&current)
        .map(|(p, c)| if *c > 0.0 { p / c } else { 0.0 })
        .collect();
    let channels: Vec<ChannelPlan> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| ChannelPlan {
            name: c.name.clone(),
            current_spend: current[i],
            proposed_spend: proposed[i],
            min_spend: lo[i],
            max_spend: hi[i],
            current_contribution: c.response(1.0),
            proposed_contribution: c.response(k[i]),
            current_marginal_roas: c.marginal_roas(1.0),
            proposed_marginal_roas: c.marginal_roas(k[i]),
        })
        .collect();
    let media_now: f64 = channels.iter().map(|c| c.current_contribution).sum();
    let media_new: f64 = channels.iter().map(|c| c.proposed_contribution).sum();
    let total_proposed: f64 = proposed.iter().sum();
    let (profit_current, profit_proposed) = match opts.objective {
        Objective::Kpi => (None, None),
        Objective::Profit { margin } => (
            Some(margin * media_now - total_current),
            Some(margin * media_new - total_proposed),
        ),
    };
    Ok(BudgetPlan {
        channels,
        budget,
        total_current,
        total_proposed,
        kpi_current: baseline + media_now,
        kpi_proposed: baseline + media_new,
        kpi_change: media_new - media_now,
        kpi_change_interval: bootstrap.map(|b| b.change_interval(curves, &k)),
        profit_current,
        profit_proposed,
        fell_back,
    })
}
