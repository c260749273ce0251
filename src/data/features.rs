//! Derived features for the "Customer Personality Analysis" style marketing table, added when the source
//! columns are recognised (names compared case-insensitively).

use polars::prelude::*;

use super::profile::f64_chunked;
use super::tidy::year_of_days;

/// A column campaign-lens computed, with its formula in words.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Derived {
    pub name: String,
    pub formula: String,
    /// The columns it is computed from (what a model must not see beside it).
    #[serde(skip)]
    pub sources: Vec<String>,
    /// How to compute it again on another file, with its reference values frozen (None for the
    /// analysis columns: cluster, persona, score).
    #[serde(skip)]
    pub recipe: Option<Recipe>,
}

/// A derived feature's computation, with the reference values it was made with, so that a saved model
/// rebuilds it on next month's file (and in SQL) exactly as at fit time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Recipe {
    /// The sum of numeric columns (missing when any of them is), as a whole number.
    Sum { columns: Vec<String> },
    /// `reference_year − column` (an age from a year of birth).
    YearsBefore { column: String, reference_year: i32 },
    /// `reference_date − column` in days (tenure from a date column); the date as yyyy-mm-dd.
    DaysBefore {
        column: String,
        reference_date: String,
    },
}

impl Recipe {
    /// The columns the recipe reads.
    pub fn inputs(&self) -> Vec<String> {
        match self {
            Recipe::Sum { columns } => columns.clone(),
            Recipe::YearsBefore { column, .. } | Recipe::DaysBefore { column, .. } => {
                vec![column.clone()]
            }
        }
    }
}

/// Why a recipe could not be computed on a frame.
#[derive(Debug, Clone, PartialEq)]
pub enum RecipeError {
    Missing(String),
    NotNumeric(String),
    NotDate(String),
    BadReference(String),
}

/// Compute `recipe` on `df` as column `name` (Int64).
pub fn evaluate(df: &DataFrame, name: &str, recipe: &Recipe) -> Result<Column, RecipeError> {
    let col = |c: &str| {
        df.column(c)
            .map_err(|_| RecipeError::Missing(c.to_string()))
    };
    let numeric = |c: &str| f64_chunked(col(c)?).ok_or_else(|| RecipeError::NotNumeric(c.into()));
    let poisoned = |e: PolarsError| RecipeError::NotNumeric(e.to_string());
    match recipe {
        Recipe::Sum { columns } => {
            let mut parts = Vec::with_capacity(columns.len());
            for c in columns {
                parts.push(numeric(c)?);
            }
            let mut it = parts.into_iter();
            let first = it.next().ok_or_else(|| RecipeError::Missing(name.into()))?;
            int_column(name, it.fold(first, |acc, next| &acc + &next)).map_err(poisoned)
        }
        Recipe::YearsBefore {
            column,
            reference_year,
        } => {
            let ry = *reference_year as f64;
            int_column(name, numeric(column)?.apply_values(|y| ry - y)).map_err(poisoned)
        }
        Recipe::DaysBefore {
            column,
            reference_date,
        } => {
            let latest = parse_ymd(reference_date)
                .ok_or_else(|| RecipeError::BadReference(reference_date.clone()))?;
            let c = col(column)?;
            if c.dtype() != &DataType::Date {
                return Err(RecipeError::NotDate(column.clone()));
            }
            let days = c
                .as_materialized_series()
                .cast(&DataType::Int32)
                .map_err(poisoned)?;
            let vals = days
                .i32()
                .map_err(poisoned)?
                .apply_values(|d| latest - d)
                .cast(&DataType::Float64)
                .map_err(poisoned)?;
            int_column(name, vals.f64().map_err(poisoned)?.clone()).map_err(poisoned)
        }
    }
}

/// yyyy-mm-dd as days since 1970-01-01.
pub fn parse_ymd(text: &str) -> Option<i32> {
    let mut it = text.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    crate::data::dates::days_from_civil(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Days since 1970-01-01 as yyyy-mm-dd.
pub fn format_ymd(days: i32) -> String {
    let year = year_of_days(days);
    let start = crate::data::dates::days_from_civil(year, 1, 1).unwrap_or(0);
    let mut month = 1;
    while month < 12
        && crate::data::dates::days_from_civil(year, month + 1, 1).is_some_and(|d| d <= days)
    {
        month += 1;
    }
    let first = crate::data::dates::days_from_civil(year, month, 1).unwrap_or(start);
    format!("{year:04}-{month:02}-{:02}", days - first + 1)
}

fn find<'a>(df: &'a DataFrame, lower: &str) -> Option<&'a Column> {
    df.columns()
        .iter()
        .find(|c| c.name().to_ascii_lowercase() == lower)
}

fn matching(df: &DataFrame, pred: impl Fn(&str) -> bool) -> Vec<&Column> {
    df.columns()
        .iter()
        .filter(|c| pred(&c.name().to_ascii_lowercase()) && c.dtype().is_primitive_numeric())
        .collect()
}

fn exists(df: &DataFrame, name: &str) -> bool {
    find(df, &name.to_ascii_lowercase()).is_some()
}

fn int_column(name: &str, vals: Float64Chunked) -> PolarsResult<Column> {
    let rounded = vals.apply_values(f64::round).into_series();
    Ok(rounded
        .cast(&DataType::Int64)?
        .with_name(name.into())
        .into_column())
}

/// Compute a recipe for `add_derived` (its inputs were found in this frame, so it cannot fail on them).
fn derive(
    df: &DataFrame,
    out: &mut Vec<(Column, Derived)>,
    name: &str,
    formula: String,
    recipe: Recipe,
) -> PolarsResult<()> {
    let col = evaluate(df, name, &recipe)
        .map_err(|e| PolarsError::ComputeError(format!("{name}: {e:?}").into()))?;
    out.push((
        col,
        Derived {
            name: name.to_string(),
            formula,
            sources: recipe.inputs(),
            recipe: Some(recipe),
        },
    ));
    Ok(())
}

fn sum_feature(
    df: &DataFrame,
    out: &mut Vec<(Column, Derived)>,
    name: &str,
    cols: Vec<&Column>,
) -> PolarsResult<()> {
    if cols.len() < 2 || exists(df, name) {
        return Ok(());
    }
    let columns: Vec<String> = cols.iter().map(|c| c.name().to_string()).collect();
    let formula = columns.join(" + ");
    derive(df, out, name, formula, Recipe::Sum { columns })
}

/// The current calendar year from the system clock.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    year_of_days((secs / 86_400) as i32)
}

/// Add the derived features the frame supports; returns what was added.
pub fn add_derived(df: &mut DataFrame) -> PolarsResult<Vec<Derived>> {
    let mut out: Vec<(Column, Derived)> = Vec::new();

    // Customer dates as day numbers, if a Dt_Customer date column exists.
    let dates: Option<(String, Int32Chunked)> = find(df, "dt_customer")
        .filter(|c| c.dtype() == &DataType::Date)
        .and_then(|c| {
            let s = c.as_materialized_series().cast(&DataType::Int32).ok()?;
            Some((c.name().to_string(), s.i32().ok()?.clone()))
        });
    let latest = dates.as_ref().and_then(|(_, d)| d.max());

    if let Some(birth) = find(df, "year_birth") {
        if !exists(df, "Age") && birth.dtype().is_primitive_numeric() {
            let (ref_year, source) = match (latest, &dates) {
                (Some(l), Some((n, _))) => (year_of_days(l), format!("year of the latest {n}")),
                _ => (current_year(), "the current year".to_string()),
            };
            let recipe = Recipe::YearsBefore {
                column: birth.name().to_string(),
                reference_year: ref_year,
            };
            let formula = format!("{ref_year} - {} ({ref_year} = {source})", birth.name());
            derive(df, &mut out, "Age", formula, recipe)?;
        }
    }
    sum_feature(
        df,
        &mut out,
        "Spent",
        matching(df, |n| n.starts_with("mnt")),
    )?;
    let kids: Vec<&Column> = ["kidhome", "teenhome"]
        .iter()
        .filter_map(|n| find(df, n))
        .collect();
    sum_feature(df, &mut out, "Children", kids)?;
    sum_feature(
        df,
        &mut out,
        "Purchases",
        matching(df, |n| n.starts_with("num") && n.ends_with("purchases")),
    )?;
    sum_feature(
        df,
        &mut out,
        "AcceptedTotal",
        matching(df, |n| n.starts_with("acceptedcmp")),
    )?;
    if let (Some((name, _)), Some(latest)) = (&dates, latest) {
        if !exists(df, "TenureDays") {
            let recipe = Recipe::DaysBefore {
                column: name.clone(),
                reference_date: format_ymd(latest),
            };
            let formula = format!("latest {name} - {name}, in days");
            derive(df, &mut out, "TenureDays", formula, recipe)?;
        }
    }
    let mut added = Vec::new();
    for (col, info) in out {
        df.with_column(col)?;
        added.push(info);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::tidy::days_from_civil;

    fn frame() -> DataFrame {
        let d1 = days_from_civil(2014, 6, 29).unwrap();
        let d2 = days_from_civil(2013, 6, 29).unwrap();
        let dates = Int32Chunked::from_slice("Dt_Customer".into(), &[d1, d2])
            .into_series()
            .cast(&DataType::Date)
            .unwrap();
        df! {
            "year_birth" => [1980i64, 1990],
            "Kidhome" => [1i64, 0],
            "Teenhome" => [1i64, 2],
            "MntWines" => [10i64, 5],
            "MntFruits" => [Some(1i64), None],
            "NumWebPurchases" => [2i64, 3],
            "NumStorePurchases" => [4i64, 5],
            "AcceptedCmp1" => [0i64, 1],
            "AcceptedCmp2" => [1i64, 1],
        }
        .unwrap()
        .hstack(&[dates.into_column()])
        .unwrap()
    }

    fn ints(df: &DataFrame, name: &str) -> Vec<Option<i64>> {
        df.column(name).unwrap().i64().unwrap().iter().collect()
    }

    #[test]
    fn derived_features_follow_their_formulas() {
        let mut df = frame();
        let added = add_derived(&mut df).unwrap();
        let names: Vec<&str> = added.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Age",
                "Spent",
                "Children",
                "Purchases",
                "AcceptedTotal",
                "TenureDays"
            ]
        );
        // reference year = 2014, the year of the latest customer date
        assert_eq!(ints(&df, "Age"), [Some(34), Some(24)]);
        // a null input makes the sum null rather than silently smaller
        assert_eq!(ints(&df, "Spent"), [Some(11), None]);
        assert_eq!(ints(&df, "Children"), [Some(2), Some(2)]);
        assert_eq!(ints(&df, "Purchases"), [Some(6), Some(8)]);
        assert_eq!(ints(&df, "AcceptedTotal"), [Some(1), Some(2)]);
        assert_eq!(ints(&df, "TenureDays"), [Some(0), Some(365)]);
        assert!(added[0].formula.starts_with("2014 - year_birth"));
        // the tenure's reference is the latest date, frozen as text
        assert_eq!(
            added[5].recipe,
            Some(Recipe::DaysBefore {
                column: "Dt_Customer".into(),
                reference_date: "2014-06-29".into()
            })
        );
    }

    #[test]
    fn dates_format_and_parse_back() {
        for (y, m, d) in [(1970, 1, 1), (2012, 2, 29), (2014, 12, 31), (1969, 7, 20)] {
            let days = days_from_civil(y, m, d).unwrap();
            let text = format_ymd(days);
            assert_eq!(text, format!("{y:04}-{m:02}-{d:02}"));
            assert_eq!(parse_ymd(&text), Some(days));
        }
        assert_eq!(parse_ymd("2014-02-30"), None);
    }

    #[test]
    fn recipes_name_what_is_missing() {
        let df = df! { "a" => [1i64], "s" => ["x"] }.unwrap();
        let sum = Recipe::Sum {
            columns: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            evaluate(&df, "t", &sum).unwrap_err(),
            RecipeError::Missing("b".into())
        );
        let age = Recipe::YearsBefore {
            column: "s".into(),
            reference_year: 2014,
        };
        assert_eq!(
            evaluate(&df, "Age", &age).unwrap_err(),
            RecipeError::NotNumeric("s".into())
        );
    }

    #[test]
    fn unknown_tables_get_no_derived_columns() {
        let mut df = df! { "a" => [1i64, 2], "b" => ["x", "y"] }.unwrap();
        assert!(add_derived(&mut df).unwrap().is_empty());
        assert_eq!(df.width(), 2);
    }
}
