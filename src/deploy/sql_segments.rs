//! A segmentation in SQL: z-scored features, the squared distance to every centroid, the nearest one
//! (ties to the first, as the scorer), persona names, and the next-best category per cluster.

use super::model_file::SegmentsModel;
use super::sql_dialect::{num, Dialect};
use super::sql_parts::{design, Layers};
use crate::data::matrix::NullPolicy;
use crate::pipeline::{CLUSTER_COL, NEXT_BEST_COL, PERSONA_COL};

pub(super) fn segments(l: &mut Layers, s: &SegmentsModel, i: usize, d: Dialect) {
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
