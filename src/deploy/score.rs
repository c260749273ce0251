//! Applying saved models to a new file: the ID column (as named at training), then `score_<target>` per
//! response model and `cluster`, `persona`, `next_best_category` per segmentation — the same numbers the
//! tool computed at fit time for the same rows.

use ndarray::ArrayView1;
use polars::prelude::*;
use serde::Serialize;

use super::model_file::{ModelFile, ResponseModel, SegmentsModel};
use super::spec::Unseen;
use super::DeployError;
use crate::analysis::personas::strategy::next_best_of;
use crate::data::matrix::NullPolicy;
use crate::data::profile::{f64_chunked, string_values};
use crate::pipeline::{CLUSTER_COL, NEXT_BEST_COL, PERSONA_COL};

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Float(Vec<f64>),
    Int(Vec<Option<i64>>),
    Text(Vec<Option<String>>),
}

/// What scoring a file produced.
#[derive(Debug, Clone)]
pub struct Scored {
    pub id_column: String,
    pub ids: Vec<String>,
    pub columns: Vec<(String, Values)>,
    /// Values the models never saw, per model file and column.
    pub unseen: Vec<Unseen>,
    /// Numeric cells filled with the training median, per column.
    pub filled: Vec<(String, usize)>,
    /// Rows a segmentation left unassigned (a missing feature under the "drop" rule).
    pub unassigned: usize,
}

/// The 1-based row numbers, or the ID column's values.
fn ids(df: &DataFrame, id: Option<&str>, file: &str) -> Result<(String, Vec<String>), DeployError> {
    match id {
        Some(name) => {
            let col = df.column(name).map_err(|_| DeployError::MissingColumn {
                file: file.into(),
                column: name.into(),
                why: "the ID column the model was fitted with".into(),
            })?;
            let vals = string_values(col)
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect();
            Ok((name.to_string(), vals))
        }
        None => Ok((
            "row".into(),
            (1..=df.height()).map(|i| i.to_string()).collect(),
        )),
    }
}

/// The calibrated scores of every row of `df`.
pub fn score_response(
    r: &ResponseModel,
    df: &DataFrame,
    file: &str,
    model_path: &str,
) -> Result<(Vec<f64>, super::spec::Built), DeployError> {
    let built = r.features.build(df, file)?;
    let model = r.scorer(model_path)?;
    let scores = model
        .score(&built.x)
        .into_iter()
        .map(|p| r.calibration.apply(p))
        .collect();
    Ok((scores, built))
}

/// Squared distance of a row to a centroid, summed in column order.
fn sq_dist(row: ArrayView1<f64>, c: &[f64]) -> f64 {
    row.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum()
}

/// Each row's cluster (None: left unassigned), next-best category, and the design it was built from.
pub struct Assigned {
    pub labels: Vec<Option<usize>>,
    pub next_best: Option<Vec<Option<String>>>,
    pub built: super::spec::Built,
}

pub fn assign_segments(
    s: &SegmentsModel,
    df: &DataFrame,
    file: &str,
) -> Result<Assigned, DeployError> {
    let mut built = s.features.build(df, file)?;
    if let Some(sc) = &s.scale {
        for mut row in built.x.rows_mut() {
            for (j, (m, sd)) in sc.mean.iter().zip(&sc.sd).enumerate() {
                row[j] = (row[j] - m) / sd;
            }
        }
    }
    let labels: Vec<Option<usize>> = built
        .x
        .rows()
        .into_iter()
        .zip(&built.complete)
        .map(|(row, &ok)| {
            if !ok && s.missing == NullPolicy::Drop {
                return None;
            }
            let (mut best, mut bd) = (0, f64::INFINITY);
            for (j, c) in s.centroids.iter().enumerate() {
                let d = sq_dist(row, c);
                if d < bd {
                    (best, bd) = (j, d);
                }
            }
            Some(best)
        })
        .collect();
    let next = match &s.next_best {
        None => None,
        Some(nb) => {
            let mut cols = Vec::with_capacity(nb.columns.len());
            for c in &nb.columns {
                let col = df.column(c).map_err(|_| DeployError::MissingColumn {
                    file: file.into(),
                    column: c.clone(),
                    why: "a spend category of the next-best offer".into(),
                })?;
                let ca = f64_chunked(col).ok_or_else(|| DeployError::NotNumeric {
                    file: file.into(),
                    column: c.clone(),
                })?;
                cols.push(ca.iter().collect::<Vec<_>>());
            }
            let out = labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let row: Vec<f64> = cols.iter().map(|c| c[i].unwrap_or(0.0)).collect();
                    next_best_of(&nb.typical[(*l)?], &row).map(|k| nb.categories[k].clone())
                })
                .collect();
            Some(out)
        }
    };
    Ok(Assigned {
        labels,
        next_best: next,
        built,
    })
}

/// Apply every model file (`(path, file)`) to `df`; columns come in the files' order.
pub fn score_frame(
    models: &[(String, ModelFile)],
    df: &DataFrame,
    file: &str,
) -> Result<Scored, DeployError> {
    let first = models
        .first()
        .ok_or_else(|| DeployError::Unsupported("no model file given".into()))?;
    let id = first.1.id_column.clone();
    if let Some((p, _)) = models.iter().find(|(_, m)| m.id_column != id) {
        return Err(DeployError::Mismatch(format!(
            "{p}: fitted with ID column {:?}, {} with {:?}; score them separately",
            models
                .iter()
                .find(|(q, _)| q == p)
                .and_then(|m| m.1.id_column.clone()),
            first.0,
            id
        )));
    }
    let (id_column, id_values) = ids(df, id.as_deref(), file)?;
    let mut out = Scored {
        id_column,
        ids: id_values,
        columns: Vec::new(),
        unseen: Vec::new(),
        filled: Vec::new(),
        unassigned: 0,
    };
    let add = |out: &mut Scored, name: String, v: Values, path: &str| {
        if out.columns.iter().any(|(n, _)| *n == name) || name == out.id_column {
            return Err(DeployError::Mismatch(format!(
                "{path}: a second model writes column {name:?}; score them separately"
            )));
        }
        out.columns.push((name, v));
        Ok(())
    };
    let note = |out: &mut Scored, built: &super::spec::Built| {
        for u in &built.unseen {
            if !out.unseen.iter().any(|v| v.column == u.column) {
                out.unseen.push(u.clone());
            }
        }
        for f in &built.filled {
            if !out.filled.iter().any(|v| v.0 == f.0) {
                out.filled.push(f.clone());
            }
        }
    };
    for (path, m) in models {
        if let Some(r) = &m.response {
            let (scores, built) = score_response(r, df, file, path)?;
            note(&mut out, &built);
            add(
                &mut out,
                r.score_column.clone(),
                Values::Float(scores),
                path,
            )?;
        }
        if let Some(s) = &m.segments {
            let Assigned {
                labels,
                next_best: next,
                built,
            } = assign_segments(s, df, file)?;
            note(&mut out, &built);
            out.unassigned = out
                .unassigned
                .max(labels.iter().filter(|l| l.is_none()).count());
            let persona = labels
                .iter()
                .map(|l| {
                    Some(match l {
                        Some(c) => s.personas[*c].name.clone(),
                        None => "unassigned".into(),
                    })
                })
                .collect();
            let cluster = labels.iter().map(|l| l.map(|c| c as i64)).collect();
            add(&mut out, CLUSTER_COL.into(), Values::Int(cluster), path)?;
            add(&mut out, PERSONA_COL.into(), Values::Text(persona), path)?;
            if let Some(nb) = next {
                add(&mut out, NEXT_BEST_COL.into(), Values::Text(nb), path)?;
            }
            if s.personas.iter().any(|p| !p.next_products.is_empty()) {
                let products = labels
                    .iter()
                    .map(|l| l.map(|c| s.personas[c].next_products.join("; ")))
                    .collect();
                add(
                    &mut out,
                    PERSONA_NEXT_PRODUCTS.into(),
                    Values::Text(products),
                    path,
                )?;
            }
        }
    }
    Ok(out)
}

/// The persona's likely next buys, from a segmentation saved on a table with `next_products`.
pub const PERSONA_NEXT_PRODUCTS: &str = "persona_next_products";

/// The output as CSV text (scores written so they read back to the same double).
pub fn to_csv(s: &Scored) -> String {
    let cell = |t: &str| crate::export::csv_cell(t);
    let mut text = String::new();
    let header: Vec<String> = std::iter::once(cell(&s.id_column))
        .chain(s.columns.iter().map(|(n, _)| cell(n)))
        .collect();
    text.push_str(&header.join(","));
    text.push('\n');
    for (i, id) in s.ids.iter().enumerate() {
        text.push_str(&cell(id));
        for (_, v) in &s.columns {
            text.push(',');
            match v {
                Values::Float(x) => text.push_str(&format!("{:?}", x[i])),
                Values::Int(x) => {
                    if let Some(c) = x[i] {
                        text.push_str(&c.to_string())
                    }
                }
                Values::Text(x) => {
                    if let Some(t) = &x[i] {
                        text.push_str(&cell(t))
                    }
                }
            }
        }
        text.push('\n');
    }
    text
}

/// One line per thing the user should know about the scored file.
pub fn notes(s: &Scored) -> Vec<String> {
    let mut out = Vec::new();
    for u in &s.unseen {
        out.push(format!(
            "{}: {} row{} with a value the model did not keep ({}), counted as \"other\"",
            u.column,
            u.rows,
            if u.rows == 1 { "" } else { "s" },
            u.examples
                .iter()
                .map(|e| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (c, n) in &s.filled {
        out.push(format!(
            "{c}: {n} missing value{} filled with the training median",
            if *n == 1 { "" } else { "s" }
        ));
    }
    if s.unassigned > 0 {
        out.push(format!(
            "{} rows left unassigned (a clustering feature is missing; the segments drop such rows)",
            s.unassigned
        ));
    }
    out
}

/// The summary `--json` prints.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub file: &'a str,
    pub rows: usize,
    pub out: String,
    pub columns: Vec<&'a str>,
    pub unseen: &'a [Unseen],
    pub filled: Vec<serde_json::Value>,
    pub unassigned: usize,
    pub notes: Vec<String>,
}
