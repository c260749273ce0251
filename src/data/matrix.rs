//! The bridge from the Polars frame to ndarray 0.16 matrices for linfa (filled column by column; polars'
//! own ndarray feature targets a different ndarray version).

use ndarray::Array2;
use polars::prelude::*;
use thiserror::Error;

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
    // the columns as f64 (a float column is shared, not copied), then one row-major fill
    let mut data: Vec<Float64Chunked> = Vec::with_capacity(cols.len());
    for c in cols {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        data.push(
            super::profile::f64_chunked(col).ok_or_else(|| MatrixError::NotNumeric(c.clone()))?,
        );
    }
    let height = df.height();
    let present = |v: Option<f64>| v.filter(|x| x.is_finite());
    let (rows, fills, imputed) = match policy {
        NullPolicy::Drop => {
            let mut keep = vec![true; height];
            for ca in &data {
                for (k, v) in keep.iter_mut().zip(ca.iter()) {
                    *k &= present(v).is_some();
                }
            }
            let rows: Vec<usize> = (0..height).filter(|&i| keep[i]).collect();
            (rows, vec![0.0; data.len()], 0)
        }
        NullPolicy::Median => {
            let mut imputed = 0;
            let mut fills = Vec::with_capacity(data.len());
            for ca in &data {
                let missing = ca.iter().filter(|v| present(*v).is_none()).count();
                imputed += missing;
                fills.push(if missing > 0 {
                    median(&ca.iter().collect::<Vec<_>>()).unwrap_or(0.0)
                } else {
                    0.0
                });
            }
            ((0..height).collect(), fills, imputed)
        }
    };
    if rows.is_empty() {
        return Err(MatrixError::NoRows);
    }
    let mut x = Array2::<f64>::zeros((rows.len(), cols.len()));
    let all = rows.len() == height;
    for (j, ca) in data.iter().enumerate() {
        let mut col = x.column_mut(j);
        if all {
            for (dst, v) in col.iter_mut().zip(ca.iter()) {
                *dst = present(v).unwrap_or(fills[j]);
            }
        } else {
            let vals: Vec<Option<f64>> = ca.iter().collect();
            for (dst, &i) in col.iter_mut().zip(&rows) {
                *dst = present(vals[i]).unwrap_or(fills[j]);
            }
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
    /// Each categorical's one-hot levels in column order (to rebuild the design on another file).
    pub categories: Vec<Levels>,
}

/// A categorical column's one-hot levels, most frequent first; `pooled`: an `=other` column follows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Levels {
    pub column: String,
    pub levels: Vec<String>,
    pub pooled: bool,
}

/// The text a categorical value is one-hot encoded by (a missing value is the level "missing").
pub const MISSING_LEVEL: &str = "missing";

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
    let mut names = Vec::new();
    let mut is_dummy = Vec::new();
    let mut notes = Vec::new();
    // numerics first (median fill only where values are missing) …
    let mut numeric_cols = Vec::with_capacity(numeric.len());
    for c in numeric {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let ca =
            super::profile::f64_chunked(col).ok_or_else(|| MatrixError::NotNumeric(c.clone()))?;
        let missing = ca.iter().filter(|v| !v.is_some_and(f64::is_finite)).count();
        let fill = if missing > 0 {
            let vals: Vec<Option<f64>> = ca.iter().collect();
            let m = median(&vals).unwrap_or(0.0);
            notes.push(format!(
                "{c}: {missing} missing values filled with the median {}",
                crate::fmt::num(m)
            ));
            m
        } else {
            0.0
        };
        numeric_cols.push((ca, fill));
        names.push(c.clone());
        is_dummy.push(false);
    }
    // … then each categorical's levels, most frequent first, as codes per row (text is not copied)
    let mut coded = Vec::with_capacity(categorical.len());
    let mut categories = Vec::with_capacity(categorical.len());
    for c in categorical {
        let col = df.column(c).map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let text = col
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let ca = text.str().map_err(|_| MatrixError::NoColumn(c.clone()))?;
        let mut ids: std::collections::HashMap<&str, u32> = Default::default();
        let mut level_names: Vec<&str> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        let codes: Vec<u32> = ca
            .iter()
            .map(|v| {
                let v = v.unwrap_or(MISSING_LEVEL);
                let id = *ids.entry(v).or_insert_with(|| {
                    level_names.push(v);
                    counts.push(0);
                    (level_names.len() - 1) as u32
                });
                counts[id as usize] += 1;
                id
            })
            .collect();
        let mut order: Vec<usize> = (0..level_names.len()).collect();
        order.sort_by(|&a, &b| {
            counts[b]
                .cmp(&counts[a])
                .then(level_names[a].cmp(level_names[b]))
        });
        let pooled = order.len() > max_levels;
        if pooled {
            notes.push(format!(
                "{c}: {} rare levels pooled as \"other\"",
                order.len() - max_levels
            ));
        }
        let first = names.len();
        // output column of each level code
        let mut slot = vec![first + max_levels; level_names.len()];
        for (rank, &id) in order.iter().take(max_levels).enumerate() {
            slot[id] = first + rank;
            names.push(format!("{c}={}", level_names[id]));
            is_dummy.push(true);
        }
        if pooled {
            names.push(format!("{c}=other"));
            is_dummy.push(true);
        }
        categories.push(Levels {
            column: c.clone(),
            levels: order
                .iter()
                .take(max_levels)
                .map(|&id| level_names[id].to_string())
                .collect(),
            pooled,
        });
        coded.push((codes, slot));
    }
    let mut x = Array2::<f64>::zeros((n, names.len()));
    for (j, (ca, fill)) in numeric_cols.iter().enumerate() {
        let mut col = x.column_mut(j);
        for (dst, v) in col.iter_mut().zip(ca.iter()) {
            *dst = v.filter(|v| v.is_finite()).unwrap_or(*fill);
        }
    }
    for (codes, slot) in &coded {
        for (mut row, &code) in x.rows_mut().into_iter().zip(codes) {
            row[slot[code as usize]] = 1.0;
        }
    }
    Ok(Design {
        x,
        names,
        is_dummy,
        notes,
        categories,
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
