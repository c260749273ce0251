//! Marketing-mix model: weekly KPI on channel spend (adstock → Hill → non-negative ridge), seeded CV
//! hyperparameter search, block-bootstrap intervals, budget optimiser, synthetic data. Imports only std,
//! rand, rand_xoshiro, rayon. Entry points: [`fit_mix`], [`optimize_budget`], [`synth::generate`].

pub mod allocate;
pub mod data;
pub mod design;
pub mod fit;
pub mod gram;
pub mod interval;
pub mod optimize;
pub mod report;
pub mod search;
pub mod solve;
pub mod synth;
pub mod transform;

use std::fmt;

pub use data::{Channel, Control, MixData};
pub use fit::{FitResult, Hyper};
pub use interval::{BootstrapConfig, Interval};
pub use optimize::{optimize_budget, BudgetOptions, BudgetPlan, Objective};
pub use report::{ChannelReport, Metrics, MixModel};
pub use search::SearchConfig;

/// Everything that can go wrong in the marketing-mix model. Each message is one line an analyst can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum MixError {
    /// No spend channel was given.
    NoChannels,
    /// A series has a different number of weeks than the KPI.
    LengthMismatch {
        /// Name of the series.
        series: String,
        /// Its number of weeks.
        len: usize,
        /// The KPI's number of weeks.
        expected: usize,
    },
    /// A NaN or infinite value.
    NonFinite {
        /// "KPI", or the channel or control name.
        series: String,
        /// 0-based week (shown 1-based).
        week: usize,
    },
    /// Spend below zero.
    NegativeSpend {
        /// Channel name.
        channel: String,
        /// 0-based week (shown 1-based).
        week: usize,
    },
    /// A channel with zero spend in every fitted (training) week.
    ZeroSpend {
        /// Channel name.
        channel: String,
        /// Number of fitted weeks.
        weeks: usize,
    },
    /// The KPI is the same in every training week.
    ConstantKpi {
        /// That value.
        value: f64,
    },
    /// A control column is the same in every training week.
    ConstantControl {
        /// Control name.
        control: String,
    },
    /// Not enough weeks for the number of estimated quantities.
    TooFewWeeks {
        /// Weeks given.
        weeks: usize,
        /// Weeks needed: `max(78, 3 × parameters)`.
        needed: usize,
        /// Estimated quantities (coefficients and hyperparameters).
        parameters: usize,
    },
    /// A configuration value outside its allowed range.
    InvalidSetting {
        /// Setting name.
        setting: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// The requested budget cannot be split within the per-channel limits.
    InfeasibleBudget {
        /// Budget asked for.
        budget: f64,
        /// Smallest total the limits allow.
        min: f64,
        /// Largest total the limits allow.
        max: f64,
    },
    /// A per-channel input (hyperparameters, bounds) does not have one entry per channel.
    ChannelCount {
        /// Entries given.
        got: usize,
        /// Channels in the model.
        expected: usize,
    },
    /// The regression could not be solved (should not happen with a positive ridge penalty).
    Numerical,
}

impl fmt::Display for MixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MixError::NoChannels => write!(f, "no spend channels were given; add at least one channel's weekly spend"),
            MixError::LengthMismatch { series, len, expected } => write!(
                f,
                "'{series}' has {len} weeks but the KPI has {expected}; give every series the same weeks"
            ),
            MixError::NonFinite { series, week } => write!(
                f,
                "'{series}' has a missing or non-finite value in week {}; fill or drop that week",
                week + 1
            ),
            MixError::NegativeSpend { channel, week } => write!(
                f,
                "channel '{channel}' has negative spend in week {}; spend must be zero or more",
                week + 1
            ),
            MixError::ZeroSpend { channel, weeks } => write!(
                f,
                "channel '{channel}' has zero spend in all {weeks} fitted weeks (the holdout is not fitted); \
                 drop it or supply its spend"
            ),
            MixError::ConstantKpi { value } => write!(
                f,
                "the KPI is {value} in every week, so there is nothing to explain; check the KPI column"
            ),
            MixError::ConstantControl { control } => write!(
                f,
                "control '{control}' is constant over the training weeks; drop it"
            ),
            MixError::TooFewWeeks { weeks, needed, parameters } => write!(
                f,
                "{weeks} weeks of data, but this model estimates {parameters} quantities and needs at least \
                 {needed} weeks (3 per quantity, never fewer than 78); add weeks or drop channels/controls"
            ),
            MixError::InvalidSetting { setting, value, expected } => {
                write!(f, "setting '{setting}' is {value}; it must be {expected}")
            }
            MixError::InfeasibleBudget { budget, min, max } => write!(
                f,
                "a budget of {budget:.2} cannot be split within the per-channel limits (possible totals \
                 {min:.2} to {max:.2}); change the budget or widen the limits"
            ),
            MixError::ChannelCount { got, expected } => write!(
                f,
                "{got} per-channel values were given for a model with {expected} channels; give one per channel"
            ),
            MixError::Numerical => write!(
                f,
                "the regression could not be solved numerically; check the data for extreme values"
            ),
        }
    }
}

impl std::error::Error for MixError {}

/// Settings of the whole model. [`MixConfig::default`] is the documented default.
#[derive(Debug, Clone, PartialEq)]
pub struct MixConfig {
    /// Longest adstock lag in weeks: the effect of week t's spend is counted for weeks t..=t+max_lag.
    pub max_lag: usize,
    /// Number of yearly Fourier harmonics K (sin and cos of 2πk·t/52.18, k = 1..=K).
    pub fourier_order: usize,
    /// Fraction of the last weeks held out of every fit and used only for the holdout report (0 = none).
    pub holdout_fraction: f64,
    /// Number of rolling-origin CV folds.
    pub cv_folds: usize,
    /// Fraction of the training weeks, at their end, split into the CV validation blocks.
    pub cv_fraction: f64,
    /// Ridge penalties tried on CV (on standardised columns; shrinkage of an isolated column ≈ 1/(1+λ)).
    pub lambdas: Vec<f64>,
    /// Weight of the DECOMP.RSSD penalty added to the CV NRMSE in the search objective.
    pub rssd_weight: f64,
    /// Hyperparameter search settings.
    pub search: SearchConfig,
    /// Bootstrap settings.
    pub bootstrap: BootstrapConfig,
    /// Seed of every random choice (search start points, bootstrap blocks).
    pub seed: u64,
}

impl Default for MixConfig {
    fn default() -> Self {
        MixConfig {
            max_lag: 12,
            fourier_order: 2,
            holdout_fraction: 0.1,
            cv_folds: 6,
            cv_fraction: 0.5,
            lambdas: vec![1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0],
            rssd_weight: 0.002,
            search: SearchConfig::default(),
            bootstrap: BootstrapConfig::default(),
            seed: 42,
        }
    }
}

/// Fits the model end to end: validation, hyperparameter search, final fit, report and bootstrap.
pub fn fit_mix(data: &MixData, config: &MixConfig) -> Result<MixModel, MixError> {
    let problem = fit::Problem::new(data, config)?;
    let found = search::search(&problem)?;
    let result = fit::fit_with(&problem, &found.hyper)?;
    let boot = interval::bootstrap(&problem, &result, &config.bootstrap, config.seed)?;
    Ok(report::build(&problem, result, found, boot))
}
