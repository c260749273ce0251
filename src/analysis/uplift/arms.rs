//! Shared by the readout, balance and CUPED: validating row-wise arm data and per-arm moments.

use super::UpliftError;

/// Checks there are at least two arms, that `values` and `arm_of_row` cover the same rows, that every
/// arm index is in range and every value finite, and that each arm has at least two rows; then returns
/// the values grouped by arm (arm 0 first).
pub(super) fn split_by_arm<S: AsRef<str>>(
    arm_names: &[S],
    arm_of_row: &[usize],
    column: &str,
    values: &[f64],
) -> Result<Vec<Vec<f64>>, UpliftError> {
    if arm_names.len() < 2 {
        return Err(UpliftError::TooFewArms {
            arms: arm_names.iter().map(|n| n.as_ref().to_string()).collect(),
        });
    }
    check_length(column, arm_of_row.len(), values.len())?;
    let mut groups = vec![Vec::new(); arm_names.len()];
    for (row, (&arm, &value)) in arm_of_row.iter().zip(values).enumerate() {
        let group = groups.get_mut(arm).ok_or(UpliftError::ArmOutOfRange {
            row,
            index: arm,
            arms: arm_names.len(),
        })?;
        check_finite(column, row, value)?;
        group.push(value);
    }
    for (name, group) in arm_names.iter().zip(&groups) {
        match group.len() {
            0 => {
                return Err(UpliftError::EmptyArm {
                    arm: name.as_ref().to_string(),
                })
            }
            1 => {
                return Err(UpliftError::TooFewRows {
                    arm: name.as_ref().to_string(),
                    rows: 1,
                })
            }
            _ => {}
        }
    }
    Ok(groups)
}

/// `LengthMismatch` unless `found == expected`.
pub(super) fn check_length(column: &str, expected: usize, found: usize) -> Result<(), UpliftError> {
    if expected == found {
        Ok(())
    } else {
        Err(UpliftError::LengthMismatch {
            column: column.to_string(),
            expected,
            found,
        })
    }
}

/// `NotFinite` for NaN or ±∞.
pub(super) fn check_finite(column: &str, row: usize, value: f64) -> Result<(), UpliftError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(UpliftError::NotFinite {
            column: column.to_string(),
            row,
        })
    }
}

/// Row count, sum, mean and sample variance (ddof = 1, two-pass) of one arm's values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Moments {
    pub rows: usize,
    pub sum: f64,
    pub mean: f64,
    pub variance: f64,
}

impl Moments {
    /// Moments of `values` (callers pass at least two; fewer give mean and variance 0, never NaN).
    pub fn of(values: &[f64]) -> Moments {
        let n = values.len() as f64;
        let sum: f64 = values.iter().sum();
        let mean = if values.is_empty() { 0.0 } else { sum / n };
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        let variance = if values.len() > 1 {
            squares / (n - 1.0)
        } else {
            0.0
        };
        Moments {
            rows: values.len(),
            sum,
            mean,
            variance,
        }
    }
}
