//! The bridge from the Polars frame to ndarray 0.16 matrices for linfa (filled column by column; polars'
//! own ndarray feature targets a different ndarray version).

use ndarray::Array2;
use polars::prelude::*;
use thiserror::Error;

use super::profile::{f64_values, string_values};

#[derive(Debug, Error, PartialEq)]
pub enum MatrixError {
    #[error("no column named {0:?}")]
    NoColumn(String),
    #[error("column {0:?} is not numeric")]
    NotNumeric(String),
    #[error("no features chosen")]
    NoFeatures,
    #[error("no rows left: every row has a missing value in the chosen features")]
    NoRows,
}

/// What to do with rows that have a missing value in a chosen feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum NullPolicy {
    /// Leave those rows out of the fit (they are labelled "unassigned").
    #[default]
    Drop,
    /// Replace missing values with the column median.
    Median,
}

/// Numeric features as a matrix, with the frame row behind each matrix row.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub x: Array2<f64>,
    pub names: Vec<String>,
    /// Frame row index of each matrix row.
    pub rows: Vec<usize>,
    /// Rows left out because of missing values (Drop policy).
    pub dropped: usize,
    /// Cells filled with the median (Median policy).
    pub imputed: usize,
}

/// Median of the present values (None when all are missing).
pub fn median(vals: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = vals
        .iter()
        .flatten()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Build a numeric matrix from `cols` of `df`.
pub fn numeric_matrix(
    df: &DataFrame,
    cols: &[String],
    policy: NullPolicy,
) -> Result<Matrix, MatrixError> {
    if cols.is_empty() {
        return Err(MatrixError::NoFeatures);
    }
    let mut data: Vec<Vec<Option<f64>>> = Vec::with_capacity(cols.len());
    for c in cols {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let vals = f64_values(col).ok_or_else(|| MatrixError::NotNumeric(c.clone()))?;
        data.push(
            vals.into_iter()
                .map(|v| v.filter(|x| x.is_finite()))
                .collect(),
        );
    }
    let height = df.height();
    let (rows, imputed) = match policy {
        NullPolicy::Drop => (
            (0..height)
                .filter(|&i| data.iter().all(|c| c[i].is_some()))
                .collect::<Vec<_>>(),
            0,
        ),
        NullPolicy::Median => {
            let mut imputed = 0;
            for c in data.iter_mut() {
                let m = median(c).unwrap_or(0.0);
                for v in c.iter_mut().filter(|v| v.is_none()) {
                    *v = Some(m);
                    imputed += 1;
                }
            }
            ((0..height).collect(), imputed)
        }
    };
    if rows.is_empty() {
        return Err(MatrixError::NoRows);
    }
    let mut x = Array2::<f64>::zeros((rows.len(), cols.len()));
    for (j, c) in data.iter().enumerate() {
        for (r, &i) in rows.iter().enumerate() {
            x[[r, j]] = c[i].unwrap_or(0.0);
        }
    }
    Ok(Matrix {
        x,
        names: cols.to_vec(),
        dropped: height - rows.len(),
        imputed,
        rows,
    })
}

/// A modelling design: numerics (median-imputed) then one-hot categoricals (nulls as a "missing" level,
/// rare levels beyond `max_levels` pooled as "other").
#[derive(Debug, Clone)]
pub struct Design {
    pub x: Array2<f64>,
    pub names: Vec<String>,
    pub is_dummy: Vec<bool>,
    /// Human notes: imputation counts, pooled levels.
    pub notes: Vec<String>,
}

pub fn design_matrix(
    df: &DataFrame,
    numeric: &[String],
    categorical: &[String],
    max_levels: usize,
) -> Result<Design, MatrixError> {
    if numeric.is_empty() && categorical.is_empty() {
        return Err(MatrixError::NoFeatures);
    }
    let n = df.height();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut names = Vec::new();
    let mut is_dummy = Vec::new();
    let mut notes = Vec::new();
    for c in numeric {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let vals = f64_values(col).ok_or_else(|| MatrixError::NotNumeric(c.clone()))?;
        let m = median(&vals).unwrap_or(0.0);
        let missing = vals.iter().filter(|v| v.is_none()).count();
        if missing > 0 {
            notes.push(format!(
                "{c}: {missing} missing values filled with the median {}",
                crate::fmt::num(m)
            ));
        }
        columns.push(vals.into_iter().map(|v| v.unwrap_or(m)).collect());
        names.push(c.clone());
        is_dummy.push(false);
    }
    for c in categorical {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let vals: Vec<String> = string_values(col)
            .into_iter()
            .map(|v| v.unwrap_or_else(|| "missing".to_string()))
            .collect();
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for v in &vals {
            *counts.entry(v.as_str()).or_default() += 1;
        }
        let mut levels: Vec<(&str, usize)> = counts.into_iter().collect();
        levels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if levels.len() > max_levels {
            notes.push(format!(
                "{c}: {} rare levels pooled as \"other\"",
                levels.len() - max_levels
            ));
        }
        let kept: Vec<&str> = levels.iter().take(max_levels).map(|l| l.0).collect();
        for level in &kept {
            columns.push(vals.iter().map(|v| (v == level) as u8 as f64).collect());
            names.push(format!("{c}={level}"));
            is_dummy.push(true);
        }
        if levels.len() > max_levels {
            columns.push(
                vals.iter()
                    .map(|v| (!kept.contains(&v.as_str())) as u8 as f64)
                    .collect(),
            );
            names.push(format!("{c}=other"));
            is_dummy.push(true);
        }
    }
    let mut x = Array2::<f64>::zeros((n, columns.len()));
    for (j, c) in columns.iter().enumerate() {
        for (i, v) in c.iter().enumerate() {
            x[[i, j]] = *v;
        }
    }
    Ok(Design {
        x,
        names,
        is_dummy,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_policy_skips_rows_with_nulls_and_keeps_row_ids() {
        let df = df! { "a" => [Some(1.0), None, Some(3.0)], "b" => [1i64, 2, 3] }.unwrap();
        let m = numeric_matrix(&df, &["a".into(), "b".into()], NullPolicy::Drop).unwrap();
        assert_eq!(m.rows, vec![0, 2]);
        assert_eq!(m.dropped, 1);
        assert_eq!(m.x[[1, 0]], 3.0);
        let m = numeric_matrix(&df, &["a".into()], NullPolicy::Median).unwrap();
        assert_eq!(m.x[[1, 0]], 2.0);
        assert_eq!(m.imputed, 1);
    }

    #[test]
    fn errors_name_the_problem() {
        let df = df! { "s" => ["x", "y"] }.unwrap();
        assert_eq!(
            numeric_matrix(&df, &[], NullPolicy::Drop).unwrap_err(),
            MatrixError::NoFeatures
        );
        assert_eq!(
            numeric_matrix(&df, &["s".into()], NullPolicy::Drop).unwrap_err(),
            MatrixError::NotNumeric("s".into())
        );
    }

    #[test]
    fn one_hot_pools_rare_levels() {
        let df = df! { "c" => [Some("a"), Some("a"), Some("b"), None, Some("c")] }.unwrap();
        let d = design_matrix(&df, &[], &["c".into()], 2).unwrap();
        assert_eq!(d.names, ["c=a", "c=b", "c=other"]);
        assert_eq!(d.x.column(2).to_vec(), vec![0.0, 0.0, 0.0, 1.0, 1.0]);
    }
}
