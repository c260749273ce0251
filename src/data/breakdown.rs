//! Breakdown: the rate of a binary outcome per category (or per quantile bin of a numeric column), with
//! counts and a 95 % Wilson interval.

use serde::Serialize;
use thiserror::Error;

use polars::prelude::*;

use super::profile::f64_chunked;
use super::summary::{intern, nearest_quantiles, texts_at};
use super::workspace::Workspace;

#[derive(Debug, Error, PartialEq)]
pub enum BreakdownError {
    #[error("{file}: no column named {name:?}")]
    NoColumn { file: String, name: String },
    #[error("{file}: target {name:?} has {distinct} distinct values; pass --positive VALUE to say which counts as a hit")]
    NotBinary {
        file: String,
        name: String,
        distinct: usize,
    },
    #[error("{file}: value {value:?} never occurs in target {name:?}")]
    NoSuchValue {
        file: String,
        name: String,
        value: String,
    },
    #[error("{file}: target {name:?} has no non-missing values")]
    Empty { file: String, name: String },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Group {
    pub value: String,
    pub count: usize,
    pub rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Breakdown {
    pub by: String,
    pub target: String,
    pub positive: String,
    pub overall_rate: f64,
    pub groups: Vec<Group>,
}

/// 95 % Wilson score interval for `hits` out of `n`.
pub fn wilson(hits: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n_f = n as f64;
    let p = hits as f64 / n_f;
    let denom = 1.0 + z * z / n_f;
    let centre = (p + z * z / (2.0 * n_f)) / denom;
    let half = z * ((p * (1.0 - p) / n_f) + z * z / (4.0 * n_f * n_f)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Numeric columns with more distinct values than this are binned into quintiles.
const MAX_NUMERIC_LEVELS: usize = 12;

fn fmt_edge(x: f64) -> String {
    super::summary::short(x)
}

/// Each row's group (an index into the returned labels; None for a missing value): categories as they are,
/// in order (numerically for a numeric column with few values), numerics with many values binned into
/// quintile ranges.
fn group_rows(ws: &Workspace, by: &str) -> Result<(Vec<Option<u32>>, Vec<String>), BreakdownError> {
    let col = ws.df.column(by).map_err(|_| BreakdownError::NoColumn {
        file: ws.file_name(),
        name: by.to_string(),
    })?;
    let distinct = ws.profile(by).map(|p| p.distinct).unwrap_or(0);
    let numeric = col.dtype().is_primitive_numeric();
    if numeric && distinct > MAX_NUMERIC_LEVELS {
        if let Some(rows) = quintile_rows(col) {
            return Ok(rows);
        }
    }
    let Some(interned) = intern(col) else {
        return Ok((vec![None; col.len()], Vec::new()));
    };
    let texts = texts_at(col, &interned.first_row);
    // renumber the first-seen ids in display order
    let mut order: Vec<usize> = (0..texts.len()).collect();
    if numeric {
        let key = |i: &usize| texts[*i].parse::<f64>().unwrap_or(f64::NAN);
        order.sort_by(|a, b| key(a).total_cmp(&key(b)));
    } else {
        order.sort_by(|a, b| texts[*a].cmp(&texts[*b]));
    }
    let mut rank = vec![0u32; order.len()];
    for (pos, id) in order.iter().enumerate() {
        rank[*id] = pos as u32;
    }
    let labels = order.iter().map(|&i| texts[i].clone()).collect();
    let rows = interned
        .ids
        .into_iter()
        .map(|r| r.map(|id| rank[id as usize]))
        .collect();
    Ok((rows, labels))
}

/// Quintile bins of a numeric column: each row's bin and the bins' "[lo, hi)" labels.
fn quintile_rows(col: &Column) -> Option<(Vec<Option<u32>>, Vec<String>)> {
    let vals = f64_chunked(col)?;
    let mut present: Vec<f64> = vals.iter().flatten().collect();
    if present.is_empty() {
        return None;
    }
    let mut edges = nearest_quantiles(&mut present, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    edges.dedup();
    let nb = edges.len().saturating_sub(1).max(1);
    let label = |b: usize| {
        let hi = edges.get(b + 1).copied().unwrap_or(edges[b]);
        let close = if b + 1 == nb { "]" } else { ")" };
        format!("[{}, {}{close}", fmt_edge(edges[b]), fmt_edge(hi))
    };
    let labels: Vec<String> = (0..nb).map(label).collect();
    let rows = vals
        .iter()
        .map(|v| {
            v.map(|x| {
                let b = edges[1..]
                    .iter()
                    .position(|&e| x < e)
                    .unwrap_or(nb - 1)
                    .min(nb - 1);
                b as u32
            })
        })
        .collect();
    Some((rows, labels))
}

/// Whether each row of the target is a hit (None for a missing value).
fn hit_rows(col: &Column, positive: &str) -> Vec<Option<bool>> {
    if let Some(vals) = f64_chunked(col) {
        let wanted = positive.trim().parse::<f64>().ok();
        return vals.iter().map(|v| v.map(|x| Some(x) == wanted)).collect();
    }
    let Some(interned) = intern(col) else {
        return vec![None; col.len()];
    };
    let hit_of_id: Vec<bool> = texts_at(col, &interned.first_row)
        .iter()
        .map(|v| is_positive(v, positive))
        .collect();
    interned
        .ids
        .iter()
        .map(|id| id.map(|id| hit_of_id[id as usize]))
        .collect()
}

/// Rate of `positive` in `target` per group of `by`. Without `positive`, the target must be binary.
pub fn breakdown(
    ws: &Workspace,
    by: &str,
    target: &str,
    positive: Option<&str>,
) -> Result<Breakdown, BreakdownError> {
    let file = ws.file_name();
    let tcol = ws.df.column(target).map_err(|_| BreakdownError::NoColumn {
        file: file.clone(),
        name: target.to_string(),
    })?;
    let profile = ws.profile(target);
    let positive = match positive {
        Some(p) => p.to_string(),
        None => match profile.and_then(|p| p.positive.clone()) {
            Some(p) => p,
            None => {
                return Err(BreakdownError::NotBinary {
                    file,
                    name: target.to_string(),
                    distinct: profile.map(|p| p.distinct).unwrap_or(0),
                })
            }
        },
    };
    let hit = hit_rows(tcol, &positive);
    if !hit.contains(&Some(true)) && hit.iter().any(Option::is_some) {
        return Err(BreakdownError::NoSuchValue {
            file,
            name: target.to_string(),
            value: positive,
        });
    }
    let (rows, order) = group_rows(ws, by)?;
    let mut counts = vec![(0usize, 0usize); order.len()];
    let mut missing = (0usize, 0usize);
    let (mut n_all, mut hits_all) = (0usize, 0usize);
    for (group, h) in rows.iter().zip(&hit) {
        let Some(h) = h else { continue };
        n_all += 1;
        hits_all += *h as usize;
        let slot = match group {
            Some(g) => &mut counts[*g as usize],
            None => &mut missing,
        };
        slot.0 += 1;
        slot.1 += *h as usize;
    }
    if n_all == 0 {
        return Err(BreakdownError::Empty {
            file,
            name: target.to_string(),
        });
    }
    let mut groups: Vec<Group> = order
        .iter()
        .zip(&counts)
        .filter(|(_, c)| c.0 > 0)
        .map(|(v, &(n, h))| make_group(v, n, h))
        .collect();
    if missing.0 > 0 {
        groups.push(make_group("(missing)", missing.0, missing.1));
    }
    Ok(Breakdown {
        by: by.to_string(),
        target: target.to_string(),
        positive,
        overall_rate: hits_all as f64 / n_all as f64,
        groups,
    })
}

/// Whether a target value counts as the positive class (text equality, or numeric equality: "1" = "1.0").
pub fn is_positive(v: &str, positive: &str) -> bool {
    v == positive || numeric_eq(v, positive)
}

fn numeric_eq(a: &str, b: &str) -> bool {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn make_group(value: &str, n: usize, hits: usize) -> Group {
    let (lo, hi) = wilson(hits, n);
    Group {
        value: value.to_string(),
        count: n,
        rate: hits as f64 / n as f64,
        ci_low: lo,
        ci_high: hi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels 0.14 proportion_confint(12, 40, method="wilson") = (0.180748452, 0.454300188)
        let (lo, hi) = wilson(12, 40);
        assert!((lo - 0.180_748_452).abs() < 1e-8, "{lo}");
        assert!((hi - 0.454_300_188).abs() < 1e-8, "{hi}");
        // proportion_confint(3, 4, method="wilson") = (0.300641843, 0.954412739)
        let (lo, hi) = wilson(3, 4);
        assert!((lo - 0.300_641_843).abs() < 1e-8 && (hi - 0.954_412_739).abs() < 1e-8);
        assert_eq!(wilson(0, 0), (0.0, 0.0));
    }
}
