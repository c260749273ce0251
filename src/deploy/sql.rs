//! One plain SQL `SELECT` that scores every row of a warehouse table with saved models: the same columns
//! `score` writes, with the same names and values. Four nested queries, innermost first:
//!
//! 1. features: derived features from the raw columns with their frozen reference values, `COALESCE`
//!    with the training medians, one-hot `CASE WHEN col = 'level'`;
//! 2. each model's raw output (logit or tree sum; squared distances to every centroid; spend shares);
//! 3. the probability (the logit clamped to ±700 before `EXP`, which PostgreSQL rejects past 709) and
//!    the nearest centroid;
//! 4. calibration, persona names and next-best categories.

use super::model_file::{ModelFile, ResponseModel};
use super::saved::SavedModel;
use super::sql_dialect::{num, Dialect};
use super::sql_parts::{design, sigmoid, Layers};
use super::sql_segments::segments;
use super::sql_trees::{cart_tree, cart_tree_paths, flat_tree, flat_tree_paths};
use super::DeployError;
use crate::analysis::models::calibrate::Calibrator;

fn response(
    l: &mut Layers,
    r: &ResponseModel,
    i: usize,
    d: Dialect,
    path: &str,
) -> Result<(), DeployError> {
    let (cols, _) = design(&r.features, d);
    for (j, e) in cols.iter().enumerate() {
        l.features.push(format!("{e} AS r{i}_x{j}"));
    }
    let x = |j: usize| format!("r{i}_x{j}");
    // SQLite's parser stack is fixed: its trees are written leaf by leaf instead of nested
    let sqlite = d == Dialect::Sqlite;
    let tree = |t: &[super::saved::SavedNode]| {
        if sqlite {
            flat_tree_paths(t, &x)
        } else {
            flat_tree(t, &x)
        }
    };
    let (raw, prob) = match &r.model {
        SavedModel::Logistic {
            mean,
            sd,
            coef,
            intercept,
        } => {
            // the z-scoring folded into the weights, as the scorer does
            let w: Vec<f64> = coef.iter().zip(sd).map(|(c, s)| c / s).collect();
            let b = intercept - w.iter().zip(mean).map(|(a, m)| a * m).sum::<f64>();
            let terms: Vec<String> = w
                .iter()
                .enumerate()
                .map(|(j, wj)| format!("{} * {}", num(*wj), x(j)))
                .collect();
            (
                format!("{} + {}", num(b), terms.join(" + ")),
                sigmoid(&format!("r{i}_z"), d),
            )
        }
        SavedModel::Tree { nodes } if sqlite => (cart_tree_paths(nodes, &x), format!("r{i}_z")),
        SavedModel::Tree { nodes } => (cart_tree(nodes, &x), format!("r{i}_z")),
        SavedModel::Boosting { baseline, trees } => {
            let sum: Vec<String> = trees.iter().map(|t| tree(t)).collect();
            (
                format!("{} + ({})", num(*baseline), sum.join("\n    + ")),
                sigmoid(&format!("r{i}_z"), d),
            )
        }
        SavedModel::Forest { trees, .. } => {
            let sum: Vec<String> = trees.iter().map(|t| tree(t)).collect();
            (
                format!(
                    "({}) / {}",
                    sum.join("\n    + "),
                    num(trees.len().max(1) as f64)
                ),
                format!("r{i}_z"),
            )
        }
        SavedModel::Svm { support, .. } => {
            return Err(DeployError::Unsupported(format!(
            "{path}: an SVM ({} support vectors) is not written as SQL; save the logistic, tree, \
                 boosting or forest model instead (predict --score-with boosting --save-model …)",
            support.len()
        )))
        }
    };
    l.outputs.push(format!("{raw} AS r{i}_z"));
    l.probabilities.push(format!("{prob} AS r{i}_p"));
    let p = format!("r{i}_p");
    let calibrated = match &r.calibration {
        Calibrator::None => p.clone(),
        // P = 1 / (1 + exp(a·s + b))
        Calibrator::Platt(c) => sigmoid(&format!("-({p} * {} + {})", num(c.a), num(c.b)), d),
        Calibrator::Isotonic(iso) => {
            let (x, y) = (&iso.x, &iso.y);
            if x.is_empty() {
                p.clone()
            } else {
                let last = x.len() - 1;
                let mut s = format!(
                    "CASE WHEN {p} <= {} THEN {} WHEN {p} >= {} THEN {}",
                    num(x[0]),
                    num(y[0]),
                    num(x[last]),
                    num(y[last])
                );
                for k in 1..=last {
                    s.push_str(&format!(
                        "\n      WHEN {p} < {x1} THEN {y0} + ({y1} - {y0}) * ({p} - {x0}) / ({x1} - {x0})",
                        x0 = num(x[k - 1]),
                        x1 = num(x[k]),
                        y0 = num(y[k - 1]),
                        y1 = num(y[k]),
                    ));
                }
                s.push_str(" END");
                s
            }
        }
    };
    l.finals.push(format!("{calibrated} AS r{i}_score"));
    l.result
        .push(format!("r{i}_score AS {}", d.ident(&r.score_column)));
    Ok(())
}

/// The `SELECT` scoring every row of `table` with `models` (`(path, file)`).
pub fn select(
    models: &[(String, ModelFile)],
    table: &str,
    d: Dialect,
) -> Result<String, DeployError> {
    let first = models
        .first()
        .ok_or_else(|| DeployError::Unsupported("no model file given".into()))?;
    if let Some((p, _)) = models
        .iter()
        .find(|(_, m)| m.id_column != first.1.id_column)
    {
        return Err(DeployError::Mismatch(format!(
            "{p} and {} were fitted with different ID columns; write their SQL separately",
            first.0
        )));
    }
    let mut l = Layers::default();
    let id = match &first.1.id_column {
        Some(c) => {
            l.features.push(format!("{} AS id_", d.ident(c)));
            format!("id_ AS {}", d.ident(c))
        }
        None => {
            l.features.push("ROW_NUMBER() OVER () AS id_".to_string());
            format!("id_ AS {}", d.ident("row"))
        }
    };
    let (mut ri, mut si) = (0, 0);
    for (path, m) in models {
        if let Some(r) = &m.response {
            response(&mut l, r, ri, d, path)?;
            ri += 1;
        }
        if let Some(s) = &m.segments {
            segments(&mut l, s, si, d);
            si += 1;
        }
    }
    let mut names: Vec<&str> = l
        .result
        .iter()
        .map(|r| r.rsplit(" AS ").next().unwrap_or(""))
        .collect();
    names.sort();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(DeployError::Mismatch(
            "two models write the same output column; write their SQL separately".into(),
        ));
    }
    // each layer passes on what the next one reads (id_, the complete flag, spend and its total)
    let sep = ",\n    ";
    let mut l2 = vec!["id_".to_string()];
    l2.extend(l.outputs.iter().cloned());
    let mut l3 = vec!["id_".to_string()];
    l3.extend(l.probabilities.iter().cloned());
    l3.extend(
        l.outputs
            .iter()
            .filter_map(|o| o.rsplit(" AS ").next())
            .filter(|a| a.starts_with('s') && a.ends_with("_t"))
            .map(str::to_string),
    );
    let mut l4 = vec!["id_".to_string()];
    l4.extend(l.finals.iter().cloned());
    let mut out = vec![id];
    out.extend(l.result.iter().cloned());
    let mut header = format!(
        "-- campaign-lens {}: scores every row of {table} ({} dialect)\n",
        env!("CARGO_PKG_VERSION"),
        d.word()
    );
    for (p, m) in models {
        header.push_str(&format!(
            "-- {p}: fitted on {} ({} rows)\n",
            m.training_data.file, m.training_data.rows
        ));
    }
    if let Some(req) = d.requirement() {
        header.push_str(&format!("-- {req}\n"));
    }
    if first.1.id_column.is_none() {
        header
            .push_str("-- no ID column at training: rows are numbered in the table's scan order\n");
    }
    Ok(format!(
        "{header}SELECT\n    {}\nFROM (\n  SELECT\n    {}\n  FROM (\n   SELECT\n    {}\n   FROM (\n    SELECT\n    {}\n    FROM (\n     SELECT\n    {}\n     FROM {} AS src{fence}\n    ) AS features{fence}\n   ) AS outputs{fence}\n  ) AS probabilities\n) AS finals\n",
        out.join(sep),
        l4.join(sep),
        l3.join(sep),
        l2.join(sep),
        l.features.join(sep),
        d.table(table),
        fence = d.fence()
    ))
}
