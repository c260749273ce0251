//! Test-vs-control readout: per-arm rows and mean, and for each treated arm against the control (arm 0)
//! the absolute lift with a 95% CI and two-sided p-value, the relative lift and the incremental total.
//!
//! Binary (0/1) outcomes use the two-proportion z-test: pooled standard error for the statistic and
//! p-value, unpooled (Wald) for the interval, as statsmodels' `proportions_ztest` and
//! `confint_proportions_2indep(method="wald")` do. Other outcomes use Welch's t-test with
//! Welch–Satterthwaite degrees of freedom for both, as `scipy.stats.ttest_ind(equal_var=False)` and its
//! `confidence_interval()` do.

use super::arms::{split_by_arm, Moments};
use super::UpliftError;
use crate::analysis::stats::dist::{normal_quantile, normal_sf, student_t_quantile, student_t_sf};

/// Confidence level of every interval in this folder.
pub const CONFIDENCE: f64 = 0.95;

/// Whether an outcome is a 0/1 flag (conversions) or a continuous amount (revenue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// Every value is exactly 0 or 1.
    Binary,
    /// Anything else.
    Continuous,
}

/// The test behind a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKind {
    /// Two-proportion z-test (binary outcomes).
    TwoProportionZ,
    /// Welch's unequal-variance t-test (continuous outcomes, and CUPED-adjusted ones).
    Welch,
}

/// One arm's size and average outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmSummary {
    /// Arm label.
    pub name: String,
    /// Rows in the arm.
    pub rows: usize,
    /// Mean outcome: the response rate for a binary outcome.
    pub mean: f64,
    /// Sample standard deviation (ddof = 1).
    pub std_dev: f64,
}

/// A treated arm against the control.
#[derive(Debug, Clone, PartialEq)]
pub struct Lift {
    /// Index of the treated arm (≥ 1).
    pub arm: usize,
    /// Its label.
    pub name: String,
    /// mean(treated) − mean(control).
    pub lift: f64,
    /// Lower end of the 95% interval for the lift.
    pub ci_low: f64,
    /// Upper end of the 95% interval for the lift.
    pub ci_high: f64,
    /// Two-sided p-value for "no difference".
    pub p_value: f64,
    /// The z or t statistic.
    pub statistic: f64,
    /// Welch–Satterthwaite degrees of freedom (None for the z-test).
    pub df: Option<f64>,
    /// lift / mean(control); None when the control mean is 0.
    pub relative_lift: Option<f64>,
    /// lift × treated rows: the outcome the treatment added (conversions, revenue).
    pub incremental_total: f64,
}

/// The whole readout of one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    /// Outcome column name.
    pub outcome: String,
    /// Binary or continuous, as [`outcome_kind`] decided.
    pub kind: OutcomeKind,
    /// The test used for every comparison.
    pub test: TestKind,
    /// Per arm, control first.
    pub arms: Vec<ArmSummary>,
    /// Per treated arm, in arm order.
    pub lifts: Vec<Lift>,
}

/// Binary when every value is exactly 0 or 1 (an empty column counts as binary).
pub fn outcome_kind(values: &[f64]) -> OutcomeKind {
    if values.iter().all(|&v| v == 0.0 || v == 1.0) {
        OutcomeKind::Binary
    } else {
        OutcomeKind::Continuous
    }
}

/// Reads out `outcome` by arm. `arm_of_row[i]` is row i's index into `arm_names`; arm 0 is the control.
///
/// Errors: fewer than two arms, lengths that differ, an arm index out of range, a non-finite outcome,
/// an arm with fewer than two rows, or an outcome constant within both arms of a comparison.
pub fn readout<S: AsRef<str>>(
    arm_names: &[S],
    arm_of_row: &[usize],
    outcome_name: &str,
    outcome: &[f64],
) -> Result<Readout, UpliftError> {
    let groups = split_by_arm(arm_names, arm_of_row, outcome_name, outcome)?;
    let kind = outcome_kind(outcome);
    let test = match kind {
        OutcomeKind::Binary => TestKind::TwoProportionZ,
        OutcomeKind::Continuous => TestKind::Welch,
    };
    let moments: Vec<Moments> = groups.iter().map(|g| Moments::of(g)).collect();
    let names: Vec<String> = arm_names.iter().map(|n| n.as_ref().to_string()).collect();
    let arms = names
        .iter()
        .zip(&moments)
        .map(|(name, m)| ArmSummary {
            name: name.clone(),
            rows: m.rows,
            mean: m.mean,
            std_dev: m.variance.sqrt(),
        })
        .collect();
    let mut lifts = Vec::with_capacity(names.len() - 1);
    for arm in 1..names.len() {
        let (treated, control) = (&moments[arm], &moments[0]);
        let test_result = match test {
            TestKind::TwoProportionZ => two_proportion_z(treated, control),
            TestKind::Welch => welch(treated, control),
        };
        let result = test_result.ok_or_else(|| UpliftError::ConstantOutcome {
            outcome: outcome_name.to_string(),
            control: names[0].clone(),
            control_value: groups[0][0],
            treated: names[arm].clone(),
            treated_value: groups[arm][0],
        })?;
        lifts.push(lift_from(arm, &names[arm], treated, control, result));
    }
    Ok(Readout {
        outcome: outcome_name.to_string(),
        kind,
        test,
        arms,
        lifts,
    })
}

/// Statistic, df, p-value and interval of one comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TestResult {
    pub statistic: f64,
    pub df: Option<f64>,
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Assembles a [`Lift`] from a test result.
pub(super) fn lift_from(
    arm: usize,
    name: &str,
    treated: &Moments,
    control: &Moments,
    result: TestResult,
) -> Lift {
    let lift = treated.mean - control.mean;
    Lift {
        arm,
        name: name.to_string(),
        lift,
        ci_low: result.ci_low,
        ci_high: result.ci_high,
        p_value: result.p_value,
        statistic: result.statistic,
        df: result.df,
        relative_lift: (control.mean != 0.0).then(|| lift / control.mean),
        incremental_total: lift * treated.rows as f64,
    }
}

/// Two-proportion z-test; None when both arms are constant (zero variance in each).
pub(super) fn two_proportion_z(treated: &Moments, control: &Moments) -> Option<TestResult> {
    let (nt, nc) = (treated.rows as f64, control.rows as f64);
    let (pt, pc) = (treated.sum / nt, control.sum / nc);
    let unpooled = (pt * (1.0 - pt) / nt + pc * (1.0 - pc) / nc).sqrt();
    if unpooled == 0.0 {
        return None;
    }
    let pooled_rate = (treated.sum + control.sum) / (nt + nc);
    let pooled = (pooled_rate * (1.0 - pooled_rate) * (1.0 / nt + 1.0 / nc)).sqrt();
    let lift = pt - pc;
    let statistic = lift / pooled;
    let half_width = normal_quantile(0.5 + CONFIDENCE / 2.0) * unpooled;
    Some(TestResult {
        statistic,
        df: None,
        p_value: (2.0 * normal_sf(statistic.abs())).min(1.0),
        ci_low: lift - half_width,
        ci_high: lift + half_width,
    })
}

/// Welch's t-test; None when both arms have zero variance.
pub(super) fn welch(treated: &Moments, control: &Moments) -> Option<TestResult> {
    let (nt, nc) = (treated.rows as f64, control.rows as f64);
    let (vt, vc) = (treated.variance / nt, control.variance / nc);
    let se2 = vt + vc;
    if se2 <= 0.0 {
        return None;
    }
    let se = se2.sqrt();
    // Welch–Satterthwaite, written with the shares vt/se², vc/se² ∈ [0, 1] so nothing underflows.
    let (st, sc) = (vt / se2, vc / se2);
    let df = 1.0 / (st * st / (nt - 1.0) + sc * sc / (nc - 1.0));
    let lift = treated.mean - control.mean;
    let statistic = lift / se;
    let half_width = student_t_quantile(0.5 + CONFIDENCE / 2.0, df) * se;
    Some(TestResult {
        statistic,
        df: Some(df),
        p_value: (2.0 * student_t_sf(statistic.abs(), df)).min(1.0),
        ci_low: lift - half_width,
        ci_high: lift + half_width,
    })
}

#[cfg(test)]
mod tests;
