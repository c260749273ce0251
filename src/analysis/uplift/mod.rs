//! Test-vs-control readouts and uplift evaluation: lift with CI and p-value, sample-ratio mismatch,
//! covariate balance, CUPED, sample size, and sklift-compatible Qini/uplift curves. Imports [`stats`]
//! only. Entry points: [`readout::readout`], [`srm::srm`], [`balance::balance`], [`cuped::cuped`],
//! [`power::rows_per_arm`], [`qini`] (curves, AUCs, uplift at k, by percentile).
//!
//! [`stats`]: crate::analysis::stats

mod arms;
pub mod balance;
pub mod cuped;
pub mod power;
pub mod qini;
pub mod readout;
pub mod srm;

use std::fmt;

/// Everything that can stop an uplift computation; each message is one line an analyst can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum UpliftError {
    /// Fewer than two arms were given (the names of those there are).
    TooFewArms { arms: Vec<String> },
    /// A column's length differs from the number of rows.
    LengthMismatch {
        column: String,
        expected: usize,
        found: usize,
    },
    /// A row's arm index is not one of the arms.
    ArmOutOfRange {
        row: usize,
        index: usize,
        arms: usize,
    },
    /// A value is NaN or infinite.
    NotFinite { column: String, row: usize },
    /// An arm has no rows.
    EmptyArm { arm: String },
    /// An arm has a single row, too few to estimate its variance.
    TooFewRows { arm: String, rows: usize },
    /// The outcome takes one value throughout both arms of a comparison.
    ConstantOutcome {
        outcome: String,
        control: String,
        control_value: f64,
        treated: String,
        treated_value: f64,
    },
    /// The number of planned shares differs from the number of arms.
    SharesMismatch { shares: usize, arms: usize },
    /// A planned share is not a positive number.
    InvalidShare { arm: String, share: f64 },
    /// No rows were counted in any arm.
    NoRows,
    /// CUPED was asked for without any pre-period covariate.
    NoCovariates,
    /// A CUPED covariate is constant or a linear combination of the others.
    CollinearCovariate {
        covariate: String,
        control: String,
        treated: String,
    },
    /// A rate, alpha or power outside (0, 1).
    InvalidProbability { what: &'static str, value: f64 },
    /// The minimum detectable effect is 0 (or not a number).
    ZeroEffect { mde: f64 },
    /// The required sample does not fit in a row count.
    SampleTooLarge { rows: f64 },
    /// The uplift data has no treated or no control rows.
    MissingGroup { group: &'static str },
    /// A normalised AUC needs a 0/1 outcome.
    NonBinaryOutcome { row: usize, value: f64 },
    /// k is not a fraction in (0, 1) nor a row count in 1..=max_rows.
    InvalidTopK { k: qini::TopK, max_rows: usize },
    /// The top-k slice holds no rows of one group, so its response rate is undefined.
    EmptyTopGroup { group: &'static str, rows: usize },
    /// The number of bins is 0 or not smaller than the number of rows.
    InvalidBins { bins: usize, rows: usize },
    /// The perfect curve has the same area as random targeting, so the normalised score is undefined.
    DegenerateCurve { curve: &'static str },
}

impl fmt::Display for UpliftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooFewArms { arms } => match arms.as_slice() {
                [] => write!(f, "the treatment column has no arms: a readout needs a control and at least one treated arm"),
                [only] => write!(f, "the treatment column has only one arm ('{only}'): a readout needs a control and at least one treated arm"),
                _ => write!(f, "a readout needs a control and at least one treated arm, got {} arms", arms.len()),
            },
            Self::LengthMismatch { column, expected, found } => write!(f, "'{column}' has {found} values but there are {expected} rows: every column must cover every row"),
            Self::ArmOutOfRange { row, index, arms } => write!(f, "row {row} is assigned to arm #{index} but only {arms} arms are defined: check the arm mapping of the treatment column"),
            Self::NotFinite { column, row } => write!(f, "'{column}' is missing or not a finite number in row {row}: fill or drop such rows first"),
            Self::EmptyArm { arm } => write!(f, "arm '{arm}' has no rows: drop it from the arms or check the treatment column's labels"),
            Self::TooFewRows { arm, rows } => write!(f, "arm '{arm}' has only {rows} row: at least 2 per arm are needed to estimate a variance"),
            Self::ConstantOutcome { outcome, control, control_value, treated, treated_value } => write!(f, "'{outcome}' is constant in both '{control}' (always {control_value}) and '{treated}' (always {treated_value}): there is no variation to test, so check the outcome column"),
            Self::SharesMismatch { shares, arms } => write!(f, "{shares} planned shares were given for {arms} arms: give one share per arm, in arm order"),
            Self::InvalidShare { arm, share } => write!(f, "the planned share of arm '{arm}' is {share}: shares must be positive numbers (they are rescaled to sum to 1)"),
            Self::NoRows => write!(f, "no rows were counted in any arm: there is nothing to check for sample-ratio mismatch"),
            Self::NoCovariates => write!(f, "CUPED needs at least one pre-period covariate, e.g. last month's spend"),
            Self::CollinearCovariate { covariate, control, treated } => write!(f, "covariate '{covariate}' is constant or a combination of the other covariates within '{control}' and '{treated}': drop it"),
            Self::InvalidProbability { what, value } => write!(f, "the {what} must be strictly between 0 and 1, got {value}"),
            Self::ZeroEffect { mde } => write!(f, "the minimum detectable effect is {mde}: give the smallest absolute lift worth detecting, e.g. 0.01 for one percentage point"),
            Self::SampleTooLarge { rows } => write!(f, "detecting this effect would take about {rows:.3e} rows per arm: choose a larger minimum detectable effect"),
            Self::MissingGroup { group } => write!(f, "there are no {group} rows: uplift evaluation needs both treated and control rows"),
            Self::NonBinaryOutcome { row, value } => write!(f, "the outcome is {value} in row {row}: the normalised Qini and uplift AUC need a 0/1 outcome"),
            Self::InvalidTopK { k, max_rows } => write!(f, "k = {k} is out of range: use a fraction strictly between 0 and 1, or a row count between 1 and {max_rows}"),
            Self::EmptyTopGroup { group, rows } => write!(f, "the top {rows} rows by score contain no {group} rows, so their response rate is undefined: use a larger k"),
            Self::InvalidBins { bins, rows } => write!(f, "{bins} bins cannot split {rows} rows: use at least 1 bin and fewer bins than rows"),
            Self::DegenerateCurve { curve } => write!(f, "the perfect {curve} curve is no better than random targeting (e.g. the outcome never happens), so the normalised score is undefined"),
        }
    }
}

impl std::error::Error for UpliftError {}

#[cfg(test)]
mod tests;
