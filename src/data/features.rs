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

/// Row-wise sum of numeric columns (null when any input is null), vectorised.
fn row_sum(cols: &[&Column]) -> Option<Float64Chunked> {
    let mut parts = cols.iter().filter_map(|c| f64_chunked(c));
    let first = parts.next()?;
    Some(parts.fold(first, |acc, next| &acc + &next))
}

fn int_column(name: &str, vals: Float64Chunked) -> PolarsResult<Column> {
    let rounded = vals.apply_values(f64::round).into_series();
    Ok(rounded
        .cast(&DataType::Int64)?
        .with_name(name.into())
        .into_column())
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
    let formula = cols
        .iter()
        .map(|c| c.name().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let Some(vals) = row_sum(&cols) else {
        return Ok(());
    };
    out.push((
        int_column(name, vals)?,
        Derived {
            name: name.to_string(),
            formula,
            sources: cols.iter().map(|c| c.name().to_string()).collect(),
        },
    ));
    Ok(())
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
        if !exists(df, "Age") {
            if let Some(years) = f64_chunked(birth) {
                let (ref_year, source) = match (latest, &dates) {
                    (Some(l), Some((n, _))) => (year_of_days(l), format!("year of the latest {n}")),
                    _ => (current_year(), "the current year".to_string()),
                };
                let vals = years.apply_values(|y| ref_year as f64 - y);
                out.push((
                    int_column("Age", vals)?,
                    Derived {
                        name: "Age".into(),
                        formula: format!("{ref_year} - {} ({ref_year} = {source})", birth.name()),
                        sources: vec![birth.name().to_string()],
                    },
                ));
            }
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
    if let (Some((name, days)), Some(latest)) = (&dates, latest) {
        if !exists(df, "TenureDays") {
            let vals = days.apply_values(|d| latest - d).cast(&DataType::Float64)?;
            out.push((
                int_column("TenureDays", vals.f64()?.clone())?,
                Derived {
                    name: "TenureDays".into(),
                    formula: format!("latest {name} - {name}, in days"),
                    sources: vec![name.clone()],
                },
            ));
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
    }

    #[test]
    fn unknown_tables_get_no_derived_columns() {
        let mut df = df! { "a" => [1i64, 2], "b" => ["x", "y"] }.unwrap();
        assert!(add_derived(&mut df).unwrap().is_empty());
        assert_eq!(df.width(), 2);
    }
}
