//! The pieces every model's SQL is built from: the four layers' select lists, the clamped logistic, and
//! the design columns (derived features, median fills, one-hot levels) as expressions over raw columns.

use super::spec::FeatureSpec;
use super::sql_dialect::{num, Dialect};
use crate::data::features::Recipe;
use crate::data::matrix::MISSING_LEVEL;

/// Exponents are clamped to this (exp(700) ≈ 1e304 is finite in every engine).
pub(super) const EXP_LIMIT: f64 = 700.0;

/// The four layers' select lists, built model by model.
#[derive(Default)]
pub(super) struct Layers {
    pub features: Vec<String>,
    pub outputs: Vec<String>,
    pub probabilities: Vec<String>,
    pub finals: Vec<String>,
    /// The final columns, in order, as (expression in the last layer, output name).
    pub result: Vec<String>,
}

/// The logistic of `z`, clamped to ±700 first (so EXP never overflows: exp(700) ≈ 1e304).
pub(super) fn sigmoid(z: &str, d: Dialect) -> String {
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
pub(super) fn design(spec: &FeatureSpec, d: Dialect) -> (Vec<String>, Vec<String>) {
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
