//! Baseline regressors: intercept (fitted by the solver, see [`super::solve`]), linear trend, yearly
//! Fourier seasonality from the week index, and standardised controls.

use super::data::Control;

/// Weeks per year used for the seasonal period (365.25 / 7 ≈ 52.18).
pub const WEEKS_PER_YEAR: f64 = 52.18;

/// Baseline columns, one `Vec` of N values per column. The intercept is not a column: the solver always
/// fits an unpenalised intercept, so `names[0] == "intercept"` and `columns.len() == names.len() - 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Term names: "intercept", "trend", "sin1", "cos1", ..., then the control names.
    pub names: Vec<String>,
    /// One column of N values per term after the intercept.
    pub columns: Vec<Vec<f64>>,
}

/// Builds the baseline for `weeks` weeks: trend `t / 52.18` (years since week 0); for k = 1..=K,
/// `sin(2πk·t/52.18)` and `cos(2πk·t/52.18)`; each control standardised with the mean and standard
/// deviation of its first `fit_weeks` values (a constant control gets divisor 1; validation rejects it).
pub fn baseline(
    weeks: usize,
    fourier_order: usize,
    controls: &[Control],
    fit_weeks: usize,
) -> Baseline {
    let mut names = vec!["intercept".to_string(), "trend".to_string()];
    let mut columns = vec![(0..weeks)
        .map(|t| t as f64 / WEEKS_PER_YEAR)
        .collect::<Vec<f64>>()];
    for k in 1..=fourier_order {
        let w = 2.0 * std::f64::consts::PI * k as f64 / WEEKS_PER_YEAR;
        names.push(format!("sin{k}"));
        columns.push((0..weeks).map(|t| (w * t as f64).sin()).collect());
        names.push(format!("cos{k}"));
        columns.push((0..weeks).map(|t| (w * t as f64).cos()).collect());
    }
    for c in controls {
        names.push(c.name.clone());
        columns.push(standardise(&c.values, fit_weeks));
    }
    Baseline { names, columns }
}

/// `(v − mean) / sd` with mean and (population) sd from the first `fit` values.
pub fn standardise(values: &[f64], fit: usize) -> Vec<f64> {
    let head = &values[..fit.min(values.len())];
    if head.is_empty() {
        return values.to_vec();
    }
    let n = head.len() as f64;
    let mean = head.iter().sum::<f64>() / n;
    let var = head.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
    values.iter().map(|v| (v - mean) / sd).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_values() {
        let ctrl = Control {
            name: "price".into(),
            values: vec![1.0, 3.0, 1.0, 3.0, 100.0],
        };
        let b = baseline(5, 2, &[ctrl], 4);
        assert_eq!(
            b.names,
            [
                "intercept",
                "trend",
                "sin1",
                "cos1",
                "sin2",
                "cos2",
                "price"
            ]
        );
        assert_eq!(b.columns.len(), 6);
        assert!((b.columns[0][3] - 3.0 / 52.18).abs() < 1e-15);
        // Week 13: sin(2π·13/52.18) computed independently.
        let b2 = baseline(14, 1, &[], 14);
        assert!(
            (b2.columns[1][13] - (2.0 * std::f64::consts::PI * 13.0 / 52.18).sin()).abs() < 1e-15
        );
        assert_eq!(b2.columns[2][0], 1.0);
        // Standardised on the first 4 weeks: mean 2, sd 1; the 5th (outside the fit) is (100-2)/1.
        assert_eq!(b.columns[5], vec![-1.0, 1.0, -1.0, 1.0, 98.0]);
    }

    #[test]
    fn a_year_of_fourier_terms_is_centred() {
        // Over whole periods of the seasonal cycle each term averages ~0 (52.18 is not an integer, so
        // over 5218 weeks = 100 cycles it is exact up to rounding).
        let b = baseline(5218, 2, &[], 5218);
        for col in &b.columns[1..] {
            let mean = col.iter().sum::<f64>() / col.len() as f64;
            assert!(mean.abs() < 1e-9, "{mean}");
        }
    }
}
