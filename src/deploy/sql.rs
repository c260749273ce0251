//! One plain SQL `SELECT` that scores every row of a warehouse table with saved models: the same columns
//! `score` writes, with the same names and values. Four nested queries, innermost first:
//!
//! 1. features: derived features from the raw columns with their frozen reference values, `COALESCE`
//!    with the training medians, one-hot `CASE WHEN col = 'level'`;
//! 2. each model's raw output (logit or tree sum; squared distances to every centroid; spend shares);
//! 3. the probability (the logit clamped to ±700 before `EXP`, which PostgreSQL rejects past 709) and
//!    the nearest centroid;
//! 4. calibration, persona names and next-best categories.

use super::model_file::{ModelFile, ResponseModel, SegmentsModel};
use super::saved::SavedModel;
use super::spec::FeatureSpec;
use super::sql_dialect::{num, Dialect};
use super::sql_trees::{cart_tree, cart_tree_paths, flat_tree, flat_tree_paths};
use super::DeployError;
use crate::analysis::calibrate::Calibrator;
use crate::data::features::Recipe;
use crate::data::matrix::{NullPolicy, MISSING_LEVEL};
use crate::pipeline::{CLUSTER_COL, NEXT_BEST_COL, PERSONA_COL};

/// Exponents are clamped to this (exp(700) ≈ 1e304 is finite in every engine).
const EXP_LIMIT: f64 = 700.0;

/// The four layers' select lists, built model by model.
#[derive(Default)]
struct Layers {
    features: Vec<String>,
    outputs: Vec<String>,
    probabilities: Vec<String>,
    finals: Vec<String>,
    /// The final columns, in order, as (expression in the last layer, output name).
    result: Vec<String>,
}

/// The logistic of `z`, clamped to ±700 first (so EXP never overflows: exp(700) ≈ 1e304).
fn sigmoid(z: &str, d: Dialect) -> String {
    format!("1.0 / (1.0 + EXP(-{}))", d.clamp(z, &num(EXP_LIMIT)))
}

/// Derived feature `name`'s expression over the raw columns (None: a raw column).
fn derived_expr(spec: &FeatureSpec, name: &str, d: Dialect) -> Option<String> {
    let r = &spec.derived.iter().find(|x| x.name == name)?.recipe;
    let col = |c: &str| d.as_double(&d.ident(c));
    Some(match r {
        Recipe::Sum { columns } => format!(
            "ROUND({})",
            columns
                .iter()
                .map(|c| col(c))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        Recipe::YearsBefore {
            column,
            reference_year,
        } => format!("ROUND({} - {})", num(*reference_year as f64), col(column)),
        Recipe::DaysBefore {
            column,
            reference_date,
        } => d.days_until(&d.ident(column), reference_date),
    })
}

/// Design column expressions (numerics filled with the median, one-hot 1.0/0.0) and each numeric's raw
/// expression (NULL where the value is missing).
fn design(spec: &FeatureSpec, d: Dialect) -> (Vec<String>, Vec<String>) {
    let mut cols = Vec::new();
    let mut raw = Vec::new();
    for n in &spec.numeric {
        let r =
            derived_expr(spec, &n.column, d).unwrap_or_else(|| d.as_double(&d.ident(&n.column)));
        cols.push(format!(
            "CAST(COALESCE({r}, {}) AS {})",
            num(n.fill),
            d.double()
        ));
        raw.push(r);
    }
    for c in &spec.categorical {
        let value = format!(
            "COALESCE({}, {})",
            d.as_text(&d.ident(&c.column)),
            d.string(MISSING_LEVEL)
        );
        let forms = |l: &str| {
            d.level_forms(l)
                .iter()
                .map(|f| d.string(f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for l in &c.levels {
            cols.push(format!(
                "CASE WHEN {value} IN ({}) THEN 1.0 ELSE 0.0 END",
                forms(l)
            ));
        }
        if c.pooled {
            let all: Vec<String> = c.levels.iter().map(|l| forms(l)).collect();
            cols.push(format!(
                "CASE WHEN {value} IN ({}) THEN 0.0 ELSE 1.0 END",
                all.join(", ")
            ));
        }
    }
    (cols, raw)
}

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

fn segments(l: &mut Layers, s: &SegmentsModel, i: usize, d: Dialect) {
    let (cols, raw) = design(&s.features, d);
    let scale = s.scale.as_ref();
    for (j, e) in cols.iter().enumerate() {
        let e = match scale.filter(|_| j < s.features.numeric.len()) {
            Some(sc) => format!("({e} - {}) / {}", num(sc.mean[j]), num(sc.sd[j])),
            None => e.clone(),
        };
        l.features.push(format!("{e} AS s{i}_x{j}"));
    }
    let complete = if raw.is_empty() || s.missing == NullPolicy::Median {
        "1".to_string()
    } else {
        let all: Vec<String> = raw.iter().map(|r| format!("{r} IS NOT NULL")).collect();
        format!("CASE WHEN {} THEN 1 ELSE 0 END", all.join(" AND "))
    };
    l.features.push(format!("{complete} AS s{i}_ok"));
    l.outputs.push(format!("s{i}_ok"));
    for (c, centre) in s.centroids.iter().enumerate() {
        let terms: Vec<String> = centre
            .iter()
            .enumerate()
            .map(|(j, v)| format!("(s{i}_x{j} - {v}) * (s{i}_x{j} - {v})", v = num(*v)))
            .collect();
        l.outputs
            .push(format!("{} AS s{i}_d{c}", terms.join(" + ")));
    }
    // the first centre at the smallest distance, as the scorer breaks ties
    let k = s.centroids.len();
    let mut arg = format!("CASE WHEN s{i}_ok = 0 THEN NULL");
    for c in 0..k {
        let later: Vec<String> = (c + 1..k)
            .map(|o| format!("s{i}_d{c} <= s{i}_d{o}"))
            .collect();
        let cond = if later.is_empty() {
            "1 = 1".to_string()
        } else {
            later.join(" AND ")
        };
        arg.push_str(&format!(" WHEN {cond} THEN {c}"));
    }
    arg.push_str(" END");
    l.probabilities.push(format!("{arg} AS s{i}_cluster"));
    if let Some(nb) = &s.next_best {
        let v: Vec<String> = nb
            .columns
            .iter()
            .map(|c| format!("COALESCE({}, 0.0)", d.as_double(&d.ident(c))))
            .collect();
        for (j, e) in v.iter().enumerate() {
            l.features
                .push(format!("CAST({e} AS {}) AS s{i}_v{j}", d.double()));
        }
        let total: Vec<String> = (0..v.len()).map(|j| format!("s{i}_v{j}")).collect();
        l.outputs.push(format!("{} AS s{i}_t", total.join(" + ")));
        for j in 0..v.len() {
            l.outputs.push(format!("s{i}_v{j}"));
        }
        for j in 0..v.len() {
            l.probabilities.push(format!(
                "CASE WHEN s{i}_t > 0 THEN s{i}_v{j} / s{i}_t END AS s{i}_w{j}"
            ));
        }
        // per cluster: the category furthest below its typical share (the last of equals, as the
        // scorer's max_by); a row with no spend gets the cluster's favourite
        let mut nbx = format!("CASE s{i}_cluster");
        for (c, typical) in nb.typical.iter().enumerate() {
            let gap = |j: usize| format!("({} - s{i}_w{j})", num(typical[j]));
            let n = typical.len();
            let mut pick = String::from("CASE");
            for j in (0..n).rev() {
                let mut cond: Vec<String> = (0..n)
                    .filter(|&o| o != j)
                    .map(|o| {
                        if o > j {
                            format!("{} > {}", gap(j), gap(o))
                        } else {
                            format!("{} >= {}", gap(j), gap(o))
                        }
                    })
                    .collect();
                if cond.is_empty() {
                    cond.push("1 = 1".into());
                }
                pick.push_str(&format!(
                    " WHEN {} THEN {}",
                    cond.join(" AND "),
                    d.string(&nb.categories[j])
                ));
            }
            pick.push_str(" END");
            let fav = nb
                .typical
                .get(c)
                .and_then(|t| {
                    t.iter()
                        .enumerate()
                        .max_by(|a, b| a.1.total_cmp(b.1))
                        .map(|x| x.0)
                })
                .map(|j| d.string(&nb.categories[j]))
                .unwrap_or_else(|| "NULL".into());
            nbx.push_str(&format!(
                "\n      WHEN {c} THEN CASE WHEN s{i}_t > 0 THEN {pick} ELSE {fav} END"
            ));
        }
        nbx.push_str(" END");
        l.finals.push(format!("{nbx} AS s{i}_next"));
    }
    let mut names = format!("CASE s{i}_cluster");
    for p in &s.personas {
        names.push_str(&format!(" WHEN {} THEN {}", p.cluster, d.string(&p.name)));
    }
    names.push_str(&format!(" ELSE {} END", d.string("unassigned")));
    l.finals.push(format!("s{i}_cluster"));
    l.finals.push(format!("{names} AS s{i}_persona"));
    l.result
        .push(format!("s{i}_cluster AS {}", d.ident(CLUSTER_COL)));
    l.result
        .push(format!("s{i}_persona AS {}", d.ident(PERSONA_COL)));
    if s.next_best.is_some() {
        l.result
            .push(format!("s{i}_next AS {}", d.ident(NEXT_BEST_COL)));
    }
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
