//! CUPED / regression adjustment: for each treated arm, pool its rows with the control's, fit θ by OLS
//! of the outcome on the centred pre-period covariates (normal equations solved by Cholesky), adjust
//! y' = y − (x − x̄)·θ, and read the lift out of y' with Welch's test. The pre-period covariates explain
//! part of the outcome's variance, so the interval narrows while the lift stays unbiased; the result
//! says by how much (`ci_width_ratio`, `variance_reduction`).

use super::arms::{split_by_arm, Moments};
use super::readout::{lift_from, welch, Lift};
use super::UpliftError;

/// Pivots below this fraction of a covariate's own sum of squares count as collinear.
const COLLINEAR: f64 = 1e-10;
/// An adjusted variance below this fraction of the raw one means the covariates are the outcome itself.
const EXACT_FIT: f64 = 1e-12;

/// One treated arm against the control, before and after adjustment.
#[derive(Debug, Clone, PartialEq)]
pub struct CupedLift {
    /// Index of the treated arm (≥ 1).
    pub arm: usize,
    /// Its label.
    pub name: String,
    /// Regression coefficient per covariate, fitted on the control and this arm pooled.
    pub theta: Vec<f64>,
    /// Welch readout of the raw outcome.
    pub unadjusted: Lift,
    /// Welch readout of the adjusted outcome (its relative lift is against the adjusted control mean).
    pub adjusted: Lift,
    /// Adjusted CI width / unadjusted CI width (below 1 means a tighter readout).
    pub ci_width_ratio: f64,
    /// 1 − var(adjusted) / var(outcome) over the pooled rows: the R² of the adjustment.
    pub variance_reduction: f64,
}

/// The CUPED readout of one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Cuped {
    /// Outcome column name.
    pub outcome: String,
    /// Covariate names, in the order of each `theta`.
    pub covariates: Vec<String>,
    /// Per treated arm, in arm order.
    pub lifts: Vec<CupedLift>,
}

/// CUPED-adjusts `outcome` by `covariates` (name, values per row) for each treated arm against the
/// control (arm 0); `arm_of_row` indexes `arm_names` as in [`super::readout::readout`].
///
/// Errors: no covariates; fewer than two arms, lengths that differ, an arm index out of range, a
/// non-finite value or an arm with fewer than two rows (in the outcome or any covariate); an outcome
/// constant within both arms of a comparison, before or after adjustment (after: the covariates
/// reproduce the outcome to 1e-12 of its variance); a covariate that is constant or collinear with the
/// others over a comparison's rows.
pub fn cuped<S: AsRef<str>>(
    arm_names: &[S],
    arm_of_row: &[usize],
    outcome_name: &str,
    outcome: &[f64],
    covariates: &[(&str, &[f64])],
) -> Result<Cuped, UpliftError> {
    if covariates.is_empty() {
        return Err(UpliftError::NoCovariates);
    }
    let y_groups = split_by_arm(arm_names, arm_of_row, outcome_name, outcome)?;
    let mut x_groups = Vec::with_capacity(covariates.len());
    for &(name, values) in covariates {
        x_groups.push(split_by_arm(arm_names, arm_of_row, name, values)?);
    }
    let names: Vec<&str> = arm_names.iter().map(AsRef::as_ref).collect();
    let mut lifts = Vec::with_capacity(names.len() - 1);
    for arm in 1..names.len() {
        let pair = Pair { names: &names, arm };
        let y = [y_groups[0].as_slice(), y_groups[arm].as_slice()].concat();
        let x: Vec<Vec<f64>> = x_groups
            .iter()
            .map(|g| [g[0].as_slice(), g[arm].as_slice()].concat())
            .collect();
        let theta = fit_theta(&y, &x).map_err(|j| UpliftError::CollinearCovariate {
            covariate: covariates[j].0.to_string(),
            control: names[0].to_string(),
            treated: names[arm].to_string(),
        })?;
        let x_means: Vec<f64> = x.iter().map(|column| mean(column)).collect();
        let adjusted: Vec<f64> = (0..y.len())
            .map(|i| {
                let shift: f64 = (0..x.len())
                    .map(|j| (x[j][i] - x_means[j]) * theta[j])
                    .sum();
                y[i] - shift
            })
            .collect();
        let n_control = y_groups[0].len();
        let unadjusted = pair.welch_lift(&y[..n_control], &y[n_control..], outcome_name)?;
        // var(y) > 0 here: Welch on the raw outcome succeeded, so y is not constant.
        let variance_ratio = Moments::of(&adjusted).variance / Moments::of(&y).variance;
        let adjusted_name = format!("{outcome_name} (CUPED-adjusted)");
        if variance_ratio <= EXACT_FIT {
            // The covariates reproduce the outcome (rounding noise aside): nothing left to test.
            return Err(pair.constant(&adjusted_name, adjusted[0], adjusted[n_control]));
        }
        let adjusted_lift = pair.welch_lift(
            &adjusted[..n_control],
            &adjusted[n_control..],
            &adjusted_name,
        )?;
        let ci_width_ratio = (adjusted_lift.ci_high - adjusted_lift.ci_low)
            / (unadjusted.ci_high - unadjusted.ci_low);
        let variance_reduction = 1.0 - variance_ratio;
        lifts.push(CupedLift {
            arm,
            name: names[arm].to_string(),
            theta,
            unadjusted,
            adjusted: adjusted_lift,
            ci_width_ratio,
            variance_reduction,
        });
    }
    Ok(Cuped {
        outcome: outcome_name.to_string(),
        covariates: covariates.iter().map(|(n, _)| n.to_string()).collect(),
        lifts,
    })
}

/// The control and one treated arm, for naming them in results and errors.
struct Pair<'a> {
    names: &'a [&'a str],
    arm: usize,
}

impl Pair<'_> {
    /// Welch readout of `treated` against `control`, or `ConstantOutcome` naming `outcome`.
    fn welch_lift(
        &self,
        control: &[f64],
        treated: &[f64],
        outcome: &str,
    ) -> Result<Lift, UpliftError> {
        let (c, t) = (Moments::of(control), Moments::of(treated));
        let result = welch(&t, &c).ok_or_else(|| self.constant(outcome, control[0], treated[0]))?;
        Ok(lift_from(self.arm, self.names[self.arm], &t, &c, result))
    }

    /// `ConstantOutcome` for this pair.
    fn constant(&self, outcome: &str, control_value: f64, treated_value: f64) -> UpliftError {
        UpliftError::ConstantOutcome {
            outcome: outcome.to_string(),
            control: self.names[0].to_string(),
            control_value,
            treated: self.names[self.arm].to_string(),
            treated_value,
        }
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// θ solving (XcᵀXc) θ = Xcᵀ(y − ȳ) for the centred covariate columns `x`, by Cholesky; Err(j) when
/// covariate j is constant or (numerically) a linear combination of covariates 0..j.
fn fit_theta(y: &[f64], x: &[Vec<f64>]) -> Result<Vec<f64>, usize> {
    let p = x.len();
    let y_mean = mean(y);
    let centred: Vec<Vec<f64>> = x
        .iter()
        .map(|column| {
            let m = mean(column);
            column.iter().map(|v| v - m).collect()
        })
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>();
    let gram: Vec<Vec<f64>> = (0..p)
        .map(|j| (0..p).map(|k| dot(&centred[j], &centred[k])).collect())
        .collect();
    let y_centred: Vec<f64> = y.iter().map(|v| v - y_mean).collect();
    let rhs: Vec<f64> = centred
        .iter()
        .map(|column| dot(column, &y_centred))
        .collect();
    // gram = L Lᵀ, row by row.
    let mut l = vec![vec![0.0; p]; p];
    for j in 0..p {
        for k in 0..=j {
            let partial: f64 = (0..k).map(|m| l[j][m] * l[k][m]).sum();
            if k == j {
                let pivot = gram[j][j] - partial;
                if gram[j][j] <= 0.0 || pivot <= COLLINEAR * gram[j][j] {
                    return Err(j);
                }
                l[j][j] = pivot.sqrt();
            } else {
                l[j][k] = (gram[j][k] - partial) / l[k][k];
            }
        }
    }
    // L z = rhs, then Lᵀ θ = z.
    let mut z = vec![0.0; p];
    for j in 0..p {
        z[j] = (rhs[j] - (0..j).map(|m| l[j][m] * z[m]).sum::<f64>()) / l[j][j];
    }
    let mut theta = vec![0.0; p];
    for j in (0..p).rev() {
        theta[j] = (z[j] - (j + 1..p).map(|m| l[m][j] * theta[m]).sum::<f64>()) / l[j][j];
    }
    Ok(theta)
}

#[cfg(test)]
mod tests;
